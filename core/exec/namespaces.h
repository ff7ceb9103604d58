// Linux namespace isolation for one process, as reusable steps.
//
// The steps run in a single-threaded process that is about to exec (the trampoline, see
// trampoline.h) or in a child just forked by a long-lived parent (the fork-server "zygote"):
//
//   if (!SetUpSandboxNamespaces(spec).ok()) _exit(125);   // unshare + maps + lo + mounts
//   pid_t init = fork();            // the child is PID 1 of the new pid namespace
//   if (init == 0) {
//     (void)MountProcForPidNamespace();
//     ... fork the real process, reap, forward signals (RunPidNamespaceInit does all that) ...
//   }
//
// What the process then sees: its own user namespace mapping its uid/gid to themselves (so file
// ownership looks unchanged), every mount read-only except the writable paths (bind-mounted
// read-write), a private tmpfs on /dev/shm, a fresh /proc of its pid namespace (when the kernel
// allows it), and a network namespace holding only `lo`, which is up.
#ifndef BRAID_CORE_EXEC_NAMESPACES_H_
#define BRAID_CORE_EXEC_NAMESPACES_H_

#include <sys/types.h>

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/exec/process.h"

namespace braid::exec {

/// What this machine allows; computed once per braid run.
struct SandboxCapabilities {
  /// User + mount + pid + net namespaces and the read-only remount all work.
  bool namespaces = false;
  /// A fresh /proc can be mounted inside the pid namespace (false in some containers where
  /// /proc is partly masked); processes then see the host's /proc, read-only.
  bool proc_mount = false;
  /// Empty when `namespaces`; else ONE line for the caller to print once as a warning.
  std::string warning;
};

/// The one-line warning printed when namespaces are unavailable because of `reason`.
std::string NamespaceFallbackWarning(absl::string_view reason);

/// Probes in a forked child that runs SetUpSandboxNamespaces on a scratch directory and tries
/// to mount /proc in a grandchild. Also reads /proc/sys/user/max_user_namespaces and
/// /proc/sys/kernel/unprivileged_userns_clone to explain a failure. Safe to call from a
/// process with threads (the child only makes system calls before _exit).
SandboxCapabilities DetectSandboxCapabilities();

/// In the calling (single-threaded) process: unshare user, mount, pid and (when
/// spec.loopback_only_network) network namespaces, map the current uid/gid to themselves
/// (setgroups denied), bring `lo` up, bind-mount the writable paths onto themselves, remount
/// every other mount read-only (keeping its nosuid/nodev/noexec/atime flags, which a user
/// namespace may not drop), and mount a private tmpfs on /dev/shm (best effort).
/// Afterwards the next fork()ed child is PID 1 of a new pid namespace.
absl::Status SetUpSandboxNamespaces(const SandboxSpec& spec);

/// Moves the calling process into a private mount namespace (plus a user namespace mapping
/// its uid/gid to themselves when it is not root) and mounts a tmpfs, visible only there and
/// to the processes it starts afterwards, on `<parent>/braid-sandboxes-<uid>` (created if
/// missing; whatever it holds on disk stays hidden and untouched). Returns that directory.
/// Sandboxes created below it live in memory and vanish with the last process of the
/// namespace, even after a kill -9. Call before starting threads: a process with threads
/// cannot enter a user namespace, and threads that already exist keep seeing the disk.
/// Fails (nothing changed unless the unshare succeeded) where namespaces or tmpfs mounts are
/// not allowed; callers then keep `parent`.
absl::StatusOr<std::string> EnterPrivateSandboxTmpfs(const std::string& parent);

/// Mounts a fresh proc filesystem on /proc; call in PID 1 of the new pid namespace.
absl::Status MountProcForPidNamespace();

/// Installs handlers that forward SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1 and SIGUSR2 to
/// `pid` (async-signal-safe; one forwarding target per process).
void ForwardSignalsTo(pid_t pid);

/// Runs as PID 1 of a pid namespace with `target` (already forked) as the real process:
/// forwards SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGUSR1/SIGUSR2 to it, reaps every zombie, and returns
/// the raw wait status of `target` once it ends. Returning (and exiting) makes the kernel kill
/// whatever else is left in the namespace, so no daemon outlives its process.
int RunPidNamespaceInit(pid_t target);

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_NAMESPACES_H_
