#include "core/graph/dependency_resolver.h"

#include <algorithm>
#include <deque>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/heap_tuning.h"
#include "core/base/parallel.h"
#include "core/base/status_macros.h"

namespace braid::graph {

ExplicitlyProvided ExplicitlyProvided::Of(const TargetGraph& graph, const Target& target,
                                          const fs::FileIndex& index) {
  ExplicitlyProvided out;
  absl::StatusOr<std::vector<Address>> listed = graph.ExplicitDependencies(target, index);
  if (listed.ok()) out.includes = *std::move(listed);
  for (const std::string& raw : target.StringListField("dependencies")) {
    if (!absl::StartsWith(raw, "!") || absl::StartsWith(raw, "!!")) continue;
    absl::StatusOr<Address> a = ParseAddress(raw.substr(1), target.address.spec_path(), index);
    if (a.ok()) out.excludes.push_back(*std::move(a));
  }
  return out;
}

std::string AmbiguousOwnersWarning(const Location& origin, absl::string_view statement,
                                   absl::string_view what, absl::string_view spec,
                                   const std::vector<std::string>& owners) {
  std::vector<std::string> bangs;
  for (size_t i = 1; i < owners.size(); ++i) bangs.push_back(absl::StrCat("\"!", owners[i], "\""));
  return FormatLocated(
      Location{origin.file, origin.line, 0, ""},
      absl::StrCat("the ", statement, " '", what, "' in ", spec, " is ambiguous: ", owners.size(),
                   " targets own it (", absl::StrJoin(owners, ", "),
                   "), so no dependency was inferred"),
      absl::StrCat("either add the one you want to the `dependencies` field of ", spec,
                   " (e.g. \"", owners.front(), "\"), or exclude the others with `!` (e.g. ",
                   absl::StrJoin(bangs, ", "), ") so that one owner is left"));
}

DependencyResolver::DependencyResolver(const TargetGraph& graph, const fs::FileIndex& index,
                                       std::vector<std::unique_ptr<DependencyInferrer>> inferrers)
    : graph_(graph),
      index_(index),
      inferrers_(std::move(inferrers)),
      direct_(graph.targets().size()),
      direct_targets_(graph.targets().size()) {}

size_t DependencyResolver::IndexOf(const Target& target) const {
  const std::vector<Target>& all = graph_.targets();
  if (!all.empty() && &target >= all.data() && &target < all.data() + all.size()) {
    return static_cast<size_t>(&target - all.data());
  }
  // A target not owned by the graph (tests hand-build some): find its twin.
  const Target* t = graph_.Find(target.address);
  return t == nullptr ? all.size() : static_cast<size_t>(t - all.data());
}

namespace {

// The `!addr` entries of `target`, with the targets a `!`-ed generator made.
// Malformed entries are skipped: ExplicitDependencies, which runs first,
// reports them.
absl::flat_hash_set<Address> Exclusions(const Target& target, const TargetGraph& graph,
                                        const fs::FileIndex& index) {
  absl::flat_hash_set<Address> out;
  for (const std::string& raw : target.StringListField("dependencies")) {
    if (!absl::StartsWith(raw, "!") || absl::StartsWith(raw, "!!")) continue;
    absl::StatusOr<Address> addr = ParseAddress(raw.substr(1), target.address.spec_path(), index);
    if (!addr.ok()) continue;
    out.insert(*addr);
    if (const Target* t = graph.Find(*addr)) {
      for (uint32_t g : t->generated) out.insert(graph.targets()[g].address);
    }
  }
  return out;
}

}  // namespace

absl::StatusOr<const std::vector<Dependency>*> DependencyResolver::Direct(const Target& target) {
  size_t i = IndexOf(target);
  if (i < direct_.size() && direct_[i]) return &*direct_[i];
  BRAID_ASSIGN_OR_RETURN(std::vector<Dependency> all, Compute(target));
  if (i >= direct_.size()) {
    // Not in the graph: memoize nothing, hand out a stable copy (a deque
    // never moves its elements, so earlier answers stay valid).
    outside_graph_.push_back(std::move(all));
    return &outside_graph_.back();
  }
  direct_[i] = std::move(all);
  return &*direct_[i];
}

namespace {

// The graph targets of `deps`, in order.
std::vector<const Target*> TargetsOf(const std::vector<Dependency>& deps) {
  std::vector<const Target*> out;
  out.reserve(deps.size());
  for (const Dependency& d : deps) {
    if (d.target != nullptr) out.push_back(d.target);
  }
  return out;
}

}  // namespace

absl::StatusOr<const std::vector<const Target*>*> DependencyResolver::DirectTargets(
    const Target& target) {
  size_t i = IndexOf(target);
  if (i >= direct_.size()) {
    BRAID_ASSIGN_OR_RETURN(const std::vector<Dependency>* deps, Direct(target));
    outside_graph_targets_.push_back(TargetsOf(*deps));
    return &outside_graph_targets_.back();
  }
  if (!direct_targets_[i]) {
    if (direct_[i]) {
      direct_targets_[i] = TargetsOf(*direct_[i]);
    } else {
      BRAID_ASSIGN_OR_RETURN(std::vector<const Target*> deps, ComputeTargets(target));
      direct_targets_[i] = std::move(deps);
    }
  }
  return &*direct_targets_[i];
}

absl::Status DependencyResolver::DirectAll(absl::Span<const Target* const> targets) {
  return ComputeAll(targets, /*lean=*/false);
}

absl::Status DependencyResolver::DirectTargetsAll(absl::Span<const Target* const> targets) {
  return ComputeAll(targets, /*lean=*/true);
}

absl::Status DependencyResolver::ComputeAll(absl::Span<const Target* const> targets, bool lean) {
  // The targets still to compute, once each, in the caller's order.
  std::vector<const Target*> todo;
  std::vector<size_t> slots;
  std::vector<bool> queued(graph_.targets().size(), false);
  for (const Target* t : targets) {
    size_t i = IndexOf(*t);
    if (i >= direct_.size()) {
      BRAID_RETURN_IF_ERROR(Direct(*t).status());  // not in the graph: rare, serial
      continue;
    }
    if (Known(i, lean) || queued[i]) continue;
    queued[i] = true;
    todo.push_back(&graph_.targets()[i]);
    slots.push_back(i);
  }
  if (todo.empty()) return absl::OkStatus();
  for (const std::unique_ptr<DependencyInferrer>& inferrer : inferrers_) {
    inferrer->Prepare(todo, parallelism_);
  }
  bool concurrent = parallelism_ > 1 && todo.size() >= kParallelForMinItems;
  for (const std::unique_ptr<DependencyInferrer>& inferrer : inferrers_) {
    concurrent = concurrent && inferrer->SupportsConcurrentInfer();
  }
  if (!concurrent) {
    for (const Target* t : todo) {
      BRAID_RETURN_IF_ERROR(lean ? DirectTargets(*t).status() : Direct(*t).status());
    }
    return absl::OkStatus();
  }
  for (const std::unique_ptr<DependencyInferrer>& inferrer : inferrers_) {
    inferrer->BeginConcurrent(todo);
  }
  // A lean answer is reduced on the worker, so the records never pile up.
  struct Result {
    absl::Status status;
    std::vector<Dependency> deps;        // !lean
    std::vector<const Target*> targets;  // lean
  };
  std::vector<Result> results(todo.size());
  ParallelFor(todo.size(), parallelism_, [&](size_t k) {
    AdviseThreadHeap();  // once per worker: its results are most of what it allocates
    if (lean) {
      absl::StatusOr<std::vector<const Target*>> r = ComputeTargets(*todo[k]);
      if (!r.ok()) {
        results[k].status = r.status();
      } else {
        results[k].targets = *std::move(r);
      }
      return;
    }
    absl::StatusOr<std::vector<Dependency>> r = Compute(*todo[k]);
    if (!r.ok()) {
      results[k].status = r.status();
    } else {
      results[k].deps = *std::move(r);
    }
  });
  // Keep what serial calls would have kept: everything before the first
  // failure (and that failure's warnings).
  size_t count = todo.size();
  for (size_t k = 0; k < todo.size(); ++k) {
    if (!results[k].status.ok()) {
      count = k + 1;
      break;
    }
  }
  for (const std::unique_ptr<DependencyInferrer>& inferrer : inferrers_) {
    inferrer->EndConcurrent(todo, count);
  }
  for (size_t k = 0; k < count; ++k) {
    if (!results[k].status.ok()) return results[k].status;
    if (lean) {
      direct_targets_[slots[k]] = std::move(results[k].targets);
    } else {
      direct_[slots[k]] = std::move(results[k].deps);
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Dependency>> DependencyResolver::Compute(const Target& target) {
  BRAID_ASSIGN_OR_RETURN(std::vector<Address> explicit_deps,
                         graph_.ExplicitDependencies(target, index_));
  const std::vector<Target>& targets = graph_.targets();
  std::vector<Dependency> all;
  all.reserve(explicit_deps.size());
  if (!explicit_deps.empty()) {
    const Location& origin = target.FieldLocation("dependencies");
    // Most explicit dependencies of a generator are the targets it generated,
    // which (like explicit_deps) are in address order: match them by walking
    // both lists instead of searching the graph for each. Else the target
    // after the previous one found often is the next (a whole generator's
    // targets, expanded); else search.
    size_t g = 0;
    const Target* prev = nullptr;
    for (Address& a : explicit_deps) {
      const Target* found = nullptr;
      // Equality first: usually the very next generated target (and an
      // address comparison costs more).
      while (g < target.generated.size() && targets[target.generated[g]].address != a &&
             targets[target.generated[g]].address < a) {
        ++g;
      }
      if (g < target.generated.size() && targets[target.generated[g]].address == a) {
        found = &targets[target.generated[g]];
      } else if (prev != nullptr && prev + 1 < targets.data() + targets.size() &&
                 prev[1].address == a) {
        found = prev + 1;
      } else {
        found = graph_.Find(a);
      }
      if (found != nullptr) prev = found;
      all.emplace_back(std::move(a), kRuleExplicit, origin, "", found);
    }
  }
  size_t explicit_count = all.size();
  for (const std::unique_ptr<DependencyInferrer>& inferrer : inferrers_) {
    BRAID_ASSIGN_OR_RETURN(std::vector<Dependency> inferred, inferrer->Infer(target));
    if (all.empty()) {
      all = std::move(inferred);
      continue;
    }
    all.reserve(all.size() + inferred.size());
    for (Dependency& d : inferred) all.push_back(std::move(d));
  }
  if (all.size() > explicit_count) {
    // Only inferred entries need filtering: explicit ones are already clean.
    absl::flat_hash_set<Address> excluded = Exclusions(target, graph_, index_);
    // A dependency on the target itself: by position when both are graph
    // targets (the common case; comparing addresses costs more).
    size_t self_index = IndexOf(target);
    const Target* self = self_index < targets.size() ? &targets[self_index] : nullptr;
    all.erase(std::remove_if(all.begin() + explicit_count, all.end(),
                             [&](const Dependency& d) {
                               if (d.target != nullptr && self != nullptr) {
                                 if (d.target == self) return true;
                               } else if (d.address == target.address) {
                                 return true;
                               }
                               return !excluded.empty() && excluded.contains(d.address);
                             }),
              all.end());
  }
  // Sort by position in the graph, which is address order (targets() is
  // sorted), instead of comparing addresses: this runs for every target.
  // Addresses not in the graph (an inferrer's mistake) sort last, by address.
  // A Dependency is large, so sort positions and move each entry once.
  const Target* base = targets.data();
  for (Dependency& d : all) {
    if (d.target == nullptr) d.target = graph_.Find(d.address);
  }
  std::vector<uint32_t> order(all.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](uint32_t i, uint32_t j) {
    const Dependency& a = all[i];
    const Dependency& b = all[j];
    if (a.target != nullptr && b.target != nullptr) return a.target - base < b.target - base;
    if ((a.target == nullptr) != (b.target == nullptr)) return a.target != nullptr;
    return a.address < b.address;
  });
  // Stable: for equal addresses the earlier entry (explicit first, then
  // inferrers in order) comes first and survives the dedup.
  auto same = [](const Dependency& kept, const Dependency& d) {
    return kept.target != nullptr ? kept.target == d.target : kept.address == d.address;
  };
  bool in_order = true;
  for (uint32_t i = 0; i < order.size() && in_order; ++i) in_order = order[i] == i;
  if (in_order) {  // often: dedup in place, moving only what follows a duplicate
    all.erase(std::unique(all.begin(), all.end(), same), all.end());
    return all;
  }
  std::vector<Dependency> out;
  out.reserve(order.size());
  for (uint32_t i : order) {
    Dependency& d = all[i];
    if (!out.empty() && same(out.back(), d)) continue;
    out.push_back(std::move(d));
  }
  return out;
}

absl::StatusOr<std::vector<const Target*>> DependencyInferrer::InferTargets(
    const Target& target, const TargetGraph& graph) {
  BRAID_ASSIGN_OR_RETURN(std::vector<Dependency> deps, Infer(target));
  std::vector<const Target*> out;
  out.reserve(deps.size());
  for (const Dependency& d : deps) {
    const Target* t = d.target != nullptr ? d.target : graph.Find(d.address);
    if (t != nullptr) out.push_back(t);
  }
  return out;
}

absl::StatusOr<std::vector<const Target*>> DependencyResolver::ComputeTargets(
    const Target& target) {
  // Compute's rules, on positions in the graph instead of records: explicit
  // entries as written, inferred ones minus the target itself and its `!`
  // exclusions, then address (= position) order without duplicates.
  const std::vector<Target>& targets = graph_.targets();
  std::vector<const Target*> all;
  if (target.StringListField("dependencies").empty()) {
    // The common case (most generated targets): only what the target generates.
    all.reserve(target.generated.size());
    for (uint32_t g : target.generated) {
      if (&targets[g] != &target) all.push_back(&targets[g]);
    }
  } else {
    BRAID_ASSIGN_OR_RETURN(std::vector<Address> explicit_deps,
                           graph_.ExplicitDependencies(target, index_));
    for (const Address& a : explicit_deps) {
      if (const Target* t = graph_.Find(a)) all.push_back(t);
    }
  }
  size_t explicit_count = all.size();
  for (const std::unique_ptr<DependencyInferrer>& inferrer : inferrers_) {
    BRAID_ASSIGN_OR_RETURN(std::vector<const Target*> inferred,
                           inferrer->InferTargets(target, graph_));
    all.insert(all.end(), inferred.begin(), inferred.end());
  }
  if (all.size() > explicit_count) {
    absl::flat_hash_set<Address> excluded = Exclusions(target, graph_, index_);
    all.erase(std::remove_if(all.begin() + explicit_count, all.end(),
                             [&](const Target* t) {
                               return t == &target ||
                                      (!excluded.empty() && excluded.contains(t->address));
                             }),
              all.end());
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

absl::StatusOr<std::vector<const Target*>> DependencyResolver::Transitive(
    absl::Span<const Target* const> roots, bool include_roots) {
  absl::flat_hash_set<Address> excluded;
  for (const Target* r : roots) {
    BRAID_ASSIGN_OR_RETURN(std::vector<Address> ex, graph_.TransitiveExcludes(*r, index_));
    for (const Address& a : ex) {
      excluded.insert(a);
      if (const Target* t = graph_.Find(a)) {
        for (uint32_t g : t->generated) excluded.insert(graph_.targets()[g].address);
      }
    }
  }
  std::vector<bool> seen(graph_.targets().size(), false);
  std::vector<bool> is_root(graph_.targets().size(), false);
  std::deque<const Target*> queue;
  for (const Target* r : roots) {
    size_t i = IndexOf(*r);
    if (i < seen.size()) {
      is_root[i] = true;
      if (!seen[i]) {
        seen[i] = true;
        queue.push_back(&graph_.targets()[i]);
      }
    }
  }
  std::vector<bool> reached_from_other(graph_.targets().size(), false);
  // Level by level, so each level's Direct() runs as one batch. The visit
  // order within the walk does not matter: the output is sorted.
  size_t level_end = 0;
  while (!queue.empty()) {
    if (level_end == 0) {
      std::vector<const Target*> level(queue.begin(), queue.end());
      BRAID_RETURN_IF_ERROR(DirectTargetsAll(level));
      level_end = level.size();
    }
    --level_end;
    const Target* t = queue.front();
    queue.pop_front();
    BRAID_ASSIGN_OR_RETURN(const std::vector<const Target*>* deps, DirectTargets(*t));
    for (const Target* dt : *deps) {
      // A graph target's address is the dependency's (Compute resolved it by address).
      if (!excluded.empty() && excluded.contains(dt->address)) continue;
      size_t j = static_cast<size_t>(dt - graph_.targets().data());
      reached_from_other[j] = true;
      if (seen[j]) continue;
      seen[j] = true;
      queue.push_back(dt);
    }
  }
  std::vector<const Target*> out;
  for (size_t i = 0; i < seen.size(); ++i) {
    if (!seen[i]) continue;
    if (is_root[i] && !include_roots && !reached_from_other[i]) continue;
    out.push_back(&graph_.targets()[i]);  // targets() is sorted by address
  }
  return out;
}

absl::Status DependencyResolver::BuildReverse() {
  if (reverse_) return absl::OkStatus();
  const std::vector<Target>& all = graph_.targets();
  {
    std::vector<const Target*> every;
    every.reserve(all.size());
    for (const Target& t : all) every.push_back(&t);
    BRAID_RETURN_IF_ERROR(DirectTargetsAll(every));
  }
  std::vector<std::vector<const Target*>> reverse(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    BRAID_ASSIGN_OR_RETURN(const std::vector<const Target*>* deps, DirectTargets(all[i]));
    for (const Target* dt : *deps) reverse[static_cast<size_t>(dt - all.data())].push_back(&all[i]);
  }
  // Pushed in target order, so each list is already sorted by address.
  reverse_ = std::move(reverse);
  return absl::OkStatus();
}

absl::StatusOr<const std::vector<const Target*>*> DependencyResolver::Dependents(
    const Target& target) {
  BRAID_RETURN_IF_ERROR(BuildReverse());
  static const std::vector<const Target*> kNone;
  size_t i = IndexOf(target);
  if (i >= reverse_->size()) return &kNone;
  return &(*reverse_)[i];
}

absl::StatusOr<std::vector<const Target*>> DependencyResolver::TransitiveDependents(
    absl::Span<const Target* const> targets, bool include_roots) {
  BRAID_RETURN_IF_ERROR(BuildReverse());
  const std::vector<Target>& all = graph_.targets();
  std::vector<bool> seen(all.size(), false);
  std::vector<bool> is_root(all.size(), false);
  std::vector<bool> reached(all.size(), false);
  std::deque<size_t> queue;
  for (const Target* t : targets) {
    size_t i = IndexOf(*t);
    if (i >= all.size()) continue;
    is_root[i] = true;
    if (!seen[i]) {
      seen[i] = true;
      queue.push_back(i);
    }
  }
  while (!queue.empty()) {
    size_t i = queue.front();
    queue.pop_front();
    for (const Target* d : (*reverse_)[i]) {
      size_t j = static_cast<size_t>(d - all.data());
      reached[j] = true;
      if (seen[j]) continue;
      seen[j] = true;
      queue.push_back(j);
    }
  }
  std::vector<const Target*> out;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!seen[i] || (is_root[i] && !include_roots && !reached[i])) continue;
    out.push_back(&all[i]);
  }
  return out;
}

absl::Status DependencyResolver::Flush() {
  absl::Status first;
  for (const std::unique_ptr<DependencyInferrer>& inferrer : inferrers_) {
    absl::Status s = inferrer->Flush();
    if (first.ok() && !s.ok()) first = s;
  }
  return first;
}

}  // namespace braid::graph
