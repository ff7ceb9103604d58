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
  return absl::OkStatus();
}

}  // namespace braid::python
