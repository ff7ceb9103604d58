// The dependencies of targets: what the BUILD files say, plus what language
// rules infer, minus what the user excluded.
//
// core knows no language: an inferrer (Python imports, conftests, entry
// points...) is a DependencyInferrer registered by a rule set. The resolver
// merges, for one target:
//
//   explicit   TargetGraph::ExplicitDependencies (generators expanded, `!`
//              entries removed, a generator's generated targets)
//   inferred   every inferrer's answer, in registration order
//   minus      `!addr` entries of the target (a `!` on a generator also drops
//              the targets it generated) and the target itself
//
// One Dependency per address, sorted by address; an explicit entry wins over
// an inferred one (so `--explain` says "explicit" for a dependency both
// written and inferred), else the first inferred one.
//
// Transitive walks honour `!!addr` written in the ROOTS' dependencies fields
// (Pants' transitive excludes, meant for pex_binary, python_distribution and
// python_test): an excluded address is neither listed nor walked through.
//
// Usage:
//   DependencyResolver deps(graph, index, std::move(inferrers));
//   BRAID_ASSIGN_OR_RETURN(const std::vector<Dependency>* direct, deps.Direct(target));
//   BRAID_ASSIGN_OR_RETURN(auto closure, deps.Transitive({&target}, /*include_roots=*/false));
//
// Results are memoized per target for the life of the resolver (one run).
#ifndef BRAID_CORE_GRAPH_DEPENDENCY_RESOLVER_H_
#define BRAID_CORE_GRAPH_DEPENDENCY_RESOLVER_H_

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "core/base/error.h"
#include "core/fs/file_index.h"
#include "core/graph/address.h"
#include "core/graph/target.h"
#include "core/graph/target_graph.h"

namespace braid::graph {

/// Rule names used in Dependency::rule (inferrers may add their own).
inline constexpr char kRuleExplicit[] = "explicit";

/// One edge of the dependency graph and why it exists.
struct Dependency {
  Address address;
  /// Why: "explicit", "import", "weak import", "string import", "conftest",
  /// "init file", "asset", "entry point", "pragma".
  std::string rule;
  /// Where the reason is written: the import's file and line, the BUILD
  /// file's `dependencies` / `entry_point` field. May be empty.
  Location origin;
  /// What was looked up: the module, file or address text ("" for explicit).
  std::string module;
  /// The target at `address` in the graph; filled in by DependencyResolver
  /// (inferrers may leave it null).
  const Target* target = nullptr;
};

/// Infers dependencies of targets (one language's knowledge).
class DependencyInferrer {
 public:
  virtual ~DependencyInferrer() = default;
  /// The inferred dependencies of `target`, in any order, duplicates allowed.
  /// Targets the inferrer does not handle give {}. Located user errors (e.g.
  /// an unowned import under `unowned_dependency_behavior = "error"`) fail.
  virtual absl::StatusOr<std::vector<Dependency>> Infer(const Target& target) = 0;
  /// Infer for queries that need only the edges (DependencyResolver::
  /// DirectTargets): the same warnings and errors, and the targets in `graph`
  /// of the same dependencies (any order, duplicates allowed), without a
  /// Dependency record (address, rule, origin, module) per import. The
  /// default calls Infer and looks up each entry's target.
  virtual absl::StatusOr<std::vector<const Target*>> InferTargets(const Target& target,
                                                                   const TargetGraph& graph);
  /// Persists what the inferrer cached during the run (called once, at the
  /// end). Failing to save a cache is not a user error: callers log it.
  virtual absl::Status Flush() { return absl::OkStatus(); }

  // Batches (DependencyResolver::DirectAll). An inferrer that does nothing
  // here still works: its Infer is then called serially.

  /// Called once before Infer is called for many `targets`: a chance to do
  /// the per-file work for all of them at once (on up to `parallelism`
  /// threads) and to build lazily built tables. Errors are not reported
  /// here: Infer meets them again for the target concerned.
  virtual void Prepare(absl::Span<const Target* const> targets, int parallelism) {
    (void)targets;
    (void)parallelism;
  }
  /// true when, after Prepare(targets) and BeginConcurrent(targets), Infer
  /// may run concurrently for distinct targets among them.
  virtual bool SupportsConcurrentInfer() const { return false; }
  /// Starts a concurrent batch (only when SupportsConcurrentInfer): until
  /// EndConcurrent, Infer must hold back the warnings it would report.
  virtual void BeginConcurrent(absl::Span<const Target* const> targets) { (void)targets; }
  /// Ends a concurrent batch: reports the held-back warnings of the first
  /// `count` of `targets`, in that order (exactly what serial calls would
  /// have reported up to the first failing target), and drops the others.
  virtual void EndConcurrent(absl::Span<const Target* const> targets, size_t count) {
    (void)targets;
    (void)count;
  }
};

/// What a target's own `dependencies` field says about an inferred dependency
/// several targets provide (Pants' ExplicitlyProvidedDependencies): the
/// addresses it lists, and those it excludes with `!` (not `!!`).
struct ExplicitlyProvided {
  std::vector<Address> includes;
  std::vector<Address> excludes;
  /// Entries that do not parse are left out (the resolver reports them).
  static ExplicitlyProvided Of(const TargetGraph& graph, const Target& target,
                               const fs::FileIndex& index);
};

/// The warning for a `statement` ("import", "include", ...) of `what` in the
/// target `spec` that `owners` (specs, at least two, in the order shown) all
/// provide: nothing was inferred, and the two ways to pick one.
std::string AmbiguousOwnersWarning(const Location& origin, absl::string_view statement,
                                   absl::string_view what, absl::string_view spec,
                                   const std::vector<std::string>& owners);

class DependencyResolver {
 public:
  /// `graph` and `index` must outlive the resolver.
  DependencyResolver(const TargetGraph& graph, const fs::FileIndex& index,
                     std::vector<std::unique_ptr<DependencyInferrer>> inferrers);

