#include "core/options/options.h"

#include "core/options/options_test_util.h"
#include "absl/strings/match.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace braid::options {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using options_testing::Fixture;

std::vector<std::string> IgnoredWarnings(const Options& o) {
  std::vector<std::string> out;
  for (const Options::IgnoredSetting& s : o.ignored_pants_settings()) out.push_back(s.warning);
  return out;
}

std::string Src(const Options& o, absl::string_view scope, absl::string_view name) {
  return o.SourceOf(scope, name).ToString();
}

std::string Error(const absl::StatusOr<Options>& o) {
  EXPECT_FALSE(o.ok());
  return o.ok() ? "" : std::string(o.status().message());
}

TEST(Options, Defaults) {
  Fixture f;
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->GetStringList("GLOBAL", "build_patterns"), ElementsAre("BUILD", "BUILD.*"));
  EXPECT_THAT(o->GetStringList("GLOBAL", "pants_ignore"),
              ElementsAre(".*/", "/dist/", "__pycache__", "!.semgrep/"));
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "info");
  EXPECT_EQ(o->GetString("GLOBAL", "unmatched_cli_globs"), "error");
  EXPECT_EQ(o->GetString("GLOBAL", "unmatched_build_file_globs"), "warn");
  EXPECT_TRUE(o->GetBool("GLOBAL", "pants_ignore_use_gitignore"));
  EXPECT_EQ(o->GetOptionalInt("test", "timeout_default"), std::nullopt);
  EXPECT_EQ(o->GetOptionalString("GLOBAL", "pants_version"), std::nullopt);
  EXPECT_EQ(Src(*o, "GLOBAL", "level"), "default");
  EXPECT_TRUE(o->config_files().empty()) << "a missing default pants.toml is fine";
  EXPECT_TRUE(o->warnings().empty());
}

