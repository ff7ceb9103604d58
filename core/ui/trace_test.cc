#include "core/ui/trace.h"

#include <fstream>
#include <sstream>

#include "core/store/store_test_util.h"
#include "gtest/gtest.h"

namespace braid::ui {
namespace {

engine::ActionFn NoAction() {
  return [](const engine::DepOutcomes&) -> absl::StatusOr<engine::ActionRequest> {
    return engine::ActionRequest();
  };
}

engine::NodeOutcome Finished(engine::NodeId id, absl::Time end, engine::ResultSource source,
                             int exit_code = 0) {
  engine::NodeOutcome o;
  o.id = id;
  o.status = exit_code == 0 ? engine::NodeStatus::kSucceeded : engine::NodeStatus::kFailed;
  o.finished_at = end;
  engine::ActionOutput a;
  a.source = source;
  a.process.exit_code = exit_code;
  a.duration = absl::Milliseconds(1500);
  o.action = a;
  return o;
}

TEST(TraceRecorder, LanesAreTheLowestFreeSlot) {
  absl::Time t0 = absl::FromUnixSeconds(1000);
  engine::Graph g;
  for (const char* n : {"a", "b", "c", "d"}) g.AddAction(n, {}, NoAction());
  TraceRecorder trace(t0);
  trace.OnProcessStarted(g.node(0), "Run a", t0);
  trace.OnProcessStarted(g.node(1), "Run b", t0 + absl::Milliseconds(1));
  trace.OnNodeFinished(g.node(0), Finished(0, t0 + absl::Milliseconds(10), engine::ResultSource::kRan));
  trace.OnProcessStarted(g.node(2), "Run c", t0 + absl::Milliseconds(11));  // reuses lane 1
  trace.OnNodeFinished(g.node(2), Finished(2, t0 + absl::Milliseconds(20), engine::ResultSource::kRan, 1));
  trace.OnNodeFinished(g.node(1), Finished(1, t0 + absl::Milliseconds(30), engine::ResultSource::kRan));
  trace.OnNodeFinished(g.node(3), Finished(3, t0 + absl::Milliseconds(5), engine::ResultSource::kCached));

  std::string text = json::Write(trace.ToJson(), json::CompactOptions());
  EXPECT_EQ(text,
            "{\"traceEvents\":["
            "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"braid\"}},"
            "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"scheduler\"}},"
            "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"worker 1\"}},"
            "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":2,\"args\":{\"name\":\"worker 2\"}},"
            "{\"name\":\"Run a\",\"cat\":\"process\",\"ph\":\"X\",\"ts\":0,\"dur\":10000,\"pid\":1,\"tid\":1,"
            "\"args\":{\"node\":\"a\",\"status\":\"succeeded\",\"exit_code\":0}},"
            "{\"name\":\"Run b\",\"cat\":\"process\",\"ph\":\"X\",\"ts\":1000,\"dur\":29000,\"pid\":1,\"tid\":2,"
            "\"args\":{\"node\":\"b\",\"status\":\"succeeded\",\"exit_code\":0}},"
            "{\"name\":\"d\",\"cat\":\"cached\",\"ph\":\"i\",\"s\":\"t\",\"ts\":5000,\"pid\":1,\"tid\":0,"
            "\"args\":{\"node\":\"d\",\"status\":\"succeeded\",\"exit_code\":0,\"duration_us\":1500000}},"
            "{\"name\":\"Run c\",\"cat\":\"process\",\"ph\":\"X\",\"ts\":11000,\"dur\":9000,\"pid\":1,\"tid\":1,"
            "\"args\":{\"node\":\"c\",\"status\":\"failed\",\"exit_code\":1}}"
            "],\"displayTimeUnit\":\"ms\"}");
}

TEST(TraceRecorder, FailedAttemptIsItsOwnEventAndFreesItsLane) {
  absl::Time t0 = absl::FromUnixSeconds(1000);
  engine::Graph g;
  g.AddAction("a", {}, NoAction());
  TraceRecorder trace(t0);
  trace.OnProcessStarted(g.node(0), "Run a", t0);
  engine::ActionOutput failed;
  failed.attempts = 1;
  failed.process.exit_code = 1;
  failed.duration = absl::Milliseconds(4);
  trace.OnAttemptFailed(g.node(0), failed);
  trace.OnProcessStarted(g.node(0), "Run a", t0 + absl::Milliseconds(5));
  engine::NodeOutcome done = Finished(0, t0 + absl::Milliseconds(9), engine::ResultSource::kRan);
  done.action->attempts = 2;
  trace.OnNodeFinished(g.node(0), done);
  std::string text = json::Write(trace.ToJson(), json::CompactOptions());
  EXPECT_EQ(text,
            "{\"traceEvents\":["
            "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"braid\"}},"
            "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":0,\"args\":{\"name\":\"scheduler\"}},"
            "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":1,\"args\":{\"name\":\"worker 1\"}},"
            "{\"name\":\"Run a\",\"cat\":\"process\",\"ph\":\"X\",\"ts\":0,\"dur\":4000,\"pid\":1,\"tid\":1,"
            "\"args\":{\"node\":\"a\",\"status\":\"failed\",\"attempt\":1,\"exit_code\":1}},"
            "{\"name\":\"Run a\",\"cat\":\"process\",\"ph\":\"X\",\"ts\":5000,\"dur\":4000,\"pid\":1,\"tid\":1,"
            "\"args\":{\"node\":\"a\",\"status\":\"succeeded\",\"exit_code\":0,\"attempt\":2}}"
            "],\"displayTimeUnit\":\"ms\"}");
}

TEST(TraceRecorder, WritesParseableJson) {
  store::testing::TempDir dir;
  absl::Time t0 = absl::FromUnixSeconds(1000);
  engine::Graph g;
  g.AddAction("a", {}, NoAction());
  TraceRecorder trace(t0);
  trace.OnProcessStarted(g.node(0), "Run \"a\"", t0);
  trace.OnNodeFinished(g.node(0), Finished(0, t0 + absl::Seconds(1), engine::ResultSource::kRan));
  ASSERT_TRUE(trace.WriteFile(dir / "trace.json").ok());
  std::string text = store::testing::ReadFileOrDie(dir / "trace.json");
  absl::StatusOr<json::Value> v = json::Parse(text, "trace.json");
  ASSERT_TRUE(v.ok()) << v.status();
  const json::Value* events = v->Find("traceEvents");
  ASSERT_NE(events, nullptr);
  const json::Value& last = events->array().back();
  EXPECT_EQ(last.Find("name")->as_string(), "Run \"a\"");
  EXPECT_EQ(last.Find("tid")->as_int(), 1);
  EXPECT_EQ(last.Find("dur")->as_int(), 1000000);

  EXPECT_EQ(trace.WriteFile(dir / "no/such/dir/t.json").code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace braid::ui
