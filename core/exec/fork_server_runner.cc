#include "core/exec/fork_server_runner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/exec/fork_server_protocol.h"
#include "core/exec/trampoline.h"

namespace braid::exec {
namespace {

// Keep this much of a server's stderr for the message when it dies.
constexpr size_t kStderrTail = 8 << 10;
// Larger requests run as plain processes (a SOCK_SEQPACKET message must fit the socket's
// send buffer, ~208 KiB by default).
constexpr size_t kMaxRequestBytes = 128 << 10;
// Descriptors one packet carries at most (Flush's buffer).
constexpr size_t kMaxFdsPerPacket = 3;
// Servers of one key that end on their own before READY, in a row: then the key is given up.
constexpr int kMaxFailedStarts = 2;
// How long a server may take to answer a KILL before braid gives up on it.
constexpr absl::Duration kKillAnswerTimeout = absl::Seconds(5);

template <typename T>
uv_handle_t* H(T* handle) {
  return reinterpret_cast<uv_handle_t*>(handle);
}

void CloseIfOpen(uv_handle_t* h, uv_close_cb cb) {
  if (!uv_is_closing(h)) uv_close(h, cb);
}

std::string DirnameOf(const std::string& path) {
  size_t slash = path.find_last_of('/');
  if (slash == std::string::npos) return "";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

}  // namespace

// A packet waiting for the control socket to drain, with the descriptors it carries.
struct Outgoing {
  std::string packet;
  std::vector<int> fds;  // closed once sent (or dropped)
};

// One running server. Owns itself: deleted when its last libuv handle is closed.
struct ForkServerRunner::Server {
  ForkServerRunner* runner = nullptr;  // null once dropped or the runner is gone
  std::string key;
  int fd = -1;  // braid's end of the control socket
  pid_t pid = 0;
  bool gone = false;
  bool ready = false;  // it sent READY: its start-up is done
  int open_handles = 0;
  bool process_open = false;
  bool err_open = false;
  bool poll_open = false;
  uv_process_t process;
  uv_pipe_t err;
  uv_poll_t poll;
  std::string stderr_tail;
  std::deque<Outgoing> queue;
  std::set<uint64_t> jobs;  // in flight on this server
  char buffer[4096];
};

// The pipes of one attempt at running a job. Owns itself like Server; `job` is null once
// the attempt is stale (its server died or rejected it): its bytes are then dropped.
struct ForkServerRunner::Attempt {
  Job* job = nullptr;
  bool out_open = false;
  bool err_open = false;
  int open_handles = 0;
  uv_pipe_t out;
  uv_pipe_t err;
  char buffer[1 << 16];
};

// Braid's end of a released child's gate, read for its 'D' (finishing) byte. Owns itself
// like Attempt: detached from its job (job = nullptr) when the job ends, freed when its
// handle has closed, and the descriptor closed with it.
struct GateWatch {
  ForkServerRunner::Job* job = nullptr;
  int fd = -1;
  uv_poll_t poll;
};

// One Start() or Prepare() call. Invariants: `done` runs at most once (exactly once for a
// released job that is not cancelled), from FinishJob, after the timer is closed and the
// current attempt's pipes are closed; nothing finishes before the job is released.
struct ForkServerRunner::Job {
  ForkServerRunner* runner = nullptr;  // null once the runner is gone
  uint64_t id = 0;
  ProcessSpec spec;
  ProcessCallback done;
  ProcessResult result;
  Server* server = nullptr;    // the server running it right now
  Attempt* attempt = nullptr;  // the current pipes
  int dispatches = 0;          // how many times it was sent to a server
  bool exited = false;
  bool on_fallback = false;
  bool kill_sent = false;
  bool closing = false;
  // Prepared jobs (Prepare): held until StartPrepared or CancelPrepared.
  bool released = true;
  bool cancelled = false;            // CancelPrepared: released only to end, never to run
  bool fallback_on_release = false;  // no server would take it: the fallback runs it once released
  int gate = -1;  // braid's end of the child's gate while held; one byte releases the child
  FinishingCallback finishing;     // from StartPrepared, until the child says 'D'
  bool said_ended = false;         // it said 'D': its processes ended, its slot went on
  GateWatch* gate_watch = nullptr;  // the gate after the release, while read for 'D'
  uv_timer_t timer;
};

namespace {

using Server = ForkServerRunner::Server;
using Job = ForkServerRunner::Job;
using Attempt = ForkServerRunner::Attempt;

void OnServerHandleClosed(uv_handle_t* h) {
  Server* s = static_cast<Server*>(h->data);
  if (--s->open_handles == 0) delete s;
}

// Invariant: a->job != nullptr only while that job is alive and points back at `a`.
void OnAttemptHandleClosed(uv_handle_t* h) {
  Attempt* a = static_cast<Attempt*>(h->data);
  if (--a->open_handles > 0) return;
  if (a->job != nullptr) a->job->attempt = nullptr;
  delete a;
}

void OnJobTimerClosed(uv_handle_t* h) {
  Job* j = static_cast<Job*>(h->data);
  if (j->runner != nullptr) {
    j->runner->FinishJob(j);
  } else {
    delete j;
  }
}

void CloseGate(Job* j) {
  if (j->gate >= 0) close(j->gate);
  j->gate = -1;
}

void OnGateWatchClosed(uv_handle_t* h) {
  auto* w = static_cast<GateWatch*>(h->data);
  close(w->fd);
  delete w;
}

// Stops reading the gate of `j` (if it was) and forgets its finishing callback.
void StopGateWatch(Job* j) {
  j->finishing = nullptr;
  GateWatch* w = j->gate_watch;
  if (w == nullptr) return;
  j->gate_watch = nullptr;
  w->job = nullptr;
  uv_poll_stop(&w->poll);
  CloseIfOpen(H(&w->poll), OnGateWatchClosed);
}

void OnGateReadable(uv_poll_t* p, int status, int) {
  auto* w = static_cast<GateWatch*>(p->data);
  Job* j = w->job;
  if (j == nullptr) return;
  char byte = 0;
  ssize_t n = status < 0 ? -1 : recv(w->fd, &byte, 1, MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EINTR) && status >= 0) return;
  // One byte is all the child ever says there; anything else (end of file: it exited
  // without saying it) ends the watch too.
  FinishingCallback finishing = n == 1 && byte == kGateFinishing && !j->kill_sent
                                    ? std::move(j->finishing)
                                    : nullptr;
  if (finishing) j->said_ended = true;
  StopGateWatch(j);
  if (finishing) finishing();
}

void MaybeCloseJob(Job* j) {
  if (j->closing || !j->exited || !j->released) return;
  StopGateWatch(j);
  if (j->attempt != nullptr && (j->attempt->out_open || j->attempt->err_open)) return;
  j->closing = true;
  if (j->attempt != nullptr) {
    j->attempt->job = nullptr;  // the job may be freed before the pipes' close callbacks run
    j->attempt = nullptr;
  }
  CloseIfOpen(H(&j->timer), OnJobTimerClosed);
}

void CloseAttemptPipe(Attempt* a, bool out) {
  bool& open = out ? a->out_open : a->err_open;
  if (!open) return;
  open = false;
  CloseIfOpen(out ? H(&a->out) : H(&a->err), OnAttemptHandleClosed);
  if (a->job != nullptr) MaybeCloseJob(a->job);
}

// Stops delivering `job`'s current pipes to it (their bytes are dropped from now on).
void DetachAttempt(Job* j) {
  Attempt* a = j->attempt;
  if (a == nullptr) return;
  j->attempt = nullptr;
  a->job = nullptr;
  CloseAttemptPipe(a, true);
  CloseAttemptPipe(a, false);
}

// Ends `j` as killed (SIGKILL) without a word from a server: it was being killed or dropped
// and its server is gone, or it never reached one.
void FinishKilled(Job* j) {
  DetachAttempt(j);
  j->exited = true;
  j->result.end = absl::Now();
  j->result.signal = SIGKILL;
  j->result.exit_code = -SIGKILL;
  uv_timer_stop(&j->timer);
  MaybeCloseJob(j);
}

void OnAttemptAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  Attempt* a = static_cast<Attempt*>(h->data);
  *buf = uv_buf_init(a->buffer, sizeof(a->buffer));
}

void OnAttemptRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  Attempt* a = static_cast<Attempt*>(stream->data);
  bool is_out = stream == reinterpret_cast<uv_stream_t*>(&a->out);
  if (nread < 0) {
    CloseAttemptPipe(a, is_out);
    return;
  }
  if (nread == 0 || a->job == nullptr) return;
  Job* j = a->job;
  std::string& dest = is_out ? j->result.stdout_bytes : j->result.stderr_bytes;
  size_t limit = is_out ? j->spec.stdout_limit : j->spec.stderr_limit;
  size_t n = static_cast<size_t>(nread);
  size_t room = dest.size() < limit ? limit - dest.size() : 0;
  dest.append(buf->base, std::min(n, room));
  if (n > room) (is_out ? j->result.stdout_truncated : j->result.stderr_truncated) = true;
}

