#include "rules/pants_backends/backends.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "core/app/backends.h"
#include "core/graph/field_builders.h"
#include "gtest/gtest.h"
#include "rules/pants_backends/target_types.h"

namespace braid::pants_backends {
namespace {

using build_file::Value;
using graph::FieldType;
using graph::TargetType;

std::vector<std::string> StringsOf(const Value& v) {
  std::vector<std::string> out;
  for (const Value& item : v.items()) out.push_back(item.string_value());
  return out;
}

class PantsBackends : public ::testing::Test {
 protected:
  PantsBackends() { EXPECT_TRUE(RegisterPantsBackends(registries_).ok()); }

  absl::Status Enable(const std::string& name) {
    const app::Backend* b = registries_.backends.Find(name);
    if (b == nullptr) return absl::NotFoundError(name);
    registries_.backends.MarkEnabled(name);
    return b->enable(registries_);
  }
  const TargetType* Find(const std::string& alias) {
    return registries_.target_types.Find(alias);
  }

  app::Registries registries_;
};

TEST_F(PantsBackends, BackendTypesExistOnlyAfterEnabling) {
  for (const char* alias : {"shell_sources", "shell_source", "shunit2_tests", "shell_command",
                            "docker_image", "protobuf_sources", "python_aws_lambda_function",
                            "helm_chart", "terraform_module", "adhoc_tool"}) {
    EXPECT_EQ(Find(alias), nullptr) << alias;
  }
  ASSERT_TRUE(Enable("pants.backend.shell").ok());
  EXPECT_NE(Find("shell_sources"), nullptr);
  EXPECT_NE(Find("run_shell_command"), nullptr);
  EXPECT_NE(Find("experimental_shell_command"), nullptr);
  EXPECT_EQ(Find("docker_image"), nullptr);  // only the enabled backend's types
  ASSERT_TRUE(Enable("pants.backend.docker").ok());
  EXPECT_NE(Find("docker_image"), nullptr);
}

TEST_F(PantsBackends, TheDockerBackendAddsADependencyInferrer) {
  const size_t before = registries_.inferrer_factories.size();
  ASSERT_TRUE(Enable("pants.backend.shell").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before);
  ASSERT_TRUE(Enable("pants.backend.docker").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before + 1);
}

TEST_F(PantsBackends, TheProtobufBackendsAddOneDependencyInferrerBetweenThem) {
  EXPECT_NE(registries_.options.Find("protoc", "dependency_inference"), nullptr);
  const size_t before = registries_.inferrer_factories.size();
  ASSERT_TRUE(Enable("pants.backend.codegen.protobuf.lint.buf").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before + 1);
  ASSERT_TRUE(Enable("pants.backend.codegen.protobuf.python").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.codegen.protobuf.go").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before + 1);
  ASSERT_TRUE(Enable("pants.backend.codegen.thrift.apache.python").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before + 2);  // the Thrift one
}

TEST_F(PantsBackends, TheThriftBackendsAddOneDependencyInferrerBetweenThem) {
  EXPECT_NE(registries_.options.Find("thrift", "dependency_inference"), nullptr);
  const size_t before = registries_.inferrer_factories.size();
  ASSERT_TRUE(Enable("pants.backend.experimental.codegen.thrift.scrooge.scala").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before + 1);
  ASSERT_TRUE(Enable("pants.backend.codegen.thrift.apache.python").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.codegen.thrift.apache.java").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.codegen.thrift.scrooge.java").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before + 1);
  ASSERT_TRUE(Enable("pants.backend.experimental.codegen.protobuf.scala").ok());
  EXPECT_EQ(registries_.inferrer_factories.size(), before + 2);  // the Protobuf one
}

TEST_F(PantsBackends, LinterBackendsAddTheirSkipFieldToPythonTargets) {
  for (const char* alias : {"python_sources", "python_test"}) {
    TargetType t;
    t.alias = alias;
    t.fields = {graph::BoolField("skip_tests", false, "")};
    registries_.target_types.Register(std::move(t));
  }
  auto has = [&](const char* alias, const char* field) {
    const TargetType* t = Find(alias);
    int n = 0;
    for (const graph::FieldSpec& f : t->fields) {
      if (f.name != field) continue;
      ++n;
      EXPECT_EQ(f.type, FieldType::kBool);
      EXPECT_EQ(f.default_value.Repr(), "False");
    }
    EXPECT_LE(n, 1) << alias << "." << field << " registered twice";
    return n == 1;
  };
  EXPECT_FALSE(has("python_sources", "skip_black"));
  ASSERT_TRUE(Enable("pants.backend.python.lint.black").ok());
  ASSERT_TRUE(Enable("pants.backend.python.typecheck.mypy").ok());
  for (const char* alias : {"python_sources", "python_test"}) {
    EXPECT_TRUE(has(alias, "skip_black")) << alias;
    EXPECT_TRUE(has(alias, "skip_mypy")) << alias;
    EXPECT_TRUE(has(alias, "skip_tests")) << alias;  // the type's own fields stay
    EXPECT_FALSE(has(alias, "skip_flake8")) << alias;
  }
  // Two backends with the same field (ruff.check, experimental or not): one field.
  ASSERT_TRUE(Enable("pants.backend.python.lint.ruff.check").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.python.lint.ruff.check").ok());
  EXPECT_TRUE(has("python_sources", "skip_ruff_check"));
  // Types that do not exist are not created.
  EXPECT_EQ(Find("python_test_utils"), nullptr);
}

TEST_F(PantsBackends, CoreTypesAreAlwaysRegistered) {
  for (const char* alias : {"archive", "relocated_files", "local_environment",
                            "docker_environment", "remote_environment"}) {
    EXPECT_NE(Find(alias), nullptr) << alias;
  }
  const graph::FieldSpec* format = Find("archive")->FindField("format");
  ASSERT_NE(format, nullptr);
  EXPECT_TRUE(format->required);
  EXPECT_EQ(format->type, FieldType::kEnum);
}

TEST_F(PantsBackends, ShellGeneratorsHavePantsDefaultGlobs) {
  ASSERT_TRUE(Enable("pants.backend.shell").ok());
  const TargetType* sources = Find("shell_sources");
  ASSERT_NE(sources, nullptr);
  EXPECT_EQ(sources->generated_alias, "shell_source");
  EXPECT_EQ(StringsOf(sources->FindField("sources")->default_value),
            (std::vector<std::string>{"*.sh", "!*_test.sh", "!test_*.sh", "!tests.sh"}));
  const TargetType* tests = Find("shunit2_tests");
  ASSERT_NE(tests, nullptr);
  EXPECT_EQ(tests->generated_alias, "shunit2_test");
  EXPECT_EQ(StringsOf(tests->FindField("sources")->default_value),
            (std::vector<std::string>{"*_test.sh", "test_*.sh", "tests.sh"}));
  // The generated type has the single `source` the generator fills in.
  const graph::FieldSpec* source = Find("shunit2_test")->FindField("source");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->type, FieldType::kSource);
  EXPECT_EQ(Find("shunit2_test")->FindField("shell")->choices.size(), 6u);
}

TEST_F(PantsBackends, DockerImageDefaultsToTheDockerfileBesideIt) {
  ASSERT_TRUE(Enable("pants.backend.docker").ok());
  const graph::FieldSpec* source = Find("docker_image")->FindField("source");
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->type, FieldType::kSource);
  EXPECT_FALSE(source->required);
  EXPECT_EQ(source->default_value.string_value(), "Dockerfile");
  EXPECT_EQ(StringsOf(Find("docker_image")->FindField("image_tags")->default_value),
            (std::vector<std::string>{"latest"}));
  EXPECT_EQ(Find("docker_image")->FindField("dependencies")->type, FieldType::kDependencies);
}

TEST_F(PantsBackends, ProtobufTypesComeFromEveryProtobufBackend) {
  ASSERT_TRUE(Enable("pants.backend.codegen.protobuf.lint.buf").ok());
  const TargetType* sources = Find("protobuf_sources");
  ASSERT_NE(sources, nullptr);
  EXPECT_EQ(StringsOf(sources->FindField("sources")->default_value),
            (std::vector<std::string>{"*.proto"}));
}

TEST_F(PantsBackends, ThriftTypesComeFromTheThriftBackends) {
  // As in pantsbuild/example-codegen: `thrift_sources()` with the Apache Thrift Python backend.
  EXPECT_EQ(Find("thrift_sources"), nullptr);
  absl::Status s = app::AddBackendHint(
      absl::InvalidArgumentError("t/BUILD:1:1: name 'thrift_sources' is not defined"),
      registries_);
  EXPECT_TRUE(absl::StrContains(s.message(), "'pants.backend.codegen.thrift.apache.python'"))
      << s.message();
  ASSERT_TRUE(Enable("pants.backend.codegen.thrift.apache.python").ok());
  const TargetType* sources = Find("thrift_sources");
  ASSERT_NE(sources, nullptr);
  EXPECT_EQ(sources->generated_alias, "thrift_source");
  EXPECT_EQ(StringsOf(sources->FindField("sources")->default_value),
            (std::vector<std::string>{"*.thrift"}));
  const TargetType* source = Find("thrift_source");
  ASSERT_NE(source, nullptr);
  for (const char* field : {"source", "dependencies", "python_resolve", "finagle"}) {
    EXPECT_NE(source->FindField(field), nullptr) << field;
  }
}

TEST_F(PantsBackends, ShellCommandAcceptsTheOutputsFieldOfPantsBefore217) {
  // `outputs=["msg.txt"]` (pantsbuild/example-docker) was replaced by output_files and
  // output_directories in Pants 2.17; BUILD files for earlier versions still use it.
  ASSERT_TRUE(Enable("pants.backend.shell").ok());
  for (const char* alias : {"shell_command", "experimental_shell_command", "test_shell_command"}) {
    const graph::FieldSpec* outputs = Find(alias)->FindField("outputs");
    ASSERT_NE(outputs, nullptr) << alias;
    EXPECT_EQ(outputs->type, FieldType::kStringList) << alias;
    EXPECT_NE(Find(alias)->FindField("output_files"), nullptr) << alias;
  }
}

TEST_F(PantsBackends, EveryGeneratorsGeneratedTypeHasASourceField) {
  for (const auto& [name, backend] : registries_.backends.backends()) {
    ASSERT_TRUE(Enable(name).ok()) << name;
  }
  for (const auto& [alias, type] : registries_.target_types.types()) {
    if (!type->is_file_generator()) continue;
    const TargetType* generated = Find(type->generated_alias);
    ASSERT_NE(generated, nullptr) << alias;
    const graph::FieldSpec* source = generated->FindField("source");
    ASSERT_NE(source, nullptr) << alias;
    EXPECT_EQ(source->type, FieldType::kSource) << alias;
    EXPECT_EQ(type->FindField("sources")->type, FieldType::kSources) << alias;
  }
}

TEST_F(PantsBackends, JvmTypesExistOnlyWhenAJvmBackendIsEnabled) {
  for (const char* alias : {"java_sources", "junit_tests", "jvm_artifact", "deploy_jar",
                            "scala_sources", "kotlin_sources"}) {
    EXPECT_EQ(Find(alias), nullptr) << alias;
  }
  EXPECT_EQ(registries_.target_types.object_symbols().count("jvm_exclude"), 0u);
  ASSERT_TRUE(Enable("pants.backend.experimental.scala").ok());
  for (const char* alias : {"scala_sources", "scalatest_tests", "scala_junit_tests",
                            "scala_artifact", "jvm_artifact", "deploy_jar", "jvm_war"}) {
    EXPECT_NE(Find(alias), nullptr) << alias;
  }
  EXPECT_EQ(Find("java_sources"), nullptr);  // only the enabled backend's own types
  EXPECT_EQ(Find("kotlin_sources"), nullptr);
  EXPECT_EQ(registries_.target_types.object_symbols().count("jvm_exclude"), 1u);
  EXPECT_EQ(registries_.target_types.object_symbols().count("scala_exclude"), 1u);
  const TargetType* artifact = Find("jvm_artifact");
  for (const char* field : {"group", "artifact", "version"}) {
    EXPECT_TRUE(artifact->FindField(field)->required) << field;
  }
  EXPECT_FALSE(artifact->FindField("packages")->required);
  const TargetType* jar = Find("deploy_jar");
  EXPECT_TRUE(jar->FindField("main")->required);
  EXPECT_EQ(jar->FindField("dependencies")->type, FieldType::kDependencies);
}

TEST_F(PantsBackends, JvmGeneratorsHavePantsDefaultGlobs) {
  ASSERT_TRUE(Enable("pants.backend.experimental.java").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.scala").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.kotlin").ok());
  auto globs = [&](const char* alias) {
    return StringsOf(Find(alias)->FindField("sources")->default_value);
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(globs("java_sources"), (V{"*.java", "!*Test.java"}));
  EXPECT_EQ(globs("junit_tests"), (V{"*Test.java"}));
  EXPECT_EQ(globs("scala_sources"),
            (V{"*.scala", "!*Test.scala", "!*Spec.scala", "!*Suite.scala"}));
  EXPECT_EQ(globs("scalatest_tests"), (V{"*Spec.scala", "*Suite.scala"}));
  EXPECT_EQ(globs("scala_junit_tests"), (V{"*Test.scala"}));
  EXPECT_EQ(globs("kotlin_sources"), (V{"*.kt", "!*Test.kt"}));
  EXPECT_EQ(globs("kotlin_junit_tests"), (V{"*Test.kt"}));
  EXPECT_EQ(Find("junit_tests")->generated_alias, "junit_test");
  EXPECT_NE(Find("junit_test")->FindField("timeout"), nullptr);
  EXPECT_NE(Find("scala_source")->FindField("scalac_plugins"), nullptr);
  EXPECT_NE(Find("kotlin_source")->FindField("kotlinc_plugins"), nullptr);
  // jvm_artifacts reads pom.xml beside it.
  EXPECT_EQ(Find("jvm_artifacts")->FindField("source")->default_value.string_value(), "pom.xml");
}

TEST_F(PantsBackends, JvmLinterBackendsAddTheirSkipFieldOnceInEitherOrder) {
  auto count = [&](const char* alias, const char* field) {
    int n = 0;
    for (const graph::FieldSpec& f : Find(alias)->fields) n += f.name == field;
    return n;
  };
  // The linter before its language backend (backend_packages order is the user's).
  ASSERT_TRUE(Enable("pants.backend.experimental.java.lint.google_java_format").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.java").ok());
  // The language backend before the linter.
  ASSERT_TRUE(Enable("pants.backend.experimental.scala").ok());
  ASSERT_TRUE(Enable("pants.backend.experimental.scala.lint.scalafmt").ok());
  // Enabling a second JVM backend re-applies enabled skip fields without duplicating them.
  ASSERT_TRUE(Enable("pants.backend.experimental.kotlin").ok());
  for (const char* alias : {"java_source", "java_sources", "junit_test", "junit_tests"}) {
    EXPECT_EQ(count(alias, "skip_google_java_format"), 1) << alias;
    EXPECT_EQ(count(alias, "skip_scalafmt"), 0) << alias;
  }
  for (const char* alias : {"scala_sources", "scalatest_test", "scala_junit_tests"}) {
    EXPECT_EQ(count(alias, "skip_scalafmt"), 1) << alias;
    EXPECT_EQ(count(alias, "skip_google_java_format"), 0) << alias;
  }
  EXPECT_EQ(count("kotlin_sources", "skip_ktlint"), 0);
  EXPECT_EQ(count("jvm_artifact", "skip_google_java_format"), 0);
  EXPECT_EQ(Find("java_sources")->FindField("skip_google_java_format")->default_value.Repr(),
            "False");
}

TEST_F(PantsBackends, WrapAsTargetsAreCoreTypes) {
  for (const char* alias : {"experimental_wrap_as_resources", "experimental_wrap_as_files",
                            "experimental_wrap_as_python_sources"}) {
    const TargetType* t = Find(alias);
    ASSERT_NE(t, nullptr) << alias;
    EXPECT_TRUE(t->FindField("inputs")->required) << alias;
    EXPECT_FALSE(t->FindField("outputs")->required) << alias;
  }
}

TEST_F(PantsBackends, HintNamesTheBackendOfADisabledType) {
  absl::Status s = app::AddBackendHint(
      absl::InvalidArgumentError("scripts/BUILD:1:1: name 'shunit2_tests' is not defined"),
      registries_);
  EXPECT_TRUE(absl::StrContains(s.message(), "is provided by the backend 'pants.backend.shell'"))
      << s.message();
  // Protobuf types are hinted with the Python code generation backend only.
  s = app::AddBackendHint(
      absl::InvalidArgumentError("p/BUILD:1:1: name 'protobuf_sources' is not defined"),
      registries_);
  EXPECT_TRUE(absl::StrContains(s.message(), "'pants.backend.codegen.protobuf.python'"))
      << s.message();
  ASSERT_TRUE(Enable("pants.backend.shell").ok());
  s = app::AddBackendHint(
      absl::InvalidArgumentError("scripts/BUILD:1:1: name 'shunit2_tests' is not defined"),
      registries_);
  EXPECT_FALSE(absl::StrContains(s.message(), "hint")) << s.message();
}

}  // namespace
}  // namespace braid::pants_backends
