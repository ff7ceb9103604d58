#include "core/exec/trampoline.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/exec/namespaces.h"

namespace braid::exec {
namespace {

constexpr absl::string_view kRoot = "--root=";
constexpr absl::string_view kWritable = "--writable=";
constexpr absl::string_view kCwd = "--cwd=";
constexpr absl::string_view kHostNetwork = "--host-network";
constexpr absl::string_view kNoNamespaces = "--no-namespaces";

void PrintError(absl::string_view message) {
  std::string line = absl::StrCat("braid sandbox: ", message, "\n");
  (void)!write(STDERR_FILENO, line.data(), line.size());
}

// Ends this process the way `status` (a wait status) says its child ended.
int MirrorStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    struct rlimit no_core = {0, 0};
    setrlimit(RLIMIT_CORE, &no_core);  // P already dumped core if it was going to
    signal(sig, SIG_DFL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, sig);
    sigprocmask(SIG_UNBLOCK, &set, nullptr);
    raise(sig);
    return 128 + sig;  // the signal was ignored or non-fatal
  }
  return kSandboxSetupFailedExitCode;
}

}  // namespace

std::vector<std::string> BuildTrampolineArgv(const ProcessSpec& spec, absl::string_view self_exe) {
  std::vector<std::string> argv = {std::string(self_exe), kSandboxTrampolineArg};
  if (spec.sandbox.isolation == SandboxSpec::Isolation::kNone) {
    argv.emplace_back(kNoNamespaces);
  } else {
    if (!spec.sandbox.writable_root.empty()) {
      argv.push_back(absl::StrCat(kRoot, spec.sandbox.writable_root));
    }
    for (const std::string& w : spec.sandbox.extra_writable_paths) {
      argv.push_back(absl::StrCat(kWritable, w));
    }
    if (!spec.sandbox.loopback_only_network) argv.emplace_back(kHostNetwork);
  }
  if (!spec.cwd.empty()) argv.push_back(absl::StrCat(kCwd, spec.cwd));
  argv.emplace_back("--");
  argv.insert(argv.end(), spec.argv.begin(), spec.argv.end());
  return argv;
}

absl::StatusOr<std::string> CurrentExecutablePath() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n < 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read /proc/self/exe: ", strerror(errno)));
  }
  return std::string(buf, static_cast<size_t>(n));
}

void ExecOrDie(const std::vector<std::string>& argv, const std::string& cwd) {
  if (!cwd.empty() && chdir(cwd.c_str()) != 0) {
    PrintError(absl::StrCat("cannot change directory to '", cwd, "': ", strerror(errno)));
    _exit(kSandboxSetupFailedExitCode);
  }
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  // Signals forwarded by the trampoline must reach the process with default dispositions.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  execvp(args[0], args.data());
  int err = errno;
  PrintError(absl::StrCat("cannot execute '", argv[0], "': ", strerror(err)));
  _exit(err == ENOENT ? 127 : 126);
}

int RunSandboxTrampoline(int argc, char** argv) {
  SandboxSpec sandbox;
  sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
  std::string cwd;
  int i = 2;
  for (; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (absl::StartsWith(arg, kRoot)) {
      sandbox.writable_root = std::string(arg.substr(kRoot.size()));
    } else if (absl::StartsWith(arg, kWritable)) {
      sandbox.extra_writable_paths.emplace_back(arg.substr(kWritable.size()));
    } else if (absl::StartsWith(arg, kCwd)) {
      cwd = std::string(arg.substr(kCwd.size()));
    } else if (arg == kHostNetwork) {
      sandbox.loopback_only_network = false;
    } else if (arg == kNoNamespaces) {
      sandbox.isolation = SandboxSpec::Isolation::kNone;
    } else {
      PrintError(absl::StrCat("unknown option '", arg, "'"));
      return kSandboxSetupFailedExitCode;
    }
  }
  if (i >= argc) {
    PrintError("no command given after '--'");
    return kSandboxSetupFailedExitCode;
  }
  std::vector<std::string> command(argv + i, argv + argc);

  if (sandbox.isolation == SandboxSpec::Isolation::kNone) ExecOrDie(command, cwd);

  // T dies with braid (kill -9 of braid included), and I dies with T, which tears the pid
  // namespace down: no test keeps running after the braid that started it is gone. The
  // getppid() check closes the race of braid dying before prctl.
  pid_t parent = getppid();
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) return kSandboxSetupFailedExitCode;

  if (absl::Status s = SetUpSandboxNamespaces(sandbox); !s.ok()) {
    PrintError(absl::StrCat("cannot set up namespaces: ", s.message()));
    return kSandboxSetupFailedExitCode;
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    PrintError(absl::StrCat("pipe: ", strerror(errno)));
    return kSandboxSetupFailedExitCode;
  }
  pid_t init = fork();
  if (init < 0) {
    PrintError(absl::StrCat("fork: ", strerror(errno)));
    return kSandboxSetupFailedExitCode;
  }
  if (init == 0) {
    // I: PID 1 of the new pid namespace. Die with T so the namespace never outlives it.
    close(fds[0]);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    // Without a fresh /proc the process sees the host's (read-only); Detect reported that.
    (void)MountProcForPidNamespace();
    pid_t target = fork();
    if (target < 0) {
      PrintError(absl::StrCat("fork: ", strerror(errno)));
      _exit(kSandboxSetupFailedExitCode);
    }
    if (target == 0) {
      close(fds[1]);
      ExecOrDie(command, cwd);
    }
    int status = RunPidNamespaceInit(target);
    (void)!write(fds[1], &status, sizeof(status));
    _exit(0);
  }
  close(fds[1]);
  ForwardSignalsTo(init);
  int init_status = 0;
  while (waitpid(init, &init_status, 0) < 0) {
    if (errno != EINTR) {
      PrintError(absl::StrCat("waitpid: ", strerror(errno)));
      return kSandboxSetupFailedExitCode;
    }
  }
  int status = 0;
  ssize_t n;
  do {
    n = read(fds[0], &status, sizeof(status));
  } while (n < 0 && errno == EINTR);
  close(fds[0]);
  // I was killed before P ended: report I's own end.
  if (n != static_cast<ssize_t>(sizeof(status))) status = init_status;
  return MirrorStatus(status);
}

}  // namespace braid::exec
