// Transitive closures of many root sets at once.
//
// `test ::` needs one closure per test file or batch (1,000+ root sets over the
// same graph); DependencyResolver::Transitive pays per call for its exclusion
// set, its level-by-level DirectAll batches and three graph-sized bitmaps.
// TransitiveClosures computes Direct() for everything reachable in one pruned
// walk (each target's edges are expanded once in all), then answers each root
// set with a walk over the memoized edges: the cost is the graph plus the size
// of the answers.
//
// Usage:
//   BRAID_ASSIGN_OR_RETURN(std::vector<std::vector<const Target*>> closures,
//                          TransitiveClosures(deps, index, root_sets));
//   // closures[i] == deps.Transitive(root_sets[i], /*include_roots=*/true).value()
//
// Contract: results[i] equals deps.Transitive(root_sets[i], true) for every i
// (sorted by address, the roots included, the roots' `!!` exclusions honoured),
// and Direct() is computed for the same targets in the same order, so the same
// warnings are reported in the same order, as calling Transitive for each root
// set in turn; an error is the one the first failing set's Transitive would
// give. Root sets with `!!` exclusions, or with a root outside deps.graph(), are
// answered by deps.Transitive itself.
#ifndef BRAID_CORE_GRAPH_CLOSURE_H_
#define BRAID_CORE_GRAPH_CLOSURE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "core/fs/file_index.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/target.h"

namespace braid::graph {

/// One closure per root set (see the top of this file). `index` is the one the
/// resolver was built with (for parsing `!!` addresses).
absl::StatusOr<std::vector<std::vector<const Target*>>> TransitiveClosures(
    DependencyResolver& deps, const fs::FileIndex& index,
    absl::Span<const std::vector<const Target*>> root_sets);

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_CLOSURE_H_
