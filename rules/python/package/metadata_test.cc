#include "rules/python/package/metadata.h"

#include "gtest/gtest.h"

namespace braid::python::package {
namespace {

using build_file::HostObject;
using build_file::Value;

HostObject Artifact(std::vector<std::pair<std::string, Value>> kwargs) {
  HostObject o;
  o.type_name = "python_artifact";
  o.kwargs = std::move(kwargs);
  return o;
}

Value Strs(std::vector<std::string> v) {
  std::vector<Value> items;
  for (auto& s : v) items.push_back(Value::String(s));
  return Value::List(items);
}

const Location kWhere{"src/BUILD", 3, 5, "    provides=python_artifact("};

TEST(Metadata, EveryKeywordRendered) {
  absl::StatusOr<DistributionMetadata> m = MetadataFromArtifact(
      Artifact({
          {"name", Value::String("Acme.Agent")},
          {"version", Value::String("1.4.0-rc.1")},
          {"description", Value::String("The agent")},
          {"long_description", Value::String("# Agent\n\nLong text.")},
          {"long_description_content_type", Value::String("text/markdown")},
          {"url", Value::String("https://acme.example")},
          {"download_url", Value::String("https://acme.example/dl")},
          {"author", Value::String("Ann")},
          {"author_email", Value::String("ann@acme.example")},
          {"maintainer", Value::String("Bob")},
          {"maintainer_email", Value::String("bob@acme.example")},
          {"license", Value::String("MIT\nsecond line")},
          {"keywords", Strs({"agent", "acme"})},
          {"classifiers", Strs({"Programming Language :: Python :: 3"})},
          {"platforms", Value::String("any")},
          {"project_urls", Value::Dict({{Value::String("Source"), Value::String("https://s")}})},
          {"python_requires", Value::String(">=3.9")},
          {"install_requires", Strs({"PyYAML<7,>=6.0", "requests[socks,security]>=2"})},
          {"extras_require",
           Value::Dict({{Value::String("Fast"),
                         Strs({"ujson", "uvloop; sys_platform != \"win32\""})}})},
          {"entry_points",
           Value::Dict({{Value::String("console_scripts"),
                         Strs({"acme-agent = acme.agent.main:run"})}})},
          {"zip_safe", Value::Bool(false)},
      }),
      kWhere);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(RenderCoreMetadata(*m),
            "Metadata-Version: 2.1\n"
            "Name: Acme.Agent\n"
            "Version: 1.4.0rc1\n"
            "Summary: The agent\n"
            "Home-page: https://acme.example\n"
            "Download-URL: https://acme.example/dl\n"
            "Author: Ann\n"
            "Author-email: ann@acme.example\n"
            "Maintainer: Bob\n"
            "Maintainer-email: bob@acme.example\n"
            "License: MIT\n"
            "        second line\n"
            "Project-URL: Source, https://s\n"
            "Keywords: agent,acme\n"
            "Platform: any\n"
            "Classifier: Programming Language :: Python :: 3\n"
            "Requires-Python: >=3.9\n"
            "Description-Content-Type: text/markdown\n"
            "Requires-Dist: PyYAML<7,>=6.0\n"
            "Requires-Dist: requests[security,socks]>=2\n"
            "Provides-Extra: fast\n"
            "Requires-Dist: ujson; extra == \"fast\"\n"
            "Requires-Dist: uvloop; (sys_platform != \"win32\") and extra == \"fast\"\n"
            "\n"
            "# Agent\n"
            "\n"
            "Long text.\n");
  EXPECT_EQ(RenderEntryPoints(*m), "[console_scripts]\nacme-agent = acme.agent.main:run\n");
}

TEST(Metadata, EntryPointsFieldMergesAndSorts) {
  DistributionMetadata m;
  Value eps = Value::Dict(
      {{Value::String("console_scripts"),
        Value::Dict({{Value::String("zed"), Value::String("a.b:z")},
                     {Value::String("acme"), Value::String("a.b:main")}})},
       {Value::String("acme.plugins"), Value::Dict({{Value::String("x"), Value::String("p:x")}})}});
  ASSERT_TRUE(AddEntryPoints(eps, kWhere, m).ok());
  EXPECT_EQ(RenderEntryPoints(m),
            "[acme.plugins]\nx = p:x\n\n[console_scripts]\nacme = a.b:main\nzed = a.b:z\n");
  Value clash = Value::Dict({{Value::String("console_scripts"),
                              Value::Dict({{Value::String("acme"), Value::String("other:f")}})}});
  absl::Status s = AddEntryPoints(clash, kWhere, m);
  EXPECT_EQ(std::string(s.message()),
            "src/BUILD:3:5: entry point 'acme' of group 'console_scripts' is given twice: "
            "'a.b:main' and 'other:f'\n        provides=python_artifact(\n        ^");
}

std::string ErrorOf(std::vector<std::pair<std::string, Value>> kwargs) {
  absl::StatusOr<DistributionMetadata> m = MetadataFromArtifact(Artifact(std::move(kwargs)), kWhere);
  EXPECT_FALSE(m.ok());
  std::string msg(m.status().message());
  return msg.substr(0, msg.find('\n'));
}

TEST(Metadata, Errors) {
  EXPECT_EQ(ErrorOf({{"name", Value::String("a")}, {"version", Value::String("1")},
                     {"licence", Value::String("MIT")}}),
            "src/BUILD:3:5: unknown python_artifact keyword 'licence'");
  EXPECT_EQ(ErrorOf({{"name", Value::String("a")}, {"version", Value::String("1.0-foo")}}),
            "src/BUILD:3:5: invalid version '1.0-foo' (not PEP 440)");
  EXPECT_EQ(ErrorOf({{"version", Value::String("1")}}),
            "src/BUILD:3:5: python_artifact(...) needs a `name`");
  EXPECT_EQ(ErrorOf({{"name", Value::String("a")}}),
            "src/BUILD:3:5: python_artifact(name=\"a\") needs a `version`");
  EXPECT_EQ(ErrorOf({{"name", Value::String("-a")}, {"version", Value::String("1")}}),
            "src/BUILD:3:5: invalid distribution name '-a'");
  EXPECT_EQ(ErrorOf({{"name", Value::String("a")}, {"version", Value::String("1")},
                     {"packages", Strs({"a"})}}),
            "src/BUILD:3:5: python_artifact keyword 'packages' is computed by braid from the "
            "distribution's dependencies and cannot be given");
  EXPECT_EQ(ErrorOf({{"name", Value::String("a")}, {"version", Value::String("1")},
                     {"install_requires", Strs({"foo==="})}}),
            "src/BUILD:3:5: invalid requirement 'foo===' in python_artifact install_requires: "
            "expected a version after '==='");
  EXPECT_EQ(ErrorOf({{"name", Value::String("a")}, {"version", Value::String("1")},
                     {"description", Value::String("two\nlines")}}),
            "src/BUILD:3:5: python_artifact description (Summary) must be a single line");
  EXPECT_EQ(ErrorOf({{"name", Value::Int(3)}}),
            "src/BUILD:3:5: python_artifact keyword 'name' must be a string, got int");
}

TEST(Metadata, UnknownKeywordHint) {
  absl::StatusOr<DistributionMetadata> m = MetadataFromArtifact(
      Artifact({{"name", Value::String("a")}, {"version", Value::String("1")},
                {"licence", Value::String("MIT")}}),
      kWhere);
  EXPECT_EQ(std::string(m.status().message()),
            "src/BUILD:3:5: unknown python_artifact keyword 'licence'\n"
            "        provides=python_artifact(\n        ^\n  hint: did you mean 'license'?");
}

TEST(Metadata, RequiresPythonFromConstraints) {
  EXPECT_EQ(RequiresPythonFromConstraints({"CPython>=3.9"}), ">=3.9");
  EXPECT_EQ(RequiresPythonFromConstraints({"CPython >= 3.8, < 4"}), ">=3.8,<4");
  EXPECT_EQ(RequiresPythonFromConstraints({"CPython>=3.9", "PyPy>=3.9"}), ">=3.9");
  EXPECT_EQ(RequiresPythonFromConstraints({"CPython==3.8.*", "CPython>=3.10"}), "");
  EXPECT_EQ(RequiresPythonFromConstraints({}), "");
}

TEST(Metadata, NormalizeRequirement) {
  EXPECT_EQ(*NormalizeRequirement("pyyaml >=6.0, <7"), "pyyaml<7,>=6.0");
  EXPECT_EQ(*NormalizeRequirement("colorama"), "colorama");
  EXPECT_EQ(*NormalizeRequirement("foo @ https://x/foo.whl ; python_version < \"3.10\""),
            "foo @ https://x/foo.whl ; python_version < \"3.10\"");
}

}  // namespace
}  // namespace braid::python::package
