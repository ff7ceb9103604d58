#include "core/fs/ignore.h"

#include "gtest/gtest.h"

namespace braid::fs {
namespace {

IgnoreMatcher Gitignore(absl::string_view text, absl::string_view base = "") {
  IgnoreMatcher m;
  m.Add(IgnoreRules::Parse(IgnoreSource::kGitignore, base, text, ".gitignore"));
  return m;
}

TEST(Ignore, DefaultPantsIgnore) {
  EXPECT_EQ(DefaultPantsIgnore(),
            (std::vector<std::string>{".*/", "/dist/", "__pycache__", "!.semgrep/"}));
  IgnoreMatcher m;
  m.Add(IgnoreRules::FromLines(IgnoreSource::kPantsIgnore, "", DefaultPantsIgnore()));
  EXPECT_TRUE(m.IsIgnored(".git", true));
  EXPECT_TRUE(m.IsIgnored("src/.venv", true));
  EXPECT_FALSE(m.IsIgnored(".gitignore", false));  // ".*/" is directories only
  EXPECT_FALSE(m.IsIgnored(".semgrep", true));     // re-included
  EXPECT_TRUE(m.IsIgnored("dist", true));
  EXPECT_FALSE(m.IsIgnored("src/dist", true));  // anchored
  EXPECT_TRUE(m.IsIgnored("src/__pycache__", true));
  EXPECT_TRUE(m.IsIgnored("__pycache__", false));
}

TEST(Ignore, CommentsBlankAndTrailingSpaces) {
  IgnoreMatcher m = Gitignore("# a comment\n\n*.pyc   \nkeep\\ \n\\#hash\n\\!bang\n");
  EXPECT_TRUE(m.IsIgnored("a/b.pyc", false));
  EXPECT_FALSE(m.IsIgnored("# a comment", false));
  EXPECT_TRUE(m.IsIgnored("keep ", false));
  EXPECT_FALSE(m.IsIgnored("keep", false));
  EXPECT_TRUE(m.IsIgnored("#hash", false));
  EXPECT_TRUE(m.IsIgnored("!bang", false));
}

TEST(Ignore, NegationLastMatchWins) {
  IgnoreMatcher m = Gitignore("*.log\n!important.log\n");
  EXPECT_TRUE(m.IsIgnored("x.log", false));
  EXPECT_FALSE(m.IsIgnored("important.log", false));
  EXPECT_FALSE(m.IsIgnored("sub/important.log", false));
  IgnoreMatcher n = Gitignore("!important.log\n*.log\n");
  EXPECT_TRUE(n.IsIgnored("important.log", false));
}

TEST(Ignore, AnchoredAndMiddleSlash) {
  IgnoreMatcher m = Gitignore("/build\ndoc/frotz\n");
  EXPECT_TRUE(m.IsIgnored("build", true));
  EXPECT_FALSE(m.IsIgnored("src/build", true));
  EXPECT_TRUE(m.IsIgnored("doc/frotz", true));
  EXPECT_FALSE(m.IsIgnored("a/doc/frotz", true));
}

TEST(Ignore, DirOnly) {
  IgnoreMatcher m = Gitignore("out/\n");
  EXPECT_TRUE(m.IsIgnored("out", true));
  EXPECT_TRUE(m.IsIgnored("a/out", true));
  EXPECT_FALSE(m.IsIgnored("out", false));
}

TEST(Ignore, DoubleStar) {
  IgnoreMatcher m = Gitignore("**/foo\nabc/**\na/**/b\n");
  EXPECT_TRUE(m.IsIgnored("foo", false));
  EXPECT_TRUE(m.IsIgnored("x/y/foo", false));
  EXPECT_TRUE(m.IsIgnored("abc/x/y", false));
  EXPECT_FALSE(m.IsIgnored("abc", true));
  EXPECT_TRUE(m.IsIgnored("a/b", false));
  EXPECT_TRUE(m.IsIgnored("a/x/y/b", false));
}

TEST(Ignore, ClassesAndQuestion) {
  IgnoreMatcher m = Gitignore("*.py[co]\nfile?.txt\n");
  EXPECT_TRUE(m.IsIgnored("x.pyc", false));
  EXPECT_TRUE(m.IsIgnored("x.pyo", false));
  EXPECT_FALSE(m.IsIgnored("x.py", false));
  EXPECT_TRUE(m.IsIgnored("file1.txt", false));
  EXPECT_FALSE(m.IsIgnored("file10.txt", false));
}

TEST(Ignore, CrLfLines) {
  IgnoreMatcher m = Gitignore("*.tmp\r\n/out/\r\n");
  EXPECT_TRUE(m.IsIgnored("a.tmp", false));
  EXPECT_TRUE(m.IsIgnored("out", true));
}

TEST(Ignore, NestedFileAppliesToItsSubtreeOnly) {
  IgnoreMatcher m = Gitignore("/gen\n*.txt\n", "src");
  EXPECT_TRUE(m.IsIgnored("src/gen", true));
  EXPECT_FALSE(m.IsIgnored("gen", true));
  EXPECT_FALSE(m.IsIgnored("src/x/gen", true));
  EXPECT_TRUE(m.IsIgnored("src/x/a.txt", false));
  EXPECT_FALSE(m.IsIgnored("a.txt", false));
  EXPECT_FALSE(m.IsIgnored("src", true));
}

TEST(Ignore, PrecedencePantsOverDeeperOverShallowerOverExclude) {
  IgnoreMatcher m;
  m.Add(IgnoreRules::Parse(IgnoreSource::kGitInfoExclude, "", "*.a\n!*.b\n", "exclude"));
  m.Add(IgnoreRules::Parse(IgnoreSource::kGitignore, "src", "!keep.log\n", "src/.gitignore"));
  m.Add(IgnoreRules::Parse(IgnoreSource::kGitignore, "", "*.log\n*.b\n", ".gitignore"));
  m.Add(IgnoreRules::FromLines(IgnoreSource::kPantsIgnore, "", {"!force.log"}));
  EXPECT_TRUE(m.IsIgnored("x.a", false));
  EXPECT_TRUE(m.IsIgnored("x.b", false));         // .gitignore beats info/exclude
  EXPECT_TRUE(m.IsIgnored("keep.log", false));    // nested rule does not apply at root
  EXPECT_FALSE(m.IsIgnored("src/keep.log", false));  // deeper .gitignore wins
  EXPECT_TRUE(m.IsIgnored("src/other.log", false));
  EXPECT_FALSE(m.IsIgnored("force.log", false));  // pants_ignore wins
}

TEST(Ignore, ParentDirectoryIgnored) {
  IgnoreMatcher m = Gitignore("build/\n!build/keep.py\n");
  EXPECT_FALSE(m.IsIgnored("build/keep.py", false));
  EXPECT_TRUE(m.IsPathOrParentIgnored("build/keep.py", false));
  EXPECT_FALSE(m.IsPathOrParentIgnored("src/keep.py", false));
}

TEST(Ignore, PatternsAreParsed) {
  IgnoreRules r = IgnoreRules::Parse(IgnoreSource::kGitignore, "", "# c\n!/a/b/\nx\n", "g");
  ASSERT_EQ(r.patterns().size(), 2u);
  EXPECT_EQ(r.patterns()[0].glob, "a/b");
  EXPECT_TRUE(r.patterns()[0].negated);
  EXPECT_TRUE(r.patterns()[0].dir_only);
  EXPECT_TRUE(r.patterns()[0].anchored);
  EXPECT_EQ(r.patterns()[0].line, 2);
  EXPECT_FALSE(r.patterns()[1].anchored);
  EXPECT_EQ(r.patterns()[1].line, 3);
}

}  // namespace
}  // namespace braid::fs