void RecordWaitStatus(ProcessResult& r, int status) {
  if (WIFSIGNALED(status)) {
    r.signal = WTERMSIG(status);
    r.exit_code = -r.signal;
  } else if (WIFEXITED(status)) {
    r.signal = 0;
    r.exit_code = WEXITSTATUS(status);
  } else {
    r.signal = 0;
    r.exit_code = kSandboxSetupFailedExitCode;
  }
}

void OnJobTimer(uv_timer_t* timer) {
  Job* j = static_cast<Job*>(timer->data);
  if (j->runner == nullptr) return;
  if (j->exited) {
    // The pipe grace period after exit: something outside the child still holds a pipe.
    if (j->attempt != nullptr) {
      CloseAttemptPipe(j->attempt, true);
      CloseAttemptPipe(j->attempt, false);
    }
  } else if (!j->kill_sent) {
    j->result.timed_out = true;
    j->runner->SendKill(j);
  } else if (j->server != nullptr) {
    // A server that does not answer a KILL is hung: drop it (its children die with it).
    j->runner->OnServerGone(j->server, "it did not answer a KILL request", /*dropped=*/true);
  }
}

void OnServerErrAlloc(uv_handle_t* h, size_t, uv_buf_t* buf) {
  Server* s = static_cast<Server*>(h->data);
  *buf = uv_buf_init(s->buffer, sizeof(s->buffer));
}

