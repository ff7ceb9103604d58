#include "core/exec/fork_server_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "core/exec/local_process_runner.h"
#include "core/exec/namespaces.h"
#include "core/exec/test_util.h"

namespace braid::exec {
namespace {

using testing::ScratchDir;

class ForkServerRunnerTest : public ::testing::Test {
 protected:
  ForkServerRunnerTest() {
    uv_loop_init(&loop_);
    LocalProcessRunner::Options lo;
    lo.trampoline_exe = BRAID_EXEC_TRAMPOLINE_FOR_TEST;
    local_ = std::make_unique<LocalProcessRunner>(&loop_, lo);
    ForkServerRunner::Options fo;
    fo.trampoline_exe = BRAID_EXEC_TRAMPOLINE_FOR_TEST;
    runner_ = std::make_unique<ForkServerRunner>(&loop_, local_.get(), fo);
  }
  ~ForkServerRunnerTest() override {
    runner_.reset();
    local_.reset();
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  ProcessSpec Shell(const std::string& script, const std::string& server_key = "k") {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.env = {{"PATH", "/usr/bin:/bin"}};
    spec.cwd = dir_.path();
    ForkServerSpec fs;
    fs.key = server_key;
    fs.argv = {BRAID_FAKE_FORK_SERVER};
    fs.env = {{"FAKE_SERVER_MARKER", dir_ / "marker"}};
    spec.fork_server = std::make_shared<const ForkServerSpec>(std::move(fs));
    return spec;
  }

  std::vector<ProcessResult> RunAll(std::vector<ProcessSpec> specs) {
    std::vector<ProcessResult> out(specs.size());
    int calls = 0;
    for (size_t i = 0; i < specs.size(); ++i) {
      runner_->Start(std::move(specs[i]), [&, i](ProcessResult r) {
        out[i] = std::move(r);
        ++calls;
      });
    }
    while (calls < static_cast<int>(out.size())) uv_run(&loop_, UV_RUN_ONCE);
    return out;
  }
  ProcessResult Run(ProcessSpec spec) { return RunAll({std::move(spec)})[0]; }

  uv_loop_t loop_;
  ScratchDir dir_;
  std::unique_ptr<LocalProcessRunner> local_;
  std::unique_ptr<ForkServerRunner> runner_;
};

TEST_F(ForkServerRunnerTest, CapturesOutputAndExitCodeThroughTheServer) {
  std::vector<ProcessResult> r = RunAll({Shell("echo out; echo err >&2; exit 3"),
                                         Shell("pwd; echo \"$PATH\""), Shell("true")});
  EXPECT_EQ(r[0].exit_code, 3);
  EXPECT_EQ(r[0].signal, 0);
  EXPECT_EQ(r[0].stdout_bytes, "out\n");
  EXPECT_EQ(r[0].stderr_bytes, "err\n");
  EXPECT_EQ(r[1].stdout_bytes, absl::StrCat(dir_.path(), "\n/usr/bin:/bin\n"));
  EXPECT_TRUE(r[2].ok());
  EXPECT_EQ(r[2].wall_time, r[2].end - r[2].start);
  EXPECT_EQ(runner_->servers_started(), 1);  // one server for one key
}

TEST_F(ForkServerRunnerTest, DistinctKeysGetDistinctServers) {
  RunAll({Shell("true", "a"), Shell("true", "b"), Shell("true", "a")});
  EXPECT_EQ(runner_->servers_started(), 2);
}

TEST_F(ForkServerRunnerTest, ReportsDeathBySignal) {
  ProcessResult r = Run(Shell("kill -SEGV $$"));
  EXPECT_EQ(r.signal, SIGSEGV);
  EXPECT_EQ(r.exit_code, -SIGSEGV);
}

TEST_F(ForkServerRunnerTest, TimeoutKillsTheChildNotTheServer) {
  ProcessSpec slow = Shell("echo started; sleep 30");
  slow.timeout = absl::Milliseconds(300);
  absl::Time t0 = absl::Now();
  ProcessResult r = Run(std::move(slow));
  EXPECT_LT(absl::Now() - t0, absl::Seconds(5));
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_EQ(r.stdout_bytes, "started\n");
  // The same server still serves.
  EXPECT_EQ(Run(Shell("echo again")).stdout_bytes, "again\n");
  EXPECT_EQ(runner_->servers_started(), 1);
}

TEST_F(ForkServerRunnerTest, BackgroundChildrenDieWithTheProcess) {
  ProcessResult r = Run(Shell("sleep 30 & echo $!"));
  ASSERT_TRUE(r.ok());
  pid_t bg = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(r.stdout_bytes), &bg));
  EXPECT_TRUE(testing::EventuallyDead(bg));
}

TEST_F(ForkServerRunnerTest, KillAllInterrupts) {
  ProcessResult out;
  bool called = false;
  runner_->Start(Shell("sleep 30"), [&](ProcessResult r) {
    out = std::move(r);
    called = true;
  });
  while (runner_->Running().empty()) uv_run(&loop_, UV_RUN_ONCE);
  EXPECT_EQ(runner_->Running()[0].description, "/bin/sh -c sleep 30");
  uv_run(&loop_, UV_RUN_NOWAIT);
  runner_->KillAll();
  while (!called) uv_run(&loop_, UV_RUN_ONCE);
  EXPECT_TRUE(out.interrupted);
  EXPECT_FALSE(out.ok());
  EXPECT_TRUE(runner_->Running().empty());
}

TEST_F(ForkServerRunnerTest, RejectedRequestsRunAsPlainProcesses) {
  ProcessSpec spec = Shell("unused");
  spec.argv = {"__reject__"};
  ProcessResult r = Run(std::move(spec));
  // The fallback (LocalProcessRunner) tried to exec "__reject__" itself.
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_TRUE(absl::StrContains(r.stderr_bytes, "cannot execute '__reject__'"));
}

TEST_F(ForkServerRunnerTest, SpecsWithoutAServerUseTheFallback) {
  ProcessSpec spec = Shell("echo plain");
  spec.fork_server.reset();
  EXPECT_EQ(Run(std::move(spec)).stdout_bytes, "plain\n");
  EXPECT_EQ(runner_->servers_started(), 0);
}

TEST_F(ForkServerRunnerTest, ACrashedServerIsRestartedAndTheProcessRerunOnce) {
  ProcessSpec spec = Shell("unused");
  spec.argv = {"__crash_once__", "/bin/sh", "-c", "echo second try"};
  ProcessResult r = Run(std::move(spec));
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r.stdout_bytes, "second try\n");
  EXPECT_EQ(runner_->servers_started(), 2);
}

