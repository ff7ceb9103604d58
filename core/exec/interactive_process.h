// Running a process attached to braid's own terminal, as `run` does (Pants'
// InteractiveProcess): it inherits stdin, stdout and stderr (nothing is captured), braid waits
// for it and reports its exit code the way a shell does.
//
//   InteractiveProcess p{{"/usr/bin/python3", "-m", "app.main", "--flag"}, env, buildroot};
//   absl::StatusOr<int> code = RunInteractive(p);   // 0..255, or 128+N if killed by signal N
//
// Signals: Ctrl-C at a terminal reaches the whole foreground process group, the child
// included, so braid itself only waits (it neither dies nor signals the child a second time,
// which would turn one KeyboardInterrupt into two). A SIGINT, SIGTERM, SIGHUP or SIGQUIT sent
// to braid alone (kill(2) by another process) is forwarded to the child. Either way braid
// returns when the child has exited, with its code.
#ifndef BRAID_CORE_EXEC_INTERACTIVE_PROCESS_H_
#define BRAID_CORE_EXEC_INTERACTIVE_PROCESS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace braid::exec {

struct InteractiveProcess {
  /// argv[0] is an absolute path (no PATH search); never empty.
  std::vector<std::string> argv;
  /// The child's whole environment (nothing inherited implicitly).
  std::map<std::string, std::string> env;
  /// Absolute working directory.
  std::string cwd;
};

/// The exit code a shell reports for waitpid(2) status `wait_status`: the exit status, or
/// 128 + N for a process killed by signal N.
int ShellExitCode(int wait_status);

/// Runs `process` in the foreground and waits for it. A process that ran (and perhaps failed)
/// is its exit code; a process that could not start (missing executable, bad cwd) is an
/// environment error naming argv[0] and the reason.
absl::StatusOr<int> RunInteractive(const InteractiveProcess& process);

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_INTERACTIVE_PROCESS_H_