// One option of each type set in config, env and flag: the flag wins, then env, then config.
TEST(Options, PrecedenceFlagOverEnvOverConfigForEveryType) {
  Fixture f;
  f.Write("pants.toml",
          "[GLOBAL]\n"
          "level = \"warn\"\n"
          "pants_version = \"2.20.0\"\n"
          "[test]\n"
          "force = true\n"
          "timeout_default = 60\n"
          "timeout_ratio = 2\n"
          "extra_env_vars = [\"A\"]\n"
          "[python]\n"
          "resolves = { a = \"a.lock\" }\n");
  {
    absl::StatusOr<Options> o = f.Parse({});
    ASSERT_TRUE(o.ok()) << o.status();
    EXPECT_EQ(o->GetString("GLOBAL", "level"), "warn");
    EXPECT_EQ(Src(*o, "GLOBAL", "level"), "pants.toml:2");
    EXPECT_EQ(o->GetString("GLOBAL", "pants_version"), "2.20.0");
    EXPECT_TRUE(o->GetBool("test", "force"));
    EXPECT_EQ(o->GetInt("test", "timeout_default"), 60);
    EXPECT_EQ(o->GetFloat("test", "timeout_ratio"), 2.0);
    EXPECT_THAT(o->GetStringList("test", "extra_env_vars"), ElementsAre("A"));
    EXPECT_EQ(o->Get("python", "resolves").ToPython(), "{'a': 'a.lock'}");
    EXPECT_EQ(Src(*o, "python", "resolves"), "pants.toml:10");
    EXPECT_THAT(o->config_files(), ElementsAre("pants.toml"));
  }
  f.env = {{"PANTS_LEVEL", "error"},
           {"PANTS_PANTS_VERSION", "2.21.0"},
           {"PANTS_TEST_FORCE", "false"},
           {"PANTS_TEST_TIMEOUT_DEFAULT", "30"},
           {"PANTS_TEST_TIMEOUT_RATIO", "3.5"},
           {"PANTS_TEST_EXTRA_ENV_VARS", "['B']"},
           {"PANTS_PYTHON_RESOLVES", "{'b': 'b.lock'}"}};
  {
    absl::StatusOr<Options> o = f.Parse({});
    ASSERT_TRUE(o.ok()) << o.status();
    EXPECT_EQ(o->GetString("GLOBAL", "level"), "error");
    EXPECT_EQ(Src(*o, "GLOBAL", "level"), "env var PANTS_LEVEL");
    EXPECT_EQ(o->GetString("GLOBAL", "pants_version"), "2.21.0");
    EXPECT_FALSE(o->GetBool("test", "force"));
    EXPECT_EQ(o->GetInt("test", "timeout_default"), 30);
    EXPECT_EQ(o->GetFloat("test", "timeout_ratio"), 3.5);
    EXPECT_THAT(o->GetStringList("test", "extra_env_vars"), ElementsAre("B"));
    EXPECT_EQ(o->Get("python", "resolves").ToPython(), "{'b': 'b.lock'}");
    EXPECT_EQ(Src(*o, "test", "timeout_default"), "env var PANTS_TEST_TIMEOUT_DEFAULT");
  }
  {
    absl::StatusOr<Options> o =
        f.Parse({"--level=debug", "--pants-version=2.22.0", "--test-force",
                 "--test-timeout-default=10", "--test-timeout-ratio=0.5",
                 "--test-extra-env-vars=['C']", "--python-resolves={'c': 'c.lock'}"});
    ASSERT_TRUE(o.ok()) << o.status();
    EXPECT_EQ(o->GetString("GLOBAL", "level"), "debug");
    EXPECT_EQ(Src(*o, "GLOBAL", "level"), "flag --level");
    EXPECT_EQ(o->GetString("GLOBAL", "pants_version"), "2.22.0");
    EXPECT_TRUE(o->GetBool("test", "force"));
    EXPECT_EQ(o->GetInt("test", "timeout_default"), 10);
    EXPECT_EQ(o->GetFloat("test", "timeout_ratio"), 0.5);
    EXPECT_THAT(o->GetStringList("test", "extra_env_vars"), ElementsAre("C"));
    EXPECT_EQ(o->Get("python", "resolves").ToPython(), "{'c': 'c.lock'}");
    EXPECT_EQ(Src(*o, "python", "resolves"), "flag --python-resolves");
  }
}

TEST(Options, ListEditsAccumulateAcrossConfigEnvAndFlags) {
  Fixture f;
  f.Write("pants.toml",
          "[source]\n"
          "root_patterns.add = [\"/lib\"]\n"
          "root_patterns.remove = [\"src\"]\n"
          "[test]\n"
          "extra_env_vars = \"+['A', 'B'],-['X']\"\n");
  f.env = {{"PANTS_SOURCE_ROOT_PATTERNS", "+['/env']"}, {"PANTS_TEST_EXTRA_ENV_VARS", "C"}};
  absl::StatusOr<Options> o =
      f.Parse({"--source-root-patterns=-['/']", "--source-root-patterns=/flag",
               "--test-extra-env-vars=-['A']"});
  ASSERT_TRUE(o.ok()) << o.status();
  // default ["/", "src", "src/python"] -> +/lib -src -> +/env -> -/ -> +/flag
  EXPECT_THAT(o->GetStringList("source", "root_patterns"),
              ElementsAre("src/python", "/lib", "/env", "/flag"));
  EXPECT_THAT(o->GetStringList("test", "extra_env_vars"), ElementsAre("B", "C"));
  const ResolvedOption* r = o->Find("source", "root_patterns");
  ASSERT_NE(r, nullptr);
  std::vector<std::string> sources;
  for (const ValueSource& s : r->sources) sources.push_back(s.ToString());
  EXPECT_THAT(sources, ElementsAre("default", "pants.toml:2", "env var PANTS_SOURCE_ROOT_PATTERNS",
                                   "flag --source-root-patterns"));
}

