// braid's entry point: registers the engine's options and every built-in
// rule set, then hands the command line to core/app.
#include <unistd.h>

#include <climits>
#include <cstring>
#include <iostream>

#include "core/app/app.h"
#include "core/app/backends.h"
#include "core/base/heap_tuning.h"
#include "core/engine/engine_options.h"
#include "core/exec/trampoline.h"
#include "core/options/global_options.h"
#include "core/options/options.h"
#include "core/store/store_options.h"
#include "rules/register.h"

extern char** environ;

int main(int argc, char** argv) {
  // braid re-executes itself to set up a sandbox's namespaces before running
  // a process (core/exec/trampoline.h); that must happen before anything else.
  if (argc > 1 && std::strcmp(argv[1], braid::exec::kSandboxTrampolineArg) == 0) {
    return braid::exec::RunSandboxTrampoline(argc, argv);
  }
  // Before any thread starts (core/base/heap_tuning.h: fewer page faults).
  braid::TuneHeapForShortRun();
  std::ios::sync_with_stdio(false);
  braid::app::Registries registries;
  absl::Status s = braid::options::RegisterGlobalOptions(registries.options);
  if (s.ok()) s = braid::store::RegisterStoreOptions(registries.options);
  if (s.ok()) s = braid::engine::RegisterEngineOptions(registries.options);
  if (s.ok()) s = braid::rules::RegisterBuiltinRules(registries);
  if (s.ok()) s = braid::app::RegisterLinkedPlugins(registries);
  if (!s.ok()) {
    std::cerr << "[ERROR] internal error while registering rules: " << s.message() << "\n";
    return 1;
  }
  braid::app::RunInput input;
  input.args.assign(argv + 1, argv + argc);
  input.env = braid::options::EnvironmentFromEnviron(environ);
  char cwd[PATH_MAX];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) {
    std::cerr << "[ERROR] cannot determine the current directory\n";
    return 2;
  }
  input.cwd = cwd;
  // [GLOBAL].backend_packages decides which optional backends (plugins)
  // register their goals, options and target types (core/app/backends.h).
  std::vector<std::string> backend_warnings;
  absl::Status enabled = braid::app::EnableBackends(registries, input, &backend_warnings);
  for (const std::string& w : backend_warnings) std::cerr << "[WARN] " << w << "\n";
  if (!enabled.ok()) {
    std::cerr << "[ERROR] " << enabled.message() << "\n";
    return 2;
  }
  int rc = braid::app::Run(registries, input, std::cout, std::cerr);
  std::cout.flush();
  return rc;
}
