// The target types of Pants' Python backend (`pants.backend.python`) and the
// `pants.core` types Python repos use with it, with Pants 2.21–2.25's field
// names, types and defaults, so existing BUILD files load unchanged.
//
// Registered: python_sources → python_source, python_tests → python_test,
// python_test_utils → python_source, python_requirements, poetry_requirements
// and pipenv_requirements (custom generators) → python_requirement, python_requirement, python_distribution, pex_binary,
// resources → resource, files → file, target, the private
// _generator_sources_helper, and the object symbol python_artifact(...).
//
// Where the versions differ we register the union, so a BUILD file valid for
// any of 2.21–2.25 is accepted (pex_binary's `platforms` and
// `resolve_local_platforms`, removed in 2.22, are kept and marked deprecated).
//
// Not registered (they belong to other backends and appear only when those are
// enabled in Pants): skip_add_trailing_comma, skip_autoflake, skip_bandit,
// skip_black, skip_docformatter, skip_flake8, skip_isort, skip_mypy,
// skip_pydocstyle, skip_pylint, skip_pyright, skip_pytype, skip_pyupgrade,
// skip_ruff, skip_ruff_check, skip_ruff_format, skip_yapf (python_source(s),
// python_test(s), python_test_utils); entry_point_dependencies and
// stevedore_namespaces (python_test(s), experimental backends); repositories,
// skip_twine, uses_mypyc (python_distribution); and the `http_source` /
// `per_platform` forms of file/resource `source`.
//
// Usage:
//   graph::TargetTypeRegistry registry;
//   python::RegisterPythonTargetTypes(registry);
#ifndef BRAID_RULES_PYTHON_TARGET_TYPES_H_
#define BRAID_RULES_PYTHON_TARGET_TYPES_H_

#include <vector>

#include "absl/status/statusor.h"
#include "core/graph/target.h"
#include "core/graph/target_type.h"

namespace braid::python {

/// Registers every type listed at the top of this file.
void RegisterPythonTargetTypes(graph::TargetTypeRegistry& registry);

/// The alias Pants gives the helper target that owns a generator's source file.
inline constexpr char kGeneratorSourcesHelperAlias[] = "_generator_sources_helper";

/// The custom generator of `python_requirements`: reads the `source` file
/// (requirements.txt format, or PEP 621 when it ends in "pyproject.toml",
/// relative to the BUILD directory) and returns one python_requirement per
/// project, named SafeProjectName(project) as Pants does (`reqs#PyYAML`).
/// Requirements of the same project are grouped into one target, in order of
/// first appearance. Each generated target gets:
///   requirements       the requirement strings of that project, as written
///   tags, description, resolve   copied from the generator when set
///   modules / type_stub_modules  from module_mapping / type_stubs_module_mapping
///                      (keys compared in canonical form, PEP 503)
///   then the generator's `overrides` for that project (keys canonicalised;
///   a tuple key applies to each project in it). A project listed under
///   [project.optional-dependencies] gets the group name appended to the
///   `tags` override, as in Pants (so it replaces the copied tags).
/// Errors (located at the generator's call): unreadable source, invalid
/// requirement lines (located in the file), a malformed mapping or override,
/// the same field overridden twice for one project, and override keys that
/// match no requirement.
absl::StatusOr<std::vector<graph::GeneratedTargetSpec>> GeneratePythonRequirements(
    const graph::GeneratorContext& ctx, const graph::Target& generator);

/// The custom generator of `pex_binaries`: one pex_binary per `entry_points` value, named
/// after it with ':' -> '-', with the generator's given fields and its `overrides[ep]`.
absl::StatusOr<std::vector<graph::GeneratedTargetSpec>> GeneratePexBinaries(
    const graph::GeneratorContext& ctx, const graph::Target& generator);

/// The custom generator of `poetry_requirements`: as GeneratePythonRequirements
/// (same naming, grouping, mappings, overrides and helper target), reading the
/// Poetry tables of `source` (default "pyproject.toml") with
/// ParsePoetryRequirements. Errors in the file name the generator that read it.
absl::StatusOr<std::vector<graph::GeneratedTargetSpec>> GeneratePoetryRequirements(
    const graph::GeneratorContext& ctx, const graph::Target& generator);

/// The custom generator of `pipenv_requirements`: as GeneratePythonRequirements,
/// reading `source` (default "Pipfile.lock") with ParsePipfileLock.
absl::StatusOr<std::vector<graph::GeneratedTargetSpec>> GeneratePipenvRequirements(
    const graph::GeneratorContext& ctx, const graph::Target& generator);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_TARGET_TYPES_H_