TEST(Options, RepeatedListFlagsAppendAndBracketsReplace) {
  Fixture f;
  f.Write("pants.toml", "[GLOBAL]\ntag = [\"cfg\"]\n");
  absl::StatusOr<Options> o = f.Parse({"--tag=a,b", "--tag=-integration", "lint", "::"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->GetStringList("GLOBAL", "tag"), ElementsAre("cfg", "a,b", "-integration"));
  o = f.Parse({"--tag=['x']", "--tag=y"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->GetStringList("GLOBAL", "tag"), ElementsAre("x", "y"));
}

TEST(Options, DictMerges) {
  Fixture f;
  f.Write("pants.toml",
          "[python.resolves]\n"
          "a = \"a.lock\"\n"
          "b = \"b.lock\"\n");
  f.env = {{"PANTS_PYTHON_RESOLVES", "+{'b': 'b2.lock', 'c': 'c.lock'}"}};
  absl::StatusOr<Options> o = f.Parse({"--python-resolves=+{'d': 'd.lock'}"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->Get("python", "resolves").ToPython(),
            "{'a': 'a.lock', 'b': 'b2.lock', 'c': 'c.lock', 'd': 'd.lock'}");
  // `resolves.add = {..}` in TOML merges into the default; a plain table replaces it.
  Fixture g;
  g.Write("pants.toml", "[python]\nresolves.add = { extra = \"e.lock\" }\n");
  o = g.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->Get("python", "resolves").ToPython(),
            "{'python-default': '3rdparty/python/default.lock', 'extra': 'e.lock'}");
  g.Write("pants.toml", "[python]\nresolves = \"+{'s': 's.lock'}\"\n");
  o = g.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->GetDict("python", "resolves").size(), 2u);
}

TEST(Options, EnvVarNames) {
  Fixture f;
  f.env = {{"PANTS_PYTHON_INFER_IMPORTS", "false"}, {"PANTS_GLOBAL_COLORS", "true"}};
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->GetBool("python-infer", "imports"));
  EXPECT_TRUE(o->GetBool("GLOBAL", "colors"));
  EXPECT_EQ(Src(*o, "GLOBAL", "colors"), "env var PANTS_GLOBAL_COLORS");
  const OptionInfo* info = f.registry.Find("python-infer", "imports");
  EXPECT_EQ(info->EnvVar(), "PANTS_PYTHON_INFER_IMPORTS");
  EXPECT_EQ(info->Flag(), "--python-infer-imports");
  EXPECT_EQ(info->ConfigKey(), "[python-infer].imports");
  EXPECT_EQ(f.registry.Find("GLOBAL", "local_store_dir")->EnvVar(), "PANTS_LOCAL_STORE_DIR");
}

TEST(Options, ScopelessFlagsAfterAGoalApplyToThatGoal) {
  Fixture f;
  absl::StatusOr<Options> o =
      f.Parse({"lint", "--skip-formatters", "test", "--force", "--timeout-default=5",
               "--level=debug", "src::"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->GetBool("lint", "skip_formatters"));
  EXPECT_TRUE(o->GetBool("test", "force"));
  EXPECT_EQ(o->GetInt("test", "timeout_default"), 5);
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "debug") << "global flags work anywhere";
  EXPECT_THAT(o->command().goals, ElementsAre("lint", "test"));
  EXPECT_THAT(o->command().specs, ElementsAre("src::"));
  // Before any goal, `--force` is not a test flag.
  EXPECT_EQ(Error(f.Parse({"--force", "test"})),
            "unknown flag --force\n  hint: did you mean '--test-force'? (a flag without a scope "
            "applies to the goal before it)");
}

