// A minimal fork server in C++ for the ForkServerRunner tests: it execs each request's argv in
// a forked child (with namespaces when asked, through SetUpSandboxNamespaces), so the runner's
// plumbing is tested without Python. Test hooks, by argv[0] of a request:
//   __reject__        -> REJECT
//   __crash__         -> the server exits with code 3 (every time)
//   __ended_then_crash__ (PREPARE) -> once released, writes 'D' on the gate (the child
//                        ended), then the server exits 3 without an EXIT
//   __crash_once__ X  -> the first time (marker file $FAKE_SERVER_MARKER absent) the server
//                        creates the marker and exits 3; later it runs X... normally
// With $FAKE_SERVER_FAIL_START set it fails its start-up: one line on stderr, exit 125, no
// READY; with $FAKE_SERVER_FAIL_START_ONCE=FILE it does so when it can delete FILE.
// PREPARE requests fork the child at once; it waits for its gate's byte before it execs (end
// of file on the gate: it exits 125), so a test can tell a held child from a released one.
// The released child keeps the gate as descriptor 9, so its script can answer on it
// (`printf D >&9`: kGateFinishing).
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <map>
#include <string>
#include <vector>

#include "core/exec/fork_server_protocol.h"
#include "core/exec/namespaces.h"
#include "core/exec/trampoline.h"

namespace {

using braid::exec::ForkServerRun;

void Reply(const std::string& packet) {
  (void)!send(braid::exec::kForkServerControlFd, packet.data(), packet.size(), MSG_NOSIGNAL);
}

[[noreturn]] void Child(const ForkServerRun& run, std::vector<std::string> argv, int out,
                        int err, int gate) {
  setsid();
  if (gate >= 0) {
    char go = 0;
    ssize_t n;
    while ((n = read(gate, &go, 1)) < 0 && errno == EINTR) {
    }
    if (n != 1) _exit(125);
    if (gate != 9) {
      dup2(gate, 9);  // without O_CLOEXEC: the script writes on it
      close(gate);
    }
  }
  dup2(out, 1);
  dup2(err, 2);
  close(out);
  close(err);
  close(braid::exec::kForkServerControlFd);
  if (run.sandbox.isolation == braid::exec::SandboxSpec::Isolation::kNamespaces) {
    if (absl::Status s = braid::exec::SetUpSandboxNamespaces(run.sandbox); !s.ok()) {
      std::string line = "fake server: " + std::string(s.message()) + "\n";
      (void)!write(2, line.data(), line.size());
      _exit(125);
    }
  }
  clearenv();
  for (const std::string& e : run.env) putenv(strdup(e.c_str()));
  braid::exec::ExecOrDie(argv, run.cwd);
}

}  // namespace

int main() {
  std::string marker = getenv("FAKE_SERVER_MARKER") ? getenv("FAKE_SERVER_MARKER") : "";
  const char* once = getenv("FAKE_SERVER_FAIL_START_ONCE");
  if (getenv("FAKE_SERVER_FAIL_START") != nullptr || (once != nullptr && unlink(once) == 0)) {
    const char line[] = "fake server: cannot start\n";
    (void)!write(2, line, sizeof(line) - 1);
    return 125;
  }
  Reply(braid::exec::EncodeForkServerReady());
  std::map<uint64_t, pid_t> children;
  char buf[1 << 17];
  for (;;) {
    int status = 0;
    pid_t done;
    while ((done = waitpid(-1, &status, WNOHANG)) > 0) {
      for (auto it = children.begin(); it != children.end(); ++it) {
        if (it->second != done) continue;
        kill(-done, SIGKILL);
        Reply(braid::exec::EncodeForkServerExit(it->first, status));
        children.erase(it);
        break;
      }
    }
    struct pollfd p = {braid::exec::kForkServerControlFd, POLLIN, 0};
    if (poll(&p, 1, 5) <= 0) continue;
    struct msghdr msg = {};
    struct iovec iov = {buf, sizeof(buf)};
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * 4)];
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
    ssize_t n = recvmsg(braid::exec::kForkServerControlFd, &msg, 0);
    if (n <= 0) {
      for (auto& [id, pid] : children) kill(-pid, SIGKILL);
      return 0;
    }
    std::vector<int> fds;
    for (struct cmsghdr* cm = CMSG_FIRSTHDR(&msg); cm != nullptr; cm = CMSG_NXTHDR(&msg, cm)) {
      if (cm->cmsg_type != SCM_RIGHTS) continue;
      size_t count = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
      int* data = reinterpret_cast<int*>(CMSG_DATA(cm));
      fds.insert(fds.end(), data, data + count);
    }
    std::string packet(buf, static_cast<size_t>(n));
    if (absl::StatusOr<uint64_t> kill_id = braid::exec::DecodeForkServerKill(packet); kill_id.ok()) {
      if (auto it = children.find(*kill_id); it != children.end()) {
        kill(-it->second, SIGKILL);  // its group, and the child itself in case it has not
        kill(it->second, SIGKILL);   // called setsid() yet
      }
      continue;
    }
    absl::StatusOr<ForkServerRun> run = braid::exec::DecodeForkServerRun(packet);
    if (!run.ok() || fds.size() != (run->prepare ? 3u : 2u)) return 2;
    std::vector<std::string> argv = run->argv;
    if (argv[0] == "__reject__") {
      Reply(braid::exec::EncodeForkServerReject(run->id, "rejected for the test"));
    } else if (argv[0] == "__crash__") {
      return 3;
    } else if (argv[0] == "__ended_then_crash__" && run->prepare) {
      // As if the child ended (exit 0, 'D' on its gate) and the server died before EXIT.
      char go = 0;
      if (read(fds[2], &go, 1) == 1) {
        (void)!write(fds[2], "D", 1);
        usleep(200 * 1000);  // braid reads the 'D' before it sees the server go
      }
      return 3;
    } else {
      if (argv[0] == "__crash_once__") {
        if (access(marker.c_str(), F_OK) != 0) {
          close(open(marker.c_str(), O_CREAT | O_WRONLY, 0644));
          return 3;
        }
        argv.erase(argv.begin());
      }
      pid_t pid = fork();
      if (pid == 0) Child(*run, argv, fds[0], fds[1], run->prepare ? fds[2] : -1);
      children[run->id] = pid;
    }
    for (int fd : fds) close(fd);
  }
}
