// Scheduler behaviour with a FakeProcessRunner: the test decides when, and in which order,
// processes complete.
#include "core/engine/scheduler.h"

#include <uv.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "core/engine/action_io.h"
#include "core/exec/fake_process_runner.h"
#include "core/store/store.h"
#include "core/store/store_test_util.h"
#include "gtest/gtest.h"

namespace braid::engine {
namespace {

using store::testing::TempDir;

/// Records the order of events.
class Recorder : public RunObserver {
 public:
  void OnProcessStarted(const Node& node, const std::string& description, absl::Time) override {
    started.push_back(node.name + " / " + description);
  }
  void OnAttemptFailed(const Node& node, const ActionOutput& failed) override {
    attempts_failed.push_back(node.name + " attempt " + std::to_string(failed.attempts));
  }
  void OnNodeFinished(const Node& node, const NodeOutcome& o) override {
    finished.push_back(node.name + " " + NodeStatusName(o.status));
  }
  std::vector<std::string> started;
  std::vector<std::string> attempts_failed;
  std::vector<std::string> finished;
};

/// A process action running `run <word>` with one input holding `word`.
ActionFn Cmd(std::string word, bool cacheable = true) {
  return [word, cacheable](const DepOutcomes&) -> absl::StatusOr<ActionRequest> {
    ActionRequest r;
    r.spec.argv = {"run", word};
    r.spec.env = {{"PATH", "/usr/bin:/bin"}};
    r.spec.description = "Run " + word;
    r.inputs.push_back({"in.txt", exec::FileBytes{word}});
    r.key.rule_version = "test-1";
    r.cacheable = cacheable;
    return r;
  };
}

exec::ProcessResult Result(int exit_code, std::string out, absl::Duration wall) {
  exec::ProcessResult r;
  r.exit_code = exit_code;
  r.stdout_bytes = std::move(out);
  r.start = absl::FromUnixSeconds(1'700'000'000);
  r.wall_time = wall;
  r.end = r.start + wall;
  return r;
}

class SchedulerTest : public ::testing::Test {
 protected:
  SchedulerTest() { uv_loop_init(&loop_); }
  ~SchedulerTest() override {
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_loop_close(&loop_);
  }

  SchedulerOptions Options(int parallelism) {
    SchedulerOptions o;
    o.parallelism = parallelism;
    o.sandbox_root = dir_ / "sandboxes";
    o.handle_signals = false;
    return o;
  }
  /// Options(parallelism) preparing `depth` actions per slot, with `runner` able to prepare.
  SchedulerOptions Preparing(exec::FakeProcessRunner& runner, int parallelism, int depth) {
    runner.set_can_prepare(true);
    SchedulerOptions o = Options(parallelism);
    o.prepare_depth = depth;
    return o;
  }
  store::Store* OpenStore() {
    if (!store_) {
      absl::StatusOr<std::unique_ptr<store::Store>> s = store::Store::Open(dir_ / "store");
      EXPECT_TRUE(s.ok()) << s.status();
      store_ = *std::move(s);
    }
    return store_.get();
  }
  /// Runs `graph` to the end, completing processes in start order.
  RunResult RunAll(const Graph& graph, exec::FakeProcessRunner& runner, SchedulerOptions options,
                   store::Store* store = nullptr, Recorder* recorder = nullptr) {
    Scheduler s(&loop_, &runner, store, std::move(options));
    if (recorder) s.AddObserver(recorder);
    absl::Status st = s.Start(graph);
    EXPECT_TRUE(st.ok()) << st;
    runner.CompleteAll();
    EXPECT_TRUE(s.done());
    return s.TakeResult();
  }

  uv_loop_t loop_;
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(SchedulerTest, RespectsTheParallelismLimit) {
  Graph g;
  for (int i = 0; i < 5; ++i) g.AddAction("t" + std::to_string(i), {}, Cmd("t" + std::to_string(i)));
  exec::FakeProcessRunner runner;
  Scheduler s(&loop_, &runner, nullptr, Options(2));
  ASSERT_TRUE(s.Start(g).ok());
  EXPECT_EQ(runner.Running().size(), 2u);
  runner.Complete(1);
  EXPECT_EQ(runner.Running().size(), 2u);  // the next one took the free slot
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  EXPECT_EQ(runner.max_running(), 2u);
  RunResult r = s.TakeResult();
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.stats.processes_run, 5);
  // Started in node order.
  ASSERT_EQ(runner.started().size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(runner.started()[i].argv[1], "t" + std::to_string(i));
}

TEST_F(SchedulerTest, ResultsAreInNodeOrderWhateverTheCompletionOrder) {
  Graph g;
  g.AddAction("a", {}, Cmd("a"));
  g.AddAction("b", {}, Cmd("b"));
  g.AddAction("c", {}, Cmd("c"));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "a"}, Result(0, "A", absl::Seconds(1)));
  runner.SetResult({"run", "b"}, Result(0, "B", absl::Seconds(2)));
  runner.SetResult({"run", "c"}, Result(0, "C", absl::Seconds(3)));
  Recorder rec;
  Scheduler s(&loop_, &runner, nullptr, Options(3));
  s.AddObserver(&rec);
  ASSERT_TRUE(s.Start(g).ok());
  EXPECT_EQ(rec.started, (std::vector<std::string>{"a / Run a", "b / Run b", "c / Run c"}));
  runner.Complete(3);
  runner.Complete(2);
  runner.Complete(1);
  ASSERT_TRUE(s.done());
  EXPECT_EQ(rec.finished, (std::vector<std::string>{"c succeeded", "b succeeded", "a succeeded"}));
  RunResult r = s.TakeResult();
  ASSERT_EQ(r.outcomes.size(), 3u);
  const char* out[] = {"A", "B", "C"};
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(r.outcomes[i].id, i);
    ASSERT_TRUE(r.outcomes[i].action.has_value());
    EXPECT_EQ(r.outcomes[i].action->process.stdout_bytes, out[i]);
    EXPECT_EQ(r.outcomes[i].action->duration, absl::Seconds(i + 1));
    EXPECT_EQ(r.outcomes[i].action->source, ResultSource::kRan);
  }
}

TEST_F(SchedulerTest, FailureSkipsDependentsAndIndependentsStillRun) {
  Graph g;
  NodeId a = g.AddAction("src/a:a", {}, Cmd("a"));
  NodeId b = g.AddAction("src/b:b", {a}, Cmd("b"));
  g.AddAction("src/c:c", {b}, Cmd("c"));
  g.AddAction("src/d:d", {}, Cmd("d"));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "a"}, Result(1, "boom", absl::Seconds(1)));
  RunResult r = RunAll(g, runner, Options(1));
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kFailed);
  EXPECT_EQ(r.outcomes[0].action->process.exit_code, 1);
  EXPECT_EQ(r.outcomes[1].status, NodeStatus::kSkipped);
  EXPECT_EQ(r.outcomes[1].skip_reason, "dependency 'src/a:a' failed");
  EXPECT_EQ(r.outcomes[2].status, NodeStatus::kSkipped);
  EXPECT_EQ(r.outcomes[2].skip_reason, "dependency 'src/a:a' failed");
  EXPECT_EQ(r.outcomes[3].status, NodeStatus::kSucceeded);
  EXPECT_EQ(runner.started().size(), 2u);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code(), 1);
}

