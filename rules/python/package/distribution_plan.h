// What goes into one python_distribution: its files and its requirements,
// from the dependency closure, with Pants' ownership rules.
//
// Ownership (Pants' "exporting owner"): a first-party target T (python_source
// or resource) is owned by the python_distribution that
//   1. lives in T's directory or the nearest ancestor directory holding a
//      python_distribution whose dependency closure contains T, and
//   2. is the only such distribution at that directory level: two there
//      (e.g. two distributions in one BUILD file that both reach
//      src/a/x.py) are an error naming both.
// No such distribution at all is an error ("No python_distribution target
// found to own ..."), as in Pants: the owner must be in or above the owned
// target's directory and depend on it.
//
// A distribution D then holds every target reachable from D through targets
// D owns; walking stops at
//   - a target owned by another distribution D2: D requires D2 instead
//     (`name==version` by default, see FirstPartyScheme),
//   - a python_distribution dependency: D requires it,
//   - a python_requirement: its requirements become Requires-Dist,
//   - tests (python_test): never packaged.
// `file` targets are not packaged (Pants puts only sources and resources in
// distributions; use `resource` for package data). A `py.typed` marker in a
// directory that holds one of D's Python files is added automatically.
// Files are placed at their path relative to their source root.
#ifndef BRAID_RULES_PYTHON_PACKAGE_DISTRIBUTION_PLAN_H_
#define BRAID_RULES_PYTHON_PACKAGE_DISTRIBUTION_PLAN_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/fs/file_index.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/source_roots.h"
#include "core/graph/target_graph.h"

namespace braid::python::package {

/// One file of a distribution.
struct PlannedFile {
  std::string source;  // root-relative path on disk
  std::string path;    // path inside the distribution (relative to its source root)
};

/// The contents of one distribution. Invariant: `files` sorted by `path`,
/// paths unique; `third_party` de-duplicated in first-seen order;
/// `first_party` sorted by address, never containing `dist`; `targets`
/// sorted by address.
struct DistributionPlan {
  const graph::Target* dist = nullptr;
  std::vector<PlannedFile> files;
  /// Every target the distribution holds: `dist` and the targets reached
  /// through targets it owns (packaged ones and others walked through, such
  /// as `file` or plugin targets), not requirements, tests or other
  /// distributions' targets. Platform hooks and file generators get these.
  std::vector<const graph::Target*> targets;
  std::vector<std::string> third_party;  // requirement strings as written
  std::vector<const graph::Target*> first_party;
};

/// Plans distributions of one workspace; memoizes closures and owners.
class DistributionPlanner {
 public:
  /// All arguments must outlive the planner.
  DistributionPlanner(const graph::TargetGraph& graph, graph::DependencyResolver& deps,
                      const SourceRoots& roots, const fs::FileIndex& index);

  /// The plan of python_distribution `dist` (see the top of this file).
  absl::StatusOr<DistributionPlan> Plan(const graph::Target& dist);

  /// The distribution owning `target` (see the top of this file).
  absl::StatusOr<const graph::Target*> ExportingOwner(const graph::Target& target);

 private:
  absl::StatusOr<const std::set<const graph::Target*>*> Closure(const graph::Target& dist);

  const graph::TargetGraph& graph_;
  graph::DependencyResolver& deps_;
  const SourceRoots& roots_;
  const fs::FileIndex& index_;
  std::map<std::string, std::vector<const graph::Target*>> dists_by_dir_;
  std::map<const graph::Target*, std::unique_ptr<std::set<const graph::Target*>>> closures_;
};

/// True for python_distribution targets.
bool IsDistribution(const graph::Target& t);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_DISTRIBUTION_PLAN_H_
