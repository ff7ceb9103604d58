// The trampoline, in fallback mode and with Linux namespaces. Namespace tests skip (with the
// reason) where the machine does not allow them; the fallback tests always run.
#include "core/exec/trampoline.h"

#include <errno.h>
#include <signal.h>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "core/exec/local_process_runner.h"
#include "core/exec/namespaces.h"
#include "core/exec/sandbox.h"
#include "core/exec/test_util.h"

namespace braid::exec {
namespace {

using testing::Exists;
using testing::ReadFile;
using testing::ScratchDir;

const SandboxCapabilities& Caps() {
  static const SandboxCapabilities caps = DetectSandboxCapabilities();
  return caps;
}

#define SKIP_WITHOUT_NAMESPACES() \
  if (!Caps().namespaces) GTEST_SKIP() << Caps().warning

class TrampolineTest : public ::testing::Test {
 protected:
  TrampolineTest() { uv_loop_init(&loop_); }
  ~TrampolineTest() override {
    uv_run(&loop_, UV_RUN_DEFAULT);
    EXPECT_EQ(uv_loop_close(&loop_), 0);
  }

  /// A sandbox spec running `script` under /bin/sh with the given isolation.
  ProcessSpec Spec(const Sandbox& sb, const std::string& script,
                   SandboxSpec::Isolation isolation = SandboxSpec::Isolation::kNamespaces) {
    ProcessSpec spec;
    spec.argv = {"/bin/sh", "-c", script};
    spec.env = {{"PATH", "/usr/bin:/bin"}};
    sb.AddTempDirEnv(spec.env);
    spec.cwd = sb.path();
    spec.sandbox.isolation = isolation;
    spec.sandbox.writable_root = sb.path();
    return spec;
  }

  std::vector<ProcessResult> RunAll(std::vector<ProcessSpec> specs) {
    LocalProcessRunner runner(&loop_, {.trampoline_exe = BRAID_EXEC_TRAMPOLINE_FOR_TEST});
    std::vector<ProcessResult> results(specs.size());
    for (size_t i = 0; i < specs.size(); ++i) {
      runner.Start(specs[i], [&results, i](ProcessResult r) { results[i] = std::move(r); });
    }
    uv_run(&loop_, UV_RUN_DEFAULT);
    return results;
  }
  ProcessResult Run(ProcessSpec spec) { return RunAll({std::move(spec)})[0]; }

  Sandbox NewSandbox() { return *Sandbox::Create(root_.path(), "braid-sandbox-"); }

