#include "core/vcs/git.h"

#include <stdlib.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/exec/run_sync.h"
#include "gtest/gtest.h"

namespace braid::vcs {
namespace {

using internal::AddNulSeparated;
using internal::FindOnPath;

ChangeQuery Since(const std::string& ref) { return ChangeQuery{ref, std::nullopt}; }
ChangeQuery Diffspec(const std::string& spec) { return ChangeQuery{std::nullopt, spec}; }

TEST(GitParsing, NulSeparatedSkipsEmptyEntries) {
  std::vector<std::string> out = {"keep"};
  AddNulSeparated(std::string("a b.py\0dir/c\0\0", 14), &out);
  EXPECT_EQ(out, (std::vector<std::string>{"keep", "a b.py", "dir/c"}));
}

TEST(GitParsing, FindOnPathSkipsMissingDirectories) {
  EXPECT_EQ(FindOnPath("sh", "/nonexistent:/bin"), std::optional<std::string>("/bin/sh"));
  EXPECT_EQ(FindOnPath("no-such-tool-xyz", "/bin:/usr/bin"), std::nullopt);
  EXPECT_EQ(FindOnPath("sh", ""), std::nullopt);
}

TEST(FakeGit, RecordsQueries) {
  FakeGit git(std::vector<ChangedFile>{{"a.py", false}});
  absl::StatusOr<std::vector<ChangedFile>> r = git.ChangedFiles(Since("main"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, (std::vector<ChangedFile>{{"a.py", false}}));
  ASSERT_EQ(git.queries.size(), 1u);
  EXPECT_EQ(git.queries[0].since, std::optional<std::string>("main"));
}

// Real git in a temporary repository (skipped when git is not installed).
class RealGitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* path = getenv("PATH");
    if (!path || !FindOnPath("git", path)) GTEST_SKIP() << "git not installed";
    env_ = {{"PATH", path}, {"HOME", "/nonexistent"}, {"GIT_CONFIG_NOSYSTEM", "1"}};
    char tmpl[] = "/tmp/braid_git_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    GitOk({"init", "-q", "-b", "main"});
    GitOk({"config", "user.email", "t@example.com"});
    GitOk({"config", "user.name", "T"});
  }
  void TearDown() override {
    if (root_.empty()) return;
    absl::StatusOr<exec::SyncResult> r = exec::RunSync({"/bin/rm", "-rf", root_}, {});
    (void)r;
  }
  void Write(const std::string& rel, const std::string& text) {
    std::string p = absl::StrCat(root_, "/", rel);
    for (size_t i = root_.size() + 1; (i = p.find('/', i)) != std::string::npos; ++i) {
      ::mkdir(p.substr(0, i).c_str(), 0755);
    }
    std::ofstream(p) << text;
  }
  std::string GitOk(std::vector<std::string> args) {
    std::vector<std::string> argv = {*FindOnPath("git", env_["PATH"]), "-C", root_};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<exec::SyncResult> r = exec::RunSync(argv, env_);
    EXPECT_TRUE(r.ok() && r->exit_code == 0) << args[0] << ": " << (r.ok() ? r->stderr_bytes : "");
    return r.ok() ? r->stdout_bytes : "";
  }
  void Commit(const std::string& msg) {
    GitOk({"add", "-A"});
    GitOk({"commit", "-q", "-m", msg});
  }
  absl::StatusOr<std::vector<ChangedFile>> Changed(ChangeQuery q, const std::string& sub = "") {
    return NewRealGit(sub.empty() ? root_ : absl::StrCat(root_, "/", sub), env_)->ChangedFiles(q);
  }

