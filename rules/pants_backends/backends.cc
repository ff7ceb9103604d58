#include "rules/pants_backends/backends.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "core/app/backends.h"
#include "core/app/workspace.h"
#include "core/base/status_macros.h"
#include "core/graph/field_builders.h"
#include "rules/pants_backends/docker_inferrer.h"
#include "rules/pants_backends/protobuf_inferrer.h"
#include "rules/pants_backends/target_types.h"
#include "rules/pants_backends/thrift_inferrer.h"

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
    {"pants.backend.docker",
     "Pants' Docker backend: docker_image, with dependencies inferred from its Dockerfile "
     "(braid builds no image)",
     DockerTargetTypes, true},
    {"pants.backend.codegen.protobuf.python",
     "Pants' Protobuf code generation for Python: protobuf_sources, with dependencies inferred "
     "from .proto imports (braid runs no protoc)",
     ProtobufTargetTypes, true},
    {"pants.backend.codegen.protobuf.lint.buf",
     "Pants' Buf linter for Protobuf: protobuf_sources, with dependencies inferred from .proto "
     "imports (braid runs no protoc)",
     ProtobufTargetTypes, false},
    {"pants.backend.experimental.codegen.protobuf.go",
     "Pants' Protobuf code generation for Go: protobuf_sources, with dependencies inferred "
     "from .proto imports (braid runs no protoc)",
     ProtobufTargetTypes, false},
    {"pants.backend.experimental.codegen.protobuf.java",
     "Pants' Protobuf code generation for Java: protobuf_sources, with dependencies inferred "
     "from .proto imports (braid runs no protoc)",
     ProtobufTargetTypes, false},
    {"pants.backend.experimental.codegen.protobuf.scala",
     "Pants' Protobuf code generation for Scala: protobuf_sources, with dependencies inferred "
     "from .proto imports (braid runs no protoc)",
     ProtobufTargetTypes, false},
    {"pants.backend.codegen.thrift.apache.python",
     "Pants' Apache Thrift code generation for Python: thrift_sources, with dependencies inferred "
     "from .thrift includes (braid runs no thrift compiler)",
     ThriftTargetTypes, true},
    {"pants.backend.experimental.codegen.thrift.apache.java",
     "Pants' Apache Thrift code generation for Java: thrift_sources, with dependencies inferred "
     "from .thrift includes (braid runs no thrift compiler)",
     ThriftTargetTypes, false},
    {"pants.backend.experimental.codegen.thrift.scrooge.java",
     "Pants' Scrooge Thrift code generation for Java: thrift_sources, with dependencies inferred "
     "from .thrift includes (braid runs no thrift compiler)",
     ThriftTargetTypes, false},
    {"pants.backend.experimental.codegen.thrift.scrooge.scala",
     "Pants' Scrooge Thrift code generation for Scala: thrift_sources, with dependencies inferred "
     "from .thrift includes (braid runs no thrift compiler)",
     ThriftTargetTypes, false},
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
    // The JVM types (jvm_artifact, deploy_jar, ...) come with each of the three; the hint
    // names the first in name order, pants.backend.experimental.java.
    {"pants.backend.experimental.java",
     "Pants' Java backend: java_sources, junit_tests, jvm_artifact, deploy_jar, ... (target "
     "types only)",
     JavaTargetTypes, true},
    {"pants.backend.experimental.scala",
     "Pants' Scala backend: scala_sources, scalatest_tests, scala_junit_tests, scala_artifact, "
     "jvm_artifact, deploy_jar, ... (target types only)",
     ScalaTargetTypes, true},
    {"pants.backend.experimental.kotlin",
     "Pants' Kotlin backend: kotlin_sources, kotlin_junit_tests, jvm_artifact, deploy_jar, ... "
     "(target types only)",
     KotlinTargetTypes, true},
};

using ObjectsFn = std::vector<ObjectSymbol> (*)();

// The object symbols (BUILD functions building a value, like python_artifact) a backend adds.
struct BackendObjects {
  const char* backend;
  ObjectsFn objects;
};

constexpr BackendObjects kBackendObjects[] = {
    {"pants.backend.experimental.java", JvmObjectSymbols},
    {"pants.backend.experimental.scala", ScalaObjectSymbols},
    {"pants.backend.experimental.kotlin", JvmObjectSymbols},
};

// Pants' Python linters, formatters and type checkers: as far as BUILD files go, each adds one
// `skip_<tool>` field to the Python code targets (so `python_sources(skip_black=True)` loads).
// braid runs none of these tools; their goals (lint, fmt, fix, check) are not implemented.
struct SkipFieldBackend {
  const char* name;
  const char* field;
  const char* tool;
};

