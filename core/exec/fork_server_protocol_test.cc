#include "core/exec/fork_server_protocol.h"

#include <sys/wait.h>

#include "gtest/gtest.h"

namespace braid::exec {
namespace {

using namespace std::string_literals;

TEST(ForkServerProtocol, RunRoundTripsEveryField) {
  ProcessSpec spec;
  spec.argv = {"/usr/bin/python3", "-m", "pytest", "a b.py"};
  spec.env = {{"PATH", "/usr/bin"}, {"X", "a=b"}, {"EMPTY", ""}};
  spec.cwd = "/tmp/sb";
  spec.sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
  spec.sandbox.writable_root = "/tmp/sb";
  spec.sandbox.extra_writable_paths = {"/cache"};
  spec.sandbox.loopback_only_network = false;
  std::string packet = EncodeForkServerRun(42, spec);
  EXPECT_EQ(packet,
            "RUN\0" "42\0" "/tmp/sb\0" "namespaces\0" "/tmp/sb\0" "0\0" "1\0" "/cache\0"
            "4\0" "/usr/bin/python3\0" "-m\0" "pytest\0" "a b.py\0"
            "3\0" "EMPTY=\0" "PATH=/usr/bin\0" "X=a=b\0"s);
  absl::StatusOr<ForkServerRun> run = DecodeForkServerRun(packet);
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->id, 42u);
  EXPECT_EQ(run->cwd, "/tmp/sb");
  EXPECT_EQ(run->sandbox.isolation, SandboxSpec::Isolation::kNamespaces);
  EXPECT_EQ(run->sandbox.writable_root, "/tmp/sb");
  EXPECT_EQ(run->sandbox.extra_writable_paths, std::vector<std::string>{"/cache"});
  EXPECT_FALSE(run->sandbox.loopback_only_network);
  EXPECT_EQ(run->argv, spec.argv);
  EXPECT_EQ(run->env, (std::vector<std::string>{"EMPTY=", "PATH=/usr/bin", "X=a=b"}));
  EXPECT_FALSE(run->prepare);
}

TEST(ForkServerProtocol, PrepareIsRunWithAnotherName) {
  ProcessSpec spec;
  spec.argv = {"/usr/bin/python3", "-m", "pytest"};
  spec.cwd = "/sb";
  std::string run = EncodeForkServerRun(5, spec);
  std::string prepare = EncodeForkServerRun(5, spec, /*prepare=*/true);
  EXPECT_EQ(prepare, "PREPARE" + run.substr(3));
  absl::StatusOr<ForkServerRun> decoded = DecodeForkServerRun(prepare);
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_TRUE(decoded->prepare);
  EXPECT_EQ(decoded->id, 5u);
  EXPECT_EQ(decoded->argv, spec.argv);
  EXPECT_FALSE(DecodeForkServerRun("PREP" + run.substr(3)).ok());
}

TEST(ForkServerProtocol, MalformedRunIsAnError) {
  ProcessSpec spec;
  spec.argv = {"a"};
  std::string good = EncodeForkServerRun(1, spec);
  EXPECT_TRUE(DecodeForkServerRun(good).ok());
  EXPECT_FALSE(DecodeForkServerRun(good.substr(0, good.size() - 1)).ok());  // no final NUL
  EXPECT_FALSE(DecodeForkServerRun(good + "extra\0"s).ok());
  EXPECT_FALSE(DecodeForkServerRun("RUN\0x\0"s).ok());
  EXPECT_FALSE(DecodeForkServerRun("RUN\0" "1\0" "/\0" "none\0" "\0" "1\0" "0\0" "9\0"s).ok());
  EXPECT_FALSE(DecodeForkServerRun("").ok());
  EXPECT_EQ(DecodeForkServerRun("KILL\0" "1\0"s).status().message(),
            "malformed fork server RUN message");
}

TEST(ForkServerProtocol, KillAndReplies) {
  EXPECT_EQ(EncodeForkServerKill(7), "KILL\0" "7\0"s);
  EXPECT_EQ(*DecodeForkServerKill(EncodeForkServerKill(7)), 7u);
  EXPECT_FALSE(DecodeForkServerKill("KILL\0x\0"s).ok());

  absl::StatusOr<ForkServerReply> exit = DecodeForkServerReply(EncodeForkServerExit(3, 256));
  ASSERT_TRUE(exit.ok());
  EXPECT_EQ(exit->kind, ForkServerReply::Kind::kExit);
  EXPECT_EQ(exit->id, 3u);
  EXPECT_EQ(WEXITSTATUS(exit->wait_status), 1);

  absl::StatusOr<ForkServerReply> reject =
      DecodeForkServerReply(EncodeForkServerReject(4, "another interpreter"));
  ASSERT_TRUE(reject.ok());
  EXPECT_EQ(reject->kind, ForkServerReply::Kind::kReject);
  EXPECT_EQ(reject->reason, "another interpreter");

  absl::StatusOr<ForkServerReply> ready = DecodeForkServerReply(EncodeForkServerReady());
  ASSERT_TRUE(ready.ok());
  EXPECT_EQ(ready->kind, ForkServerReply::Kind::kReady);
  EXPECT_EQ(EncodeForkServerReady(), "READY\0" "0\0"s);  // what pytest_zygote.py sends
  EXPECT_FALSE(DecodeForkServerReply("READY\0" "1\0"s).ok());
  EXPECT_FALSE(DecodeForkServerReply("READY\0" "0\0" "x\0"s).ok());

  EXPECT_FALSE(DecodeForkServerReply("EXIT\0" "1\0"s).ok());
  EXPECT_FALSE(DecodeForkServerReply("HELLO\0" "1\0"s).ok());
  EXPECT_FALSE(DecodeForkServerReply("EXIT\0" "1\0" "x\0"s).ok());
}

}  // namespace
}  // namespace braid::exec
