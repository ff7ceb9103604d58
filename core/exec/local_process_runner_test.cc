#include "core/exec/local_process_runner.h"

#include <signal.h>
#include <stdlib.h>

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "core/exec/signals.h"
#include "core/exec/test_util.h"

namespace braid::exec {
namespace {

using testing::EventuallyDead;
using testing::IsAlive;
using testing::ScratchDir;

ProcessSpec Shell(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.env = {{"PATH", "/usr/bin:/bin"}};
  return spec;
}

class LocalProcessRunnerTest : public ::testing::Test {
 protected:
  LocalProcessRunnerTest() { uv_loop_init(&loop_); }
  ~LocalProcessRunnerTest() override {
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }
  ProcessResult Run(ProcessSpec spec) {
    LocalProcessRunner runner(&loop_);
    ProcessResult out;
    int calls = 0;
    runner.Start(std::move(spec), [&](ProcessResult r) {
      out = std::move(r);
      ++calls;
    });
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(calls, 1);
    return out;
  }
  uv_loop_t loop_;
};

std::vector<pid_t> Pids(absl::string_view text) {
  std::vector<pid_t> pids;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    int pid = 0;
    if (absl::SimpleAtoi(line, &pid)) pids.push_back(pid);
  }
  return pids;
}

TEST_F(LocalProcessRunnerTest, CapturesStdoutStderrAndExitCode) {
  ProcessResult r = Run(Shell("echo out; echo err >&2; exit 3"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.signal, 0);
  EXPECT_FALSE(r.timed_out);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.stdout_bytes, "out\n");
  EXPECT_EQ(r.stderr_bytes, "err\n");
  EXPECT_GE(r.end, r.start);
  EXPECT_EQ(r.wall_time, r.end - r.start);
  EXPECT_TRUE(Run(Shell("true")).ok());
}

TEST_F(LocalProcessRunnerTest, ReportsDeathBySignal) {
  ProcessResult r = Run(Shell("kill -SEGV $$"));
  EXPECT_EQ(r.signal, SIGSEGV);
  EXPECT_EQ(r.exit_code, -SIGSEGV);
  EXPECT_FALSE(r.ok());
}

TEST_F(LocalProcessRunnerTest, EnvironmentIsExactlyTheSpec) {
  setenv("BRAID_EXEC_TEST_LEAK", "1", 1);
  ProcessSpec spec;
  spec.argv = {"/usr/bin/env"};
  spec.env = {{"A", "1"}, {"B", "two words"}};
  ProcessResult r = Run(spec);
  EXPECT_EQ(r.stdout_bytes, "A=1\nB=two words\n");
  unsetenv("BRAID_EXEC_TEST_LEAK");
}

TEST_F(LocalProcessRunnerTest, Argv0IsFoundOnTheSpecsPathNotBraids) {
  ScratchDir dir;
  testing::WriteFile(dir / "mytool", "#!/bin/sh\necho found me\n");
  chmod((dir / "mytool").c_str(), 0755);
  ProcessSpec spec;
  spec.argv = {"mytool"};
  spec.env = {{"PATH", dir.path()}};
  EXPECT_EQ(Run(spec).stdout_bytes, "found me\n");
  spec.env = {{"PATH", "/usr/bin:/bin"}};
  ProcessResult missing = Run(spec);
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_EQ(missing.stderr_bytes, "braid: cannot execute 'mytool': No such file or directory\n");
}

TEST_F(LocalProcessRunnerTest, RunsInTheGivenCwd) {
  ScratchDir dir;
  ProcessSpec spec = Shell("pwd");
  spec.cwd = dir.path();
  EXPECT_EQ(Run(spec).stdout_bytes, dir.path() + "\n");
  spec.cwd = dir / "missing";
  ProcessResult r = Run(spec);
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.stderr_bytes,
            "braid: cannot change directory to '" + spec.cwd + "': No such file or directory\n");
}

TEST_F(LocalProcessRunnerTest, TruncatesOutputBeyondTheLimit) {
  ProcessSpec spec = Shell("printf 0123456789abcdef; printf xyz >&2");
  spec.stdout_limit = 10;
  ProcessResult r = Run(spec);
  EXPECT_EQ(r.stdout_bytes, "0123456789");
  EXPECT_TRUE(r.stdout_truncated);
  EXPECT_EQ(r.stderr_bytes, "xyz");
  EXPECT_FALSE(r.stderr_truncated);
}

TEST_F(LocalProcessRunnerTest, TimeoutKillsTheWholeProcessGroup) {
  // The shell prints its own pid and the grandchild's, then waits forever.
  ProcessSpec spec = Shell("sleep 100 & echo $$; echo $!; wait");
  spec.timeout = absl::Milliseconds(300);
  absl::Time before = absl::Now();
  ProcessResult r = Run(spec);
  EXPECT_LT(absl::Now() - before, absl::Seconds(5));
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.exit_code, -SIGKILL);
  EXPECT_EQ(DescribeOutcome(r), "timed out");
  std::vector<pid_t> pids = Pids(r.stdout_bytes);
  ASSERT_EQ(pids.size(), 2u) << r.stdout_bytes;
  for (pid_t pid : pids) EXPECT_TRUE(EventuallyDead(pid)) << pid;
}

