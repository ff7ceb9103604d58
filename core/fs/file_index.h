// A snapshot of every file and directory under the build root.
//
// Built by one walk (FileIndex::Build) honouring the ignore rules, then
// queried in memory: globs, BUILD-file discovery, source-root discovery and
// spec matching never touch the disk again.
//
// Walk rules:
//   * An ignored directory is not entered (as in git, nothing below it can be
//     re-included); an ignored file is left out.
//   * Symlinks to files are listed as files (Pants follows them). Symlinks to
//     directories are NOT entered and not listed: that avoids cycles and
//     double-counting, at the price of not seeing code reached only through
//     such a link. Broken symlinks and special files are skipped.
//   * With `use_gitignore`, the root `.gitignore` and `.git/info/exclude` are
//     read; with `nested_gitignore` also every `.gitignore` met on the way,
//     applying to its own subtree. (Pants 2.x reads only the root file; braid
//     reads nested ones too by default, which is what git users expect.)
//   * pants_ignore always takes precedence over git files.
//
// Paths are root-relative; both lists are sorted in byte order, so all paths
// below a directory form one contiguous range.
//
// Usage:
//   RealFileSystem fs(root);
//   WalkOptions opts;  // Pants defaults
//   absl::StatusOr<FileIndex> index = FileIndex::Build(fs, opts);
//   for (const std::string& f : index->FilesUnder("src/app")) ...
#ifndef BRAID_CORE_FS_FILE_INDEX_H_
#define BRAID_CORE_FS_FILE_INDEX_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "core/fs/file_system.h"
#include "core/fs/ignore.h"

namespace braid::fs {

/// How to walk the build root.
struct WalkOptions {
  /// `[GLOBAL] pants_ignore` patterns (gitignore syntax, anchored at the root).
  std::vector<std::string> pants_ignore = DefaultPantsIgnore();
  /// `[GLOBAL] pants_ignore_use_gitignore`: read .gitignore and .git/info/exclude.
  bool use_gitignore = true;
  /// Also honour .gitignore files below the root (braid extension; see above).
  bool nested_gitignore = true;
  /// Extra root-relative directories never entered (e.g. pants_workdir ".pants.d"
  /// and pants_distdir "dist"), as Pants always ignores them.
  std::vector<std::string> always_ignored_dirs;
  /// Threads for the walk (1: the calling thread only). The result does not
  /// depend on it.
  int parallelism = 1;
};

/// Sorted lists of the files and directories of a tree.
class FileIndex {
 public:
  FileIndex() = default;

  /// Walks the whole tree of `fs` once. Fails only on environment errors
  /// (an unreadable directory other than a vanished one).
  static absl::StatusOr<FileIndex> Build(const FileSystem& fs, const WalkOptions& options);
  /// As above with a ready matcher (no git files are read; nested ones are
  /// still read when `nested_gitignore` is true).
  static absl::StatusOr<FileIndex> Build(const FileSystem& fs, const IgnoreMatcher& ignore,
                                         bool nested_gitignore);

  /// An index of exactly these files (normalised root-relative paths); their
  /// ancestor directories are derived. For tests and for synthetic trees.
  static FileIndex FromFiles(std::vector<std::string> files);

  /// All files, sorted, unique.
  const std::vector<std::string>& files() const { return files_; }
  /// All directories except the root itself, sorted, unique.
  const std::vector<std::string>& dirs() const { return dirs_; }

  bool HasFile(absl::string_view path) const;
  /// True for "" (the root) and every indexed directory.
  bool HasDir(absl::string_view path) const;
  bool Exists(absl::string_view path) const { return HasFile(path) || HasDir(path); }

  /// Files anywhere below `dir` ("" = all files), as a contiguous sorted range.
  absl::Span<const std::string> FilesUnder(absl::string_view dir) const;
  /// Directories strictly below `dir`, as a contiguous sorted range.
  absl::Span<const std::string> DirsUnder(absl::string_view dir) const;
  /// Files directly inside `dir` (not in sub-directories), sorted. Costs the
  /// number of those files plus a binary search per sub-directory.
  std::vector<absl::string_view> FilesIn(absl::string_view dir) const;

 private:
  // An index of what a walk listed (files in path order, dirs in any order).
  static FileIndex FromWalk(std::vector<std::string> files, std::vector<std::string> dirs);

  std::vector<std::string> files_;
  std::vector<std::string> dirs_;
};

}  // namespace braid::fs

#endif  // BRAID_CORE_FS_FILE_INDEX_H_
