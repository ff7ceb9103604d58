// SIGINT / SIGTERM on the scheduler's libuv loop.
//
//   SignalWatcher watcher(loop, [&](int sig) {
//     std::cerr << InterruptedMessage(runner.Running());
//     runner.KillAll();
//     exit_code = kInterruptedExitCode;   // the scheduler stops starting work
//   });
//
// The watcher decides nothing itself: the callback does.
#ifndef BRAID_CORE_EXEC_SIGNALS_H_
#define BRAID_CORE_EXEC_SIGNALS_H_

#include <uv.h>

#include <functional>
#include <string>
#include <vector>

#include "core/exec/process_runner.h"

namespace braid::exec {

/// braid's exit code after SIGINT/SIGTERM (128 + SIGINT, what shells report for Ctrl-C).
inline constexpr int kInterruptedExitCode = 130;

/// Watches SIGINT and SIGTERM while alive. Its handles are unreferenced, so they never keep
/// the loop running on their own.
class SignalWatcher {
 public:
  /// `on_signal(signum)` runs from the loop for each SIGINT / SIGTERM received.
  SignalWatcher(uv_loop_t* loop, std::function<void(int)> on_signal);
  /// Stops watching (default dispositions return); the handles finish closing on the loop's
  /// next iteration.
  ~SignalWatcher();
  SignalWatcher(const SignalWatcher&) = delete;
  SignalWatcher& operator=(const SignalWatcher&) = delete;

  struct State;  // heap-allocated so closing handles can outlive the watcher

 private:
  State* state_;
};

/// "Interrupted; killed 2 running processes:\n  Run Pytest for a\n  ...\n" (by id), or
/// "Interrupted.\n" when nothing was running.
std::string InterruptedMessage(const std::vector<RunningProcess>& running);

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_SIGNALS_H_