TEST_F(ForkServerRunnerTest, AServerCrashingTwiceIsAFailureNeverAPass) {
  ProcessSpec spec = Shell("unused");
  spec.argv = {"__crash__"};
  ProcessResult r = Run(std::move(spec));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.exit_code, 125);
  // Whichever the runner notices first: the closed socket or the exit.
  EXPECT_TRUE(absl::StartsWith(r.stderr_bytes,
                               "braid: the fork server died while running this process ("))
      << r.stderr_bytes;
  EXPECT_TRUE(absl::StrContains(r.stderr_bytes, "), 2 times; its last output:\n"))
      << r.stderr_bytes;
  EXPECT_EQ(runner_->servers_started(), 2);
}

TEST_F(ForkServerRunnerTest, AServerThatCannotStartIsGivenUpAfterTwoTries) {
  auto failing = [&] {
    ProcessSpec spec = Shell("echo ran");
    ForkServerSpec fs = *spec.fork_server;
    fs.env["FAKE_SERVER_FAIL_START"] = "1";
    spec.fork_server = std::make_shared<const ForkServerSpec>(std::move(fs));
    return spec;
  };
  std::vector<ProcessSpec> first;
  first.push_back(failing());
  first.push_back(failing());
  for (const ProcessResult& r : RunAll(std::move(first))) {
    EXPECT_EQ(r.exit_code, 125);  // each was sent twice, to the same two servers
    EXPECT_TRUE(absl::StartsWith(r.stderr_bytes, "braid: the fork server failed to start ("))
        << r.stderr_bytes;
    EXPECT_TRUE(absl::StrContains(r.stderr_bytes, "2 times; its last output:\nfake server: "
                                                  "cannot start\n"))
        << r.stderr_bytes;
  }
  EXPECT_EQ(runner_->servers_started(), 2);
  // Both servers died before READY: the key is given up, nothing starts another one.
  ProcessResult later = Run(failing());
  EXPECT_EQ(later.exit_code, 125);
  EXPECT_TRUE(absl::StartsWith(later.stderr_bytes, "braid: the fork server keeps failing to start ("))
      << later.stderr_bytes;
  EXPECT_TRUE(absl::StrContains(later.stderr_bytes,
                                "2 servers in a row ended before answering; the last one's "
                                "output:\nfake server: cannot start\n"))
      << later.stderr_bytes;
  EXPECT_EQ(runner_->servers_started(), 2);
  EXPECT_EQ(later.stdout_bytes, "");
  // A server that crashes after READY (here, on a request) is not a start-up failure.
  ProcessSpec crash = Shell("unused", "other");
  crash.argv = {"__crash__"};
  EXPECT_EQ(Run(std::move(crash)).exit_code, 125);
  ASSERT_TRUE(Run(Shell("true", "other")).ok());
}

