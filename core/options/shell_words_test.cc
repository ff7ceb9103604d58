#include "core/options/shell_words.h"

#include "gtest/gtest.h"

namespace braid::options {
namespace {

// Expected values are what Python's shlex.split returns for the same input.
TEST(SplitShellWords, SplitsAsShlexDoes) {
  using V = std::vector<std::string>;
  EXPECT_EQ(*SplitShellWords("val1 val2  --debug"), (V{"val1", "val2", "--debug"}));
  EXPECT_EQ(*SplitShellWords("  "), V{});
  EXPECT_EQ(*SplitShellWords("a'b c'd \"e f\""), (V{"ab cd", "e f"}));
  EXPECT_EQ(*SplitShellWords("'' x"), (V{"", "x"}));
  EXPECT_EQ(*SplitShellWords("a\\ b"), V{"a b"});
  EXPECT_EQ(*SplitShellWords("\"q\\\"\\\\\\$\""), V{"q\"\\\\$"});  // "q\"\\\$" -> q"\\$
  EXPECT_EQ(*SplitShellWords("'no \\ escape'"), V{"no \\ escape"});
}

TEST(SplitShellWords, UnclosedQuoteOrTrailingBackslashIsAnError) {
  EXPECT_FALSE(SplitShellWords("'open").ok());
  EXPECT_FALSE(SplitShellWords("\"open").ok());
  EXPECT_FALSE(SplitShellWords("end\\").ok());
}

}  // namespace
}  // namespace braid::options
