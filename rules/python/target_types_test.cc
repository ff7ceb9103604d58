#include "rules/python/target_types.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace braid::python {
namespace {

using build_file::Value;
using graph::FieldType;
using graph::GeneratedTargetSpec;
using graph::Target;
using graph::TargetType;
using graph::TargetTypeRegistry;

std::vector<std::string> Sorted(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  return v;
}

class PythonTargetTypes : public ::testing::Test {
 protected:
  PythonTargetTypes() { RegisterPythonTargetTypes(registry_); }

  const TargetType& Type(absl::string_view alias) {
    const TargetType* t = registry_.Find(alias);
    EXPECT_NE(t, nullptr) << alias;
    static const TargetType kEmpty;
    return t ? *t : kEmpty;
  }
  const graph::FieldSpec& FieldOf(absl::string_view alias, absl::string_view field) {
    const graph::FieldSpec* f = Type(alias).FindField(field);
    EXPECT_NE(f, nullptr) << alias << "." << field;
    static const graph::FieldSpec kEmpty;
    return f ? *f : kEmpty;
  }

  TargetTypeRegistry registry_;
};

// Field names as listed on pantsbuild.org/2.2x/reference/targets/<alias>,
// without the fields of optional lint/typecheck backends (see target_types.h).
TEST_F(PythonTargetTypes, FieldNamesMatchPantsReference) {
  const std::map<std::string, std::vector<std::string>> expected = {
      {"python_sources",
       {"tags", "description", "sources", "overrides", "resolve", "run_goal_use_sandbox",
        "dependencies", "interpreter_constraints", "restartable"}},
      {"python_source",
       {"source", "dependencies", "description", "interpreter_constraints", "resolve",
        "restartable", "run_goal_use_sandbox", "tags"}},
      {"python_tests",
       {"tags", "description", "sources", "overrides", "dependencies", "resolve",
        "run_goal_use_sandbox", "timeout", "xdist_concurrency", "batch_compatibility_tag",
        "runtime_package_dependencies", "extra_env_vars", "interpreter_constraints", "skip_tests",
        "environment"}},
      {"python_test",
       {"source", "batch_compatibility_tag", "dependencies", "description", "environment",
        "extra_env_vars", "interpreter_constraints", "resolve", "run_goal_use_sandbox",
        "runtime_package_dependencies", "skip_tests", "tags", "timeout", "xdist_concurrency"}},
      {"python_test_utils",
       {"tags", "description", "sources", "overrides", "resolve", "run_goal_use_sandbox",
        "dependencies", "interpreter_constraints"}},
      {"python_requirements",
       {"description", "module_mapping", "overrides", "resolve", "source", "tags",
        "type_stubs_module_mapping"}},
      {"poetry_requirements",
       {"description", "module_mapping", "overrides", "resolve", "source", "tags",
        "type_stubs_module_mapping"}},
      {"pipenv_requirements",
       {"description", "module_mapping", "overrides", "resolve", "source", "tags",
        "type_stubs_module_mapping"}},
      {"python_requirement",
       {"requirements", "dependencies", "description", "entry_point", "modules", "resolve", "tags",
        "type_stub_modules"}},
      {"python_distribution",
       {"provides", "dependencies", "description", "entry_points", "env_vars", "generate_setup",
        "interpreter_constraints", "long_description_path", "output_path", "sdist",
        "sdist_config_settings", "tags", "wheel", "wheel_config_settings"}},
      // 2.23's list plus `platforms` / `resolve_local_platforms` from 2.21.
      {"pex_binary",
       {"args",
        "check",
        "complete_platforms",
        "dependencies",
        "description",
        "emit_warnings",
        "entry_point",
        "env",
        "environment",
        "executable",
        "execution_mode",
        "extra_build_args",
        "ignore_errors",
        "include_requirements",
        "include_sources",
        "include_tools",
        "inherit_path",
        "interpreter_constraints",
        "layout",
        "output_path",
        "resolve",
        "restartable",
        "script",
        "sh_boot",
        "shebang",
        "strip_pex_env",
        "tags",
        "venv_hermetic_scripts",
        "venv_site_packages_copies",
        "platforms",
        "resolve_local_platforms"}},
      // pex_binary's fields minus its own (entry_point, script, executable, args, env,
      // output_path), plus entry_points and overrides.
      {"pex_binaries",
       {"check",
        "complete_platforms",
        "dependencies",
        "description",
        "emit_warnings",
        "entry_points",
        "environment",
        "execution_mode",
        "extra_build_args",
        "ignore_errors",
        "include_requirements",
        "include_sources",
        "include_tools",
        "inherit_path",
        "interpreter_constraints",
        "layout",
        "overrides",
        "resolve",
        "restartable",
        "sh_boot",
        "shebang",
        "strip_pex_env",
        "tags",
        "venv_hermetic_scripts",
        "venv_site_packages_copies",
        "platforms",
        "resolve_local_platforms"}},
      {"resources", {"sources", "dependencies", "description", "overrides", "tags"}},
      {"resource", {"source", "dependencies", "description", "tags"}},
      {"files", {"sources", "dependencies", "description", "overrides", "tags"}},
      {"file", {"source", "dependencies", "description", "tags"}},
      {"target", {"dependencies", "description", "tags"}},
      {"_generator_sources_helper", {"source", "description", "tags"}},
  };
  std::vector<std::string> aliases;
  for (const auto& [alias, fields] : expected) {
    aliases.push_back(alias);
    EXPECT_EQ(Type(alias).FieldNames(), Sorted(fields)) << alias;
    EXPECT_FALSE(Type(alias).help.empty()) << alias;
    for (const graph::FieldSpec& f : Type(alias).fields) {
      EXPECT_FALSE(f.help.empty()) << alias << "." << f.name;
      // Invariant of FieldSpec: defaults are already normalised and valid.
      absl::StatusOr<Value> checked = graph::CheckFieldValue(f, f.default_value);
      if (!f.required) {
        EXPECT_TRUE(checked.ok()) << alias << "." << f.name << ": " << checked.status();
      }
    }
  }
  EXPECT_EQ(registry_.Aliases(), Sorted(aliases));
  ASSERT_EQ(registry_.object_symbols().count("python_artifact"), 1u);
  EXPECT_FALSE(registry_.object_symbols().at("python_artifact").empty());
}

TEST_F(PythonTargetTypes, Generators) {
  EXPECT_EQ(Type("python_sources").generated_alias, "python_source");
  EXPECT_EQ(Type("python_tests").generated_alias, "python_test");
  EXPECT_EQ(Type("python_test_utils").generated_alias, "python_source");
  EXPECT_EQ(Type("resources").generated_alias, "resource");
  EXPECT_EQ(Type("files").generated_alias, "file");
  EXPECT_TRUE(Type("python_requirements").custom_generator != nullptr);
  EXPECT_EQ(Type("python_requirements").custom_generated_alias, "python_requirement");
  EXPECT_FALSE(Type("python_requirements").is_file_generator());
  for (const char* plain : {"python_source", "python_test", "python_requirement", "pex_binary",
                            "python_distribution", "resource", "file", "target"}) {
    EXPECT_FALSE(Type(plain).is_generator()) << plain;
  }
}

TEST_F(PythonTargetTypes, SourcesDefaults) {
  EXPECT_EQ(FieldOf("python_sources", "sources").default_value.Repr(),
            "['*.py', '*.pyi', '!test_*.py', '!*_test.py', '!tests.py', '!conftest.py', "
            "'!test_*.pyi', '!*_test.pyi', '!tests.pyi']");
  EXPECT_EQ(FieldOf("python_tests", "sources").default_value.Repr(),
            "['test_*.py', '*_test.py', 'tests.py']");
  EXPECT_EQ(FieldOf("python_test_utils", "sources").default_value.Repr(),
            "['conftest.py', 'test_*.pyi', '*_test.pyi', 'tests.pyi']");
  EXPECT_TRUE(FieldOf("resources", "sources").required);
  EXPECT_TRUE(FieldOf("files", "sources").required);
  EXPECT_EQ(FieldOf("python_sources", "sources").type, FieldType::kSources);
  EXPECT_EQ(FieldOf("python_sources", "overrides").type, FieldType::kOverrides);
  EXPECT_EQ(FieldOf("python_sources", "dependencies").type, FieldType::kDependencies);
  for (const char* single : {"python_source", "python_test", "resource", "file"}) {
    EXPECT_EQ(FieldOf(single, "source").type, FieldType::kSource) << single;
    EXPECT_TRUE(FieldOf(single, "source").required) << single;
  }
}

TEST_F(PythonTargetTypes, ImportantDefaults) {
  EXPECT_EQ(FieldOf("python_requirements", "source").default_value.Repr(), "'requirements.txt'");
  EXPECT_FALSE(FieldOf("python_requirements", "source").required);
  EXPECT_EQ(FieldOf("python_requirements", "module_mapping").default_value.Repr(), "{}");
  EXPECT_EQ(FieldOf("python_requirements", "module_mapping").type, FieldType::kDict);
  EXPECT_TRUE(FieldOf("python_requirement", "requirements").required);
  EXPECT_EQ(FieldOf("python_requirement", "requirements").type, FieldType::kStringList);
  EXPECT_TRUE(FieldOf("python_distribution", "provides").required);
  EXPECT_EQ(FieldOf("python_distribution", "provides").type, FieldType::kAny);
  EXPECT_EQ(FieldOf("python_distribution", "entry_points").type, FieldType::kDict);
  EXPECT_EQ(FieldOf("python_distribution", "output_path").default_value.Repr(), "''");
  EXPECT_EQ(FieldOf("python_distribution", "wheel").default_value.Repr(), "True");
  EXPECT_EQ(FieldOf("python_test", "timeout").type, FieldType::kInt);
  EXPECT_TRUE(FieldOf("python_test", "timeout").default_value.is_none());
  EXPECT_EQ(FieldOf("python_test", "environment").default_value.Repr(), "'__local__'");
  EXPECT_EQ(FieldOf("python_tests", "skip_tests").default_value.Repr(), "False");
  EXPECT_EQ(FieldOf("python_source", "restartable").default_value.Repr(), "False");
  EXPECT_TRUE(FieldOf("python_source", "run_goal_use_sandbox").default_value.is_none());

  EXPECT_EQ(FieldOf("pex_binary", "layout").type, FieldType::kEnum);
  EXPECT_EQ(FieldOf("pex_binary", "layout").choices,
            (std::vector<std::string>{"loose", "packed", "zipapp"}));
  EXPECT_EQ(FieldOf("pex_binary", "layout").default_value.Repr(), "'zipapp'");
  EXPECT_EQ(FieldOf("pex_binary", "execution_mode").choices,
            (std::vector<std::string>{"venv", "zipapp"}));
  EXPECT_EQ(FieldOf("pex_binary", "execution_mode").default_value.Repr(), "'zipapp'");
  EXPECT_EQ(FieldOf("pex_binary", "inherit_path").choices,
            (std::vector<std::string>{"fallback", "false", "prefer"}));
  EXPECT_TRUE(FieldOf("pex_binary", "inherit_path").default_value.is_none());
  EXPECT_EQ(FieldOf("pex_binary", "check").default_value.Repr(), "'warn'");
  EXPECT_EQ(FieldOf("pex_binary", "env").type, FieldType::kDict);
  EXPECT_EQ(FieldOf("pex_binary", "strip_pex_env").default_value.Repr(), "True");
  EXPECT_EQ(FieldOf("pex_binary", "extra_build_args").default_value.Repr(), "[]");
  EXPECT_EQ(FieldOf("pex_binary", "output_path").default_value.Repr(),
            "'${spec_path_normalized}/${target_name_normalized}${file_suffix}'");
}

TEST_F(PythonTargetTypes, EnumFieldRejectsUnknownChoice) {
  absl::StatusOr<Value> v =
      graph::CheckFieldValue(FieldOf("pex_binary", "layout"), Value::String("zip"));
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().message(), "must be one of loose, packed, zipapp; got 'zip'");
}

