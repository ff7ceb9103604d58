#include "core/exec/fake_process_runner.h"

#include <signal.h>

#include "gtest/gtest.h"

namespace braid::exec {
namespace {

ProcessSpec Spec(std::vector<std::string> argv, std::string description = "") {
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.description = std::move(description);
  return spec;
}

TEST(FakeProcessRunner, ReturnsScriptedResultsInTheOrderTheTestChooses) {
  FakeProcessRunner runner;
  ProcessResult failing;
  failing.exit_code = 1;
  failing.stdout_bytes = "1 failed";
  runner.SetResult({"pytest", "b_test.py"}, failing);
  std::vector<std::string> order;
  runner.Start(Spec({"pytest", "a_test.py"}, "Run a"), [&](ProcessResult r) {
    order.push_back("a:" + std::to_string(r.exit_code));
  });
  runner.Start(Spec({"pytest", "b_test.py"}), [&](ProcessResult r) {
    order.push_back("b:" + std::to_string(r.exit_code) + ":" + r.stdout_bytes);
  });
  EXPECT_TRUE(order.empty());
  std::vector<RunningProcess> running = runner.Running();
  ASSERT_EQ(running.size(), 2u);
  EXPECT_EQ(running[0].description, "Run a");
  EXPECT_EQ(running[1].description, "pytest b_test.py");
  EXPECT_TRUE(runner.Complete(2));
  EXPECT_FALSE(runner.Complete(2));
  runner.CompleteAll();
  EXPECT_EQ(order, (std::vector<std::string>{"b:1:1 failed", "a:0"}));
  EXPECT_EQ(runner.max_running(), 2u);
  EXPECT_EQ(runner.started()[1].argv[1], "b_test.py");
}

TEST(FakeProcessRunner, CompleteAllRunsProcessesStartedByCallbacks) {
  FakeProcessRunner runner;
  int done = 0;
  runner.Start(Spec({"first"}), [&](ProcessResult) {
    ++done;
    runner.Start(Spec({"second"}), [&](ProcessResult) { ++done; });
  });
  runner.CompleteAll();
  EXPECT_EQ(done, 2);
  EXPECT_EQ(runner.max_running(), 1u);
}

TEST(FakeProcessRunner, KillAllMarksPendingProcessesInterrupted) {
  FakeProcessRunner runner;
  ProcessResult r;
  runner.Start(Spec({"x"}), [&](ProcessResult got) { r = got; });
  runner.KillAll();
  EXPECT_EQ(runner.kill_all_calls(), 1);
  runner.CompleteAll();
  EXPECT_TRUE(r.interrupted);
  EXPECT_EQ(r.signal, SIGKILL);
  EXPECT_FALSE(r.ok());
}

}  // namespace
}  // namespace braid::exec
