#include "rules/pants_backends/backends.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "core/app/backends.h"
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