void AppendStderr(Server* s, const char* data, size_t size) {
  s->stderr_tail.append(data, size);
  if (s->stderr_tail.size() > kStderrTail) {
    s->stderr_tail.erase(0, s->stderr_tail.size() - kStderrTail);
  }
}

void OnServerErrRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  Server* s = static_cast<Server*>(stream->data);
  if (nread < 0) {
    if (s->err_open) {
      s->err_open = false;
      CloseIfOpen(H(&s->err), OnServerHandleClosed);
    }
    return;
  }
  AppendStderr(s, buf->base, static_cast<size_t>(nread));
}

// Reads what the server's stderr pipe already holds. Its exit (or its socket's end) can be
// seen before the loop reads the pipe, and a server that failed to start says why there.
// The pipe is non-blocking (libuv's): this never waits.
void DrainStderr(Server* s) {
  uv_os_fd_t fd;
  if (!s->err_open || uv_fileno(H(&s->err), &fd) != 0) return;
  for (;;) {
    ssize_t n = read(fd, s->buffer, sizeof(s->buffer));
    if (n <= 0) return;
    AppendStderr(s, s->buffer, static_cast<size_t>(n));
  }
}

void OnServerExit(uv_process_t* process, int64_t exit_status, int term_signal) {
  Server* s = static_cast<Server*>(process->data);
  if (s->process_open) {
    s->process_open = false;
    CloseIfOpen(H(&s->process), OnServerHandleClosed);
  }
  if (s->runner != nullptr) {
    s->runner->OnServerGone(
        s, term_signal != 0 ? absl::StrCat("killed by signal ", term_signal)
                            : absl::StrCat("exited with code ", exit_status));
  }
}

// Sends queued packets until the socket would block. false: the server is broken.
bool Flush(Server* s, std::string* why) {
  while (!s->queue.empty()) {
    Outgoing& o = s->queue.front();
    if (o.fds.size() > kMaxFdsPerPacket) {
      *why = absl::StrCat("internal error: ", o.fds.size(), " descriptors in one packet");
      return false;
    }
    struct msghdr msg;
    memset(&msg, 0, sizeof(msg));
    struct iovec iov = {o.packet.data(), o.packet.size()};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    // Up to three descriptors: stdout, stderr and, for PREPARE, the gate.
    alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerPacket)];
    if (!o.fds.empty()) {
      size_t bytes = sizeof(int) * o.fds.size();
      msg.msg_control = control;
      msg.msg_controllen = CMSG_SPACE(bytes);
      struct cmsghdr* cm = CMSG_FIRSTHDR(&msg);
      cm->cmsg_level = SOL_SOCKET;
      cm->cmsg_type = SCM_RIGHTS;
      cm->cmsg_len = CMSG_LEN(bytes);
      memcpy(CMSG_DATA(cm), o.fds.data(), bytes);
    }
    ssize_t n = sendmsg(s->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    if (n < 0) {
      *why = absl::StrCat("cannot send to the fork server: ", strerror(errno));
      return false;
    }
    for (int fd : o.fds) close(fd);
    s->queue.pop_front();
  }
  return true;
}

