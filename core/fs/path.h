// Paths relative to the build root.
//
// Every path braid passes around inside the engine is *root-relative*: '/'
// separated, no leading "./" or "/", no trailing '/', no "." or ".." parts,
// and "" for the build root itself. These helpers produce and combine such
// paths; they never touch the disk.
//
// Usage:
//   auto p = NormalizeRelativePath("src/app/../lib/./x.py");   // "src/lib/x.py"
//   if (!p.ok()) return UserError(loc, p.status().message());  // caller adds the place
//   JoinPath("src", "app");        // "src/app"
//   RelativePath("a/b", "a/c/d");  // "../c/d"
#ifndef BRAID_CORE_FS_PATH_H_
#define BRAID_CORE_FS_PATH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::fs {

/// Lexically normalises `path` (collapses "//", ".", "x/.." and a trailing
/// '/'). Returns kInvalidArgument without a location when `path` is absolute
/// ("path '/x' must be relative to the build root") or a ".." climbs above the
/// root ("path '../x' escapes the build root"); the caller prefixes the place.
/// "" and "." normalise to "".
absl::StatusOr<std::string> NormalizeRelativePath(absl::string_view path);

/// True when lexically resolving `path` would leave the root it is relative to
/// (e.g. "../x", "a/../../x"). Absolute paths do not "escape" (check with
/// IsAbsolutePath).
bool EscapesRoot(absl::string_view path);

/// True when `path` starts with '/'.
inline bool IsAbsolutePath(absl::string_view path) {
  return !path.empty() && path[0] == '/';
}

/// Joins two root-relative parts: JoinPath("", "x") == "x",
/// JoinPath("a", "") == "a", JoinPath("a", "b/c") == "a/b/c". Does not normalise.
std::string JoinPath(absl::string_view a, absl::string_view b);

/// The directory part: Dirname("a/b/c.py") == "a/b", Dirname("c.py") == "".
absl::string_view Dirname(absl::string_view path);

/// The last part: Basename("a/b/c.py") == "c.py", Basename("c.py") == "c.py".
absl::string_view Basename(absl::string_view path);

/// The extension including the dot of the basename ("x.tar.gz" -> ".gz",
/// ".bashrc" -> "", "Makefile" -> ""), like Python's PurePath.suffix.
absl::string_view Extension(absl::string_view path);

/// The path that leads from directory `from_dir` to `to` (both normalised and
/// root-relative): RelativePath("a/b", "a/c/d") == "../c/d",
/// RelativePath("a", "a/x") == "x", RelativePath("a", "a") == ".".
std::string RelativePath(absl::string_view from_dir, absl::string_view to);

/// True when `path` is `dir` or lies below it; every path is under "".
/// IsUnderDir("a/bc", "a/b") is false.
bool IsUnderDir(absl::string_view path, absl::string_view dir);

/// Compares paths part by part (like Rust's Path ordering, which Pants uses to
/// sort addresses): "a/b" < "a-b" because part "a" < "a-b", whereas plain
/// string order puts "a-b" first. Returns <0, 0, >0.
int ComparePaths(absl::string_view a, absl::string_view b);

}  // namespace braid::fs

#endif  // BRAID_CORE_FS_PATH_H_
