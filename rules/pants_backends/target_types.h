// Schema-only target types of Pants backends other than Python, and the
// `pants.core` types braid otherwise lacks, so that a repository using them
// loads unchanged: `list`, `filedeps`, `dependencies`, `peek`, `--changed-since`
// and file ownership work on them. braid runs none of their goals (no shunit2,
// docker build, protoc, helm, terraform, ...); `test` and `package` ignore them.
//
// Field names, value types and defaults follow the Pants 2.21–2.25 reference
// (pantsbuild.org/<version>/reference/targets/<alias>). Where versions differ,
// or where a field is added by an optional sub-backend (e.g. `skip_shellcheck`
// by pants.backend.shell.lint.shellcheck, `skip_hadolint` by
// pants.backend.docker.lint.hadolint), the union is registered so a BUILD file
// valid for any of them is accepted. Fields braid does not interpret are
// typed loosely (kAny, or kStringList for the address lists other than
// `dependencies`, which braid does not resolve).
//
// Each function returns the types of one backend, in registration order; see
// backends.h for which backend_packages entry enables which.
//
// Usage:
//   for (graph::TargetType& t : pants_backends::ShellTargetTypes()) registry.Register(std::move(t));
#ifndef BRAID_RULES_PANTS_BACKENDS_TARGET_TYPES_H_
#define BRAID_RULES_PANTS_BACKENDS_TARGET_TYPES_H_

#include <vector>

#include "core/graph/target_type.h"

namespace braid::pants_backends {

/// pants.backend.shell: shell_source(s), shunit2_test(s), shell_command,
/// run_shell_command, test_shell_command and their experimental_* names.
std::vector<graph::TargetType> ShellTargetTypes();

/// pants.backend.docker: docker_image.
std::vector<graph::TargetType> DockerTargetTypes();

/// pants.backend.codegen.protobuf.*: protobuf_source(s).
std::vector<graph::TargetType> ProtobufTargetTypes();

/// pants.backend.codegen.thrift.*: thrift_source(s).
std::vector<graph::TargetType> ThriftTargetTypes();

/// pants.backend.awslambda.python: python_aws_lambda_function,
/// python_aws_lambda_layer, and the older python_awslambda.
std::vector<graph::TargetType> AwsLambdaTargetTypes();

/// pants.backend.experimental.helm: helm_chart, helm_artifact,
/// helm_deployment, helm_unittest_test(s).
std::vector<graph::TargetType> HelmTargetTypes();

/// pants.backend.experimental.terraform: terraform_module,
/// terraform_deployment, terraform_backend, terraform_var_files.
std::vector<graph::TargetType> TerraformTargetTypes();

/// pants.backend.experimental.adhoc: adhoc_tool, system_binary.
std::vector<graph::TargetType> AdhocTargetTypes();

/// pants.backend.experimental.java: java_source(s), junit_test(s), and the
/// types of every JVM backend: jvm_artifact, jvm_artifacts, deploy_jar, jvm_war.
std::vector<graph::TargetType> JavaTargetTypes();

/// pants.backend.experimental.scala: scala_source(s), scalatest_test(s),
/// scala_junit_test(s), scala_artifact, scalac_plugin, and the JVM types.
std::vector<graph::TargetType> ScalaTargetTypes();

/// pants.backend.experimental.kotlin: kotlin_source(s), kotlin_junit_test(s),
/// kotlinc_plugin, and the JVM types.
std::vector<graph::TargetType> KotlinTargetTypes();

/// A BUILD symbol that builds a plain object (like python_artifact), for
/// TargetTypeRegistry::RegisterObjectSymbol.
struct ObjectSymbol {
  const char* alias;
  const char* help;
};

/// The object symbols of the JVM backends: jvm_exclude, duplicate_rule, shading_*.
std::vector<ObjectSymbol> JvmObjectSymbols();

/// JvmObjectSymbols() and scala_exclude.
std::vector<ObjectSymbol> ScalaObjectSymbols();

/// pants.core types that exist without any backend: archive, relocated_files,
/// local_environment, docker_environment, remote_environment,
/// experimental_workspace_environment, experimental_wrap_as_{resources,files},
/// and experimental_wrap_as_python_sources (which Pants registers with its
/// Python backend, always on in braid).
std::vector<graph::TargetType> CoreExtraTargetTypes();

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_TARGET_TYPES_H_