// ---------------------------------------------------------------------------
// python_requirements generation.
// ---------------------------------------------------------------------------

class FakeContext : public graph::GeneratorContext {
 public:
  std::map<std::string, std::string> files;
  mutable std::vector<std::string> reads;
  absl::StatusOr<std::string> ReadFile(const std::string& path) const override {
    reads.push_back(path);
    auto it = files.find(path);
    if (it == files.end()) return absl::NotFoundError(absl::StrCat(path, ": not found"));
    return it->second;
  }
};

class PythonRequirementsGenerator : public PythonTargetTypes {
 protected:
  // A python_requirements target in 3rdparty/python/BUILD with `fields` set
  // and every other field at its default (as the graph would build it).
  Target Generator(std::vector<std::pair<std::string, Value>> fields = {}) {
    Target t;
    t.address = Address("3rdparty/python", "reqs");
    t.InitFields(&Type("python_requirements"));
    for (auto& [name, value] : fields) EXPECT_TRUE(t.SetField(name, value)) << name;
    t.location = Location{"3rdparty/python/BUILD", 1, 1, "python_requirements(name=\"reqs\")"};
    return t;
  }

  // The requirement targets, after checking and dropping the file-owning
  // helper target that always comes first.
  absl::StatusOr<std::vector<GeneratedTargetSpec>> Generate(const Target& t) {
    absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
        Type("python_requirements").custom_generator(ctx_, t);
    if (!out.ok()) return out;
    EXPECT_FALSE(out->empty());
    if (out->empty()) return out;
    EXPECT_EQ(out->front().alias, kGeneratorSourcesHelperAlias);
    helper_ = out->front();
    out->erase(out->begin());
    for (GeneratedTargetSpec& spec : *out) {
      // Every requirement depends on the helper; strip that edge so the field
      // checks below see only what the user wrote.
      for (auto it = spec.fields.begin(); it != spec.fields.end(); ++it) {
        if (it->first != "dependencies") continue;
        std::vector<Value> items = it->second.items();
        EXPECT_FALSE(items.empty());
        if (!items.empty()) {
          EXPECT_EQ(items.back().string_value(),
                    t.address.WithRelativeFilePath(helper_.fields[0].second.string_value()).Spec());
          items.pop_back();
        }
        if (items.empty()) {
          spec.fields.erase(it);
        } else {
          it->second = Value::List(std::move(items));
        }
        break;
      }
    }
    return out;
  }

