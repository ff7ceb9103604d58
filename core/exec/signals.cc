#include "core/exec/signals.h"

#include <signal.h>

#include "absl/strings/str_cat.h"

namespace braid::exec {

struct SignalWatcher::State {
  std::function<void(int)> on_signal;
  uv_signal_t handles[2];
  int open = 0;
};

namespace {

void OnSignal(uv_signal_t* handle, int signum) {
  auto* state = static_cast<SignalWatcher::State*>(handle->data);
  if (state->on_signal) state->on_signal(signum);
}

void OnClose(uv_handle_t* handle) {
  auto* state = static_cast<SignalWatcher::State*>(handle->data);
  if (--state->open == 0) delete state;
}

}  // namespace

SignalWatcher::SignalWatcher(uv_loop_t* loop, std::function<void(int)> on_signal)
    : state_(new State) {
  state_->on_signal = std::move(on_signal);
  const int signals[2] = {SIGINT, SIGTERM};
  for (int i = 0; i < 2; ++i) {
    uv_signal_t* h = &state_->handles[i];
    uv_signal_init(loop, h);
    h->data = state_;
    ++state_->open;
    uv_signal_start(h, OnSignal, signals[i]);
    uv_unref(reinterpret_cast<uv_handle_t*>(h));
  }
}

SignalWatcher::~SignalWatcher() {
  state_->on_signal = nullptr;
  for (uv_signal_t& h : state_->handles) {
    uv_signal_stop(&h);
    uv_close(reinterpret_cast<uv_handle_t*>(&h), OnClose);
  }
}

std::string InterruptedMessage(const std::vector<RunningProcess>& running) {
  if (running.empty()) return "Interrupted.\n";
  std::string out = absl::StrCat("Interrupted; killed ", running.size(), " running process",
                                 running.size() == 1 ? "" : "es", ":\n");
  for (const RunningProcess& p : running) absl::StrAppend(&out, "  ", p.description, "\n");
  return out;
}

}  // namespace braid::exec
