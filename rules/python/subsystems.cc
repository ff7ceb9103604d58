#include "rules/python/subsystems.h"

#include "core/base/status_macros.h"
#include "core/options/option_value.h"

namespace braid::python {

using options::OptionValue;
using options::ScopeKind;

absl::Status RegisterPythonSubsystems(options::OptionRegistry& r) {
  BRAID_RETURN_IF_ERROR(r.AddScope({"python", ScopeKind::kSubsystem,
                                    "Options for the Python backend: interpreters and resolves."}));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "python", "interpreter_constraints", {"CPython>=3.7,<4"},
      "The Python interpreters your codebase is compatible with, e.g. `CPython>=3.9`. Targets "
      "may override this with their `interpreter_constraints` field."));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "python", "interpreter_versions_universe",
      {"2.7", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"},
      "All known Python major/minor interpreter versions that may be used."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python", "enable_resolves", false,
      "Set to true to enable multiple lockfiles (resolves) for third-party requirements."));
  BRAID_RETURN_IF_ERROR(r.AddString("python", "default_resolve", std::string("python-default"),
                                    "The default value for the `resolve` field."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python", "default_run_goal_use_sandbox", true,
      "The default value for the `run_goal_use_sandbox` field of Python targets: whether `run` "
      "copies the sources into a temporary directory (true) or runs them from the repo."));
  OptionValue::Dict resolves;
  resolves.emplace_back("python-default", OptionValue::String("3rdparty/python/default.lock"));
  BRAID_RETURN_IF_ERROR(r.AddDict(
      "python", "resolves", resolves,
      "A mapping of logical names to lockfile paths used in your project."));

  BRAID_RETURN_IF_ERROR(r.AddScope({"python-infer", ScopeKind::kSubsystem,
                                    "Options controlling which dependencies will be inferred for "
                                    "Python targets."}));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-infer", "imports", true,
      "Infer a target's imported dependencies by parsing import statements from sources."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-infer", "string_imports", false,
      "Infer a target's dependencies based on strings that look like dynamic dependencies, "
      "such as Django settings files expressing dependencies as strings or "
      "`importlib.import_module(\"x\")`."));
  BRAID_RETURN_IF_ERROR(r.AddInt(
      "python-infer", "string_imports_min_dots", 2,
      "If `string_imports` is set, infer a dependency on strings that have at least this many "
      "dots in them."));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "python-infer", "string_import_ignore", {},
      "braid only: fnmatch-style globs of string candidates never to treat as imports, e.g. "
      "`['myapp.settings.*']`."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-infer", "assets", false,
      "Infer a target's asset dependencies based on strings that look like file paths."));
  BRAID_RETURN_IF_ERROR(r.AddInt(
      "python-infer", "assets_min_slashes", 1,
      "If `assets` is set, infer a dependency on strings that have at least this many slashes."));
  BRAID_RETURN_IF_ERROR(r.AddEnum(
      "python-infer", "init_files", {"always", "content_only", "never"}, std::string("content_only"),
      "Infer a target's dependencies on any `__init__.py` files in the packages it is located "
      "in (recursively upward in the directory structure): always, content_only (only "
      "non-empty ones), or never."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-infer", "conftests", true,
      "Infer a test target's dependencies on any conftest.py files in the current directory and "
      "ancestor directories."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-infer", "entry_points", true,
      "Infer dependencies on targets' entry points, e.g. `pex_binary`'s `entry_point` field."));
  BRAID_RETURN_IF_ERROR(r.AddEnum(
      "python-infer", "unowned_dependency_behavior", {"error", "ignore", "warning"},
      std::string("warning"),
      "How to handle imports that don't have an inferrable owner: ignore, warning or error."));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "python-infer", "ignored_unowned_imports", {},
      "Unowned imports that should be ignored, e.g. `['foo.bar', 'baz.*']`."));
  BRAID_RETURN_IF_ERROR(r.AddEnum(
      "python-infer", "ambiguity_resolution", {"by_source_root", "none"}, std::string("none"),
      "How to resolve imports that more than one target provides: none (no inference, with a "
      "warning), or by_source_root (prefer the owner in the importing file's source root)."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-infer", "use_rust_parser", true,
      "Accepted for compatibility with Pants; braid always uses its native parser."));

  BRAID_RETURN_IF_ERROR(r.AddScope({"python-protobuf", ScopeKind::kSubsystem,
                                    "Options related to the Protobuf Python backend "
                                    "(pants.backend.codegen.protobuf.python)."}));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-protobuf", "grpcio_plugin", true,
      "Whether a `protobuf_source` with `grpc=True` provides the grpcio stubs module "
      "`<name>_pb2_grpc` (dependency inference; braid does not run protoc)."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-protobuf", "grpclib_plugin", false,
      "Whether a `protobuf_source` with `grpc=True` provides the grpclib stubs module "
      "`<name>_grpc` (dependency inference; braid does not run protoc)."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-protobuf", "infer_runtime_dependency", true,
      "If true, a `protobuf_source` depends on the python_requirement that provides "
      "`google.protobuf` (and, with `grpc=True`, the one that provides `grpc`), in its "
      "`python_resolve`; none or more than one such requirement is an error."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-protobuf", "mypy_plugin", false,
      "Accepted for compatibility with Pants (braid does not run protoc or mypy)."));

  BRAID_RETURN_IF_ERROR(r.AddScope({"python-thrift", ScopeKind::kSubsystem,
                                    "Options specific to generating Python from Thrift "
                                    "(pants.backend.codegen.thrift.apache.python)."}));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "python-thrift", "infer_runtime_dependency", true,
      "If true, a `thrift_source` depends on the python_requirement that provides `thrift`, in "
      "its `python_resolve`; none or more than one such requirement is an error."));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "python-thrift", "gen_options", {},
      "Accepted for compatibility with Pants (braid does not run the Thrift compiler)."));

  BRAID_RETURN_IF_ERROR(r.AddScope({"python-bootstrap", ScopeKind::kSubsystem,
                                    "Options used to locate Python interpreters."}));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "python-bootstrap", "search_path", {"<PYENV>", "<PATH>"},
      "A list of paths to search for Python interpreters. `<PATH>` expands to the PATH "
      "environment variable, `<PYENV>` to every interpreter installed by pyenv "
      "($PYENV_ROOT/versions/*/bin); other entries are directories. Among interpreters that "
      "satisfy the interpreter constraints the oldest version is used."));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "python-bootstrap", "names", {"python", "python3"},
      "The names of Python binaries to search for in the search path."));

  BRAID_RETURN_IF_ERROR(r.AddScope({"pytest", ScopeKind::kSubsystem,
                                    "The pytest Python test framework."}));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "pytest", "args", {}, "Arguments to pass directly to pytest, e.g. `--pytest-args='-k test_foo'`."));
  BRAID_RETURN_IF_ERROR(r.AddString(
      "pytest", "execution_slot_var", std::nullopt,
      "If a non-empty string, the process execution slot id (an integer) will be exposed to "
      "tests under this environment variable name: concurrent test processes never share a "
      "slot, so tests can derive ports or database names from it."));
  BRAID_RETURN_IF_ERROR(r.AddEnum(
      "pytest", "junit_family", {"xunit1", "xunit2", "legacy"}, std::string("xunit2"),
      "The format of generated junit XML files."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "pytest", "fork_server", true,
      "braid only: run each test file in a child forked from a long-lived pytest process "
      "(every file still in its own sandbox); false runs one plain process per file."));
  BRAID_RETURN_IF_ERROR(r.AddBool(
      "pytest", "fork_server_prepare", true,
      "braid only: while a test file runs, start the next ones of its slot (up to two) in the "
      "fork server up to their first test (start-up and collection, in namespaces of their "
      "own), so each begins at once when the slot frees. Only where sandboxes get namespaces "
      "with a loopback-only network; false starts each child only when its slot is free."));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "pytest", "preload_modules", {},
      "braid only: third-party modules the fork server imports once up front (e.g. numpy)."));

  BRAID_RETURN_IF_ERROR(r.AddScope({"test", ScopeKind::kGoal, "Run tests."}));
  BRAID_RETURN_IF_ERROR(r.AddBool("test", "force", false,
                                  "Force the tests to run, even if they could be satisfied from "
                                  "cache."));
  BRAID_RETURN_IF_ERROR(r.AddEnum(
      "test", "output", {"all", "failed", "none"}, std::string("failed"),
      "Show stdout/stderr for these tests."));
  BRAID_RETURN_IF_ERROR(r.AddBool("test", "report", false,
                                  "Write test reports to --test-report-dir."));
  BRAID_RETURN_IF_ERROR(r.AddString("test", "report_dir", std::string("{distdir}/test/reports"),
                                    "Path to write test reports to. Must be relative to the build "
                                    "root."));
  BRAID_RETURN_IF_ERROR(r.AddBool("test", "timeouts", true,
                                  "Enable test target timeouts. If timeouts are enabled then test "
                                  "targets with a timeout= parameter set on their target will "
                                  "time out after the given number of seconds if not completed."));
  BRAID_RETURN_IF_ERROR(r.AddInt("test", "timeout_default", std::nullopt,
                                 "The default timeout (in seconds) for a test target if the "
                                 "`timeout` field is not set on the target."));
  BRAID_RETURN_IF_ERROR(r.AddInt("test", "timeout_maximum", std::nullopt,
                                 "The maximum timeout (in seconds) that may be used on a test "
                                 "target."));
  BRAID_RETURN_IF_ERROR(r.AddStringList(
      "test", "extra_env_vars", {},
      "Additional environment variables to include in test processes. Entries are strings in "
      "the form `ENV_VAR=value` to use explicitly; or just `ENV_VAR` to copy the value of a "
      "variable in braid's own environment."));
  BRAID_RETURN_IF_ERROR(r.AddInt("test", "attempts_default", 1,
                                 "The number of attempts to run tests, in case of a test failure. "
                                 "Tests that were retried will include the number of attempts in "
                                 "the summary output."));
  BRAID_RETURN_IF_ERROR(r.AddBool("test", "debug", false,
                                  "Run tests sequentially in an interactive process."));
  BRAID_RETURN_IF_ERROR(r.AddBool("test", "use_coverage", false,
                                  "Generate a coverage report if the test runner supports it."));
  BRAID_RETURN_IF_ERROR(r.AddInt(
      "test", "batch_size", 128,
      "The target maximum number of files to run in one test process when test targets share a "
      "`batch_compatibility_tag`. Batches are cut at stable boundaries (so adding a test changes "
      "one or two batches, not all), which makes this a target rather than an exact size."));
  BRAID_RETURN_IF_ERROR(r.AddString("test", "shard", std::string(""),
                                    "A shard specification of the form \"k/N\", where N is a "
                                    "positive integer and k is a non-negative integer less than N. "
                                    "If set, the request input targets will be deterministically "
                                    "partitioned into N disjoint subsets of roughly equal size, "
                                    "and only the k'th subset will be used, with all others "
                                    "discarded."));
  return absl::OkStatus();
}

}  // namespace braid::python
