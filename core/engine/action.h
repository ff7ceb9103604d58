// Process actions: what a node asks the scheduler to run, and what came back.
//
//   ActionRequest r;
//   r.spec.argv = {"/usr/bin/python3.11", "-m", "pytest", "src/app/app_test.py"};
//   r.spec.env = {{"PATH", "/usr/bin:/bin"}, {"PYTHONHASHSEED", "0"}};
//   r.spec.description = "Run Pytest for src/app/app_test.py:tests";
//   r.inputs = {{"src/app/app_test.py", exec::LocalFile{"/repo/src/app/app_test.py"}}};
//   r.output_files = {"report.xml"};
//   r.key.interpreter = {"/usr/bin/python3.11", "3.11.4", packages_digest};
//   r.key.rule_version = "pytest-1";
//
// The cache key covers exactly what runs. The scheduler fills these ActionKeyInput fields from
// the request itself, overwriting whatever the rule put there, so a key cannot miss an input:
//   argv, env          <- spec.argv, spec.env (the declared env; TMPDIR & co. are added to the
//                         process afterwards and are not part of the key: they name the sandbox)
//   output_paths       <- output_files + output_directories
//   working_directory  <- spec.cwd (relative to the sandbox; "" = its root)
//   input_root         <- the Merkle tree of `inputs` (every byte, by path and executable bit;
//                         local files are hashed when the action is prepared)
//   timeout_seconds    <- spec.timeout, rounded up to whole seconds (unset when none)
//   do_not_cache       <- !cacheable
// Empty input directories cannot live in a Merkle tree (merkle.h), so their sorted paths go in
// the platform property "braid.input.empty_directories". The rule sets the rest: the
// interpreter identity, extra platform properties, and its rule_version.
#ifndef BRAID_CORE_ENGINE_ACTION_H_
#define BRAID_CORE_ENGINE_ACTION_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/exec/process.h"
#include "core/exec/sandbox.h"
#include "core/store/cache_key.h"
#include "core/store/digest.h"
#include "core/store/merkle.h"
#include "core/store/reapi.pb.h"

namespace braid::engine {

/// The platform property that lists an action's empty input directories (see header comment).
inline constexpr absl::string_view kEmptyDirectoriesProperty = "braid.input.empty_directories";
/// The platform property naming ActionRequest::execution_slot_var.
inline constexpr absl::string_view kExecutionSlotVarProperty = "braid.execution_slot_var";

/// One process to run in a fresh sandbox.
struct ActionRequest {
  /// argv, the declared env, timeout, output limits, description, isolation. `spec.cwd` is
  /// RELATIVE to the sandbox ("" = its root); the scheduler makes it absolute.
  exec::ProcessSpec spec;
  /// Every file the process may read, at its sandbox path. StoredFile entries need a store.
  std::vector<exec::SandboxEntry> inputs;
  /// Declared outputs, relative to the sandbox root. Missing ones are simply absent.
  std::vector<std::string> output_files;
  std::vector<std::string> output_directories;
  /// The parts of the cache key the engine cannot derive (see the header comment).
  store::ActionKeyInput key;
  /// false: never read or write the persistent cache (still memoized within one run).
  bool cacheable = true;
  /// Pants' `[pytest] execution_slot_var`: when non-empty, the process gets this environment
  /// variable set to its execution slot, the lowest number >= 1 not held by another running
  /// process (so at most `parallelism`). Tests use it to pick distinct ports or databases. The
  /// value is not part of the cache key (it says nothing about the result); the name is, as
  /// the platform property "braid.execution_slot_var".
  std::string execution_slot_var;
  /// Pants' `[test] attempts_default`: run the process up to this many times (>= 1; lower
  /// values mean 1) until it succeeds. Every attempt gets a fresh sandbox and counts as a
  /// process run; a failure of the last attempt is the node's failure (never cached), a
  /// success after a retry is cached like any success and reported as flaky
  /// (ActionOutput::attempts > 1). Not part of the cache key: it cannot change what a
  /// successful run produced. Interrupted or cancelled attempts are never retried.
  int attempts = 1;
};

/// Where an action's result came from (Pants' ProcessResultMetadata.Source).
enum class ResultSource {
  kRan,        // a process ran in this run
  kCached,     // replayed from the persistent action cache
  kMemoized,   // an identical action (same digest) earlier in this run; shares its result
};

/// What a process action produced.
struct ActionOutput {
  /// Exit code, signal, stdout/stderr bytes, start/end. For a cache hit: the ORIGINAL run's
  /// exit code, output and timestamps.
  exec::ProcessResult process;
  ResultSource source = ResultSource::kRan;
  /// The process's description ("Run Pytest for src/app/app_test.py:tests"; the node's name
  /// when the rule gave none).
  std::string description;
  /// How long the process ran; for kCached the original run's duration (what "(cached)" shows
  /// and what counts as time saved).
  absl::Duration duration;
  store::Digest action_digest;
  /// The ActionResult as stored (or as it would have been, with no store): output digests.
  reapi::ActionResult action_result;
  /// Every output file (output directories flattened), sandbox-relative path, sorted. Their
  /// content is in the store's CAS; with no store only the digests are known.
  std::vector<store::FileEntry> output_files;
  /// The kept sandbox (--keep-sandboxes), else "".
  std::string kept_sandbox;
  /// How many processes this result took (ActionRequest::attempts): 1 unless failed attempts
  /// were retried; `process` is the last one. Cached and memoized results keep the count of
  /// the run that produced them within this run (a replay from the store counts 1).
  int attempts = 1;

  bool cached() const { return source == ResultSource::kCached; }
  /// Succeeded, but only after at least one failed attempt.
  bool flaky() const { return attempts > 1 && process.ok(); }
};

}  // namespace braid::engine

#endif  // BRAID_CORE_ENGINE_ACTION_H_
