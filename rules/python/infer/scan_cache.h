// ImportScanCache: the import scans of a workspace's Python files, kept on
// disk so a repeat run scans only the files that changed.
//
// Usage:
//   ImportScanCache cache("/home/u/.cache/braid/v1/infer/python-imports-<key>", config_key);
//   cache.Load();                                       // missing/corrupt file: empty cache
//   absl::StatusOr<const FileScan*> scan = cache.Get(buildroot, "src/app/x.py", scan_fn);
//   cache.Save();                                       // only writes if something changed
//
// How Get decides (like git's index, plus a content key):
//   1. stat(2) the file. If (dev, inode, size, mtime_ns, ctime_ns) equal the
//      recorded ones and the entry is not racy, the recorded content key
//      stands and the file is not read.
//   2. Else read it and take its XXH3-128 content key. A recorded scan for
//      that key (same bytes elsewhere, or a touch / checkout rewriting the
//      same bytes) is used; else the file is scanned and the scan recorded.
// An entry is racy when the file's mtime is within 2 s of the moment it was
// read: a later write in the same timestamp tick would leave the stat
// unchanged, so racy entries always take step 2.
//
// Invalidation: the header carries kImportScanCacheFormat, the scanner's
// version and `config_key` (a fingerprint of the scanner options the caller
// uses); any difference discards the whole file. Scans are keyed by content,
// so a stale stat entry can never give a wrong scan, only a wasted lookup.
//
// File format (little-endian, one file per build root, rewritten whole by
// Save() via a uniquely named temp file + rename(2), so readers only ever see
// a complete file; concurrent braid processes may overwrite each other's
// saves, which only costs re-scanning):
//   magic "BRAIDPYS"  u32 format  u32 scanner_version  u64 config_key
//   u32 n_scans, then per scan:
//     u64 key_high u64 key_low
//     u32 n_imports   per import: str module, u32 line, u8 level, u8 kind, u8 weak
//     u32 n_pragmas   per pragma: str address, u32 line
//     u32 n_assets    per asset:  str path, u32 line
//     u8 blank
//   u32 n_files, then per file:
//     str path (root-relative) u64 dev u64 ino i64 size i64 mtime_ns i64 ctime_ns u8 racy
//     u32 scan index
//   u64 XXH3-64 of every byte before it
// where str = u32 length + bytes. A file whose checksum, magic or bounds do
// not check out is ignored as a whole (every lookup is then a miss).
#ifndef BRAID_RULES_PYTHON_INFER_SCAN_CACHE_H_
#define BRAID_RULES_PYTHON_INFER_SCAN_CACHE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "rules/python/import_scanner.h"

namespace braid::python {

/// Bump when the on-disk layout changes.
inline constexpr uint32_t kImportScanCacheFormat = 1;
/// Bump when ScanImports (or asset extraction) may give different results
/// for the same bytes and options.
inline constexpr uint32_t kImportScannerVersion = 1;

/// A string literal that looks like a file path (`[python-infer] assets`).
struct AssetString {
  std::string path;
  int line = 0;
  friend bool operator==(const AssetString&, const AssetString&) = default;
};

/// What inference needs from one file.
struct FileScan {
  std::vector<ImportRecord> imports;
  std::vector<InferDepPragma> infer_deps;
  std::vector<AssetString> assets;
  /// Only whitespace (an "empty" __init__.py for `init_files = "content_only"`).
  bool blank = false;
  friend bool operator==(const FileScan&, const FileScan&) = default;
};

class ImportScanCache {
 public:
  /// Computes the scan of a file's bytes.
  using ScanFn = std::function<FileScan(absl::string_view content)>;

  /// `persist_path` is where Load/Save read and write ("" keeps the cache in
  /// memory); `config_key` fingerprints the options ScanFn depends on.
  ImportScanCache(std::string persist_path, uint64_t config_key);

  /// Reads the saved cache. A missing, foreign or corrupt file leaves the
  /// cache empty; never fails.
  void Load();
  /// Writes the cache atomically if anything changed since Load, keeping
  /// only files for which `keep(path)` is true (e.g. files still in the
  /// workspace) and the scans they use.
  absl::Status Save(const std::function<bool(absl::string_view)>& keep = nullptr);

  /// The scan of root-relative `path` under `root` (absolute). Errors: the
  /// file cannot be read (kFailedPrecondition, naming the path).
  absl::StatusOr<const FileScan*> Get(absl::string_view root, absl::string_view path,
                                      const ScanFn& scan);

  /// Get() for many files at once: the stat/read/scan work is spread over
  /// up to `parallelism` threads, then the results are recorded in order, so
  /// the cache ends up exactly as after calling Get() on each path in turn.
  /// One result per path, in the same order.
  std::vector<absl::StatusOr<const FileScan*>> GetMany(absl::string_view root,
                                                       absl::Span<const std::string> paths,
                                                       const ScanFn& scan, int parallelism);

  /// How lookups were answered (for tests and -ldebug).
  struct Stats {
    int64_t stat_hits = 0;     // step 1
    int64_t content_hits = 0;  // step 2, scan found by content key
    int64_t scans = 0;         // step 2, scanned
  };
  const Stats& stats() const { return stats_; }

 private:
  using Key = std::pair<uint64_t, uint64_t>;
  struct FileEntry {
    uint64_t dev = 0;
    uint64_t ino = 0;
    int64_t size = 0;
    int64_t mtime_ns = 0;
    int64_t ctime_ns = 0;
    bool racy = true;
    Key key;
  };
  bool Parse(absl::string_view data);
  // The outcome of looking at one file, computed without changing the cache
  // (so several threads may probe at once), then recorded by Commit.
  struct Probe {
    absl::Status error;                 // cannot stat/read: the file's error
    FileEntry entry;                    // its fresh stat (and content key unless stat_hit)
    bool stat_hit = false;              // entry unchanged: `found` is its recorded scan
    const FileScan* found = nullptr;    // a recorded scan for the content key
    std::unique_ptr<FileScan> scanned;  // else: the new scan
  };
  // `root_fd`: `root` opened as a directory, or -1 to use absolute paths.
  Probe ProbeFile(absl::string_view root, int root_fd, absl::string_view path,
                  const ScanFn& scan) const;
  absl::StatusOr<const FileScan*> Commit(absl::string_view path, Probe probe);

  std::string persist_path_;
  uint64_t config_key_;
  absl::flat_hash_map<std::string, FileEntry> files_;
  // Scans are heap-allocated so pointers handed out stay valid on rehash.
  absl::flat_hash_map<Key, std::unique_ptr<FileScan>> scans_;
  bool dirty_ = false;
  Stats stats_;
};

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INFER_SCAN_CACHE_H_
