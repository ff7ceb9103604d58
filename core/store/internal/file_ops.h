// Private to core/store: the POSIX file operations the store is built from.
//
// The store IS the filesystem edge of braid (its guarantees are rename(2)
// atomicity, fsync and flock semantics), so it is tested against a real
// temporary directory rather than a fake; these helpers keep the syscalls and
// their error reporting in one place.
#ifndef BRAID_CORE_STORE_INTERNAL_FILE_OPS_H_
#define BRAID_CORE_STORE_INTERNAL_FILE_OPS_H_

#include <sys/stat.h>
#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/error.h"

namespace braid::store::internal {

/// Owns a file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  ~UniqueFd() { Reset(); }
  UniqueFd(UniqueFd&& o) noexcept : fd_(o.Release()) {}
  UniqueFd& operator=(UniqueFd&& o) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  int Release();
  void Reset();

 private:
  int fd_ = -1;
};

/// A Location naming just a file.
Location FileLocation(absl::string_view path);

/// An environment error (kFailedPrecondition) "path: what: strerror(err)",
/// or kNotFound for ENOENT so callers can tell a miss from a broken disk.
absl::Status ErrnoError(absl::string_view path, absl::string_view what, int err);

/// open(2) with O_CLOEXEC, retrying EINTR.
absl::StatusOr<UniqueFd> OpenFile(const std::string& path, int flags, mode_t mode = 0);

/// Reads all of `fd` from its current offset, passing chunks to `sink`.
absl::Status ReadChunks(int fd, absl::string_view path,
                        const std::function<absl::Status(absl::string_view)>& sink);

/// The whole file (kNotFound if it does not exist).
absl::StatusOr<std::string> ReadFile(const std::string& path);

/// Writes all of `data` to `fd`, retrying short writes and EINTR.
absl::Status WriteAll(int fd, absl::string_view path, absl::string_view data);

/// Creates a new, empty file in `dir` named "<hint>.<pid>.<n>.<random>.tmp"
/// (O_EXCL, so two processes never share one) and returns its path.
absl::StatusOr<std::string> CreateTempFile(const std::string& dir, absl::string_view hint,
                                           UniqueFd* fd);

/// rename(2) `from` over `to`; creates `to`'s parent directory if it is
/// missing. With `fsync_dir` the parent directory is fsynced afterwards so the
/// new name survives a power loss.
absl::Status RenameIntoPlace(const std::string& from, const std::string& to, bool fsync_dir);

struct AtomicWriteOptions {
  mode_t mode = 0644;
  /// fsync the file before the rename and its directory after it.
  bool durable = false;
};

/// Writes `data` to a temp file in `tmp_dir` and renames it to `final_path`.
/// Readers see either the old file, no file, or the complete new file.
absl::Status WriteFileAtomically(const std::string& tmp_dir, const std::string& final_path,
                                 absl::string_view data, const AtomicWriteOptions& options);

/// mkdir -p; existing directories are fine.
absl::Status MakeDirs(const std::string& path);

/// fsync(2) of a directory.
absl::Status FsyncDir(const std::string& dir);

/// The directory part of `path` ("a/b/c" -> "a/b", "c" -> ".").
std::string Dirname(const std::string& path);

/// How stale an entry's mtime may get before a read refreshes it. Coarse on
/// purpose: LRU at 10-minute resolution is plenty for GC and saves a utimensat
/// per hit.
inline constexpr int64_t kLruTouchSeconds = 600;

/// Nanoseconds since the epoch of a stat time.
int64_t TimespecNanos(const struct timespec& ts);

/// Sets the mtime of `path` to now if it is older than `min_age_seconds`
/// (the store's LRU clock; see store.h). Errors are ignored: a failed touch
/// only makes the entry look older to GC.
void TouchIfOlder(const std::string& path, const struct stat& st, int64_t min_age_seconds);

}  // namespace braid::store::internal

#endif  // BRAID_CORE_STORE_INTERNAL_FILE_OPS_H_
