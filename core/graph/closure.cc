#include "core/graph/closure.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"

namespace braid::graph {

absl::StatusOr<std::vector<std::vector<const Target*>>> TransitiveClosures(
    DependencyResolver& deps, const fs::FileIndex& index,
    absl::Span<const std::vector<const Target*>> root_sets) {
  const TargetGraph& graph = deps.graph();
  const std::vector<Target>& all = graph.targets();
  const size_t n = all.size();
  auto index_of = [&](const Target* t) -> size_t {
    return t >= all.data() && t < all.data() + n ? static_cast<size_t>(t - all.data()) : n;
  };

  std::vector<std::vector<const Target*>> out(root_sets.size());
  std::vector<bool> by_resolver(root_sets.size(), false);
  // Phase 1, in root-set order: DirectTargets() for everything reachable, in the order Transitive
  // would first compute it. A `walked` target had everything reachable from it walked too
  // (by an earlier set without `!!` exclusions), so its DirectTargets() is memoized and a walk
  // stops there: a target first reached now is not reachable from a walked one, so pruning
  // keeps each BFS level's new targets, in the same relative order, and DirectTargetsAll (which
  // skips memoized targets) sees the same batches.
  std::vector<bool> walked(n, false);
  std::vector<const Target*> level;
  std::vector<const Target*> next;
  for (size_t i = 0; i < root_sets.size(); ++i) {
    const std::vector<const Target*>& roots = root_sets[i];
    bool excludes = false;
    for (const Target* root : roots) {
      if (index_of(root) == n) {
        excludes = true;
        break;
      }
      BRAID_ASSIGN_OR_RETURN(std::vector<Address> ex, graph.TransitiveExcludes(*root, index));
      if (!ex.empty()) {
        excludes = true;
        break;
      }
    }
    if (excludes) {
      by_resolver[i] = true;
      BRAID_ASSIGN_OR_RETURN(out[i], deps.Transitive(roots, /*include_roots=*/true));
      continue;
    }
    level.clear();
    for (const Target* root : roots) {
      const size_t r = index_of(root);
      if (walked[r]) continue;
      walked[r] = true;
      level.push_back(&all[r]);
    }
    while (!level.empty()) {
      BRAID_RETURN_IF_ERROR(deps.DirectTargetsAll(level));
      next.clear();
      for (const Target* t : level) {
        BRAID_ASSIGN_OR_RETURN(const std::vector<const Target*>* direct, deps.DirectTargets(*t));
        for (const Target* dt : *direct) {
          const size_t j = index_of(dt);
          if (j == n) {
            return absl::InternalError(
                absl::StrCat("dependency ", dt->address.Spec(), " is outside the target graph"));
          }
          if (walked[j]) continue;
          walked[j] = true;
          next.push_back(&all[j]);
        }
      }
      level.swap(next);
    }
  }

  // Phase 2: each closure by a walk over the memoized edges. `stamp[j] == i + 1` marks
  // target j as reached for set i (no per-set clearing).
  std::vector<uint32_t> stamp(n, 0);
  std::vector<uint32_t> stack;
  std::vector<uint32_t> members;
  for (size_t i = 0; i < root_sets.size(); ++i) {
    if (by_resolver[i]) continue;
    const uint32_t mark = static_cast<uint32_t>(i + 1);
    members.clear();
    stack.clear();
    for (const Target* root : root_sets[i]) {
      const uint32_t r = static_cast<uint32_t>(index_of(root));
      if (stamp[r] == mark) continue;
      stamp[r] = mark;
      stack.push_back(r);
    }
    while (!stack.empty()) {
      const uint32_t t = stack.back();
      stack.pop_back();
      members.push_back(t);
      BRAID_ASSIGN_OR_RETURN(const std::vector<const Target*>* direct,
                             deps.DirectTargets(all[t]));
      for (const Target* dt : *direct) {
        const uint32_t j = static_cast<uint32_t>(index_of(dt));
        if (stamp[j] == mark) continue;
        stamp[j] = mark;
        stack.push_back(j);
      }
    }
    std::sort(members.begin(), members.end());  // targets() is sorted by address
    std::vector<const Target*>& closure = out[i];
    closure.reserve(members.size());
    for (uint32_t j : members) closure.push_back(&all[j]);
  }
  return out;
}

}  // namespace braid::graph