TEST_F(ForkServerRunnerTest, OnlyFailedStartsInARowGiveAServerUp) {
  const std::string once = dir_ / "fail-once";
  auto spec = [&](std::vector<std::string> argv) {
    ProcessSpec s = Shell("echo ran", "k2");
    if (!argv.empty()) s.argv = std::move(argv);
    ForkServerSpec fs = *s.fork_server;
    fs.env["FAKE_SERVER_FAIL_START_ONCE"] = once;
    s.fork_server = std::make_shared<const ForkServerSpec>(std::move(fs));
    return s;
  };
  auto touch = [&] { close(open(once.c_str(), O_CREAT | O_WRONLY, 0644)); };
  touch();
  ProcessResult a = Run(spec({}));  // the first server fails to start, the second runs it
  EXPECT_EQ(a.exit_code, 0) << a.stderr_bytes;
  EXPECT_EQ(a.stdout_bytes, "ran\n");
  EXPECT_EQ(runner_->servers_started(), 2);
  // Crashes the second server and a third (both after READY: not failed starts).
  EXPECT_EQ(Run(spec({"__crash__"})).exit_code, 125);
  EXPECT_EQ(runner_->servers_started(), 3);
  touch();
  // One failed start since the last READY: a fresh server still gets its chance.
  ProcessResult c = Run(spec({}));
  EXPECT_EQ(c.exit_code, 0) << c.stderr_bytes;
  EXPECT_EQ(runner_->servers_started(), 5);
}

TEST_F(ForkServerRunnerTest, ServerExitsWhenTheRunnerIsDestroyed) {
  ASSERT_TRUE(Run(Shell("true")).ok());
  ProcessResult r = Run(Shell("echo $PPID"));
  pid_t server = 0;
  ASSERT_TRUE(absl::SimpleAtoi(absl::StripAsciiWhitespace(r.stdout_bytes), &server));
  EXPECT_TRUE(testing::IsAlive(server));
  runner_.reset();
  uv_run(&loop_, UV_RUN_NOWAIT);
  EXPECT_TRUE(testing::EventuallyDead(server));
}

