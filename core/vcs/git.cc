#include "core/vcs/git.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <future>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/base/error.h"
#include "core/exec/run_sync.h"

namespace braid::vcs {

namespace internal {

void AddNulSeparated(const std::string& bytes, std::vector<std::string>* out) {
  for (absl::string_view part : absl::StrSplit(bytes, '\0', absl::SkipEmpty())) {
    out->emplace_back(part);
  }
}

std::optional<std::string> FindOnPath(const std::string& name, const std::string& path) {
  for (absl::string_view dir : absl::StrSplit(path, ':', absl::SkipEmpty())) {
    std::string candidate = absl::StrCat(dir, "/", name);
    struct stat st;
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return std::nullopt;
}

}  // namespace internal

namespace {

constexpr char kShallowHint[] =
    "this is a shallow clone: fetch more history, e.g. `fetch-depth: 0` in actions/checkout, or "
    "`git fetch --unshallow` (and `git fetch origin <branch>` for a branch not fetched yet)";

// The first line of git's stderr, verbatim (users search for git's own words).
std::string GitMessage(const exec::SyncResult& r) {
  std::string text(absl::StripAsciiWhitespace(r.stderr_bytes));
  if (text.empty()) return absl::StrCat("git exited with status ", r.exit_code);
  size_t nl = text.find('\n');
  return nl == std::string::npos ? text : text.substr(0, nl);
}

class RealGit : public Git {
 public:
  RealGit(std::string buildroot, std::map<std::string, std::string> env)
      : buildroot_(std::move(buildroot)), env_(std::move(env)) {
    // Stable, untranslated messages; a read-only query must not take the
    // index lock (it would refresh the index's stat data otherwise).
    env_["LC_ALL"] = "C";
    env_.erase("LANGUAGE");
    env_["GIT_OPTIONAL_LOCKS"] = "0";
  }

  absl::StatusOr<std::vector<ChangedFile>> ChangedFiles(const ChangeQuery& query) override {
    const bool diffspec = query.diffspec.has_value();
    const std::string ref = diffspec ? *query.diffspec : query.since.value_or("HEAD");
    place_ = Location{absl::StrCat(diffspec ? "--changed-diffspec=" : "--changed-since=", ref),
                      0, 0, ""};
    auto git = env_.count("PATH") ? internal::FindOnPath("git", env_.at("PATH")) : std::nullopt;
    if (!git) {
      return EnvironmentError(place_, "cannot run git: no `git` executable found on PATH",
                              "the `--changed-*` options ask Git what changed: install Git "
                              "or add it to PATH");
    }
    git_ = *git;

    std::vector<std::string> paths;
    if (diffspec) {
      // --root: a root commit lists its files instead of nothing.
      absl::StatusOr<exec::SyncResult> r =
          Run({"diff-tree", "-r", "--root", "--no-commit-id", "--name-only", "-z", "--no-renames",
               "--relative", "--no-ext-diff", ref, "--"});
      if (!r.ok()) return r.status();
      if (r->exit_code != 0) return Failure(*r, ref);
      internal::AddNulSeparated(r->stdout_bytes, &paths);
    } else {
      absl::StatusOr<exec::SyncResult> base = Run({"merge-base", ref, "HEAD"});
      if (!base.ok()) return base.status();
      if (base->exit_code != 0) return Failure(*base, ref);
      std::string merge_base(absl::StripAsciiWhitespace(base->stdout_bytes));
      // Merge base -> working tree: committed, staged and unstaged changes of
      // tracked files in one call. The untracked-file walk is the slow part on
      // a big tree (it reads every directory): run both at once.
      std::future<absl::StatusOr<exec::SyncResult>> pending_untracked =
          std::async(std::launch::async, [this] {
            return Run({"ls-files", "--others", "--exclude-standard", "-z"});
          });
      absl::StatusOr<exec::SyncResult> diff =
          Run({"diff", "--name-only", "-z", "--no-renames", "--relative", "--no-ext-diff",
               merge_base, "--"});
      absl::StatusOr<exec::SyncResult> untracked = pending_untracked.get();
      if (!diff.ok()) return diff.status();
      if (diff->exit_code != 0) return Failure(*diff, ref);
      internal::AddNulSeparated(diff->stdout_bytes, &paths);
      if (!untracked.ok()) return untracked.status();
      if (untracked->exit_code != 0) return Failure(*untracked, ref);
      internal::AddNulSeparated(untracked->stdout_bytes, &paths);
    }
    std::sort(paths.begin(), paths.end());
    paths.erase(std::unique(paths.begin(), paths.end()), paths.end());
    std::vector<ChangedFile> out;
    out.reserve(paths.size());
    for (std::string& p : paths) {
      struct stat st;
      bool gone = ::lstat(absl::StrCat(buildroot_, "/", p).c_str(), &st) != 0;
      out.push_back(ChangedFile{std::move(p), gone});
    }
    return out;
  }

 private:
  absl::StatusOr<exec::SyncResult> Run(std::vector<std::string> args) {
    std::vector<std::string> argv = {git_, "-C", buildroot_};
    for (std::string& a : args) argv.push_back(std::move(a));
    absl::StatusOr<exec::SyncResult> r = exec::RunSync(argv, env_, absl::Seconds(120));
    if (!r.ok()) {
      return EnvironmentError(place_, absl::StrCat("cannot run git: ", r.status().message()));
    }
    return r;
  }

  bool IsShallow() {
    absl::StatusOr<exec::SyncResult> r = Run({"rev-parse", "--is-shallow-repository"});
    return r.ok() && r->exit_code == 0 && absl::StartsWith(r->stdout_bytes, "true");
  }

  // Turns a failed git command into the error the user should see.
  absl::Status Failure(const exec::SyncResult& r, const std::string& ref) {
    std::string message = GitMessage(r);
    if (absl::StrContains(r.stderr_bytes, "not a git repository")) {
      return EnvironmentError(
          place_, absl::StrCat(buildroot_, " is not inside a Git repository (git: ", message, ")"),
          "the `--changed-*` options are only available if Git is used for the repository");
    }
    const bool shallow = IsShallow();
    if (r.exit_code == 1 && r.stderr_bytes.empty()) {
      // `git merge-base` found no common ancestor.
      if (shallow) {
        return EnvironmentError(
            place_, absl::StrCat("cannot find the merge base of '", ref,
                                 "' and HEAD: the history that joins them was not fetched"),
            kShallowHint);
      }
      return EnvironmentError(
          place_, absl::StrCat("'", ref, "' and HEAD have no common ancestor"),
          absl::StrCat("compare the two commits directly with --changed-diffspec=", ref, "..HEAD"));
    }
    return EnvironmentError(place_, absl::StrCat("unknown Git ref '", ref, "' (git: ", message, ")"),
                            shallow ? kShallowHint
                                    : "check the branch or commit name; a remote branch may "
                                      "need `git fetch origin <branch>` first");
  }

  std::string buildroot_;
  std::map<std::string, std::string> env_;
  std::string git_;
  Location place_;
};

}  // namespace

std::unique_ptr<Git> NewRealGit(std::string buildroot, std::map<std::string, std::string> env) {
  return std::make_unique<RealGit>(std::move(buildroot), std::move(env));
}

}  // namespace braid::vcs
