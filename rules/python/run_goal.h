// `braid run`: runs one target interactively (stdin, stdout and stderr attached; the exit code
// is braid's), as Pants 2.x does (core/goals/run.py, backend/python/goals/run_*.py):
//
//   python_source / python_test  `python -m <module>` (module: the file's path under its source
//                                root), PYTHONPATH the source roots of its transitive closure,
//                                copied into a temporary directory unless run_goal_use_sandbox
//                                (default [python] default_run_goal_use_sandbox) is false.
//   pex_binary                   built as `package` builds it, into a temporary directory, and
//                                run with the interpreter.
//
// The cwd is the build root, the environment braid's own (plus PYTHONPATH), the arguments
// `[run] args` then those after `--`. See docs/run.md.
#ifndef BRAID_RULES_PYTHON_RUN_GOAL_H_
#define BRAID_RULES_PYTHON_RUN_GOAL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/app/app.h"

namespace braid::python {

/// Registers the `run` goal's scope, `[python] default_run_goal_use_sandbox` lives with the
/// other [python] options (subsystems.cc).
absl::Status RegisterRunGoal(app::Registries& registries);

/// The module `python -m` runs for `file` (a build-root-relative "*.py") under source root
/// `root` ("." = the build root): "src/app/main.py" under "src" is "app.main" (and
/// "src/app/__init__.py" is "app.__init__", as Pants' entry point for the file).
std::string PythonModuleOf(absl::string_view file, absl::string_view root);

/// PYTHONPATH for source roots `roots` (sorted, unique) placed under directory `base`
/// (absolute): "<base>/<root>" joined by ':', the root "." being `base` itself.
std::string RunPythonPath(absl::string_view base, const std::vector<std::string>& roots);


/// The arguments that make an interpreter run `module` exactly as `python -m module` would
/// (same sys.argv, __main__, __spec__), except that the working directory is not put on
/// sys.path: what a program imports comes from PYTHONPATH, as in Pants (whose pex never puts
/// the build root on sys.path), so a sandboxed run cannot pick up the repo's copy.
std::vector<std::string> RunModuleArgs(absl::string_view module);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_RUN_GOAL_H_
