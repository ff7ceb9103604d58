// Scheduler: runs a Graph on one libuv loop, ninja-style.
//
//   uv_loop_t loop; uv_loop_init(&loop);
//   exec::LocalProcessRunner runner(&loop);
//   Scheduler scheduler(&loop, &runner, store.get(), {.parallelism = 4});
//   scheduler.AddObserver(&console);                     // live view, trace file, ...
//   absl::StatusOr<RunResult> result = scheduler.Run(graph);
//   if (result->interrupted) {
//     std::cerr << exec::InterruptedMessage(result->interrupted_processes);
//     return exec::kInterruptedExitCode;                   // 130
//   }
//
// How a run proceeds (all on the loop thread; node functions and callbacks never overlap):
//   - A node is READY when every dependency has finished. Ready nodes start in NodeId order
//     (never pointer or completion order), so the same graph starts the same way every time.
//   - A ready node with a dependency that did not succeed is skipped ("dependency 'x' failed",
//     naming the node that originally failed), unless it tolerates failed dependencies.
//   - A compute node runs its function at once. A process action builds its ActionRequest,
//     computes its key (action_io.h), then, in this order:
//       1. memoization: the same action digest earlier in this run -> the same result
//          (source kMemoized); if that one is still running, wait for it;
//       2. the action cache (unless no store, `force`, or not cacheable): a hit whose exit code
//          is 0 is replayed (source kCached, original duration); failures are never replayed;
//       3. otherwise it queues for a process slot: at most `parallelism` processes run at
//          once. It gets a fresh sandbox, runs, its outputs/stdout/stderr go to the CAS, and
//          ONLY if it exited 0 (and the run was not cancelled) is the action-cache entry
//          written, after every blob (action_io.h: kill -9 leaves no partial entry).
//          A failed attempt (non-zero exit, signal, timeout; not an interruption) of an action
//          with ActionRequest::attempts > 1 queues again for a slot, in a fresh sandbox, until
//          an attempt succeeds or none is left; observers see OnAttemptFailed in between.
//          Preparing ahead: while slot k runs a process, the next queued action the runner
//          can prepare (ProcessRunner::CanPrepare) gets its sandbox and is prepared for slot
//          k (its execution_slot_var already k); when slot k frees it is released instead of
//          starting a fresh process. At most `prepare_depth` prepared actions per running
//          slot, filled breadth first; a free
//          slot with nothing prepared for it and nothing queued takes another slot's
//          prepared action if it does not use the slot variable, or restarts it otherwise.
//          A prepared action counts as started (events, stats, timeout) only when released.
//          Handing over early: a released prepared process whose runner learns early that
//          it ended (exec::FinishingCallback: exit status 0, nothing of its own still
//          running) gives up its slot then, so the slot's next process starts during the
//          runner's bookkeeping; its result is still taken when the runner reports it. Not
//          with fail_fast.
//   - A failure does not stop independent nodes, unless fail_fast: then no new node starts
//     (like ninja, processes already running finish and are reported) and every node not
//     started is skipped ("fail-fast").
//   - Cancel() (also SIGINT / SIGTERM while Run() is active, if handle_signals): records what
//     was running, ProcessRunner::KillAll() (every process group), marks running nodes
//     kInterrupted and unstarted ones skipped ("interrupted"); no cache entry is written for
//     anything that was running. The run still ends normally, with `interrupted` set.
//   - RunResult::outcomes is indexed by NodeId: reports read it in node order, whatever order
//     things finished in. Observers see events as they happen (for live views and traces).
#ifndef BRAID_CORE_ENGINE_SCHEDULER_H_
#define BRAID_CORE_ENGINE_SCHEDULER_H_

#include <uv.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/engine/action.h"
#include "core/engine/graph.h"
#include "core/engine/run_stats.h"
#include "core/exec/process.h"
#include "core/exec/process_runner.h"
#include "core/exec/sandbox.h"
#include "core/exec/signals.h"
#include "core/store/file_digest_cache.h"
#include "core/store/store.h"