TEST_F(ForkServerRunnerTest, NamespacedChildrenWriteOnlyTheirSandbox) {
  static const SandboxCapabilities caps = DetectSandboxCapabilities();
  if (!caps.namespaces) GTEST_SKIP() << caps.warning;
  ASSERT_EQ(mkdir((dir_ / "sb1").c_str(), 0755), 0);
  ASSERT_EQ(mkdir((dir_ / "sb2").c_str(), 0755), 0);
  auto in = [&](const std::string& sb, const std::string& script) {
    ProcessSpec spec = Shell(script);
    spec.cwd = dir_ / sb;
    spec.sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
    spec.sandbox.writable_root = dir_ / sb;
    return spec;
  };
  std::vector<ProcessResult> r = RunAll(
      {in("sb1", "echo ok > mine && cat mine && echo x > ../sb2/theirs"),
       in("sb2", "touch mine2 && echo hi > /tmp/braid-fork-server-escape")});
  EXPECT_EQ(r[0].stdout_bytes, "ok\n");
  EXPECT_NE(r[0].exit_code, 0);  // ../sb2 is read-only for sb1's child
  EXPECT_TRUE(absl::StrContains(r[0].stderr_bytes, "Read-only file system")) << r[0].stderr_bytes;
  EXPECT_NE(r[1].exit_code, 0);
  EXPECT_FALSE(testing::Exists("/tmp/braid-fork-server-escape"));
  EXPECT_TRUE(testing::Exists(dir_ / "sb2/mine2"));
  EXPECT_FALSE(testing::Exists(dir_ / "sb2/theirs"));
  EXPECT_EQ(runner_->servers_started(), 1);
}

/// Preparing ahead needs namespaces (CanPrepare); these tests skip without them.
class ForkServerPrepareTest : public ForkServerRunnerTest {
 protected:
  void SetUp() override {
    static const SandboxCapabilities caps = DetectSandboxCapabilities();
    if (!caps.namespaces) GTEST_SKIP() << caps.warning;
  }
  /// Shell(script) in namespaces, sandbox `sb` (created), with a server that can prepare.
  ProcessSpec Prepared(const std::string& script, const std::string& sb = "sb") {
    ProcessSpec spec = Shell(script);
    mkdir((dir_ / sb).c_str(), 0755);
    spec.cwd = dir_ / sb;
    spec.sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
    spec.sandbox.writable_root = dir_ / sb;
    ForkServerSpec fs = *spec.fork_server;
    fs.prepare = true;
    spec.fork_server = std::make_shared<const ForkServerSpec>(std::move(fs));
    return spec;
  }
  /// Runs the loop for `d` (the held children get the time to run, if they could).
  void Spin(absl::Duration d) {
    uv_timer_t t;
    bool fired = false;
    t.data = &fired;
    uv_timer_init(&loop_, &t);
    uv_timer_start(
        &t, [](uv_timer_t* h) { *static_cast<bool*>(h->data) = true; },
        static_cast<uint64_t>(absl::ToInt64Milliseconds(d)), 0);
    while (!fired) uv_run(&loop_, UV_RUN_ONCE);
    uv_close(reinterpret_cast<uv_handle_t*>(&t), nullptr);
    uv_run(&loop_, UV_RUN_NOWAIT);
  }
  /// Releases `id` and runs the loop until it is done; `finishing_at`, if given, is set to
  /// when the finishing callback ran (it stays InfinitePast otherwise).
  ProcessResult Release(uint64_t id, absl::Time* finishing_at = nullptr) {
    ProcessResult out;
    bool called = false;
    int finishing_calls = 0;
    runner_->StartPrepared(
        id,
        [&](ProcessResult r) {
          out = std::move(r);
          called = true;
        },
        [&] {
          EXPECT_FALSE(called) << "finishing after done";
          ++finishing_calls;
          if (finishing_at != nullptr) *finishing_at = absl::Now();
        });
    while (!called) uv_run(&loop_, UV_RUN_ONCE);
    EXPECT_LE(finishing_calls, 1);
    return out;
  }
};