TEST_F(SchedulerTest, FailFastStopsStartingNodesButLetsRunningOnesFinish) {
  Graph g;
  g.AddAction("a", {}, Cmd("a"));
  g.AddAction("b", {}, Cmd("b"));
  g.AddAction("c", {}, Cmd("c"));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "a"}, Result(1, "", absl::Seconds(1)));
  SchedulerOptions o = Options(2);
  o.fail_fast = true;
  Scheduler s(&loop_, &runner, nullptr, o);
  ASSERT_TRUE(s.Start(g).ok());
  runner.Complete(1);  // a fails while b runs
  EXPECT_FALSE(s.done());
  EXPECT_EQ(runner.Running().size(), 1u);
  runner.Complete(2);
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kFailed);
  EXPECT_EQ(r.outcomes[1].status, NodeStatus::kSucceeded);
  EXPECT_EQ(r.outcomes[2].status, NodeStatus::kSkipped);
  EXPECT_EQ(r.outcomes[2].skip_reason, "fail-fast after 'a' failed");
  EXPECT_EQ(runner.started().size(), 2u);
}

TEST_F(SchedulerTest, WithoutFailFastEverythingRunsAndAllFailuresAreReported) {
  Graph g;
  g.AddAction("a", {}, Cmd("a"));
  g.AddAction("b", {}, Cmd("b"));
  g.AddAction("c", {}, Cmd("c"));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "a"}, Result(1, "", absl::Seconds(1)));
  runner.SetResult({"run", "c"}, Result(2, "", absl::Seconds(1)));
  RunResult r = RunAll(g, runner, Options(1));
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kFailed);
  EXPECT_EQ(r.outcomes[1].status, NodeStatus::kSucceeded);
  EXPECT_EQ(r.outcomes[2].status, NodeStatus::kFailed);
  EXPECT_EQ(runner.started().size(), 3u);
}

TEST_F(SchedulerTest, IdenticalActionsRunOnceAndShareTheResult) {
  Graph g;
  NodeId a = g.AddAction("first", {}, Cmd("same"));
  g.AddAction("second", {}, Cmd("same"));   // in flight at the same time
  g.AddAction("third", {a}, Cmd("same"));   // after the first finished
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "same"}, Result(0, "out", absl::Seconds(2)));
  RunResult r = RunAll(g, runner, Options(4));
  EXPECT_EQ(runner.started().size(), 1u);
  EXPECT_EQ(r.outcomes[0].action->source, ResultSource::kRan);
  for (int i : {1, 2}) {
    EXPECT_EQ(r.outcomes[i].status, NodeStatus::kSucceeded);
    EXPECT_EQ(r.outcomes[i].action->source, ResultSource::kMemoized);
    EXPECT_EQ(r.outcomes[i].action->process.stdout_bytes, "out");
    EXPECT_EQ(r.outcomes[i].action->action_digest, r.outcomes[0].action->action_digest);
  }
  EXPECT_EQ(r.stats.memoized, 2);
  EXPECT_EQ(r.stats.processes_run, 1);
}

TEST_F(SchedulerTest, MemoizedFailureIsAFailure) {
  Graph g;
  g.AddAction("first", {}, Cmd("same"));
  g.AddAction("second", {}, Cmd("same"));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "same"}, Result(3, "bad", absl::Seconds(1)));
  RunResult r = RunAll(g, runner, Options(2));
  EXPECT_EQ(runner.started().size(), 1u);
  EXPECT_EQ(r.outcomes[1].status, NodeStatus::kFailed);
  EXPECT_EQ(r.outcomes[1].action->process.exit_code, 3);
}

TEST_F(SchedulerTest, SecondRunIsServedFromTheCacheWithTheOriginalDuration) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("src/app/app_test.py:tests", {}, Cmd("t"));
  exec::FakeProcessRunner first;
  first.SetResult({"run", "t"}, Result(0, "1 passed\n", absl::Milliseconds(1500)));
  RunResult r1 = RunAll(g, first, Options(1), store);
  ASSERT_TRUE(r1.ok());
  EXPECT_EQ(r1.stats.cache_misses, 1);
  EXPECT_FALSE(r1.outcomes[0].action->cached());

  exec::FakeProcessRunner second;
  RunResult r2 = RunAll(g, second, Options(1), store);
  EXPECT_TRUE(second.started().empty());
  ASSERT_TRUE(r2.ok());
  const ActionOutput& out = *r2.outcomes[0].action;
  EXPECT_TRUE(out.cached());
  EXPECT_EQ(out.duration, absl::Milliseconds(1500));
  EXPECT_EQ(out.process.stdout_bytes, "1 passed\n");
  EXPECT_EQ(out.action_digest, r1.outcomes[0].action->action_digest);
  EXPECT_EQ(r2.stats.cache_hits, 1);
  EXPECT_EQ(r2.stats.cache_misses, 0);
  EXPECT_EQ(r2.stats.processes_run, 0);
  EXPECT_EQ(r2.stats.time_saved, absl::Milliseconds(1500));
}

