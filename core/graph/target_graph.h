// The target graph: every target declared in (or generated from) the BUILD
// files of the workspace, indexed by address and by owned file.
//
// Loading (LoadTargetGraph) walks the BUILD files found in the FileIndex,
// evaluates them with core/build_file, applies __defaults__ (inherited by
// subdirectories), expands parametrize(...) and target generators, checks
// every field against its TargetType, and expands sources globs.
//
// Usage:
//   GraphOptions opts = ...;  // from [GLOBAL] options
//   std::vector<std::string> warnings;
//   absl::StatusOr<TargetGraph> graph = LoadTargetGraph(fs, index, types, opts, &warnings);
//   for (const Target& t : graph->targets()) std::cout << t.address.Spec() << "\n";
#ifndef BRAID_CORE_GRAPH_TARGET_GRAPH_H_
#define BRAID_CORE_GRAPH_TARGET_GRAPH_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "core/base/parallel.h"
#include "core/build_file/value.h"
#include "core/fs/file_index.h"
#include "core/fs/file_system.h"
#include "core/graph/address.h"
#include "core/graph/target.h"
#include "core/graph/target_type.h"

namespace braid::graph {

/// What to do about a sources glob that matches nothing
/// ([GLOBAL] unmatched_build_file_globs).
enum class UnmatchedGlobBehavior { kWarn, kError, kIgnore };

struct GraphOptions {
  std::vector<std::string> build_patterns = {"BUILD", "BUILD.*"};
  std::vector<std::string> build_ignore;  // gitignore syntax
  std::vector<std::string> prelude_globs;  // root-relative globs
  UnmatchedGlobBehavior unmatched_globs = UnmatchedGlobBehavior::kWarn;
  /// The environment visible to env("VAR", default) in BUILD files.
  std::map<std::string, std::string> env;
  /// Threads for parsing BUILD files and building targets (evaluation itself
  /// runs on the calling thread, in order); the result never depends on it.
  int parallelism = DefaultParallelism();
};

/// One parsed `__dependencies_rules__` / `__dependents_rules__` call, stored
/// for a later enforcement pass (not enforced yet).
struct DependencyRules {
  std::string build_file;
  Location location;
  std::vector<build_file::Value> args;
};

class TargetGraph {
 public:
  /// Every target, generators and generated ones, sorted by address.
  const std::vector<Target>& targets() const { return targets_; }
  /// The target at `address`, or nullptr.
  const Target* Find(const Address& address) const;
  /// Targets that own `file` (root-relative): generated per-file targets and
  /// non-generator targets whose sources include it. Sorted by address.
  std::vector<const Target*> OwnersOf(absl::string_view file) const;
  /// BUILD files that were evaluated, sorted.
  const std::vector<std::string>& build_files() const { return build_files_; }
  const std::vector<DependencyRules>& dependency_rules() const { return dependency_rules_; }
  const std::vector<DependencyRules>& dependents_rules() const { return dependents_rules_; }
  /// Addresses declared in directory `spec_path` (not generated), sorted; for hints.
  std::vector<std::string> AddressesIn(absl::string_view spec_path) const;

  /// The explicit dependencies of `target`: its `dependencies` field resolved
  /// to addresses (generators expanded to their generated targets, `!`
  /// exclusions removed), plus, for a generator, its generated targets.
  /// A missing address is a located user error.
  absl::StatusOr<std::vector<Address>> ExplicitDependencies(const Target& target,
                                                            const fs::FileIndex& index) const;
  /// The `!!` transitive exclusions written in `target`'s dependencies field.
  absl::StatusOr<std::vector<Address>> TransitiveExcludes(const Target& target,
                                                          const fs::FileIndex& index) const;

 private:
  friend class GraphLoader;
  // Sorted by address, so all targets of one spec_path are contiguous.
  std::vector<Target> targets_;
  // spec_path -> [begin, end) of its targets in targets_. Find() searches
  // only that range: cheaper to build than a hash map of every Address.
  absl::flat_hash_map<std::string, std::pair<uint32_t, uint32_t>> dir_ranges_;
  // (target index, index into its `sources`) for every file owned by a
  // non-generator target, sorted by file, then target index.
  std::vector<std::pair<uint32_t, uint32_t>> owners_;
  std::vector<std::string> build_files_;
  std::vector<DependencyRules> dependency_rules_;
  std::vector<DependencyRules> dependents_rules_;
};

/// Loads every BUILD file of `index`. Non-fatal problems (unmatched globs
/// under kWarn) are appended to `warnings`.
absl::StatusOr<TargetGraph> LoadTargetGraph(const fs::FileSystem& fs, const fs::FileIndex& index,
                                            const TargetTypeRegistry& types,
                                            const GraphOptions& options,
                                            std::vector<std::string>* warnings);

/// True when file name `basename` matches one of `build_patterns`.
bool IsBuildFileName(absl::string_view basename, const std::vector<std::string>& build_patterns);

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_TARGET_GRAPH_H_