TEST_F(ForkServerPrepareTest, CanPrepareNeedsAPreparingServerNamespacesAndLoopback) {
  EXPECT_TRUE(runner_->CanPrepare(Prepared("true")));
  EXPECT_FALSE(runner_->CanPrepare(Shell("true")));  // the server cannot
  ProcessSpec no_ns = Prepared("true");
  no_ns.sandbox.isolation = SandboxSpec::Isolation::kNone;
  EXPECT_FALSE(runner_->CanPrepare(no_ns));
  ProcessSpec net = Prepared("true");
  net.sandbox.loopback_only_network = false;  // it could take the running one's ports
  EXPECT_FALSE(runner_->CanPrepare(net));
  ProcessSpec none = Prepared("true");
  none.fork_server.reset();
  EXPECT_FALSE(runner_->CanPrepare(none));
  ForkServerRunner::Options off;
  off.trampoline_exe = BRAID_EXEC_TRAMPOLINE_FOR_TEST;
  off.prepare = false;
  ForkServerRunner disabled(&loop_, local_.get(), off);
  EXPECT_FALSE(disabled.CanPrepare(Prepared("true")));
}

TEST_F(ForkServerPrepareTest, AHeldChildRunsOnlyOnceReleasedAndItsClockStartsThen) {
  ProcessSpec spec = Prepared("echo ran > ran; echo out; echo err >&2; exit 4");
  spec.timeout = absl::Milliseconds(400);  // counts from the release, not from Prepare
  uint64_t id = runner_->Prepare(std::move(spec));
  Spin(absl::Milliseconds(700));
  EXPECT_FALSE(testing::Exists(dir_ / "sb/ran"));
  EXPECT_TRUE(runner_->Running().empty());
  absl::Time released = absl::Now();
  ProcessResult r = Release(id);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.stdout_bytes, "out\n");
  EXPECT_EQ(r.stderr_bytes, "err\n");
  EXPECT_TRUE(testing::Exists(dir_ / "sb/ran"));
  EXPECT_GE(r.start, released);
  EXPECT_LT(r.wall_time, absl::Milliseconds(700));
  EXPECT_EQ(runner_->servers_started(), 1);
}

TEST_F(ForkServerPrepareTest, AChildSayingItIsFinishingIsAnnouncedBeforeItsEnd) {
  uint64_t id = runner_->Prepare(Prepared("echo before; printf D >&9; sleep 0.4; echo after"));
  absl::Time finishing = absl::InfinitePast();
  ProcessResult r = Release(id, &finishing);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.stdout_bytes, "before\nafter\n");  // the result is still the whole process
  ASSERT_NE(finishing, absl::InfinitePast());
  EXPECT_GE(r.end - finishing, absl::Milliseconds(300));
}

TEST_F(ForkServerPrepareTest, AServerDyingAfterTheChildEndedFailsItInsteadOfARerun) {
  ProcessSpec spec = Prepared("unused");
  spec.argv = {"__ended_then_crash__"};
  absl::Time finishing = absl::InfinitePast();
  ProcessResult r = Release(runner_->Prepare(std::move(spec)), &finishing);
  EXPECT_NE(finishing, absl::InfinitePast());  // its slot went on: it must not run again
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_TRUE(absl::StartsWith(r.stderr_bytes, "braid: the fork server died ("))
      << r.stderr_bytes;
  EXPECT_TRUE(absl::StrContains(r.stderr_bytes, "after this process ended")) << r.stderr_bytes;
  EXPECT_EQ(runner_->servers_started(), 1);  // no second server for a rerun
}

TEST_F(ForkServerPrepareTest, NoFinishingUnlessTheChildSaysD) {
  absl::Time finishing = absl::InfinitePast();
  ProcessResult quiet = Release(runner_->Prepare(Prepared("exit 0")), &finishing);
  EXPECT_EQ(quiet.exit_code, 0);
  EXPECT_EQ(finishing, absl::InfinitePast());
  ProcessResult other = Release(runner_->Prepare(Prepared("printf X >&9; exit 0")), &finishing);
  EXPECT_EQ(other.exit_code, 0);
  EXPECT_EQ(finishing, absl::InfinitePast());  // only 'D' means finishing
  ProcessSpec late = Prepared("sleep 30; printf D >&9");
  late.timeout = absl::Milliseconds(200);
  ProcessResult killed = Release(runner_->Prepare(std::move(late)), &finishing);
  EXPECT_TRUE(killed.timed_out);
  EXPECT_EQ(finishing, absl::InfinitePast());
}

