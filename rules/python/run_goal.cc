#include "rules/python/run_goal.h"

#include <unistd.h>

#include <algorithm>
#include <iostream>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "core/base/log.h"
#include "core/base/status_macros.h"
#include "core/engine/engine_options.h"
#include "core/exec/interactive_process.h"
#include "core/exec/sandbox.h"
#include "core/graph/closure.h"
#include "core/graph/source_roots.h"
#include "core/options/shell_words.h"
#include "core/store/store_options.h"
#include "rules/python/generated_files.h"
#include "rules/python/interpreter.h"
#include "rules/python/package/package_goal.h"

namespace braid::python {

namespace {

constexpr absl::string_view kRunnableTypes = "pex_binary, python_source, python_test";

bool IsRunnable(const graph::Target& t) {
  return t.alias() == "python_source" || t.alias() == "python_test" || t.alias() == "pex_binary";
}

// Exactly one runnable target among the selected ones (a generator stands for what it
// generates), else Pants' user errors: none matched, or several.
absl::StatusOr<const graph::Target*> TheTargetToRun(app::Workspace& ws) {
  BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> selected, ws.SelectedTargets());
  BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* g, ws.Graph());
  std::set<const graph::Target*> runnable;
  for (const graph::Target* t : selected) {
    if (IsRunnable(*t)) runnable.insert(t);
    for (uint32_t i : t->generated) {
      if (IsRunnable(g->targets()[i])) runnable.insert(&g->targets()[i]);
    }
  }
  std::vector<const graph::Target*> targets(runnable.begin(), runnable.end());
  std::sort(targets.begin(), targets.end(),
            [](const graph::Target* a, const graph::Target* b) { return a->address < b->address; });
  if (targets.empty()) {
    return UserError(Location{},
                     absl::StrCat("No applicable files or targets matched: the `run` goal runs "
                                  "one target of these types: ",
                                  kRunnableTypes),
                     "name one file or target, e.g. `braid run src/app/main.py`");
  }
  if (targets.size() > 1) {
    std::string list;
    for (const graph::Target* t : targets) {
      absl::StrAppend(&list, "\n  * ", t->address.Spec(), " (", t->location.ToString(), ")");
    }
    return UserError(Location{},
                     absl::StrCat("the `run` goal takes exactly one target, but ", targets.size(),
                                  " runnable targets matched:", list),
                     "name one of them");
  }
  return targets.front();
}

std::vector<std::string> InterpreterConstraintsOf(const options::Options& opts,
                                                  const graph::Target& t) {
  std::vector<std::string> ics = t.StringListField("interpreter_constraints");
  if (ics.empty()) ics = opts.GetStringList("python", "interpreter_constraints");
  return ics;
}

// The interpreter `test` would use, without requiring pytest.
absl::StatusOr<InterpreterInfo> RunInterpreter(app::GoalContext& ctx, const graph::Target& t,
                                               const std::string& store_dir) {
  InterpreterRequest ir;
  ir.search_path = ctx.options.GetStringList("python-bootstrap", "search_path");
  ir.names = ctx.options.GetStringList("python-bootstrap", "names");
  ir.constraints = InterpreterConstraintsOf(ctx.options, t);
  ir.env = ctx.workspace.env();
  ir.cache_file = absl::StrCat(store_dir, "/v1/interpreters.json");
  return SelectInterpreter(ir);
}

bool UseSandbox(const options::Options& opts, const graph::Target& t) {
  const build_file::Value& v = t.Field("run_goal_use_sandbox");
  if (v.kind() == build_file::Value::Kind::kBool) return v.bool_value();
  return opts.GetBool("python", "default_run_goal_use_sandbox");
}

// Runs `process`, then keeps or removes `sandbox` as [GLOBAL] keep_sandboxes says.
absl::StatusOr<int> RunAndClean(app::GoalContext& ctx, exec::InteractiveProcess process,
                                exec::Sandbox& sandbox, exec::KeepSandboxes keep) {
  ctx.out.flush();
  ctx.err.flush();
  std::cout.flush();
  std::cerr.flush();
  BRAID_ASSIGN_OR_RETURN(int code, exec::RunInteractive(process));
  if (keep == exec::KeepSandboxes::kAlways ||
      (keep == exec::KeepSandboxes::kOnFailure && code != 0)) {
    sandbox.Keep();
    BRAID_LOG(kInfo) << "Preserving local process execution dir " << sandbox.path()
                     << " for the `run` goal";
  }
  return code;
}