void OnServerPoll(uv_poll_t* poll, int status, int events);

void UpdatePoll(Server* s) {
  if (!s->poll_open || s->gone) return;
  int events = UV_READABLE | (s->queue.empty() ? 0 : UV_WRITABLE);
  uv_poll_start(&s->poll, events, OnServerPoll);
}

void OnServerPoll(uv_poll_t* poll, int status, int events) {
  Server* s = static_cast<Server*>(poll->data);
  if (s->gone || s->runner == nullptr) return;
  if (status < 0) {
    s->runner->OnServerGone(s, absl::StrCat("control socket: ", uv_strerror(status)));
    return;
  }
  if (events & UV_WRITABLE) {
    std::string why;
    if (!Flush(s, &why)) {
      s->runner->OnServerGone(s, why);
      return;
    }
  }
  if (events & UV_READABLE) {
    for (;;) {
      ssize_t n = recv(s->fd, s->buffer, sizeof(s->buffer), MSG_DONTWAIT);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
      if (n <= 0) {
        s->runner->OnServerGone(
            s, n == 0 ? "it closed its control socket"
                      : absl::StrCat("control socket: ", strerror(errno)));
        return;
      }
      s->runner->OnReply(s, std::string(s->buffer, static_cast<size_t>(n)));
      if (s->gone) return;
    }
  }
  UpdatePoll(s);
}

void Send(Server* s, std::string packet, std::vector<int> fds) {
  s->queue.push_back({std::move(packet), std::move(fds)});
  UpdatePoll(s);  // sent from the loop; never recurses into OnServerGone from a caller
}

}  // namespace

ForkServerRunner::ForkServerRunner(uv_loop_t* loop, ProcessRunner* fallback, Options options)
    : loop_(loop),
      fallback_(fallback),
      options_(std::move(options)),
      self_(std::make_shared<ForkServerRunner*>(this)) {}

ForkServerRunner::~ForkServerRunner() {
  *self_ = nullptr;
  KillAll();
  for (auto& [id, job] : jobs_) {
    Job* j = job.release();
    j->runner = nullptr;
    DetachAttempt(j);
    CloseGate(j);
    StopGateWatch(j);
    if (!j->closing) {
      j->closing = true;
      CloseIfOpen(H(&j->timer), OnJobTimerClosed);
    }
  }
  jobs_.clear();
  for (auto& [key, s] : servers_) {
    s->runner = nullptr;
    s->gone = true;
    for (Outgoing& o : s->queue) {
      for (int fd : o.fds) close(fd);
    }
    s->queue.clear();
    // End of stream tells the server to kill its children and exit; SIGTERM to its group
    // covers a server that is busy (the trampoline forwards it).
    if (s->poll_open) {
      s->poll_open = false;
      CloseIfOpen(H(&s->poll), OnServerHandleClosed);
    }
    close(s->fd);
    if (s->pid > 0) kill(-s->pid, SIGTERM);
    if (s->process_open) {
      s->process_open = false;
      CloseIfOpen(H(&s->process), OnServerHandleClosed);
    }
    if (s->err_open) {
      s->err_open = false;
      CloseIfOpen(H(&s->err), OnServerHandleClosed);
    }
  }
  servers_.clear();
}

ForkServerRunner::Job* ForkServerRunner::NewJob(ProcessSpec spec) {
  uint64_t id = next_id_++;
  auto owned = std::make_unique<Job>();
  Job* j = owned.get();
  jobs_[id] = std::move(owned);
  j->runner = this;
  j->id = id;
  j->spec = std::move(spec);
  j->result.start = absl::Now();
  j->timer.data = j;
  uv_timer_init(loop_, &j->timer);
  return j;
}