TEST_F(SchedulerTest, FailuresAreNeverCached) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("t", {}, Cmd("t"));
  exec::FakeProcessRunner first;
  first.SetResult({"run", "t"}, Result(1, "FAILED\n", absl::Seconds(1)));
  RunResult r1 = RunAll(g, first, Options(1), store);
  EXPECT_EQ(r1.outcomes[0].status, NodeStatus::kFailed);

  exec::FakeProcessRunner second;
  second.SetResult({"run", "t"}, Result(1, "FAILED\n", absl::Seconds(1)));
  RunResult r2 = RunAll(g, second, Options(1), store);
  EXPECT_EQ(second.started().size(), 1u);
  EXPECT_EQ(r2.outcomes[0].status, NodeStatus::kFailed);
  EXPECT_FALSE(r2.outcomes[0].action->cached());
  EXPECT_EQ(r2.stats.cache_misses, 1);
  EXPECT_EQ(r2.stats.cache_hits, 0);
}

// With many actions ready at once, keys and cache lookups are worked out ahead, on
// lookup_threads threads. Everything observable must be what one-at-a-time gives: outcomes,
// stats, event order, reruns of damaged entries, memoized twins, builder errors.
TEST_F(SchedulerTest, LookingUpManyReadyActionsAheadChangesNothing) {
  auto build = [](Graph& g) {
    NodeId first = -1;
    for (int i = 0; i < 150; ++i) {
      std::string word = "w" + std::to_string(i % 140);  // 10 memoized twins
      NodeId id = g.AddAction("n" + std::to_string(i), {}, Cmd(word, /*cacheable=*/i % 37 != 5));
      if (i == 0) first = id;
    }
    g.AddAction("after", {first}, Cmd("w3"));  // ready only later
    g.AddAction("broken", {}, [](const DepOutcomes&) -> absl::StatusOr<ActionRequest> {
      return absl::InvalidArgumentError("bad request");
    });
  };
  auto results = [](exec::FakeProcessRunner& runner) {
    for (int i = 0; i < 140; ++i) {
      std::string out = "out " + std::to_string(i);
      if (i == 2) out += std::string(5000, '.');  // a stdout blob (small ones are inline)
      runner.SetResult({"run", "w" + std::to_string(i)},
                       Result(i == 17 ? 1 : 0, out, absl::Seconds(1)));
    }
  };
  struct Seen {
    std::vector<std::string> events;
    std::vector<std::string> outcomes;
    std::string stats;
  };
  auto run = [&](int lookup_threads, const std::string& store_dir) {
    absl::StatusOr<std::unique_ptr<store::Store>> st = store::Store::Open(dir_ / store_dir);
    EXPECT_TRUE(st.ok()) << st.status();
    Graph g;
    build(g);
    SchedulerOptions o = Options(4);
    o.lookup_threads = lookup_threads;
    exec::FakeProcessRunner warm;
    results(warm);
    RunAll(g, warm, o, st->get());
    // Damage one cached stdout: that action must run again.
    std::optional<reapi::ActionResult> hit;
    for (NodeId id = 0; id < 3 && !hit; ++id) {
      ActionRequest r = *Cmd("w2")(DepOutcomes{});
      store::ActionKey key = *KeyAction(r);
      hit = (*st)->action_cache().Get(key.action_digest);
    }
    EXPECT_TRUE(hit.has_value());
    store::testing::FlipByte((*st)->cas().Path(*store::FromProto(hit->stdout_digest())), 0);
    exec::FakeProcessRunner runner;
    results(runner);
    Recorder rec;
    RunResult r = RunAll(g, runner, o, st->get(), &rec);
    Seen seen;
    seen.events = rec.started;
    seen.events.insert(seen.events.end(), rec.finished.begin(), rec.finished.end());
    for (const NodeOutcome& out : r.outcomes) {
      std::string line = std::string(NodeStatusName(out.status)) + " " + out.error.ToString();
      if (out.action) {
        line += " " + std::to_string(static_cast<int>(out.action->source)) + " " +
                out.action->process.stdout_bytes + " " + out.action->action_digest.ToString();
      }
      seen.outcomes.push_back(line);
    }
    seen.stats = std::to_string(r.stats.cache_hits) + " " + std::to_string(r.stats.cache_misses) +
                 " " + std::to_string(r.stats.memoized) + " " +
                 std::to_string(r.stats.processes_run);
    return seen;
  };
  Seen serial = run(1, "serial");
  Seen ahead = run(2, "ahead");
  EXPECT_EQ(ahead.events, serial.events);
  EXPECT_EQ(ahead.outcomes, serial.outcomes);
  EXPECT_EQ(ahead.stats, serial.stats);
  // The run did exercise hits, a rerun of the damaged entry, failures (never cached),
  // uncacheable actions, memoized twins and the builder error.
  EXPECT_NE(std::find(ahead.events.begin(), ahead.events.end(), "n2 / Run w2"), ahead.events.end());
  EXPECT_NE(std::find(ahead.events.begin(), ahead.events.end(), "n17 / Run w17"), ahead.events.end());
  EXPECT_NE(std::find(ahead.events.begin(), ahead.events.end(), "n5 / Run w5"), ahead.events.end());
  EXPECT_NE(std::find(ahead.events.begin(), ahead.events.end(), "broken failed"), ahead.events.end());
  int hits = 0, misses = 0, memoized = 0, processes = 0;
  ASSERT_EQ(std::sscanf(ahead.stats.c_str(), "%d %d %d %d", &hits, &misses, &memoized, &processes), 4);
  EXPECT_GT(hits, 100) << ahead.stats;
  EXPECT_EQ(misses, 2) << "the damaged entry and the failure: " << ahead.stats;
  EXPECT_GE(memoized, 10) << ahead.stats;
}

TEST_F(SchedulerTest, ForceSkipsCacheReadsButStillWrites) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("t", {}, Cmd("t"));
  exec::FakeProcessRunner first;
  RunAll(g, first, Options(1), store);

  exec::FakeProcessRunner forced;
  SchedulerOptions o = Options(1);
  o.force = true;
  RunResult r = RunAll(g, forced, o, store);
  EXPECT_EQ(forced.started().size(), 1u);
  EXPECT_FALSE(r.outcomes[0].action->cached());
  EXPECT_EQ(r.stats.cache_hits + r.stats.cache_misses, 0);

  exec::FakeProcessRunner third;
  RunResult r3 = RunAll(g, third, Options(1), store);
  EXPECT_TRUE(third.started().empty());
  EXPECT_TRUE(r3.outcomes[0].action->cached());
}

TEST_F(SchedulerTest, UncacheableActionsNeitherReadNorWriteTheCache) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("t", {}, Cmd("t", /*cacheable=*/false));
  exec::FakeProcessRunner first;
  RunAll(g, first, Options(1), store);
  exec::FakeProcessRunner second;
  RunAll(g, second, Options(1), store);
  EXPECT_EQ(second.started().size(), 1u);
  EXPECT_TRUE(store::testing::FilesIn(store->root() + "/ac").empty());
}