TEST_F(LocalProcessRunnerTest, BackgroundChildrenDieWithTheProcess) {
  // `sleep` keeps stdout open; without the group kill the runner would wait 100 s.
  absl::Time before = absl::Now();
  ProcessResult r = Run(Shell("sleep 100 & echo $!"));
  EXPECT_LT(absl::Now() - before, absl::Seconds(5));
  EXPECT_EQ(r.exit_code, 0);
  std::vector<pid_t> pids = Pids(r.stdout_bytes);
  ASSERT_EQ(pids.size(), 1u);
  EXPECT_TRUE(EventuallyDead(pids[0]));
}

TEST_F(LocalProcessRunnerTest, KillAllKillsEveryGroupAndReportsInterrupted) {
  LocalProcessRunner runner(&loop_);
  ScratchDir dir;
  std::vector<ProcessResult> results;
  for (int i = 0; i < 2; ++i) {
    ProcessSpec spec = Shell("sleep 100 & echo $!; wait");
    spec.description = absl::StrCat("sleeper ", i);
    runner.Start(spec, [&](ProcessResult r) { results.push_back(std::move(r)); });
  }
  std::vector<RunningProcess> running = runner.Running();
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(running[0].id, 1u);
  EXPECT_EQ(running[1].description, "sleeper 1");
  EXPECT_GT(running[0].pid, 0);
  // Let the shells start their sleeps, then kill everything.
  uv_timer_t timer;
  uv_timer_init(&loop_, &timer);
  timer.data = &runner;
  uv_timer_start(
      &timer, [](uv_timer_t* t) { static_cast<LocalProcessRunner*>(t->data)->KillAll(); }, 300,
      0);
  uv_run(&loop_, UV_RUN_DEFAULT);
  uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
  ASSERT_EQ(results.size(), 2u);
  for (const ProcessResult& r : results) {
    EXPECT_TRUE(r.interrupted);
    EXPECT_FALSE(r.timed_out);
    EXPECT_EQ(r.signal, SIGKILL);
    std::vector<pid_t> pids = Pids(r.stdout_bytes);
    ASSERT_EQ(pids.size(), 1u);
    EXPECT_TRUE(EventuallyDead(pids[0]));
  }
  for (const RunningProcess& p : running) EXPECT_FALSE(IsAlive(p.pid));
  EXPECT_TRUE(runner.Running().empty());
}

TEST_F(LocalProcessRunnerTest, SigintKillsAllChildrenThroughTheSignalWatcher) {
  LocalProcessRunner runner(&loop_);
  std::vector<ProcessResult> results;
  std::string message;
  int seen_signal = 0;
  {
    SignalWatcher watcher(&loop_, [&](int sig) {
      seen_signal = sig;
      message = InterruptedMessage(runner.Running());
      runner.KillAll();
    });
    for (int i = 0; i < 3; ++i) {
      ProcessSpec spec = Shell("sleep 100 & echo $!; wait");
      spec.description = absl::StrCat("Run sleeper ", i);
      runner.Start(spec, [&](ProcessResult r) { results.push_back(std::move(r)); });
    }
    uv_timer_t timer;
    uv_timer_init(&loop_, &timer);
    uv_timer_start(&timer, [](uv_timer_t*) { kill(getpid(), SIGINT); }, 300, 0);
    uv_run(&loop_, UV_RUN_DEFAULT);
    uv_close(reinterpret_cast<uv_handle_t*>(&timer), nullptr);
    uv_run(&loop_, UV_RUN_DEFAULT);
  }
  EXPECT_EQ(seen_signal, SIGINT);
  EXPECT_EQ(message,
            "Interrupted; killed 3 running processes:\n  Run sleeper 0\n  Run sleeper 1\n"
            "  Run sleeper 2\n");
  ASSERT_EQ(results.size(), 3u);
  for (const ProcessResult& r : results) {
    EXPECT_TRUE(r.interrupted);
    std::vector<pid_t> pids = Pids(r.stdout_bytes);
    ASSERT_EQ(pids.size(), 1u);
    EXPECT_TRUE(EventuallyDead(pids[0]));
  }
  EXPECT_EQ(kInterruptedExitCode, 130);
}

TEST_F(LocalProcessRunnerTest, CallbacksNeverRunInsideStart) {
  LocalProcessRunner runner(&loop_);
  bool called = false;
  ProcessSpec spec;  // empty argv: fails at once, but still through the loop
  runner.Start(spec, [&](ProcessResult r) {
    called = true;
    EXPECT_EQ(r.exit_code, 127);
    EXPECT_EQ(r.stderr_bytes, "braid: cannot execute an empty command line\n");
  });
  EXPECT_FALSE(called);
  EXPECT_EQ(runner.Running().size(), 1u);
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_TRUE(called);
}

TEST(InterruptedMessage, NamesNothingWhenIdle) {
  EXPECT_EQ(InterruptedMessage({}), "Interrupted.\n");
  EXPECT_EQ(InterruptedMessage({{1, 10, "Run Pytest for a_test.py", absl::UnixEpoch()}}),
            "Interrupted; killed 1 running process:\n  Run Pytest for a_test.py\n");
}

}  // namespace
}  // namespace braid::exec
