// Asking Git which files changed, for `--changed-since` / `--changed-diffspec`.
//
// Everything braid needs from Git goes through the narrow `Git` interface, so
// the change-to-target logic (core/app/changed.h) is tested with `FakeGit`
// and never spawns a process in unit tests.
//
// What counts as changed (Pants 2.x semantics, with renames split):
//   --changed-since=REF   the files that differ between the merge base of REF
//                         and HEAD (like `git diff REF...HEAD`: what the
//                         current branch changed, not what REF gained since
//                         the branch point) and the WORKING TREE, which also
//                         covers staged and unstaged edits; plus untracked
//                         files that are not ignored.
//   --changed-diffspec=S  only the committed changes named by S (a commit: its
//                         changes against its parent; `A..B`: between A and B),
//                         as `git diff-tree -r S`; no working-tree changes.
// Renames are reported as a deletion of the old path plus an addition of the
// new one (`--no-renames`): the old path's former owners changed too.
//
// Paths are relative to the build root (which may be a sub-directory of the
// work tree: git runs there and `--relative` drops paths outside it).
//
// Usage:
//   std::unique_ptr<vcs::Git> git = vcs::NewRealGit(buildroot, env);
//   absl::StatusOr<std::vector<vcs::ChangedFile>> files = git->ChangedFiles({.since = "main"});
#ifndef BRAID_CORE_VCS_GIT_H_
#define BRAID_CORE_VCS_GIT_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace braid::vcs {

/// One changed path.
struct ChangedFile {
  /// Relative to the build root, '/'-separated.
  std::string path;
  /// True when the path no longer exists in the working tree (deleted, or the
  /// old side of a rename): its owners must be found without the file.
  bool deleted = false;

  bool operator==(const ChangedFile&) const = default;
};

/// Which changes to ask for. When both are set, `diffspec` wins (as in Pants).
struct ChangeQuery {
  std::optional<std::string> since;
  std::optional<std::string> diffspec;
};

/// Read-only access to the Git repository holding the build root.
class Git {
 public:
  virtual ~Git() = default;
  /// The changed files (see the top of this file), sorted by path, each once.
  /// Errors are kFailedPrecondition with a message fit for the user: not a
  /// Git repository, unknown ref (with git's own message), a shallow clone
  /// lacking the merge base, git not installed.
  virtual absl::StatusOr<std::vector<ChangedFile>> ChangedFiles(const ChangeQuery& query) = 0;
};

/// The real implementation: runs the `git` found on env's PATH (never
/// through a shell) with the build root as its working directory
/// (`git -C <buildroot>`), LC_ALL=C and GIT_OPTIONAL_LOCKS=0 (a query must
/// not take the index lock a concurrent `git commit` needs).
std::unique_ptr<Git> NewRealGit(std::string buildroot, std::map<std::string, std::string> env);

/// A Git for tests: answers every query with `result` and records queries.
class FakeGit : public Git {
 public:
  explicit FakeGit(absl::StatusOr<std::vector<ChangedFile>> result) : result_(std::move(result)) {}
  absl::StatusOr<std::vector<ChangedFile>> ChangedFiles(const ChangeQuery& query) override {
    queries.push_back(query);
    return result_;
  }
  std::vector<ChangeQuery> queries;

 private:
  absl::StatusOr<std::vector<ChangedFile>> result_;
};

namespace internal {

/// Parses NUL-separated paths (`git ... -z --name-only` / `ls-files -z`)
/// into `out` (empty entries skipped).
void AddNulSeparated(const std::string& bytes, std::vector<std::string>* out);

/// Finds an executable `name` on the colon-separated `path`; nullopt if none.
std::optional<std::string> FindOnPath(const std::string& name, const std::string& path);

}  // namespace internal

}  // namespace braid::vcs

#endif  // BRAID_CORE_VCS_GIT_H_
