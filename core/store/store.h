// Store: braid's local cache directory — blobs, directory trees, action results.
//
// Usage:
//   absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(settings.dir);
//   (*store)->cas().Put(bytes);
//   (*store)->action_cache().Get(key.action_digest);
//   (*store)->MaybeGc(settings.max_bytes);   // cheap unless an hour has passed
//
// On-disk layout ([GLOBAL] local_store_dir, default $XDG_CACHE_HOME/braid or
// ~/.cache/braid):
//
//   <dir>/v1/                     this layout; an incompatible one would be v2/
//     VERSION                     "braid-store 1\n"
//     cas/<hh>/<hash>-<size>      a blob (mode 0444); hh = first 2 hex digits of
//                                 its SHA-256, <size> its length in decimal
//     cas/<hh>/<hash>-<size>.x    its executable twin (0555), for hard links
//     ac/<hh>/<hash>-<size>       action digest -> ActionResult (action_cache.h)
//     tmp/                        files being written; renamed into cas/ or ac/
//     file-digests                FileDigestCache (file_digest_cache.h)
//     gc.lock                     flock(2)ed while a GC runs
//     gc.stamp                    its mtime is the last automatic GC (MaybeGc)
//
// Why this shape: one file per entry makes every write a temp file plus
// rename(2), which is atomic on POSIX, so concurrent braid processes need no
// lock to share the store and a process killed mid-write (kill -9) leaves only
// a stray file in tmp/ (removed by GC after an hour), never a partial entry.
// tmp/ sits inside the store so the rename never crosses filesystems. The size
// is in the name so a truncated file is caught by one stat. 256 shards keep
// directories small. Blobs are the REAPI unit (SHA-256 + size), so a remote
// cache can later be consulted with the same keys.
//
// What an action leaves: its ActionResult in ac/, its declared outputs as blobs,
// and its stdout / stderr as blobs only above 4 KiB; smaller ones sit inside the
// ActionResult (stdout_raw / stderr_raw), since a new file is the dearest part of
// recording a result. The Command and Action messages are computed for the key
// and not stored: nothing reads them back (a remote executor would be sent them).
// Entries written with stdout / stderr blobs replay the same.
//
// LRU garbage collection. The recency clock is each entry's mtime: Put and
// every verified read set it to now (at most once per 10 minutes per entry).
// atime would be free but is not reliable (noatime and relatime mounts), so
// braid does not use it. Gc() sums the sizes (st_size) of everything under
// cas/ and ac/ and, when over the cap, deletes the least recently used entries
// (oldest mtime first, ties by path) until under the target. Deleting a blob
// an action result needs only turns that result into a miss (ActionCache::Get
// verifies every blob), and files already hard-linked into sandboxes keep
// their content. An flock on gc.lock keeps two GCs from running at once; a
// second one returns immediately.
#ifndef BRAID_CORE_STORE_STORE_H_
#define BRAID_CORE_STORE_STORE_H_

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "core/store/action_cache.h"
#include "core/store/cas.h"

namespace braid::store {

/// The content of v1/VERSION.
inline constexpr absl::string_view kStoreVersionLine = "braid-store 1\n";

/// Automatic GC (MaybeGc) runs at most this often.
inline constexpr int64_t kAutoGcIntervalSeconds = 3600;

/// Temp files older than this are left over from a crash and removed by GC.
inline constexpr int64_t kStaleTempSeconds = 3600;

struct GcOptions {
  /// Start deleting when the store holds more than this many bytes.
  int64_t max_bytes = 0;
  /// Then delete down to this (<= max_bytes); -1 means max_bytes.
  int64_t target_bytes = -1;
};

struct GcStats {
  /// False if another process held gc.lock (nothing was done).
  bool ran = false;
  int64_t bytes_before = 0;
  int64_t bytes_after = 0;
  int64_t entries_removed = 0;
  int64_t temp_files_removed = 0;
};

class Store {
 public:
  /// Opens (creating if needed) the store under `dir`. kFailedPrecondition if
  /// the directory cannot be created or holds another layout version.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const std::string& dir,
                                                     CasOptions cas_options = {});
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  /// `dir` as given to Open().
  const std::string& dir() const { return dir_; }
  /// <dir>/v1
  const std::string& root() const { return root_; }
  LocalCas& cas() { return cas_; }
  ActionCache& action_cache() { return ac_; }
  /// Where the FileDigestCache of this store lives.
  std::string file_digest_cache_path() const { return root_ + "/file-digests"; }

  /// LRU collection (see the header comment). Also removes stale temp files.
  absl::StatusOr<GcStats> Gc(const GcOptions& options);

  /// The automatic pruning braid runs after a command: at most once per
  /// kAutoGcIntervalSeconds (across processes, via gc.stamp), collects down
  /// to 80% of `max_bytes` if the store is over it. nullopt when skipped.
  absl::StatusOr<std::optional<GcStats>> MaybeGc(int64_t max_bytes);

  /// Bytes held under cas/ and ac/ (st_size, what GC counts).
  absl::StatusOr<int64_t> SizeBytes() const;

 private:
  Store(std::string dir, std::string root, CasOptions cas_options);

  std::string dir_;
  std::string root_;
  LocalCas cas_;
  ActionCache ac_;
};

/// braid's default store directory: $XDG_CACHE_HOME/braid if that is set
/// (and absolute, as the XDG spec requires), else $HOME/.cache/braid.
/// kFailedPrecondition if neither is usable.
absl::StatusOr<std::string> DefaultStoreDir(const std::map<std::string, std::string>& env);

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_STORE_H_
