#include "rules/python/pytest_runner.h"

#include "gtest/gtest.h"

namespace braid::python {
namespace {

graph::Target FakeTest(graph::TargetType* type) {
  type->alias = "python_test";
  type->fields = {{"timeout", graph::FieldType::kInt, build_file::Value(), false, "", {}},
                  {"extra_env_vars", graph::FieldType::kStringList, build_file::Value(), false,
                   "", {}}};
  graph::Target t;
  t.address = Address("tests/app").WithRelativeFilePath("test_x.py");
  t.type = type;
  t.sources = {"tests/app/test_x.py"};
  return t;
}

PytestSettings Settings() {
  PytestSettings s;
  s.interpreter.path = "/usr/bin/python3";
  s.interpreter.implementation = "CPython";
  s.interpreter.major = 3;
  s.interpreter.minor = 11;
  s.interpreter.micro = 2;
  s.interpreter.packages_digest = std::string(64, 'a');
  s.buildroot = "/nonexistent-repo";
  s.pytest_args = {"-q"};
  s.passthrough = {"-k", "fast"};
  return s;
}

TEST(PytestRunner, BuildsTheProcessTheDocumentationDescribes) {
  graph::TargetType type;
  graph::Target test = FakeTest(&type);
  PytestInputs in{{&test}, {"src/app/lib.py", "tests/app/test_x.py"}, {"src", "tests"}};
  absl::StatusOr<engine::ActionRequest> r = BuildPytestAction(in, Settings());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->spec.argv,
            (std::vector<std::string>{"/usr/bin/python3", "-m", "pytest", "--color=no", "-p",
                                      "no:cacheprovider", "--junitxml=.braid/junit.xml", "-o",
                                      "junit_family=xunit2", "-q", "-k", "fast",
                                      "tests/app/test_x.py"}));
  EXPECT_EQ(r->spec.env, (std::map<std::string, std::string>{
                             {"PATH", "/usr/bin:/usr/bin:/bin"},
                             {"PYTHONDONTWRITEBYTECODE", "1"},
                             {"PYTHONPATH", "src:tests"}}));
  ASSERT_EQ(r->inputs.size(), 2u);
  EXPECT_EQ(r->inputs[0].path, "src/app/lib.py");
  EXPECT_EQ(r->output_files, std::vector<std::string>{".braid/junit.xml"});
  EXPECT_EQ(r->key.interpreter.version, "3.11.2");
  EXPECT_EQ(r->key.rule_version, kPytestRuleVersion);
  EXPECT_EQ(r->spec.timeout, absl::ZeroDuration());
  EXPECT_EQ(r->spec.description, "Run Pytest for tests/app/test_x.py");
}

TEST(PytestRunner, ABatchRunsEveryFileInOneProcessWithTheSumOfTimeouts) {
  graph::TargetType type;
  graph::Target a = FakeTest(&type);
  graph::Target b = FakeTest(&type);
  b.address = Address("tests/app").WithRelativeFilePath("test_y.py");
  b.sources = {"tests/app/test_y.py"};
  graph::Target c = FakeTest(&type);
  c.address = Address("tests/app").WithRelativeFilePath("test_z.py");
  c.sources = {"tests/app/test_z.py"};
  ASSERT_TRUE(a.SetField("timeout", build_file::Value::Int(10)));
  ASSERT_TRUE(c.SetField("timeout", build_file::Value::Int(5)));
  PytestSettings s = Settings();
  PytestInputs in{{&a, &b, &c}, {"tests/app/test_x.py", "tests/app/test_y.py", "tests/app/test_z.py"},
                  {"tests"}};
  absl::StatusOr<engine::ActionRequest> r = BuildPytestAction(in, s);
  ASSERT_TRUE(r.ok()) << r.status();
  std::vector<std::string> tail(r->spec.argv.end() - 3, r->spec.argv.end());
  EXPECT_EQ(tail, (std::vector<std::string>{"tests/app/test_x.py", "tests/app/test_y.py",
                                            "tests/app/test_z.py"}));
  EXPECT_EQ(r->spec.timeout, absl::Seconds(15));  // b has none (no default)
  EXPECT_EQ(r->spec.description, "Run Pytest for batch of tests/app/test_x.py and 2 other files");
  s.timeout_default = 100;
  r = BuildPytestAction(in, s);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->spec.timeout, absl::Seconds(115));
}

TEST(PytestRunner, TimeoutFieldDefaultAndMaximum) {
  PytestSettings s = Settings();
  EXPECT_EQ(EffectiveTimeout(std::nullopt, s), std::nullopt);
  s.timeout_default = 60;
  EXPECT_EQ(EffectiveTimeout(std::nullopt, s), 60);
  EXPECT_EQ(EffectiveTimeout(10, s), 10);
  s.timeout_maximum = 30;
  EXPECT_EQ(EffectiveTimeout(std::nullopt, s), 30);
  s.timeouts = false;
  EXPECT_EQ(EffectiveTimeout(10, s), std::nullopt);
}

TEST(PytestRunner, ExtraEnvVarsSetOrCopyAndRejectBadNames) {
  absl::StatusOr<std::map<std::string, std::string>> env =
      ResolveExtraEnvVars({"A=1", "HOME", "MISSING", "B=x=y"}, {{"HOME", "/root"}});
  ASSERT_TRUE(env.ok());
  EXPECT_EQ(*env, (std::map<std::string, std::string>{{"A", "1"}, {"B", "x=y"}, {"HOME", "/root"}}));
  EXPECT_EQ(ResolveExtraEnvVars({"1BAD=x"}, {}).status().message(),
            "invalid environment variable entry '1BAD=x': expected NAME=value or NAME");
}

}  // namespace
}  // namespace braid::python
