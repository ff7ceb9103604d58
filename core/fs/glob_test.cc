#include "core/fs/glob.h"

#include "core/fs/file_index.h"
#include "gtest/gtest.h"

namespace braid::fs {
namespace {

using Files = std::vector<std::string>;

FileIndex Index() {
  return FileIndex::FromFiles({
      "BUILD", "setup.py", "src/app/BUILD", "src/app/main.py", "src/app/main_test.py",
      "src/app/conftest.py", "src/app/sub/util.py", "src/app/sub/deep/x.py",
      "src/app/data.json", "src/lib/lib.py", "src/app-x/y.py", "weird/a*b.py",
  });
}

Files Expand(absl::string_view base, const Files& globs) {
  absl::StatusOr<PathGlobs> g = PathGlobs::Create(base, globs);
  EXPECT_TRUE(g.ok()) << g.status();
  return g->Expand(Index());
}

TEST(Glob, StarIsOneDirectory) {
  EXPECT_EQ(Expand("src/app", {"*.py"}),
            (Files{"src/app/conftest.py", "src/app/main.py", "src/app/main_test.py"}));
}

TEST(Glob, DoubleStarIncludesZeroDirectories) {
  EXPECT_EQ(Expand("src/app", {"**/*.py"}),
            (Files{"src/app/conftest.py", "src/app/main.py", "src/app/main_test.py",
                   "src/app/sub/deep/x.py", "src/app/sub/util.py"}));
  EXPECT_EQ(Expand("", {"src/**/x.py"}), (Files{"src/app/sub/deep/x.py"}));
  EXPECT_EQ(Expand("src/app", {"sub/**"}),
            (Files{"src/app/sub/deep/x.py", "src/app/sub/util.py"}));
}

TEST(Glob, LiteralsMatchOnlyIfPresent) {
  EXPECT_EQ(Expand("src/app", {"main.py", "missing.py"}), (Files{"src/app/main.py"}));
  EXPECT_EQ(Expand("", {"weird/a\\*b.py"}), (Files{"weird/a*b.py"}));
}

TEST(Glob, ExcludesAfterIncludesSortedUnique) {
  EXPECT_EQ(Expand("src/app", {"*.py", "!*_test.py", "!conftest.py", "main.py"}),
            (Files{"src/app/main.py"}));
  // An exclude only applies relative to the same directory.
  EXPECT_EQ(Expand("src", {"app/*.py", "!*.py"}),
            (Files{"src/app/conftest.py", "src/app/main.py", "src/app/main_test.py"}));
}

TEST(Glob, DotDotInsideRootIsAllowed) {
  EXPECT_EQ(Expand("src/app", {"../lib/*.py"}), (Files{"src/lib/lib.py"}));
}

TEST(Glob, Errors) {
  EXPECT_EQ(PathGlobs::Create("src", {"../../x.py"}).status().message(),
            "glob '../../x.py' escapes the build root");
  EXPECT_EQ(PathGlobs::Create("src", {"/abs.py"}).status().message(),
            "glob '/abs.py' must be relative, not absolute");
  EXPECT_EQ(PathGlobs::Create("src", {""}).status().message(), "glob must not be empty");
  EXPECT_EQ(PathGlobs::Create("src", {"!../../x"}).status().message(),
            "glob '../../x' escapes the build root");
}

TEST(Glob, MatchesAndPrefixBoundary) {
  auto g = PathGlobs::Create("src/app", {"**/*.py", "!sub/**"});
  ASSERT_TRUE(g.ok());
  EXPECT_TRUE(g->Matches("src/app/main.py"));
  EXPECT_FALSE(g->Matches("src/app/sub/util.py"));
  EXPECT_FALSE(g->Matches("src/app-x/y.py"));  // "src/app" is not a prefix dir of it
  EXPECT_FALSE(g->Matches("src/app/data.json"));
}

TEST(Glob, ResolvedParts) {
  auto r = ResolveGlob("src/app", "./sub/test_*.py");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->pattern, "src/app/sub/test_*.py");
  EXPECT_EQ(r->literal_dir, "src/app/sub");
  EXPECT_FALSE(r->is_literal);
  auto l = ResolveGlob("", "a/b.py");
  EXPECT_TRUE(l->is_literal);
  EXPECT_EQ(l->literal_dir, "a");
}

TEST(Glob, RestAfterTheLiteralDirectoryDecidesTheMatch) {
  auto star = ResolveGlob("src/app", "test_*.py");
  ASSERT_TRUE(star.ok());
  EXPECT_EQ(star->rest, "test_*.py");
  EXPECT_TRUE(star->single_part);
  EXPECT_EQ(star->star, 5u);  // compared by its two ends
  EXPECT_TRUE(GlobMatches(*star, "src/app/test_a.py"));
  EXPECT_TRUE(GlobMatches(*star, "src/app/test_.py"));
  EXPECT_FALSE(GlobMatches(*star, "src/app/test.py"));  // ends may not overlap
  EXPECT_FALSE(GlobMatches(*star, "src/app/sub/test_a.py"));
  EXPECT_FALSE(GlobMatches(*star, "src/app"));
  EXPECT_FALSE(GlobMatches(*star, "src/app-x/test_a.py"));

  auto cls = ResolveGlob("src", "[ab]*.py");  // a class: the general matcher
  ASSERT_TRUE(cls.ok());
  EXPECT_EQ(cls->star, std::string::npos);
  EXPECT_TRUE(GlobMatches(*cls, "src/b1.py"));
  EXPECT_FALSE(GlobMatches(*cls, "src/c1.py"));

  auto deep = ResolveGlob("src", "app/**");
  ASSERT_TRUE(deep.ok());
  EXPECT_EQ(deep->literal_dir, "src/app");
  EXPECT_EQ(deep->rest, "**");
  EXPECT_FALSE(deep->single_part);
  EXPECT_TRUE(GlobMatches(*deep, "src/app/sub/deep/x.py"));

  auto escaped = ResolveGlob("", "weird\\*dir/*.py");  // escaped '*' is literal
  ASSERT_TRUE(escaped.ok());
  EXPECT_EQ(escaped->literal_dir, "weird*dir");
  EXPECT_EQ(escaped->rest, "*.py");
  EXPECT_TRUE(GlobMatches(*escaped, "weird*dir/a.py"));
}

TEST(Glob, SinglePartGlobsSkipSubdirectoriesAndKeepOrder) {
  FileIndex index = FileIndex::FromFiles({"d/a.py", "d/a-b/x.py", "d/a/y.py", "d/a0.py",
                                          "d/b/c/z.py", "d/z.py", "d.py"});
  auto g = PathGlobs::Create("d", {"*.py", "a*.py", "!z.py"});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->Expand(index), (Files{"d/a.py", "d/a0.py"}));
  auto all = PathGlobs::Create("d", {"**/*.py"});
  EXPECT_EQ(all->Expand(index), (Files{"d/a-b/x.py", "d/a.py", "d/a/y.py", "d/a0.py",
                                       "d/b/c/z.py", "d/z.py"}));
}

TEST(Glob, UnmatchedIncludes) {
  auto g = PathGlobs::Create("src/app", {"*.py", "*.txt", "nothere.py", "conftest.py",
                                         "!conftest.py"});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->UnmatchedIncludes(Index()), (Files{"*.txt", "nothere.py", "conftest.py"}));
}

}  // namespace
}  // namespace braid::fs
