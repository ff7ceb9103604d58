#include "core/exec/interactive_process.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/exec/test_util.h"
#include "gtest/gtest.h"

namespace braid::exec {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(ShellExitCode, ExitStatusOrOneHundredTwentyEightPlusSignal) {
  EXPECT_EQ(ShellExitCode(0), 0);
  EXPECT_EQ(ShellExitCode(3 << 8), 3);    // exited with 3
  EXPECT_EQ(ShellExitCode(SIGKILL), 137);  // killed by signal 9
  EXPECT_EQ(ShellExitCode(SIGINT), 130);
}

TEST(RunInteractive, RunsInCwdWithExactlyTheGivenEnvAndReturnsTheExitCode) {
  testing::ScratchDir dir;
  InteractiveProcess p;
  p.argv = {"/bin/sh", "-c", "echo \"$(pwd)|$X|$HOME|$1\" > out.txt; exit 3", "sh", "arg one"};
  p.env = {{"X", "1"}};
  p.cwd = dir.path();
  absl::StatusOr<int> code = RunInteractive(p);
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(ReadFile(dir.path() + "/out.txt"), dir.path() + "|1||arg one\n");
}

TEST(RunInteractive, KilledBySignalIsOneHundredTwentyEightPlusIt) {
  absl::StatusOr<int> code = RunInteractive({{"/bin/sh", "-c", "kill -TERM $$"}, {}, "/"});
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 128 + SIGTERM);
}

TEST(RunInteractive, SignalSentToBraidIsForwardedAndBraidWaits) {
  // The test process stands for braid: it survives the SIGTERM, the child gets it.
  std::thread sender([] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    ::kill(::getpid(), SIGTERM);
  });
  absl::StatusOr<int> code = RunInteractive({{"/bin/sleep", "20"}, {}, "/"});
  sender.join();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 128 + SIGTERM);
  // The previous disposition (default) is back.
  struct sigaction now = {};
  ::sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

TEST(RunInteractive, MissingProgramIsAnEnvironmentErrorNamingIt) {
  absl::StatusOr<int> code = RunInteractive({{"/nonexistent/python"}, {}, "/"});
  EXPECT_EQ(code.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(code.status().message().find("/nonexistent/python"), std::string::npos);
}

TEST(RunInteractive, MissingCwdIsAnEnvironmentErrorNamingIt) {
  absl::StatusOr<int> code = RunInteractive({{"/bin/true"}, {}, "/nonexistent/dir"});
  EXPECT_EQ(code.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(code.status().message().find("/nonexistent/dir"), std::string::npos);
}

}  // namespace
}  // namespace braid::exec
