#include "rules/python/package/distribution_plan.h"

#include <algorithm>
#include <deque>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "core/base/error.h"
#include "core/base/status_macros.h"
#include "core/fs/path.h"

namespace braid::python::package {

bool IsDistribution(const graph::Target& t) { return t.alias() == "python_distribution"; }

namespace {

bool IsPackagedSource(const graph::Target& t) {
  return t.alias() == "python_source" || t.alias() == "resource";
}

}  // namespace

DistributionPlanner::DistributionPlanner(const graph::TargetGraph& graph,
                                         graph::DependencyResolver& deps, const SourceRoots& roots,
                                         const fs::FileIndex& index)
    : graph_(graph), deps_(deps), roots_(roots), index_(index) {
  for (const graph::Target& t : graph_.targets()) {
    if (IsDistribution(t)) dists_by_dir_[t.address.spec_path()].push_back(&t);
  }
}

absl::StatusOr<const std::set<const graph::Target*>*> DistributionPlanner::Closure(
    const graph::Target& dist) {
  auto it = closures_.find(&dist);
  if (it != closures_.end()) return it->second.get();
  BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> closure,
                         deps_.Transitive({&dist}, /*include_roots=*/false));
  auto set = std::make_unique<std::set<const graph::Target*>>(closure.begin(), closure.end());
  const std::set<const graph::Target*>* out = set.get();
  closures_.emplace(&dist, std::move(set));
  return out;
}

absl::StatusOr<const graph::Target*> DistributionPlanner::ExportingOwner(
    const graph::Target& target) {
  std::string dir = target.address.spec_path();
  while (true) {
    auto it = dists_by_dir_.find(dir);
    if (it != dists_by_dir_.end()) {
      std::vector<const graph::Target*> owners;
      for (const graph::Target* d : it->second) {
        BRAID_ASSIGN_OR_RETURN(const std::set<const graph::Target*>* closure, Closure(*d));
        if (closure->count(&target) != 0) owners.push_back(d);
      }
      if (owners.size() > 1) {
        std::string what = target.sources.empty() ? target.address.Spec() : target.sources[0];
        return UserError(owners[1]->location,
                         absl::StrCat(what, " is claimed by two python_distribution targets: ",
                                      owners[0]->address.Spec(), " and ",
                                      owners[1]->address.Spec()),
                         "a file belongs to one distribution; make one distribution depend on "
                         "the other, or move one of them to another directory");
      }
      if (owners.size() == 1) return owners[0];
    }
    if (dir.empty()) break;
    dir = std::string(fs::Dirname(dir));
  }
  return nullptr;
}

absl::StatusOr<DistributionPlan> DistributionPlanner::Plan(const graph::Target& dist) {
  DistributionPlan plan;
  plan.dist = &dist;
  std::set<const graph::Target*> visited{&dist};
  std::set<const graph::Target*> first_party;
  std::map<std::string, std::string> by_path;  // path in dist -> source
  std::deque<const graph::Target*> queue{&dist};
  plan.targets.push_back(&dist);
  while (!queue.empty()) {
    const graph::Target* t = queue.front();
    queue.pop_front();
    BRAID_ASSIGN_OR_RETURN(const std::vector<graph::Dependency>* direct, deps_.Direct(*t));
    for (const graph::Dependency& d : *direct) {
      const graph::Target* dep = d.target;
      if (dep == nullptr || !visited.insert(dep).second) continue;
      if (IsDistribution(*dep)) {
        first_party.insert(dep);
        continue;
      }
      if (dep->alias() == "python_requirement") {
        for (const std::string& r : dep->StringListField("requirements")) {
          if (std::find(plan.third_party.begin(), plan.third_party.end(), r) ==
              plan.third_party.end()) {
            plan.third_party.push_back(r);
          }
        }
        continue;
      }
      if (dep->alias() == "python_test" || dep->alias() == "python_tests") continue;
      if (IsPackagedSource(*dep)) {
        BRAID_ASSIGN_OR_RETURN(const graph::Target* owner, ExportingOwner(*dep));
        if (owner == nullptr) {
          std::string what = dep->sources.empty() ? dep->address.Spec() : dep->sources[0];
          return UserError(
              dist.location,
              absl::StrCat("No python_distribution target found to own ", what,
                           " (needed by ", dist.address.Spec(), ")"),
              "the owner must be in or above the owned target's directory, and must depend on "
              "it (directly or indirectly)");
        }
        if (owner != &dist) {
          first_party.insert(owner);
          continue;
        }
        for (const std::string& f : dep->sources) {
          std::optional<std::string> root = roots_.FindForFile(f);
          if (!root) {
            return UserError(dep->location, absl::StrCat("No source root found for `", f,
                                                         "` (packaged by ",
                                                         dist.address.Spec(), ")"),
                             "see `[source].root_patterns` and `braid roots`");
          }
          std::string path = *root == "." ? f : f.substr(root->size() + 1);
          auto [it, inserted] = by_path.emplace(path, f);
          if (!inserted && it->second != f) {
            return UserError(dist.location,
                             absl::StrCat(dist.address.Spec(), " would hold two files at ", path,
                                          ": ", it->second, " and ", f));
          }
        }
      }
      queue.push_back(dep);
      plan.targets.push_back(dep);
    }
  }
  std::sort(plan.targets.begin(), plan.targets.end(),
            [](const graph::Target* a, const graph::Target* b) { return a->address < b->address; });
  // py.typed markers of the packages the distribution ships.
  std::vector<std::pair<std::string, std::string>> typed;
  for (const auto& [path, source] : by_path) {
    if (!absl::EndsWith(path, ".py") && !absl::EndsWith(path, ".pyi")) continue;
    std::string marker = fs::JoinPath(fs::Dirname(source), "py.typed");
    if (index_.HasFile(marker)) typed.emplace_back(fs::JoinPath(fs::Dirname(path), "py.typed"), marker);
  }
  for (auto& [path, source] : typed) by_path.emplace(path, source);
  for (auto& [path, source] : by_path) plan.files.push_back({source, path});
  plan.first_party.assign(first_party.begin(), first_party.end());
  plan.first_party.erase(std::remove(plan.first_party.begin(), plan.first_party.end(), &dist),
                         plan.first_party.end());
  std::sort(plan.first_party.begin(), plan.first_party.end(),
            [](const graph::Target* a, const graph::Target* b) { return a->address < b->address; });
  return plan;
}

}  // namespace braid::python::package
