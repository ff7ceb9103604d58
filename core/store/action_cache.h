// ActionCache: action digest -> ActionResult, on local disk.
//
// Usage:
//   ActionCache ac(dir + "/v1/ac", dir + "/v1/tmp", &cas);
//   if (std::optional<reapi::ActionResult> hit = ac.Get(key.action_digest, &why)) {
//     replay *hit, "(cached)";
//   } else {
//     run; RETURN_IF_ERROR(ac.Put(key.action_digest, result));
//   }
//
// Entry format (`<root>/<hh>/<hash>-<size>` of the action digest, mode 0444):
//   "braid-ac 1 <sha256 hex of payload>\n" <payload>
// where payload is the deterministic encoding of a reapi::ActionResult. The
// key is not the hash of the entry (unlike a CAS blob), so the header carries
// the payload's checksum: a damaged entry is detected, removed and read as a
// miss.
//
// Trust rules:
//   - Failures are never served as successes. By default a result with a
//     non-zero exit code is not stored at all (Put returns OK and does
//     nothing), so a failing test reruns every time. A caller that wants to
//     remember failures (e.g. a lint that is slow to fail) must pass
//     allow_failure; Get then returns the result with its exit code, and it
//     is the caller's job to report it as the failure it is.
//   - A hit is only a hit if every blob it references (output files, output
//     directory trees and their files, stdout, stderr) is in the CAS and
//     passes SHA-256 verification. Otherwise Get returns nullopt and the
//     action reruns; its new Put overwrites the entry. This is what makes a
//     flipped byte in a stored output rerun the action instead of replaying
//     damaged output.
//   - Entries are written durably (fsync of the file before the rename and of
//     its directory after), because a torn entry that parsed would be trusted.
//     Blobs need no fsync: Get verifies them.
#ifndef BRAID_CORE_STORE_ACTION_CACHE_H_
#define BRAID_CORE_STORE_ACTION_CACHE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "core/store/cas.h"
#include "core/store/digest.h"
#include "core/store/reapi.pb.h"

namespace braid::store {

class ActionCache {
 public:
  /// `cas` holds the blobs results refer to; it must outlive this object.
  ActionCache(std::string root, std::string tmp_dir, LocalCas* cas);

  struct PutOptions {
    /// Store results with a non-zero exit code too (see header comment).
    bool allow_failure = false;
  };

  /// Records `result` for `action`. A failing result is silently not stored
  /// unless options.allow_failure. kInvalidArgument for an invalid digest.
  absl::Status Put(const Digest& action, const reapi::ActionResult& result,
                   PutOptions options);
  absl::Status Put(const Digest& action, const reapi::ActionResult& result) {
    return Put(action, result, PutOptions{});
  }

  /// The bytes of the stdout and stderr blobs, as Get read and verified them
  /// (a replay needs them: no second read and hash). Set only on a hit.
  struct VerifiedOutputs {
    std::string stdout_bytes;
    std::string stderr_bytes;
  };

  /// The stored result if it and every blob it references are intact;
  /// otherwise nullopt, with the reason in `miss_reason` (for --explain):
  /// "no entry", "damaged entry (removed)", "missing or damaged blob <digest>
  /// (<what>)". With `outputs`, a hit also gives the verified stdout/stderr bytes
  /// (each "" when the result has no digest for it).
  std::optional<reapi::ActionResult> Get(const Digest& action, std::string* miss_reason,
                                         VerifiedOutputs* outputs);
  std::optional<reapi::ActionResult> Get(const Digest& action,
                                         std::string* miss_reason = nullptr) {
    return Get(action, miss_reason, nullptr);
  }

  /// The entry's path ("" for an invalid digest).
  std::string Path(const Digest& action) const;

 private:
  // "" if every referenced blob verifies, else the reason for the miss. Keeps
  // stdout/stderr bytes in `outputs` when given.
  std::string CheckBlobs(const reapi::ActionResult& result, VerifiedOutputs* outputs);

  std::string root_;
  std::string tmp_dir_;
  LocalCas* cas_;
};

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_ACTION_CACHE_H_
