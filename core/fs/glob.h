// Pants-style path globs, as in a `sources=[...]` field or a file spec.
//
// A glob is relative to a directory (the BUILD file's, or "" for the root):
//   "*.py"            files directly in the directory
//   "sub/test_*.py"   a literal sub-directory part, then a wildcard
//   "**/*.py"         any depth, including the directory itself
//   "app.py"          a literal path (matches only if it exists)
//   "!conftest.py"    an exclusion, applied after all includes
//   "../lib/x.py"     ".." is allowed as long as the result stays in the root
// Wildcards are those of wildmatch.h. Globs only ever match files, never
// directories. Excludes are anchored like includes (Pants prefixes both with
// the BUILD directory, so "!x.py" in src/app only excludes src/app/x.py).
//
// Usage:
//   absl::StatusOr<PathGlobs> g = PathGlobs::Create("src/app", {"*.py", "!*_test.py"});
//   if (!g.ok()) return UserError(loc, g.status().message());
//   std::vector<std::string> files = g->Expand(index);  // sorted, unique
#ifndef BRAID_CORE_FS_GLOB_H_
#define BRAID_CORE_FS_GLOB_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::fs {

class FileIndex;

/// One glob resolved against its directory.
struct ResolvedGlob {
  std::string original;      // as written, including any leading '!'
  std::string pattern;       // root-relative, normalised (e.g. "src/app/*.py")
  std::string literal_dir;   // longest wildcard-free directory prefix ("src/app")
  bool is_literal = false;   // no wildcard at all: `pattern` is a plain path
  bool exclude = false;      // written with a leading '!'
  /// Wildcard globs: the parts of `pattern` after `literal_dir` ("*.py" for
  /// "src/app/*.py"). A path below literal_dir matches `pattern` exactly when
  /// its remainder matches `rest` (the literal parts match one for one), so
  /// matching skips the shared prefix.
  std::string rest;
  /// `rest` is a single part without "**": only files directly inside
  /// literal_dir can match, so expansion need not visit sub-directories.
  bool single_part = false;
  /// For a single_part `rest` of the form "<prefix>*<suffix>" with no other
  /// wildcard or escape (most globs: "*.py", "test_*.py"): the position of
  /// the '*', so matching compares the two ends; npos otherwise.
  size_t star = std::string::npos;
};

/// A compiled list of include and exclude globs.
class PathGlobs {
 public:
  PathGlobs() = default;

  /// Resolves `globs` against root-relative `base_dir`. Fails (kInvalidArgument,
  /// no location) for an empty glob, an absolute glob ("glob '/x.py' must be
  /// relative, not absolute"), or one whose ".." leaves the build root
  /// ("glob '../x.py' escapes the build root").
  static absl::StatusOr<PathGlobs> Create(absl::string_view base_dir,
                                          const std::vector<std::string>& globs);

  /// True when root-relative file `path` matches an include and no exclude.
  bool Matches(absl::string_view path) const;

  /// All files of `index` matching, sorted (byte order) and de-duplicated.
  std::vector<std::string> Expand(const FileIndex& index) const;

  /// Include globs (in order) that matched no file of `index` once excludes
  /// are applied; Pants warns or errors about these ("unmatched glob").
  std::vector<std::string> UnmatchedIncludes(const FileIndex& index) const;

  const std::vector<ResolvedGlob>& includes() const { return includes_; }
  const std::vector<ResolvedGlob>& excludes() const { return excludes_; }

 private:
  bool Excluded(absl::string_view path) const;
  std::vector<ResolvedGlob> includes_;
  std::vector<ResolvedGlob> excludes_;
};

/// Resolves a single glob (without '!') against `base_dir`; the building block
/// of PathGlobs::Create, exposed for file specs (see core/graph/specs.h).
absl::StatusOr<ResolvedGlob> ResolveGlob(absl::string_view base_dir, absl::string_view glob);

/// True when root-relative `path` matches a ResolvedGlob's pattern.
bool GlobMatches(const ResolvedGlob& glob, absl::string_view path);

}  // namespace braid::fs

#endif  // BRAID_CORE_FS_GLOB_H_
