// `--changed-since` / `--changed-diffspec`: selecting the targets a change
// can affect, for every goal (Workspace::SelectedTargets calls this).
//
// Changed file -> changed targets ("owners"), language-agnostic:
//   * a source file: the targets owning it (per-file generated targets and
//     targets whose sources include it), as `braid list <file>` would;
//   * a deleted file (or the old side of a rename): the targets whose
//     CURRENT sources globs / `source` field match the path. A file target
//     cannot exist for a deleted file, so its generator owns it (Pants does
//     the same);
//   * a file owned by a target made by a custom generator, e.g. the
//     requirements file a python_requirements target reads through its
//     `_generator_sources_helper`: that file defines the generator's targets,
//     so the generator and every target it generated changed;
//   * a BUILD file: every target it defines (generators and what they
//     generate); if it calls `__defaults__`, every target in its directory
//     and below too (defaults are inherited). Narrowing to the edited calls
//     is not attempted: over-selecting costs time, missing a target costs a
//     broken main branch;
//   * a config file that was read (pants.toml, ...) or a file matching
//     [GLOBAL] build_file_prelude_globs: EVERY target, with a warning saying
//     why (options and macros can change how any target builds).
// Unowned files (docs, lockfiles not declared by any target) select nothing.
//
// Dependents ([changed] dependents): none | direct | transitive, through the
// explicit + inferred reverse graph (core/graph/dependency_resolver.h). As in
// Pants, the generators of the changed file targets are not added as
// "dependents" (a generator depends on what it generates, which would make
// every sibling look changed).
//
// With specs: Pants refuses to combine `--changed-*` with target or file
// arguments, and so does braid (same message). `--tag` filters the result.
#ifndef BRAID_CORE_APP_CHANGED_H_
#define BRAID_CORE_APP_CHANGED_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/fs/file_index.h"
#include "core/fs/file_system.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/specs.h"
#include "core/graph/target_graph.h"
#include "core/options/options.h"
#include "core/vcs/git.h"

namespace braid::app {

class Workspace;

/// [changed] dependents.
enum class ChangedDependents { kNone, kDirect, kTransitive };

/// The [changed] options of one run.
struct ChangedOptions {
  std::optional<std::string> since;
  std::optional<std::string> diffspec;
  ChangedDependents dependents = ChangedDependents::kNone;

  /// True when change detection is asked for (either option set).
  bool provided() const { return since.has_value() || diffspec.has_value(); }
  /// "--changed-diffspec" when that is used, else "--changed-since".
  const char* flag() const { return diffspec ? "--changed-diffspec" : "--changed-since"; }
};

/// Reads [changed] since / diffspec / dependents.
ChangedOptions ReadChangedOptions(const options::Options& options);

/// The Pants error for `--changed-*` used together with specs, or OK when
/// `specs` is empty.
absl::Status CheckNoSpecsWithChanged(const Specs& specs, const ChangedOptions& changed);

/// What mapping files to targets needs from the workspace.
struct ChangeContext {
  const graph::TargetGraph* graph = nullptr;
  const fs::FileIndex* index = nullptr;
  /// Reads changed BUILD files (to see whether they set `__defaults__`).
  const fs::FileSystem* fs = nullptr;
  std::vector<std::string> build_patterns = {"BUILD", "BUILD.*"};
  std::vector<std::string> prelude_globs;
  /// Root-relative config files that were read; "pants.toml" always counts.
  std::vector<std::string> config_files;
};

/// The targets `files` change (see the top of this file), sorted by address,
/// each once. Whole-repository invalidations add a sentence to `notes`.
absl::StatusOr<std::vector<const graph::Target*>> ChangedOwners(
    const std::vector<vcs::ChangedFile>& files, const ChangeContext& ctx,
    std::vector<std::string>* notes);

/// `owners` plus their dependents per `mode`, sorted, each once.
absl::StatusOr<std::vector<const graph::Target*>> AddDependents(
    const std::vector<const graph::Target*>& owners, ChangedDependents mode,
    graph::DependencyResolver& deps);

/// Keeps the targets passing the --tag filters (raw option values).
std::vector<const graph::Target*> FilterByTags(std::vector<const graph::Target*> targets,
                                               const std::vector<std::string>& tag_options);

/// The whole selection for a workspace: specs check, git, owners,
/// dependents, --tag. `git` answers the change query.
absl::StatusOr<std::vector<const graph::Target*>> SelectChangedTargets(
    Workspace& ws, const ChangedOptions& changed, vcs::Git& git);

}  // namespace braid::app

#endif  // BRAID_CORE_APP_CHANGED_H_
