#include "core/ui/console.h"

#include <uv.h>

#include <sstream>

#include "gtest/gtest.h"

namespace braid::ui {
namespace {

using engine::ActionOutput;
using engine::NodeOutcome;
using engine::NodeStatus;
using engine::ResultSource;

engine::ActionFn NoAction() {
  return [](const engine::DepOutcomes&) -> absl::StatusOr<engine::ActionRequest> {
    return engine::ActionRequest();
  };
}

NodeOutcome Ran(NodeStatus status, int exit_code, absl::Duration d, ResultSource source,
                std::string out = "", std::string err = "") {
  NodeOutcome o;
  o.status = status;
  ActionOutput a;
  a.source = source;
  a.duration = d;
  a.process.exit_code = exit_code;
  a.process.stdout_bytes = std::move(out);
  a.process.stderr_bytes = std::move(err);
  o.action = std::move(a);
  return o;
}

// Three tests and a helper node: a (cached), b (failed), c (skipped), lib (not summarized).
struct Fixture {
  engine::Graph graph;
  engine::RunResult result;
  Fixture() {
    graph.AddAction("src/app/a_test.py:tests", {}, NoAction());
    graph.AddAction("src/app/b_test.py:tests", {}, NoAction());
    graph.AddAction("src/app/c_test.py:tests", {3}, NoAction());
    graph.AddCompute("src/app:lib", {}, [](const engine::DepOutcomes&) -> absl::StatusOr<std::any> {
      return absl::InvalidArgumentError("src/app/BUILD:4:1: bad");
    });
    for (int i = 0; i < 3; ++i) graph.mutable_node(i).summarize = true;
    result.outcomes.push_back(
        Ran(NodeStatus::kSucceeded, 0, absl::Milliseconds(420), ResultSource::kCached));
    result.outcomes.push_back(Ran(NodeStatus::kFailed, 1, absl::Milliseconds(1204),
                                  ResultSource::kRan, "F\n1 failed", "warn\n"));
    result.outcomes.back().action->description = "Run Pytest for src/app/b_test.py:tests";
    NodeOutcome skipped;
    skipped.status = NodeStatus::kSkipped;
    skipped.skip_reason = "dependency 'src/app:lib' failed";
    result.outcomes.push_back(skipped);
    NodeOutcome lib;
    lib.status = NodeStatus::kFailed;
    lib.error = absl::InvalidArgumentError("src/app/BUILD:4:1: bad");
    result.outcomes.push_back(lib);
    for (int i = 0; i < 4; ++i) result.outcomes[i].id = i;
    result.stats.wall_time = absl::Milliseconds(1310);
  }
};

TEST(FormatNodeLine, MimicsPantsTestSummary) {
  Fixture f;
  EXPECT_EQ(FormatNodeLine(f.graph.node(0), f.result.outcomes[0], false),
            "✓ src/app/a_test.py:tests succeeded in 0.42s (cached).");
  EXPECT_EQ(FormatNodeLine(f.graph.node(1), f.result.outcomes[1], false),
            "✕ src/app/b_test.py:tests failed in 1.20s.");
  EXPECT_EQ(FormatNodeLine(f.graph.node(2), f.result.outcomes[2], false),
            "- src/app/c_test.py:tests skipped (dependency 'src/app:lib' failed).");
  NodeOutcome memo = Ran(NodeStatus::kSucceeded, 0, absl::Seconds(2), ResultSource::kMemoized);
  EXPECT_EQ(FormatNodeLine(f.graph.node(0), memo, false),
            "✓ src/app/a_test.py:tests succeeded in 2.00s (memoized).");
  NodeOutcome ran = Ran(NodeStatus::kSucceeded, 0, absl::Milliseconds(5), ResultSource::kRan);
  EXPECT_EQ(FormatNodeLine(f.graph.node(0), ran, false),
            "✓ src/app/a_test.py:tests succeeded in 0.01s.");
}

TEST(FormatNodeLine, ColorsTheSigilOnly) {
  Fixture f;
  EXPECT_EQ(FormatNodeLine(f.graph.node(0), f.result.outcomes[0], true),
            "\x1b[32m✓\x1b[0m src/app/a_test.py:tests succeeded in 0.42s (cached).");
  EXPECT_EQ(FormatNodeLine(f.graph.node(1), f.result.outcomes[1], true),
            "\x1b[31m✕\x1b[0m src/app/b_test.py:tests failed in 1.20s.");
}

TEST(FormatReport, FailuresThenLinesThenSummary) {
  Fixture f;
  EXPECT_EQ(FormatReport(f.graph, f.result, ConsoleOptions()),
            "Completed: Run Pytest for src/app/b_test.py:tests - failed (exit code 1).\n"
            "F\n"
            "1 failed\n"
            "warn\n"
            "\n"
            "src/app:lib failed:\n"
            "src/app/BUILD:4:1: bad\n"
            "\n"
            "\n"
            "✓ src/app/a_test.py:tests succeeded in 0.42s (cached).\n"
            "✕ src/app/b_test.py:tests failed in 1.20s.\n"
            "- src/app/c_test.py:tests skipped (dependency 'src/app:lib' failed).\n"
            "\n"
            "Summary: 1 succeeded (1 cached), 1 failed, 1 skipped in 1.31s.\n");
}

TEST(FormatReport, InterruptedRunPrintsWhatWasKilled) {
  Fixture f;
  f.result.interrupted = true;
  f.result.interrupted_processes.push_back({3, 123, "Run Pytest for src/app/b_test.py:tests", {}});
  EXPECT_EQ(FormatReport(f.graph, f.result, ConsoleOptions()),
            "Interrupted; killed 1 running process:\n  Run Pytest for src/app/b_test.py:tests\n");
}

TEST(FormatFailure, SignalsAndTimeoutsAreDescribed) {
  Fixture f;
  NodeOutcome o = Ran(NodeStatus::kFailed, -9, absl::Seconds(60), ResultSource::kRan);
  o.action->description = "Run x";
  o.action->process.signal = 9;
  o.action->process.timed_out = true;
  EXPECT_EQ(FormatFailure(f.graph.node(1), o), "Completed: Run x - failed (timed out).\n");
  EXPECT_EQ(FormatFailure(f.graph.node(0), f.result.outcomes[0]), "");
}

TEST(FormatNodeLine, RetriesShowTheAttemptCountAndAFlakyPassItsOwnSigil) {
  Fixture f;
  NodeOutcome flaky = Ran(NodeStatus::kSucceeded, 0, absl::Milliseconds(420), ResultSource::kRan);
  flaky.action->attempts = 2;
  EXPECT_EQ(FormatNodeLine(f.graph.node(0), flaky, false),
            "+ src/app/a_test.py:tests succeeded after 2 attempts in 0.42s (flaky).");
  EXPECT_EQ(FormatNodeLine(f.graph.node(0), flaky, true),
            "\x1b[33m+\x1b[0m src/app/a_test.py:tests succeeded after 2 attempts in 0.42s (flaky).");
  NodeOutcome failed = Ran(NodeStatus::kFailed, 1, absl::Milliseconds(1204), ResultSource::kRan);
  failed.action->attempts = 3;
  failed.action->description = "Run x";
  EXPECT_EQ(FormatNodeLine(f.graph.node(1), failed, false),
            "✕ src/app/b_test.py:tests failed after 3 attempts in 1.20s.");
  EXPECT_EQ(FormatFailure(f.graph.node(1), failed),
            "Completed: Run x - failed (exit code 1) after 3 attempts.\n");
}

TEST(FormatNodeLine, TimeoutIsNamed) {
  Fixture f;
  NodeOutcome o = Ran(NodeStatus::kFailed, -9, absl::Milliseconds(1004), ResultSource::kRan);
  o.action->process.signal = 9;
  o.action->process.timed_out = true;
  EXPECT_EQ(FormatNodeLine(f.graph.node(1), o, false), "✕ src/app/b_test.py:tests timed out in 1.00s.");
}

TEST(FormatSummary, CountsFlakyPasses) {
  Fixture f;
  f.result.outcomes[0].action->source = ResultSource::kRan;
  f.result.outcomes[0].action->attempts = 2;
  EXPECT_EQ(FormatSummary(f.graph, f.result), "Summary: 1 succeeded (1 flaky), 1 failed, 1 skipped in 1.31s.");
}

TEST(FormatReport, ShowOutputAllAlsoPrintsSuccessesAndNoneOnlyEngineErrors) {
  Fixture f;
  f.result.outcomes[0].action->description = "Run Pytest for src/app/a_test.py:tests";
  f.result.outcomes[0].action->process.stdout_bytes = "1 passed\n";
  ConsoleOptions all;
  all.show_output = ShowOutput::kAll;
  EXPECT_EQ(FormatReport(f.graph, f.result, all),
            "Completed: Run Pytest for src/app/a_test.py:tests - succeeded.\n"
            "1 passed\n"
            "\n"
            "Completed: Run Pytest for src/app/b_test.py:tests - failed (exit code 1).\n"
            "F\n"
            "1 failed\n"
            "warn\n"
            "\n"
            "src/app:lib failed:\n"
            "src/app/BUILD:4:1: bad\n"
            "\n"
            "\n"
            "✓ src/app/a_test.py:tests succeeded in 0.42s (cached).\n"
            "✕ src/app/b_test.py:tests failed in 1.20s.\n"
            "- src/app/c_test.py:tests skipped (dependency 'src/app:lib' failed).\n"
            "\n"
            "Summary: 1 succeeded (1 cached), 1 failed, 1 skipped in 1.31s.\n");
  ConsoleOptions none;
  none.show_output = ShowOutput::kNone;
  EXPECT_EQ(FormatReport(f.graph, f.result, none),
            "src/app:lib failed:\n"
            "src/app/BUILD:4:1: bad\n"
            "\n"
            "\n"
            "✓ src/app/a_test.py:tests succeeded in 0.42s (cached).\n"
            "✕ src/app/b_test.py:tests failed in 1.20s.\n"
            "- src/app/c_test.py:tests skipped (dependency 'src/app:lib' failed).\n"
            "\n"
            "Summary: 1 succeeded (1 cached), 1 failed, 1 skipped in 1.31s.\n");
  EXPECT_EQ(ParseShowOutput("all"), ShowOutput::kAll);
  EXPECT_EQ(ParseShowOutput("failed"), ShowOutput::kFailed);
  EXPECT_EQ(ParseShowOutput("none"), ShowOutput::kNone);
  EXPECT_EQ(ParseShowOutput("some"), std::nullopt);
}

TEST(FormatStats, PantsCounterNames) {
  engine::RunStats s;
  s.cache_hits = 3;
  s.cache_misses = 2;
  s.processes_run = 2;
  s.memoized = 1;
  s.time_saved = absl::Milliseconds(4500);
  s.process_time = absl::Milliseconds(2100);
  s.wall_time = absl::Milliseconds(1500);
  EXPECT_EQ(FormatStats(s),
            "Counters:\n"
            "  local_cache_requests: 5\n"
            "  local_cache_requests_cached: 3\n"
            "  local_cache_requests_uncached: 2\n"
            "  local_cache_total_time_saved_ms: 4500\n"
            "  local_execution_requests: 2\n"
            "  local_process_total_time_run_ms: 2100\n"
            "  memoized_processes: 1\n"
            "  wall_time_ms: 1500\n");
}

TEST(FormatReport, StatsFollowTheReport) {
  Fixture f;
  ConsoleOptions o;
  o.stats = true;
  std::string report = FormatReport(f.graph, f.result, o);
  EXPECT_NE(report.find("in 1.31s.\n\nCounters:\n  local_cache_requests: 0\n"), std::string::npos)
      << report;
}

TEST(UseDynamicUi, OffInCiOffWithoutTtyElseTheOption) {
  EXPECT_TRUE(UseDynamicUi(std::nullopt, {}, true));
  EXPECT_FALSE(UseDynamicUi(std::nullopt, {{"CI", "true"}}, true));
  EXPECT_FALSE(UseDynamicUi(std::nullopt, {{"CI", ""}}, true));
  EXPECT_FALSE(UseDynamicUi(true, {}, false));
  EXPECT_FALSE(UseDynamicUi(false, {}, true));
  EXPECT_TRUE(UseColors(std::nullopt, true));
  EXPECT_FALSE(UseColors(std::nullopt, false));
  EXPECT_TRUE(UseColors(true, false));
}

TEST(FormatLiveFrame, ElapsedTimesAndOverflow) {
  absl::Time t0 = absl::FromUnixSeconds(100);
  std::vector<LiveProcess> running = {{"Run Pytest for a", t0},
                                      {"Run Pytest for b", t0 + absl::Milliseconds(1500)}};
  EXPECT_EQ(FormatLiveFrame(running, t0 + absl::Milliseconds(3250)),
            "   3.2s Run Pytest for a\n"
            "   1.8s Run Pytest for b\n");
  std::vector<LiveProcess> many(kMaxLiveLines + 3, LiveProcess{"x", t0});
  std::string frame = FormatLiveFrame(many, t0);
  EXPECT_EQ(std::count(frame.begin(), frame.end(), '\n'), kMaxLiveLines + 1);
  EXPECT_NE(frame.find("  ... and 3 more\n"), std::string::npos);
}

TEST(Console, LiveViewRedrawsInPlaceAndIsErasedBeforeTheReport) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  {
    std::ostringstream out;
    absl::Time now = absl::FromUnixSeconds(100);
    ConsoleOptions o;
    o.dynamic_ui = true;
    Console console(&loop, out, o, [&] { return now; });
    Fixture f;
    console.OnProcessStarted(f.graph.node(0), "Run a", now);
    now += absl::Seconds(1);
    console.Redraw();
    EXPECT_EQ(out.str(), "   1.0s Run a\n");
    console.OnProcessStarted(f.graph.node(1), "Run b", now);
    now += absl::Seconds(1);
    console.Redraw();
    EXPECT_EQ(out.str(), "   1.0s Run a\n\x1b[1A\x1b[2K   2.0s Run a\n   1.0s Run b\n");
    console.OnNodeFinished(f.graph.node(0), f.result.outcomes[0]);
    out.str("");
    console.Redraw();
    EXPECT_EQ(out.str(), "\x1b[1A\x1b[2K\x1b[1A\x1b[2K   1.0s Run b\n");
    out.str("");
    engine::Graph empty;
    console.Finish(empty, engine::RunResult());
    EXPECT_EQ(out.str(), "\x1b[1A\x1b[2K");
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  EXPECT_EQ(uv_loop_close(&loop), 0);
}

TEST(Console, PlainModePrintsNothingUntilTheReport) {
  std::ostringstream out;
  Console console(nullptr, out, ConsoleOptions());
  Fixture f;
  console.OnProcessStarted(f.graph.node(0), "Run a", absl::Now());
  console.Redraw();
  console.OnNodeFinished(f.graph.node(0), f.result.outcomes[0]);
  EXPECT_EQ(out.str(), "");
  console.Finish(f.graph, f.result);
  EXPECT_EQ(out.str(), FormatReport(f.graph, f.result, ConsoleOptions()));
}

}  // namespace
}  // namespace braid::ui