// Every regular file below `dir`.
int CountFiles(const std::string& dir) {
  int n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) ++n;
  }
  return n;
}

TEST_F(SchedulerTest, CancelKillsEverythingAndWritesNoCacheEntry) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("a", {}, Cmd("a"));
  g.AddAction("b", {}, Cmd("b"));
  g.AddAction("c", {}, Cmd("c"));  // queued behind the limit
  exec::FakeProcessRunner runner;
  Recorder rec;
  Scheduler s(&loop_, &runner, store, Options(2));
  s.AddObserver(&rec);
  ASSERT_TRUE(s.Start(g).ok());
  ASSERT_EQ(runner.Running().size(), 2u);
  s.Cancel();
  EXPECT_EQ(runner.kill_all_calls(), 1);
  EXPECT_FALSE(s.done());  // the killed processes still report back
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.exit_code(), exec::kInterruptedExitCode);
  ASSERT_EQ(r.interrupted_processes.size(), 2u);
  EXPECT_EQ(r.interrupted_processes[0].description, "Run a");
  EXPECT_EQ(r.interrupted_processes[1].description, "Run b");
  EXPECT_EQ(exec::InterruptedMessage(r.interrupted_processes),
            "Interrupted; killed 2 running processes:\n  Run a\n  Run b\n");
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kInterrupted);
  EXPECT_EQ(r.outcomes[1].status, NodeStatus::kInterrupted);
  EXPECT_EQ(r.outcomes[2].status, NodeStatus::kSkipped);
  EXPECT_EQ(r.outcomes[2].skip_reason, "interrupted");
  EXPECT_EQ(runner.started().size(), 2u);
  EXPECT_EQ(CountFiles(store->root() + "/ac"), 0);

  // Nothing was cached: the next run runs everything.
  exec::FakeProcessRunner again;
  RunResult r2 = RunAll(g, again, Options(2), store);
  EXPECT_EQ(again.started().size(), 3u);
  EXPECT_TRUE(r2.ok());
}

// A runner whose processes had already exited when KillAll came: their results are not
// marked interrupted.
class AlreadyExitedRunner : public exec::FakeProcessRunner {
 public:
  void KillAll() override {}
};

TEST_F(SchedulerTest, AProcessThatFinishesAfterCancelIsNotCached) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("a", {}, Cmd("a"));
  AlreadyExitedRunner runner;
  Scheduler s(&loop_, &runner, store, Options(1));
  ASSERT_TRUE(s.Start(g).ok());
  s.Cancel();
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kInterrupted);
  EXPECT_TRUE(r.outcomes[0].action->process.interrupted);
  EXPECT_EQ(CountFiles(store->root() + "/ac"), 0);
}

TEST_F(SchedulerTest, CycleIsAnErrorBeforeAnythingRuns) {
  Graph g;
  NodeId a = g.AddAction("a", {}, Cmd("a"));
  NodeId b = g.AddAction("b", {a}, Cmd("b"));
  g.AddDependency(a, b);
  exec::FakeProcessRunner runner;
  Scheduler s(&loop_, &runner, nullptr, Options(1));
  absl::Status st = s.Start(g);
  EXPECT_EQ(st.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(st.message(), "dependency cycle: a -> b -> a");
  EXPECT_TRUE(runner.started().empty());
  absl::StatusOr<RunResult> r = s.Run(g);
  EXPECT_EQ(r.status().message(), "dependency cycle: a -> b -> a");
}

TEST_F(SchedulerTest, ComputeNodesPassValuesAndErrorsFailTheirDependents) {
  Graph g;
  NodeId one = g.AddCompute("one", {}, [](const DepOutcomes&) -> absl::StatusOr<std::any> {
    return std::any(1);
  });
  NodeId two = g.AddCompute("two", {one}, [](const DepOutcomes& d) -> absl::StatusOr<std::any> {
    return std::any(std::any_cast<int>(d[0]->value) + 1);
  });
  NodeId bad = g.AddCompute("bad", {}, [](const DepOutcomes&) -> absl::StatusOr<std::any> {
    return absl::InvalidArgumentError("src/BUILD:3:1: bad field");
  });
  std::string seen;
  g.AddAction("uses two", {two}, [&seen](const DepOutcomes& d) -> absl::StatusOr<ActionRequest> {
    seen = std::to_string(std::any_cast<int>(d[0]->value));
    return Cmd("x")(d);
  });
  g.AddAction("uses bad", {bad}, Cmd("y"));
  exec::FakeProcessRunner runner;
  RunResult r = RunAll(g, runner, Options(1));
  EXPECT_EQ(std::any_cast<int>(r.outcomes[two].value), 2);
  EXPECT_EQ(seen, "2");
  EXPECT_EQ(r.outcomes[bad].status, NodeStatus::kFailed);
  EXPECT_EQ(r.outcomes[bad].error.message(), "src/BUILD:3:1: bad field");
  EXPECT_EQ(r.outcomes[4].status, NodeStatus::kSkipped);
  EXPECT_EQ(r.outcomes[4].skip_reason, "dependency 'bad' failed");
  EXPECT_EQ(runner.started().size(), 1u);
}

TEST_F(SchedulerTest, TolerantNodesRunAfterFailedDependencies) {
  Graph g;
  NodeId a = g.AddAction("a", {}, Cmd("a"));
  NodeId b = g.AddAction("b", {}, Cmd("b"));
  NodeId report = g.AddCompute("report", {a, b}, [](const DepOutcomes& d) -> absl::StatusOr<std::any> {
    return std::any(std::string(NodeStatusName(d[0]->status)) + "," + NodeStatusName(d[1]->status));
  });
  g.mutable_node(report).tolerates_failed_dependencies = true;
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "a"}, Result(1, "", absl::Seconds(1)));
  RunResult r = RunAll(g, runner, Options(2));
  EXPECT_EQ(std::any_cast<std::string>(r.outcomes[report].value), "failed,succeeded");
}

