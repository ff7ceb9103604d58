#include "core/exec/namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/exec/sandbox.h"

namespace braid::exec {
namespace {

absl::Status Errno(absl::string_view what) {
  return absl::FailedPreconditionError(absl::StrCat(what, ": ", strerror(errno)));
}

absl::Status WriteProcFile(const char* path, absl::string_view content) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return Errno(absl::StrCat("open ", path));
  ssize_t n = write(fd, content.data(), content.size());
  int err = errno;
  close(fd);
  if (n != static_cast<ssize_t>(content.size())) {
    errno = err;
    return Errno(absl::StrCat("write ", path));
  }
  return absl::OkStatus();
}

// In a new user namespace: maps `uid` and `gid` (the caller's, outside) to themselves, with
// setgroups denied (required before an unprivileged gid_map).
absl::Status MapToItself(uid_t uid, gid_t gid) {
  if (absl::Status s = WriteProcFile("/proc/self/setgroups", "deny"); !s.ok()) return s;
  if (absl::Status s = WriteProcFile("/proc/self/uid_map", absl::StrCat(uid, " ", uid, " 1\n"));
      !s.ok()) {
    return s;
  }
  return WriteProcFile("/proc/self/gid_map", absl::StrCat(gid, " ", gid, " 1\n"));
}

// Whether the mount of / is read-only here. Asked of the mount (statvfs), not through
// access(2): for a user other than root, access("/", W_OK) fails with EACCES (permissions are
// checked before the mount's read-only flag), which says nothing about the remount.
bool RootIsReadOnly() {
  struct statvfs sv;
  return statvfs("/", &sv) == 0 && (sv.f_flag & ST_RDONLY) != 0;
}

std::string ReadSmallFile(const char* path) {
  std::ifstream in(path);
  if (!in) return "";
  std::stringstream ss;
  ss << in.rdbuf();
  return std::string(absl::StripAsciiWhitespace(ss.str()));
}

absl::Status BringUpLoopback() {
  int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return Errno("socket");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof(ifr));
  strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
  absl::Status status = absl::OkStatus();
  if (ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) {
    status = Errno("ioctl(SIOCGIFFLAGS, lo)");
  } else {
    ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
    if (ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) status = Errno("ioctl(SIOCSIFFLAGS, lo)");
  }
  close(fd);
  return status;
}

// Mount points are octal-escaped in /proc/self/mountinfo (" " is "\040").
std::string UnescapeMountPath(absl::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() && s[i + 1] >= '0' && s[i + 1] <= '3') {
      out += static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool IsAtOrUnder(absl::string_view path, absl::string_view dir) {
  return path == dir || (absl::StartsWith(path, dir) && path.size() > dir.size() &&
                         path[dir.size()] == '/');
}

// A user namespace may not clear these flags of mounts it inherited ("locked"), so a
// read-only remount must repeat them.
unsigned long LockedFlags(const struct statvfs& sv) {
  unsigned long flags = 0;
  if (sv.f_flag & ST_NOSUID) flags |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) flags |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) flags |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) flags |= MS_RELATIME;
  return flags;
}

absl::Status RemountAllReadOnlyExcept(const std::vector<std::string>& writable) {
  std::ifstream in("/proc/self/mountinfo");
  if (!in) return Errno("open /proc/self/mountinfo");
  std::vector<std::string> mount_points;
  std::string line;
  while (std::getline(in, line)) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, ' ');
    if (fields.size() < 5) continue;
    mount_points.push_back(UnescapeMountPath(fields[4]));
  }
  for (const std::string& mp : mount_points) {
    bool keep_writable = false;
    for (const std::string& w : writable) keep_writable |= IsAtOrUnder(mp, w);
    if (keep_writable) continue;
    struct statvfs sv;
    // Unreachable (overmounted) mount points are invisible to the process anyway.
    if (statvfs(mp.c_str(), &sv) != 0) continue;
    if (sv.f_flag & ST_RDONLY) continue;
    unsigned long flags = MS_REMOUNT | MS_BIND | MS_RDONLY | LockedFlags(sv);
    if (mount(nullptr, mp.c_str(), nullptr, flags, nullptr) != 0) {
      if (mp != "/" && (errno == EACCES || errno == ENOENT || errno == ESTALE)) continue;
      return Errno(absl::StrCat("remount ", mp, " read-only"));
    }
  }
  return absl::OkStatus();
}

volatile pid_t g_forward_to = 0;

