// TraceRecorder: a Chrome trace-event JSON file of one run (`--trace-file=FILE`), for
// Perfetto (ui.perfetto.dev) or chrome://tracing.
//
//   TraceRecorder trace(absl::Now());
//   scheduler.AddObserver(&trace);
//   ... Run ...
//   BRAID_RETURN_IF_ERROR(trace.WriteFile(settings.trace_file));
//
// Format (the "JSON Object Format" of the Trace Event Format document):
//   {"traceEvents":[
//     {"name":"process_name","ph":"M","pid":1,"tid":0,"args":{"name":"braid"}},
//     {"name":"thread_name","ph":"M","pid":1,"tid":0,"args":{"name":"scheduler"}},
//     {"name":"thread_name","ph":"M","pid":1,"tid":1,"args":{"name":"worker 1"}},
//     {"name":"Run Pytest for src/a_test.py:tests","cat":"process","ph":"X","ts":1200,
//      "dur":420000,"pid":1,"tid":1,"args":{"node":"src/a_test.py:tests","status":"succeeded",
//      "exit_code":0}},
//     {"name":"src/b_test.py:tests","cat":"cached","ph":"i","s":"t","ts":900,"pid":1,"tid":0,
//      "args":{"node":"src/b_test.py:tests","status":"succeeded","duration_us":1500000}},
//     ...],
//    "displayTimeUnit":"ms"}
// ts/dur are microseconds since the origin given to the constructor (the run's start).
// Lanes (tid): a process takes the lowest lane >= 1 not used by a running process when it
// starts, so lanes are the concurrent slots and never exceed the parallelism. Lane 0 holds
// what ran on the scheduler itself: compute nodes ("X") and cache hits / memoized results
// (instant events). Events are sorted by (ts, tid, name) so a trace diff is readable.
#ifndef BRAID_CORE_UI_TRACE_H_
#define BRAID_CORE_UI_TRACE_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "core/base/json.h"
#include "core/engine/scheduler.h"

namespace braid::ui {

class TraceRecorder : public engine::RunObserver {
 public:
  explicit TraceRecorder(absl::Time origin) : origin_(origin) {}

  void OnProcessStarted(const engine::Node& node, const std::string& description,
                        absl::Time start) override;
  /// A failed attempt that will be retried: its own complete event ("attempt": N, "status":
  /// "failed"), and its lane is free again.
  void OnAttemptFailed(const engine::Node& node, const engine::ActionOutput& failed) override;
  void OnNodeFinished(const engine::Node& node, const engine::NodeOutcome& outcome) override;

  /// The trace document (see the header comment).
  json::Value ToJson() const;
  /// Writes ToJson() compactly, plus a newline; kFailedPrecondition naming the path on failure.
  absl::Status WriteFile(const std::string& path) const;

 private:
  struct Event {
    int64_t ts = 0;
    int lane = 0;
    std::string name;
    json::Value value;
  };
  struct Running {
    int lane = 0;
    absl::Time start;
    std::string description;
  };
  int64_t Micros(absl::Time t) const;

  absl::Time origin_;
  std::map<engine::NodeId, Running> running_;
  std::set<int> busy_lanes_;
  int max_lane_ = 0;
  std::vector<Event> events_;
};

}  // namespace braid::ui

#endif  // BRAID_CORE_UI_TRACE_H_