TEST_F(SchedulerTest, BuilderErrorFailsTheNode) {
  Graph g;
  g.AddAction("t", {}, [](const DepOutcomes&) -> absl::StatusOr<ActionRequest> {
    ActionRequest r;  // empty argv
    return r;
  });
  exec::FakeProcessRunner runner;
  RunResult r = RunAll(g, runner, Options(1));
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kFailed);
  EXPECT_EQ(r.outcomes[0].error.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(r.outcomes[0].action.has_value());
}

TEST_F(SchedulerTest, KeptSandboxHasARunScript) {
  Graph g;
  g.AddAction("t", {}, Cmd("t"));
  exec::FakeProcessRunner runner;
  SchedulerOptions o = Options(1);
  o.keep_sandboxes = exec::KeepSandboxes::kAlways;
  RunResult r = RunAll(g, runner, o);
  const std::string& kept = r.outcomes[0].action->kept_sandbox;
  ASSERT_FALSE(kept.empty());
  EXPECT_TRUE(store::testing::Exists(kept + "/__run.sh"));
  EXPECT_EQ(store::testing::ReadFileOrDie(kept + "/in.txt"), "t");
  // The runner got the sandbox as cwd, TMPDIR inside it.
  EXPECT_EQ(runner.started()[0].cwd, kept);
  EXPECT_EQ(runner.started()[0].env.at("TMPDIR"), kept + "/__tmp");
}

TEST_F(SchedulerTest, SandboxesAreRemovedByDefault) {
  Graph g;
  g.AddAction("t", {}, Cmd("t"));
  exec::FakeProcessRunner runner;
  RunResult r = RunAll(g, runner, Options(1));
  EXPECT_TRUE(r.outcomes[0].action->kept_sandbox.empty());
  EXPECT_FALSE(store::testing::Exists(runner.started()[0].cwd));
}

TEST_F(SchedulerTest, ExecutionSlotVarGetsTheLowestFreeSlot) {
  Graph g;
  for (const char* w : {"a", "b", "c"}) {
    g.AddAction(w, {}, [w](const DepOutcomes& d) -> absl::StatusOr<ActionRequest> {
      absl::StatusOr<ActionRequest> r = Cmd(w)(d);
      r->execution_slot_var = "SLOT";
      return r;
    });
  }
  exec::FakeProcessRunner runner;
  Scheduler s(&loop_, &runner, nullptr, Options(2));
  ASSERT_TRUE(s.Start(g).ok());
  runner.Complete(1);  // frees slot 1 for c
  runner.CompleteAll();
  ASSERT_EQ(runner.started().size(), 3u);
  EXPECT_EQ(runner.started()[0].env.at("SLOT"), "1");
  EXPECT_EQ(runner.started()[1].env.at("SLOT"), "2");
  EXPECT_EQ(runner.started()[2].env.at("SLOT"), "1");
}

/// Cmd(word) that tells its process its slot in $SLOT.
ActionFn Slotted(std::string word) {
  return [word](const DepOutcomes& d) -> absl::StatusOr<ActionRequest> {
    absl::StatusOr<ActionRequest> r = Cmd(word)(d);
    r->execution_slot_var = "SLOT";
    return r;
  };
}

/// Independent actions, one per word: Slotted(word) when `slotted`, else Cmd(word).
Graph Independent(std::initializer_list<const char*> words, bool slotted) {
  Graph g;
  for (const char* w : words) g.AddAction(w, {}, slotted ? Slotted(w) : Cmd(w));
  return g;
}

std::vector<uint64_t> Ids(const std::vector<exec::RunningProcess>& running) {
  std::vector<uint64_t> out;
  for (const exec::RunningProcess& p : running) out.push_back(p.id);
  return out;
}

using Ints = std::vector<uint64_t>;

TEST_F(SchedulerTest, PreparesTheNextActionOfEachRunningSlotAndReleasesItThere) {
  Graph g = Independent({"a", "b", "c", "d", "e"}, /*slotted=*/true);
  exec::FakeProcessRunner runner;
  runner.set_can_prepare(true);
  SchedulerOptions o = Options(2);
  o.prepare_depth = 1;
  Recorder rec;
  Scheduler s(&loop_, &runner, nullptr, o);
  s.AddObserver(&rec);
  ASSERT_TRUE(s.Start(g).ok());
  // a and b run in slots 1 and 2; c and d wait, prepared, for those slots.
  EXPECT_EQ(Ids(runner.Running()), (Ints{1, 2}));
  EXPECT_EQ(runner.held(), (Ints{3, 4}));
  EXPECT_EQ(runner.started()[2].argv[1], "c");
  EXPECT_EQ(runner.started()[2].env.at("SLOT"), "1");
  EXPECT_EQ(runner.started()[3].env.at("SLOT"), "2");
  EXPECT_TRUE(store::testing::Exists(runner.started()[2].cwd));  // its sandbox is ready
  EXPECT_EQ(rec.started, (std::vector<std::string>{"a / Run a", "b / Run b"}));
  // Slot 2 frees: d (prepared for it) is released there and e is prepared for it next.
  runner.Complete(2);
  EXPECT_EQ(Ids(runner.Running()), (Ints{1, 4}));
  EXPECT_EQ(runner.held(), (Ints{3, 5}));
  EXPECT_EQ(runner.started()[4].env.at("SLOT"), "2");
  EXPECT_EQ(rec.started.back(), "d / Run d");
  runner.Complete(1);  // slot 1 releases c
  EXPECT_EQ(Ids(runner.Running()), (Ints{3, 4}));
  EXPECT_EQ(runner.held(), (Ints{5}));
  // Slot 1 frees again with nothing queued: e, told slot 2, restarts afresh as slot 1.
  runner.Complete(3);
  EXPECT_EQ(runner.cancelled(), (Ints{5}));
  EXPECT_EQ(Ids(runner.Running()), (Ints{4, 6}));
  EXPECT_EQ(runner.started()[5].argv[1], "e");
  EXPECT_EQ(runner.started()[5].env.at("SLOT"), "1");
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.stats.processes_run, 5);
  EXPECT_EQ(rec.started.size(), 5u);
  EXPECT_EQ(runner.max_running(), 2u);
  for (const exec::ProcessSpec& spec : runner.started()) {
    EXPECT_FALSE(store::testing::Exists(spec.cwd)) << spec.cwd;  // every sandbox removed
  }
}

