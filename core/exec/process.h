// What to run and what came back: the value types shared by every process runner.
//
//   ProcessSpec spec;
//   spec.argv = {"python3", "-m", "pytest", "src/app/app_test.py"};
//   spec.env = {{"PATH", "/usr/bin:/bin"}};       // exactly this; nothing is inherited
//   spec.cwd = sandbox.path();
//   spec.timeout = absl::Seconds(60);
//   spec.sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
//   spec.sandbox.writable_root = sandbox.path();
//   runner.Start(spec, [](ProcessResult r) { ... r.exit_code, r.stdout_bytes ... });
//
// A process that ran and failed (non-zero exit, signal, timeout, could not be executed) is a
// ProcessResult, never an absl::Status: the scheduler caches and reports it like any result.
#ifndef BRAID_CORE_EXEC_PROCESS_H_
#define BRAID_CORE_EXEC_PROCESS_H_

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace braid::exec {

/// How a process is isolated from the machine.
struct SandboxSpec {
  enum class Isolation {
    /// Plain directory: the process runs with cwd in its sandbox but sees the whole machine
    /// (the fallback where namespaces are unavailable).
    kNone,
    /// Linux user + mount + pid (+ net) namespaces, set up by the trampoline
    /// (trampoline.h): the whole filesystem is read-only except `writable_root` and
    /// `extra_writable_paths`; a private /proc, /dev/shm; loopback-only network.
    kNamespaces,
  };
  Isolation isolation = Isolation::kNone;
  /// Absolute, existing directory the process may write (its sandbox). Required with
  /// kNamespaces; ignored with kNone.
  std::string writable_root;
  /// More absolute, existing directories that stay writable (e.g. append-only named caches).
  std::vector<std::string> extra_writable_paths;
  /// true: a fresh network namespace with only `lo` up (ports never collide between parallel
  /// processes, nothing outside is reachable). false: the host network (e.g. pip downloads).
  bool loopback_only_network = true;
};

/// A long-lived "fork server" that can produce a process by forking itself instead of exec'ing
/// its argv (fork_server_runner.h, protocol in fork_server_protocol.h).
struct ForkServerSpec {
  /// Equal keys share one server. Covers everything the server loaded before forking
  /// (interpreter identity, packages, preloaded modules, its environment, braid's version).
  std::string key;
  /// Starts the server; its file descriptor 3 is the control socket. Non-empty.
  std::vector<std::string> argv;
  /// Exactly the server's environment.
  std::map<std::string, std::string> env;
  /// Existing directories the server itself writes to (besides its children's sandboxes)
  /// when it runs in namespaces; part of what `key` must cover.
  std::vector<std::string> writable_paths;
  /// The server understands PREPARE (fork_server_protocol.h): a runner may start a child
  /// ahead of its turn and let it wait, ready, at the point where its real work begins.
  bool prepare = false;
};

/// One process to run. Invariant: `argv` is non-empty.
struct ProcessSpec {
  /// argv[0] without a '/' is looked up in env's PATH (not braid's).
  std::vector<std::string> argv;
  /// Exactly the environment of the process; nothing is inherited from braid. Sorted so
  /// __run.sh and cache keys are deterministic.
  std::map<std::string, std::string> env;
  /// Absolute working directory; empty means braid's own (avoid: not hermetic).
  std::string cwd;
  /// Zero or negative: no timeout. On expiry the whole process group is SIGKILLed.
  absl::Duration timeout = absl::ZeroDuration();
  /// Bytes of stdout / stderr kept; the rest is read and dropped (`*_truncated` is set).
  size_t stdout_limit = size_t{64} << 20;
  size_t stderr_limit = size_t{64} << 20;
  /// Human description for messages ("Run Pytest for src/app/app_test.py:tests").
  std::string description;
  SandboxSpec sandbox;
  /// When set, a ForkServerRunner may run the process as a child forked by this server. The
  /// outcome must be exactly that of exec'ing argv, so this is NOT part of any cache key.
  /// Shared, read-only: one spec serves every request that names the same server (a
  /// server's argv may hold a whole script).
  std::shared_ptr<const ForkServerSpec> fork_server;
};

/// What a finished process did.
struct ProcessResult {
  /// The exit status when the process exited; -N when signal N killed it (Pants' convention);
  /// 127 (not found) or 126 (not executable) when argv[0] could not be executed.
  int exit_code = 0;
  /// The signal that killed the process, 0 when it exited.
  int signal = 0;
  /// The timeout expired and braid killed the process group (`signal` is SIGKILL).
  bool timed_out = false;
  /// KillAll() killed it (Ctrl-C / SIGTERM of braid).
  bool interrupted = false;
  std::string stdout_bytes;
  std::string stderr_bytes;
  bool stdout_truncated = false;
  bool stderr_truncated = false;
  absl::Time start;
  absl::Time end;
  absl::Duration wall_time;

  /// Exited 0, was not killed and did not time out.
  bool ok() const { return exit_code == 0 && signal == 0 && !timed_out && !interrupted; }
};

/// `--keep-sandboxes` ([GLOBAL] keep_sandboxes).
enum class KeepSandboxes { kNever, kOnFailure, kAlways };

/// Parses "never" | "on_failure" | "always"; nullopt otherwise (the option parser validates
/// the choice, so this only fails on a bug).
std::optional<KeepSandboxes> ParseKeepSandboxes(absl::string_view value);

/// Whether a sandbox that produced `result` is kept under `policy`.
bool ShouldKeepSandbox(KeepSandboxes policy, const ProcessResult& result);

/// Pants' log line for a kept sandbox:
/// `Preserving local process execution dir /tmp/braid-sandbox-Ab12Cd for Run Pytest ...`.
std::string KeptSandboxMessage(absl::string_view dir, absl::string_view description);

/// Quotes `word` for a POSIX shell: unchanged when it only holds safe characters
/// ([A-Za-z0-9_@%+=:,./-]), else single-quoted with embedded quotes as '"'"'.
std::string ShellQuote(absl::string_view word);

/// A few words for humans, deterministic: "exited with code 3", "killed by signal 11 (SIGSEGV)",
/// "timed out", "interrupted".
std::string DescribeOutcome(const ProcessResult& result);

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_PROCESS_H_