namespace braid::engine {

struct SchedulerOptions {
  /// Most processes running at once ([GLOBAL] process_execution_local_parallelism);
  /// <= 0 means the number of cores.
  int parallelism = 0;
  /// How many actions may be prepared ahead per running slot when the runner can prepare
  /// (ProcessRunner::CanPrepare): one hides a child's start-up behind the process before it
  /// when the CPU is free then; a second also fills the CPU left idle while every slot's
  /// process waits (a sleeping test). 0: never prepare.
  int prepare_depth = 2;
  /// Stop starting nodes after the first failure (default: run everything, report all).
  bool fail_fast = false;
  /// Do not read the action cache (results are still written): `--test-force`.
  bool force = false;
  /// [GLOBAL] keep_sandboxes.
  exec::KeepSandboxes keep_sandboxes = exec::KeepSandboxes::kNever;
  /// [GLOBAL] local_execution_root_dir; "" = exec::DefaultLocalExecutionRootDir().
  std::string sandbox_root;
  /// Applied to every action (the user's configuration decides isolation, not the rule).
  exec::SandboxSpec::Isolation isolation = exec::SandboxSpec::Isolation::kNone;
  /// Run() watches SIGINT / SIGTERM and cancels the run on them.
  bool handle_signals = true;
  /// The engine clock (NodeOutcome times, wall time); tests may fake it.
  std::function<absl::Time()> clock;
  /// Threads that key ready actions and look them up in the action cache ahead of their turn
  /// (when many are ready at once, e.g. 1,000 cached tests); <= 0: DefaultParallelism(), 1:
  /// one at a time. Results and events are the same either way (they are taken in order).
  int lookup_threads = 0;
};

/// Everything a run produced.
struct RunResult {
  /// Indexed by NodeId: outcomes[i].id == i.
  std::vector<NodeOutcome> outcomes;
  RunStats stats;
  /// Cancel() or a signal stopped the run.
  bool interrupted = false;
  /// This run's processes that were running when it was cancelled, by runner id (print them
  /// with exec::InterruptedMessage).
  std::vector<exec::RunningProcess> interrupted_processes;

  /// Every node succeeded and the run was not interrupted.
  bool ok() const;
  /// 0 when ok(), exec::kInterruptedExitCode (130) when interrupted, else 1.
  int exit_code() const;
};

/// Live events, in the order they happen (for the console's live view and trace files).
class RunObserver {
 public:
  virtual ~RunObserver() = default;
  /// A process started for `node` (`description` as the runner shows it).
  virtual void OnProcessStarted(const Node& node, const std::string& description, absl::Time start) {}
  /// An attempt of `node`'s process failed and another one will start (ActionRequest::
  /// attempts); `failed` is that attempt's output (`failed.attempts` = its number).
  virtual void OnAttemptFailed(const Node& node, const ActionOutput& failed) {}
  /// `node` reached its final state.
  virtual void OnNodeFinished(const Node& node, const NodeOutcome& outcome) {}
};

class Scheduler {
 public:
  /// `store` may be null (no persistent cache; outputs only digested). Everything passed must
  /// outlive the scheduler.
  Scheduler(uv_loop_t* loop, exec::ProcessRunner* runner, store::Store* store,
            SchedulerOptions options);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  /// Observers are told about events in registration order; they must outlive the run.
  void AddObserver(RunObserver* observer) { observers_.push_back(observer); }

  /// Start() then run the loop until every node finished. kInternal for an invalid graph (see
  /// Graph::Validate) or when the loop has nothing left to do but nodes are unfinished.
  absl::StatusOr<RunResult> Run(const Graph& graph);

  /// Starts a run without driving the loop (tests with FakeProcessRunner drive it by completing
  /// processes; done() tells when it ended). `graph` must outlive the run. Installs the signal
  /// watcher when handle_signals. kInternal for an invalid graph.
  absl::Status Start(const Graph& graph);
  bool done() const { return done_; }
  /// The result of the finished run (call once, after done()). Waits (running the loop) for
  /// the run's sandboxes to be removed: they are deleted on libuv's thread pool meanwhile.
  RunResult TakeResult();