  GeneratedTargetSpec helper_;

  FakeContext ctx_;
};

std::map<std::string, std::string> FieldReprs(const GeneratedTargetSpec& spec) {
  std::map<std::string, std::string> out;
  for (const auto& [name, value] : spec.fields) out[name] = value.Repr();
  return out;
}

std::vector<std::string> Names(const std::vector<GeneratedTargetSpec>& specs) {
  std::vector<std::string> out;
  for (const GeneratedTargetSpec& s : specs) out.push_back(s.generated_name);
  return out;
}

Value Strings(std::vector<std::string> items) {
  std::vector<Value> out;
  for (std::string& s : items) out.push_back(Value::String(std::move(s)));
  return Value::List(std::move(out));
}

TEST_F(PythonRequirementsGenerator, HelperTargetOwnsTheRequirementsFile) {
  ctx_.files["3rdparty/python/requirements.txt"] = "requests\n";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Type("python_requirements").custom_generator(ctx_, Generator());
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ((*out)[0].alias, "_generator_sources_helper");
  EXPECT_EQ((*out)[0].file, "3rdparty/python/requirements.txt");
  EXPECT_EQ(FieldReprs((*out)[1])["dependencies"],
            "['3rdparty/python/requirements.txt:reqs']");
}

TEST_F(PythonRequirementsGenerator, OneTargetPerProjectNamedAsPantsDoes) {
  ctx_.files["3rdparty/python/requirements.txt"] =
      "PyYAML==6.0\n"
      "zope_interface>=5\n"
      "foo>=1.2,<1.3 ; python_version>'3.6'\n"
      "# comment\n"
      "foo==0.9 ; python_version<'3'\n";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out = Generate(Generator());
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(ctx_.reads, (std::vector<std::string>{"3rdparty/python/requirements.txt"}));
  EXPECT_EQ(Names(*out), (std::vector<std::string>{"PyYAML", "zope-interface", "foo"}));
  for (const GeneratedTargetSpec& s : *out) EXPECT_EQ(s.file, "");
  EXPECT_EQ(FieldReprs((*out)[0]),
            (std::map<std::string, std::string>{{"requirements", "['PyYAML==6.0']"}}));
  EXPECT_EQ(
      FieldReprs((*out)[2]),
      (std::map<std::string, std::string>{
          {"requirements",
           "[\"foo>=1.2,<1.3 ; python_version>'3.6'\", \"foo==0.9 ; python_version<'3'\"]"}}));
}