absl::StatusOr<int> RunPexBinary(app::GoalContext& ctx, const graph::Target& pex,
                                 const InterpreterInfo& python,
                                 const engine::EngineSettings& es,
                                 std::vector<std::string> args) {
  BRAID_ASSIGN_OR_RETURN(std::string bytes, BuildPexBinary(ctx, pex));
  BRAID_ASSIGN_OR_RETURN(exec::Sandbox sandbox, exec::Sandbox::Create(es.sandbox_root, "braid-run-"));
  const auto& a = pex.address;
  std::string name = a.generated_name().empty()
                         ? std::string(a.target_name())
                         : absl::StrReplaceAll(a.generated_name(), {{".", "_"}});
  name += ".pex";
  std::vector<exec::SandboxEntry> entries;
  entries.push_back({name, exec::FileBytes{std::move(bytes)}, true});
  BRAID_RETURN_IF_ERROR(sandbox.Materialize(entries));
  exec::InteractiveProcess p;
  p.argv = {python.path, absl::StrCat(sandbox.path(), "/", name)};
  p.argv.insert(p.argv.end(), args.begin(), args.end());
  p.env = ctx.workspace.env();
  p.cwd = ctx.workspace.buildroot();
  return RunAndClean(ctx, std::move(p), sandbox, es.keep_sandboxes);
}

absl::StatusOr<int> RunPythonSource(app::GoalContext& ctx, const graph::Target& target,
                                    const InterpreterInfo& python,
                                    const engine::EngineSettings& es,
                                    std::vector<std::string> args) {
  app::Workspace& ws = ctx.workspace;
  BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, ws.Index());
  BRAID_ASSIGN_OR_RETURN(const SourceRoots* roots, ws.Roots());
  if (target.sources.size() != 1) {
    return UserError(target.location, absl::StrCat(target.address.Spec(), " has ",
                                                   target.sources.size(),
                                                   " source files; `run` needs exactly one"));
  }
  const std::string& file = target.sources.front();
  std::optional<std::string> root = roots->FindForFile(file);
  if (!root) return UserError(target.location, absl::StrCat("No source root found for `", file, "`"));
  const std::string module = PythonModuleOf(file, *root);

  BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver * deps, ws.Dependencies());
  std::vector<std::vector<const graph::Target*>> root_sets(1);
  root_sets[0].push_back(&target);
  BRAID_ASSIGN_OR_RETURN(std::vector<std::vector<const graph::Target*>> closures,
                         graph::TransitiveClosures(*deps, *index, root_sets));
  const std::vector<const graph::Target*>& closure = closures.front();
  std::set<std::string> files;
  std::set<std::string> source_roots;
  for (const graph::Target* t : closure) {
    if (t->is_generator()) continue;
    for (const std::string& f : t->sources) {
      files.insert(f);
      if (std::optional<std::string> r = roots->FindForFile(f)) source_roots.insert(*r);
    }
  }
  BRAID_ASSIGN_OR_RETURN(std::vector<app::GeneratedFile> generated,
                         GeneratedFilesOf(ws, ctx.extensions, closure));
  std::set<std::string> generated_roots;
  for (const app::GeneratedFile& f : generated) {
    if (std::optional<std::string> r = roots->FindForFile(f.path)) generated_roots.insert(*r);
  }

  // Sandboxed: the closure's files and the generated ones, all from the temporary directory.
  // In the repo: sources from their roots in the repo; only generated files (which do not
  // exist in the repo) come from the temporary directory, after them.
  const bool sandboxed = UseSandbox(ctx.options, target);
  std::vector<exec::SandboxEntry> entries;
  if (sandboxed) {
    for (const std::string& f : files) {
      entries.push_back({f, exec::LocalFile{absl::StrCat(ws.buildroot(), "/", f)}, false});
    }
  }
  BRAID_RETURN_IF_ERROR(AddGeneratedInputs(generated, entries));
  BRAID_ASSIGN_OR_RETURN(exec::Sandbox sandbox, exec::Sandbox::Create(es.sandbox_root, "braid-run-"));
  BRAID_RETURN_IF_ERROR(sandbox.Materialize(entries));
  std::string pythonpath;
  if (sandboxed) {
    source_roots.insert(generated_roots.begin(), generated_roots.end());
    pythonpath = RunPythonPath(sandbox.path(), std::vector<std::string>(source_roots.begin(), source_roots.end()));
  } else {
    pythonpath = RunPythonPath(ws.buildroot(), std::vector<std::string>(source_roots.begin(), source_roots.end()));
    if (!generated_roots.empty()) {
      absl::StrAppend(&pythonpath, pythonpath.empty() ? "" : ":",
                      RunPythonPath(sandbox.path(),
                                    std::vector<std::string>(generated_roots.begin(), generated_roots.end())));
    }
  }
  exec::InteractiveProcess p;
  p.argv = {python.path};
  for (std::string& a : RunModuleArgs(module)) p.argv.push_back(std::move(a));
  p.argv.insert(p.argv.end(), args.begin(), args.end());
  p.env = ws.env();
  p.env["PYTHONPATH"] = pythonpath;
  p.cwd = ws.buildroot();
  BRAID_LOG(kDebug) << "run: " << absl::StrJoin(p.argv, " ") << " with PYTHONPATH=" << pythonpath;
  return RunAndClean(ctx, std::move(p), sandbox, es.keep_sandboxes);
}