TEST_F(ForkServerPrepareTest, TheTimeoutStillAppliesAfterTheRelease) {
  ProcessSpec spec = Prepared("sleep 30");
  spec.timeout = absl::Milliseconds(300);
  uint64_t id = runner_->Prepare(std::move(spec));
  ProcessResult r = Release(id);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
}

TEST_F(ForkServerPrepareTest, ACancelledChildNeverRunsAndIsNeverReported) {
  uint64_t id = runner_->Prepare(Prepared("echo ran > ran"));
  Spin(absl::Milliseconds(200));
  ProcessResult gone;
  int calls = 0;
  runner_->CancelPrepared(id, [&](ProcessResult r) {
    gone = std::move(r);
    ++calls;
  });
  EXPECT_EQ(calls, 0);  // from the loop, once the child has ended
  // A second cancel of the same id is ignored; its callback is never called.
  runner_->CancelPrepared(id, [&](ProcessResult) { ++calls; });
  while (calls == 0) uv_run(&loop_, UV_RUN_ONCE);
  Spin(absl::Milliseconds(300));
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(gone.interrupted);
  EXPECT_FALSE(testing::Exists(dir_ / "sb/ran"));
  // The server still serves.
  EXPECT_EQ(Run(Prepared("echo again", "sb2")).stdout_bytes, "again\n");
  EXPECT_EQ(runner_->servers_started(), 1);
}

TEST_F(ForkServerPrepareTest, ADroppedRequestTheServerThenRejectsNeverRunsOnTheFallback) {
  ProcessSpec rejected = Prepared("unused");
  rejected.argv = {"__reject__"};
  uint64_t id = runner_->Prepare(std::move(rejected));
  ProcessResult gone;
  bool called = false;
  runner_->CancelPrepared(id, [&](ProcessResult r) {  // before the REJECT comes back
    gone = std::move(r);
    called = true;
  });
  while (!called) uv_run(&loop_, UV_RUN_ONCE);
  EXPECT_TRUE(gone.interrupted);
  EXPECT_EQ(gone.exit_code, -SIGKILL);
  // The fallback (LocalProcessRunner) would have tried to exec "__reject__" itself.
  EXPECT_FALSE(absl::StrContains(gone.stderr_bytes, "cannot execute")) << gone.stderr_bytes;
}

TEST_F(ForkServerPrepareTest, KillAllWhileHeldIsReportedAsInterruptedAtTheRelease) {
  uint64_t id = runner_->Prepare(Prepared("echo ran > ran"));
  Spin(absl::Milliseconds(200));
  runner_->KillAll();
  Spin(absl::Milliseconds(200));
  ProcessResult r = Release(id);
  EXPECT_TRUE(r.interrupted);
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(testing::Exists(dir_ / "sb/ran"));
}

TEST_F(ForkServerPrepareTest, RejectedOrRestartedWhileHeldStillRunsOnceReleased) {
  // Rejected: the fallback runs it, but only at the release.
  ProcessSpec rejected = Prepared("unused");
  rejected.argv = {"__reject__"};
  uint64_t a = runner_->Prepare(std::move(rejected));
  // The server crashes on the first request: it is prepared again on a fresh server.
  ProcessSpec crashing = Prepared("unused", "sb2");
  crashing.argv = {"__crash_once__", "/bin/sh", "-c", "echo second try"};
  uint64_t b = runner_->Prepare(std::move(crashing));
  Spin(absl::Milliseconds(500));
  EXPECT_TRUE(runner_->Running().empty());
  ProcessResult ra = Release(a);
  EXPECT_EQ(ra.exit_code, 127);  // LocalProcessRunner tried "__reject__" itself
  ProcessResult rb = Release(b);
  EXPECT_TRUE(rb.ok()) << rb.stderr_bytes;
  EXPECT_EQ(rb.stdout_bytes, "second try\n");
  EXPECT_EQ(runner_->servers_started(), 2);
}

}  // namespace
}  // namespace braid::exec
