#include "core/exec/interactive_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "core/base/error.h"

namespace braid::exec {

namespace {

constexpr int kForwarded[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};

// The running child, for the signal handler (0: none). One interactive process at a time.
std::atomic<pid_t> g_child{0};

void Forward(int sig, siginfo_t* info, void*) {
  // Terminal-generated signals (si_code SI_KERNEL) already reached the child through its
  // process group; only those sent to braid by kill(2)/sigqueue(3) are passed on.
  if (info == nullptr || (info->si_code != SI_USER && info->si_code != SI_QUEUE)) return;
  pid_t child = g_child.load();
  if (child > 0) ::kill(child, sig);
}

}  // namespace

int ShellExitCode(int wait_status) {
  if (WIFEXITED(wait_status)) return WEXITSTATUS(wait_status);
  if (WIFSIGNALED(wait_status)) return 128 + WTERMSIG(wait_status);
  return 1;
}

absl::StatusOr<int> RunInteractive(const InteractiveProcess& process) {
  if (process.argv.empty()) return absl::InternalError("RunInteractive: empty argv");
  // Everything the child touches between fork and exec is built first: only async-signal-safe
  // calls may follow fork in a multithreaded process.
  std::vector<char*> argv;
  for (const std::string& a : process.argv) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : process.env) env_strings.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> envp;
  for (std::string& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  // The child reports a failed chdir/exec as an errno on this pipe; exec closes it (CLOEXEC),
  // so EOF with no bytes means the program started.
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) return absl::InternalError("pipe failed");

  struct sigaction forward = {};
  forward.sa_sigaction = Forward;
  forward.sa_flags = SA_SIGINFO | SA_RESTART;
  sigemptyset(&forward.sa_mask);
  struct sigaction previous[std::size(kForwarded)];
  sigset_t block, old_mask;
  sigemptyset(&block);
  for (int sig : kForwarded) sigaddset(&block, sig);
  // Blocked across fork, so neither process runs Forward before g_child is right.
  ::sigprocmask(SIG_BLOCK, &block, &old_mask);
  for (size_t i = 0; i < std::size(kForwarded); ++i) {
    ::sigaction(kForwarded[i], &forward, &previous[i]);
  }
  pid_t pid = ::fork();
  if (pid == 0) {
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (int sig : kForwarded) ::sigaction(sig, &dfl, nullptr);
    ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
    ::close(report[0]);
    int failure[2] = {0, 0};  // {0: chdir / 1: exec, errno}
    if (::chdir(process.cwd.c_str()) != 0) {
      failure[1] = errno;
    } else {
      ::execve(argv[0], argv.data(), envp.data());
      failure[0] = 1;
      failure[1] = errno;
    }
    ssize_t ignored = ::write(report[1], failure, sizeof(failure));
    (void)ignored;
    ::_exit(127);
  }
  int fork_errno = errno;
  if (pid > 0) g_child.store(pid);
  ::sigprocmask(SIG_SETMASK, &old_mask, nullptr);
  ::close(report[1]);
  auto restore = [&] {
    g_child.store(0);
    for (size_t i = 0; i < std::size(kForwarded); ++i) {
      ::sigaction(kForwarded[i], &previous[i], nullptr);
    }
  };
  if (pid < 0) {
    ::close(report[0]);
    restore();
    return EnvironmentError(Location{process.argv[0], 0, 0, ""},
                            absl::StrCat("cannot start the process: ", std::strerror(fork_errno)));
  }
  int failure[2] = {0, 0};
  ssize_t n;
  do {
    n = ::read(report[0], failure, sizeof(failure));
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);
  int status = 0;
  pid_t waited;
  do {
    waited = ::waitpid(pid, &status, 0);
  } while (waited < 0 && errno == EINTR);
  restore();
  if (n == static_cast<ssize_t>(sizeof(failure))) {
    bool exec_failed = failure[0] == 1;
    return EnvironmentError(
        Location{exec_failed ? process.argv[0] : process.cwd, 0, 0, ""},
        absl::StrCat(exec_failed ? "cannot start the process: "
                                 : "cannot enter the working directory: ",
                     std::strerror(failure[1])));
  }
  if (waited < 0) return absl::InternalError(absl::StrCat("waitpid: ", std::strerror(errno)));
  return ShellExitCode(status);
}

}  // namespace braid::exec
