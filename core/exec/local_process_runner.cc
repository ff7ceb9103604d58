#include "core/exec/local_process_runner.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/exec/trampoline.h"

namespace braid::exec {


// One process and its four libuv handles. Invariant: the Child is destroyed only after every
// handle it initialized has been closed (open_handles == 0).
struct LocalProcessRunner::Child {
  LocalProcessRunner* runner = nullptr;  // null once the runner is gone
  uint64_t id = 0;
  ProcessSpec spec;
  ProcessCallback done;
  ProcessResult result;
  pid_t pid = 0;  // 0 until spawned; also the process group id
  bool exited = false;
  bool out_open = false;
  bool err_open = false;
  int open_handles = 0;
  uv_process_t process;
  uv_pipe_t out;
  uv_pipe_t err;
  uv_timer_t timer;
  char buffer[1 << 16];
};

namespace {

using Child = LocalProcessRunner::Child;

Child* ChildOf(uv_handle_t* handle) { return static_cast<Child*>(handle->data); }

void OnClose(uv_handle_t* handle);

void CloseHandle(uv_handle_t* handle) {
  if (!uv_is_closing(handle)) uv_close(handle, OnClose);
}

void MaybeCloseTimer(Child* c) {
  if (c->exited && !c->out_open && !c->err_open) CloseHandle(reinterpret_cast<uv_handle_t*>(&c->timer));
}

void ClosePipe(Child* c, uv_pipe_t* pipe) {
  if (pipe == &c->out) {
    if (!c->out_open) return;
    c->out_open = false;
  } else {
    if (!c->err_open) return;
    c->err_open = false;
  }
  CloseHandle(reinterpret_cast<uv_handle_t*>(pipe));
  MaybeCloseTimer(c);
}

void OnAlloc(uv_handle_t* handle, size_t, uv_buf_t* buf) {
  Child* c = ChildOf(handle);
  *buf = uv_buf_init(c->buffer, sizeof(c->buffer));
}

void OnRead(uv_stream_t* stream, ssize_t nread, const uv_buf_t* buf) {
  Child* c = ChildOf(reinterpret_cast<uv_handle_t*>(stream));
  bool is_out = stream == reinterpret_cast<uv_stream_t*>(&c->out);
  if (nread > 0) {
    std::string& dest = is_out ? c->result.stdout_bytes : c->result.stderr_bytes;
    size_t limit = is_out ? c->spec.stdout_limit : c->spec.stderr_limit;
    size_t n = static_cast<size_t>(nread);
    size_t room = dest.size() < limit ? limit - dest.size() : 0;
    dest.append(buf->base, std::min(n, room));
    if (n > room) (is_out ? c->result.stdout_truncated : c->result.stderr_truncated) = true;
  } else if (nread < 0) {  // UV_EOF or an error: nothing more will come
    ClosePipe(c, is_out ? &c->out : &c->err);
  }
}

void OnTimer(uv_timer_t* timer) {
  Child* c = ChildOf(reinterpret_cast<uv_handle_t*>(timer));
  if (!c->exited) {
    // The timeout: kill the whole group, not just the direct child.
    c->result.timed_out = true;
    if (c->pid > 0) kill(-c->pid, SIGKILL);
  } else {
    // The pipe grace period after exit: something outside the group still holds a pipe.
    ClosePipe(c, &c->out);
    ClosePipe(c, &c->err);
  }
}

void OnExit(uv_process_t* process, int64_t exit_status, int term_signal) {
  Child* c = ChildOf(reinterpret_cast<uv_handle_t*>(process));
  c->exited = true;
  c->result.end = absl::Now();
  if (term_signal != 0) {
    c->result.signal = term_signal;
    c->result.exit_code = -term_signal;
  } else {
    c->result.exit_code = static_cast<int>(exit_status);
  }
  // Background children of the process die with it (and release its stdout/stderr).
  kill(-c->pid, SIGKILL);
  CloseHandle(reinterpret_cast<uv_handle_t*>(process));
  uv_timer_stop(&c->timer);
  if (c->out_open || c->err_open) {
    int64_t grace = c->runner != nullptr
                        ? absl::ToInt64Milliseconds(c->runner->options_for_child().pipe_grace)
                        : 0;
    uv_timer_start(&c->timer, OnTimer, static_cast<uint64_t>(std::max<int64_t>(grace, 0)), 0);
  }
  MaybeCloseTimer(c);
}

void OnClose(uv_handle_t* handle) {
  Child* c = ChildOf(handle);
  if (--c->open_handles > 0) return;
  if (c->runner != nullptr) {
    c->runner->FinishChild(c);
  } else {
    delete c;
  }
}

}  // namespace

LocalProcessRunner::LocalProcessRunner(uv_loop_t* loop, Options options)
    : loop_(loop), options_(std::move(options)) {}

LocalProcessRunner::~LocalProcessRunner() {
  KillAll();
  // Handles still open belong to the loop; the children free themselves when they close.
  for (auto& [id, child] : children_) {
    child->runner = nullptr;
    child.release();
  }
}

uint64_t LocalProcessRunner::Start(ProcessSpec spec, ProcessCallback done) {
  uint64_t id = next_id_++;
  auto owned = std::make_unique<Child>();
  Child* c = owned.get();
  children_[id] = std::move(owned);
  c->runner = this;
  c->id = id;
  c->spec = std::move(spec);
  c->done = std::move(done);
  c->result.start = absl::Now();
  for (uv_handle_t* h : {reinterpret_cast<uv_handle_t*>(&c->out),
                         reinterpret_cast<uv_handle_t*>(&c->err),
                         reinterpret_cast<uv_handle_t*>(&c->timer),
                         reinterpret_cast<uv_handle_t*>(&c->process)}) {
    h->data = c;
  }
  uv_pipe_init(loop_, &c->out, 0);
  uv_pipe_init(loop_, &c->err, 0);
  uv_timer_init(loop_, &c->timer);
  c->open_handles = 3;
  c->out_open = c->err_open = true;

  // Reports a process that could not start; the callback runs once the handles are closed.
  auto fail = [&](int exit_code, absl::string_view message) {
    c->result.exit_code = exit_code;
    c->result.stderr_bytes = absl::StrCat("braid: ", message, "\n");
    c->result.end = absl::Now();
    c->exited = true;
    ClosePipe(c, &c->out);
    ClosePipe(c, &c->err);
    return id;
  };

  const ProcessSpec& s = c->spec;
  if (s.argv.empty()) return fail(127, "cannot execute an empty command line");
  if (!s.cwd.empty() && access(s.cwd.c_str(), X_OK) != 0) {
    return fail(125, absl::StrCat("cannot change directory to '", s.cwd, "': ", strerror(errno)));
  }
  std::vector<std::string> argv = s.argv;
  if (s.sandbox.isolation == SandboxSpec::Isolation::kNamespaces) {
    if (options_.trampoline_exe.empty()) {
      return fail(125, "namespace isolation was requested but no trampoline binary is set");
    }
    argv = BuildTrampolineArgv(s, options_.trampoline_exe);
  }
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  std::vector<std::string> env_strings;
  env_strings.reserve(s.env.size());
  for (const auto& [key, value] : s.env) env_strings.push_back(absl::StrCat(key, "=", value));
  std::vector<char*> env;
  for (std::string& e : env_strings) env.push_back(e.data());
  env.push_back(nullptr);

  uv_stdio_container_t stdio[3];
  stdio[0].flags = UV_IGNORE;  // stdin is /dev/null
  stdio[1].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[1].data.stream = reinterpret_cast<uv_stream_t*>(&c->out);
  stdio[2].flags = static_cast<uv_stdio_flags>(UV_CREATE_PIPE | UV_WRITABLE_PIPE);
  stdio[2].data.stream = reinterpret_cast<uv_stream_t*>(&c->err);
  uv_process_options_t opts;
  memset(&opts, 0, sizeof(opts));
  opts.exit_cb = OnExit;
  opts.file = args[0];
  opts.args = args.data();
  opts.env = env.data();
  opts.cwd = s.cwd.empty() ? nullptr : s.cwd.c_str();
  // setsid(): the process leads a new session and process group, so the group can be killed.
  opts.flags = UV_PROCESS_DETACHED;
  opts.stdio_count = 3;
  opts.stdio = stdio;
  int rc = uv_spawn(loop_, &c->process, &opts);
  ++c->open_handles;  // uv_spawn initializes the handle even when it fails
  if (rc != 0) {
    CloseHandle(reinterpret_cast<uv_handle_t*>(&c->process));
    return fail(rc == UV_ENOENT ? 127 : 126,
                absl::StrCat("cannot execute '", argv[0], "': ", strerror(-rc)));
  }
  c->pid = c->process.pid;
  uv_read_start(reinterpret_cast<uv_stream_t*>(&c->out), OnAlloc, OnRead);
  uv_read_start(reinterpret_cast<uv_stream_t*>(&c->err), OnAlloc, OnRead);
  if (s.timeout > absl::ZeroDuration()) {
    uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(1, absl::ToInt64Milliseconds(s.timeout)));
    uv_timer_start(&c->timer, OnTimer, ms, 0);
  }
  return id;
}

void LocalProcessRunner::FinishChild(Child* c) {
  auto it = children_.find(c->id);
  std::unique_ptr<Child> owned = std::move(it->second);
  children_.erase(it);
  c->result.wall_time = c->result.end - c->result.start;
  ProcessCallback done = std::move(c->done);
  ProcessResult result = std::move(c->result);
  owned.reset();
  if (done) done(std::move(result));
}

std::vector<RunningProcess> LocalProcessRunner::Running() const {
  std::vector<RunningProcess> out;
  for (const auto& [id, c] : children_) {
    out.push_back({id, c->pid, DescribeProcess(c->spec), c->result.start});
  }
  return out;
}

void LocalProcessRunner::KillAll() {
  for (auto& [id, c] : children_) {
    if (c->exited || c->pid <= 0) continue;
    c->result.interrupted = true;
    uv_timer_stop(&c->timer);
    kill(-c->pid, SIGKILL);
  }
}

}  // namespace braid::exec