namespace {
void StartTimeout(Job* j) {
  if (j->spec.timeout <= absl::ZeroDuration()) return;
  int64_t ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(j->spec.timeout));
  uv_timer_start(&j->timer, OnJobTimer, static_cast<uint64_t>(ms), 0);
}
}  // namespace

uint64_t ForkServerRunner::Start(ProcessSpec spec, ProcessCallback done) {
  Job* j = NewJob(std::move(spec));
  j->done = std::move(done);
  if (!j->spec.fork_server || j->spec.argv.empty() || j->spec.fork_server->argv.empty()) {
    RunOnFallback(j);
    return j->id;
  }
  StartTimeout(j);
  Dispatch(j);
  return j->id;
}

bool ForkServerRunner::CanPrepare(const ProcessSpec& spec) const {
  return options_.prepare && spec.fork_server != nullptr && spec.fork_server->prepare &&
         !spec.fork_server->argv.empty() && !spec.argv.empty() &&
         spec.sandbox.isolation == SandboxSpec::Isolation::kNamespaces &&
         spec.sandbox.loopback_only_network && !options_.trampoline_exe.empty();
}

uint64_t ForkServerRunner::Prepare(ProcessSpec spec) {
  Job* j = NewJob(std::move(spec));
  j->released = false;
  Dispatch(j);
  return j->id;
}

void ForkServerRunner::StartPrepared(uint64_t id, ProcessCallback done,
                                     FinishingCallback finishing) {
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->released) return;  // not a held job: a caller's bug
  Job* j = it->second.get();
  j->released = true;
  j->done = std::move(done);
  j->result.start = absl::Now();
  if (j->exited) {
    // It ended before its turn (its start-up crashed, or KillAll): report that now.
    CloseGate(j);
    j->result.end = std::max(j->result.end, j->result.start);
    MaybeCloseJob(j);
    return;
  }
  if (j->fallback_on_release) {
    RunOnFallback(j);
    return;
  }
  if (!j->kill_sent) StartTimeout(j);
  if (j->gate >= 0) {
    const char go = kGateRelease;
    (void)!send(j->gate, &go, 1, MSG_NOSIGNAL | MSG_DONTWAIT);  // fails only if it is gone
    if (finishing && !j->kill_sent) {
      auto* w = new GateWatch();
      w->job = j;
      w->fd = j->gate;
      j->gate = -1;
      w->poll.data = w;
      if (uv_poll_init(loop_, &w->poll, w->fd) == 0) {
        j->gate_watch = w;
        j->finishing = std::move(finishing);
        uv_poll_start(&w->poll, UV_READABLE | UV_DISCONNECT, OnGateReadable);
      } else {
        close(w->fd);  // a handle that failed to initialize needs no uv_close
        delete w;
      }
    }
    CloseGate(j);
  }
}

void ForkServerRunner::CancelPrepared(uint64_t id, ProcessCallback gone) {
  auto it = jobs_.find(id);
  if (it == jobs_.end() || it->second->released) return;
  Job* j = it->second.get();
  j->released = true;
  j->cancelled = true;
  j->done = std::move(gone);
  j->result.interrupted = true;  // a server dying now finishes it instead of rerunning it
  CloseGate(j);                  // the child exits at its gate even if the KILL is late
  if (j->exited) {
    MaybeCloseJob(j);
  } else if (j->server != nullptr) {
    SendKill(j);
  } else {
    FinishKilled(j);  // nothing runs it (it waited for the fallback)
  }
}

