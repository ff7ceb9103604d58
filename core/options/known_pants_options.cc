#include "core/options/known_pants_options.h"

#include <algorithm>
#include <map>

namespace braid::options {
namespace {

// Scopes of the Pants 2.x distribution (core, python, shell, docker, go, jvm,
// javascript, helm, terraform, codegen and tool backends), including goals.
// Source: the Pants reference ("pants help subsystems" / "help goals"), 2.15-2.24.
constexpr const char* kScopes[] = {
    "GLOBAL", "add-trailing-comma", "anonymous-telemetry", "apache-thrift", "autoflake",
    "avro", "bandit", "black", "bsp", "buf", "build-deprecations-fixer", "cc", "changed",
    "check", "clang-format", "cli", "count-loc", "coursier", "coverage-py", "cue",
    "debug-adapter", "debugpy", "dependencies", "dependents", "docformatter", "docker",
    "dockerfile-parser", "download-terraform", "environments-preview", "experimental-bsp",
    "experimental-deploy", "experimental-explorer", "export", "export-codegen",
    "filedeps", "filter", "fix", "flake8", "fmt", "generate-lockfiles", "generate-snapshots",
    "go", "go-generate", "go-test", "go-vet", "gofmt", "golang", "golangci-lint",
    "google-java-format", "graphql", "grpc-python-plugin", "hadolint", "helm",
    "helm-infer", "helm-k8s-parser", "helm-post-renderer", "helm-unittest", "help",
    "help-advanced", "help-all", "ipython", "isort", "jar_tool", "jarjar", "java-infer",
    "java-parser", "javac", "junit", "jvm", "jvm-dependency-inference", "kotlin",
    "kotlin-infer", "kotlinc", "ktlint", "kubeconform", "lambdex", "lint", "list",
    "makeself", "migrate-call-by-name", "mypy", "mypy-protobuf", "nfpm", "nodejs",
    "nodejs-infer", "nodejs-test", "npm", "openapi", "package", "paths", "peek", "pex",
    "pex-binary-defaults", "pex-cli", "pnpm", "preamble", "prettier", "protobuf-java-grpc",
    "protoc", "publish", "py-constraints", "pydocstyle", "pyenv-python-provider", "pylint",
    "pyoxidizer", "pyright", "pytest", "python", "python-aws-lambda", "python-bootstrap",
    "python-dockerfile-parser", "python-google-cloud-function", "python-infer",
    "python-native-code", "python-protobuf", "python-repos", "python-thrift", "pytype",
    "pyupgrade", "regex-lint", "repl", "roots", "ruff", "run", "rust", "rustfmt", "sbt",
    "scala", "scala-infer", "scala-parser", "scalac", "scalafix", "scalafmt", "scalapb",
    "scalatest", "scc", "scrooge", "semgrep", "setup-py-generation", "setuptools",
    "setuptools-scm", "shell-setup", "shellcheck", "shfmt", "shunit2", "source", "sql",
    "sqlfluff", "stats", "subprocess-environment", "system-binaries", "tailor", "taplo",
    "terraform", "terraform-fmt", "terraform-hcl2-parser", "terraform-validate", "test",
    "tfsec", "thrift", "twine", "update-build-files", "uv", "version", "visibility",
    "vulture", "workunit-logger", "yamllint", "yapf", "yarn",
};

using OptionTable = std::map<std::string, std::vector<std::string>, std::less<>>;

// Option names for the scopes braid implements or is likely to implement.
// Includes options removed in recent Pants releases that older repos still set.
const OptionTable& Table() {
  static const OptionTable* table = new OptionTable{
      {"GLOBAL",
       {"allow_deprecated_macos_versions", "backend_packages", "build_file_prelude_globs",
        "build_ignore", "build_patterns", "ca_certs_path", "cache_content_behavior", "colors",
        "concurrent", "docker_execution", "dynamic_ui", "dynamic_ui_log_streaming",
        "dynamic_ui_log_streaming_lines", "dynamic_ui_log_streaming_topn", "dynamic_ui_renderer",
        "engine_visualize_to", "file_downloads_max_attempts", "file_downloads_retry_delay",
        "files_not_found_behavior", "ignore_warnings", "keep_sandboxes", "level",
        "local_cache", "local_execution_root_dir", "local_store_dir",
        "local_store_directories_max_size_bytes", "local_store_files_max_size_bytes",
        "local_store_processes_max_size_bytes", "local_store_shard_count",
        "log_levels_by_target", "log_show_rust_3rdparty", "logdir", "loop", "loop_max",
        "named_caches_dir", "native_options_validation", "owners_not_found_behavior",
        "pants_bin_name", "pants_config_files", "pants_distdir", "pants_ignore",
        "pants_ignore_use_gitignore", "pants_physical_workdir_base", "pants_subprocessdir",
        "pants_version", "pants_workdir", "pantsd", "pantsd_invalidation_globs",
        "pantsd_max_memory_usage", "pantsd_pailgun_port",
        "pantsd_timeout_when_multiple_invocations", "pantsrc", "pantsrc_files", "plugins",
        "plugins_force_resolve", "print_stacktrace", "process_cleanup",
        "process_execution_cache_namespace", "process_execution_graceful_shutdown_timeout",
        "process_execution_local_enable_nailgun", "process_execution_local_parallelism",
        "process_execution_remote_parallelism", "process_per_child_memory_usage",
        "process_total_child_memory_usage", "pythonpath", "remote_auth_plugin",
        "remote_ca_certs_path", "remote_cache_read", "remote_cache_rpc_concurrency",
        "remote_cache_rpc_timeout_millis", "remote_cache_warnings", "remote_cache_write",
        "remote_client_certs_path", "remote_client_key_path", "remote_execution",
        "remote_execution_address", "remote_execution_append_only_caches_base_path",
        "remote_execution_extra_platform_properties", "remote_execution_headers",
        "remote_execution_overall_deadline_secs", "remote_execution_rpc_concurrency",
        "remote_instance_name", "remote_oauth_bearer_token", "remote_oauth_bearer_token_path",
        "remote_provider", "remote_store_address", "remote_store_batch_api_size_limit",
        "remote_store_chunk_bytes", "remote_store_headers", "remote_store_rpc_concurrency",
        "remote_store_rpc_retries", "remote_store_rpc_timeout_millis", "rule_threads_core",
        "rule_threads_max", "sandboxer", "session_end_tasks_timeout", "show_log_target",
        "spec_files", "stats_record_option_scopes", "streaming_workunits_complete_async",
        "streaming_workunits_level", "streaming_workunits_report_interval",
        "subproject_roots", "tag", "unmatched_build_file_globs", "unmatched_cli_globs",
        "use_deprecated_directory_cli_args_semantics", "use_deprecated_python_macros",
        "verify_config", "watch_filesystem"}},
      {"changed", {"dependees", "dependents", "diffspec", "since"}},
      {"source", {"marker_filenames", "root_patterns"}},
      {"python",
       {"default_resolve", "default_run_goal_use_sandbox", "enable_lockfile_targets",
        "enable_resolves", "interpreter_constraints", "interpreter_versions_universe",
        "invalid_lockfile_behavior", "lockfile_generator", "macos_big_sur_compatibility",
        "pip_version", "resolver_manylinux", "resolves", "resolves_generate_lockfiles",
        "resolves_to_constraints_file", "resolves_to_interpreter_constraints",
        "resolves_to_no_binary", "resolves_to_only_binary", "resolves_to_sources",
        "run_against_entire_lockfile", "separate_lockfile_metadata_file", "tailor_ignore_empty_init_files",
        "tailor_pex_binary_targets", "tailor_py_typed_targets", "tailor_requirements_targets",
        "tailor_source_targets", "tailor_test_targets", "experimental_lockfile",
        "lockfile", "requirement_constraints", "resolve_all_constraints",
        "no_binary", "only_binary"}},
      {"python-infer",
       {"ambiguity_resolution", "assets", "assets_min_slashes", "conftests",
        "entry_points", "ignored_unowned_imports", "imports", "init_files", "inits",
        "string_imports", "string_imports_min_dots", "unowned_dependency_behavior",
        "use_rust_parser"}},
      {"python-protobuf",
       {"buf_plugin_suffixes", "generate_type_stubs", "grpcio_plugin", "grpclib_plugin",
        "infer_runtime_dependency", "mypy_plugin", "runtime_dependencies"}},
      {"protoc",
       {"dependency_inference", "known_versions", "tailor", "url_platform_mapping",
        "url_template", "use_unsupported_version", "version"}},
      {"python-thrift", {"gen_options", "infer_runtime_dependency"}},
      {"thrift", {"dependency_inference", "expected_version", "tailor", "thrift_search_paths"}},
      {"python-repos", {"find_links", "indexes", "path_mappings", "repos"}},
      {"python-bootstrap", {"internal_python_build_standalone_info", "names",
                            "search_path", "tailor_pex_binary_targets"}},
      {"pytest",
       {"args", "config", "config_discovery", "console_script", "execution_slot_var",
        "experimental_lockfile", "export", "extra_requirements", "install_from_resolve",
        "interpreter_constraints", "junit_family", "lockfile", "requirements",
        "skip", "timeouts", "version", "xdist_enabled", "emit_coverage", "allow_empty_test_collection"}},
      {"test",
       {"attempts_default", "batch_size", "debug", "debug_adapter", "extra_env_vars",
        "force", "open_coverage", "output", "report", "report_dir", "show_rerun_command",
        "shard", "timeout_default", "timeout_maximum", "timeouts", "use_coverage"}},
      {"coverage-py",
       {"args", "config", "config_discovery", "console_script", "export", "fail_under",
        "filter", "global_report", "install_from_resolve", "interpreter_constraints",
        "lockfile", "output_dir", "report", "requirements", "version", "extra_requirements"}},
      {"lint", {"batch_size", "only", "skip_formatters", "skip_fixers"}},
      {"fmt", {"batch_size", "only"}},
      {"fix", {"batch_size", "only", "skip_formatters"}},
      {"check", {"only"}},
      {"package", {"output_dir"}},
      {"run", {"args", "cleanup", "debug_adapter"}},
      {"repl", {"shell", "restartable"}},
      {"export", {"bin", "py_editable_in_resolve", "py_generated_sources_in_resolve",
                  "py_non_hermetic_scripts_in_resolve", "py_resolve_format", "resolve", "symlink_python_virtualenv"}},
      {"generate-lockfiles", {"custom_command", "diff", "diff_include_unchanged", "resolve"}},
      {"tailor", {"alias_mapping", "build_file_header", "build_file_indent",
                  "build_file_name", "check", "ignore_adding_targets", "ignore_paths"}},
      {"update-build-files", {"check", "fmt", "formatter", "fix_safe_deprecations"}},
      {"filter", {"address_regex", "granularity", "tag_regex", "target_type"}},
      {"peek", {"exclude_defaults", "include_dep_rules", "include_additional_info", "output_file", "sep"}},
      {"dependencies", {"closed", "format", "output_file", "sep", "transitive"}},
      {"dependents", {"closed", "format", "output_file", "sep", "transitive"}},
      {"list", {"documented", "output_file", "sep"}},
      {"roots", {"output_file", "sep"}},
      {"filedeps", {"absolute", "globs", "output_file", "sep", "transitive"}},
      {"count-loc", {"args"}},
      {"py-constraints", {"output_file", "sep", "summary"}},
      {"setup-py-generation", {"first_party_dependency_version_scheme", "generate_setup_default"}},
      {"anonymous-telemetry", {"enabled", "repo_id"}},
      {"cli", {"alias"}},
      {"stats", {"log", "memory_summary", "output_file"}},
      {"environments-preview", {"names"}},
      {"subprocess-environment", {"env_vars"}},
      {"black", {"args", "config", "config_discovery", "console_script", "export",
                 "install_from_resolve", "interpreter_constraints", "lockfile",
                 "requirements", "skip", "version", "extra_requirements"}},
      {"ruff", {"args", "config", "config_discovery", "console_script", "export",
                "install_from_resolve", "interpreter_constraints", "known_versions",
                "lockfile", "requirements", "skip", "url_platform_mapping", "url_template",
                "use_unsupported_version", "version", "extra_requirements"}},
      {"isort", {"args", "config", "config_discovery", "console_script", "export",
                 "install_from_resolve", "interpreter_constraints", "lockfile",
                 "requirements", "skip", "version", "extra_requirements"}},
      {"flake8", {"args", "config", "config_discovery", "console_script", "export",
                  "extra_files", "install_from_resolve", "interpreter_constraints", "lockfile",
                  "requirements", "skip", "source_plugins", "version", "extra_requirements"}},
      {"mypy", {"args", "config", "config_discovery", "console_script", "export",
                "extra_type_stubs", "extra_type_stubs_lockfile", "install_from_resolve",
                "interpreter_constraints", "lockfile", "requirements", "skip",
                "source_plugins", "version", "extra_requirements"}},
      {"pylint", {"args", "config", "config_discovery", "console_script", "export",
                  "install_from_resolve", "interpreter_constraints", "lockfile",
                  "requirements", "skip", "source_plugins", "version", "extra_requirements"}},
  };
  return *table;
}

}  // namespace

bool IsKnownPantsScope(absl::string_view scope) {
  const std::vector<std::string>& scopes = KnownPantsScopes();
  return std::binary_search(scopes.begin(), scopes.end(), std::string(scope));
}

const std::vector<std::string>& KnownPantsScopes() {
  static const std::vector<std::string>* scopes = [] {
    auto* v = new std::vector<std::string>(std::begin(kScopes), std::end(kScopes));
    std::sort(v->begin(), v->end());
    return v;
  }();
  return *scopes;
}

const std::vector<std::string>* KnownPantsOptions(absl::string_view scope) {
  static const std::map<std::string, std::vector<std::string>, std::less<>>* sorted = [] {
    auto* m = new std::map<std::string, std::vector<std::string>, std::less<>>(Table());
    for (auto& [k, v] : *m) std::sort(v.begin(), v.end());
    return m;
  }();
  auto it = sorted->find(scope);
  return it == sorted->end() ? nullptr : &it->second;
}

}  // namespace braid::options
