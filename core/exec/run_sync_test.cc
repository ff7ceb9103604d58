#include "core/exec/run_sync.h"

#include "gtest/gtest.h"

namespace braid::exec {
namespace {

TEST(RunSync, CapturesBothStreamsAndExitCodeWithExactEnv) {
  absl::StatusOr<SyncResult> r =
      RunSync({"/bin/sh", "-c", "echo out; echo err >&2; echo \"[$X][$HOME]\"; exit 3"},
              {{"X", "1"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->stdout_bytes, "out\n[1][]\n");
  EXPECT_EQ(r->stderr_bytes, "err\n");
}

TEST(RunSync, TimeoutKillsTheProcess) {
  absl::StatusOr<SyncResult> r = RunSync({"/bin/sleep", "10"}, {}, absl::Milliseconds(100));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, -9);
}

TEST(RunSync, MissingProgramIsAnEnvironmentError) {
  absl::StatusOr<SyncResult> r = RunSync({"/nonexistent/python"}, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace braid::exec