  ScratchDir root_;
  uv_loop_t loop_;
};

TEST(BuildTrampolineArgv, EncodesTheSandboxSpec) {
  ProcessSpec spec;
  spec.argv = {"python3", "-m", "pytest"};
  spec.cwd = "/sb/src";
  spec.sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
  spec.sandbox.writable_root = "/sb";
  spec.sandbox.extra_writable_paths = {"/cache"};
  spec.sandbox.loopback_only_network = false;
  EXPECT_EQ(BuildTrampolineArgv(spec, "/usr/bin/braid"),
            (std::vector<std::string>{"/usr/bin/braid", "__braid_sandbox_exec", "--root=/sb",
                                      "--writable=/cache", "--host-network", "--cwd=/sb/src",
                                      "--", "python3", "-m", "pytest"}));
  spec.sandbox.isolation = SandboxSpec::Isolation::kNone;
  EXPECT_EQ(BuildTrampolineArgv(spec, "/b"),
            (std::vector<std::string>{"/b", "__braid_sandbox_exec", "--no-namespaces",
                                      "--cwd=/sb/src", "--", "python3", "-m", "pytest"}));
}

TEST(CurrentExecutablePath, IsThisTestBinary) {
  absl::StatusOr<std::string> exe = CurrentExecutablePath();
  ASSERT_TRUE(exe.ok());
  EXPECT_TRUE(absl::EndsWith(*exe, "/exec_test")) << *exe;
}

TEST(Detect, ReportsOneWarningExactlyWhenFallingBack) {
  const SandboxCapabilities& caps = Caps();
  if (caps.namespaces) {
    EXPECT_EQ(caps.warning, "");
  } else {
    EXPECT_TRUE(absl::StartsWith(caps.warning, "Linux namespaces are unavailable (")) << caps.warning;
    EXPECT_EQ(caps.warning.find('\n'), std::string::npos);
  }
}

TEST(Detect, FallbackWarningIsOneLineNamingTheReason) {
  EXPECT_EQ(NamespaceFallbackWarning("unshare(CLONE_NEWUSER): Operation not permitted"),
            "Linux namespaces are unavailable (unshare(CLONE_NEWUSER): Operation not permitted), "
            "so processes run in plain sandbox directories without isolation: they can write "
            "outside their sandbox, reach the network, and parallel tests may collide on ports.");
}

TEST_F(TrampolineTest, NamespacedSpecWithoutTrampolineBinaryIsAnError) {
  Sandbox sb = NewSandbox();
  LocalProcessRunner runner(&loop_);
  ProcessResult r;
  runner.Start(Spec(sb, "true"), [&](ProcessResult got) { r = std::move(got); });
  uv_run(&loop_, UV_RUN_DEFAULT);
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.stderr_bytes,
            "braid: namespace isolation was requested but no trampoline binary is set\n");
}

TEST_F(TrampolineTest, FallbackModeRunsInThePlainDirectory) {
  Sandbox sb = NewSandbox();
  ProcessSpec spec = Spec(sb, "pwd; echo hi > out.txt; echo \"$TMPDIR\"; exit 4",
                          SandboxSpec::Isolation::kNone);
  // Through the trampoline binary explicitly (the runner spawns kNone specs directly).
  spec.argv = BuildTrampolineArgv(spec, BRAID_EXEC_TRAMPOLINE_FOR_TEST);
  ProcessResult r = Run(spec);
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_EQ(r.stdout_bytes, sb.path() + "\n" + sb.tmp_dir() + "\n");
  EXPECT_EQ(ReadFile(sb.path() + "/out.txt"), "hi\n");
}

TEST_F(TrampolineTest, FallbackModeCanWriteOutsideTheSandbox) {
  // Documents what the warning is about: no isolation without namespaces.
  Sandbox sb = NewSandbox();
  std::string outside = root_ / "outside.txt";
  ProcessResult r = Run(Spec(sb, "echo x > " + outside, SandboxSpec::Isolation::kNone));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(Exists(outside));
}

TEST_F(TrampolineTest, ReportsUnknownOptionsAndSetupFailuresWith125) {
  Sandbox sb = NewSandbox();
  ProcessSpec spec = Spec(sb, "true");
  spec.argv = {BRAID_EXEC_TRAMPOLINE_FOR_TEST, kSandboxTrampolineArg, "--bogus", "--", "true"};
  spec.sandbox.isolation = SandboxSpec::Isolation::kNone;
  ProcessResult r = Run(spec);
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.stderr_bytes, "braid sandbox: unknown option '--bogus'\n");

  spec = Spec(sb, "true");
  spec.sandbox.writable_root = root_ / "missing";
  r = Run(spec);
  EXPECT_EQ(r.exit_code, 125);
  EXPECT_EQ(r.stderr_bytes, "braid sandbox: cannot set up namespaces: writable path " +
                                (root_ / "missing") + ": No such file or directory\n");
}

TEST_F(TrampolineTest, NamespacedWriteOutsideTheSandboxFailsWithEROFS) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox sb = NewSandbox();
  std::string outside = root_ / "escaped.txt";
  ProcessResult r = Run(Spec(sb, "echo x > inside.txt && echo inside-ok; "
                                 "echo x > " + outside + "; echo \"rc=$?\"; "
                                 "echo x > \"$TMPDIR/t\" && echo tmp-ok"));
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(r.stdout_bytes, "inside-ok\nrc=2\ntmp-ok\n");
  EXPECT_TRUE(absl::StrContains(r.stderr_bytes, "Read-only file system")) << r.stderr_bytes;
  EXPECT_FALSE(Exists(outside));
  EXPECT_EQ(ReadFile(sb.path() + "/inside.txt"), "x\n");
}

