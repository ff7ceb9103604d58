// The interface the scheduler uses to run processes, driven by its libuv loop.
//
//   LocalProcessRunner runner(loop, {.trampoline_exe = *CurrentExecutablePath()});
//   runner.Start(spec, [&](ProcessResult r) { ... });   // returns at once
//   uv_run(loop, UV_RUN_DEFAULT);                       // callbacks run from the loop
//
// Concurrency limits, caching and retries are the scheduler's job; a runner runs what it is
// given, immediately.
#ifndef BRAID_CORE_EXEC_PROCESS_RUNNER_H_
#define BRAID_CORE_EXEC_PROCESS_RUNNER_H_

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/exec/process.h"

namespace braid::exec {

/// Called exactly once per started process, from the event loop (never from inside Start).
using ProcessCallback = std::function<void(ProcessResult)>;

/// Called at most once per released prepared process, from the event loop, before its
/// ProcessCallback, when the runner learns early that the process has ended with status 0
/// and nothing it started still runs: only the runner's own bookkeeping (reaping helpers,
/// reporting) remains, so the process no longer needs its execution slot.
using FinishingCallback = std::function<void()>;

/// A process that has been started and whose callback has not run yet.
struct RunningProcess {
  uint64_t id = 0;          // as returned by Start; increasing from 1
  pid_t pid = 0;            // also its process group id; 0 for fakes or failed spawns
  std::string description;  // ProcessSpec.description, else argv joined by spaces
  absl::Time start;
};

class ProcessRunner {
 public:
  virtual ~ProcessRunner() = default;

  /// Starts `spec` and returns its id. Failing to execute argv[0] is reported as a result
  /// (exit code 127 / 126, the reason in stderr), like a shell would.
  virtual uint64_t Start(ProcessSpec spec, ProcessCallback done) = 0;

  /// Preparing ahead: a runner that can start a process up to the point where its real work
  /// begins (a fork server's child after its start-up) lets the scheduler do that while the
  /// process before it in the same execution slot still runs, and then only release it.
  ///
  ///   if (runner.CanPrepare(spec)) id = runner.Prepare(spec);   // later, when the slot frees:
  ///   runner.StartPrepared(id, done, finishing);         // or runner.CancelPrepared(id, gone)
  ///
  /// Whether Prepare() can take `spec`. Runners that cannot prepare answer false (the default).
  virtual bool CanPrepare(const ProcessSpec& spec) const { return false; }
  /// Starts `spec` (one CanPrepare accepted) and holds it before its real work; returns its
  /// id. Until StartPrepared it is not in Running() and nothing is called back; what it does
  /// before the hold must not be visible to other processes (e.g. it runs in namespaces of
  /// its own), so holding it beside the running ones is safe.
  virtual uint64_t Prepare(ProcessSpec spec);
  /// Releases prepared process `id`: from now on it is exactly like a process Start()ed now
  /// (its start time and timeout count from here); `done` runs once, from the loop.
  /// `finishing` (may be empty) runs at most once, before `done`, if the process announces
  /// its end early (see FinishingCallback); runners that cannot tell never call it.
  virtual void StartPrepared(uint64_t id, ProcessCallback done, FinishingCallback finishing);
  /// Drops prepared process `id` (one Prepare returned and neither StartPrepared nor
  /// CancelPrepared was given yet; for any other id nothing happens and `gone` is never
  /// called): it is killed and never started; `gone` runs once, from the loop, when it has
  /// ended (so its sandbox can go then, not while it may still write).
  virtual void CancelPrepared(uint64_t id, ProcessCallback gone);

  /// The processes still running, ordered by id (for "interrupted: ..." messages).
  virtual std::vector<RunningProcess> Running() const = 0;

  /// SIGKILLs the process group of every running process; their callbacks still run (from the
  /// loop) with `interrupted` set. Prepared processes not yet started are dropped too. For SIGINT/SIGTERM handling: the caller prints Running()
  /// first, calls KillAll(), and exits 130.
  virtual void KillAll() = 0;
};

/// "Run Pytest for x" or, without a description, the argv joined by spaces.
std::string DescribeProcess(const ProcessSpec& spec);

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_PROCESS_RUNNER_H_