constexpr SkipFieldBackend kPythonToolBackends[] = {
    {"pants.backend.python.lint.add_trailing_comma", "skip_add_trailing_comma",
     "add-trailing-comma"},
    {"pants.backend.python.lint.autoflake", "skip_autoflake", "Autoflake"},
    {"pants.backend.python.lint.bandit", "skip_bandit", "Bandit"},
    {"pants.backend.python.lint.black", "skip_black", "Black"},
    {"pants.backend.python.lint.docformatter", "skip_docformatter", "Docformatter"},
    {"pants.backend.python.lint.flake8", "skip_flake8", "Flake8"},
    {"pants.backend.python.lint.isort", "skip_isort", "isort"},
    {"pants.backend.python.lint.pydocstyle", "skip_pydocstyle", "pydocstyle"},
    {"pants.backend.python.lint.pylint", "skip_pylint", "Pylint"},
    {"pants.backend.python.lint.pyupgrade", "skip_pyupgrade", "pyupgrade"},
    {"pants.backend.python.lint.yapf", "skip_yapf", "yapf"},
    {"pants.backend.python.lint.ruff.check", "skip_ruff_check", "`ruff check`"},
    {"pants.backend.python.lint.ruff.format", "skip_ruff_format", "`ruff format`"},
    {"pants.backend.experimental.python.lint.ruff", "skip_ruff", "Ruff"},
    {"pants.backend.experimental.python.lint.ruff.check", "skip_ruff_check", "`ruff check`"},
    {"pants.backend.experimental.python.lint.ruff.format", "skip_ruff_format", "`ruff format`"},
    {"pants.backend.python.typecheck.mypy", "skip_mypy", "MyPy"},
    {"pants.backend.experimental.python.typecheck.pyright", "skip_pyright", "Pyright"},
    {"pants.backend.experimental.python.typecheck.pytype", "skip_pytype", "Pytype"},
};

// The target types those backends add their field to (Pants registers it on each).
constexpr const char* kPythonCodeTypes[] = {"python_source", "python_sources", "python_test",
                                            "python_tests", "python_test_utils"};

// The JVM formatters and linters, and the target types each adds its field to.
constexpr const char* kJavaCodeTypes[] = {"java_source", "java_sources", "junit_test",
                                          "junit_tests"};
constexpr const char* kScalaCodeTypes[] = {"scala_source",     "scala_sources",
                                           "scalatest_test",   "scalatest_tests",
                                           "scala_junit_test", "scala_junit_tests"};
constexpr const char* kKotlinCodeTypes[] = {"kotlin_source", "kotlin_sources",
                                            "kotlin_junit_test", "kotlin_junit_tests"};

struct JvmToolBackend {
  SkipFieldBackend tool;
  absl::Span<const char* const> types;
  const char* language;
};

const JvmToolBackend kJvmToolBackends[] = {
    {{"pants.backend.experimental.java.lint.google_java_format", "skip_google_java_format",
      "Google Java Format"},
     kJavaCodeTypes, "Java"},
    {{"pants.backend.experimental.scala.lint.scalafmt", "skip_scalafmt", "scalafmt"},
     kScalaCodeTypes, "Scala"},
    {{"pants.backend.experimental.scala.lint.scalafix", "skip_scalafix", "scalafix"},
     kScalaCodeTypes, "Scala"},
    {{"pants.backend.experimental.kotlin.lint.ktlint", "skip_ktlint", "ktlint"},
     kKotlinCodeTypes, "Kotlin"},
};

// Adds `backend.field` to each type of `aliases` registered in `registry` that lacks it;
// types not registered (their language backend is not enabled) are left alone.
void AddSkipField(graph::TargetTypeRegistry& registry, const SkipFieldBackend& backend,
                  absl::Span<const char* const> aliases) {
  for (const char* alias : aliases) {
    const graph::TargetType* type = registry.Find(alias);
    if (type == nullptr) continue;
    if (std::any_of(type->fields.begin(), type->fields.end(),
                    [&](const graph::FieldSpec& f) { return f.name == backend.field; })) {
      continue;
    }
    graph::TargetType extended = *type;
    extended.fields.push_back(
        graph::BoolField(backend.field, false,
                         absl::StrCat("If true, don't run ", backend.tool,
                                      " on this target's code (braid accepts the field; it does "
                                      "not run ", backend.tool, ").")));
    registry.Register(std::move(extended));
  }
}

// Dependency inference from docker_image targets' Dockerfiles (docker_inferrer.h).
absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>> MakeDockerInferrer(
    app::Workspace& ws) {
  BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* graph, ws.Graph());
  BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, ws.Index());
  return std::unique_ptr<graph::DependencyInferrer>(
      std::make_unique<DockerInferrer>(*graph, *index, ws.fs()));
}

// Dependency inference between codegen files (protobuf_inferrer.h,
// thrift_inferrer.h), turned on by `[<option_scope>] dependency_inference`.
template <const CodegenLanguage& kLanguage>
absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>> MakeImportPathInferrer(
    app::Workspace& ws) {
  BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* graph, ws.Graph());
  BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, ws.Index());
  BRAID_ASSIGN_OR_RETURN(const SourceRoots* roots, ws.Roots());
  return std::unique_ptr<graph::DependencyInferrer>(std::make_unique<LanguageInferrer<kLanguage>>(
      *graph, *index, ws.fs(), *roots,
      ws.options().GetBool(kLanguage.option_scope, "dependency_inference"),
      [&ws](std::string warning) { ws.WarnOnce(std::move(warning)); }));
}