// Mounts a private tmpfs on /dev/shm, keeping `writable` paths below it visible.
absl::Status MountPrivateDevShm(const std::vector<std::string>& writable);

void ForwardSignal(int sig) {
  int saved = errno;
  if (g_forward_to > 0) kill(g_forward_to, sig);
  errno = saved;
}

}  // namespace

void ForwardSignalsTo(pid_t pid) {
  g_forward_to = pid;
  struct sigaction sa;
  memset(&sa, 0, sizeof(sa));
  sa.sa_handler = ForwardSignal;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2}) {
    sigaction(sig, &sa, nullptr);
  }
}

absl::Status SetUpSandboxNamespaces(const SandboxSpec& spec) {
  std::vector<std::string> writable;
  std::vector<std::string> requested = spec.extra_writable_paths;
  if (!spec.writable_root.empty()) requested.insert(requested.begin(), spec.writable_root);
  for (const std::string& p : requested) {
    char* real = realpath(p.c_str(), nullptr);
    if (real == nullptr) return Errno(absl::StrCat("writable path ", p));
    writable.emplace_back(real);
    free(real);
    if (writable.back() == "/") {
      return absl::InvalidArgumentError("the writable path of a sandbox cannot be /");
    }
  }

  uid_t uid = geteuid();
  gid_t gid = getegid();
  // IPC too: System V objects and POSIX message queues keyed by a slot number stay private.
  int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC;
  if (spec.loopback_only_network) flags |= CLONE_NEWNET;
  if (unshare(flags) != 0) {
    return Errno(absl::StrCat("unshare(CLONE_NEWUSER|CLONE_NEWNS|CLONE_NEWPID|CLONE_NEWIPC",
                              spec.loopback_only_network ? "|CLONE_NEWNET" : "", ")"));
  }
  if (absl::Status s = MapToItself(uid, gid); !s.ok()) return s;
  if (spec.loopback_only_network) {
    if (absl::Status s = BringUpLoopback(); !s.ok()) return s;
  }
  // Nothing we mount may propagate back to the host's mount namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return Errno("make / private");
  }
  for (const std::string& w : writable) {
    if (mount(w.c_str(), w.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      return Errno(absl::StrCat("bind-mount ", w));
    }
  }
  if (absl::Status s = RemountAllReadOnlyExcept(writable); !s.ok()) return s;
  return MountPrivateDevShm(writable);
}

namespace {

absl::Status MountPrivateDevShm(const std::vector<std::string>& writable) {
  // A private, writable /dev/shm: Python's multiprocessing needs it, and it must not be
  // shared between parallel processes. Best effort: without it /dev/shm is read-only.
  constexpr absl::string_view kShm = "/dev/shm";
  std::vector<std::pair<std::string, int>> carried;  // writable paths below /dev/shm
  for (const std::string& w : writable) {
    if (w == kShm) return absl::OkStatus();  // already writable (and the caller's choice)
    if (!absl::StartsWith(w, absl::StrCat(kShm, "/"))) continue;
    // The new tmpfs would hide it (a local_execution_root_dir on /dev/shm): keep a handle
    // to bind it again inside the new tmpfs.
    int fd = open(w.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      absl::Status s = Errno(absl::StrCat("open writable path ", w));
      for (auto& [path, open_fd] : carried) close(open_fd);
      return s;
    }
    carried.emplace_back(w, fd);
  }
  absl::Status result = absl::OkStatus();
  if (mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777") == 0) {
    for (const auto& [path, fd] : carried) {
      std::string so_far;
      for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
        absl::StrAppend(&so_far, "/", part);
        if (so_far.size() > kShm.size()) (void)mkdir(so_far.c_str(), 0755);
      }
      std::string source = absl::StrCat("/proc/self/fd/", fd);
      if (mount(source.c_str(), path.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
        result = Errno(absl::StrCat("bind-mount ", path, " inside the private /dev/shm"));
        break;
      }
    }
  }  // else: without the new tmpfs nothing hides them; they stay bound as above.
  for (auto& [path, fd] : carried) close(fd);
  return result;
}

}  // namespace

