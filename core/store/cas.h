// LocalCas: the content-addressed blob store on local disk.
//
// Usage:
//   LocalCas cas(store_dir + "/v1/cas", store_dir + "/v1/tmp");
//   absl::StatusOr<Digest> d = cas.Put("print('hi')\n");
//   std::optional<std::string> bytes = cas.Get(*d);      // verified, or nullopt
//   RETURN_IF_ERROR(cas.MaterializeFile(*d, sandbox + "/app.py", false));
//
// Layout (inside `root`; store.h documents the whole store):
//   <hh>/<hash>-<size>      the blob, mode 0444, hh = first two hex digits
//   <hh>/<hash>-<size>.x    an executable (0555) twin, made on demand for
//                           hard-linking executable inputs
//
// Guarantees:
//   - Writes go to a temp file in `tmp_dir` (same filesystem) and are
//     rename(2)d into place, so a reader, or a process killed mid-write,
//     never leaves or sees a partial blob at the final path.
//   - Every read verifies size and SHA-256. A mismatch (disk damage, someone
//     editing a file in the store) removes the entry and reads as a miss; the
//     next Put of that content repairs it.
//   - Blobs are not fsynced: a blob torn by a power loss fails verification
//     and is a miss, never a wrong result (the action cache, which must be
//     durable to be trusted, is fsynced; see action_cache.h).
//   - Concurrent writers of the same blob are harmless: the content is the
//     same and the last rename wins.
//
// Hard links: a file hard-linked into a sandbox shares its inode with the
// store, so a test that wrote to its input would corrupt the store for every
// later action. Blobs are therefore stored read-only (0444 / 0555) and linked
// only when the kernel enforces that: never when running as root (root ignores
// file modes), and never across filesystems (link(2) fails with EXDEV). In
// those cases the file is copied. Either way the reader sees a read-only file.
#ifndef BRAID_CORE_STORE_CAS_H_
#define BRAID_CORE_STORE_CAS_H_

#include <sys/stat.h>

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/store/digest.h"

namespace braid::store {

struct CasOptions {
  /// Whether MaterializeFile may hard-link blobs. nullopt: only when the
  /// effective uid is not root (see the header comment).
  std::optional<bool> allow_hardlinks;
};

class LocalCas {
 public:
  /// `root` and `tmp_dir` must exist (Store::Open creates them) and be on the
  /// same filesystem so rename(2) is atomic.
  LocalCas(std::string root, std::string tmp_dir, CasOptions options = {});

  /// Stores `bytes`; returns their digest. An intact existing copy is kept
  /// (and marked recently used); a damaged one is replaced.
  absl::StatusOr<Digest> Put(absl::string_view bytes);

  /// Stores a file's content, streamed in chunks (memory use does not grow
  /// with the file). The digest is of the bytes actually copied. Always
  /// writes a fresh copy: callers that already know the digest (the
  /// FileDigestCache) call Has() first.
  absl::StatusOr<Digest> PutFile(const std::string& path);

  /// The blob's bytes after checking size and SHA-256; nullopt when missing
  /// or damaged (a damaged entry is removed).
  std::optional<std::string> Get(const Digest& digest);

  /// True if an entry of the right size exists. Cheap (one stat) and does not
  /// check the content: use Verify() or Get() before trusting it.
  bool Has(const Digest& digest) const;

  /// Streams the blob through SHA-256; false (and the entry removed) if it is
  /// missing or damaged.
  bool Verify(const Digest& digest);

  /// The blob's path, for callers that hard-link or mmap it. "" for an invalid
  /// digest. The file may not exist.
  std::string Path(const Digest& digest) const;

  /// Creates `dest` (which must not exist; its parent directories are
  /// created) with the blob's content, mode 0555 if `executable` else 0444,
  /// by hard link when allowed and possible, else by copy. The content is
  /// verified on the way. kNotFound if the blob is missing or damaged.
  absl::Status MaterializeFile(const Digest& digest, const std::string& dest, bool executable);

  const std::string& root() const { return root_; }
  bool hardlinks_allowed() const { return allow_hardlinks_; }

 private:
  // Verifies the file at `path` holds `digest`; removes it if not.
  bool VerifyPath(const std::string& path, const Digest& digest);
  // Removes `path` if it is still the inode described by `st` (a concurrent
  // writer may already have replaced it with a good copy).
  void Quarantine(const std::string& path, const struct stat& st, absl::string_view why);
  // The 0555 twin of a blob, created from the blob if needed.
  absl::StatusOr<std::string> ExecutableTwin(const Digest& digest);
  // Copies the blob to `dest_fd`, verifying it; kNotFound if damaged.
  absl::Status CopyVerified(const Digest& digest, int dest_fd, const std::string& dest);

  std::string root_;
  std::string tmp_dir_;
  bool allow_hardlinks_;
};

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_CAS_H_
