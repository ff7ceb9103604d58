// Runs processes on this machine with libuv, each in its own process group.
//
// Every process is spawned with UV_PROCESS_DETACHED (setsid), so its pid is also its process
// group id and kill(-pid, SIGKILL) reaches everything it started that did not setsid itself;
// inside namespaces even those die with the namespace's PID 1. When the process exits, its
// group is SIGKILLed as well, so background children never outlive it (and never hold its
// stdout open); after `pipe_grace` the pipes are closed regardless.
#ifndef BRAID_CORE_EXEC_LOCAL_PROCESS_RUNNER_H_
#define BRAID_CORE_EXEC_LOCAL_PROCESS_RUNNER_H_

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/exec/process_runner.h"

namespace braid::exec {

class LocalProcessRunner : public ProcessRunner {
 public:
  struct Options {
    /// The binary whose main() dispatches kSandboxTrampolineArg (braid itself:
    /// CurrentExecutablePath()). Needed only for specs with Isolation::kNamespaces; without it
    /// such a spec fails with exit code 125 and an explanation in stderr.
    std::string trampoline_exe;
    /// How long to keep reading stdout/stderr after the process exited.
    absl::Duration pipe_grace = absl::Milliseconds(500);
  };

  explicit LocalProcessRunner(uv_loop_t* loop) : LocalProcessRunner(loop, Options()) {}
  LocalProcessRunner(uv_loop_t* loop, Options options);
  /// Kills what still runs; the loop must then run until Running() is empty before it closes.
  ~LocalProcessRunner() override;

  uint64_t Start(ProcessSpec spec, ProcessCallback done) override;
  std::vector<RunningProcess> Running() const override;
  void KillAll() override;

  /// One running process; defined in the .cc (public only for its libuv callbacks).
  struct Child;
  /// Called when every handle of `child` is closed: runs its callback and frees it.
  void FinishChild(Child* child);
  const Options& options_for_child() const { return options_; }

 private:

  uv_loop_t* loop_;
  Options options_;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::unique_ptr<Child>> children_;
};

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_LOCAL_PROCESS_RUNNER_H_