ForkServerRunner::Server* ForkServerRunner::ServerFor(const ProcessSpec& spec,
                                                      const FailedStarts** given_up) {
  const ForkServerSpec& fs = *spec.fork_server;
  const SandboxSpec& sb = spec.sandbox;
  bool namespaces = sb.isolation == SandboxSpec::Isolation::kNamespaces;
  // The server must be able to write every sandbox its children get: their parent directory.
  std::string root = namespaces ? DirnameOf(sb.writable_root) : "";
  std::string key = absl::StrCat(fs.key, "\n", namespaces ? "namespaces" : "none", "\n", root,
                                 "\n", sb.loopback_only_network ? "lo" : "net");
  for (const std::string& w : sb.extra_writable_paths) absl::StrAppend(&key, "\n", w);
  for (const std::string& w : fs.writable_paths) absl::StrAppend(&key, "\nserver ", w);
  if (auto it = servers_.find(key); it != servers_.end()) return it->second;
  if (auto it = failed_starts_.find(key);
      it != failed_starts_.end() && it->second.count >= kMaxFailedStarts) {
    *given_up = &it->second;
    return nullptr;
  }
  if (namespaces && (root.empty() || root == "/" || options_.trampoline_exe.empty())) {
    return nullptr;
  }

  int sv[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) return nullptr;
  fcntl(sv[0], F_SETFL, fcntl(sv[0], F_GETFL) | O_NONBLOCK);

  ProcessSpec server_spec;
  server_spec.argv = fs.argv;
  server_spec.cwd = namespaces ? root : "/";
  server_spec.sandbox = sb;
  server_spec.sandbox.writable_root = root;
  server_spec.sandbox.extra_writable_paths.insert(server_spec.sandbox.extra_writable_paths.end(),
                                                  fs.writable_paths.begin(),
                                                  fs.writable_paths.end());
  std::vector<std::string> argv =
      namespaces ? BuildTrampolineArgv(server_spec, options_.trampoline_exe) : fs.argv;
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : fs.env) env_strings.push_back(absl::StrCat(k, "=", v));
  std::vector<char*> env;
  for (std::string& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);

  auto* s = new Server();
  s->runner = this;
  s->key = key;
  s->fd = sv[0];
  s->process.data = s->err.data = s->poll.data = s;
  uv_pipe_init(loop_, &s->err, 0);
  s->open_handles = 1;
  s->err_open = true;
  uv_stdio_container_t stdio[4];
  stdio[0].flags = UV_IGNORE;
  stdio[1].flags = UV_IGNORE;
  stdio[2].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[2].data.stream = reinterpret_cast<uv_stream_t*>(&s->err);
  stdio[3].flags = UV_INHERIT_FD;
  stdio[3].data.fd = sv[1];
  uv_process_options_t opts;
  memset(&opts, 0, sizeof(opts));
  opts.exit_cb = OnServerExit;
  opts.file = args[0];
  opts.args = args.data();
  opts.env = env.data();
  opts.cwd = server_spec.cwd.c_str();
  opts.flags = UV_PROCESS_DETACHED;  // its own process group, killed as one
  opts.stdio_count = 4;
  opts.stdio = stdio;
  int rc = uv_spawn(loop_, &s->process, &opts);
  ++s->open_handles;
  s->process_open = true;
  close(sv[1]);
  if (rc != 0) {
    s->runner = nullptr;
    s->gone = true;
    close(s->fd);
    s->process_open = s->err_open = false;
    CloseIfOpen(H(&s->process), OnServerHandleClosed);
    CloseIfOpen(H(&s->err), OnServerHandleClosed);
    return nullptr;
  }
  s->pid = s->process.pid;
  uv_read_start(reinterpret_cast<uv_stream_t*>(&s->err), OnServerErrAlloc, OnServerErrRead);
  uv_poll_init(loop_, &s->poll, s->fd);
  ++s->open_handles;
  s->poll_open = true;
  UpdatePoll(s);
  ++servers_started_;
  servers_[key] = s;
  return s;
}

void ForkServerRunner::Dispatch(Job* j) {
  StopGateWatch(j);  // a rerun (its server died): the old child's word no longer counts
  const bool prepare = !j->released;
  std::string packet = EncodeForkServerRun(j->id, j->spec, prepare);
  const FailedStarts* given_up = nullptr;
  Server* s = packet.size() > kMaxRequestBytes ? nullptr : ServerFor(j->spec, &given_up);
  if (given_up != nullptr) {
    // Its start-up fails every time (a configuration error): say so, do not start another.
    Fail(j, kSandboxSetupFailedExitCode,
         absl::StrCat("the fork server keeps failing to start (", given_up->why, "): ",
                      given_up->count, " servers in a row ended before answering; the last "
                      "one's output:\n", given_up->output));
    return;
  }
  if (s == nullptr) {
    // No server could be started (e.g. no trampoline): the plain process gives the same result.
    RunOnFallback(j);
    return;
  }
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) {
    Fail(j, kSandboxSetupFailedExitCode, absl::StrCat("pipe: ", strerror(errno)));
    return;
  }
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]);
    close(out[1]);
    Fail(j, kSandboxSetupFailedExitCode, absl::StrCat("pipe: ", strerror(errno)));
    return;
  }
  int gate[2] = {-1, -1};
  if (prepare && socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, gate) != 0) {
    int e = errno;
    for (int fd : {out[0], out[1], err[0], err[1]}) close(fd);
    Fail(j, kSandboxSetupFailedExitCode, absl::StrCat("socketpair: ", strerror(e)));
    return;
  }
  CloseGate(j);
  j->gate = gate[0];
  auto* a = new Attempt();
  a->job = j;
  a->out.data = a->err.data = a;
  uv_pipe_init(loop_, &a->out, 0);
  uv_pipe_init(loop_, &a->err, 0);
  a->open_handles = 2;
  a->out_open = a->err_open = true;
  uv_pipe_open(&a->out, out[0]);
  uv_pipe_open(&a->err, err[0]);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&a->out), OnAttemptAlloc, OnAttemptRead);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&a->err), OnAttemptAlloc, OnAttemptRead);
  j->attempt = a;
  j->server = s;
  ++j->dispatches;
  j->result.stdout_bytes.clear();
  j->result.stderr_bytes.clear();
  j->result.stdout_truncated = j->result.stderr_truncated = false;
  s->jobs.insert(j->id);
  std::vector<int> fds = {out[1], err[1]};
  if (prepare) fds.push_back(gate[1]);
  Send(s, std::move(packet), std::move(fds));
}

