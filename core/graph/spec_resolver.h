// Resolving command-line specs (and --tag filters) to targets of the graph.
//
// Pants semantics:
//   ::, dir::, dir:   every target residing there, generators included
//   dir               the targets residing directly in dir, without generators
//   dir:name, ...     that address (a generator stays a generator)
//   file, glob        the targets owning the matching files
//   -spec             removes what the spec matches
//   --tag=a,-b,+c     keep targets having any of the positive tags (if any
//                     are given) and none of the negative ones
// A target "resides" in its spec_path, or for a file target in the file's
// directory. Empty specs select nothing (goals then do nothing).
#ifndef BRAID_CORE_GRAPH_SPEC_RESOLVER_H_
#define BRAID_CORE_GRAPH_SPEC_RESOLVER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/fs/file_index.h"
#include "core/graph/specs.h"
#include "core/graph/target_graph.h"

namespace braid::graph {

/// What to do with a spec that matches nothing ([GLOBAL] unmatched_cli_globs).
enum class UnmatchedSpecBehavior { kError, kWarn, kIgnore };

struct SpecResolveOptions {
  std::vector<std::string> tags;  // [GLOBAL] tag, as given (each may hold commas)
  UnmatchedSpecBehavior unmatched = UnmatchedSpecBehavior::kError;
};

/// The targets selected by `specs`, sorted by address, without duplicates.
/// Unmatched specs: a located error ("<spec>: ...") with a did-you-mean, or a
/// warning appended to `warnings`.
absl::StatusOr<std::vector<const Target*>> ResolveSpecs(const Specs& specs,
                                                        const TargetGraph& graph,
                                                        const fs::FileIndex& index,
                                                        const SpecResolveOptions& options,
                                                        std::vector<std::string>* warnings);

/// Splits --tag values ("a,-b", "+c") into wanted and unwanted tags.
void ParseTagFilters(const std::vector<std::string>& raw, std::vector<std::string>* include,
                     std::vector<std::string>* exclude);

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_SPEC_RESOLVER_H_
