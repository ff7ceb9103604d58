// gitignore-syntax matching, for `[GLOBAL] pants_ignore` and `.gitignore`.
//
// Pattern syntax (https://git-scm.com/docs/gitignore):
//   # comment           blank lines and lines starting with '#' match nothing
//   \#x  \!x            a leading backslash makes '#'/'!' literal
//   !pattern            negation: re-includes what an earlier pattern ignored
//   dir/                trailing '/': matches directories only
//   /x  a/x             a '/' at the start or middle anchors the pattern to
//                       the directory of the rule set (its base_dir)
//   x                   no '/' (except trailing): matches the name at any depth
//   *, ?, [..], **      see wildmatch.h
//   trailing spaces     stripped unless escaped with '\'
//
// Precedence (mirrors git and Pants): inside one rule set the last matching
// line wins. Across rule sets: `pants_ignore` beats every git file (so
// `!x` in pants_ignore re-includes a gitignored path); a deeper .gitignore
// beats a shallower one; a .gitignore beats .git/info/exclude.
//
// As in git, once a directory is ignored nothing below it can be re-included:
// the walker never descends into it. IsIgnored checks only the path itself;
// IsPathOrParentIgnored also checks every ancestor directory.
//
// Usage:
//   IgnoreMatcher m;
//   m.Add(*IgnoreRules::FromLines(IgnoreSource::kPantsIgnore, "", DefaultPantsIgnore()));
//   m.IsIgnored(".git", /*is_dir=*/true);  // true
#ifndef BRAID_CORE_FS_IGNORE_H_
#define BRAID_CORE_FS_IGNORE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::fs {

/// Where a rule set came from; later enumerators take precedence.
enum class IgnoreSource {
  kGitInfoExclude = 0,  // .git/info/exclude
  kGitignore = 1,       // a .gitignore file (root or nested)
  kPantsIgnore = 2,     // [GLOBAL] pants_ignore
};

/// The default of `[GLOBAL] pants_ignore` in Pants 2.x:
/// [".*/", "/dist/", "__pycache__", "!.semgrep/"].
std::vector<std::string> DefaultPantsIgnore();

/// The verdict of one rule set on one path.
enum class IgnoreVerdict { kNoMatch, kIgnored, kIncluded };

/// One parsed gitignore pattern.
struct IgnorePattern {
  std::string glob;       // without '!', anchoring '/' and trailing '/'; escapes kept
  bool negated = false;   // started with '!'
  bool dir_only = false;  // ended with '/'
  bool anchored = false;  // matches the path relative to base_dir, not just the basename
  int line = 0;           // 1-based line in the source (0 for option lists)
};

/// The patterns of one file or option, applying below `base_dir`.
class IgnoreRules {
 public:
  /// Parses gitignore text. Never fails: lines git would ignore are skipped.
  /// `origin` names the file for messages (e.g. "src/.gitignore").
  static IgnoreRules Parse(IgnoreSource source, absl::string_view base_dir,
                           absl::string_view text, absl::string_view origin);
  /// One pattern per element (as in the pants_ignore option).
  static IgnoreRules FromLines(IgnoreSource source, absl::string_view base_dir,
                               const std::vector<std::string>& lines,
                               absl::string_view origin = "[GLOBAL].pants_ignore");

  /// The verdict for root-relative `path` (last matching pattern wins).
  /// Paths outside base_dir get kNoMatch.
  IgnoreVerdict Check(absl::string_view path, bool is_dir) const;

  IgnoreSource source() const { return source_; }
  const std::string& base_dir() const { return base_dir_; }
  const std::string& origin() const { return origin_; }
  const std::vector<IgnorePattern>& patterns() const { return patterns_; }

 private:
  IgnoreSource source_ = IgnoreSource::kPantsIgnore;
  std::string base_dir_;  // root-relative, "" for the root
  std::string origin_;
  std::vector<IgnorePattern> patterns_;
};

/// An ordered collection of rule sets deciding whether a path is ignored.
/// Copyable (the walker copies it to add nested .gitignore files per subtree).
class IgnoreMatcher {
 public:
  /// Adds a rule set; it is ordered by (source, depth of base_dir, insertion).
  void Add(IgnoreRules rules);

  /// True when the highest-precedence matching rule ignores `path` itself.
  bool IsIgnored(absl::string_view path, bool is_dir) const;

  /// True when `path` or any of its ancestor directories is ignored.
  bool IsPathOrParentIgnored(absl::string_view path, bool is_dir) const;

  bool empty() const { return rules_.empty(); }

 private:
  std::vector<IgnoreRules> rules_;  // highest precedence first
};

}  // namespace braid::fs

#endif  // BRAID_CORE_FS_IGNORE_H_
