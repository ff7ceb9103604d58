// The Pants backends braid knows the target types of (schema only: braid runs
// none of their goals), registered as optional backends so that, as in Pants,
// their target types exist only when `[GLOBAL] backend_packages` lists them.
// Using one without enabling its backend fails with "name 'x' is not defined"
// plus a hint naming the backend (app::AddBackendHint).
//
//   pants.backend.shell                          ShellTargetTypes()
//   pants.backend.docker                         DockerTargetTypes()
//   pants.backend.codegen.protobuf.python        ProtobufTargetTypes()
//   pants.backend.codegen.protobuf.lint.buf,
//   pants.backend.experimental.codegen.protobuf.{go,java,scala}
//                                                ProtobufTargetTypes() (no hint)
//   pants.backend.awslambda.python               AwsLambdaTargetTypes()
//   pants.backend.experimental.helm              HelmTargetTypes()
//   pants.backend.experimental.terraform         TerraformTargetTypes()
//   pants.backend.experimental.adhoc             AdhocTargetTypes()
//   pants.backend.experimental.java              JavaTargetTypes() + JvmObjectSymbols()
//   pants.backend.experimental.scala             ScalaTargetTypes() + ScalaObjectSymbols()
//   pants.backend.experimental.kotlin            KotlinTargetTypes() + JvmObjectSymbols()
//
// Linter and formatter backends add one `skip_<tool>` bool field to their
// language's code targets: the Python ones (black, mypy, ruff, ...) and
// pants.backend.experimental.java.lint.google_java_format,
// ...scala.lint.{scalafmt,scalafix}, ...kotlin.lint.ktlint (in either order
// relative to the language backend).
//
// Two backends infer dependencies: pants.backend.docker (docker_inferrer.h) and
// the protobuf ones (protobuf_inferrer.h: registered once, by the first enabled
// of them; the [protoc] scope with `dependency_inference` is always registered).
//
// The pants.core types braid otherwise lacks (CoreExtraTargetTypes(): archive,
// relocated_files, the environment targets, experimental_wrap_as_*) are
// registered unconditionally.
// Other pants.* names stay accepted and ignored (app::EnableBackends).
#ifndef BRAID_RULES_PANTS_BACKENDS_BACKENDS_H_
#define BRAID_RULES_PANTS_BACKENDS_BACKENDS_H_

#include "absl/status/status.h"
#include "core/app/app.h"

namespace braid::pants_backends {

/// Registers the backends listed above and the always-on core types.
absl::Status RegisterPantsBackends(app::Registries& registries);

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_BACKENDS_H_