// Pants' [protoc] and [thrift] subsystems: braid reads `dependency_inference`
// (the other options are about running the compilers, see
// core/options/known_pants_options.cc).
absl::Status RegisterCodegenSubsystems(options::OptionRegistry& reg) {
  BRAID_RETURN_IF_ERROR(reg.AddScope(
      {kProtobufLanguage.option_scope, options::ScopeKind::kSubsystem,
       "The protocol buffer compiler (https://developers.google.com/protocol-buffers); braid "
       "does not run it."}));
  BRAID_RETURN_IF_ERROR(reg.AddBool(kProtobufLanguage.option_scope, "dependency_inference", true,
                                    "Infer Protobuf dependencies on other Protobuf files by "
                                    "analyzing import statements."));
  BRAID_RETURN_IF_ERROR(reg.AddScope({kThriftLanguage.option_scope, options::ScopeKind::kSubsystem,
                                      "General Thrift IDL settings (https://thrift.apache.org/); "
                                      "braid runs no Thrift compiler."}));
  return reg.AddBool(kThriftLanguage.option_scope, "dependency_inference", true,
                     "Infer Thrift dependencies on other Thrift files by analyzing import "
                     "statements.");
}

// Whether `backend` is one of kBackends whose types are `types`.
bool ProvidesTypes(absl::string_view backend, TypesFn types) {
  return std::any_of(std::begin(kBackends), std::end(kBackends), [&](const KnownBackend& k) {
    return k.types == types && backend == k.name;
  });
}

}  // namespace

absl::Status RegisterPantsBackends(app::Registries& registries) {
  for (graph::TargetType& t : CoreExtraTargetTypes()) registries.target_types.Register(std::move(t));
  BRAID_RETURN_IF_ERROR(RegisterCodegenSubsystems(registries.options));
  for (const KnownBackend& known : kBackends) {
    app::Backend backend;
    backend.name = known.name;
    backend.help = known.help;
    if (known.hint) {
      for (const graph::TargetType& t : known.types()) backend.target_types.push_back(t.alias);
    }
    TypesFn types = known.types;
    std::string name = known.name;
    backend.enable = [types, name](app::Registries& r) -> absl::Status {
      for (graph::TargetType& t : types()) r.target_types.Register(std::move(t));
      if (name == "pants.backend.docker") r.inferrer_factories.push_back(MakeDockerInferrer);
      // Once for all the backends of a codegen language: at the first enabled (the only one
      // marked yet).
      auto first_of = [&](TypesFn language) {
        return types == language &&
               std::count_if(r.backends.enabled().begin(), r.backends.enabled().end(),
                             [&](const std::string& b) { return ProvidesTypes(b, language); }) ==
                   1;
      };
      if (first_of(ProtobufTargetTypes)) {
        r.inferrer_factories.push_back(MakeImportPathInferrer<kProtobufLanguage>);
      }
      if (first_of(ThriftTargetTypes)) {
        r.inferrer_factories.push_back(MakeImportPathInferrer<kThriftLanguage>);
      }
      for (const BackendObjects& objects : kBackendObjects) {
        if (name != objects.backend) continue;
        for (const ObjectSymbol& o : objects.objects()) {
          r.target_types.RegisterObjectSymbol(o.alias, o.help);
        }
      }
      // A linter backend listed before its language's backend found no types to extend.
      for (const JvmToolBackend& tool : kJvmToolBackends) {
        if (r.backends.enabled().count(tool.tool.name)) {
          AddSkipField(r.target_types, tool.tool, tool.types);
        }
      }
      return absl::OkStatus();
    };
    registries.backends.Register(std::move(backend));
  }
  for (const SkipFieldBackend& known : kPythonToolBackends) {
    app::Backend backend;
    backend.name = known.name;
    backend.help = absl::StrCat("Pants' ", known.tool, " backend: the `", known.field,
                                "` field of the Python targets (braid does not run ", known.tool,
                                ")");
    backend.enable = [&known](app::Registries& r) -> absl::Status {
      AddSkipField(r.target_types, known, kPythonCodeTypes);
      return absl::OkStatus();
    };
    registries.backends.Register(std::move(backend));
  }
  for (const JvmToolBackend& known : kJvmToolBackends) {
    app::Backend backend;
    backend.name = known.tool.name;
    backend.help = absl::StrCat("Pants' ", known.tool.tool, " backend: the `", known.tool.field,
                                "` field of the ", known.language,
                                " targets (braid does not run ", known.tool.tool, ")");
    backend.enable = [&known](app::Registries& r) -> absl::Status {
      AddSkipField(r.target_types, known.tool, known.types);
      return absl::OkStatus();
    };
    registries.backends.Register(std::move(backend));
  }
  return absl::OkStatus();
}

}  // namespace braid::pants_backends