TEST(Options, NegatedBoolsAndExplicitValues) {
  Fixture f;
  f.Write("pants.toml", "[test]\nforce = true\n[GLOBAL]\ncolors = true\n");
  absl::StatusOr<Options> o =
      f.Parse({"--no-colors", "--no-python-infer-imports", "test", "--no-force",
               "--debug=true"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_FALSE(o->GetBool("GLOBAL", "colors"));
  EXPECT_FALSE(o->GetBool("python-infer", "imports"));
  EXPECT_FALSE(o->GetBool("test", "force"));
  EXPECT_TRUE(o->GetBool("test", "debug"));
  EXPECT_EQ(Src(*o, "test", "force"), "flag --no-force");
  o = f.Parse({"--colors", "--no-colors=false"});  // rightmost wins
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->GetBool("GLOBAL", "colors"));
}

TEST(Options, ShortLevelFlag) {
  Fixture f;
  absl::StatusOr<Options> o = f.Parse({"-ldebug"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "debug");
  EXPECT_EQ(Src(*o, "GLOBAL", "level"), "flag -l");
  o = f.Parse({"test", "-l=trace"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "trace");
  EXPECT_EQ(Error(f.Parse({"-lloud"})),
            "invalid value for -l: expected one of trace, debug, info, warn, error; got 'loud'");
}

TEST(Options, PassthroughIsKept) {
  Fixture f;
  absl::StatusOr<Options> o = f.Parse({"test", "src/a_test.py", "--", "-k", "foo", "--force"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->command().passthrough, ElementsAre("-k", "foo", "--force"));
  EXPECT_FALSE(o->GetBool("test", "force")) << "flags after -- are passthrough, not options";
}

TEST(Options, PantsConfigFilesReplacesTheListLaterFilesWin) {
  Fixture f;
  f.Write("pants.toml", "[GLOBAL]\nlevel = \"warn\"\n");
  f.Write("a.toml", "[GLOBAL]\nlevel = \"debug\"\ntag = [\"a\"]\n");
  f.Write("b.toml", "[GLOBAL]\nlevel = \"error\"\ntag = \"+['b']\"\n");
  absl::StatusOr<Options> o = f.Parse({"--pants-config-files=['a.toml', 'b.toml']"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "error");
  EXPECT_EQ(Src(*o, "GLOBAL", "level"), "b.toml:2");
  EXPECT_THAT(o->GetStringList("GLOBAL", "tag"), ElementsAre("a", "b"));
  EXPECT_THAT(o->config_files(), ElementsAre("a.toml", "b.toml"));
  // `+[...]` keeps pants.toml first; the env var form works too.
  f.env = {{"PANTS_CONFIG_FILES", "+['a.toml']"}};
  o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->config_files(), ElementsAre("pants.toml", "a.toml"));
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "debug");
  // An explicitly named file must exist.
  f.env.clear();
  o = f.Parse({"--pants-config-files=missing.toml"});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(o.status().message(), "missing.toml: config file does not exist");
}

TEST(Options, PantsrcFilesOverridePantsToml) {
  Fixture f;
  f.Write("pants.toml", "[GLOBAL]\nlevel = \"warn\"\n");
  f.Write("/home/u/.pants.rc", "[GLOBAL]\nlevel = \"debug\"\n");
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "debug");
  EXPECT_THAT(o->config_files(), ElementsAre("pants.toml", "/home/u/.pants.rc"));
  f.Write("pants.toml", "[GLOBAL]\nlevel = \"warn\"\npantsrc = false\n");
  o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "warn");
}

TEST(Options, DefaultSectionIsAFallback) {
  Fixture f;
  f.Write("pants.toml",
          "[DEFAULT]\n"
          "force = true\n"
          "timeout_default = 7\n"
          "some_var = \"not an option anywhere\"\n"
          "[test]\n"
          "timeout_default = 9\n");
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->GetBool("test", "force"));
  EXPECT_EQ(Src(*o, "test", "force"), "pants.toml:2");
  EXPECT_EQ(o->GetInt("test", "timeout_default"), 9) << "the section beats [DEFAULT]";
  EXPECT_TRUE(o->warnings().empty());
}