TEST_F(SchedulerTest, AReleasedProcessThatEndedHandsItsSlotToTheNextOne) {
  for (bool fail_fast : {false, true}) {
    SCOPED_TRACE(fail_fast ? "fail_fast" : "default");
    Graph g = Independent({"a", "b", "c", "d", "e"}, /*slotted=*/true);
    exec::FakeProcessRunner runner;
    SchedulerOptions o = Preparing(runner, 1, 1);
    o.fail_fast = fail_fast;
    Scheduler s(&loop_, &runner, nullptr, o);
    ASSERT_TRUE(s.Start(g).ok());
    EXPECT_FALSE(runner.Finishing(1));  // a started afresh: nobody listens for its word
    runner.Complete(1);                 // b, prepared for slot 1, is released; c prepared
    EXPECT_EQ(Ids(runner.Running()), (Ints{2}));
    EXPECT_EQ(runner.held(), (Ints{3}));
    ASSERT_TRUE(runner.Finishing(2));
    if (fail_fast) {
      // One failure must stop everything not started: b keeps its slot until it is done.
      EXPECT_EQ(Ids(runner.Running()), (Ints{2}));
      runner.Complete(2);
      EXPECT_EQ(Ids(runner.Running()), (Ints{3}));
    } else {
      // b's end is still to be reported: c takes slot 1 meanwhile, with the same number.
      EXPECT_EQ(Ids(runner.Running()), (Ints{2, 3}));
      EXPECT_EQ(runner.started()[2].env.at("SLOT"), "1");
      EXPECT_EQ(runner.held(), (Ints{4}));
      runner.Complete(2);  // b's report frees nothing more: one process in the slot again
      EXPECT_EQ(Ids(runner.Running()), (Ints{3}));
      EXPECT_EQ(runner.held(), (Ints{4}));
    }
    EXPECT_FALSE(runner.Finishing(2));
    runner.Complete(3);
    EXPECT_EQ(Ids(runner.Running()), (Ints{4}));
    runner.CompleteAll();
    ASSERT_TRUE(s.done());
    RunResult r = s.TakeResult();
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.stats.processes_run, 5);
    EXPECT_EQ(runner.max_running(), fail_fast ? 1u : 2u);
    for (const NodeOutcome& out : r.outcomes) EXPECT_EQ(out.status, NodeStatus::kSucceeded);
  }
}

TEST_F(SchedulerTest, AHandedOverProcessThatFailsIsRetriedWithoutCrowdingItsSlot) {
  Graph g;
  for (const char* w : {"a", "b", "c", "d"}) {
    g.AddAction(w, {}, [w](const DepOutcomes& d) -> absl::StatusOr<ActionRequest> {
      absl::StatusOr<ActionRequest> r = Slotted(w)(d);
      r->attempts = 2;
      return r;
    });
  }
  exec::FakeProcessRunner runner;
  // b's runner saw it end (and said so) and then reported a failure (its server died).
  runner.SetResult({"run", "b"}, Result(125, "", absl::Seconds(1)));
  Scheduler s(&loop_, &runner, nullptr, Preparing(runner, 1, 1));
  ASSERT_TRUE(s.Start(g).ok());
  runner.Complete(1);  // b released, c prepared
  ASSERT_TRUE(runner.Finishing(2));
  EXPECT_EQ(Ids(runner.Running()), (Ints{2, 3}));  // c took the slot
  runner.Complete(2);  // b failed: its retry waits for a free slot, none is
  EXPECT_EQ(Ids(runner.Running()), (Ints{3}));
  EXPECT_EQ(runner.held(), (Ints{4}));
  runner.Complete(3);  // d, prepared for the slot, goes first; b's retry after it
  EXPECT_EQ(Ids(runner.Running()), (Ints{4}));
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  EXPECT_EQ(r.stats.retries, 1);
  EXPECT_EQ(r.outcomes[1].status, NodeStatus::kFailed);
  EXPECT_EQ(runner.max_running(), 2u);  // only ever the moment of a handover
  EXPECT_EQ(runner.started()[4].argv[1], "b");
  EXPECT_EQ(runner.started()[4].env.at("SLOT"), "1");
}

TEST_F(SchedulerTest, CancelKillsAHandedOverProcessToo) {
  Graph g = Independent({"a", "b", "c"}, /*slotted=*/true);
  exec::FakeProcessRunner runner;
  Scheduler s(&loop_, &runner, nullptr, Preparing(runner, 1, 1));
  ASSERT_TRUE(s.Start(g).ok());
  runner.Complete(1);
  ASSERT_TRUE(runner.Finishing(2));
  ASSERT_EQ(Ids(runner.Running()), (Ints{2, 3}));
  s.Cancel();
  EXPECT_EQ(runner.kill_all_calls(), 1);
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kSucceeded);
  EXPECT_EQ(r.outcomes[1].status, NodeStatus::kInterrupted);
  EXPECT_EQ(r.outcomes[2].status, NodeStatus::kInterrupted);
}

TEST_F(SchedulerTest, PreparesBreadthFirstUpToTheDepth) {
  Graph g = Independent({"a", "b", "c", "d", "e", "f", "g"}, /*slotted=*/true);
  exec::FakeProcessRunner runner;
  runner.set_can_prepare(true);
  SchedulerOptions o = Options(2);
  o.prepare_depth = 2;
  Scheduler s(&loop_, &runner, nullptr, o);
  ASSERT_TRUE(s.Start(g).ok());
  EXPECT_EQ(runner.held(), (Ints{3, 4, 5, 6}));
  std::vector<std::string> slots;
  for (size_t i = 2; i < 6; ++i) slots.push_back(runner.started()[i].env.at("SLOT"));
  EXPECT_EQ(slots, (std::vector<std::string>{"1", "2", "1", "2"}));
  runner.Complete(1);  // slot 1 releases c, its first; g is prepared behind e
  EXPECT_EQ(Ids(runner.Running()), (Ints{2, 3}));
  EXPECT_EQ(runner.held(), (Ints{4, 5, 6, 7}));
  EXPECT_EQ(runner.started()[6].env.at("SLOT"), "1");
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  EXPECT_TRUE(s.TakeResult().ok());
}

TEST_F(SchedulerTest, DepthZeroOrARunnerThatCannotPrepareStartsEachProcessInItsTurn) {
  for (int depth : {0, 2}) {
    Graph g = Independent({"a", "b", "c"}, /*slotted=*/false);
    exec::FakeProcessRunner runner;
    runner.set_can_prepare(depth == 0);
    SchedulerOptions o = Options(1);
    o.prepare_depth = depth;
    Scheduler s(&loop_, &runner, nullptr, o);
    ASSERT_TRUE(s.Start(g).ok());
    EXPECT_TRUE(runner.held().empty());
    EXPECT_EQ(runner.started().size(), 1u);
    runner.CompleteAll();
    ASSERT_TRUE(s.done());
    EXPECT_TRUE(s.TakeResult().ok());
  }
}

