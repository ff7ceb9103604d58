// The narrow interface through which braid reads the workspace.
//
// Paths are root-relative (see path.h); "" is the root itself. Two
// implementations: RealFileSystem (POSIX, rooted at a directory) and
// FakeFileSystem (in memory, for tests).
//
// Errors: a missing path is kNotFound ("src/x.py: no such file or directory");
// any other failure (permission, I/O) is kFailedPrecondition, the environment
// kind of core/base/error.h. Messages name the root-relative path.
//
// Usage:
//   RealFileSystem fs("/repo");
//   absl::StatusOr<std::string> text = fs.ReadFile("src/app/BUILD");
//   absl::StatusOr<std::vector<DirEntry>> entries = fs.ListDir("src");
#ifndef BRAID_CORE_FS_FILE_SYSTEM_H_
#define BRAID_CORE_FS_FILE_SYSTEM_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::fs {

/// What a path is, after following symlinks.
enum class FileKind {
  kFile,
  kDir,
  kOther,  // device, socket, fifo, or a broken symlink
};

/// One entry of a directory listing.
struct DirEntry {
  std::string name;  // a single path part, never "." or ".."
  /// Kind of the entry after following a symlink (kOther for a broken one).
  FileKind kind = FileKind::kFile;
  bool is_symlink = false;  // the entry itself is a symlink

  bool is_dir() const { return kind == FileKind::kDir; }
  bool is_file() const { return kind == FileKind::kFile; }
  bool operator==(const DirEntry&) const = default;
};

/// Result of Stat (symlinks followed).
struct FileStat {
  FileKind kind = FileKind::kFile;
  bool is_symlink = false;  // the path itself is a symlink (lstat)
  int64_t size = 0;         // bytes; 0 for directories
  int64_t mtime_ns = 0;     // modification time, ns since the epoch; 0 if unknown
};

/// Read-only access to a tree of files. Implementations are safe to call from
/// several threads at once.
class FileSystem {
 public:
  virtual ~FileSystem() = default;

  /// The whole content of the file at `path`.
  virtual absl::StatusOr<std::string> ReadFile(absl::string_view path) const = 0;

  /// The entries of directory `path`, sorted by name (byte order).
  virtual absl::StatusOr<std::vector<DirEntry>> ListDir(absl::string_view path) const = 0;

  /// Metadata of `path`, following symlinks.
  virtual absl::StatusOr<FileStat> Stat(absl::string_view path) const = 0;

  /// True when `path` exists (a broken symlink does not).
  bool Exists(absl::string_view path) const { return Stat(path).ok(); }
};

/// The real disk below `root` (an absolute or cwd-relative directory).
/// ListDir uses readdir's d_type and only stats symlinks and entries whose
/// type the filesystem does not report, so listing a tree costs one syscall
/// batch per directory rather than one stat per file.
class RealFileSystem : public FileSystem {
 public:
  explicit RealFileSystem(std::string root);

  const std::string& root() const { return root_; }

  absl::StatusOr<std::string> ReadFile(absl::string_view path) const override;
  absl::StatusOr<std::vector<DirEntry>> ListDir(absl::string_view path) const override;
  absl::StatusOr<FileStat> Stat(absl::string_view path) const override;

 private:
  std::string Absolute(absl::string_view path) const;
  std::string root_;  // without a trailing '/' (except "/" itself)
};

/// An in-memory tree for tests. Adding a file creates its parent directories.
/// Not thread-safe while being modified.
class FakeFileSystem : public FileSystem {
 public:
  FakeFileSystem() = default;

  /// Adds (or replaces) a file; `path` must be normalised and non-empty.
  void AddFile(absl::string_view path, absl::string_view contents = "");
  /// Adds an (empty) directory and its parents.
  void AddDir(absl::string_view path);
  /// Adds a symlink at `path` pointing at root-relative `target` (which may be
  /// missing: a broken link). Links are resolved one level only.
  void AddSymlink(absl::string_view path, absl::string_view target);
  /// Sets the mtime reported by Stat (default 0).
  void SetMtime(absl::string_view path, int64_t mtime_ns);

  absl::StatusOr<std::string> ReadFile(absl::string_view path) const override;
  absl::StatusOr<std::vector<DirEntry>> ListDir(absl::string_view path) const override;
  absl::StatusOr<FileStat> Stat(absl::string_view path) const override;

 private:
  struct Node {
    FileKind kind = FileKind::kFile;
    std::string contents;
    std::string symlink_target;  // non-empty: this node is a symlink
    int64_t mtime_ns = 0;
  };
  // Resolves one level of symlink; nullptr if missing.
  const Node* Resolve(absl::string_view path, bool* is_symlink) const;
  std::map<std::string, Node, std::less<>> nodes_;  // "" is the root directory
};

}  // namespace braid::fs

#endif  // BRAID_CORE_FS_FILE_SYSTEM_H_