TEST(Options, InterpolationInValues) {
  Fixture f;
  f.Write("pants.toml",
          "[GLOBAL]\n"
          "pants_workdir = \"%(buildroot)s/.wd\"\n"
          "local_store_dir = \"%(homedir)s/store\"\n"
          "pythonpath = [\"%(env.PLUGINS)s\"]\n");
  f.env = {{"PLUGINS", "/opt/plugins"}};
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->GetString("GLOBAL", "pants_workdir"), "/repo/.wd");
  EXPECT_EQ(o->GetString("GLOBAL", "local_store_dir"), "/home/u/store");
  EXPECT_THAT(o->GetStringList("GLOBAL", "pythonpath"), ElementsAre("/opt/plugins"));
  f.env.clear();
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:4: cannot interpolate '%(env.PLUGINS)s' in [GLOBAL] pythonpath: "
            "environment variable PLUGINS is not set\n"
            "    pythonpath = [\"%(env.PLUGINS)s\"]");
}

// ---- errors ----

TEST(OptionsErrors, TomlSyntax) {
  Fixture f;
  f.Write("pants.toml", "[GLOBAL]\nlevel = = 1\n");
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(o.status().message()),
            "pants.toml:2:9: Error while parsing value: could not determine value type\n"
            "    level = = 1\n"
            "            ^");
}

TEST(OptionsErrors, WrongTypeInConfig) {
  Fixture f;
  f.Write("pants.toml", "[test]\ntimeout_default = \"abc\"\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:2: option 'timeout_default' in [test] expects an integer, got string \"abc\"\n"
            "    timeout_default = \"abc\"");
  f.Write("pants.toml", "[GLOBAL]\nlevel = \"loud\"\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:2: option 'level' in [GLOBAL] expects one of trace, debug, info, warn, "
            "error, got string \"loud\"\n"
            "    level = \"loud\"");
  f.Write("pants.toml", "[GLOBAL]\nbuild_patterns = [\"BUILD\", 3]\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:2: option 'build_patterns' in [GLOBAL] expects a list of strings, got "
            "array [\"BUILD\", 3]\n"
            "    build_patterns = [\"BUILD\", 3]");
  f.Write("pants.toml", "[test]\nforce = 1\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:2: option 'force' in [test] expects a boolean, got integer 1\n"
            "    force = 1");
  f.Write("pants.toml", "[source]\nroot_patterns.ad = [\"x\"]\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:2: option 'root_patterns' in [source] expects a list, or a table with "
            "'add' and/or 'remove' lists, got table {\"ad\": [\"x\"]}\n"
            "    root_patterns.ad = [\"x\"]");
  f.Write("pants.toml", "[test]\nextra_env_vars = \"+['a'\"\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:2: option 'extra_env_vars' in [test]: expected ',' or ']' at column 6 but "
            "found end of text in \"+['a'\"\n"
            "    extra_env_vars = \"+['a'\"");
}

TEST(OptionsErrors, UnknownOptionInKnownScope) {
  Fixture f;
  f.Write("pants.toml", "[test]\n\ntimout_default = 5\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:3: unknown option 'timout_default' in [test]\n"
            "    timout_default = 5\n"
            "  hint: did you mean 'timeout_default'?");
}

TEST(OptionsErrors, UnknownSection) {
  Fixture f;
  f.Write("pants.toml", "[GLOBAL]\n[pytset]\nargs = []\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:2: unknown section [pytset]\n"
            "    [pytset]\n"
            "  hint: did you mean 'pytest'?");
  f.Write("pants.toml", "[tset]\n");
  EXPECT_EQ(Error(f.Parse({})),
            "pants.toml:1: unknown section [tset]\n    [tset]\n  hint: did you mean 'test'?");
}

