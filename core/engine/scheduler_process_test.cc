// The scheduler with real processes (LocalProcessRunner): timing of the parallelism limit,
// SIGINT handling in a forked braid-like child, and kill -9 crash safety of the cache.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "core/engine/scheduler.h"
#include "core/exec/local_process_runner.h"
#include "core/exec/test_util.h"
#include "core/store/store.h"
#include "gtest/gtest.h"

namespace braid::engine {
namespace {

using exec::testing::ScratchDir;

/// `sh -c <script>` with a minimal PATH.
ActionFn Shell(std::string script, std::vector<std::string> outputs = {}) {
  return [script, outputs](const DepOutcomes&) -> absl::StatusOr<ActionRequest> {
    ActionRequest r;
    r.spec.argv = {"/bin/sh", "-c", script};
    r.spec.env = {{"PATH", "/usr/bin:/bin"}};
    r.spec.description = absl::StrCat("Run ", script);
    r.output_files = outputs;
    r.key.rule_version = "test-1";
    return r;
  };
}

SchedulerOptions Options(const ScratchDir& dir, int parallelism) {
  SchedulerOptions o;
  o.parallelism = parallelism;
  o.sandbox_root = dir / "sandboxes";
  o.handle_signals = false;
  return o;
}

/// Runs `graph` on a fresh loop with a LocalProcessRunner.
absl::StatusOr<RunResult> RunReal(const Graph& graph, SchedulerOptions options,
                                  store::Store* store) {
  uv_loop_t loop;
  uv_loop_init(&loop);
  absl::StatusOr<RunResult> r;
  {
    exec::LocalProcessRunner runner(&loop);
    Scheduler s(&loop, &runner, store, std::move(options));
    r = s.Run(graph);
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return r;
}

int CountFiles(const std::string& dir) {
  int n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) ++n;
  }
  return n;
}

/// Waits up to 10 s for `path` to hold a pid.
pid_t WaitForPidFile(const std::string& path) {
  absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    std::string text(absl::StripAsciiWhitespace(exec::testing::ReadFile(path)));
    int pid = 0;
    if (absl::SimpleAtoi(text, &pid) && pid > 0) return pid;
    absl::SleepFor(absl::Milliseconds(10));
  }
  return 0;
}

TEST(SchedulerProcess, ParallelismOneRunsSleepsOneAfterTheOther) {
  ScratchDir dir;
  Graph g;
  g.AddAction("a", {}, Shell("sleep 0.3; echo a"));
  g.AddAction("b", {}, Shell("sleep 0.3; echo b"));

  absl::Time start = absl::Now();
  absl::StatusOr<RunResult> serial = RunReal(g, Options(dir, 1), nullptr);
  absl::Duration serial_time = absl::Now() - start;
  ASSERT_TRUE(serial.ok()) << serial.status();
  EXPECT_TRUE(serial->ok());
  EXPECT_EQ(serial->outcomes[0].action->process.stdout_bytes, "a\n");
  EXPECT_GE(serial_time, absl::Milliseconds(600));
  // The second process started after the first one ended (braid may still have been
  // recording the first one's outputs: that bookkeeping overlaps the next process).
  const exec::ProcessResult& first = serial->outcomes[0].action->process;
  EXPECT_GE(serial->outcomes[1].action->process.start, first.start + first.wall_time);

  start = absl::Now();
  absl::StatusOr<RunResult> parallel = RunReal(g, Options(dir, 2), nullptr);
  absl::Duration parallel_time = absl::Now() - start;
  ASSERT_TRUE(parallel.ok()) << parallel.status();
  EXPECT_LT(parallel_time, serial_time - absl::Milliseconds(150));
}

TEST(SchedulerProcess, OutputsGoToTheStoreAndTheSecondRunIsCached) {
  ScratchDir dir;
  absl::StatusOr<std::unique_ptr<store::Store>> st = store::Store::Open(dir / "store");
  ASSERT_TRUE(st.ok());
  Graph g;
  g.AddAction("t", {}, Shell("echo hi > out.txt; echo ran", {"out.txt"}));
  absl::StatusOr<RunResult> r1 = RunReal(g, Options(dir, 1), st->get());
  ASSERT_TRUE(r1.ok() && r1->ok());
  ASSERT_EQ(r1->outcomes[0].action->output_files.size(), 1u);
  EXPECT_EQ((*st)->cas().Get(r1->outcomes[0].action->output_files[0].digest), "hi\n");

  absl::StatusOr<RunResult> r2 = RunReal(g, Options(dir, 1), st->get());
  ASSERT_TRUE(r2.ok() && r2->ok());
  const ActionOutput& out = *r2->outcomes[0].action;
  EXPECT_TRUE(out.cached());
  EXPECT_EQ(out.process.stdout_bytes, "ran\n");
  EXPECT_EQ(out.duration, r1->outcomes[0].action->duration);
  EXPECT_EQ(out.output_files, r1->outcomes[0].action->output_files);
  EXPECT_EQ(r2->stats.processes_run, 0);
}

