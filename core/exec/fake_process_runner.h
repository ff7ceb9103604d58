// A ProcessRunner for scheduler tests: nothing runs; the test scripts results and decides when
// (and in which order) processes complete.
//
//   FakeProcessRunner runner;
//   runner.SetResult({"pytest", "a_test.py"}, failing_result);
//   scheduler.Run(...);                  // calls runner.Start(...) some number of times
//   EXPECT_EQ(runner.Running().size(), 2);  // what the scheduler let run concurrently
//   runner.Complete(2);                  // finish the second one first
//   runner.CompleteAll();
//
// With set_can_prepare(true) it also takes Prepare(): a prepared process gets its id (and its
// place in started()) at once, is held() until StartPrepared makes it pending like a started
// one, or is recorded in cancelled() by CancelPrepared (whose callback runs at once). A test
// makes a started prepared process announce its end early with Finishing(id).
#ifndef BRAID_CORE_EXEC_FAKE_PROCESS_RUNNER_H_
#define BRAID_CORE_EXEC_FAKE_PROCESS_RUNNER_H_

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/exec/process_runner.h"

namespace braid::exec {

class FakeProcessRunner : public ProcessRunner {
 public:
  /// The result of processes whose argv equals `argv` (a later call replaces an earlier one).
  void SetResult(std::vector<std::string> argv, ProcessResult result);
  /// The result of every other process (default: exit code 0, no output).
  void SetDefaultResult(ProcessResult result) { default_result_ = std::move(result); }

  /// Records `spec`; the callback runs only when the test calls Complete/CompleteAll.
  uint64_t Start(ProcessSpec spec, ProcessCallback done) override;
  std::vector<RunningProcess> Running() const override;
  bool CanPrepare(const ProcessSpec&) const override { return can_prepare_; }
  uint64_t Prepare(ProcessSpec spec) override;
  void StartPrepared(uint64_t id, ProcessCallback done, FinishingCallback finishing) override;
  /// Records `id` in cancelled() and calls `gone` at once (nothing runs in the fake).
  void CancelPrepared(uint64_t id, ProcessCallback gone) override;
  /// Marks every pending and held process as killed (interrupted, signal 9, exit code -9); their
  /// callbacks still run on Complete/CompleteAll, as with the real runner's loop.
  void KillAll() override;

  /// Runs the callback of pending process `id` now; false if `id` is not pending.
  bool Complete(uint64_t id);
  /// Completes pending processes in start order until none is left (callbacks may start
  /// more; those complete too).
  void CompleteAll();
  /// Runs the FinishingCallback pending process `id` got from StartPrepared (the process
  /// stays pending); false if it has none or it already ran.
  bool Finishing(uint64_t id);

  void set_can_prepare(bool yes) { can_prepare_ = yes; }
  /// Prepared processes neither started nor cancelled, by id.
  std::vector<uint64_t> held() const;
  /// Prepared processes cancelled, in cancel order.
  const std::vector<uint64_t>& cancelled() const { return cancelled_; }

  /// Every spec given to Start or Prepare, in call order (index = id - 1).
  const std::vector<ProcessSpec>& started() const { return started_; }
  /// The largest number of processes pending at the same time.
  size_t max_running() const { return max_running_; }
  /// How many times KillAll was called.
  int kill_all_calls() const { return kill_all_calls_; }

 private:
  ProcessResult ResultFor(const std::vector<std::string>& argv) const;
  struct Pending {
    ProcessCallback done;
    ProcessResult result;
    FinishingCallback finishing;
  };
  std::map<std::vector<std::string>, ProcessResult> results_;
  ProcessResult default_result_;
  std::vector<ProcessSpec> started_;
  std::map<uint64_t, Pending> pending_;
  std::map<uint64_t, ProcessResult> held_;
  std::vector<uint64_t> cancelled_;
  bool can_prepare_ = false;
  size_t max_running_ = 0;
  int kill_all_calls_ = 0;
};

}  // namespace braid::exec

#endif  // BRAID_CORE_EXEC_FAKE_PROCESS_RUNNER_H_
