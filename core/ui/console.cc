#include "core/ui/console.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/exec/signals.h"

namespace braid::ui {
namespace {

using engine::NodeStatus;
using engine::ResultSource;

std::string Color(absl::string_view text, const char* code, bool colors) {
  if (!colors) return std::string(text);
  return absl::StrCat("\x1b[", code, "m", text, "\x1b[0m");
}
constexpr const char* kGreen = "32";
constexpr const char* kRed = "31";
constexpr const char* kYellow = "33";

void AppendWithNewline(std::string& out, absl::string_view text) {
  if (text.empty()) return;
  absl::StrAppend(&out, text);
  if (text.back() != '\n') out.push_back('\n');
}

}  // namespace

std::optional<ShowOutput> ParseShowOutput(absl::string_view value) {
  if (value == "failed") return ShowOutput::kFailed;
  if (value == "all") return ShowOutput::kAll;
  if (value == "none") return ShowOutput::kNone;
  return std::nullopt;
}

bool UseDynamicUi(std::optional<bool> option, const std::map<std::string, std::string>& env,
                  bool is_tty) {
  if (env.count("CI") || !is_tty) return false;
  return option.value_or(true);
}

bool UseColors(std::optional<bool> option, bool stdout_is_tty) {
  return option.value_or(stdout_is_tty);
}

std::string FormatSeconds(absl::Duration d) {
  return absl::StrFormat("%.2fs", absl::ToDoubleSeconds(d));
}

std::string FormatNodeLine(const engine::Node& node, const engine::NodeOutcome& o, bool colors) {
  switch (o.status) {
    case NodeStatus::kSucceeded:
    case NodeStatus::kFailed: {
      const bool ok = o.status == NodeStatus::kSucceeded;
      const bool flaky = ok && o.action && o.action->attempts > 1;
      const bool timed_out = !ok && o.action && o.action->process.timed_out;
      std::string sigil = ok ? (flaky ? Color("+", kYellow, colors) : Color("✓", kGreen, colors))
                             : Color("✕", kRed, colors);
      std::string line = absl::StrCat(sigil, " ", node.name,
                                      ok ? " succeeded" : (timed_out ? " timed out" : " failed"));
      if (o.action) {
        if (o.action->attempts > 1) absl::StrAppend(&line, " after ", o.action->attempts, " attempts");
        absl::StrAppend(&line, " in ", FormatSeconds(o.action->duration));
        if (o.action->source == ResultSource::kCached) absl::StrAppend(&line, " (", kCachedLabel, ")");
        if (o.action->source == ResultSource::kMemoized) absl::StrAppend(&line, " (memoized)");
        if (flaky) absl::StrAppend(&line, " (flaky)");
      }
      return line + ".";
    }
    case NodeStatus::kSkipped:
      return absl::StrCat(Color("-", kYellow, colors), " ", node.name, " skipped",
                          o.skip_reason.empty() ? "" : absl::StrCat(" (", o.skip_reason, ")"), ".");
    case NodeStatus::kInterrupted:
      return absl::StrCat(Color("✕", kRed, colors), " ", node.name, " interrupted",
                          o.action ? absl::StrCat(" after ", FormatSeconds(o.action->duration)) : "",
                          ".");
  }
  return "";
}

std::string FormatFailure(const engine::Node& node, const engine::NodeOutcome& o) {
  if (o.status != NodeStatus::kFailed) return "";
  std::string out;
  if (!o.action) {
    absl::StrAppend(&out, node.name, " failed:\n");
    AppendWithNewline(out, o.error.message());
    return out;
  }
  const exec::ProcessResult& p = o.action->process;
  std::string why = (p.signal == 0 && !p.timed_out && !p.interrupted)
                        ? absl::StrCat("exit code ", p.exit_code)
                        : exec::DescribeOutcome(p);
  std::string after =
      o.action->attempts > 1 ? absl::StrCat(" after ", o.action->attempts, " attempts") : "";
  absl::StrAppend(&out, "Completed: ", o.action->description, " - failed (", why, ")", after,
                  ".\n");
  AppendWithNewline(out, p.stdout_bytes);
  AppendWithNewline(out, p.stderr_bytes);
  return out;
}

std::string FormatOutputBlock(const engine::Node& node, const engine::NodeOutcome& o,
                              ShowOutput show) {
  if (o.status == NodeStatus::kFailed) {
    // An engine error has no process output to hide: always say what went wrong.
    if (show == ShowOutput::kNone && o.action) return "";
    return FormatFailure(node, o);
  }
  if (o.status != NodeStatus::kSucceeded || show != ShowOutput::kAll || !o.action) return "";
  const exec::ProcessResult& p = o.action->process;
  std::string out = absl::StrCat("Completed: ", o.action->description, " - succeeded",
                                 o.action->attempts > 1
                                     ? absl::StrCat(" after ", o.action->attempts, " attempts")
                                     : "",
                                 ".\n");
  AppendWithNewline(out, p.stdout_bytes);
  AppendWithNewline(out, p.stderr_bytes);
  return out;
}

std::string FormatSummary(const engine::Graph& graph, const engine::RunResult& result) {
  int succeeded = 0, cached = 0, flaky = 0, failed = 0, skipped = 0, interrupted = 0,
      summarized = 0;
  for (const engine::NodeOutcome& o : result.outcomes) {
    if (!graph.node(o.id).summarize) continue;
    ++summarized;
    switch (o.status) {
      case NodeStatus::kSucceeded:
        ++succeeded;
        if (o.action && o.action->source == ResultSource::kCached) ++cached;
        if (o.action && o.action->attempts > 1) ++flaky;
        break;
      case NodeStatus::kFailed: ++failed; break;
      case NodeStatus::kSkipped: ++skipped; break;
      case NodeStatus::kInterrupted: ++interrupted; break;
    }
  }
  if (summarized == 0) return "";
  std::vector<std::string> parts;
  std::vector<std::string> notes;
  if (cached) notes.push_back(absl::StrCat(cached, " ", kCachedLabel));
  if (flaky) notes.push_back(absl::StrCat(flaky, " flaky"));
  parts.push_back(absl::StrCat(succeeded, " succeeded",
                               notes.empty() ? "" : absl::StrCat(" (", absl::StrJoin(notes, ", "), ")")));
  if (failed) parts.push_back(absl::StrCat(failed, " failed"));
  if (skipped) parts.push_back(absl::StrCat(skipped, " skipped"));
  if (interrupted) parts.push_back(absl::StrCat(interrupted, " interrupted"));
  return absl::StrCat("Summary: ", absl::StrJoin(parts, ", "), " in ",
                      FormatSeconds(result.stats.wall_time), ".");
}

std::string FormatStats(const engine::RunStats& s) {
  auto ms = [](absl::Duration d) { return absl::ToInt64Milliseconds(d); };
  // Sorted by name. The local_* names are Pants' counters of the same meaning.
  std::vector<std::pair<std::string, int64_t>> counters = {
      {"local_cache_requests", s.cache_hits + s.cache_misses},
      {"local_cache_requests_cached", s.cache_hits},
      {"local_cache_requests_uncached", s.cache_misses},
      {"local_cache_total_time_saved_ms", ms(s.time_saved)},
      {"local_execution_requests", s.processes_run},
      {"local_process_total_time_run_ms", ms(s.process_time)},
      {"memoized_processes", s.memoized},
      {"wall_time_ms", ms(s.wall_time)},
  };
  std::string out = "Counters:\n";
  for (const auto& [name, value] : counters) absl::StrAppend(&out, "  ", name, ": ", value, "\n");
  return out;
}

std::string FormatReport(const engine::Graph& graph, const engine::RunResult& result,
                         const ConsoleOptions& options) {
  if (result.interrupted) return exec::InterruptedMessage(result.interrupted_processes);
  std::string out;
  for (const engine::NodeOutcome& o : result.outcomes) {
    std::string block = FormatOutputBlock(graph.node(o.id), o, options.show_output);
    if (!block.empty()) absl::StrAppend(&out, block, "\n");
  }
  std::string lines;
  for (const engine::NodeOutcome& o : result.outcomes) {
    if (graph.node(o.id).summarize) {
      absl::StrAppend(&lines, FormatNodeLine(graph.node(o.id), o, options.colors), "\n");
    }
  }
  if (!lines.empty()) {
    if (!out.empty()) out.push_back('\n');
    absl::StrAppend(&out, lines, "\n", FormatSummary(graph, result), "\n");
  }
  if (options.stats) {
    if (!out.empty()) out.push_back('\n');
    absl::StrAppend(&out, FormatStats(result.stats));
  }
  return out;
}

std::string FormatLiveFrame(const std::vector<LiveProcess>& running, absl::Time now) {
  std::string out;
  int shown = 0;
  for (const LiveProcess& p : running) {
    if (shown == kMaxLiveLines) {
      absl::StrAppend(&out, "  ... and ", running.size() - shown, " more\n");
      break;
    }
    absl::StrAppend(&out, absl::StrFormat("%6.1fs ", absl::ToDoubleSeconds(now - p.start)),
                    p.description, "\n");
    ++shown;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Console

struct Console::Timer {
  uv_timer_t handle;
  Console* console = nullptr;  // null once the console is gone
};

Console::Console(uv_loop_t* loop, std::ostream& out, ConsoleOptions options,
                 std::function<absl::Time()> clock)
    : out_(out), options_(options), clock_(clock ? std::move(clock) : [] { return absl::Now(); }) {
  if (!options_.dynamic_ui || loop == nullptr) return;
  timer_ = new Timer;
  timer_->console = this;
  uv_timer_init(loop, &timer_->handle);
  timer_->handle.data = timer_;
  // 100 ms: smooth enough for seconds with one decimal, cheap enough to never matter.
  uv_timer_start(
      &timer_->handle,
      [](uv_timer_t* h) {
        auto* t = static_cast<Timer*>(h->data);
        if (t->console) t->console->Redraw();
      },
      100, 100);
  // Never keeps the loop alive on its own (the scheduler decides when a run is over).
  uv_unref(reinterpret_cast<uv_handle_t*>(&timer_->handle));
}

Console::~Console() {
  if (timer_ == nullptr) return;
  timer_->console = nullptr;
  uv_timer_stop(&timer_->handle);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer_->handle),
           [](uv_handle_t* h) { delete static_cast<Timer*>(h->data); });
  timer_ = nullptr;
}

void Console::OnProcessStarted(const engine::Node& node, const std::string& description,
                               absl::Time start) {
  running_.push_back({node.id, LiveProcess{description, start}});
}

void Console::OnAttemptFailed(const engine::Node& node, const engine::ActionOutput&) {
  // The retry's OnProcessStarted adds the node again, with its own start time.
  running_.erase(std::remove_if(running_.begin(), running_.end(),
                                [&](const auto& r) { return r.first == node.id; }),
                 running_.end());
}

void Console::OnNodeFinished(const engine::Node& node, const engine::NodeOutcome& outcome) {
  running_.erase(std::remove_if(running_.begin(), running_.end(),
                                [&](const auto& r) { return r.first == node.id; }),
                 running_.end());
}

void Console::Erase() {
  // Cursor up one line and clear it, once per line drawn last time.
  for (; drawn_lines_ > 0; --drawn_lines_) out_ << "\x1b[1A\x1b[2K";
}

void Console::Redraw() {
  if (!options_.dynamic_ui) return;
  std::vector<LiveProcess> running;
  for (const auto& [id, p] : running_) running.push_back(p);
  std::string frame = FormatLiveFrame(running, clock_());
  Erase();
  out_ << frame;
  drawn_lines_ = static_cast<int>(std::count(frame.begin(), frame.end(), '\n'));
  out_.flush();
}

void Console::Finish(const engine::Graph& graph, const engine::RunResult& result) {
  Erase();
  options_.dynamic_ui = false;  // the timer may still fire once; it must not draw again
  running_.clear();
  out_ << FormatReport(graph, result, options_);
  out_.flush();
}

}  // namespace braid::ui