TEST_F(SchedulerTest, AFreeSlotTakesAnotherSlotsPreparedActionWhenNothingElseWaits) {
  // Without a slot variable the prepared process moves to the free slot as it is.
  {
    Graph g = Independent({"a", "b", "c"}, /*slotted=*/false);
    exec::FakeProcessRunner runner;
    runner.set_can_prepare(true);
    Scheduler s(&loop_, &runner, nullptr, Options(2));
    ASSERT_TRUE(s.Start(g).ok());
    EXPECT_EQ(runner.held(), (Ints{3}));  // prepared for slot 1
    runner.Complete(2);                    // slot 2 frees first
    EXPECT_EQ(Ids(runner.Running()), (Ints{1, 3}));
    EXPECT_TRUE(runner.cancelled().empty());
    runner.CompleteAll();
    ASSERT_TRUE(s.done());
    EXPECT_TRUE(s.TakeResult().ok());
  }
  // With one, it was told slot 1: it is dropped and started afresh as slot 2.
  {
    Graph g = Independent({"a", "b", "c"}, /*slotted=*/true);
    exec::FakeProcessRunner runner;
    runner.set_can_prepare(true);
    Scheduler s(&loop_, &runner, nullptr, Options(2));
    ASSERT_TRUE(s.Start(g).ok());
    EXPECT_EQ(runner.started()[2].env.at("SLOT"), "1");
    runner.Complete(2);
    EXPECT_EQ(runner.cancelled(), (Ints{3}));
    EXPECT_EQ(Ids(runner.Running()), (Ints{1, 4}));
    EXPECT_EQ(runner.started()[3].argv[1], "c");
    EXPECT_EQ(runner.started()[3].env.at("SLOT"), "2");
    runner.CompleteAll();
    ASSERT_TRUE(s.done());
    RunResult r = s.TakeResult();  // waits for the sandboxes' removal
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r.stats.processes_run, 3);
    EXPECT_FALSE(store::testing::Exists(runner.started()[2].cwd));  // the dropped one's too
  }
}

TEST_F(SchedulerTest, CancelAndFailFastDropPreparedActions) {
  for (bool cancel : {true, false}) {
    Graph g = Independent({"a", "b", "c", "d"}, /*slotted=*/false);
    exec::FakeProcessRunner runner;
    runner.set_can_prepare(true);
    runner.SetResult({"run", "a"}, Result(1, "", absl::Seconds(1)));
    SchedulerOptions o = Options(1);
    o.fail_fast = !cancel;
    Scheduler s(&loop_, &runner, nullptr, o);
    ASSERT_TRUE(s.Start(g).ok());
    EXPECT_EQ(runner.held(), (Ints{2, 3}));
    if (cancel) {
      s.Cancel();
    } else {
      runner.Complete(1);  // a fails: nothing more starts
    }
    runner.CompleteAll();
    ASSERT_TRUE(s.done());
    RunResult r = s.TakeResult();
    EXPECT_EQ(runner.cancelled(), (Ints{2, 3})) << cancel;
    EXPECT_TRUE(runner.held().empty());
    EXPECT_EQ(r.stats.processes_run, 1);
    for (int n : {1, 2, 3}) EXPECT_EQ(r.outcomes[n].status, NodeStatus::kSkipped) << n;
    EXPECT_FALSE(store::testing::Exists(runner.started()[1].cwd));
  }
}

/// Cmd(word) with ActionRequest::attempts = `attempts`.
ActionFn Retried(std::string word, int attempts) {
  return [word, attempts](const DepOutcomes& d) -> absl::StatusOr<ActionRequest> {
    absl::StatusOr<ActionRequest> r = Cmd(word)(d);
    r->attempts = attempts;
    return r;
  };
}

TEST_F(SchedulerTest, FailedAttemptIsRetriedInAFreshSandboxAndTheSuccessIsCachedAsFlaky) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("t", {}, Retried("t", 3));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "t"}, Result(1, "first attempt failed\n", absl::Seconds(1)));
  Recorder rec;
  Scheduler s(&loop_, &runner, store, Options(1));
  s.AddObserver(&rec);
  ASSERT_TRUE(s.Start(g).ok());
  ASSERT_EQ(runner.started().size(), 1u);
  runner.SetResult({"run", "t"}, Result(0, "second attempt passed\n", absl::Seconds(2)));
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  ASSERT_EQ(runner.started().size(), 2u);
  EXPECT_NE(runner.started()[0].cwd, runner.started()[1].cwd);  // a fresh sandbox each
  EXPECT_EQ(rec.started, (std::vector<std::string>{"t / Run t", "t / Run t"}));
  EXPECT_EQ(rec.attempts_failed, (std::vector<std::string>{"t attempt 1"}));
  EXPECT_EQ(rec.finished, (std::vector<std::string>{"t succeeded"}));
  const NodeOutcome& o = r.outcomes[0];
  EXPECT_EQ(o.status, NodeStatus::kSucceeded);
  ASSERT_TRUE(o.action.has_value());
  EXPECT_EQ(o.action->attempts, 2);
  EXPECT_TRUE(o.action->flaky());
  EXPECT_EQ(o.action->process.stdout_bytes, "second attempt passed\n");
  EXPECT_EQ(o.action->duration, absl::Seconds(2));
  EXPECT_EQ(r.stats.processes_run, 2);
  EXPECT_EQ(r.stats.retries, 1);
  EXPECT_EQ(CountFiles(store->root() + "/ac"), 1);

  // The passing retry is a success like any other: the next run replays it.
  exec::FakeProcessRunner again;
  RunResult r2 = RunAll(g, again, Options(1), store);
  EXPECT_EQ(again.started().size(), 0u);
  ASSERT_TRUE(r2.outcomes[0].action.has_value());
  EXPECT_TRUE(r2.outcomes[0].action->cached());
  EXPECT_EQ(r2.outcomes[0].action->process.stdout_bytes, "second attempt passed\n");
  EXPECT_EQ(r2.outcomes[0].action->attempts, 1);
}

