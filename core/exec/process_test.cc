#include "core/exec/process.h"

#include <signal.h>

#include "gtest/gtest.h"

namespace braid::exec {
namespace {

TEST(ShellQuote, LeavesSafeWordsAlone) {
  EXPECT_EQ(ShellQuote("src/app/a_test.py"), "src/app/a_test.py");
  EXPECT_EQ(ShellQuote("--flag=x,y:z@1+2%"), "--flag=x,y:z@1+2%");
}

TEST(ShellQuote, QuotesEverythingElse) {
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("$HOME"), "'$HOME'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\"'\"'s'");
  EXPECT_EQ(ShellQuote("line1\nline2"), "'line1\nline2'");
}

TEST(KeepSandboxes, ParsesPantsChoices) {
  EXPECT_EQ(ParseKeepSandboxes("never"), KeepSandboxes::kNever);
  EXPECT_EQ(ParseKeepSandboxes("on_failure"), KeepSandboxes::kOnFailure);
  EXPECT_EQ(ParseKeepSandboxes("always"), KeepSandboxes::kAlways);
  EXPECT_EQ(ParseKeepSandboxes("sometimes"), std::nullopt);
}

TEST(KeepSandboxes, OnFailureKeepsFailuresTimeoutsAndSignals) {
  ProcessResult ok;
  ProcessResult failed;
  failed.exit_code = 1;
  ProcessResult timed_out;
  timed_out.timed_out = true;
  timed_out.signal = SIGKILL;
  timed_out.exit_code = -SIGKILL;
  EXPECT_FALSE(ShouldKeepSandbox(KeepSandboxes::kOnFailure, ok));
  EXPECT_TRUE(ShouldKeepSandbox(KeepSandboxes::kOnFailure, failed));
  EXPECT_TRUE(ShouldKeepSandbox(KeepSandboxes::kOnFailure, timed_out));
  EXPECT_FALSE(ShouldKeepSandbox(KeepSandboxes::kNever, failed));
  EXPECT_TRUE(ShouldKeepSandbox(KeepSandboxes::kAlways, ok));
}

TEST(KeepSandboxes, MessageMatchesPants) {
  EXPECT_EQ(KeptSandboxMessage("/tmp/braid-sandbox-abc", "Run Pytest for a_test.py"),
            "Preserving local process execution dir /tmp/braid-sandbox-abc for Run Pytest for "
            "a_test.py");
}

TEST(DescribeOutcome, NamesTheWayTheProcessEnded) {
  ProcessResult r;
  r.exit_code = 3;
  EXPECT_EQ(DescribeOutcome(r), "exited with code 3");
  r.exit_code = -SIGSEGV;
  r.signal = SIGSEGV;
  EXPECT_EQ(DescribeOutcome(r), "killed by signal 11 (SIGSEGV)");
  r.timed_out = true;
  EXPECT_EQ(DescribeOutcome(r), "timed out");
}

}  // namespace
}  // namespace braid::exec