  std::string root_;
  std::map<std::string, std::string> env_;
};

TEST_F(RealGitTest, WorkingTreeStagedUntrackedDeletedAndRenamed) {
  Write("a.py", "a\n");
  Write("b.py", "b\n");
  Write("old.py", "old\n");
  Write("gone.py", "x\n");
  Write(".gitignore", "*.log\n");
  Commit("one");
  Write("a.py", "a2\n");                 // unstaged
  Write("b.py", "b2\n");                 // staged
  GitOk({"add", "b.py"});
  GitOk({"mv", "old.py", "new.py"});     // staged rename
  ::unlink(absl::StrCat(root_, "/gone.py").c_str());  // unstaged delete
  Write("fresh.py", "f\n");              // untracked
  Write("debug.log", "ignored\n");       // ignored
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Since("HEAD"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<ChangedFile>{{"a.py", false},
                                          {"b.py", false},
                                          {"fresh.py", false},
                                          {"gone.py", true},
                                          {"new.py", false},
                                          {"old.py", true}}));
}

TEST_F(RealGitTest, SinceUsesTheMergeBase) {
  Write("base.py", "0\n");
  Commit("base");
  GitOk({"checkout", "-q", "-b", "feature"});
  Write("feature.py", "f\n");
  Commit("feature work");
  GitOk({"checkout", "-q", "main"});
  Write("main_only.py", "m\n");
  Commit("main moved on");
  GitOk({"checkout", "-q", "feature"});
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Since("main"));
  ASSERT_TRUE(r.ok()) << r.status();
  // main_only.py is not reported: it is main's change, not the branch's.
  EXPECT_EQ(*r, (std::vector<ChangedFile>{{"feature.py", false}}));
}

TEST_F(RealGitTest, DiffspecIsCommittedChangesOnly) {
  Write("a.py", "1\n");
  Commit("one");
  Write("b.py", "1\n");
  Write("a.py", "2\n");
  Commit("two");
  Write("c.py", "uncommitted\n");
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Diffspec("HEAD"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<ChangedFile>{{"a.py", false}, {"b.py", false}}));
  r = Changed(Diffspec("HEAD~1"));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<ChangedFile>{{"a.py", false}}));  // the root commit's files
}

TEST_F(RealGitTest, PathsAreRelativeToABuildRootBelowTheWorkTree) {
  Write("outside.py", "1\n");
  Write("proj/inside.py", "1\n");
  Commit("one");
  Write("outside.py", "2\n");
  Write("proj/inside.py", "2\n");
  Write("proj/sub/new.py", "new\n");
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Since("HEAD"), "proj");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, (std::vector<ChangedFile>{{"inside.py", false}, {"sub/new.py", false}}));
}

TEST_F(RealGitTest, UnknownRefShowsGitsMessage) {
  Write("a.py", "1\n");
  Commit("one");
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Since("nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(r.status().message(),
                               "--changed-since=nope: unknown Git ref 'nope' (git: fatal: Not a "
                               "valid object name nope)"))
      << r.status().message();
  r = Changed(Diffspec("nope"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StrContains(r.status().message(),
                                "--changed-diffspec=nope: unknown Git ref 'nope' (git: fatal: "
                                "bad revision 'nope')"))
      << r.status().message();
}

TEST_F(RealGitTest, UnrelatedHistoriesHaveNoMergeBase) {
  Write("a.py", "1\n");
  Commit("one");
  GitOk({"checkout", "-q", "--orphan", "other"});
  Write("b.py", "1\n");
  Commit("two");
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Since("main"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "--changed-since=main: 'main' and HEAD have no common ancestor\n"
            "  hint: compare the two commits directly with --changed-diffspec=main..HEAD");
}

TEST_F(RealGitTest, NotARepository) {
  ::rename(absl::StrCat(root_, "/.git").c_str(), absl::StrCat(root_, "/not-git").c_str());
  env_["GIT_CEILING_DIRECTORIES"] = "/tmp";
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Since("main"));
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StartsWith(r.status().message(),
                               absl::StrCat("--changed-since=main: ", root_,
                                            " is not inside a Git repository (git: fatal: not a "
                                            "git repository")))
      << r.status().message();
}

TEST_F(RealGitTest, GitMissing) {
  env_["PATH"] = "/nonexistent";
  absl::StatusOr<std::vector<ChangedFile>> r = Changed(Since("main"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(absl::StartsWith(r.status().message(),
                               "--changed-since=main: cannot run git: no `git` executable found "
                               "on PATH"))
      << r.status().message();
}

}  // namespace
}  // namespace braid::vcs
