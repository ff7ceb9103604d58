#include "core/engine/scheduler.h"

#include <algorithm>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/base/log.h"
#include "core/base/parallel.h"
#include "core/engine/action_io.h"
#include "core/store/cache_key.h"

namespace braid::engine {

namespace {
// What PrefetchReady worked out for a ready action node ahead of PrepareAction: exactly what
// PrepareAction would have computed at that point (the node's dependencies are finished, so
// its request is the same; the inputs' digests are taken from the same one view of the files).
struct Prefetched {
  absl::StatusOr<ActionRequest> request = absl::UnknownError("not computed");
  std::vector<absl::StatusOr<store::Digest>> local_digests;
  absl::StatusOr<store::ActionKey> key = absl::UnknownError("not computed");
  bool looked_up = false;  // the action cache was asked (hit / why / replay are set)
  std::optional<reapi::ActionResult> hit;
  std::string why;
  std::optional<absl::StatusOr<ActionOutput>> replay;
};
}  // namespace

// Per-node bookkeeping of the current run.
struct Scheduler::NodeState {
  enum class Phase {
    kWaiting,      // dependencies unfinished
    kReady,        // in ready_
    kQueued,       // keyed process action in runnable_
    kWaitingMemo,  // an identical action of this run is in flight
    kPrepared,     // its process is prepared for `slot` (in prepared_), not started
    kRunning,      // process started
    kDone,
  };
  Phase phase = Phase::kWaiting;
  int pending_deps = 0;
  std::vector<NodeId> dependents;  // ascending
  absl::Time started_at = absl::InfinitePast();
  // Process actions, from PrepareAction on.
  std::optional<ActionRequest> request;
  store::ActionKey key;
  bool owns_memo = false;
  std::optional<exec::Sandbox> sandbox;
  exec::ProcessSpec launched_spec;  // as given to the runner (for __run.sh)
  uint64_t process_id = 0;
  int slot = 0;  // execution slot while prepared or running (>= 1)
  // Running, but its slot was handed over (OnProcessFinishing): not in busy_slots_ and not
  // counted in running_ any more.
  bool slot_handed_over = false;
  int attempt = 0;  // processes started for this node so far
  std::shared_ptr<Prefetched> prefetched;  // set by PrefetchReady, taken by PrepareAction
};

// One action digest of this run: the node that computes it and the nodes waiting for it.
struct Scheduler::MemoEntry {
  NodeId owner = -1;
  std::vector<NodeId> waiters;
};

bool RunResult::ok() const {
  if (interrupted) return false;
  for (const NodeOutcome& o : outcomes) {
    if (!o.ok()) return false;
  }
  return true;
}

int RunResult::exit_code() const {
  if (interrupted) return exec::kInterruptedExitCode;
  return ok() ? 0 : 1;
}

Scheduler::Scheduler(uv_loop_t* loop, exec::ProcessRunner* runner, store::Store* store,
                     SchedulerOptions options)
    : loop_(loop), runner_(runner), store_(store), options_(std::move(options)),
      self_(std::make_shared<Scheduler*>(this)), pending_background_(std::make_shared<int>(0)) {
  parallelism_ = options_.parallelism;
  if (parallelism_ <= 0) parallelism_ = static_cast<int>(std::thread::hardware_concurrency());
  if (parallelism_ <= 0) parallelism_ = 1;
  if (options_.sandbox_root.empty()) options_.sandbox_root = exec::DefaultLocalExecutionRootDir();
  file_digests_ = std::make_unique<store::FileDigestCache>(
      store_ != nullptr ? store_->file_digest_cache_path() : "");
  if (absl::Status s = file_digests_->Load(); !s.ok()) {
    BRAID_LOG(kDebug) << "file digest cache not loaded: " << s.message();
  }
}

Scheduler::~Scheduler() {
  *self_ = nullptr;
  // Action-cache writes still queued use the store, which the caller may free next. (A loop
  // with nothing left to run cannot finish anything more: no busy wait then.)
  while (*pending_background_ > 0 && uv_run(loop_, UV_RUN_ONCE) != 0) {
  }
}

absl::Time Scheduler::Now() const { return options_.clock ? options_.clock() : absl::Now(); }

absl::Status Scheduler::Start(const Graph& graph) {
  if (!done_) return absl::InternalError("Scheduler::Start while a run is active");
  if (absl::Status s = graph.Validate(); !s.ok()) return s;
  graph_ = &graph;
  file_digests_->set_answer_once(true);  // one view of the files per run
  states_.clear();
  states_.resize(graph.size());
  ready_.clear();
  runnable_.clear();
  memo_.clear();
  running_ = 0;
  busy_slots_.clear();
  prepared_.clear();
  finished_ = 0;
  first_failure_ = -1;
  cancelled_ = false;
  done_ = false;
  result_ = RunResult();
  result_.outcomes.resize(graph.size());
  for (size_t i = 0; i < graph.size(); ++i) result_.outcomes[i].id = static_cast<NodeId>(i);
  run_start_ = Now();
  for (const Node& node : graph.nodes()) {
    states_[node.id].pending_deps = static_cast<int>(node.deps.size());
    for (NodeId d : node.deps) states_[d].dependents.push_back(node.id);
  }
  for (const Node& node : graph.nodes()) {
    if (node.deps.empty()) {
      states_[node.id].phase = NodeState::Phase::kReady;
      ready_.insert(node.id);
    }
  }
  if (options_.handle_signals && !signals_) {
    signals_ = std::make_unique<exec::SignalWatcher>(loop_, [this](int) { Cancel(); });
  }
  Pump();
  return absl::OkStatus();
}

absl::StatusOr<RunResult> Scheduler::Run(const Graph& graph) {
  if (absl::Status s = Start(graph); !s.ok()) return s;
  while (!done_) {
    if (uv_run(loop_, UV_RUN_ONCE) == 0 && !done_) {
      // Nothing on the loop can finish the remaining nodes (a runner that never calls back).
      signals_.reset();
      return absl::InternalError(absl::StrCat("scheduler stalled with ", running_,
                                              " processes running and nothing on the loop"));
    }
  }
  signals_.reset();
  return TakeResult();
}

RunResult Scheduler::TakeResult() {
  // Sandboxes still being removed and cache entries still being written belong to this run:
  // a finished run leaves no directory behind and every entry written.
  while (*pending_background_ > 0) uv_run(loop_, UV_RUN_ONCE);
  // Only a cache: failing to save it costs re-hashing next time, nothing else.
  if (absl::Status s = file_digests_->Save(); !s.ok()) {
    BRAID_LOG(kDebug) << "file digest cache not saved: " << s.message();
  }
  return std::move(result_);
}

namespace {
// Work of this run on libuv's thread pool: `work` there, then `after` on the loop thread.
// `pending` counts such jobs of the run (the scheduler waits for them before it is done).
struct BackgroundJob {
  uv_work_t req;
  std::function<void()> work;
  std::function<void()> after;
  std::shared_ptr<int> pending;
};
}  // namespace

void Scheduler::InBackground(std::function<void()> work, std::function<void()> after) {
  auto* job = new BackgroundJob{{}, std::move(work), std::move(after), pending_background_};
  job->req.data = job;
  ++*pending_background_;
  auto run = [](uv_work_t* req) { static_cast<BackgroundJob*>(req->data)->work(); };
  auto finish = [](uv_work_t* req, int) {
    auto* j = static_cast<BackgroundJob*>(req->data);
    if (j->after) j->after();
    --*j->pending;
    delete j;
  };
  if (uv_queue_work(loop_, &job->req, run, finish) != 0) {  // no thread pool: do it here
    run(&job->req);
    finish(&job->req, 0);
  }
}

void Scheduler::PutActionResult(const std::string& node, const store::Digest& action,
                                const reapi::ActionResult& result) {
  // The entry is written durably (fsync of the file and of its directory): 0.2-1.2 ms of
  // waiting on this project's VM, which on the loop thread would hold up releasing the next
  // process and reading the others' output. Every blob it names is stored already
  // (RecordAction), so the crash-safety order holds; TakeResult waits for the write.
  auto status = std::make_shared<absl::Status>();
  store::ActionCache* cache = &store_->action_cache();
  InBackground([cache, action, result, status] { *status = cache->Put(action, result); },
               [node, status] {
                 if (!status->ok()) {
                   BRAID_LOG(kWarn) << "could not cache the result of " << node << ": "
                                    << status->message();
                 }
               });
}

void Scheduler::DiscardSandbox(std::optional<exec::Sandbox>& sandbox) {
  if (!sandbox) return;
  if (sandbox->kept()) {
    sandbox.reset();
    return;
  }
  // Deleting a 500-file tree costs tens of milliseconds (hundreds on a busy ext4): off the
  // loop thread, so the next process starts meanwhile.
  auto held = std::make_shared<exec::Sandbox>(*std::move(sandbox));
  sandbox.reset();
  InBackground([held] { (void)held->Remove(); }, nullptr);
}

bool Scheduler::Stopping() const { return cancelled_ || (options_.fail_fast && first_failure_ >= 0); }

void Scheduler::Pump() {
  if (done_) return;
  if (pumping_) {
    repump_ = true;
    return;
  }
  pumping_ = true;
  do {
    repump_ = false;
    if (!Stopping()) PrefetchReady();
    while (!Stopping() && !ready_.empty()) {
      NodeId id = *ready_.begin();
      ready_.erase(ready_.begin());
      Begin(id);
    }
    while (!Stopping() && running_ < parallelism_ && (!runnable_.empty() || !prepared_.empty())) {
      const int slot = LowestFreeSlot();
      if (auto mine = prepared_.find(slot); mine != prepared_.end()) {
        NodeId id = mine->second.front();
        mine->second.pop_front();
        if (mine->second.empty()) prepared_.erase(mine);
        StartProcess(id, std::nullopt);
        continue;
      }
      if (runnable_.empty()) {
        // Only other slots' prepared actions are left: take the last of the longest queue
        // rather than idle.
        auto other = std::max_element(prepared_.begin(), prepared_.end(), [](auto& a, auto& b) {
          return a.second.size() < b.second.size();
        });
        NodeId id = other->second.back();
        other->second.pop_back();
        if (other->second.empty()) prepared_.erase(other);
        NodeState& st = states_[id];
        if (!st.request->execution_slot_var.empty()) {
          // It was told its slot number: start it afresh in this one.
          DropPrepared(st);
          Launch(id, slot);
          continue;
        }
        st.slot = slot;
        StartProcess(id, std::nullopt);
        continue;
      }
      NodeId id = runnable_.begin()->second;
      runnable_.erase(runnable_.begin());
      Launch(id, slot);
    }
    if (!Stopping()) PrepareAhead();
    if (Stopping()) SkipUnstarted();
  } while (repump_);
  pumping_ = false;
  if (finished_ == states_.size() && !done_) {
    result_.stats.wall_time = Now() - run_start_;
    done_ = true;
  }
}

std::optional<std::string> Scheduler::DependencyProblem(NodeId id) const {
  for (NodeId d : graph_->node(id).deps) {
    if (states_[d].phase != NodeState::Phase::kDone) continue;
    const NodeOutcome& dep = result_.outcomes[d];
    if (dep.ok()) continue;
    // Name the node that originally failed, not the chain of skips in between.
    if (dep.status == NodeStatus::kSkipped && !dep.skip_reason.empty()) return dep.skip_reason;
    return absl::StrCat("dependency '", graph_->node(d).name, "' ", NodeStatusName(dep.status));
  }
  return std::nullopt;
}

void Scheduler::Begin(NodeId id) {
  const Node& node = graph_->node(id);
  if (!node.tolerates_failed_dependencies) {
    if (std::optional<std::string> problem = DependencyProblem(id)) {
      NodeOutcome o;
      o.status = NodeStatus::kSkipped;
      o.skip_reason = *problem;
      Finish(id, std::move(o));
      return;
    }
  }
  states_[id].started_at = Now();
  if (node.kind == Node::Kind::kAction) {
    PrepareAction(id);
    return;
  }
  DepOutcomes deps;
  for (NodeId d : node.deps) deps.push_back(&result_.outcomes[d]);
  absl::StatusOr<std::any> value = node.compute(deps);
  if (!value.ok()) {
    FinishError(id, value.status());
    return;
  }
  NodeOutcome o;
  o.status = NodeStatus::kSucceeded;
  o.value = *std::move(value);
  Finish(id, std::move(o));
}

void Scheduler::PrefetchReady() {
  int threads = options_.lookup_threads > 0 ? options_.lookup_threads : DefaultParallelism();
  if (threads < 2 || ready_.size() < kParallelForMinItems) return;
  std::vector<NodeId> batch;
  for (NodeId id : ready_) {
    const Node& node = graph_->node(id);
    if (node.kind != Node::Kind::kAction || states_[id].prefetched) continue;
    if (!node.tolerates_failed_dependencies && DependencyProblem(id)) continue;  // Begin skips it
    batch.push_back(id);
  }
  if (batch.size() < kParallelForMinItems) return;
  // One thread: node.action (any goal's code) and the file digest cache are not thread-safe.
  for (NodeId id : batch) {
    const Node& node = graph_->node(id);
    auto p = std::make_shared<Prefetched>();
    DepOutcomes deps;
    for (NodeId d : node.deps) deps.push_back(&result_.outcomes[d]);
    p->request = node.action(deps);
    if (p->request.ok()) p->local_digests = LocalInputDigests(*p->request, file_digests_.get());
    states_[id].prefetched = std::move(p);
  }
  // Keys, action-cache entries, blob checks and replays: pure functions of the request and
  // the store (which is safe for concurrent use; it already is across processes).
  const bool use_cache = store_ != nullptr && !options_.force;
  ParallelFor(batch.size(), threads, [&](size_t k) {
    Prefetched& p = *states_[batch[k]].prefetched;
    if (!p.request.ok()) return;
    p.key = KeyActionWithDigests(*p.request, p.local_digests);
    if (!p.key.ok() || !use_cache || !p.request->cacheable) return;
    store::ActionCache::VerifiedOutputs verified;
    p.looked_up = true;
    p.hit = store_->action_cache().Get(p.key->action_digest, &p.why, &verified);
    if (p.hit && p.hit->exit_code() == 0) {
      p.replay = ReplayActionResult(*p.hit, store_->cas(), &verified);
    }
  });
}

void Scheduler::PrepareAction(NodeId id) {
  const Node& node = graph_->node(id);
  NodeState& st = states_[id];
  std::shared_ptr<Prefetched> pre = std::move(st.prefetched);
  absl::StatusOr<ActionRequest> request = absl::UnknownError("");
  if (pre) {
    request = std::move(pre->request);
  } else {
    DepOutcomes deps;
    for (NodeId d : node.deps) deps.push_back(&result_.outcomes[d]);
    request = node.action(deps);
  }
  if (!request.ok()) {
    FinishError(id, request.status());
    return;
  }
  st.request = *std::move(request);
  absl::StatusOr<store::ActionKey> key =
      pre ? std::move(pre->key) : KeyAction(*st.request, file_digests_.get());
  if (!key.ok()) {
    FinishError(id, key.status());
    return;
  }
  st.key = *std::move(key);
  const store::Digest& digest = st.key.action_digest;

  // 1. Memoized within this run.
  auto [memo, inserted] = memo_.try_emplace(digest);
  if (!inserted) {
    NodeId owner = memo->second.owner;
    if (states_[owner].phase == NodeState::Phase::kDone) {
      NodeOutcome o = result_.outcomes[owner];
      if (o.action) {
        o.action->source = ResultSource::kMemoized;
        o.action->kept_sandbox.clear();
        ++result_.stats.memoized;
      }
      Finish(id, std::move(o));
    } else {
      st.phase = NodeState::Phase::kWaitingMemo;
      memo->second.waiters.push_back(id);
    }
    return;
  }
  memo->second.owner = id;
  st.owns_memo = true;

  // 2. The persistent action cache.
  if (store_ != nullptr && st.request->cacheable && !options_.force) {
    std::string why;
    store::ActionCache::VerifiedOutputs verified;  // stdout/stderr, read once
    std::optional<reapi::ActionResult> hit;
    if (pre && pre->looked_up) {
      hit = std::move(pre->hit);
      why = std::move(pre->why);
    } else {
      hit = store_->action_cache().Get(digest, &why, &verified);
    }
    if (hit && hit->exit_code() != 0) {
      // Stored with allow_failure by someone else: never served as a success here.
      hit.reset();
      why = "cached result is a failure";
    }
    if (hit) {
      absl::StatusOr<ActionOutput> replay =
          pre && pre->looked_up && pre->replay
              ? *std::move(pre->replay)
              : ReplayActionResult(*hit, store_->cas(), &verified);
      if (replay.ok()) {
        replay->action_digest = digest;
        replay->description =
            st.request->spec.description.empty() ? node.name : st.request->spec.description;
        ++result_.stats.cache_hits;
        result_.stats.time_saved += replay->duration;
        NodeOutcome o;
        o.status = NodeStatus::kSucceeded;
        o.action = *std::move(replay);
        Finish(id, std::move(o));
        return;
      }
      why = std::string(replay.status().message());
    }
    ++result_.stats.cache_misses;
    BRAID_LOG(kDebug) << "cache miss for " << node.name << " (" << digest.ToString()
                      << "): " << why;
  }

  // 3. Run it when a slot is free.
  st.phase = NodeState::Phase::kQueued;
  runnable_.insert({-graph_->node(id).launch_priority, id});
}

int Scheduler::LowestFreeSlot() const {
  int slot = 1;
  while (busy_slots_.count(slot)) ++slot;
  return slot;
}

bool Scheduler::MakeSandboxAndSpec(NodeId id, int slot, exec::ProcessSpec& spec) {
  const Node& node = graph_->node(id);
  NodeState& st = states_[id];
  absl::StatusOr<exec::Sandbox> sandbox = exec::Sandbox::Create(options_.sandbox_root);
  if (!sandbox.ok()) {
    FinishError(id, sandbox.status());
    return false;
  }
  st.sandbox.emplace(*std::move(sandbox));
  std::optional<CasFileSource> cas_source;
  if (store_ != nullptr) cas_source.emplace(&store_->cas());
  if (absl::Status s = st.sandbox->Materialize(st.request->inputs,
                                                cas_source ? &*cas_source : nullptr);
      !s.ok()) {
    st.sandbox.reset();
    FinishError(id, s);
    return false;
  }
  spec = st.request->spec;
  spec.cwd = spec.cwd.empty() ? st.sandbox->path() : absl::StrCat(st.sandbox->path(), "/", spec.cwd);
  st.sandbox->AddTempDirEnv(spec.env);
  spec.sandbox.isolation = options_.isolation;
  spec.sandbox.writable_root = st.sandbox->path();
  if (spec.description.empty()) spec.description = node.name;
  st.slot = slot;
  if (!st.request->execution_slot_var.empty()) {
    spec.env[st.request->execution_slot_var] = std::to_string(slot);
  }
  st.launched_spec = spec;
  return true;
}

void Scheduler::Launch(NodeId id, int slot) {
  exec::ProcessSpec spec;
  if (MakeSandboxAndSpec(id, slot, spec)) StartProcess(id, std::move(spec));
}

void Scheduler::StartProcess(NodeId id, std::optional<exec::ProcessSpec> spec) {
  const Node& node = graph_->node(id);
  NodeState& st = states_[id];
  busy_slots_.insert(st.slot);
  st.phase = NodeState::Phase::kRunning;
  st.slot_handed_over = false;
  const absl::Time start = Now();
  if (st.attempt == 0) st.started_at = start;  // a retry keeps the node's first start
  ++running_;
  ++result_.stats.processes_run;
  if (++st.attempt > 1) ++result_.stats.retries;
  for (RunObserver* o : observers_) o->OnProcessStarted(node, st.launched_spec.description, start);
  std::weak_ptr<Scheduler*> weak = self_;
  auto done = [weak, id](exec::ProcessResult r) {
    std::shared_ptr<Scheduler*> self = weak.lock();
    if (self && *self) (*self)->OnProcessDone(id, std::move(r));
  };
  if (spec) {
    st.process_id = runner_->Start(*std::move(spec), std::move(done));
  } else {
    auto finishing = [weak, id, process = st.process_id] {
      std::shared_ptr<Scheduler*> self = weak.lock();
      if (self && *self) (*self)->OnProcessFinishing(id, process);
    };
    runner_->StartPrepared(st.process_id, std::move(done), std::move(finishing));
  }
}

void Scheduler::OnProcessFinishing(NodeId id, uint64_t process_id) {
  NodeState& st = states_[id];
  if (done_ || st.phase != NodeState::Phase::kRunning || st.process_id != process_id ||
      st.slot_handed_over || options_.fail_fast || Stopping()) {
    return;
  }
  st.slot_handed_over = true;
  --running_;
  busy_slots_.erase(st.slot);
  Pump();
}

void Scheduler::PrepareAhead() {
  // Breadth first: every running slot gets its next one before any gets a second.
  for (size_t depth = 1; depth <= static_cast<size_t>(std::max(0, options_.prepare_depth));
       ++depth) {
    for (int slot : busy_slots_) {
      if (runnable_.empty() || Stopping()) return;
      if (auto it = prepared_.find(slot); it != prepared_.end() && it->second.size() >= depth) {
        continue;
      }
      NodeId id = runnable_.begin()->second;
      NodeState& st = states_[id];
      st.request->spec.sandbox.isolation = options_.isolation;  // as the launched spec will have
      if (!runner_->CanPrepare(st.request->spec)) return;  // keep the queue's order
      runnable_.erase(runnable_.begin());
      exec::ProcessSpec spec;
      if (!MakeSandboxAndSpec(id, slot, spec)) continue;
      st.phase = NodeState::Phase::kPrepared;
      st.process_id = runner_->Prepare(std::move(spec));
      prepared_[slot].push_back(id);
    }
  }
}

void Scheduler::DropPrepared(NodeState& st) {
  // The process ends asynchronously (it may still be writing into its sandbox): the sandbox
  // goes once the runner says it has ended, and the run's result waits for that
  // (pending_background_, as for any sandbox removal).
  auto held = std::make_shared<std::optional<exec::Sandbox>>(std::move(st.sandbox));
  st.sandbox.reset();
  ++*pending_background_;
  std::weak_ptr<Scheduler*> weak = self_;
  std::shared_ptr<int> pending = pending_background_;
  runner_->CancelPrepared(st.process_id, [weak, held, pending](exec::ProcessResult) {
    --*pending;
    std::shared_ptr<Scheduler*> self = weak.lock();
    if (self && *self) (*self)->DiscardSandbox(*held);
    // Otherwise ~Sandbox removes it when `held` goes.
  });
  st.process_id = 0;
}

void Scheduler::OnProcessDone(NodeId id, exec::ProcessResult r) {
  if (done_ || states_[id].phase != NodeState::Phase::kRunning) return;
  NodeState& st = states_[id];
  const Node& node = graph_->node(id);
  if (!st.slot_handed_over) {
    --running_;
    busy_slots_.erase(st.slot);
  }
  st.slot_handed_over = false;
  result_.stats.process_time += r.wall_time;
  // After a success, start the next queued process before recording this one's outputs
  // (blobs, the fsync'd action-cache entry, sandbox removal): the freed slot does not idle
  // during that bookkeeping. Not after a failure: fail-fast must not start anything more, and a
  // retry takes the slot before later queued nodes (not before the ones already prepared for
  // it: they are ready to go). Nothing here finishes the run (finished_ counts
  // this node only below).
  if (r.ok() && !cancelled_) Pump();
  const bool keep = exec::ShouldKeepSandbox(options_.keep_sandboxes, r);
  NodeOutcome o;
  if (r.interrupted || cancelled_) {
    // Never cached, even if it happened to finish: the run was cancelled around it.
    r.interrupted = true;
    o.status = NodeStatus::kInterrupted;
    ActionOutput out;
    out.duration = r.wall_time;
    out.action_digest = st.key.action_digest;
    out.description = st.launched_spec.description;
    out.process = std::move(r);
    o.action = std::move(out);
  } else {
    absl::StatusOr<ActionOutput> out = RecordAction(*st.sandbox, *st.request, std::move(r), store_);
    if (!out.ok()) {
      DiscardSandbox(st.sandbox);
      FinishError(id, absl::Status(out.status().code(),
                                   absl::StrCat("recording the outputs of ", node.name, ": ",
                                                out.status().message())));
      Pump();  // the freed slot (and what waits, prepared, for it) goes on
      return;
    }
    out->action_digest = st.key.action_digest;
    out->description = st.launched_spec.description;
    out->attempts = st.attempt;
    o.status = out->process.ok() ? NodeStatus::kSucceeded : NodeStatus::kFailed;
    if (!o.ok() && st.attempt < st.request->attempts) {
      // Retry in a fresh sandbox; this attempt's sandbox goes (or is kept) like any other.
      if (keep && st.sandbox) {
        if (absl::Status s = st.sandbox->WriteRunScript(st.launched_spec); !s.ok()) {
          BRAID_LOG(kWarn) << s.message();
        }
        st.sandbox->Keep();
        BRAID_LOG(kInfo) << exec::KeptSandboxMessage(st.sandbox->path(),
                                                     st.launched_spec.description);
      }
      DiscardSandbox(st.sandbox);
      BRAID_LOG(kDebug) << node.name << ": attempt " << st.attempt << " of "
                        << st.request->attempts << " failed ("
                        << exec::DescribeOutcome(out->process) << "); retrying";
      for (RunObserver* obs : observers_) obs->OnAttemptFailed(node, *out);
      st.phase = NodeState::Phase::kQueued;
      runnable_.insert({-graph_->node(id).launch_priority, id});
      Pump();
      return;
    }
    if (o.ok() && store_ != nullptr && st.request->cacheable) {
      // Every blob is stored by now (RecordAction); the entry is the last, atomic write.
      PutActionResult(node.name, st.key.action_digest, out->action_result);
    }
    o.action = *std::move(out);
  }
  if (keep && st.sandbox) {
    if (absl::Status s = st.sandbox->WriteRunScript(st.launched_spec); !s.ok()) {
      BRAID_LOG(kWarn) << s.message();
    }
    st.sandbox->Keep();
    o.action->kept_sandbox = st.sandbox->path();
    BRAID_LOG(kInfo) << exec::KeptSandboxMessage(st.sandbox->path(), st.launched_spec.description);
  }
  DiscardSandbox(st.sandbox);  // removes the directory unless kept
  Finish(id, std::move(o));
  Pump();
}

void Scheduler::FinishError(NodeId id, absl::Status error) {
  NodeOutcome o;
  o.status = NodeStatus::kFailed;
  o.error = std::move(error);
  Finish(id, std::move(o));
}

void Scheduler::Finish(NodeId id, NodeOutcome outcome) {
  NodeState& st = states_[id];
  if (st.phase == NodeState::Phase::kDone) return;
  st.phase = NodeState::Phase::kDone;
  outcome.id = id;
  outcome.started_at = st.started_at;
  outcome.finished_at = outcome.status == NodeStatus::kSkipped ? absl::InfinitePast() : Now();
  if (outcome.status == NodeStatus::kSkipped) outcome.started_at = absl::InfinitePast();
  if (outcome.status == NodeStatus::kFailed && first_failure_ < 0) first_failure_ = id;
  result_.outcomes[id] = std::move(outcome);
  ++finished_;
  st.request.reset();
  const Node& node = graph_->node(id);
  for (RunObserver* o : observers_) o->OnNodeFinished(node, result_.outcomes[id]);
  if (st.owns_memo) ResolveMemoWaiters(id);
  for (NodeId d : st.dependents) {
    NodeState& ds = states_[d];
    if (--ds.pending_deps == 0 && ds.phase == NodeState::Phase::kWaiting) {
      ds.phase = NodeState::Phase::kReady;
      ready_.insert(d);
    }
  }
}

void Scheduler::ResolveMemoWaiters(NodeId owner) {
  auto it = memo_.find(states_[owner].key.action_digest);
  if (it == memo_.end() || it->second.owner != owner) return;
  std::vector<NodeId> waiters = std::move(it->second.waiters);
  it->second.waiters.clear();
  for (NodeId w : waiters) {
    NodeOutcome o = result_.outcomes[owner];
    if (o.action) {
      o.action->source = ResultSource::kMemoized;
      o.action->kept_sandbox.clear();
      if (o.status != NodeStatus::kInterrupted) ++result_.stats.memoized;
    }
    Finish(w, std::move(o));
  }
}

void Scheduler::SkipUnstarted() {
  const std::string stop_reason =
      cancelled_ ? "interrupted"
                 : absl::StrCat("fail-fast after '", graph_->node(first_failure_).name,
                                "' failed");
  for (NodeId id = 0; id < static_cast<NodeId>(states_.size()); ++id) {
    NodeState::Phase phase = states_[id].phase;
    if (phase != NodeState::Phase::kWaiting && phase != NodeState::Phase::kReady &&
        phase != NodeState::Phase::kQueued && phase != NodeState::Phase::kPrepared) {
      continue;
    }
    if (phase == NodeState::Phase::kPrepared) DropPrepared(states_[id]);
    NodeOutcome o;
    o.status = NodeStatus::kSkipped;
    std::optional<std::string> problem = DependencyProblem(id);
    o.skip_reason = problem ? *problem : stop_reason;
    if (problem && graph_->node(id).tolerates_failed_dependencies) o.skip_reason = stop_reason;
    // A queued memo owner's waiters are skipped with it (ResolveMemoWaiters copies the outcome).
    Finish(id, std::move(o));
  }
  ready_.clear();
  runnable_.clear();
  prepared_.clear();
}

void Scheduler::Cancel() {
  if (done_ || cancelled_) return;
  cancelled_ = true;
  std::set<uint64_t> ours;
  for (const NodeState& st : states_) {
    if (st.phase == NodeState::Phase::kRunning) ours.insert(st.process_id);
  }
  for (const exec::RunningProcess& p : runner_->Running()) {
    if (ours.count(p.id)) result_.interrupted_processes.push_back(p);
  }
  result_.interrupted = true;
  runner_->KillAll();
  Pump();
}

}  // namespace braid::engine
