#include "rules/python/fork_server.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "core/engine/action_io.h"
#include "rules/python/pytest_runner.h"

namespace braid::python {
namespace {

InterpreterInfo Python() {
  InterpreterInfo i;
  i.path = "/usr/bin/python3";
  i.implementation = "CPython";
  i.major = 3;
  i.minor = 11;
  i.micro = 2;
  i.packages_digest = std::string(64, 'a');
  return i;
}

TEST(PytestForkServer, StartsTheEmbeddedZygoteWithTheStartupEnvironment) {
  exec::ForkServerSpec fs = PytestForkServer(
      Python(), {"numpy", "pandas"},
      {{"PATH", "/usr/bin:/bin"}, {"PYTHONPATH", "src"}, {"PYTHONHASHSEED", "0"},
       {"LC_ALL", "C.UTF-8"}, {"TMPDIR", "/x"}, {"DB_URL", "sqlite://"}},
      "");
  ASSERT_EQ(fs.argv.size(), 8u);
  EXPECT_EQ(fs.argv[0], "/usr/bin/python3");
  EXPECT_EQ(fs.argv[1], "-c");
  EXPECT_EQ(fs.argv[2], std::string(PytestZygoteScript()));
  EXPECT_EQ(std::vector<std::string>(fs.argv.begin() + 3, fs.argv.end()),
            (std::vector<std::string>{"braid-pytest-zygote", "--preload", "numpy", "--preload",
                                      "pandas"}));
  // Per-test variables are set in each child, not in the server.
  EXPECT_EQ(fs.env, (std::map<std::string, std::string>{
                        {"LC_ALL", "C.UTF-8"}, {"PATH", "/usr/bin:/bin"}, {"PYTHONHASHSEED", "0"}}));
  EXPECT_TRUE(absl::StrContains(PytestZygoteScript(), "def enter_namespaces("));
}

TEST(PytestForkServer, KeyCoversWhatTheServerPreloadedAndNothingPerTest) {
  std::map<std::string, std::string> env = {{"PATH", "/usr/bin"}, {"PYTHONPATH", "src"}};
  std::string base = PytestForkServer(Python(), {}, env, "").key;
  auto other_env = env;
  other_env["PYTHONPATH"] = "src:tests";
  other_env["SLOT"] = "3";
  EXPECT_EQ(PytestForkServer(Python(), {}, other_env, "").key, base);

  InterpreterInfo digest = Python();
  digest.packages_digest = std::string(64, 'b');
  InterpreterInfo version = Python();
  version.micro = 3;
  InterpreterInfo path = Python();
  path.path = "/opt/python3";
  auto startup = env;
  startup["PYTHONHASHSEED"] = "1";
  for (const std::string& key :
       {PytestForkServer(digest, {}, env, "").key, PytestForkServer(version, {}, env, "").key,
        PytestForkServer(path, {}, env, "").key, PytestForkServer(Python(), {"numpy"}, env, "").key,
        PytestForkServer(Python(), {}, startup, "").key}) {
    EXPECT_NE(key, base);
  }
}

TEST(PytestForkServer, DoesNotChangeTheActionOrItsCacheKey) {
  graph::TargetType type;
  type.alias = "python_test";
  graph::Target test;
  test.address = Address("tests").WithRelativeFilePath("test_x.py");
  test.type = &type;
  test.sources = {"tests/test_x.py"};
  PytestInputs in{{&test}, {"tests/test_x.py"}, {"tests"}};
  PytestSettings s;
  s.interpreter = Python();
  s.buildroot = "/nonexistent-repo";
  s.execution_slot_var = "SLOT";
  absl::StatusOr<engine::ActionRequest> plain = BuildPytestAction(in, s);
  s.fork_server = true;
  s.preload_modules = {"json"};
  absl::StatusOr<engine::ActionRequest> forked = BuildPytestAction(in, s);
  ASSERT_TRUE(plain.ok() && forked.ok());
  EXPECT_EQ(plain->spec.fork_server, nullptr);
  ASSERT_NE(forked->spec.fork_server, nullptr);
  EXPECT_EQ(forked->spec.argv, plain->spec.argv);
  EXPECT_EQ(forked->spec.env, plain->spec.env);
  // The inputs are local files that do not exist; key them without inputs.
  plain->inputs.clear();
  forked->inputs.clear();
  absl::StatusOr<store::ActionKey> a = engine::KeyAction(*plain);
  absl::StatusOr<store::ActionKey> b = engine::KeyAction(*forked);
  ASSERT_TRUE(a.ok() && b.ok()) << a.status() << b.status();
  EXPECT_EQ(a->action_digest, b->action_digest);
}

}  // namespace
}  // namespace braid::python