// Repository inputs (read-only or not) are copies: a process that chmods and rewrites its
// inputs changes only the sandbox, with or without namespaces.
TEST_F(TrampolineTest, ChmodAndWriteOfInputsCannotReachTheRepository) {
  std::string repo = root_ / "repo";
  ASSERT_EQ(mkdir(repo.c_str(), 0755), 0);
  testing::WriteFile(repo + "/a.py", "a = 1\n");
  testing::WriteFile(repo + "/b.py", "b = 2\n");
  ASSERT_EQ(chmod((repo + "/b.py").c_str(), 0444), 0);
  const std::string attack =
      "chmod 666 src/a.py src/b.py && echo evil > src/a.py && echo evil > src/b.py && "
      "cat src/a.py src/b.py";
  std::vector<SandboxSpec::Isolation> modes = {SandboxSpec::Isolation::kNone};
  if (Caps().namespaces) modes.push_back(SandboxSpec::Isolation::kNamespaces);
  for (SandboxSpec::Isolation mode : modes) {
    Sandbox sb = NewSandbox();
    ASSERT_TRUE(sb.Materialize({{"src/a.py", LocalFile{repo + "/a.py"}, false},
                                {"src/b.py", LocalFile{repo + "/b.py"}, false}})
                    .ok());
    ProcessResult r = Run(Spec(sb, attack, mode));
    EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
    EXPECT_EQ(r.stdout_bytes, "evil\nevil\n");
    EXPECT_EQ(ReadFile(repo + "/a.py"), "a = 1\n");
    EXPECT_EQ(ReadFile(repo + "/b.py"), "b = 2\n");
    struct stat st;
    ASSERT_EQ(stat((repo + "/b.py").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0444u);
  }
  if (Caps().namespaces) {
    // And the repository itself is read-only inside the namespaces.
    Sandbox sb = NewSandbox();
    ProcessResult r = Run(Spec(sb, "chmod 666 " + repo + "/b.py; echo evil > " + repo +
                                       "/a.py; echo \"rc=$?\""));
    EXPECT_EQ(r.stdout_bytes, "rc=2\n");
    EXPECT_EQ(ReadFile(repo + "/a.py"), "a = 1\n");
    struct stat st;
    ASSERT_EQ(stat((repo + "/b.py").c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 07777, 0444u);
  }
}

TEST_F(TrampolineTest, NamespacedExtraWritablePathsStayWritable) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox sb = NewSandbox();
  std::string cache = root_ / "named_cache";
  ASSERT_EQ(mkdir(cache.c_str(), 0755), 0);
  ProcessSpec spec = Spec(sb, "echo cached > " + cache + "/entry && echo ok");
  spec.sandbox.extra_writable_paths = {cache};
  ProcessResult r = Run(spec);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(ReadFile(cache + "/entry"), "cached\n");
}

TEST_F(TrampolineTest, NamespacedNetworkIsLoopbackOnly) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox sb = NewSandbox();
  ProcessSpec spec = Spec(sb, "");
  spec.argv = {"python3", "-c", R"(
import errno, socket
s = socket.socket()
try:
    s.connect(("1.1.1.1", 80))
    print("outside reachable")
except OSError as e:
    print("outside", errno.errorcode[e.errno])
server = socket.socket()
server.bind(("127.0.0.1", 0))
server.listen()
client = socket.create_connection(server.getsockname(), timeout=5)
conn, _ = server.accept()
client.sendall(b"ping")
print("loopback", conn.recv(4).decode())
)"};
  ProcessResult r = Run(spec);
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_EQ(r.stdout_bytes, "outside ENETUNREACH\nloopback ping\n");
}

constexpr char kBindFixedPort[] = R"(
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 18765))
s.listen()
print("bound", flush=True)
time.sleep(1)
)";

TEST_F(TrampolineTest, ParallelProcessesBindTheSameFixedPort) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox a = NewSandbox();
  Sandbox b = NewSandbox();
  ProcessSpec spec_a = Spec(a, "");
  spec_a.argv = {"python3", "-c", kBindFixedPort};
  ProcessSpec spec_b = Spec(b, "");
  spec_b.argv = spec_a.argv;
  std::vector<ProcessResult> results = RunAll({spec_a, spec_b});
  for (const ProcessResult& r : results) {
    EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
    EXPECT_EQ(r.stdout_bytes, "bound\n");
  }
  // They really overlapped: each started before the other ended.
  EXPECT_LT(results[0].start, results[1].end);
  EXPECT_LT(results[1].start, results[0].end);
}

TEST_F(TrampolineTest, WithoutNamespacesTheSamePortsCollide) {
  // The control experiment for the test above.
  Sandbox a = NewSandbox();
  Sandbox b = NewSandbox();
  ProcessSpec spec_a = Spec(a, "", SandboxSpec::Isolation::kNone);
  spec_a.argv = {"python3", "-c", kBindFixedPort};
  ProcessSpec spec_b = Spec(b, "", SandboxSpec::Isolation::kNone);
  spec_b.argv = spec_a.argv;
  std::vector<ProcessResult> results = RunAll({spec_a, spec_b});
  int failures = (results[0].exit_code != 0) + (results[1].exit_code != 0);
  EXPECT_GE(failures, 1);
  EXPECT_TRUE(absl::StrContains(results[0].stderr_bytes + results[1].stderr_bytes,
                                "Address already in use"));
}

TEST_F(TrampolineTest, NamespacedProcessSeesItsOwnPidNamespaceAndTmpdir) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox sb = NewSandbox();
  ProcessResult r = Run(Spec(sb, "echo $$; mktemp; id -u; ls /proc | grep -c '^[0-9]'"));
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  std::vector<std::string> lines = absl::StrSplit(r.stdout_bytes, '\n');
  ASSERT_GE(lines.size(), 4u) << r.stdout_bytes;
  EXPECT_EQ(lines[0], "2");  // PID 1 is the trampoline's init
  EXPECT_TRUE(absl::StartsWith(lines[1], sb.tmp_dir() + "/tmp.")) << lines[1];
  EXPECT_EQ(lines[2], std::to_string(geteuid()));  // uid mapped to itself
  if (Caps().proc_mount) {
    // init, sh, ls, grep: a fresh /proc shows only this namespace.
    EXPECT_EQ(lines[3], "4");
  }
}