void ForkServerRunner::RunOnFallback(Job* j) {
  DetachAttempt(j);
  if (j->server != nullptr) {
    j->server->jobs.erase(j->id);
    j->server = nullptr;
  }
  CloseGate(j);
  if (j->result.interrupted) {
    // Killed (KillAll) or dropped (CancelPrepared) before the server answered REJECT: it
    // must not start anywhere now.
    FinishKilled(j);
    return;
  }
  if (!j->released) {
    j->fallback_on_release = true;  // a plain process cannot be held: it starts when released
    return;
  }
  uv_timer_stop(&j->timer);  // the fallback runner applies the timeout itself
  j->on_fallback = true;
  ProcessSpec spec = j->spec;
  spec.fork_server.reset();
  uint64_t id = j->id;
  std::weak_ptr<ForkServerRunner*> weak = self_;
  fallback_->Start(std::move(spec), [weak, id](ProcessResult r) {
    std::shared_ptr<ForkServerRunner*> self = weak.lock();
    if (!self || *self == nullptr) return;
    auto it = (*self)->jobs_.find(id);
    if (it == (*self)->jobs_.end()) return;
    Job* job = it->second.get();
    bool interrupted = job->result.interrupted;
    job->result = std::move(r);
    job->result.interrupted |= interrupted;
    job->exited = true;
    MaybeCloseJob(job);
  });
}

void ForkServerRunner::Fail(Job* j, int exit_code, const std::string& message) {
  DetachAttempt(j);
  if (j->server != nullptr) {
    j->server->jobs.erase(j->id);
    j->server = nullptr;
  }
  j->result.exit_code = exit_code;
  j->result.signal = 0;
  j->result.stdout_bytes.clear();
  j->result.stderr_bytes = absl::StrCat("braid: ", message, "\n");
  j->result.end = absl::Now();
  j->exited = true;
  uv_timer_stop(&j->timer);
  MaybeCloseJob(j);
}

void ForkServerRunner::SendKill(Job* j) {
  if (j->exited || j->kill_sent || j->server == nullptr) return;
  j->kill_sent = true;
  Send(j->server, EncodeForkServerKill(j->id), {});
  uv_timer_start(&j->timer, OnJobTimer,
                 static_cast<uint64_t>(absl::ToInt64Milliseconds(kKillAnswerTimeout)), 0);
}

void ForkServerRunner::OnReply(Server* s, const std::string& packet) {
  absl::StatusOr<ForkServerReply> reply = DecodeForkServerReply(packet);
  if (!reply.ok()) {
    OnServerGone(s, std::string(reply.status().message()), /*dropped=*/true);
    return;
  }
  if (reply->kind == ForkServerReply::Kind::kReady) {
    s->ready = true;
    failed_starts_.erase(s->key);
    return;
  }
  auto it = jobs_.find(reply->id);
  if (it == jobs_.end() || it->second->server != s) return;  // stale: an earlier attempt
  Job* j = it->second.get();
  if (reply->kind == ForkServerReply::Kind::kReject) {
    RunOnFallback(j);
    return;
  }
  s->jobs.erase(j->id);
  j->server = nullptr;
  j->exited = true;
  j->result.end = absl::Now();
  RecordWaitStatus(j->result, reply->wait_status);
  uv_timer_stop(&j->timer);
  if (j->attempt != nullptr && (j->attempt->out_open || j->attempt->err_open)) {
    uv_timer_start(&j->timer, OnJobTimer,
                   static_cast<uint64_t>(
                       std::max<int64_t>(0, absl::ToInt64Milliseconds(options_.pipe_grace))),
                   0);
  }
  MaybeCloseJob(j);
}

