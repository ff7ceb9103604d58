#include "core/engine/engine_options.h"

#include "absl/strings/match.h"

#include "core/options/global_options.h"
#include "core/options/options_test_util.h"
#include "gtest/gtest.h"

namespace braid::engine {
namespace {

using options::options_testing::Fixture;

TEST(EngineOptions, RegistersStatsAndTraceFile) {
  Fixture f;
  ASSERT_TRUE(RegisterEngineOptions(f.registry).ok());
  EXPECT_EQ(f.registry.Find("stats", "log")->Flag(), "--stats-log");
  EXPECT_EQ(f.registry.Find("GLOBAL", "stats")->Flag(), "--stats");
  EXPECT_EQ(f.registry.Find("GLOBAL", "trace_file")->Flag(), "--trace-file");
}

TEST(EngineOptions, Resolves) {
  Fixture f;
  ASSERT_TRUE(RegisterEngineOptions(f.registry).ok());
  f.Write("pants.toml", "[GLOBAL]\nprocess_execution_local_parallelism = 3\n");
  absl::StatusOr<options::Options> o =
      f.Parse({"--stats-log", "--trace-file=dist/trace.json", "--keep-sandboxes=always",
               "--local-execution-root-dir=/scratch", "--no-dynamic-ui", "test"});
  ASSERT_TRUE(o.ok()) << o.status();
  absl::StatusOr<EngineSettings> s = EngineSettingsFromOptions(*o, {}, "/repo");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->parallelism, 3);
  EXPECT_TRUE(s->stats);
  EXPECT_EQ(s->trace_file, "/repo/dist/trace.json");
  EXPECT_EQ(s->keep_sandboxes, exec::KeepSandboxes::kAlways);
  EXPECT_EQ(s->sandbox_root, "/scratch");
  EXPECT_EQ(s->dynamic_ui, false);
  EXPECT_EQ(s->colors, std::nullopt);
  SchedulerOptions so = s->ToSchedulerOptions();
  EXPECT_EQ(so.parallelism, 3);
  EXPECT_EQ(so.sandbox_root, "/scratch");
}

TEST(EngineOptions, DefaultsAndTheStatsShorthand) {
  Fixture f;
  ASSERT_TRUE(RegisterEngineOptions(f.registry).ok());
  absl::StatusOr<options::Options> o = f.Parse({"--stats", "test"});
  ASSERT_TRUE(o.ok()) << o.status();
  absl::StatusOr<EngineSettings> s = EngineSettingsFromOptions(*o, {}, "/repo");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_GE(s->parallelism, 1);
  EXPECT_TRUE(s->stats);
  EXPECT_EQ(s->trace_file, "");
  EXPECT_EQ(s->sandbox_root, exec::DefaultLocalExecutionRootDir());
  EXPECT_EQ(s->dynamic_ui, std::nullopt);
}

TEST(EngineOptions, ParallelismBelowOneIsAUserError) {
  Fixture f;
  ASSERT_TRUE(RegisterEngineOptions(f.registry).ok());
  absl::StatusOr<options::Options> o =
      f.Parse({"--process-execution-local-parallelism=0", "test"});
  ASSERT_TRUE(o.ok()) << o.status();
  absl::StatusOr<EngineSettings> s = EngineSettingsFromOptions(*o, {}, "/repo");
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(s.status().message(), "must be at least 1, got 0"))
      << s.status();
}

}  // namespace
}  // namespace braid::engine
