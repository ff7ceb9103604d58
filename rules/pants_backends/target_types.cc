#include "rules/pants_backends/target_types.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/graph/field_builders.h"

namespace braid::pants_backends {
namespace {

using build_file::Value;
using graph::FieldSpec;
using graph::FieldType;
using graph::TargetType;

// ---------------------------------------------------------------------------
// Field builders. Help texts are braid's own short summaries.
// ---------------------------------------------------------------------------

using graph::BoolField;
using graph::Field;
using graph::Required;
using graph::StringList;
using graph::TriBoolField;

FieldSpec Str(std::string name, std::string help, Value default_value = Value()) {
  return Field(std::move(name), FieldType::kString, std::move(default_value), std::move(help));
}

FieldSpec Int(std::string name, std::string help, Value default_value = Value()) {
  return Field(std::move(name), FieldType::kInt, std::move(default_value), std::move(help));
}

FieldSpec Strs(std::string name, std::string help, Value default_value = Value()) {
  return Field(std::move(name), FieldType::kStringList, std::move(default_value), std::move(help));
}

FieldSpec Dict(std::string name, std::string help, Value default_value = Value()) {
  return Field(std::move(name), FieldType::kDict, std::move(default_value), std::move(help));
}

FieldSpec Any(std::string name, std::string help) {
  return Field(std::move(name), FieldType::kAny, Value(), std::move(help));
}

FieldSpec Enum(std::string name, std::vector<std::string> choices, std::string help,
               Value default_value = Value()) {
  return Field(std::move(name), FieldType::kEnum, std::move(default_value), std::move(help),
               std::move(choices));
}

// Addresses braid keeps as written but does not resolve (only `dependencies`
// edges are part of braid's graph).
FieldSpec Addresses(std::string name, std::string help) {
  return Strs(std::move(name), absl::StrCat(help, " (Addresses; braid keeps them unresolved.)"));
}

FieldSpec SourcesField(Value default_globs) {
  FieldSpec f = Field("sources", FieldType::kSources, std::move(default_globs),
                      "Files and globs, relative to the BUILD file's directory, owned by this "
                      "target; a leading `!` excludes.");
  if (f.default_value.is_none()) f.required = true;
  return f;
}

// `source` of a single-file target; required unless it has a default.
FieldSpec SourceField(Value default_value = Value()) {
  FieldSpec f = Field("source", FieldType::kSource, std::move(default_value),
                      "The file, relative to the BUILD file's directory, owned by this target.");
  if (f.default_value.is_none()) f.required = true;
  return f;
}

FieldSpec OverridesField(const std::string& generated_alias) {
  return Field("overrides", FieldType::kOverrides, Value(),
               absl::StrCat("Field values for some of the generated `", generated_alias,
                            "` targets: a dict from file names or globs (or tuples of them) to "
                            "a dict of fields."));
}

FieldSpec EnvironmentField() {
  return Str("environment",
             "The environment (from `[environments-preview].names`) this target's processes "
             "use.",
             Value::String("__local__"));
}

FieldSpec OutputPathField() {
  return Str("output_path",
             "Where `package` writes the artifact, relative to the dist dir (default derived "
             "from the address).");
}

FieldSpec TimeoutField(std::string help) { return Int("timeout", std::move(help)); }

TargetType NewType(std::string alias, std::string help, std::vector<FieldSpec> fields) {
  TargetType t;
  t.alias = std::move(alias);
  t.help = std::move(help);
  t.fields = {graph::TagsField(), graph::DescriptionField()};
  for (FieldSpec& f : fields) t.fields.push_back(std::move(f));
  return t;
}

TargetType FileGenerator(std::string alias, std::string generated_alias, Value default_globs,
                         std::vector<FieldSpec> moved_fields) {
  std::vector<FieldSpec> fields = {SourcesField(std::move(default_globs)),
                                   OverridesField(generated_alias)};
  for (FieldSpec& f : moved_fields) fields.push_back(std::move(f));
  TargetType t = NewType(std::move(alias),
                         absl::StrCat("Generates a `", generated_alias,
                                      "` target for each file matched by `sources`."),
                         std::move(fields));
  t.generated_alias = std::move(generated_alias);
  return t;
}

// ---------------------------------------------------------------------------
// pants.backend.shell
// ---------------------------------------------------------------------------

std::vector<FieldSpec> ShellLintFields() {
  return {BoolField("skip_shellcheck", false, "If true, Shellcheck skips this target."),
          BoolField("skip_shfmt", false, "If true, shfmt skips this target.")};
}

std::vector<FieldSpec> Shunit2MovedFields() {
  std::vector<FieldSpec> out = {
      graph::DependenciesField(),
      TimeoutField("Seconds each test file may run (see `[test].timeout_default`)."),
      BoolField("skip_tests", false, "If true, the tests are not run."),
      Enum("shell", {"sh", "bash", "dash", "ksh", "pdksh", "zsh"},
           "The shell that runs the tests; unset means taken from the shebang."),
      Addresses("runtime_package_dependencies",
                "Packageable targets built and put in the test's sandbox."),
  };
  for (FieldSpec& f : ShellLintFields()) out.push_back(std::move(f));
  return out;
}

std::vector<FieldSpec> ShellCommandFields() {
  return {
      Required(Str("command", "The shell command to run (through `bash -c`).")),
      graph::DependenciesField(),
      Addresses("execution_dependencies",
                "Targets whose files or packages the command needs in its sandbox."),
      Addresses("output_dependencies",
                "Targets the command's outputs need when consumed by other targets."),
      Addresses("runnable_dependencies", "Runnable targets made available on the PATH."),
      Strs("tools", "Executables from the search path the command may use.", Value::List()),
      Strs("output_files", "Files the command writes that are captured, relative to `workdir`.",
           Value::List()),
      Strs("output_directories",
           "Directories the command writes that are captured, relative to `workdir`.",
           Value::List()),
      // Pants 2.17 removed it; repositories on earlier 2.x versions still use it.
      Strs("outputs",
           "Deprecated (removed in Pants 2.17): the output files and directories (`dir/`), "
           "relative to `workdir`; use `output_files` and `output_directories`."),
      Str("root_output_directory", "Where the captured outputs are placed when consumed.",
          Value::String("/")),
      Str("workdir", "The working directory (`.` is the BUILD file's directory).",
          Value::String(".")),
      Strs("extra_env_vars", "Extra environment variables: `NAME=value` or `NAME`."),
      BoolField("log_output", false, "If true, the command's output is printed."),
      TimeoutField("Seconds the command may run."),
      Any("outputs_match_mode", "How strictly the declared outputs must exist."),
      Any("path_env_modify", "How the PATH of the command is changed for its tools."),
      Any("cache_scope", "How long a successful result is cached."),
      Strs("workspace_invalidation_sources",
           "Workspace files whose changes rerun the command (in-workspace execution)."),
      EnvironmentField(),
  };
}

std::vector<FieldSpec> RunShellCommandFields() {
  return {
      Required(Str("command", "The shell command to run in the workspace (through `bash -c`).")),
      graph::DependenciesField(),
      Addresses("execution_dependencies",
                "Targets whose files or packages are placed in the chroot the command sees."),
      Addresses("runnable_dependencies", "Runnable targets made available on the PATH."),
      Str("workdir", "The working directory of the command.", Value::String(".")),
  };
}

std::vector<FieldSpec> TestShellCommandFields() {
  std::vector<FieldSpec> out = ShellCommandFields();
  out.push_back(BoolField("skip_tests", false, "If true, the command is not run by `test`."));
  return out;
}

}  // namespace

std::vector<TargetType> ShellTargetTypes() {
  std::vector<TargetType> out;
  {
    std::vector<FieldSpec> fields = {SourceField(), graph::DependenciesField()};
    for (FieldSpec& f : ShellLintFields()) fields.push_back(std::move(f));
    out.push_back(NewType("shell_source", "One Bourne-compatible shell script.", fields));
  }
  {
    std::vector<FieldSpec> moved = {graph::DependenciesField()};
    for (FieldSpec& f : ShellLintFields()) moved.push_back(std::move(f));
    out.push_back(FileGenerator("shell_sources", "shell_source",
                                StringList({"*.sh", "!*_test.sh", "!test_*.sh", "!tests.sh"}),
                                moved));
  }
  {
    std::vector<FieldSpec> fields = {SourceField()};
    for (FieldSpec& f : Shunit2MovedFields()) fields.push_back(std::move(f));
    out.push_back(NewType("shunit2_test",
                          "One shell test file for the shUnit2 framework (braid does not run "
                          "it).",
                          fields));
  }
  out.push_back(FileGenerator("shunit2_tests", "shunit2_test",
                              StringList({"*_test.sh", "test_*.sh", "tests.sh"}),
                              Shunit2MovedFields()));
  const char* kShellCommandHelp =
      "Runs a shell command in a sandbox for its outputs, which consumers of the target get.";
  out.push_back(NewType("shell_command", kShellCommandHelp, ShellCommandFields()));
  out.push_back(NewType("experimental_shell_command",
                        absl::StrCat("Older name of `shell_command`. ", kShellCommandHelp),
                        ShellCommandFields()));
  const char* kRunHelp =
      "A command `run` executes in the workspace, with its dependencies in a chroot.";
  out.push_back(NewType("run_shell_command", kRunHelp, RunShellCommandFields()));
  out.push_back(NewType("experimental_run_shell_command",
                        absl::StrCat("Older name of `run_shell_command`. ", kRunHelp),
                        RunShellCommandFields()));
  const char* kTestHelp = "A shell command run as a test by `test` (braid does not run it).";
  out.push_back(NewType("test_shell_command", kTestHelp, TestShellCommandFields()));
  out.push_back(NewType("experimental_test_shell_command",
                        absl::StrCat("Older name of `test_shell_command`. ", kTestHelp),
                        TestShellCommandFields()));
  return out;
}

std::vector<TargetType> DockerTargetTypes() {
  std::vector<FieldSpec> fields = {
      SourceField(Value::String("Dockerfile")),
      graph::DependenciesField(),
      Strs("instructions", "The Dockerfile's lines, when it is not a file (`source`)."),
      Strs("extra_build_args", "Build arguments: `NAME=value`, or `NAME` to copy it from the "
                               "environment.", Value::List()),
      Str("context_root", "The build context directory (`./x` is relative to the BUILD file)."),
      Strs("image_tags", "Tags of the built image; may use `{placeholders}`.",
           StringList({"latest"})),
      Strs("registries", "Registry addresses or `@aliases` from `[docker].registries`.",
           StringList({"<all default registries>"})),
      Str("repository", "The image's repository name (default from `[docker]`)."),
      Dict("image_labels", "Labels of the image (`--label`)."),
      Dict("extra_build_hosts", "Extra `/etc/hosts` entries during the build."),
      Dict("secrets", "Secret files for the build, by id (BuildKit)."),
      Strs("ssh", "SSH agent sockets or keys for the build (BuildKit).", Value::List()),
      BoolField("skip_push", false, "If true, `publish` does not push this image."),
      Str("target_stage", "The stage of a multi-stage Dockerfile to build."),
      BoolField("pull", false, "If true, always pull newer base images."),
      BoolField("squash", false, "If true, squash the new layers into one."),
      Str("build_network", "Network mode of the build's RUN instructions."),
      Strs("build_platform", "Target platforms of the build."),
      Dict("cache_to", "Where the build cache is exported (BuildKit)."),
      Any("cache_from", "Build cache sources: a list of dicts (BuildKit)."),
      Dict("output", "Export action of the build (BuildKit).",
           Value::Dict({{Value::String("type"), Value::String("docker")}})),
      Strs("extra_run_args", "Extra arguments of `docker run`.", Value::List()),
      OutputPathField(),
      BoolField("restartable", false, "If true, `run` may restart on input changes."),
      BoolField("skip_hadolint", false, "If true, Hadolint skips this image's Dockerfile."),
  };
  return {NewType("docker_image", "How to build and tag a Docker image (braid does not build it).",
                  std::move(fields))};
}

namespace {

std::vector<FieldSpec> ProtobufMovedFields() {
  return {
      graph::DependenciesField(),
      BoolField("grpc", false, "If true, also generate gRPC code."),
      Str("python_source_root", "The source root the generated Python code goes to."),
      Str("python_resolve", "The Python resolve of the generated code."),
      Strs("python_interpreter_constraints", "Interpreter constraints of the generated code."),
      Str("jvm_resolve", "The JVM resolve of the generated code."),
      Str("jvm_jdk", "The JDK of the generated code."),
      BoolField("skip_buf_format", false, "If true, `buf format` skips this target."),
      BoolField("skip_buf_lint", false, "If true, `buf lint` skips this target."),
  };
}

}  // namespace

std::vector<TargetType> ProtobufTargetTypes() {
  std::vector<TargetType> out;
  std::vector<FieldSpec> fields = {SourceField()};
  for (FieldSpec& f : ProtobufMovedFields()) fields.push_back(std::move(f));
  out.push_back(NewType("protobuf_source",
                        "One Protocol Buffers file (braid does not run protoc).", fields));
  out.push_back(FileGenerator("protobuf_sources", "protobuf_source", StringList({"*.proto"}),
                              ProtobufMovedFields()));
  return out;
}

namespace {

// The union of Pants' Apache Thrift (Python, Java) and Scrooge (Scala, Java) code generators.
std::vector<FieldSpec> ThriftMovedFields() {
  return {
      graph::DependenciesField(),
      Str("python_resolve", "The Python resolve of the generated code."),
      Str("jvm_resolve", "The JVM resolve of the generated code."),
      Str("jvm_jdk", "The JDK of the generated code."),
      BoolField("finagle", false, "If true, Scrooge also generates Finagle classes."),
  };
}

}  // namespace

std::vector<TargetType> ThriftTargetTypes() {
  std::vector<TargetType> out;
  std::vector<FieldSpec> fields = {SourceField()};
  for (FieldSpec& f : ThriftMovedFields()) fields.push_back(std::move(f));
  out.push_back(NewType("thrift_source",
                        "One Apache Thrift IDL file (braid does not run the Thrift compiler).",
                        fields));
  out.push_back(FileGenerator("thrift_sources", "thrift_source", StringList({"*.thrift"}),
                              ThriftMovedFields()));
  return out;
}

namespace {

std::vector<FieldSpec> LambdaCommonFields() {
  return {
      OutputPathField(),
      BoolField("include_requirements", true, "Whether third-party requirements are included."),
      Str("runtime", "The Lambda runtime, `pythonX.Y` (not with `complete_platforms`)."),
      Addresses("complete_platforms", "file targets describing the platforms to build for."),
      Strs("pex3_venv_create_extra_args", "Extra arguments of `pex3 venv create`.",
           Value::List()),
      Strs("pex_build_extra_args", "Extra arguments of the PEX build.", Value::List()),
      Any("layout", "The layout of the built artifact."),
      Str("resolve", "The Python resolve used."),
      EnvironmentField(),
      Enum("architecture", {"x86_64", "arm64"}, "The CPU architecture of the function.",
           Value::String("x86_64")),
  };
}

}  // namespace

std::vector<TargetType> AwsLambdaTargetTypes() {
  std::vector<TargetType> out;
  auto function_fields = [] {
    std::vector<FieldSpec> fields = LambdaCommonFields();
    fields.push_back(graph::DependenciesField());
    fields.push_back(
        Required(Str("handler", "The handler: `module:func` or `file.py:func`.")));
    return fields;
  };
  out.push_back(NewType("python_aws_lambda_function",
                        "A Python function packaged for AWS Lambda (braid does not package it).",
                        function_fields()));
  out.push_back(NewType("python_awslambda",
                        "Older name of `python_aws_lambda_function`.", function_fields()));
  std::vector<FieldSpec> layer = LambdaCommonFields();
  layer.push_back(BoolField("include_sources", true, "Whether first-party sources are included."));
  layer.push_back(Required(graph::DependenciesField()));
  out.push_back(NewType("python_aws_lambda_layer",
                        "A Python layer packaged for AWS Lambda (braid does not package it).",
                        std::move(layer)));
  return out;
}

namespace {

std::vector<FieldSpec> KubeconformFields() {
  return {
      TriBoolField("kubeconform_ignore_missing_schemas", "kubeconform: ignore missing schemas."),
      Strs("kubeconform_ignore_sources", "kubeconform: files not validated."),
      Str("kubeconform_kubernetes_version", "kubeconform: Kubernetes version validated against."),
      Strs("kubeconform_reject_kinds", "kubeconform: kinds rejected."),
      Strs("kubeconform_skip_kinds", "kubeconform: kinds not validated."),
      TriBoolField("kubeconform_strict", "kubeconform: strict validation."),
  };
}

std::vector<FieldSpec> HelmUnittestMovedFields() {
  return {graph::DependenciesField(), TriBoolField("strict", "Parse the suite files strictly."),
          TimeoutField("Seconds each suite may run.")};
}

}  // namespace

std::vector<TargetType> HelmTargetTypes() {
  std::vector<TargetType> out;
  std::vector<FieldSpec> chart = {
      Str("chart", "The chart definition file.", Value::String("Chart.yaml")),
      SourcesField(StringList({"values.yaml", "values.yml", "templates/*.yaml",
                               "templates/*.yml", "templates/*.tpl", "crds/*.yaml",
                               "crds/*.yml"})),
      graph::DependenciesField(),
      OutputPathField(),
      TriBoolField("lint_strict", "Lint this chart strictly."),
      BoolField("lint_quiet", false, "Print only lint warnings and errors."),
      Str("repository", "Repository path in the OCI registry the chart is pushed to."),
      Str("version", "Overrides the version in Chart.yaml."),
      Strs("registries", "OCI registry addresses or `@aliases` from `[helm].registries`.",
           StringList({"<ALL DEFAULT HELM REGISTRIES>"})),
      BoolField("skip_push", false, "If true, `publish` does not push this chart."),
      BoolField("skip_lint", false, "If true, `lint` skips this chart."),
  };
  for (FieldSpec& f : KubeconformFields()) chart.push_back(std::move(f));
  out.push_back(NewType("helm_chart", "A Helm chart.", std::move(chart)));
  out.push_back(NewType("helm_artifact", "A third-party Helm chart.",
                        {Str("registry", "Registry `@alias` or OCI URL of the chart."),
                         Str("repository", "Classic repository URL, or path in the registry."),
                         Required(Str("artifact", "The chart's name, without version.")),
                         Required(Str("version", "The chart's version."))}));
  std::vector<FieldSpec> deployment = {
      Str("chart", "Address of the helm_chart or helm_artifact deployed."),
      Str("release_name", "The release name (default: the target name)."),
      graph::DependenciesField(),
      SourcesField(StringList({"*.yaml", "*.yml"})),
      Str("namespace", "The Kubernetes namespace."),
      BoolField("skip_crds", false, "If true, the chart's CRDs are not installed."),
      Dict("values", "Chart values by dotted name."),
      BoolField("create_namespace", false, "If true, the namespace is created when missing."),
      BoolField("no_hooks", false, "If true, hooks are not run."),
      Any("timeout", "How long Helm waits for the deployment."),
      Addresses("post_renderers", "Runnable targets post-processing the rendered chart."),
      BoolField("enable_dns", false, "Allow DNS lookups in templates."),
  };
  for (FieldSpec& f : KubeconformFields()) deployment.push_back(std::move(f));
  out.push_back(NewType("helm_deployment", "A deployment of a Helm chart (braid does not deploy).",
                        std::move(deployment)));
  {
    std::vector<FieldSpec> fields = {SourceField()};
    for (FieldSpec& f : HelmUnittestMovedFields()) fields.push_back(std::move(f));
    out.push_back(NewType("helm_unittest_test",
                          "One helm-unittest suite file (braid does not run it).", fields));
  }
  out.push_back(FileGenerator("helm_unittest_tests", "helm_unittest_test",
                              StringList({"*_test.yaml", "*_test.yml"}),
                              HelmUnittestMovedFields()));
  return out;
}

std::vector<TargetType> TerraformTargetTypes() {
  std::vector<TargetType> out;
  out.push_back(NewType("terraform_module", "A Terraform module (its `.tf` files).",
                        {SourcesField(StringList({"*.tf"})), graph::DependenciesField(),
                         BoolField("skip_tfsec", false, "If true, tfsec skips this module."),
                         BoolField("skip_trivy", false, "If true, Trivy skips this module."),
                         BoolField("skip_terraform_fmt", false,
                              "If true, `terraform fmt` skips this module.")}));
  out.push_back(NewType("terraform_deployment",
                        "A Terraform root module to deploy (braid does not deploy).",
                        // The union of Pants' two designs: `root_module` (with
                        // terraform_backend / terraform_var_files targets as
                        // dependencies) and the older file-valued fields.
                        {Str("root_module", "Address of the terraform_module deployed."),
                         graph::DependenciesField(),
                         Str("backend_config", "A backend configuration file."),
                         Strs("var_files", "Variable files (`.tfvars`)."),
                         Strs("extra_args", "Extra arguments of `terraform apply`.")}));
  out.push_back(NewType("terraform_backend", "A Terraform backend configuration file.",
                        {SourceField()}));
  out.push_back(NewType("terraform_var_files", "Terraform variable files.",
                        {SourcesField(StringList({"*.tfvars"})), graph::DependenciesField()}));
  return out;
}

std::vector<TargetType> AdhocTargetTypes() {
  std::vector<TargetType> out;
  out.push_back(NewType(
      "adhoc_tool", "Runs a runnable target for its outputs (braid does not run it).",
      {Required(Str("runnable", "Address of the runnable target executed.")),
       Strs("args", "Arguments of the runnable.", Value::List()),
       graph::DependenciesField(),
       Addresses("execution_dependencies", "Targets the run needs in its sandbox."),
       Addresses("output_dependencies", "Targets the outputs need when consumed."),
       Addresses("runnable_dependencies", "Runnable targets made available on the PATH."),
       Strs("output_files", "Files written and captured.", Value::List()),
       Strs("output_directories", "Directories written and captured.", Value::List()),
       Str("root_output_directory", "Where the outputs are placed when consumed.",
           Value::String("/")),
       Str("stdout", "File that captures standard output."),
       Str("stderr", "File that captures standard error."),
       Strs("extra_env_vars", "Extra environment variables: `NAME=value` or `NAME`."),
       Str("workdir", "The working directory (`.` is the BUILD file's directory).",
           Value::String(".")),
       BoolField("log_output", false, "If true, the output is printed."),
       TimeoutField("Seconds the tool may run."),
       Any("outputs_match_mode", "How strictly the declared outputs must exist."),
       Any("path_env_modify", "How the PATH is changed for runnable dependencies."),
       Any("cache_scope", "How long a successful result is cached."),
       Strs("workspace_invalidation_sources", "Workspace files whose changes rerun it."),
       EnvironmentField()}));
  out.push_back(NewType(
      "system_binary", "An executable found on the system, made runnable.",
      {Required(Str("binary_name", "The executable's file name.")),
       Strs("extra_search_paths", "Directories searched before the default search path.",
            Value::List()),
       Str("fingerprint", "Regular expression the fingerprint output must match."),
       Strs("fingerprint_args", "Arguments that print the fingerprint (e.g. `--version`)."),
       Addresses("fingerprint_dependencies", "Targets needed to run the fingerprint."),
       BoolField("log_fingerprinting_errors", true, "If true, failed fingerprints are logged.")}));
  return out;
}

namespace {

// ---------------------------------------------------------------------------
// JVM backends (pants.backend.experimental.{java,scala,kotlin}); the fields
// every JVM code target has.
// ---------------------------------------------------------------------------

FieldSpec JvmResolveField() {
  return Str("resolve", "The JVM resolve (from `[jvm].resolves`) this target uses; default "
                        "`[jvm].default_resolve`.");
}

FieldSpec JvmJdkField() {
  return Str("jdk", "The major JDK version this target builds with; default "
                    "`[jvm].default_source_jdk`.");
}

FieldSpec JvmMainField() {
  return Str("main", "`.`-separated name of the class whose `main()` `run` calls.");
}

std::vector<FieldSpec> JvmCodeFields() {
  return {graph::DependenciesField(), JvmResolveField(), JvmJdkField(),
          Strs("experimental_provides_types",
               "Types these files provide, so dependency inference prefers them to "
               "jvm_artifact targets.")};
}

// The fields a code generator copies to the targets it generates; `plugins` is
// the compiler-plugin field name (scalac_plugins, kotlinc_plugins) or nullptr.
std::vector<FieldSpec> JvmSourceMovedFields(const char* plugins) {
  std::vector<FieldSpec> out = JvmCodeFields();
  out.push_back(JvmMainField());
  if (plugins != nullptr) {
    out.push_back(Strs(plugins, "Names of the compiler plugins this code uses."));
  }
  return out;
}

std::vector<FieldSpec> JvmTestMovedFields(const char* plugins) {
  std::vector<FieldSpec> out = JvmCodeFields();
  out.push_back(TimeoutField("Seconds each test file may run (see `[test].timeout_default`)."));
  out.push_back(Strs("extra_env_vars", "Extra environment variables of the test: `NAME=value` "
                                       "or `NAME`."));
  if (plugins != nullptr) {
    out.push_back(Strs(plugins, "Names of the compiler plugins this code uses."));
  }
  return out;
}

// A single-file type `alias` and its generator `generator_alias` with `globs`.
void AddSourcePair(std::vector<TargetType>& out, const std::string& alias, std::string help,
                   const std::string& generator_alias, Value globs,
                   const std::vector<FieldSpec>& moved) {
  std::vector<FieldSpec> fields = {SourceField()};
  for (const FieldSpec& f : moved) fields.push_back(f);
  out.push_back(NewType(alias, std::move(help), std::move(fields)));
  out.push_back(FileGenerator(generator_alias, alias, std::move(globs), moved));
}

FieldSpec ShadingRulesField() {
  return Any("shading_rules", "Shading rules applied to the archive: shading_relocate(...), "
                              "shading_rename(...), shading_zap(...), shading_keep(...).");
}

// pants.jvm: the types every JVM language backend registers.
std::vector<TargetType> JvmCommonTargetTypes() {
  std::vector<TargetType> out;
  out.push_back(NewType(
      "jvm_artifact", "A third-party JVM artifact, by its Maven coordinate.",
      {Required(Str("group", "The group of the coordinate, e.g. `com.google.guava`.")),
       Required(Str("artifact", "The artifact of the coordinate, e.g. `guava`.")),
       Required(Str("version", "The version of the coordinate, e.g. `30.1.1-jre`.")),
       Strs("packages", "The JVM packages this artifact provides (for inference), e.g. "
                        "`[\"org.junit.**\"]`."),
       Str("url", "A URL the artifact is fetched from instead of the Maven repositories."),
       Str("jar", "A local JAR file providing this artifact, relative to the BUILD file."),
       JvmResolveField(), JvmJdkField(), JvmMainField(),
       Any("exclusions", "Coordinates excluded from this artifact's dependencies: a list of "
                         "jvm_exclude(group=..., artifact=...)."),
       BoolField("force_version", false,
                 "If true, the version is forced during resolution (coursier --force-version).")}));
  out.push_back(NewType(
      "jvm_artifacts",
      "jvm_artifact targets for the dependencies of a pom.xml (braid does not generate them).",
      {SourceField(Value::String("pom.xml")),
       Dict("package_mapping", "Packages each artifact provides, by `group:artifact`.",
            Value::Dict()),
       JvmResolveField()}));
  out.push_back(NewType(
      "deploy_jar", "A JAR of first- and third-party classes, for deploys (braid does not build "
                    "it).",
      {Required(Str("main", "`.`-separated name of the class whose `main()` the JAR runs.")),
       graph::DependenciesField(), OutputPathField(), JvmResolveField(), JvmJdkField(),
       Any("duplicate_policy", "What to do with duplicate entries: a list of "
                               "duplicate_rule(pattern=..., action=...)."),
       Strs("exclude_files", "Patterns of files left out of the JAR."), ShadingRulesField(),
       BoolField("restartable", false, "If true, `run` may restart on input changes.")}));
  out.push_back(NewType(
      "jvm_war", "A web application archive for Java Servlet containers (braid does not build "
                 "it).",
      {Required(Str("descriptor", "The descriptor file (web.xml) of the WAR.")),
       Addresses("content", "resources and files targets placed in the WAR's document root."),
       graph::DependenciesField(), OutputPathField(), JvmResolveField(), ShadingRulesField()}));
  return out;
}

void Append(std::vector<TargetType>& out, std::vector<TargetType> more) {
  for (TargetType& t : more) out.push_back(std::move(t));
}

}  // namespace

std::vector<TargetType> JavaTargetTypes() {
  std::vector<TargetType> out;
  AddSourcePair(out, "java_source", "One Java file of application or library code.",
                "java_sources", StringList({"*.java", "!*Test.java"}),
                JvmSourceMovedFields(nullptr));
  AddSourcePair(out, "junit_test", "One Java test file, run with JUnit (braid does not run it).",
                "junit_tests", StringList({"*Test.java"}), JvmTestMovedFields(nullptr));
  Append(out, JvmCommonTargetTypes());
  return out;
}

std::vector<TargetType> ScalaTargetTypes() {
  std::vector<TargetType> out;
  AddSourcePair(out, "scala_source", "One Scala file of application or library code.",
                "scala_sources",
                StringList({"*.scala", "!*Test.scala", "!*Spec.scala", "!*Suite.scala"}),
                JvmSourceMovedFields("scalac_plugins"));
  AddSourcePair(out, "scalatest_test",
                "One Scala test file, run with Scalatest (braid does not run it).",
                "scalatest_tests", StringList({"*Spec.scala", "*Suite.scala"}),
                JvmTestMovedFields("scalac_plugins"));
  AddSourcePair(out, "scala_junit_test",
                "One Scala test file, run with JUnit (braid does not run it).",
                "scala_junit_tests", StringList({"*Test.scala"}),
                JvmTestMovedFields("scalac_plugins"));
  out.push_back(NewType(
      "scala_artifact",
      "A third-party Scala artifact; its artifact name gets the Scala version suffix.",
      {Required(Str("group", "The group of the coordinate.")),
       Required(Str("artifact", "The artifact of the coordinate, without the Scala suffix.")),
       Required(Str("version", "The version of the coordinate.")),
       Enum("crossversion", {"binary", "full"},
            "Which Scala version suffixes the artifact name (`_2.13` or `_2.13.1`).",
            Value::String("binary")),
       Strs("packages", "The JVM packages this artifact provides (for inference)."),
       Str("url", "A URL the artifact is fetched from instead of the Maven repositories."),
       Str("jar", "A local JAR file providing this artifact, relative to the BUILD file."),
       JvmResolveField(), JvmJdkField(), JvmMainField(),
       Any("exclusions", "Coordinates excluded from this artifact's dependencies: "
                         "jvm_exclude(...) or scala_exclude(...)."),
       BoolField("force_version", false, "If true, the version is forced during resolution.")}));
  out.push_back(NewType(
      "scalac_plugin", "A Scala compiler plugin from a jvm_artifact.",
      {Str("plugin_name", "The plugin's name (default: the target name)."),
       Required(Str("artifact", "Address of the jvm_artifact of the plugin."))}));
  Append(out, JvmCommonTargetTypes());
  return out;
}

std::vector<TargetType> KotlinTargetTypes() {
  std::vector<TargetType> out;
  AddSourcePair(out, "kotlin_source", "One Kotlin file of application or library code.",
                "kotlin_sources", StringList({"*.kt", "!*Test.kt"}),
                JvmSourceMovedFields("kotlinc_plugins"));
  AddSourcePair(out, "kotlin_junit_test",
                "One Kotlin test file, run with JUnit (braid does not run it).",
                "kotlin_junit_tests", StringList({"*Test.kt"}),
                JvmTestMovedFields("kotlinc_plugins"));
  out.push_back(NewType(
      "kotlinc_plugin", "A Kotlin compiler plugin from a jvm_artifact.",
      {Required(Str("plugin_id", "The plugin's id.")),
       Strs("plugin_args", "Arguments passed to the plugin.", Value::List()),
       Required(Str("artifact", "Address of the jvm_artifact of the plugin."))}));
  Append(out, JvmCommonTargetTypes());
  return out;
}

std::vector<ObjectSymbol> JvmObjectSymbols() {
  return {
      {"jvm_exclude", "An exclusion in jvm_artifact(exclusions=[...]): "
                      "`jvm_exclude(group=..., artifact=None)`."},
      {"duplicate_rule", "A rule in deploy_jar(duplicate_policy=[...]): "
                         "`duplicate_rule(pattern=..., action=...)`."},
      {"shading_relocate", "A shading rule moving classes to another package."},
      {"shading_rename", "A shading rule renaming classes matching a pattern."},
      {"shading_zap", "A shading rule removing classes matching a pattern."},
      {"shading_keep", "A shading rule keeping classes matching a pattern."},
  };
}

std::vector<ObjectSymbol> ScalaObjectSymbols() {
  std::vector<ObjectSymbol> out = JvmObjectSymbols();
  out.push_back({"scala_exclude", "An exclusion in scala_artifact(exclusions=[...]) with the "
                                  "Scala version suffix: `scala_exclude(group=..., "
                                  "artifact=None, crossversion=...)`."});
  return out;
}

namespace {

// Environment-aware options Pants' subsystems add as fields of the
// environment targets (`<scope>_<option>`); the common ones.
std::vector<FieldSpec> EnvironmentAwareFields() {
  std::vector<FieldSpec> out;
  for (const char* name :
       {"subprocess_environment_env_vars", "python_bootstrap_names",
        "python_bootstrap_search_path", "python_native_code_cpp_flags",
        "python_native_code_ld_flags", "pex_executable_search_paths",
        "shell_setup_executable_search_paths", "docker_env_vars", "docker_executable_search_paths",
        "test_extra_env_vars", "system_binaries_system_binary_paths", "nodejs_search_path",
        "nodejs_executable_search_paths", "golang_go_search_paths",
        "golang_cgo_tool_search_paths", "golang_external_linker_binary_name",
        "golang_cgo_gcc_binary_name", "golang_cgo_c_flags", "golang_cgo_cxx_flags",
        "golang_cgo_linker_flags", "jvm_global_options", "helm_extra_env_vars"}) {
    out.push_back(Any(name, "An environment-aware subsystem option for this environment."));
  }
  return out;
}

std::vector<FieldSpec> WithEnvironmentAware(std::vector<FieldSpec> fields) {
  for (FieldSpec& f : EnvironmentAwareFields()) fields.push_back(std::move(f));
  return fields;
}

// experimental_wrap_as_*: the files of other targets (e.g. an adhoc_tool's
// outputs) made available as `kind` (resources, files, python_sources).
TargetType WrapAsType(std::string alias, const std::string& kind) {
  return NewType(
      std::move(alias),
      absl::StrCat("The files of the `inputs` targets, consumed as ", kind,
                   " (an explicit dependency only; braid keeps the schema)."),
      {Required(Addresses("inputs", "The targets whose files are made available.")),
       Strs("outputs", "Which of their files are made available (default: all with the "
                       "expected extensions).")});
}

FieldSpec FallbackEnvironmentField() {
  return Str("fallback_environment",
             "Environment used when this one cannot be (a name, `__local__`, or None).");
}

}  // namespace

std::vector<TargetType> CoreExtraTargetTypes() {
  std::vector<TargetType> out;
  out.push_back(NewType(
      "archive", "A zip or tar of packages and loose files (braid does not build it).",
      {Required(Enum("format", {"tar", "tar.bz2", "tar.gz", "tar.xz", "zip"},
                     "The archive format.")),
       Addresses("packages", "Packageable targets whose artifacts go in the archive."),
       Addresses("files", "file/files/relocated_files targets whose files go in the archive."),
       OutputPathField()}));
  out.push_back(NewType(
      "relocated_files", "Files from file/files targets moved to another directory.",
      {Required(Addresses("files_targets", "The file/files targets whose files are moved.")),
       Required(Str("src", "The path prefix removed (empty for none).")),
       Required(Str("dest", "The path prefix added (empty for none)."))}));
  out.push_back(NewType(
      "local_environment", "Settings of a local execution environment.",
      WithEnvironmentAware(
          {Strs("compatible_platforms", "Platforms this environment applies to.",
                StringList({"linux_arm64", "linux_x86_64", "macos_arm64", "macos_x86_64"})),
           FallbackEnvironmentField()})));
  out.push_back(NewType(
      "docker_environment", "Settings of a Docker execution environment.",
      WithEnvironmentAware({Required(Str("image", "The Docker image processes run in.")),
                            Any("platform", "The platform of the image."),
                            FallbackEnvironmentField()})));
  out.push_back(NewType(
      "remote_environment", "Settings of a remote execution environment.",
      WithEnvironmentAware({Any("platform", "The platform of the remote workers."),
                            Strs("extra_platform_properties",
                                 "Extra platform properties sent to the server (`k=v`)."),
                            FallbackEnvironmentField(),
                            BoolField("cache_binary_discovery", false,
                                 "If true, found binaries are cached across runs.")})));
  out.push_back(NewType("experimental_workspace_environment",
                        "Settings of an environment that runs processes in the workspace.",
                        WithEnvironmentAware({})));
  for (const char* kind : {"resources", "files"}) {
    out.push_back(WrapAsType(absl::StrCat("experimental_wrap_as_", kind), kind));
  }
  // Pants registers this one with its Python backend; braid's Python support is always on.
  out.push_back(WrapAsType("experimental_wrap_as_python_sources", "python_sources"));
  return out;
}

}  // namespace braid::pants_backends