// The forked child: a braid-like main that runs `graph` with signal handling and exits with
// the run's exit code after printing the interrupted message.
[[noreturn]] void ChildMain(const Graph& graph, const ScratchDir& dir, int parallelism,
                            int stderr_fd) {
  dup2(stderr_fd, 2);
  uv_loop_t loop;
  uv_loop_init(&loop);
  absl::StatusOr<std::unique_ptr<store::Store>> st = store::Store::Open(dir / "store");
  if (!st.ok()) _exit(99);
  int code = 98;
  {
    exec::LocalProcessRunner runner(&loop);
    SchedulerOptions o = Options(dir, parallelism);
    o.handle_signals = true;
    Scheduler s(&loop, &runner, st->get(), o);
    absl::StatusOr<RunResult> r = s.Run(graph);
    if (r.ok()) {
      if (r->interrupted) {
        std::string msg = exec::InterruptedMessage(r->interrupted_processes);
        (void)!write(2, msg.data(), msg.size());
      }
      code = r->exit_code();
    }
  }
  uv_run(&loop, UV_RUN_DEFAULT);
  _exit(code);
}

TEST(SchedulerProcess, SigintKillsEveryChildWritesNoCacheEntryAndExits130) {
  ScratchDir dir;
  Graph g;
  for (int i = 0; i < 3; ++i) {
    g.AddAction(absl::StrCat("t", i), {},
                Shell(absl::StrCat("echo $$ > ", dir / absl::StrCat("pid", i),
                                   "; sleep 100 & wait")));
  }
  int err_pipe[2];
  ASSERT_EQ(pipe(err_pipe), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(err_pipe[0]);
    ChildMain(g, dir, 2, err_pipe[1]);
  }
  close(err_pipe[1]);
  pid_t p0 = WaitForPidFile(dir / "pid0");
  pid_t p1 = WaitForPidFile(dir / "pid1");
  ASSERT_GT(p0, 0);
  ASSERT_GT(p1, 0);
  EXPECT_EQ(exec::testing::ProcessesIn(dir / "sandboxes") >= 2, true);
  ASSERT_EQ(kill(child, SIGINT), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  std::string err;
  char buf[4096];
  for (ssize_t n; (n = read(err_pipe[0], buf, sizeof(buf))) > 0;) err.append(buf, n);
  close(err_pipe[0]);

  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_TRUE(absl::StrContains(err, "Interrupted; killed 2 running processes:")) << err;
  // The shells and their background sleeps are gone, and nothing runs in any sandbox.
  EXPECT_TRUE(exec::testing::EventuallyDead(p0));
  EXPECT_TRUE(exec::testing::EventuallyDead(p1));
  EXPECT_EQ(exec::testing::ProcessesIn(dir / "sandboxes"), 0);
  EXPECT_FALSE(exec::testing::Exists(dir / "pid2"));  // the third never started
  // No action-cache entry, and the sandboxes were removed.
  EXPECT_EQ(CountFiles(dir / "store/v1/ac"), 0);
  std::error_code ec;
  EXPECT_TRUE(std::filesystem::is_empty(dir / "sandboxes", ec));
}

TEST(SchedulerProcess, KillNineMidRunLeavesNoPartialEntry) {
  ScratchDir dir;
  exec::testing::WriteFile(dir / "slow", "");
  // Sleeps while the marker exists (outside the sandbox, on purpose not an input, so the rerun
  // has the same key and finishes quickly).
  std::string script = absl::StrCat("echo $$ > ", dir / "pid", "; echo partial > out.txt; ",
                                    "while [ -e ", dir / "slow", " ]; do sleep 0.05; done; ",
                                    "echo done > out.txt; echo ok");
  Graph g;
  g.AddAction("t", {}, Shell(script, {"out.txt"}));
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) ChildMain(g, dir, 1, open("/dev/null", O_WRONLY));
  pid_t shell = WaitForPidFile(dir / "pid");
  ASSERT_GT(shell, 0);
  ASSERT_EQ(kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  EXPECT_TRUE(WIFSIGNALED(status));
  // braid died without cleaning up: its process group survives it (it was setsid'ed); end it.
  kill(-shell, SIGKILL);
  EXPECT_TRUE(exec::testing::EventuallyDead(shell));
  EXPECT_EQ(CountFiles(dir / "store/v1/ac"), 0);

  // The rerun finds no entry, runs the action, and caches the complete result.
  std::filesystem::remove(dir / "slow");
  absl::StatusOr<std::unique_ptr<store::Store>> st = store::Store::Open(dir / "store");
  ASSERT_TRUE(st.ok());
  absl::StatusOr<RunResult> r = RunReal(g, Options(dir, 1), st->get());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_TRUE(r->ok());
  EXPECT_FALSE(r->outcomes[0].action->cached());
  EXPECT_EQ(r->stats.cache_misses, 1);
  ASSERT_EQ(r->outcomes[0].action->output_files.size(), 1u);
  EXPECT_EQ((*st)->cas().Get(r->outcomes[0].action->output_files[0].digest), "done\n");
  absl::StatusOr<RunResult> again = RunReal(g, Options(dir, 1), st->get());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->outcomes[0].action->cached());
}

}  // namespace
}  // namespace braid::engine
