// The sandbox trampoline: braid re-executes itself to set up namespaces before the real process.
//
// libuv's uv_spawn cannot run code in the child between fork and exec, so a namespaced process
// is spawned as
//
//   <braid> __braid_sandbox_exec [--root=DIR] [--writable=DIR]... [--host-network]
//           [--no-namespaces] [--cwd=DIR] -- ARGV...
//
// with exactly the process's environment. The trampoline (process "T", the process-group
// leader braid spawned) calls SetUpSandboxNamespaces, then forks "I", PID 1 of the new pid
// namespace, which mounts /proc and forks "P", which chdirs and execs ARGV. I reaps zombies and
// forwards signals; when P ends I writes P's wait status to T over a pipe and exits, which tears
// the namespace down (every leftover process is killed). T then ends the same way P did: the
// same exit code, or the same signal re-raised. Killing T's process group kills all three.
//
// Exit codes of T itself: 125 = the sandbox could not be set up (message on stderr, prefixed
// "braid sandbox: "); 127 / 126 = ARGV[0] not found / not executable.
//
// The lead wires it into main() before anything else:
//   if (argc > 1 && strcmp(argv[1], braid::exec::kSandboxTrampolineArg) == 0)
//     return braid::exec::RunSandboxTrampoline(argc, argv);
#ifndef BRAID_CORE_EXEC_TRAMPOLINE_H_
#define BRAID_CORE_EXEC_TRAMPOLINE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/exec/process.h"

namespace braid::exec {

/// argv[1] that selects the trampoline mode of the braid binary.
inline constexpr char kSandboxTrampolineArg[] = "__braid_sandbox_exec";

/// Exit code of the trampoline when the sandbox could not be set up.
inline constexpr int kSandboxSetupFailedExitCode = 125;

/// The argv that runs `spec` through the trampoline binary `self_exe` (see the header comment).
/// The environment is not part of it: spawn the result with exactly spec.env.
std::vector<std::string> BuildTrampolineArgv(const ProcessSpec& spec, absl::string_view self_exe);

/// The absolute path of the running executable (/proc/self/exe).
absl::StatusOr<std::string> CurrentExecutablePath();

/// The trampoline's main(): `argv[1]` is kSandboxTrampolineArg. Returns only on errors before
/// exec (the exit code to use) or, in namespace mode, after the process ended (its exit code;
/// a signal is re-raised first).
int RunSandboxTrampoline(int argc, char** argv);

/// execvp()s `argv` in `cwd` (if non-empty); on failure prints
/// "braid sandbox: cannot execute 'x': No such file or directory" and _exit()s 127 / 126.
[[noreturn]] void ExecOrDie(const std::vector<std::string>& argv, const std::string& cwd);

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_TRAMPOLINE_H_
