// Console: what a run looks like to the user.
//
//   ConsoleOptions co;
//   co.colors = UseColors(settings.colors, isatty(1));
//   co.dynamic_ui = UseDynamicUi(settings.dynamic_ui, env, isatty(2) && isatty(1));
//   co.stats = settings.stats;
//   Console console(&loop, std::cerr, co);
//   scheduler.AddObserver(&console);            // live view of running processes (TTY only)
//   absl::StatusOr<RunResult> r = scheduler.Run(graph);
//   console.Finish(graph, *r);                  // the report below
//
// The report, modelled on Pants' `test` output (src/python/pants/core/goals/test.py), all in
// node order so the same run prints the same bytes:
//
//   Completed: Run Pytest for src/app/b_test.py:tests - failed (exit code 1).   <- failures,
//   <its stdout>                                                                  each with its
//   <its stderr>                                                                  output
//
//   ✓ src/app/a_test.py:tests succeeded in 0.42s (cached).                       <- one line per
//   ✕ src/app/b_test.py:tests failed in 1.20s.                                     summarized
//   - src/app/c_test.py:tests skipped (dependency 'src/app:lib' failed).           node
//
//   Summary: 1 succeeded (1 cached), 1 failed, 1 skipped in 1.31s.
//
// Pants prints "(cached locally)" / "(memoized)" for results it did not run; braid prints
// "(cached)" (kCachedLabel), as its issue asks, and "(memoized)". The summary line and the
// skipped lines are braid's own.
//
// Retries ([test] attempts_default): as in Pants, a result that took more than one attempt
// says so, "failed after 3 attempts"; a pass after a failed attempt gets Pants' sigil for a
// success with a caveat ("+") and braid adds "(flaky)", and the summary counts flaky passes:
//
//   + src/app/a_test.py:tests succeeded after 2 attempts in 0.42s (flaky).
//   ✕ src/app/b_test.py:tests failed after 3 attempts in 1.20s.
//   ✕ src/app/c_test.py:tests timed out in 1.00s.                  <- braid's wording
//   Summary: 1 succeeded (1 flaky), 2 failed in 3.21s.
//
// Output blocks follow ShowOutput (Pants' `--test-output`): kFailed (the default) prints the
// "Completed: ..." block of each failure, kAll also those of successes ("- succeeded."),
// kNone none (a node that failed without a process still prints its error). With --stats-log / --stats a "Counters:" block follows,
// using Pants' counter names where Pants has one.
//
// Live view (dynamic UI): on a TTY, every 100 ms the lines of running processes are redrawn
// in place ("  1.2s Run Pytest for ..."), at most kMaxLiveLines of them. Disabled when CI is
// set, when stdout or stderr is not a TTY, or with [GLOBAL] dynamic_ui = false: then nothing
// is printed while the run goes on, so CI logs hold only the deterministic report.
#ifndef BRAID_CORE_UI_CONSOLE_H_
#define BRAID_CORE_UI_CONSOLE_H_

#include <uv.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "core/engine/graph.h"
#include "core/engine/scheduler.h"

namespace braid::ui {

/// The suffix of a result replayed from the cache.
inline constexpr absl::string_view kCachedLabel = "cached";
/// At most this many running processes are drawn by the live view.
inline constexpr int kMaxLiveLines = 10;

/// Pants' `--test-output` (ShowOutput): whose stdout/stderr the report prints.
enum class ShowOutput { kFailed, kAll, kNone };

/// Parses "failed" | "all" | "none"; nullopt otherwise.
std::optional<ShowOutput> ParseShowOutput(absl::string_view value);

struct ConsoleOptions {
  bool colors = false;
  ShowOutput show_output = ShowOutput::kFailed;
  bool dynamic_ui = false;
  /// Print the "Counters:" block after the report.
  bool stats = false;
};

/// [GLOBAL] dynamic_ui resolved: never when CI is set (to anything) or the terminal is not a
/// TTY; else the option, defaulting to on.
bool UseDynamicUi(std::optional<bool> option, const std::map<std::string, std::string>& env,
                  bool is_tty);
/// [GLOBAL] colors resolved: the option, else whether stdout is a TTY.
bool UseColors(std::optional<bool> option, bool stdout_is_tty);

/// "0.42s": seconds with two decimals, as Pants prints elapsed times.
std::string FormatSeconds(absl::Duration d);

/// The result line of one finished node (no trailing newline), e.g.
/// "✓ src/app/a_test.py:tests succeeded in 0.42s (cached)."
std::string FormatNodeLine(const engine::Node& node, const engine::NodeOutcome& outcome,
                           bool colors);

/// The failure block of a failed node (header line, then stdout and stderr, each ending in a
/// newline), or "" if the node did not fail.
std::string FormatFailure(const engine::Node& node, const engine::NodeOutcome& outcome);

/// The output block of a node with a process result under `show` (the failure block above, or
/// "Completed: <description> - succeeded." plus stdout/stderr for successes with kAll), or "".
std::string FormatOutputBlock(const engine::Node& node, const engine::NodeOutcome& outcome,
                              ShowOutput show);

/// "Summary: 2 succeeded (1 cached), 1 failed, 1 skipped in 3.21s." over the summarized
/// nodes (zero counts left out), or "" when no node is summarized.
std::string FormatSummary(const engine::Graph& graph, const engine::RunResult& result);

/// The "Counters:" block (one "  name: value" line each, sorted by name).
std::string FormatStats(const engine::RunStats& stats);

/// The whole report (see the header comment); for an interrupted run only
/// exec::InterruptedMessage of what was running.
std::string FormatReport(const engine::Graph& graph, const engine::RunResult& result,
                         const ConsoleOptions& options);

/// The live lines for `running` (start order) at `now`, each ending in '\n'.
struct LiveProcess {
  std::string description;
  absl::Time start;
};
std::string FormatLiveFrame(const std::vector<LiveProcess>& running, absl::Time now);

/// Observes a run: keeps the live view (when enabled) and prints the report at the end.
class Console : public engine::RunObserver {
 public:
  /// `out` receives the live view and the report (Pants writes both to stderr).
  Console(uv_loop_t* loop, std::ostream& out, ConsoleOptions options,
          std::function<absl::Time()> clock = nullptr);
  ~Console() override;
  Console(const Console&) = delete;
  Console& operator=(const Console&) = delete;

  void OnProcessStarted(const engine::Node& node, const std::string& description,
                        absl::Time start) override;
  void OnAttemptFailed(const engine::Node& node, const engine::ActionOutput& failed) override;
  void OnNodeFinished(const engine::Node& node, const engine::NodeOutcome& outcome) override;

  /// Redraws the live view now (the timer calls this; public for tests).
  void Redraw();
  /// Erases the live view and prints FormatReport.
  void Finish(const engine::Graph& graph, const engine::RunResult& result);

  struct Timer;  // the uv_timer_t, heap-allocated so it can finish closing after we are gone

 private:
  void Erase();

  std::ostream& out_;
  ConsoleOptions options_;
  std::function<absl::Time()> clock_;
  std::vector<std::pair<engine::NodeId, LiveProcess>> running_;  // in start order
  int drawn_lines_ = 0;
  Timer* timer_ = nullptr;
};

}  // namespace braid::ui

#endif  // BRAID_CORE_UI_CONSOLE_H_
