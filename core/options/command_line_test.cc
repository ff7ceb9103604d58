#include "core/options/command_line.h"

#include "core/options/options_test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace braid::options {
namespace {

using ::testing::ElementsAre;

CommandLine Split(std::vector<std::string> args,
                  PathExistsFn exists = [](absl::string_view p) { return p == "3rdparty"; }) {
  OptionRegistry reg;
  options_testing::RegisterTestScopes(reg);
  return SplitCommandLine(args, reg, exists);
}

TEST(CommandLine, GoalsSpecsFlagsInOrder) {
  CommandLine c = Split({"--level=debug", "lint", "test", "--force", "src/app::", "//:root",
                         "3rdparty", "--colors", "-src/skip::", "f.py"});
  EXPECT_THAT(c.goals, ElementsAre("lint", "test"));
  EXPECT_THAT(c.specs, ElementsAre("src/app::", "//:root", "3rdparty", "-src/skip::", "f.py"));
  ASSERT_EQ(c.flags.size(), 3u);
  EXPECT_EQ(c.flags[0].context, "");
  EXPECT_EQ(c.flags[0].key, "--level");
  EXPECT_EQ(*c.flags[0].value, "debug");
  EXPECT_EQ(c.flags[1].context, "test");
  EXPECT_EQ(c.flags[1].key, "--force");
  EXPECT_FALSE(c.flags[1].value.has_value());
  EXPECT_EQ(c.flags[2].context, "") << "a spec resets the context to global";
  EXPECT_FALSE(c.builtin_goal.has_value());
  EXPECT_TRUE(c.unknown_goals.empty());
}

TEST(CommandLine, Passthrough) {
  CommandLine c = Split({"test", "src::", "--", "-k", "test_foo", "--", "x"});
  EXPECT_TRUE(c.has_passthrough);
  EXPECT_THAT(c.passthrough, ElementsAre("-k", "test_foo", "--", "x"));
  EXPECT_THAT(c.specs, ElementsAre("src::"));
  EXPECT_FALSE(Split({"test"}).has_passthrough);
}

TEST(CommandLine, ShortLevelFlag) {
  CommandLine c = Split({"-ldebug", "-l=warn", "-lib/x::"});
  ASSERT_EQ(c.flags.size(), 2u);
  EXPECT_EQ(c.flags[0].key, "-l");
  EXPECT_EQ(*c.flags[0].value, "debug");
  EXPECT_EQ(*c.flags[1].value, "warn");
  EXPECT_THAT(c.specs, ElementsAre("-lib/x::"));
}

TEST(CommandLine, ValueNeedsEqualsSign) {
  // As in Pants, `--level debug` does not give --level a value.
  CommandLine c = Split({"--level", "debug"});
  ASSERT_EQ(c.flags.size(), 1u);
  EXPECT_FALSE(c.flags[0].value.has_value());
  EXPECT_THAT(c.unknown_goals, ElementsAre("debug"));
}

TEST(CommandLine, BuiltinGoals) {
  CommandLine h = Split({"help", "test", "python_sources"});
  EXPECT_EQ(*h.builtin_goal, "help");
  EXPECT_THAT(h.goals, ElementsAre("test"));
  EXPECT_THAT(h.unknown_goals, ElementsAre("python_sources"));
  EXPECT_EQ(*Split({"--version"}).builtin_goal, "version");
  EXPECT_EQ(*Split({"-V"}).builtin_goal, "version");
  EXPECT_EQ(*Split({"test", "-h"}).builtin_goal, "help");
  EXPECT_EQ(*Split({"help-advanced", "global"}).builtin_goal, "help-advanced");
}

TEST(CommandLine, UnknownGoalVersusSpec) {
  CommandLine c = Split({"tset", "3rdparty", "dir/"});
  EXPECT_THAT(c.unknown_goals, ElementsAre("tset"));
  EXPECT_THAT(c.specs, ElementsAre("3rdparty", "dir/"));
}

}  // namespace
}  // namespace braid::options
