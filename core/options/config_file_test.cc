#include "core/options/config_file.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace braid::options {
namespace {

const std::map<std::string, std::string> kSeeds = {{"buildroot", "/repo"}, {"homedir", "/home/u"}};

TEST(ConfigFile, SectionsEntriesAndLines) {
  std::string text =
      "[GLOBAL]\n"
      "pants_version = \"2.21.0\"\n"
      "backend_packages = [\"a\", \"b\"]\n"
      "\n"
      "[python.resolves]\n"
      "python-default = \"3rdparty/python/default.lock\"\n"
      "[source]\n"
      "root_patterns.add = [\"/src\"]\n";
  absl::StatusOr<ConfigFile> f = ParseConfigFile("pants.toml", text, kSeeds, {});
  ASSERT_TRUE(f.ok()) << f.status();
  ASSERT_EQ(f->sections.size(), 3u);
  EXPECT_EQ(f->sections[0].name, "GLOBAL");
  EXPECT_EQ(f->sections[0].location.line, 1);
  const ConfigEntry* v = f->sections[0].Find("backend_packages");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->location.ToString(), "pants.toml:3");
  EXPECT_EQ(v->location.source_line, "backend_packages = [\"a\", \"b\"]");
  EXPECT_EQ(v->value.ToPython(), "['a', 'b']");
  const ConfigEntry* resolves = f->Find("python")->Find("resolves");
  ASSERT_NE(resolves, nullptr);
  EXPECT_TRUE(resolves->is_table);
  EXPECT_EQ(resolves->value.ToPython(), "{'python-default': '3rdparty/python/default.lock'}");
  const ConfigEntry* roots = f->Find("source")->Find("root_patterns");
  ASSERT_NE(roots, nullptr);
  EXPECT_EQ(roots->value.ToPython(), "{'add': ['/src']}");
  EXPECT_EQ(roots->location.line, 8);
}

TEST(ConfigFile, TomlSyntaxErrorIsLocated) {
  absl::StatusOr<ConfigFile> f =
      ParseConfigFile("pants.toml", "[GLOBAL]\nlevel = \"debug\npants_version = 1\n", kSeeds, {});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(f.status().message(), "pants.toml:2:")) << f.status().message();
  EXPECT_NE(f.status().message().find("\n    level = \"debug\n"), absl::string_view::npos)
      << f.status().message();
}

TEST(ConfigFile, TomlSyntaxErrorExactText) {
  absl::StatusOr<ConfigFile> f = ParseConfigFile("pants.toml", "[GLOBAL]\nlevel = = 1\n", kSeeds, {});
  ASSERT_FALSE(f.ok());
  // toml++'s own description, located at line:col, then the line and a caret.
  EXPECT_EQ(std::string(f.status().message()),
            "pants.toml:2:9: Error while parsing value: could not determine value type\n"
            "    level = = 1\n"
            "            ^");
}

TEST(ConfigFile, Interpolation) {
  std::string text =
      "[DEFAULT]\n"
      "shared = \"%(buildroot)s/shared\"\n"
      "[python-repos]\n"
      "base = \"http://%(env.PY_REPO)s\"\n"
      "indexes.add = [\"%(base)s/simple\", \"%(homedir)s/wheels\", \"%(shared)s\"]\n"
      "literal = \"100%(not closed\"\n";
  absl::StatusOr<ConfigFile> f =
      ParseConfigFile("pants.toml", text, kSeeds, {{"PY_REPO", "repo.example"}});
  ASSERT_TRUE(f.ok()) << f.status();
  const ConfigSection* s = f->Find("python-repos");
  EXPECT_EQ(s->Find("indexes")->value.ToPython(),
            "{'add': ['http://repo.example/simple', '/home/u/wheels', '/repo/shared']}");
  EXPECT_EQ(s->Find("literal")->value.string(), "100%(not closed");
}

TEST(ConfigFile, MissingEnvInterpolationIsLocated) {
  std::string text =
      "[python-repos]\n"
      "indexes.add = [\"http://%(env.PY_REPO)s@my.custom.repo/index\"]\n";
  absl::StatusOr<ConfigFile> f = ParseConfigFile("pants.toml", text, kSeeds, {});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "pants.toml:2: cannot interpolate '%(env.PY_REPO)s' in [python-repos] indexes: "
            "environment variable PY_REPO is not set\n"
            "    indexes.add = [\"http://%(env.PY_REPO)s@my.custom.repo/index\"]");
}

TEST(ConfigFile, UnknownInterpolationAndLoop) {
  absl::StatusOr<ConfigFile> f =
      ParseConfigFile("pants.toml", "[test]\nx = \"%(nope)s\"\n", kSeeds, {});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "pants.toml:2: cannot interpolate '%(nope)s' in [test] x: no such value (known: "
            "buildroot, homedir, x, env.NAME)\n    x = \"%(nope)s\"");
  absl::StatusOr<ConfigFile> loop =
      ParseConfigFile("pants.toml", "[test]\na = \"%(b)s\"\nb = \"%(a)s\"\n", kSeeds, {});
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.status().message().find("does not terminate"), absl::string_view::npos);
}

TEST(ConfigFile, TopLevelKeyMustBeSection) {
  absl::StatusOr<ConfigFile> f = ParseConfigFile("pants.toml", "level = \"debug\"\n", kSeeds, {});
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().message(),
            "pants.toml:1: 'level' must be a [section] (a table), not a string\n"
            "    level = \"debug\"\n"
            "  hint: put options under a section such as [GLOBAL]");
}

}  // namespace
}  // namespace braid::options
