#include "core/ui/trace.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <tuple>

#include "absl/strings/str_cat.h"

namespace braid::ui {
namespace {

const char* SourceName(engine::ResultSource s) {
  switch (s) {
    case engine::ResultSource::kRan: return "ran";
    case engine::ResultSource::kCached: return "cached";
    case engine::ResultSource::kMemoized: return "memoized";
  }
  return "ran";
}

}  // namespace

int64_t TraceRecorder::Micros(absl::Time t) const {
  if (t == absl::InfinitePast() || t < origin_) return 0;
  return absl::ToInt64Microseconds(t - origin_);
}

void TraceRecorder::OnProcessStarted(const engine::Node& node, const std::string& description,
                                     absl::Time start) {
  int lane = 1;
  while (busy_lanes_.count(lane)) ++lane;
  busy_lanes_.insert(lane);
  max_lane_ = std::max(max_lane_, lane);
  running_[node.id] = Running{lane, start, description};
}

void TraceRecorder::OnAttemptFailed(const engine::Node& node, const engine::ActionOutput& failed) {
  auto it = running_.find(node.id);
  if (it == running_.end()) return;
  const Running& r = it->second;
  json::Value args = json::Value::MakeObject();
  args.Set("node", node.name);
  args.Set("status", "failed");
  args.Set("attempt", failed.attempts);
  args.Set("exit_code", failed.process.exit_code);
  Event ev;
  ev.ts = Micros(r.start);
  ev.lane = r.lane;
  ev.name = r.description;
  json::Value e = json::Value::MakeObject();
  e.Set("name", r.description);
  e.Set("cat", "process");
  e.Set("ph", "X");
  e.Set("ts", ev.ts);
  e.Set("dur", std::max<int64_t>(0, absl::ToInt64Microseconds(failed.duration)));
  e.Set("pid", 1);
  e.Set("tid", ev.lane);
  e.Set("args", std::move(args));
  ev.value = std::move(e);
  events_.push_back(std::move(ev));
  busy_lanes_.erase(r.lane);
  running_.erase(it);
}

void TraceRecorder::OnNodeFinished(const engine::Node& node, const engine::NodeOutcome& o) {
  if (o.status == engine::NodeStatus::kSkipped) return;
  json::Value args = json::Value::MakeObject();
  args.Set("node", node.name);
  args.Set("status", engine::NodeStatusName(o.status));
  if (o.action) args.Set("exit_code", o.action->process.exit_code);
  if (o.action && o.action->attempts > 1) args.Set("attempt", o.action->attempts);

  json::Value e = json::Value::MakeObject();
  Event ev;
  auto it = running_.find(node.id);
  if (it != running_.end()) {
    const Running& r = it->second;
    ev.ts = Micros(r.start);
    ev.lane = r.lane;
    ev.name = r.description;
    e.Set("name", r.description);
    e.Set("cat", "process");
    e.Set("ph", "X");
    e.Set("ts", ev.ts);
    e.Set("dur", std::max<int64_t>(0, Micros(o.finished_at) - ev.ts));
    busy_lanes_.erase(r.lane);
    running_.erase(it);
  } else if (o.action) {
    // A result nobody ran in this run: an instant on the scheduler lane.
    ev.ts = Micros(o.finished_at);
    ev.name = node.name;
    args.Set("duration_us", absl::ToInt64Microseconds(o.action->duration));
    e.Set("name", node.name);
    e.Set("cat", SourceName(o.action->source));
    e.Set("ph", "i");
    e.Set("s", "t");
    e.Set("ts", ev.ts);
  } else {
    ev.ts = Micros(o.started_at);
    ev.name = node.name;
    e.Set("name", node.name);
    e.Set("cat", "compute");
    e.Set("ph", "X");
    e.Set("ts", ev.ts);
    e.Set("dur", std::max<int64_t>(0, Micros(o.finished_at) - ev.ts));
  }
  e.Set("pid", 1);
  e.Set("tid", ev.lane);
  e.Set("args", std::move(args));
  ev.value = std::move(e);
  events_.push_back(std::move(ev));
}

json::Value TraceRecorder::ToJson() const {
  json::Array events;
  auto meta = [&](const char* what, int tid, std::string name) {
    json::Value m = json::Value::MakeObject();
    m.Set("name", what);
    m.Set("ph", "M");
    m.Set("pid", 1);
    m.Set("tid", tid);
    json::Value args = json::Value::MakeObject();
    args.Set("name", std::move(name));
    m.Set("args", std::move(args));
    events.push_back(std::move(m));
  };
  meta("process_name", 0, "braid");
  meta("thread_name", 0, "scheduler");
  for (int lane = 1; lane <= max_lane_; ++lane) meta("thread_name", lane, absl::StrCat("worker ", lane));
  std::vector<const Event*> sorted;
  for (const Event& e : events_) sorted.push_back(&e);
  std::stable_sort(sorted.begin(), sorted.end(), [](const Event* a, const Event* b) {
    return std::tie(a->ts, a->lane, a->name) < std::tie(b->ts, b->lane, b->name);
  });
  for (const Event* e : sorted) events.push_back(e->value);
  json::Value doc = json::Value::MakeObject();
  doc.Set("traceEvents", json::Value::MakeArray(std::move(events)));
  doc.Set("displayTimeUnit", "ms");
  return doc;
}

absl::Status TraceRecorder::WriteFile(const std::string& path) const {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << json::Write(ToJson(), json::CompactOptions()) << "\n";
  out.close();
  if (!out) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot write the trace file ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

}  // namespace braid::ui
