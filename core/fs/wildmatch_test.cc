#include "core/fs/wildmatch.h"

#include "gtest/gtest.h"

namespace braid::fs {
namespace {

TEST(WildMatch, StarStaysInOnePart) {
  EXPECT_TRUE(WildMatch("*.py", "app.py"));
  EXPECT_FALSE(WildMatch("*.py", "sub/app.py"));
  EXPECT_TRUE(WildMatch("src/*.py", "src/app.py"));
  EXPECT_TRUE(WildMatch("*", ".bashrc"));
  EXPECT_TRUE(WildMatch("test_*_x.py", "test_a_b_x.py"));
  EXPECT_FALSE(WildMatch("a*", "b"));
}

TEST(WildMatch, QuestionAndClasses) {
  EXPECT_TRUE(WildMatch("?.py", "a.py"));
  EXPECT_FALSE(WildMatch("?.py", "ab.py"));
  EXPECT_FALSE(WildMatch("a?b", "a/b"));
  EXPECT_TRUE(WildMatch("[abc].py", "b.py"));
  EXPECT_FALSE(WildMatch("[!abc].py", "b.py"));
  EXPECT_TRUE(WildMatch("[^abc].py", "d.py"));
  EXPECT_TRUE(WildMatch("[a-c]x", "bx"));
  EXPECT_FALSE(WildMatch("[a-c]x", "dx"));
  EXPECT_TRUE(WildMatch("[]]", "]"));
  EXPECT_TRUE(WildMatch("[", "["));  // unterminated class is literal
}

TEST(WildMatch, Escapes) {
  EXPECT_TRUE(WildMatch("a\\*b", "a*b"));
  EXPECT_FALSE(WildMatch("a\\*b", "axb"));
  EXPECT_TRUE(WildMatch("\\[x\\]", "[x]"));
  EXPECT_TRUE(HasWildcard("a*"));
  EXPECT_FALSE(HasWildcard("a\\*"));
  EXPECT_EQ(UnescapePattern("a\\*b\\\\"), "a*b\\");
}

TEST(WildMatch, DoubleStarMatchesZeroOrMoreParts) {
  EXPECT_TRUE(WildMatch("**/*.py", "a.py"));
  EXPECT_TRUE(WildMatch("**/*.py", "x/y/a.py"));
  EXPECT_TRUE(WildMatch("a/**/b", "a/b"));
  EXPECT_TRUE(WildMatch("a/**/b", "a/x/y/b"));
  EXPECT_FALSE(WildMatch("a/**/b", "a/x/c"));
  EXPECT_TRUE(WildMatch("a/**", "a/x/y"));
  EXPECT_FALSE(WildMatch("a/**", "b/x"));
  EXPECT_TRUE(WildMatch("**", "x/y/z"));
  EXPECT_TRUE(WildMatch("a/**/**/b", "a/b"));
  // "**" inside a part is just "*".
  EXPECT_TRUE(WildMatch("a**.py", "abc.py"));
  EXPECT_FALSE(WildMatch("a**.py", "a/c.py"));
}

}  // namespace
}  // namespace braid::fs