TEST(OptionsErrors, UnknownSectionIsAWarningWhenPluginsAreConfigured) {
  // As in pantsbuild/example-python: Toolchain's plugin registers [toolchain-setup].
  Fixture f;
  f.Write("pants.toml",
          "[GLOBAL]\nplugins.add = [\"toolchain.pants.plugin==0.25.0\"]\n\n"
          "[toolchain-setup]\nrepo = \"x\"\n[buildsense]\nenable = false\n");
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(IgnoredWarnings(*o),
              ElementsAre("pants.toml:2: [GLOBAL].plugins is a Pants option braid does not "
                          "implement yet; it is ignored"));
  EXPECT_THAT(o->warnings(),
              ElementsAre("pants.toml:4: [toolchain-setup] is not a Pants subsystem braid knows; "
                          "it may belong to a plugin of [GLOBAL].plugins, which braid does not "
                          "load; its options are ignored",
                          "pants.toml:6: [buildsense] is not a Pants subsystem braid knows; it "
                          "may belong to a plugin of [GLOBAL].plugins, which braid does not load; "
                          "its options are ignored"));
  // In-repo plugins come from `pythonpath`.
  f.Write("pants.toml", "[GLOBAL]\npythonpath = [\"pants-plugins\"]\n[unowned-deps]\nx = 1\n");
  o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->warnings(), ElementsAre(HasSubstr("[unowned-deps] is not a Pants subsystem "
                                                   "braid knows; it may belong to a plugin of "
                                                   "[GLOBAL].pythonpath")));
  // A misspelt Pants scope stays an error only without plugins: [pytset] could be a plugin's.
  f.Write("pants.toml", "[GLOBAL]\n[pytset]\n");
  EXPECT_FALSE(f.Parse({}).ok());
}

TEST(OptionsErrors, BadCommandLineAndEnvValues) {
  Fixture f;
  EXPECT_EQ(Error(f.Parse({"--level=loud"})),
            "invalid value for --level: expected one of trace, debug, info, warn, error; got 'loud'");
  EXPECT_EQ(Error(f.Parse({"--test-timeout-default=abc"})),
            "invalid value for --test-timeout-default: expected an integer, got 'abc'");
  EXPECT_EQ(Error(f.Parse({"test", "--force=maybe"})),
            "invalid value for --force: expected true or false, got 'maybe'");
  EXPECT_EQ(Error(f.Parse({"--test-extra-env-vars=[1]"})),
            "invalid value for --test-extra-env-vars: expected a list of quoted strings, got [1] "
            "(item 1 is not a string)");
  EXPECT_EQ(Error(f.Parse({"--level"})),
            "flag --level needs a value: --level=<enum>\n"
            "  hint: values are attached with '=', as in Pants");
  f.env = {{"PANTS_TEST_TIMEOUT_DEFAULT", "soon"}};
  EXPECT_EQ(Error(f.Parse({})),
            "invalid value for PANTS_TEST_TIMEOUT_DEFAULT (environment variable): expected an "
            "integer, got 'soon'");
}