  /// Direct dependencies of `target` (see the top of this file). The pointer
  /// stays valid for the life of the resolver.
  absl::StatusOr<const std::vector<Dependency>*> Direct(const Target& target);

  /// Computes Direct() for all of `targets` (those not yet memoized) as one
  /// batch, on up to parallelism() threads when every inferrer supports it.
  /// Same results, and the same warnings in the same order, as calling
  /// Direct() on each in turn; an error is the first failing target's.
  absl::Status DirectAll(absl::Span<const Target* const> targets);

  /// The graph targets among Direct(target), in the same order (by address),
  /// for queries that need only the edges: computed (by DirectTargetsAll)
  /// without keeping the Dependency records, ~40x less memory for a whole
  /// repository. An entry whose address is not in the graph is left out.
  /// The pointer stays valid for the life of the resolver.
  absl::StatusOr<const std::vector<const Target*>*> DirectTargets(const Target& target);

  /// DirectAll for DirectTargets: same batching, threads, warnings and
  /// first error.
  absl::Status DirectTargetsAll(absl::Span<const Target* const> targets);

  /// Threads DirectAll may use (default 1: serial).
  void set_parallelism(int parallelism) { parallelism_ = parallelism < 1 ? 1 : parallelism; }
  int parallelism() const { return parallelism_; }

  /// Every target reachable from `roots`, sorted by address; the roots
  /// themselves only with `include_roots` (a root reached from another root
  /// is listed either way). Honours the roots' `!!` exclusions.
  absl::StatusOr<std::vector<const Target*>> Transitive(absl::Span<const Target* const> roots,
                                                        bool include_roots);

  /// Targets that depend directly on `target`, sorted by address. The first
  /// call computes Direct() of every target in the graph.
  absl::StatusOr<const std::vector<const Target*>*> Dependents(const Target& target);

  /// Every target with a dependency path to one of `targets`, sorted;
  /// `targets` themselves only with `include_roots`.
  absl::StatusOr<std::vector<const Target*>> TransitiveDependents(
      absl::Span<const Target* const> targets, bool include_roots);

  const TargetGraph& graph() const { return graph_; }

  /// Flushes every inferrer; returns the first error (after trying all).
  absl::Status Flush();

 private:
  size_t IndexOf(const Target& target) const;
  absl::Status BuildReverse();
  // Direct()'s computation, without memoization. Safe to run concurrently
  // for distinct targets when every inferrer supports concurrent Infer.
  absl::StatusOr<std::vector<Dependency>> Compute(const Target& target);
  // DirectTargets()'s computation: Compute reduced to the graph targets, from
  // the inferrers' InferTargets. `target` must be in the graph.
  absl::StatusOr<std::vector<const Target*>> ComputeTargets(const Target& target);
  // DirectAll (`lean` false) and DirectTargetsAll (true).
  absl::Status ComputeAll(absl::Span<const Target* const> targets, bool lean);
  // Whether the answer `lean` asks for is memoized for graph position `i`.
  bool Known(size_t i, bool lean) const { return direct_[i] || (lean && direct_targets_[i]); }

  const TargetGraph& graph_;
  const fs::FileIndex& index_;
  std::vector<std::unique_ptr<DependencyInferrer>> inferrers_;
  int parallelism_ = 1;
  // By position in graph_.targets(); filled on demand.
  std::vector<std::optional<std::vector<Dependency>>> direct_;
  // By position: DirectTargets() answers computed without direct_ (lean).
  std::vector<std::optional<std::vector<const Target*>>> direct_targets_;
  // Answers for targets not in the graph (tests build some by hand).
  std::deque<std::vector<Dependency>> outside_graph_;
  std::deque<std::vector<const Target*>> outside_graph_targets_;
  // By position; set once BuildReverse has run.
  std::optional<std::vector<std::vector<const Target*>>> reverse_;
};

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_DEPENDENCY_RESOLVER_H_
