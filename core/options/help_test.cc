#include "core/options/help.h"

#include "core/options/options_test_util.h"
#include "gtest/gtest.h"

namespace braid::options {
namespace {

using options_testing::Fixture;

TEST(Help, ScopeHelpShowsFlagEnvConfigDefaultAndCurrentValue) {
  Fixture f;
  f.Write("pants.toml", "[test]\ntimeout_default = 60\n");
  absl::StatusOr<Options> o = f.Parse({"test", "--debug"});
  ASSERT_TRUE(o.ok()) << o.status();
  std::string text = RenderScopeHelp(f.registry, &*o, "test", false);
  EXPECT_EQ(text,
            "`test` goal options\n"
            "-------------------\n"
            "\n"
            "Run tests.\n"
            "\n"
            "Config section: [test]\n"
            "\n"
            "  --[no-]test-debug\n"
            "  PANTS_TEST_DEBUG\n"
            "  debug\n"
            "      default: False\n"
            "      current value: True (from flag --debug)\n"
            "      Run tests sequentially in an interactive process.\n"
            "\n"
            "  --test-extra-env-vars=\"['<str>', '<str>', ...]\"\n"
            "  PANTS_TEST_EXTRA_ENV_VARS\n"
            "  extra_env_vars\n"
            "      default: []\n"
            "      current value: []\n"
            "      Additional environment variables.\n"
            "\n"
            "  --[no-]test-force\n"
            "  PANTS_TEST_FORCE\n"
            "  force\n"
            "      default: False\n"
            "      current value: False\n"
            "      Force the tests to run, even if they could be satisfied from cache.\n"
            "\n"
            "  --test-output=<choice>\n"
            "  PANTS_TEST_OUTPUT\n"
            "  output\n"
            "      one of: all, failed, none\n"
            "      default: failed\n"
            "      current value: failed\n"
            "      Show stdout/stderr for these tests.\n"
            "\n"
            "  --test-timeout-default=<int>\n"
            "  PANTS_TEST_TIMEOUT_DEFAULT\n"
            "  timeout_default\n"
            "      default: None\n"
            "      current value: 60 (from pants.toml:2)\n"
            "      The default timeout (in seconds) for a test target.\n"
            "\n"
            "  --test-timeout-ratio=<float>\n"
            "  PANTS_TEST_TIMEOUT_RATIO\n"
            "  timeout_ratio\n"
            "      default: 1.0\n"
            "      current value: 1.0\n"
            "      A ratio.\n");
}

TEST(Help, GlobalAdvancedListsRenderOverLines) {
  Fixture f;
  std::string text = RenderScopeHelp(f.registry, nullptr, "global", true);
  EXPECT_EQ(text.substr(0, 30), "Global options\n--------------\n");
  EXPECT_NE(text.find("  --build-patterns=\"['<str>', '<str>', ...]\"\n"
                      "  PANTS_BUILD_PATTERNS\n"
                      "  build_patterns\n"
                      "      default: [\n"
                      "        \"BUILD\",\n"
                      "        \"BUILD.*\"\n"
                      "      ]\n"),
            std::string::npos)
      << text;
  std::string basic = RenderScopeHelp(f.registry, nullptr, "GLOBAL", false);
  EXPECT_NE(basic.find("  -l=<choice>, --level=<choice>\n  PANTS_LEVEL\n  level\n"
                       "      one of: trace, debug, info, warn, error\n      default: info\n"),
            std::string::npos)
      << basic;
  EXPECT_NE(basic.find("braid help-advanced global"), std::string::npos);
  EXPECT_EQ(RenderScopeHelp(f.registry, nullptr, "nope", false), "");
}

TEST(Help, ScopeListAndTopics) {
  Fixture f;
  EXPECT_EQ(RenderScopeList(f.registry, ScopeKind::kGoal),
            "  lint  Run linters.\n"
            "  test  Run tests.\n");
  std::optional<HelpTopic> t = FindHelpTopic(f.registry, "test");
  ASSERT_TRUE(t && t->scope);
  EXPECT_EQ(t->scope->name, "test");
  EXPECT_EQ(FindHelpTopic(f.registry, "global")->scope->name, "GLOBAL");
  EXPECT_EQ(FindHelpTopic(f.registry, "--test-force")->option->name, "force");
  EXPECT_EQ(FindHelpTopic(f.registry, "[test].timeout_default")->option->name, "timeout_default");
  EXPECT_EQ(FindHelpTopic(f.registry, "python-infer.imports")->option->scope, "python-infer");
  EXPECT_EQ(FindHelpTopic(f.registry, "-l")->option->name, "level");
  EXPECT_EQ(FindHelpTopic(f.registry, "level")->option->name, "level");
  EXPECT_FALSE(FindHelpTopic(f.registry, "python_sources").has_value());
  std::string overview = RenderHelpOverview("braid", "0.1.0");
  EXPECT_EQ(overview.substr(0, 21), "braid 0.1.0\n\nUsage:\n\n");
  EXPECT_NE(overview.find("  braid help global "), std::string::npos);
}

}  // namespace
}  // namespace braid::options