  /// Cancels the run (see the header comment). No-op when idle or already cancelled.
  void Cancel();

  /// The effective parallelism (options resolved).
  int parallelism() const { return parallelism_; }

 private:
  struct NodeState;
  struct MemoEntry;

  absl::Time Now() const;
  void Pump();
  void Begin(NodeId id);
  void PrepareAction(NodeId id);
  // Requests, keys and action-cache lookups of the ready action nodes, the keying and lookups
  // on lookup_threads threads; PrepareAction then takes them in its usual order.
  void PrefetchReady();
  // Creates `id`'s sandbox and the spec it runs with in `slot`; false when that failed (the
  // node then finished with the error).
  bool MakeSandboxAndSpec(NodeId id, int slot, exec::ProcessSpec& spec);
  void Launch(NodeId id, int slot);
  // Starts `id`'s process: fresh, or released when it was prepared.
  void StartProcess(NodeId id, std::optional<exec::ProcessSpec> spec);
  // Prepares the front of runnable_ for the running slots with fewer than prepare_depth.
  void PrepareAhead();
  // Kills a prepared node's process and removes its sandbox (the node is not finished).
  void DropPrepared(NodeState& st);
  int LowestFreeSlot() const;
  void OnProcessDone(NodeId id, exec::ProcessResult result);
  // Released prepared process `process_id` of `id` ended early (FinishingCallback): its slot
  // goes to the next one now.
  void OnProcessFinishing(NodeId id, uint64_t process_id);
  void Finish(NodeId id, NodeOutcome outcome);
  void FinishError(NodeId id, absl::Status error);
  void ResolveMemoWaiters(NodeId owner);
  // Hands a finished process's sandbox to the thread pool for removal (kept ones stay).
  void DiscardSandbox(std::optional<exec::Sandbox>& sandbox);
  // Runs `work` on libuv's thread pool, then `after` (may be empty) on the loop thread;
  // TakeResult and the destructor wait for it.
  void InBackground(std::function<void()> work, std::function<void()> after);
  // Writes `action`'s cache entry on the thread pool (a warning names `node` if it fails).
  void PutActionResult(const std::string& node, const store::Digest& action,
                       const reapi::ActionResult& result);
  std::optional<std::string> DependencyProblem(NodeId id) const;
  void SkipUnstarted();
  bool Stopping() const;

  uv_loop_t* loop_;
  exec::ProcessRunner* runner_;
  store::Store* store_;
  // SHA-256 of local input files, kept across runs in the store (or in memory without one):
  // an action whose inputs did not change is keyed without reading them.
  std::unique_ptr<store::FileDigestCache> file_digests_;
  SchedulerOptions options_;
  int parallelism_ = 1;
  std::vector<RunObserver*> observers_;

  // The current run.
  const Graph* graph_ = nullptr;
  std::vector<NodeState> states_;
  std::set<NodeId> ready_;     // dependencies finished, not begun; started lowest id first
  // Keyed process actions waiting for a process slot, as (-launch_priority, id): launched
  // from the front.
  std::set<std::pair<int64_t, NodeId>> runnable_;
  std::map<store::Digest, MemoEntry> memo_;
  int running_ = 0;
  std::set<int> busy_slots_;  // execution slots (>= 1) held by running processes
  // Slot -> the nodes prepared to run in it next, in order (no empty queues).
  std::map<int, std::deque<NodeId>> prepared_;
  size_t finished_ = 0;
  NodeId first_failure_ = -1;
  bool cancelled_ = false;
  bool done_ = true;
  bool pumping_ = false;
  bool repump_ = false;
  absl::Time run_start_;
  RunResult result_;
  std::unique_ptr<exec::SignalWatcher> signals_;
  // Shared with process callbacks so a callback arriving after destruction does nothing.
  std::shared_ptr<Scheduler*> self_;
  // Background work of this run not finished yet (InBackground, and the removal of dropped
  // prepared actions' sandboxes), shared with the work callbacks.
  std::shared_ptr<int> pending_background_;
};

}  // namespace braid::engine

#endif  // BRAID_CORE_ENGINE_SCHEDULER_H_
