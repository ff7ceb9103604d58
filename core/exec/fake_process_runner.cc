#include "core/exec/fake_process_runner.h"

#include <signal.h>

#include <algorithm>
#include <utility>

namespace braid::exec {

void FakeProcessRunner::SetResult(std::vector<std::string> argv, ProcessResult result) {
  results_[std::move(argv)] = std::move(result);
}

uint64_t FakeProcessRunner::Start(ProcessSpec spec, ProcessCallback done) {
  uint64_t id = started_.size() + 1;
  auto it = results_.find(spec.argv);
  Pending pending{std::move(done), it != results_.end() ? it->second : default_result_};
  started_.push_back(std::move(spec));
  pending_.emplace(id, std::move(pending));
  max_running_ = std::max(max_running_, pending_.size());
  return id;
}

std::vector<RunningProcess> FakeProcessRunner::Running() const {
  std::vector<RunningProcess> out;
  for (const auto& [id, p] : pending_) {
    out.push_back({id, 0, DescribeProcess(started_[id - 1]), absl::UnixEpoch()});
  }
  return out;
}

void FakeProcessRunner::KillAll() {
  ++kill_all_calls_;
  for (auto& [id, p] : pending_) {
    p.result.interrupted = true;
    p.result.signal = SIGKILL;
    p.result.exit_code = -SIGKILL;
  }
}

bool FakeProcessRunner::Complete(uint64_t id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return false;
  Pending p = std::move(it->second);
  pending_.erase(it);
  if (p.done) p.done(std::move(p.result));
  return true;
}

void FakeProcessRunner::CompleteAll() {
  while (!pending_.empty()) Complete(pending_.begin()->first);
}

}  // namespace braid::exec