absl::StatusOr<int> RunRun(app::GoalContext& ctx) {
  app::Workspace& ws = ctx.workspace;
  BRAID_ASSIGN_OR_RETURN(const graph::Target* target, TheTargetToRun(ws));
  BRAID_ASSIGN_OR_RETURN(store::StoreSettings store_settings,
                         store::StoreSettingsFromOptions(ctx.options, ws.env(), ws.buildroot()));
  BRAID_ASSIGN_OR_RETURN(engine::EngineSettings es,
                         engine::EngineSettingsFromOptions(ctx.options, ws.env(), ws.buildroot()));
  BRAID_ASSIGN_OR_RETURN(InterpreterInfo python, RunInterpreter(ctx, *target, store_settings.dir));
  BRAID_ASSIGN_OR_RETURN(std::vector<std::string> args,
                         options::GetShellStrList(ctx.options, "run", "args"));
  args.insert(args.end(), ctx.passthrough.begin(), ctx.passthrough.end());
  if (target->alias() == "pex_binary") return RunPexBinary(ctx, *target, python, es, std::move(args));
  return RunPythonSource(ctx, *target, python, es, std::move(args));
}

}  // namespace

std::string PythonModuleOf(absl::string_view file, absl::string_view root) {
  absl::string_view rel = file;
  if (root != "." && !root.empty() && absl::StartsWith(rel, root) && rel.size() > root.size() &&
      rel[root.size()] == '/') {
    rel.remove_prefix(root.size() + 1);
  }
  absl::ConsumeSuffix(&rel, ".py");
  return absl::StrReplaceAll(rel, {{"/", "."}});
}

std::string RunPythonPath(absl::string_view base, const std::vector<std::string>& roots) {
  std::vector<std::string> dirs;
  for (const std::string& r : roots) {
    dirs.push_back(r == "." ? std::string(base) : absl::StrCat(base, "/", r));
  }
  return absl::StrJoin(dirs, ":");
}

std::vector<std::string> RunModuleArgs(absl::string_view module) {
  // runpy._run_module_as_main is what `-m` calls. The script binds no name in __main__ (the
  // program's globals) and drops only the '' that -c puts first on sys.path.
  return {"-c",
          "import sys\n"
          "if sys.path[:1] == ['']: del sys.path[0]\n"
          "del sys\n"
          "__import__('runpy')._run_module_as_main(__import__('sys').argv.pop(1))\n",
          std::string(module)};
}

absl::Status RegisterRunGoal(app::Registries& registries) {
  static constexpr char kHelp[] =
      "Runs a binary target.\n\n"
      "`braid run path/to/file.py -- args` runs a python_source (or python_test) as `python -m "
      "<module>`, with the source roots of its transitive dependencies on PYTHONPATH; a "
      "pex_binary is built as `package` builds it and run with the interpreter. Exactly one "
      "target must match. The program runs in the build root with braid's environment and "
      "terminal, and braid exits with its exit code. With the run_goal_use_sandbox field "
      "(default [python] default_run_goal_use_sandbox = true) the sources are copied into a "
      "temporary directory first; False runs them from the repo. See docs/run.md.";
  using options::ScopeKind;
  options::OptionRegistry& r = registries.options;
  if (r.FindScope("run") == nullptr) {
    BRAID_RETURN_IF_ERROR(r.AddScope({"run", ScopeKind::kGoal, kHelp}));
    BRAID_RETURN_IF_ERROR(r.AddStringList(
        "run", "args", {},
        "Arguments to pass directly to the executed target, e.g. `--run-args=\"val1 val2 "
        "--debug\"` (each value is split into words as a shell does); those after `--` follow "
        "them."));
  }
  registries.goals.Register({"run", kHelp, RunRun, /*uses_dependencies=*/true});
  return absl::OkStatus();
}

}  // namespace braid::python
