// The command driver: from argv to goals run and an exit code.
//
//   1. find the build root (nearest pants.toml / BUILDROOT upward from cwd)
//   2. parse options (pants.toml, PANTS_* env, flags); a usage or config error
//      exits 2 without running anything
//   3. `--version` / `help ...` are answered from the registries
//   4. each goal runs in command-line order; exit code = max of theirs
//      (0 success, 1 a goal failed)
//
// Warnings are printed to stderr as "[WARN] message"; errors as
// "[ERROR] message". Output is deterministic (no timestamps).
#ifndef BRAID_CORE_APP_APP_H_
#define BRAID_CORE_APP_APP_H_

#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "core/app/backends.h"
#include "core/app/extensions.h"
#include "core/app/goal.h"
#include "core/graph/target_type.h"
#include "core/options/option_registry.h"

namespace braid::app {

/// Everything the layers register before a run.
struct Registries {
  options::OptionRegistry options;
  graph::TargetTypeRegistry target_types;
  GoalRegistry goals;
  /// Dependency inferrers, run in this order (see Workspace::Dependencies).
  std::vector<InferrerFactory> inferrer_factories;
  /// Their optional early starts (see DependencyPrefetcher).
  std::vector<DependencyPrefetcher> dependency_prefetchers;
  /// Optional backends ([GLOBAL].backend_packages), see backends.h.
  BackendRegistry backends;
  /// Extension points goals call (generated files, metadata, platforms).
  Extensions extensions;
};

/// braid's version, printed by --version.
const char* BraidVersion();

/// Exit codes.
inline constexpr int kExitSuccess = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

struct RunInput {
  std::vector<std::string> args;  // argv without argv[0]
  std::map<std::string, std::string> env;
  std::string cwd;  // absolute
};

/// Runs one braid command. Never throws; returns the process exit code.
int Run(const Registries& registries, const RunInput& input, std::ostream& out,
        std::ostream& err);

}  // namespace braid::app

#endif  // BRAID_CORE_APP_APP_H_