TEST(OptionsErrors, UnknownFlagAndGoal) {
  Fixture f;
  EXPECT_EQ(Error(f.Parse({"--test-forse"})),
            "unknown flag --test-forse\n  hint: did you mean '--test-force'?");
  EXPECT_EQ(Error(f.Parse({"test", "--forse"})),
            "unknown flag --forse\n  hint: did you mean '--force'?");
  EXPECT_EQ(Error(f.Parse({"tset", "::"})), "unknown goal 'tset'\n  hint: did you mean 'test'?");
  // A Pants goal braid lacks is named as such, not "corrected" to a near name (fmt -> test).
  std::string lint = Error(f.Parse({"fmt", "::"}));
  EXPECT_TRUE(absl::StartsWith(lint, "unknown goal 'fmt': Pants has it, braid does not (yet)\n"
                                     "  hint: the goals braid runs: "))
      << lint;
  EXPECT_THAT(lint, HasSubstr("test"));
  EXPECT_THAT(lint, Not(HasSubstr("did you mean")));
  // With help, unknown words are help topics, not errors.
  absl::StatusOr<Options> o = f.Parse({"help", "python_sources"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(*o->command().builtin_goal, "help");
  EXPECT_THAT(o->command().unknown_goals, ElementsAre("python_sources"));
  o = f.Parse({"--version"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(*o->command().builtin_goal, "version");
}

// ---- ignored Pants sections and options ----

TEST(OptionsIgnored, UnimplementedPantsSectionWarnsOncePerSection) {
  Fixture f;
  f.Write("pants.toml",
          "[GLOBAL]\n"
          "pantsd = false\n"
          "remote_cache_read = true\n"
          "[black]\n"
          "args = [\"-l100\"]\n"
          "interpreter_constraints = [\"==3.11.*\"]\n"
          "[python.resolves]\n"
          "a = \"a.lock\"\n");
  f.Write("b.toml", "[black]\nversion = \"x\"\n[GLOBAL]\npantsd = true\n");
  absl::StatusOr<Options> o = f.Parse({"--pants-config-files=['pants.toml', 'b.toml']"});
  ASSERT_TRUE(o.ok()) << o.status();
  // Pants settings braid does not implement are listed apart (the console may summarise them).
  EXPECT_TRUE(o->warnings().empty());
  EXPECT_THAT(IgnoredWarnings(*o),
              ElementsAre("pants.toml:2: [GLOBAL].pantsd is a Pants option braid does not "
                          "implement yet; it is ignored",
                          "pants.toml:3: [GLOBAL].remote_cache_read is a Pants option braid does "
                          "not implement yet; it is ignored",
                          "pants.toml:4: [black] is a Pants subsystem braid does not implement "
                          "yet; its options are ignored"));
  std::vector<std::string> names;
  for (const Options::IgnoredSetting& s : o->ignored_pants_settings()) names.push_back(s.name);
  EXPECT_THAT(names, ElementsAre("[GLOBAL].pantsd", "[GLOBAL].remote_cache_read", "[black]"));
}

TEST(OptionsIgnored, VerifyConfigFalseSilencesUnknownEntries) {
  Fixture f;
  f.Write("pants.toml", "[GLOBAL]\nverify_config = false\nwhatever = 1\n[nonsense]\nx = 1\n");
  absl::StatusOr<Options> o = f.Parse({});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_TRUE(o->warnings().empty());
}

TEST(OptionsIgnored, BootstrapSkipsUnknownThings) {
  Fixture f;
  f.Write("pants.toml", "[GLOBAL]\nbackend_packages = [\"x\"]\n[pytset]\n");
  absl::StatusOr<Options> o = f.Parse({"--pytest-args=-vv", "tset", "--level=debug"}, true);
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_THAT(o->GetStringList("GLOBAL", "backend_packages"), ElementsAre("x"));
  EXPECT_EQ(o->GetString("GLOBAL", "level"), "debug");
}

TEST(OptionRegistry, DuplicatesAreInternalErrors) {
  OptionRegistry r;
  ASSERT_TRUE(r.AddScope({"test", ScopeKind::kGoal, ""}).ok());
  EXPECT_EQ(r.AddScope({"test", ScopeKind::kGoal, ""}).code(), absl::StatusCode::kInternal);
  ASSERT_TRUE(r.AddBool("test", "force", false, "").ok());
  absl::Status dup = r.AddBool("test", "force", true, "");
  EXPECT_EQ(dup.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(dup.message(), "option 'force' registered twice in [test]");
  EXPECT_EQ(r.AddBool("nope", "x", false, "").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(r.AddBool("test", "Bad-Name", false, "").code(), absl::StatusCode::kInternal);
  EXPECT_EQ(r.AddEnum("test", "e", {"a"}, "b", "").message(),
            "default of [test].e is 'b', not a enum");
  OptionInfo wrong;
  wrong.scope = "test";
  wrong.name = "n";
  wrong.type = OptionType::kInt;
  wrong.default_value = OptionValue::String("x");
  EXPECT_EQ(r.Add(wrong).code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace braid::options
