#include "core/fs/path.h"

#include "gtest/gtest.h"

namespace braid::fs {
namespace {

TEST(Path, NormalizeCollapsesDotsAndSlashes) {
  EXPECT_EQ(*NormalizeRelativePath("src/app/../lib/./x.py"), "src/lib/x.py");
  EXPECT_EQ(*NormalizeRelativePath("a//b/"), "a/b");
  EXPECT_EQ(*NormalizeRelativePath("."), "");
  EXPECT_EQ(*NormalizeRelativePath(""), "");
  EXPECT_EQ(*NormalizeRelativePath("a/.."), "");
}

TEST(Path, NormalizeRejectsEscapeAndAbsolute) {
  EXPECT_EQ(NormalizeRelativePath("../x.py").status().message(),
            "path '../x.py' escapes the build root");
  EXPECT_EQ(NormalizeRelativePath("a/../../x").status().message(),
            "path 'a/../../x' escapes the build root");
  EXPECT_EQ(NormalizeRelativePath("/etc/x").status().message(),
            "path '/etc/x' must be relative to the build root");
}

TEST(Path, EscapesRoot) {
  EXPECT_TRUE(EscapesRoot("../x"));
  EXPECT_TRUE(EscapesRoot("a/../../x"));
  EXPECT_FALSE(EscapesRoot("a/../x"));
  EXPECT_FALSE(EscapesRoot("/abs"));
}

TEST(Path, JoinDirnameBasenameExtension) {
  EXPECT_EQ(JoinPath("", "x"), "x");
  EXPECT_EQ(JoinPath("a", ""), "a");
  EXPECT_EQ(JoinPath("a", "b/c"), "a/b/c");
  EXPECT_EQ(Dirname("a/b/c.py"), "a/b");
  EXPECT_EQ(Dirname("c.py"), "");
  EXPECT_EQ(Basename("a/b/c.py"), "c.py");
  EXPECT_EQ(Basename("c.py"), "c.py");
  EXPECT_EQ(Extension("a/x.tar.gz"), ".gz");
  EXPECT_EQ(Extension(".bashrc"), "");
  EXPECT_EQ(Extension("Makefile"), "");
  EXPECT_EQ(Extension("a.b/Makefile"), "");
}

TEST(Path, RelativePathBetweenDirs) {
  EXPECT_EQ(RelativePath("a/b", "a/c/d"), "../c/d");
  EXPECT_EQ(RelativePath("a", "a/x"), "x");
  EXPECT_EQ(RelativePath("a", "a"), ".");
  EXPECT_EQ(RelativePath("", "a/b"), "a/b");
  EXPECT_EQ(RelativePath("a/b", ""), "../..");
}

TEST(Path, IsUnderDir) {
  EXPECT_TRUE(IsUnderDir("a/b/c", "a/b"));
  EXPECT_TRUE(IsUnderDir("a/b", "a/b"));
  EXPECT_TRUE(IsUnderDir("x", ""));
  EXPECT_FALSE(IsUnderDir("a/bc", "a/b"));
  EXPECT_FALSE(IsUnderDir("a", "a/b"));
}

TEST(Path, ComparePathsIsPartWise) {
  EXPECT_LT(ComparePaths("a/b", "a-b"), 0);  // string order would say the opposite
  EXPECT_GT(std::string("a/b").compare("a-b"), 0);
  EXPECT_LT(ComparePaths("a", "a/b"), 0);
  EXPECT_EQ(ComparePaths("a/b", "a/b"), 0);
  EXPECT_LT(ComparePaths("", "a"), 0);
  EXPECT_GT(ComparePaths("b", "a/z"), 0);
}

}  // namespace
}  // namespace braid::fs
