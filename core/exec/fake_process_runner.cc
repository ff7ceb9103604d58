#include "core/exec/fake_process_runner.h"

#include <signal.h>

#include <algorithm>
#include <utility>

namespace braid::exec {

void FakeProcessRunner::SetResult(std::vector<std::string> argv, ProcessResult result) {
  results_[std::move(argv)] = std::move(result);
}

ProcessResult FakeProcessRunner::ResultFor(const std::vector<std::string>& argv) const {
  auto it = results_.find(argv);
  return it != results_.end() ? it->second : default_result_;
}

uint64_t FakeProcessRunner::Start(ProcessSpec spec, ProcessCallback done) {
  uint64_t id = started_.size() + 1;
  Pending pending{std::move(done), ResultFor(spec.argv), nullptr};
  started_.push_back(std::move(spec));
  pending_.emplace(id, std::move(pending));
  max_running_ = std::max(max_running_, pending_.size());
  return id;
}

uint64_t FakeProcessRunner::Prepare(ProcessSpec spec) {
  uint64_t id = started_.size() + 1;
  held_.emplace(id, ResultFor(spec.argv));
  started_.push_back(std::move(spec));
  return id;
}

void FakeProcessRunner::StartPrepared(uint64_t id, ProcessCallback done,
                                      FinishingCallback finishing) {
  auto it = held_.find(id);
  if (it == held_.end()) return;
  pending_.emplace(id, Pending{std::move(done), std::move(it->second), std::move(finishing)});
  held_.erase(it);
  max_running_ = std::max(max_running_, pending_.size());
}

bool FakeProcessRunner::Finishing(uint64_t id) {
  auto it = pending_.find(id);
  if (it == pending_.end() || !it->second.finishing) return false;
  FinishingCallback f = std::move(it->second.finishing);
  it->second.finishing = nullptr;
  f();
  return true;
}

void FakeProcessRunner::CancelPrepared(uint64_t id, ProcessCallback gone) {
  auto it = held_.find(id);
  if (it == held_.end()) return;
  ProcessResult r = std::move(it->second);
  held_.erase(it);
  cancelled_.push_back(id);
  r.interrupted = true;
  if (gone) gone(std::move(r));
}

std::vector<uint64_t> FakeProcessRunner::held() const {
  std::vector<uint64_t> out;
  for (const auto& [id, r] : held_) out.push_back(id);
  return out;
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
  auto kill = [](ProcessResult& r) {
    r.interrupted = true;
    r.signal = SIGKILL;
    r.exit_code = -SIGKILL;
  };
  for (auto& [id, p] : pending_) kill(p.result);
  for (auto& [id, r] : held_) kill(r);
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