TEST_F(PythonRequirementsGenerator, CopiesTagsDescriptionAndResolve) {
  ctx_.files["3rdparty/python/requirements.txt"] = "requests\n";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Generate(Generator({{"tags", Strings({"third_party"})},
                          {"description", Value::String("pinned deps")},
                          {"resolve", Value::String("py311")}}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 1u);
  EXPECT_EQ(FieldReprs((*out)[0]),
            (std::map<std::string, std::string>{{"requirements", "['requests']"},
                                                {"tags", "['third_party']"},
                                                {"description", "'pinned deps'"},
                                                {"resolve", "'py311'"}}));
}

TEST_F(PythonRequirementsGenerator, ModuleMappingsUseCanonicalNames) {
  ctx_.files["3rdparty/python/requirements.txt"] = "Ansi_Colors==1.1\ntypes-requests\nsix\n";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out = Generate(Generator(
      {{"module_mapping", Value::Dict({{Value::String("ansi-colors"), Strings({"colors"})}})},
       {"type_stubs_module_mapping", Value::Dict({{Value::String("TYPES_requests"),
                                                   Value::Tuple({Value::String("requests")})}})}}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ(FieldReprs((*out)[0]),
            (std::map<std::string, std::string>{{"requirements", "['Ansi_Colors==1.1']"},
                                                {"modules", "['colors']"}}));
  EXPECT_EQ((*out)[0].generated_name, "Ansi-Colors");
  EXPECT_EQ(FieldReprs((*out)[1]),
            (std::map<std::string, std::string>{{"requirements", "['types-requests']"},
                                                {"type_stub_modules", "['requests']"}}));
  EXPECT_EQ(FieldReprs((*out)[2]),
            (std::map<std::string, std::string>{{"requirements", "['six']"}}));
}

TEST_F(PythonRequirementsGenerator, OverridesByProjectAndTuple) {
  ctx_.files["3rdparty/python/requirements.txt"] = "Django==4.2\nansicolors\n";
  Value overrides = Value::Dict({
      {Value::String("django"),
       Value::Dict({{Value::String("dependencies"), Strings({"#setuptools"})}})},
      {Value::Tuple({Value::String("ANSIcolors"), Value::String("Django")}),
       Value::Dict({{Value::String("tags"), Strings({"overridden"})}})},
  });
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Generate(Generator({{"tags", Strings({"base"})}, {"overrides", overrides}}));
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 2u);
  EXPECT_EQ(FieldReprs((*out)[0]),
            (std::map<std::string, std::string>{{"requirements", "['Django==4.2']"},
                                                {"tags", "['overridden']"},
                                                {"dependencies", "['#setuptools']"}}));
  EXPECT_EQ(FieldReprs((*out)[1]),
            (std::map<std::string, std::string>{{"requirements", "['ansicolors']"},
                                                {"tags", "['overridden']"}}));
}

TEST_F(PythonRequirementsGenerator, UnusedOverrideKeyIsAnError) {
  ctx_.files["3rdparty/python/requirements.txt"] = "Django==4.2\n";
  Value overrides = Value::Dict(
      {{Value::String("Djangoo"), Value::Dict({{Value::String("tags"), Strings({"x"})}})},
       {Value::String("a_b"), Value::Dict({{Value::String("tags"), Strings({"y"})}})}});
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Generate(Generator({{"overrides", overrides}}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(out.status().message()),
            "3rdparty/python/BUILD:1:1: unused key in the `overrides` field of "
            "python_requirements: ['a-b', 'djangoo']\n"
            "    python_requirements(name=\"reqs\")\n"
            "    ^\n"
            "  hint: keys must name projects listed in 3rdparty/python/requirements.txt "
            "(compared case-insensitively, with -, _ and . equal)");
}

TEST_F(PythonRequirementsGenerator, SameFieldOverriddenTwiceIsAnError) {
  ctx_.files["3rdparty/python/requirements.txt"] = "Django==4.2\n";
  Value overrides = Value::Dict({
      {Value::String("django"), Value::Dict({{Value::String("tags"), Strings({"a"})}})},
      {Value::Tuple({Value::String("Django")}),
       Value::Dict({{Value::String("tags"), Strings({"b"})}})},
  });
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Generate(Generator({{"overrides", overrides}}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(std::string(out.status().message()),
            "3rdparty/python/BUILD:1:1: the field `tags` is overridden more than once for "
            "'Django' in `overrides`\n"
            "    python_requirements(name=\"reqs\")\n"
            "    ^\n"
            "  hint: each field may be overridden only once per requirement");
}

TEST_F(PythonRequirementsGenerator, BadModuleMappingValue) {
  ctx_.files["3rdparty/python/requirements.txt"] = "six\n";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out = Generate(
      Generator({{"module_mapping", Value::Dict({{Value::String("six"), Value::String("six")}})}}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(std::string(out.status().message()),
            "3rdparty/python/BUILD:1:1: `module_mapping['six']` must be a list of module "
            "names, got 'six'\n"
            "    python_requirements(name=\"reqs\")\n"
            "    ^");
}

TEST_F(PythonRequirementsGenerator, CustomSourceAndMissingFile) {
  ctx_.files["3rdparty/python/reqs/dev.txt"] = "pytest\n";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Generate(Generator({{"source", Value::String("reqs/dev.txt")}}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(Names(*out), (std::vector<std::string>{"pytest"}));

  out = Generate(Generator({{"source", Value::String("missing.txt")}}));
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(out.status().message()),
            "3rdparty/python/BUILD:1:1: the `source` file '3rdparty/python/missing.txt' of "
            "python_requirements does not exist\n"
            "    python_requirements(name=\"reqs\")\n"
            "    ^\n"
            "  hint: set `source` to the requirements file, relative to the BUILD file's "
            "directory");
}

TEST_F(PythonRequirementsGenerator, InvalidLineErrorPointsIntoTheFile) {
  ctx_.files["3rdparty/python/requirements.txt"] = "ok\nfoo===\n";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out = Generate(Generator());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(std::string(out.status().message()),
            "3rdparty/python/requirements.txt:2: invalid requirement 'foo==='\n"
            "    foo===\n"
            "  hint: expected a version after '==='");
}

// Pants' poetry_requirements_test.py::test_pyproject_toml.
TEST_F(PythonRequirementsGenerator, PoetryGeneratorSharesMappingsAndOverrides) {
  ctx_.files["3rdparty/python/pyproject.toml"] =
      "[tool.poetry.dependencies]\n"
      "Django = {version = \"3.2\", python = \"3\"}\n"
      "Django-types = \"2\"\n"
      "Un-Normalized-PROJECT = \"1.0.0\"\n"
      "[tool.poetry.dev-dependencies]\n"
      "ansicolors = \">=1.18.0\"\n";
  Target t;
  t.address = Address("3rdparty/python", "poetry");
  t.InitFields(&Type("poetry_requirements"));
  ASSERT_TRUE(t.SetField("module_mapping", Value::Dict({{Value::String("ansiCOLORS"),
                                                         Strings({"colors"})}})));
  ASSERT_TRUE(t.SetField("type_stubs_module_mapping",
                         Value::Dict({{Value::String("Django-types"), Strings({"django"})}})));
  ASSERT_TRUE(t.SetField(
      "overrides",
      Value::Dict({{Value::String("Django"),
                    Value::Dict({{Value::String("dependencies"), Strings({"#Django-types"})}})}})));
  t.location = Location{"3rdparty/python/BUILD", 3, 1, ""};
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Type("poetry_requirements").custom_generator(ctx_, t);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 5u);
  EXPECT_EQ((*out)[0].file, "3rdparty/python/pyproject.toml");
  std::vector<GeneratedTargetSpec> reqs(out->begin() + 1, out->end());
  EXPECT_EQ(Names(reqs), (std::vector<std::string>{"Django", "Django-types",
                                                   "Un-Normalized-PROJECT", "ansicolors"}));
  EXPECT_EQ(FieldReprs(reqs[0]),
            (std::map<std::string, std::string>{
                {"requirements", "[\"Django ==3.2 ;(python_version == '3')\"]"},
                {"dependencies", "['#Django-types', '3rdparty/python/pyproject.toml:poetry']"}}));
  EXPECT_EQ(FieldReprs(reqs[1])["type_stub_modules"], "['django']");
  EXPECT_EQ(FieldReprs(reqs[3])["modules"], "['colors']");
  EXPECT_EQ(FieldReprs(reqs[3])["dependencies"], "['3rdparty/python/pyproject.toml:poetry']");
}

TEST_F(PythonRequirementsGenerator, PoetryErrorNamesFileAndGenerator) {
  ctx_.files["3rdparty/python/pyproject.toml"] = "[project]\nname = \"x\"\n";
  Target t;
  t.address = Address("3rdparty/python", "poetry");
  t.InitFields(&Type("poetry_requirements"));
  t.location = Location{"3rdparty/python/BUILD", 3, 1, ""};
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Type("poetry_requirements").custom_generator(ctx_, t);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), absl::StatusCode::kInvalidArgument);
  std::string msg(out.status().message());
  EXPECT_TRUE(absl::StartsWith(msg, "3rdparty/python/pyproject.toml: no section `tool.poetry`"))
      << msg;
  EXPECT_TRUE(absl::StrContains(
      msg, "(read by poetry_requirements 3rdparty/python:poetry at 3rdparty/python/BUILD:3:1)"))
      << msg;
}

TEST_F(PythonRequirementsGenerator, PipenvGeneratorReadsPipfileLock) {
  ctx_.files["3rdparty/python/Pipfile.lock"] =
      "{\"default\": {\"ansicolors\": {\"version\": \">=1.18.0\"}},\n"
      " \"develop\": {\"cachetools\": {\"version\": \"==4.1.1\", \"extras\": [\"ring\"]}}}\n";
  Target t;
  t.address = Address("3rdparty/python", "pipenv");
  t.InitFields(&Type("pipenv_requirements"));
  ASSERT_TRUE(t.SetField("module_mapping", Value::Dict({{Value::String("ansicolors"),
                                                         Strings({"colors"})}})));
  t.location = Location{"3rdparty/python/BUILD", 5, 1, ""};
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out =
      Type("pipenv_requirements").custom_generator(ctx_, t);
  ASSERT_TRUE(out.ok()) << out.status();
  ASSERT_EQ(out->size(), 3u);
  EXPECT_EQ((*out)[0].file, "3rdparty/python/Pipfile.lock");
  EXPECT_EQ((*out)[1].generated_name, "ansicolors");
  EXPECT_EQ(FieldReprs((*out)[1])["modules"], "['colors']");
  EXPECT_EQ(FieldReprs((*out)[2])["requirements"], "['cachetools[ring]==4.1.1']");
  EXPECT_EQ(FieldReprs((*out)[2])["dependencies"], "['3rdparty/python/Pipfile.lock:pipenv']");
}

TEST_F(PythonRequirementsGenerator, PyprojectOptionalGroupsBecomeTags) {
  ctx_.files["3rdparty/python/pyproject.toml"] = R"([project]
name = "demo"
dependencies = ["requests>=2"]
[project.optional-dependencies]
test = ["pytest", "Requests[socks]"]
)";
  absl::StatusOr<std::vector<GeneratedTargetSpec>> out = Generate(
      Generator({{"source", Value::String("pyproject.toml")}, {"tags", Strings({"base"})}}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(Names(*out), (std::vector<std::string>{"requests", "pytest", "Requests"}));
  // As in Pants the group tag arrives through `overrides`, keyed by the
  // canonical name, so it also reaches "requests" and replaces the copied tags.
  EXPECT_EQ(FieldReprs((*out)[0]), (std::map<std::string, std::string>{
                                       {"requirements", "['requests>=2']"}, {"tags", "['test']"}}));
  EXPECT_EQ(FieldReprs((*out)[1]), (std::map<std::string, std::string>{
                                       {"requirements", "['pytest']"}, {"tags", "['test']"}}));
}

}  // namespace
}  // namespace braid::python
