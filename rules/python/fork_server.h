// The pytest fork server ("zygote", rules/python/pytest_zygote.py) as a ForkServerSpec.
//
//   ProcessSpec& spec = request.spec;   // <python> -m pytest ... with its declared env
//   spec.fork_server = std::make_shared<const exec::ForkServerSpec>(
//       PytestForkServer(interpreter, {"numpy"}, spec.env, ""));
//   // or, for many requests: PytestForkServers servers; spec.fork_server = servers.Get(...);
//
// The server is started as `<python> -c <zygote script> braid-pytest-zygote [--preload M]...`
// with the part of the action's environment the interpreter reads at start-up (PATH, LANG,
// LC_*, PYTHON* except PYTHONPATH, PYTEST_DEBUG / PYTEST_DISABLE_PLUGIN_AUTOLOAD): that
// environment is applied once, before the fork, so it is part of the server's key. The key
// also holds braid's version (which fixes the script), the interpreter's path, version and
// packages digest, and the preloaded modules: a change to any of them starts another server.
// None of this is in the action's cache key: a forked child must give exactly the result of
// exec'ing the action's argv.
#ifndef BRAID_RULES_PYTHON_FORK_SERVER_H_
#define BRAID_RULES_PYTHON_FORK_SERVER_H_

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

#include "absl/strings/string_view.h"
#include "core/exec/process.h"
#include "rules/python/interpreter.h"

namespace braid::python {

/// The zygote script, embedded into the binary at build time.
absl::string_view PytestZygoteScript();

/// The fork server for pytest actions run by `interpreter` with environment `action_env`.
/// `timings_file` (braid's BRAID_FORK_SERVER_TIMINGS, a benchmarking aid; "" = off): each
/// child appends "<test file> <ms from fork to its first test>" to it.
exec::ForkServerSpec PytestForkServer(const InterpreterInfo& interpreter,
                                      const std::vector<std::string>& preload_modules,
                                      const std::map<std::string, std::string>& action_env,
                                      absl::string_view timings_file);

/// Hands out one shared spec per server key: the requests of a run mostly name the same
/// server, and each spec's argv holds the whole script (~35 kB), which a fully cached
/// `test ::` on 1,000 files used to copy 1,000 times. Thread-safe.
class PytestForkServers {
 public:
  /// Equal to PytestForkServer(...) with the same arguments.
  std::shared_ptr<const exec::ForkServerSpec> Get(
      const InterpreterInfo& interpreter, const std::vector<std::string>& preload_modules,
      const std::map<std::string, std::string>& action_env, absl::string_view timings_file);

 private:
  std::mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<const exec::ForkServerSpec>> by_key_;
};

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_FORK_SERVER_H_