TEST_F(TrampolineTest, NamespacedProcessHasItsOwnIpcNamespace) {
  SKIP_WITHOUT_NAMESPACES();
  // System V objects and POSIX message queues keyed by, say, a slot number stay private.
  char host[256] = {};
  ASSERT_GT(readlink("/proc/self/ns/ipc", host, sizeof(host) - 1), 0);
  Sandbox sb = NewSandbox();
  ProcessResult r = Run(Spec(sb, "readlink /proc/self/ns/ipc"));
  EXPECT_EQ(r.exit_code, 0) << r.stderr_bytes;
  EXPECT_TRUE(absl::StartsWith(r.stdout_bytes, "ipc:[")) << r.stdout_bytes;
  EXPECT_NE(r.stdout_bytes, absl::StrCat(host, "\n"));
}

TEST_F(TrampolineTest, NamespacedExitCodesAndSignalsAreMirrored) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox sb = NewSandbox();
  EXPECT_EQ(Run(Spec(sb, "exit 7")).exit_code, 7);
  ProcessResult killed = Run(Spec(sb, "kill -TERM $$"));
  EXPECT_EQ(killed.signal, SIGTERM);
  EXPECT_EQ(killed.exit_code, -SIGTERM);
  ProcessSpec missing = Spec(sb, "");
  missing.argv = {"no-such-tool"};
  ProcessResult r = Run(missing);
  EXPECT_EQ(r.exit_code, 127);
  EXPECT_EQ(r.stderr_bytes, "braid sandbox: cannot execute 'no-such-tool': No such file or "
                            "directory\n");
}

TEST_F(TrampolineTest, NamespacedTimeoutKillsEverythingInside) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox sb = NewSandbox();
  ProcessSpec spec = Spec(sb, "sleep 100 & sleep 100 & wait");
  spec.timeout = absl::Milliseconds(500);
  ProcessResult r = Run(spec);
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.signal, SIGKILL);
  absl::Time deadline = absl::Now() + absl::Seconds(3);
  while (testing::ProcessesIn(sb.path()) > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(testing::ProcessesIn(sb.path()), 0);
}

TEST_F(TrampolineTest, DaemonsDieWhenTheNamespacedProcessExits) {
  SKIP_WITHOUT_NAMESPACES();
  Sandbox sb = NewSandbox();
  // setsid escapes the process group; the pid namespace still takes it down.
  absl::Time before = absl::Now();
  ProcessResult r = Run(Spec(sb, "setsid sleep 100 > /dev/null 2>&1 & echo started"));
  EXPECT_LT(absl::Now() - before, absl::Seconds(5));
  EXPECT_EQ(r.stdout_bytes, "started\n");
  absl::Time deadline = absl::Now() + absl::Seconds(3);
  while (testing::ProcessesIn(sb.path()) > 0 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  EXPECT_EQ(testing::ProcessesIn(sb.path()), 0);
}

TEST_F(TrampolineTest, RunScriptReproducesTheProcess) {
  Sandbox sb = NewSandbox();
  ASSERT_TRUE(sb.Materialize({{"tool.sh", FileBytes{"echo \"$GREETING from $(pwd)\"\n"}, true}})
                  .ok());
  ProcessSpec spec = Spec(sb, "");
  spec.argv = {"/bin/sh", "tool.sh"};
  spec.env["GREETING"] = "it's me";
  spec.sandbox.isolation =
      Caps().namespaces ? SandboxSpec::Isolation::kNamespaces : SandboxSpec::Isolation::kNone;
  ProcessResult original = Run(spec);
  ASSERT_EQ(original.exit_code, 0) << original.stderr_bytes;
  EXPECT_EQ(original.stdout_bytes, "it's me from " + sb.path() + "\n");
  ASSERT_TRUE(sb.WriteRunScript(spec).ok());

  ProcessSpec rerun;
  rerun.argv = {"/bin/bash", sb.path() + "/__run.sh"};
  rerun.env = {{"PATH", "/usr/bin:/bin"}, {"GREETING", "someone else"}};
  rerun.cwd = root_.path();
  ProcessResult again = Run(rerun);
  EXPECT_EQ(again.exit_code, 0) << again.stderr_bytes;
  EXPECT_EQ(again.stdout_bytes, original.stdout_bytes);
}

}  // namespace
}  // namespace braid::exec
