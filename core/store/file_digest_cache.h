// FileDigestCache: SHA-256 digests of workspace files without re-hashing
// unchanged ones.
//
// Usage:
//   FileDigestCache cache(store.file_digest_cache_path());
//   cache.Load();                                    // a missing file is fine
//   absl::StatusOr<Digest> d = cache.DigestOf("/abs/repo/src/app.py");
//   cache.Save();                                    // at the end of the run
//
// How a lookup decides (like git's index, plus a content fingerprint):
//   1. stat(2) the file. If (dev, inode, size, mtime_ns, ctime_ns) equal the
//      recorded ones and the entry is not "racy", the recorded digest stands.
//   2. Else, if the size is unchanged, hash the content with XXH3-128 (~10x
//      faster than SHA-256). Equal to the recorded fingerprint: the content is
//      the same (a touch, a checkout rewriting identical bytes), so the
//      recorded digest stands and the new stat is recorded.
//   3. Else compute SHA-256 and XXH3-128 in one read and record both.
// With set_answer_once(true) (what the scheduler uses: one object per run),
// each path is looked at once: later lookups return the first answer without
// a stat, so a run keys all its actions against one view of the files (a
// closure file is an input of many tests).
// An entry is "racy" when the file's mtime was within 2 seconds of the moment
// it was hashed: a write later in the same timestamp tick would leave the stat
// unchanged, so racy entries always take step 2. If the stat changes while the
// file is being hashed, the result is returned but not recorded.
//
// File format (`<store>/v1/file-digests`, rewritten whole by Save() via temp +
// rename; a damaged or foreign file is ignored, since this is only a cache):
//   braid-file-digests 1
//   <C-escaped absolute path>\t<dev>\t<ino>\t<size>\t<mtime_ns>\t<ctime_ns>\t<racy 0|1>\t<xxh3-128 hex>\t<sha256 hex>
// one line per file, sorted by path. Concurrent processes may overwrite each
// other's saves; that only costs re-hashing, because every entry is checked
// against a fresh stat before use.
#ifndef BRAID_CORE_STORE_FILE_DIGEST_CACHE_H_
#define BRAID_CORE_STORE_FILE_DIGEST_CACHE_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/store/digest.h"

namespace braid::store {

class FileDigestCache {
 public:
  /// `persist_path` is where Load/Save read and write; "" keeps it in memory.
  explicit FileDigestCache(std::string persist_path);

  /// Reads the saved entries. A missing file is OK; malformed lines are skipped.
  absl::Status Load();
  /// Writes the entries atomically if anything changed since Load.
  absl::Status Save();

  /// The SHA-256 digest of the regular file at `abs_path` (with
  /// answer_once, the first answer given for that path, see above).
  absl::StatusOr<Digest> DigestOf(const std::string& abs_path);

  /// How lookups were answered (for tests and `-ldebug` statistics).
  struct Stats {
    int64_t stat_hits = 0;         // step 1
    int64_t fingerprint_hits = 0;  // step 2, content unchanged
    int64_t full_hashes = 0;       // step 3 (or step 2 found a change)
    int64_t repeats = 0;           // answered before (answer_once)
  };
  const Stats& stats() const { return stats_; }
  /// Turns answer_once on or off; either way forgets the answers given so far.
  void set_answer_once(bool on) {
    answer_once_ = on;
    answered_.clear();
  }
  size_t size() const { return entries_.size(); }

 private:
  absl::StatusOr<Digest> Lookup(const std::string& abs_path);  // steps 1-3
  struct Entry {
    uint64_t dev = 0;
    uint64_t ino = 0;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    bool racy = true;
    Fingerprint fingerprint;
    Digest digest;
  };

  std::string persist_path_;
  std::map<std::string, Entry> entries_;  // by absolute path; sorted for Save
  bool answer_once_ = false;
  absl::flat_hash_map<std::string, Digest> answered_;  // with answer_once_
  bool dirty_ = false;
  Stats stats_;
};

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_FILE_DIGEST_CACHE_H_