absl::StatusOr<std::string> EnterPrivateSandboxTmpfs(const std::string& parent) {
  const uid_t uid = geteuid();
  const gid_t gid = getegid();
  if (parent.empty() || parent[0] != '/') {
    return absl::InvalidArgumentError(absl::StrCat("not an absolute directory: '", parent, "'"));
  }
  char* real = realpath(parent.c_str(), nullptr);
  if (real == nullptr) return Errno(absl::StrCat("resolve ", parent));
  const std::string dir = absl::StrCat(real, real[1] == '\0' ? "" : "/", "braid-sandboxes-", uid);
  free(real);
  // Root needs no user namespace (and one would hide files owned by other users from it).
  const int flags = CLONE_NEWNS | (uid == 0 ? 0 : CLONE_NEWUSER);
  if (unshare(flags) != 0) {
    return Errno(uid == 0 ? "unshare(CLONE_NEWNS)" : "unshare(CLONE_NEWUSER|CLONE_NEWNS)");
  }
  if (uid != 0) {
    if (absl::Status s = MapToItself(uid, gid); !s.ok()) return s;
  }
  // The tmpfs must not propagate to the host's mount namespace.
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return Errno("make / private");
  }
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return Errno(absl::StrCat("mkdir ", dir));
  struct stat st;
  if (lstat(dir.c_str(), &st) != 0) return Errno(absl::StrCat("stat ", dir));
  if (!S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " is not a directory"));
  }
  if (mount("braid-sandboxes", dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0) {
    return Errno(absl::StrCat("mount a tmpfs on ", dir));
  }
  return dir;
}

absl::Status MountProcForPidNamespace() {
  if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
    return Errno("mount /proc");
  }
  return absl::OkStatus();
}

int RunPidNamespaceInit(pid_t target) {
  ForwardSignalsTo(target);
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid == target) return status;
    if (pid < 0 && errno != EINTR) return W_EXITCODE(125, 0);  // target vanished: a bug
  }
}

std::string NamespaceFallbackWarning(absl::string_view reason) {
  return absl::StrCat(
      "Linux namespaces are unavailable (", reason,
      "), so processes run in plain sandbox directories without isolation: they can write "
      "outside their sandbox, reach the network, and parallel tests may collide on ports.");
}

SandboxCapabilities DetectSandboxCapabilities() {
  SandboxCapabilities caps;
  auto fail = [&](absl::string_view reason) {
    caps.namespaces = false;
    caps.warning = NamespaceFallbackWarning(reason);
    return caps;
  };
  if (ReadSmallFile("/proc/sys/user/max_user_namespaces") == "0") {
    return fail("/proc/sys/user/max_user_namespaces is 0");
  }
  if (geteuid() != 0 && ReadSmallFile("/proc/sys/kernel/unprivileged_userns_clone") == "0") {
    return fail("/proc/sys/kernel/unprivileged_userns_clone is 0");
  }
  std::string tmpl = absl::StrCat(DefaultLocalExecutionRootDir(), "/braid-nsprobe-XXXXXX");
  if (mkdtemp(tmpl.data()) == nullptr) {
    return fail(absl::StrCat("cannot create a probe directory: ", strerror(errno)));
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    rmdir(tmpl.c_str());
    return fail(absl::StrCat("pipe: ", strerror(errno)));
  }
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    SandboxSpec spec;
    spec.isolation = SandboxSpec::Isolation::kNamespaces;
    spec.writable_root = tmpl;
    std::string report;
    absl::Status s = SetUpSandboxNamespaces(spec);
    if (!s.ok()) {
      report = absl::StrCat("E", s.message());
    } else if (!RootIsReadOnly()) {
      report = "Ethe read-only remount of / did not take effect";
    } else {
      pid_t init = fork();
      if (init == 0) _exit(MountProcForPidNamespace().ok() ? 0 : 1);
      int st = 0;
      while (waitpid(init, &st, 0) < 0 && errno == EINTR) {
      }
      report = (WIFEXITED(st) && WEXITSTATUS(st) == 0) ? "OK1" : "OK0";
    }
    (void)!write(fds[1], report.data(), report.size());
    _exit(0);
  }
  close(fds[1]);
  std::string report;
  char buf[512];
  for (;;) {
    ssize_t n = read(fds[0], buf, sizeof(buf));
    if (n > 0) {
      report.append(buf, static_cast<size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else {
      break;
    }
  }
  close(fds[0]);
  if (child > 0) {
    while (waitpid(child, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  rmdir(tmpl.c_str());
  if (child < 0) return fail(absl::StrCat("fork: ", strerror(errno)));
  if (absl::StartsWith(report, "OK")) {
    caps.namespaces = true;
    caps.proc_mount = report == "OK1";
    return caps;
  }
  if (absl::StartsWith(report, "E")) return fail(absl::string_view(report).substr(1));
  return fail("the probe process died");
}

}  // namespace braid::exec