TEST_F(SchedulerTest, WhenEveryAttemptFailsTheNodeFailsWithTheCountAndNothingIsCached) {
  store::Store* store = OpenStore();
  Graph g;
  g.AddAction("t", {}, Retried("t", 3));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "t"}, Result(1, "FAILED\n", absl::Seconds(1)));
  RunResult r = RunAll(g, runner, Options(1), store);
  EXPECT_EQ(runner.started().size(), 3u);
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kFailed);
  ASSERT_TRUE(r.outcomes[0].action.has_value());
  EXPECT_EQ(r.outcomes[0].action->attempts, 3);
  EXPECT_FALSE(r.outcomes[0].action->flaky());
  EXPECT_EQ(r.stats.retries, 2);
  EXPECT_EQ(CountFiles(store->root() + "/ac"), 0);

  exec::FakeProcessRunner again;
  again.SetResult({"run", "t"}, Result(1, "FAILED\n", absl::Seconds(1)));
  RunResult r2 = RunAll(g, again, Options(1), store);
  EXPECT_EQ(again.started().size(), 3u);
  EXPECT_EQ(r2.outcomes[0].status, NodeStatus::kFailed);
}

TEST_F(SchedulerTest, OneAttemptIsTheDefaultAndZeroMeansOne) {
  Graph g;
  g.AddAction("default", {}, Cmd("default"));
  g.AddAction("zero", {}, Retried("zero", 0));
  exec::FakeProcessRunner runner;
  runner.SetDefaultResult(Result(1, "", absl::Seconds(1)));
  RunResult r = RunAll(g, runner, Options(2));
  EXPECT_EQ(runner.started().size(), 2u);
  EXPECT_EQ(r.outcomes[0].action->attempts, 1);
  EXPECT_EQ(r.outcomes[1].action->attempts, 1);
  EXPECT_EQ(r.stats.retries, 0);
}

TEST_F(SchedulerTest, RetriesQueueForASlotInNodeOrder) {
  Graph g;
  g.AddAction("a", {}, Retried("a", 2));
  g.AddAction("b", {}, Cmd("b"));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "a"}, Result(1, "", absl::Seconds(1)));
  Scheduler s(&loop_, &runner, nullptr, Options(1));
  ASSERT_TRUE(s.Start(g).ok());
  runner.SetResult({"run", "a"}, Result(0, "", absl::Seconds(1)));
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  EXPECT_EQ(runner.max_running(), 1u);
  ASSERT_EQ(runner.started().size(), 3u);
  // The retry of a (the lowest id waiting) takes the freed slot before b.
  EXPECT_EQ(runner.started()[0].argv[1], "a");
  EXPECT_EQ(runner.started()[1].argv[1], "a");
  EXPECT_EQ(runner.started()[2].argv[1], "b");
  EXPECT_TRUE(s.TakeResult().ok());
}

TEST_F(SchedulerTest, HigherLaunchPriorityTakesAFreeSlotFirst) {
  Graph g;
  g.AddAction("short", {}, Cmd("short"));
  NodeId mid = g.AddAction("mid", {}, Cmd("mid"));
  NodeId longest = g.AddAction("long", {}, Cmd("long"));
  g.AddAction("tie", {}, Cmd("tie"));
  g.mutable_node(mid).launch_priority = 5;
  g.mutable_node(longest).launch_priority = 9;
  exec::FakeProcessRunner runner;
  Scheduler s(&loop_, &runner, nullptr, Options(1));
  ASSERT_TRUE(s.Start(g).ok());
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  std::vector<std::string> order;
  for (const auto& spec : runner.started()) order.push_back(spec.argv[1]);
  // Priority first, then node order among equals ("short" and "tie" are both 0).
  EXPECT_EQ(order, (std::vector<std::string>{"long", "mid", "short", "tie"}));
  RunResult r = s.TakeResult();
  // Outcomes stay in node order whatever the launch order.
  EXPECT_EQ(r.outcomes[0].id, 0);
  EXPECT_EQ(r.outcomes[3].id, 3);
  EXPECT_TRUE(r.ok());
}

TEST_F(SchedulerTest, InterruptedAttemptIsNeverRetried) {
  Graph g;
  g.AddAction("t", {}, Retried("t", 5));
  exec::FakeProcessRunner runner;
  Scheduler s(&loop_, &runner, nullptr, Options(1));
  ASSERT_TRUE(s.Start(g).ok());
  s.Cancel();
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  EXPECT_EQ(runner.started().size(), 1u);
  RunResult r = s.TakeResult();
  EXPECT_EQ(r.outcomes[0].status, NodeStatus::kInterrupted);
  EXPECT_EQ(r.exit_code(), exec::kInterruptedExitCode);
}

TEST_F(SchedulerTest, MemoizedTwinSharesTheFlakyResult) {
  Graph g;
  g.AddAction("x", {}, Retried("same", 2));
  g.AddAction("y", {}, Retried("same", 2));
  exec::FakeProcessRunner runner;
  runner.SetResult({"run", "same"}, Result(1, "", absl::Seconds(1)));
  Scheduler s(&loop_, &runner, nullptr, Options(2));
  ASSERT_TRUE(s.Start(g).ok());
  runner.SetResult({"run", "same"}, Result(0, "ok", absl::Seconds(1)));
  runner.CompleteAll();
  ASSERT_TRUE(s.done());
  RunResult r = s.TakeResult();
  EXPECT_EQ(runner.started().size(), 2u);  // two attempts of one action, not two actions
  EXPECT_EQ(r.outcomes[1].action->source, ResultSource::kMemoized);
  EXPECT_EQ(r.outcomes[1].action->attempts, 2);
  EXPECT_TRUE(r.outcomes[1].ok());
}

TEST_F(SchedulerTest, EmptyGraphIsDoneAtOnce) {
  Graph g;
  exec::FakeProcessRunner runner;
  Scheduler s(&loop_, &runner, nullptr, Options(1));
  absl::StatusOr<RunResult> r = s.Run(g);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->ok());
  EXPECT_TRUE(r->outcomes.empty());
}

TEST_F(SchedulerTest, RunReportsAStallInsteadOfHanging) {
  Graph g;
  g.AddAction("t", {}, Cmd("t"));
  exec::FakeProcessRunner runner;  // nobody completes it
  Scheduler s(&loop_, &runner, nullptr, Options(1));
  absl::StatusOr<RunResult> r = s.Run(g);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace braid::engine
