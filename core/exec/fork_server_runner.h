// A ProcessRunner that runs processes carrying a ProcessSpec::fork_server as children of a
// long-lived fork server, and hands every other process to another runner.
//
//   LocalProcessRunner local(loop, {.trampoline_exe = self});
//   ForkServerRunner runner(loop, &local, {.trampoline_exe = self});
//   runner.Start(spec_with_fork_server, done);   // same callback contract as any runner
//
// The caller cannot tell the difference: stdout/stderr come through pipes braid creates (their
// write ends travel to the server with the request, fork_server_protocol.h) and are read with the
// same limits and end-of-stream rules as LocalProcessRunner; the timeout is braid's timer and
// kills the child (KILL message), never the server; KillAll() kills every child; the result is
// the child's wait status.
//
// Servers: one per (ForkServerSpec::key, sandbox layout) started on first use. With
// Isolation::kNamespaces the server itself runs through the sandbox trampoline (user + mount +
// pid + net namespaces) with the PARENT of the request's sandbox writable, so each child can
// enter namespaces of its own where only its sandbox is writable. A server that dies (or
// breaks the protocol) is dropped; its in-flight processes run again once on a fresh server
// (a second loss is reported as exit code 125 with the server's last stderr lines, never as a
// pass). A request the server REJECTs runs on the fallback runner (a prepared one once it is
// released). Servers exit when the runner is destroyed or braid dies (end of stream on their
// control socket).
#ifndef BRAID_CORE_EXEC_FORK_SERVER_RUNNER_H_
#define BRAID_CORE_EXEC_FORK_SERVER_RUNNER_H_

#include <uv.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "core/exec/process_runner.h"

namespace braid::exec {

class ForkServerRunner : public ProcessRunner {
 public:
  struct Options {
    /// The binary dispatching kSandboxTrampolineArg; needed for servers of namespaced specs.
    std::string trampoline_exe;
    /// How long to keep reading a child's stdout/stderr after it exited.
    absl::Duration pipe_grace = absl::Milliseconds(500);
    /// How many times a process is started on a fresh server after its server died under it.
    int crash_retries = 1;
    /// Whether CanPrepare may say yes at all.
    bool prepare = true;
  };

  /// `fallback` runs processes without a fork server and rejected ones; not owned.
  ForkServerRunner(uv_loop_t* loop, ProcessRunner* fallback, Options options);
  /// Kills running children and stops every server; the loop must run a little afterwards so
  /// libuv can close the handles (they free themselves).
  ~ForkServerRunner() override;

  uint64_t Start(ProcessSpec spec, ProcessCallback done) override;
  /// Specs whose server understands PREPARE (ForkServerSpec::prepare) and that run in
  /// namespaces with a loopback-only network: a prepared child's start-up (which for pytest
  /// imports the test module) then cannot reach the files, ports or processes of the one
  /// running in its slot.
  bool CanPrepare(const ProcessSpec& spec) const override;
  /// PREPARE: the server forks the child, which waits, ready, on a gate braid holds; a child
  /// that ends before its release (it crashed while starting) is reported at StartPrepared.
  uint64_t Prepare(ProcessSpec spec) override;
  /// Sends the release byte on the gate, then keeps reading it: the child writes 'D' there
  /// once its process has ended with status 0 (fork_server_protocol.h), which calls
  /// `finishing`. If the server then dies before its report, the process fails (125).
  void StartPrepared(uint64_t id, ProcessCallback done, FinishingCallback finishing) override;
  void CancelPrepared(uint64_t id, ProcessCallback gone) override;
  std::vector<RunningProcess> Running() const override;
  void KillAll() override;

  /// Servers started so far (restarts included); for tests and --stats-like reporting.
  int servers_started() const { return servers_started_; }

  // Defined in the .cc; public only for the libuv callbacks there.
  struct Server;
  struct Job;
  struct Attempt;
  /// Drops `server` and reruns or fails its jobs. `dropped` says braid gave up on it (a KILL
  /// it did not answer, a malformed reply) rather than it ending on its own.
  void OnServerGone(Server* server, const std::string& why, bool dropped = false);
  void OnReply(Server* server, const std::string& packet);
  void FinishJob(Job* job);
  /// Asks the job's server to SIGKILL its child (timeout / KillAll).
  void SendKill(Job* job);
  const Options& options() const { return options_; }

 private:
  struct FailedStarts;
  /// The live server for `spec`'s key, started if needed; null when none can be (run it as a
  /// plain process), with `*given_up` set when that is because its key was given up
  /// (failed_starts_).
  Server* ServerFor(const ProcessSpec& spec, const FailedStarts** given_up);
  /// The Job for a new process `spec` (timer initialized, not started).
  Job* NewJob(ProcessSpec spec);
  /// Sends `job` to its server (starting one if needed); on failure finishes it.
  void Dispatch(Job* job);
  void RunOnFallback(Job* job);
  void Fail(Job* job, int exit_code, const std::string& message);

  uv_loop_t* loop_;
  ProcessRunner* fallback_;
  Options options_;
  uint64_t next_id_ = 1;
  int servers_started_ = 0;
  std::map<uint64_t, std::unique_ptr<Job>> jobs_;
  std::map<std::string, Server*> servers_;  // live servers by instance key; they own themselves
  // Instance keys whose servers keep dying before READY (a start-up error, e.g.
  // a preload module that cannot be imported): how many in a row, and the last one's output.
  // From kMaxFailedStarts on, requests for the key fail at once with that output instead of
  // starting yet another server.
  struct FailedStarts {
    int count = 0;
    std::string why;
    std::string output;
  };
  std::map<std::string, FailedStarts> failed_starts_;
  /// Points at this runner until it is destroyed (for callbacks of the fallback runner).
  std::shared_ptr<ForkServerRunner*> self_;
};

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_FORK_SERVER_RUNNER_H_
