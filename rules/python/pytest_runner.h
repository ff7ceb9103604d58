// How one python_test target becomes one sandboxed pytest process.
//
// Every test file runs in its own sandbox holding exactly its transitive
// closure (sources, resources, files, conftest.py, __init__.py), with
// PYTHONPATH = the source roots of those files (relative to the sandbox root,
// its working directory, so subprocesses the test starts import first-party
// code too). The process is:
//
//   <python> -m pytest --color=no -p no:cacheprovider --junitxml=.braid/junit.xml
//            -o junit_family=<family> [pytest args] [passthrough] <test file>
//
// with exactly this environment: PATH (the interpreter's directory, then
// /usr/bin:/bin), PYTHONPATH, PYTHONDONTWRITEBYTECODE=1, the [test]
// extra_env_vars and the target's extra_env_vars. TMPDIR is the sandbox's own
// (added by the scheduler, not part of the cache key); the execution slot is
// exported under [pytest] execution_slot_var. With [pytest] fork_server (default on)
// the action also names the pytest fork server (fork_server.h), which runs it as a
// forked child with the same result; that choice is not part of the cache key.
#ifndef BRAID_RULES_PYTHON_PYTEST_RUNNER_H_
#define BRAID_RULES_PYTHON_PYTEST_RUNNER_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/status/statusor.h"
#include "core/engine/action.h"
#include "core/graph/target.h"
#include "rules/python/fork_server.h"
#include "rules/python/interpreter.h"

namespace braid::python {

/// The sandbox path of the JUnit report (a declared output).
inline constexpr char kJunitReportPath[] = ".braid/junit.xml";
/// Bumped whenever the argv/env/layout below changes, so old cache entries miss.
inline constexpr char kPytestRuleVersion[] = "pytest-1";

/// Whether files are executable (the bit is part of the input digest), asked
/// once per path per run: a closure file is an input of many tests.
class ExecutableBits {
 public:
  /// Safe to call from several threads at once.
  bool Of(const std::string& abs_path);

 private:
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, bool> memo_ ABSL_GUARDED_BY(mu_);
};

struct PytestSettings {
  InterpreterInfo interpreter;
  std::string buildroot;                    // absolute
  std::vector<std::string> pytest_args;     // [pytest] args
  std::vector<std::string> passthrough;     // `braid test -- -k name`
  std::map<std::string, std::string> env;   // resolved [test] extra_env_vars
  std::string junit_family = "xunit2";
  bool timeouts = true;                     // [test] timeouts
  std::optional<int64_t> timeout_default;   // [test] timeout_default
  std::optional<int64_t> timeout_maximum;   // [test] timeout_maximum
  std::string execution_slot_var;           // [pytest] execution_slot_var ("" = none)
  std::map<std::string, std::string> braid_env;  // braid's own environment (for `VAR` entries)
  ExecutableBits* executable_bits = nullptr;     // shared memo; null: ask every time
  bool fork_server = false;                 // [pytest] fork_server (fork_server.h)
  std::vector<std::string> preload_modules; // [pytest] preload_modules
  std::string fork_server_timings;          // braid's $BRAID_FORK_SERVER_TIMINGS ("" = off)
  /// Shares one spec among the requests naming the same server; null: one spec each.
  std::shared_ptr<PytestForkServers> fork_servers;
};

/// One pytest process to run: its python_test targets (one, or a batch that
/// test_batches.h put together, in address order), the files of their closure
/// (root-relative, including their own sources) and those files' source roots.
struct PytestInputs {
  std::vector<const graph::Target*> tests;
  std::vector<std::string> files;
  std::vector<std::string> source_roots;  // "." for the build root
};

/// Resolves `extra_env_vars` entries: "NAME=value" sets a value, "NAME" copies
/// braid's own NAME (dropped if unset). Later entries win. Invalid names are
/// user errors.
absl::StatusOr<std::map<std::string, std::string>> ResolveExtraEnvVars(
    const std::vector<std::string>& entries, const std::map<std::string, std::string>& braid_env);

/// The timeout in seconds: the target's `timeout` field, else timeout_default,
/// capped by timeout_maximum; nullopt when timeouts are off or none applies.
std::optional<int64_t> EffectiveTimeout(std::optional<int64_t> field,
                                        const PytestSettings& settings);

/// The process action for `inputs`. Errors are located user errors (bad
/// extra_env_vars on the target). A batch runs all its files in one process:
/// argv lists them in order, the environment is the first target's (a batch
/// agrees on extra_env_vars), the timeout is the sum of the members' timeouts,
/// and the description reads "Run Pytest for batch of X and N other files".
absl::StatusOr<engine::ActionRequest> BuildPytestAction(const PytestInputs& inputs,
                                                        const PytestSettings& settings);

/// Names the pytest fork server in `request` (built by BuildPytestAction) when
/// settings.fork_server; nothing otherwise. BuildPytestAction calls it; a caller
/// holding many requests may build them with fork_server off and call this as
/// each one is handed to the scheduler (the server's argv holds a 30 kB script).
void AddPytestForkServer(const PytestSettings& settings, engine::ActionRequest& request);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_PYTEST_RUNNER_H_
