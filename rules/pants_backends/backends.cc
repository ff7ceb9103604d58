#include "rules/pants_backends/backends.h"

#include <string>
#include <utility>
#include <vector>

#include "core/app/backends.h"
#include "rules/pants_backends/target_types.h"

namespace braid::pants_backends {
namespace {

using TypesFn = std::vector<graph::TargetType> (*)();

struct KnownBackend {
  const char* name;
  const char* help;
  TypesFn types;
  /// Whether `braid` names this backend in the "not defined" hint for its
  /// types (one backend per type, so the hint is unambiguous).
  bool hint;
};

constexpr KnownBackend kBackends[] = {
    {"pants.backend.shell",
     "Pants' shell backend: shell_sources, shunit2_tests, shell_command, ... (target types only)",
     ShellTargetTypes, true},
    {"pants.backend.docker", "Pants' Docker backend: docker_image (target type only)",
     DockerTargetTypes, true},
    {"pants.backend.codegen.protobuf.python",
     "Pants' Protobuf code generation for Python: protobuf_sources (target types only)",
     ProtobufTargetTypes, true},
    {"pants.backend.codegen.protobuf.lint.buf",
     "Pants' Buf linter for Protobuf: protobuf_sources (target types only)", ProtobufTargetTypes,
     false},
    {"pants.backend.experimental.codegen.protobuf.go",
     "Pants' Protobuf code generation for Go: protobuf_sources (target types only)",
     ProtobufTargetTypes, false},
    {"pants.backend.experimental.codegen.protobuf.java",
     "Pants' Protobuf code generation for Java: protobuf_sources (target types only)",
     ProtobufTargetTypes, false},
    {"pants.backend.experimental.codegen.protobuf.scala",
     "Pants' Protobuf code generation for Scala: protobuf_sources (target types only)",
     ProtobufTargetTypes, false},
    {"pants.backend.awslambda.python",
     "Pants' AWS Lambda backend: python_aws_lambda_function, python_aws_lambda_layer (target "
     "types only)",
     AwsLambdaTargetTypes, true},
    {"pants.backend.experimental.helm",
     "Pants' Helm backend: helm_chart, helm_deployment, ... (target types only)", HelmTargetTypes,
     true},
    {"pants.backend.experimental.terraform",
     "Pants' Terraform backend: terraform_module, terraform_deployment, ... (target types only)",
     TerraformTargetTypes, true},
    {"pants.backend.experimental.adhoc",
     "Pants' adhoc backend: adhoc_tool, system_binary (target types only)", AdhocTargetTypes,
     true},
};

}  // namespace

absl::Status RegisterPantsBackends(app::Registries& registries) {
  for (graph::TargetType& t : CoreExtraTargetTypes()) registries.target_types.Register(std::move(t));
  for (const KnownBackend& known : kBackends) {
    app::Backend backend;
    backend.name = known.name;
    backend.help = known.help;
    if (known.hint) {
      for (const graph::TargetType& t : known.types()) backend.target_types.push_back(t.alias);
    }
    TypesFn types = known.types;
    backend.enable = [types](app::Registries& r) -> absl::Status {
      for (graph::TargetType& t : types()) r.target_types.Register(std::move(t));
      return absl::OkStatus();
    };
    registries.backends.Register(std::move(backend));
  }
  return absl::OkStatus();
}

}  // namespace braid::pants_backends
