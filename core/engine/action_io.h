// The I/O steps of one process action, between the scheduler and the store / sandbox:
// keying, materializing from the CAS, recording outputs, replaying a cached result.
//
//   BRAID_ASSIGN_OR_RETURN(store::ActionKey key, KeyAction(request));
//   if (auto hit = store.action_cache().Get(key.action_digest)) {
//     BRAID_ASSIGN_OR_RETURN(ActionOutput out, ReplayActionResult(*hit, store.cas()));
//   } else {
//     ... run in a sandbox ...
//     BRAID_ASSIGN_OR_RETURN(ActionOutput out, RecordAction(sandbox, request, result, &store));
//     if (out.process.ok()) BRAID_RETURN_IF_ERROR(store.action_cache().Put(key, out.action_result));
//   }
//
// Crash safety: RecordAction stores every blob (outputs, output trees, large stdout/stderr) before
// it returns, and only then may the caller write the action-cache entry, which is a single
// atomic rename. A braid killed at any point (kill -9) therefore leaves blobs without an entry,
// never an entry without its blobs; and ActionCache::Get verifies every blob anyway.
#ifndef BRAID_CORE_ENGINE_ACTION_IO_H_
#define BRAID_CORE_ENGINE_ACTION_IO_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/engine/action.h"
#include "core/exec/process.h"
#include "core/exec/sandbox.h"
#include "core/store/cas.h"
#include "core/store/file_digest_cache.h"
#include "core/store/store.h"

namespace braid::engine {

/// Fills the engine-derived fields of `request.key` (see action.h) and computes the key.
/// Local input files are hashed now, through `digests` when given (unchanged files are then not
/// read again: file_digest_cache.h). kInvalidArgument for a malformed request (bad paths, an
/// invalid StoredFile digest); kFailedPrecondition when a local input file cannot be read.
absl::StatusOr<store::ActionKey> KeyAction(ActionRequest& request,
                                           store::FileDigestCache* digests = nullptr);

/// KeyAction in two steps, so the second can run on another thread: LocalInputDigests hashes
/// the LocalFile inputs (in input order; through `digests` when given, which is not
/// thread-safe), and KeyActionWithDigests keys the request from them (thread-safe for
/// distinct requests). KeyAction(r, d) == KeyActionWithDigests(r, LocalInputDigests(r, d)).
std::vector<absl::StatusOr<store::Digest>> LocalInputDigests(const ActionRequest& request,
                                                             store::FileDigestCache* digests);
absl::StatusOr<store::ActionKey> KeyActionWithDigests(
    ActionRequest& request, const std::vector<absl::StatusOr<store::Digest>>& local_digests);

/// Materializes StoredFile sandbox entries from a LocalCas (hard link or copy, read-only).
class CasFileSource : public exec::FileSource {
 public:
  explicit CasFileSource(store::LocalCas* cas) : cas_(cas) {}
  absl::Status MaterializeFile(const exec::StoredFile& file, const std::string& dest,
                               bool executable) override;

 private:
  store::LocalCas* cas_;
};

/// After the process ran in `sandbox`: stores its declared outputs, and stdout and stderr
/// larger than 4 KiB, in `store`'s CAS (with a null store only digests them); smaller stdout
/// and stderr go inline (stdout_raw / stderr_raw). Builds the ActionResult, whose
/// execution metadata records worker "local", start = result.start and
/// completed = result.start + result.wall_time (so a replay shows the same duration).
/// Does NOT write the action cache (the caller decides; see the header comment).
absl::StatusOr<ActionOutput> RecordAction(const exec::Sandbox& sandbox,
                                          const ActionRequest& request,
                                          exec::ProcessResult result, store::Store* store);

/// Rebuilds an ActionOutput (source kCached) from a stored result: stdout/stderr read from the
/// CAS (or taken from `verified`, what ActionCache::Get read for this result), output
/// directories flattened, the original timestamps and duration. kNotFound if a blob vanished
/// since ActionCache::Get verified it.
absl::StatusOr<ActionOutput> ReplayActionResult(
    const reapi::ActionResult& result, store::LocalCas& cas,
    store::ActionCache::VerifiedOutputs* verified = nullptr);

/// The duration recorded in `result`'s execution metadata (execution timestamps, else worker
/// timestamps); zero when absent.
absl::Duration RecordedDuration(const reapi::ActionResult& result);

}  // namespace braid::engine

#endif  // BRAID_CORE_ENGINE_ACTION_IO_H_