void ForkServerRunner::OnServerGone(Server* s, const std::string& why, bool dropped) {
  if (s->gone) return;
  s->gone = true;
  if (auto it = servers_.find(s->key); it != servers_.end() && it->second == s) {
    servers_.erase(it);
  }
  if (s->pid > 0) kill(-s->pid, SIGKILL);
  for (Outgoing& o : s->queue) {
    for (int fd : o.fds) close(fd);
  }
  s->queue.clear();
  if (s->poll_open) {
    s->poll_open = false;
    uv_poll_stop(&s->poll);
    CloseIfOpen(H(&s->poll), OnServerHandleClosed);
  }
  close(s->fd);
  s->fd = -1;
  DrainStderr(s);
  std::string tail = s->stderr_tail;
  // Only a server that ended on its own before READY failed to start; one braid dropped
  // while it was still starting (a short timeout during a slow preload) says nothing of it.
  const bool failed_start = !s->ready && !dropped;
  if (failed_start) {
    FailedStarts& f = failed_starts_[s->key];
    ++f.count;
    f.why = why;
    f.output = tail;
  }
  std::set<uint64_t> lost;
  lost.swap(s->jobs);
  s->runner = nullptr;
  for (uint64_t id : lost) {
    auto it = jobs_.find(id);
    if (it == jobs_.end()) continue;
    Job* j = it->second.get();
    j->server = nullptr;
    if (j->exited) continue;
    if (j->result.interrupted || j->result.timed_out) {
      FinishKilled(j);  // it was being killed anyway: the server's death finished the job
    } else if (j->said_ended) {
      // Its processes had ended (exit 0) and its slot went to the next process: running it
      // again would run it beside that one. Never reported as a pass either.
      Fail(j, kSandboxSetupFailedExitCode,
           absl::StrCat("the fork server died (", why, ") after this process ended and before "
                        "it reported how; its last output:\n", tail));
    } else if (j->dispatches <= options_.crash_retries) {
      DetachAttempt(j);
      Dispatch(j);  // a fresh server; never reported as a pass
    } else {
      Fail(j, kSandboxSetupFailedExitCode,
           absl::StrCat(failed_start ? "the fork server failed to start ("
                                     : "the fork server died while running this process (",
                        why, "), ", j->dispatches, " times; its last output:\n", tail));
    }
  }
}

void ForkServerRunner::FinishJob(Job* j) {
  auto it = jobs_.find(j->id);
  std::unique_ptr<Job> owned = std::move(it->second);
  jobs_.erase(it);
  j->result.wall_time = j->result.end - j->result.start;
  ProcessCallback done = std::move(j->done);
  ProcessResult result = std::move(j->result);
  owned.reset();
  if (done) done(std::move(result));
}

std::vector<RunningProcess> ForkServerRunner::Running() const {
  std::vector<RunningProcess> out;
  for (const auto& [id, j] : jobs_) {
    if (j->exited || !j->released || j->cancelled) continue;
    out.push_back({id, 0, DescribeProcess(j->spec), j->result.start});
  }
  return out;
}

void ForkServerRunner::KillAll() {
  bool fallback_running = false;
  for (auto& [id, j] : jobs_) {
    if (j->exited) continue;
    j->result.interrupted = true;
    // Already being killed (timeout, CancelPrepared): its KILL is out and its timer drops a
    // server that does not answer; stopping that timer could wait forever on a hung server.
    if (j->kill_sent) continue;
    if (!j->released) {
      // Held: killed now; StartPrepared would report it interrupted, CancelPrepared drops it.
      CloseGate(j.get());
      if (j->server != nullptr) {
        SendKill(j.get());
      } else {
        FinishKilled(j.get());
      }
    } else if (j->on_fallback) {
      fallback_running = true;
    } else {
      uv_timer_stop(&j->timer);
      SendKill(j.get());
    }
  }
  if (fallback_running) fallback_->KillAll();
}

}  // namespace braid::exec
