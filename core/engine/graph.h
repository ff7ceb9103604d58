// Graph: the DAG of one run — nodes with ids, declared dependencies, and what each node does.
//
//   Graph g;
//   NodeId lock = g.AddCompute("resolve", {}, [](const DepOutcomes&) -> ComputeResult {
//     return std::any(std::string("lockfile text"));
//   });
//   NodeId test = g.AddAction("src/app/app_test.py:tests", {lock},
//                             [](const DepOutcomes& deps) -> absl::StatusOr<ActionRequest> {
//     ActionRequest r;
//     r.spec.argv = {"python3", "-m", "pytest", "src/app/app_test.py"};
//     ...
//     return r;
//   });
//   g.mutable_node(test).summarize = true;     // one line in the console summary
//   absl::Status ok = g.Validate();            // unknown ids, cycles
//
// Invariants:
//   - A NodeId is the node's index in insertion order (0, 1, 2, ...). The scheduler breaks every
//     tie by it, so the same graph always starts, and reports, nodes in the same order.
//   - A node sees its dependencies' outcomes in the order the dependencies were declared, and
//     nothing else: a node function must not read files or the environment it was not given
//     (inputs that are not declared do not exist; see docs/architecture.md).
//   - Node functions run on the scheduler's (loop) thread, one at a time, so they must be quick:
//     real work belongs in process actions.
#ifndef BRAID_CORE_ENGINE_GRAPH_H_
#define BRAID_CORE_ENGINE_GRAPH_H_

#include <any>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "core/engine/action.h"

namespace braid::engine {

/// Index of a node in its Graph (insertion order).
using NodeId = int;

/// Where a node ended. Everything but kSucceeded counts as "not ok" for dependents.
enum class NodeStatus {
  kSucceeded,
  /// The process exited non-zero / was killed / timed out, or the node's function or the engine
  /// returned an error (then NodeOutcome::error says which).
  kFailed,
  /// Never ran: a dependency did not succeed, or fail-fast / cancellation stopped the run first
  /// (NodeOutcome::skip_reason says which).
  kSkipped,
  /// Was running when the run was cancelled (SIGINT / SIGTERM / Cancel()).
  kInterrupted,
};

/// "succeeded", "failed", "skipped", "interrupted".
const char* NodeStatusName(NodeStatus status);

/// What one node produced. Owned by the scheduler's RunResult.
struct NodeOutcome {
  NodeId id = -1;
  NodeStatus status = NodeStatus::kSkipped;
  /// A compute node's value (empty for process actions and for nodes that did not succeed).
  std::any value;
  /// Set for process actions that reached the runner or the cache (ran, cached, memoized,
  /// failed or interrupted).
  std::optional<ActionOutput> action;
  /// Why a node failed without a process result: the node function's error, a missing input
  /// file, a sandbox that could not be created. OK otherwise.
  absl::Status error;
  /// For kSkipped: "dependency src/app:lib failed", "fail-fast", "interrupted".
  std::string skip_reason;
  /// Engine clock: when the node started doing work (process start, cache lookup, compute) and
  /// when it finished. Both absl::InfinitePast() for nodes that never started.
  absl::Time started_at = absl::InfinitePast();
  absl::Time finished_at = absl::InfinitePast();

  bool ok() const { return status == NodeStatus::kSucceeded; }
};

/// The outcomes of a node's dependencies, in declared order. Every pointer is non-null; unless
/// the node tolerates failed dependencies, every outcome is kSucceeded.
using DepOutcomes = std::vector<const NodeOutcome*>;

/// A pure in-process computation. An error fails the node (and skips its dependents).
using ComputeFn = std::function<absl::StatusOr<std::any>(const DepOutcomes&)>;
/// Builds the process to run from the dependencies' outcomes. An error fails the node.
using ActionFn = std::function<absl::StatusOr<ActionRequest>(const DepOutcomes&)>;

struct Node {
  enum class Kind { kCompute, kAction };

  NodeId id = -1;
  /// What users see: the target address for test actions ("src/app/app_test.py:tests"), or a
  /// short description for internal nodes ("resolve requirements"). Used in cycle errors.
  std::string name;
  Kind kind = Kind::kCompute;
  /// Declared dependencies; unique; must name nodes of the same graph.
  std::vector<NodeId> deps;
  ComputeFn compute;  // kCompute only
  ActionFn action;    // kAction only
  /// Gets a line in the console's per-target summary (the `test` goal sets it for each test).
  bool summarize = false;
  /// Among actions waiting for a process slot, higher priorities launch first (ties: lower id
  /// first). The `test` goal puts its longest expected runs first, so a long one does not start
  /// last and leave the other slots idle at the end. Never changes results or output order.
  int64_t launch_priority = 0;
  /// Runs even when dependencies failed or were skipped (e.g. a coverage report over all test
  /// runs). Never runs after cancellation.
  bool tolerates_failed_dependencies = false;
};

class Graph {
 public:
  /// Adds a node; returns its id. Dependencies may name nodes added later (AddDependency), so
  /// Validate() must run before scheduling.
  NodeId AddCompute(std::string name, std::vector<NodeId> deps, ComputeFn fn);
  NodeId AddAction(std::string name, std::vector<NodeId> deps, ActionFn fn);
  /// Declares that `node` depends on `dep` (a duplicate edge is ignored).
  void AddDependency(NodeId node, NodeId dep);

  size_t size() const { return nodes_.size(); }
  const Node& node(NodeId id) const { return nodes_[static_cast<size_t>(id)]; }
  Node& mutable_node(NodeId id) { return nodes_[static_cast<size_t>(id)]; }
  const std::vector<Node>& nodes() const { return nodes_; }

  /// kInternal (a rule bug) for a dependency id that is not in the graph, a node without a
  /// function, or a cycle, named in order from its smallest id:
  /// "dependency cycle: a -> b -> c -> a".
  absl::Status Validate() const;

 private:
  std::vector<Node> nodes_;
};

}  // namespace braid::engine

#endif  // BRAID_CORE_ENGINE_GRAPH_H_
