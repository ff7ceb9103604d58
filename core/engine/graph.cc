#include "core/engine/graph.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace braid::engine {

const char* NodeStatusName(NodeStatus status) {
  switch (status) {
    case NodeStatus::kSucceeded: return "succeeded";
    case NodeStatus::kFailed: return "failed";
    case NodeStatus::kSkipped: return "skipped";
    case NodeStatus::kInterrupted: return "interrupted";
  }
  return "unknown";
}

NodeId Graph::AddCompute(std::string name, std::vector<NodeId> deps, ComputeFn fn) {
  Node n;
  n.id = static_cast<NodeId>(nodes_.size());
  n.name = std::move(name);
  n.kind = Node::Kind::kCompute;
  n.compute = std::move(fn);
  nodes_.push_back(std::move(n));
  for (NodeId d : deps) AddDependency(nodes_.back().id, d);
  return nodes_.back().id;
}

NodeId Graph::AddAction(std::string name, std::vector<NodeId> deps, ActionFn fn) {
  Node n;
  n.id = static_cast<NodeId>(nodes_.size());
  n.name = std::move(name);
  n.kind = Node::Kind::kAction;
  n.action = std::move(fn);
  nodes_.push_back(std::move(n));
  for (NodeId d : deps) AddDependency(nodes_.back().id, d);
  return nodes_.back().id;
}

void Graph::AddDependency(NodeId node, NodeId dep) {
  std::vector<NodeId>& deps = mutable_node(node).deps;
  if (std::find(deps.begin(), deps.end(), dep) == deps.end()) deps.push_back(dep);
}

absl::Status Graph::Validate() const {
  const NodeId n = static_cast<NodeId>(nodes_.size());
  for (const Node& node : nodes_) {
    for (NodeId d : node.deps) {
      if (d < 0 || d >= n) {
        return absl::InternalError(absl::StrCat("node '", node.name, "' depends on unknown node id ",
                                                d));
      }
    }
    if ((node.kind == Node::Kind::kCompute && !node.compute) ||
        (node.kind == Node::Kind::kAction && !node.action)) {
      return absl::InternalError(absl::StrCat("node '", node.name, "' has no function"));
    }
  }
  // Iterative DFS from every node in id order, dependencies in declared order: the first cycle
  // found is the same for the same graph. 0 = unvisited, 1 = on the stack, 2 = done.
  std::vector<int> state(nodes_.size(), 0);
  for (NodeId root = 0; root < n; ++root) {
    if (state[root] != 0) continue;
    std::vector<std::pair<NodeId, size_t>> stack = {{root, 0}};
    state[root] = 1;
    while (!stack.empty()) {
      auto& [id, next] = stack.back();
      const Node& node = nodes_[id];
      if (next == node.deps.size()) {
        state[id] = 2;
        stack.pop_back();
        continue;
      }
      NodeId dep = node.deps[next++];
      if (state[dep] == 1) {
        // The cycle is the stack from `dep` up to here; print it starting at its smallest id.
        std::vector<NodeId> cycle;
        bool in = false;
        for (const auto& [sid, unused] : stack) {
          if (sid == dep) in = true;
          if (in) cycle.push_back(sid);
        }
        auto smallest = std::min_element(cycle.begin(), cycle.end());
        std::rotate(cycle.begin(), smallest, cycle.end());
        std::vector<std::string> names;
        for (NodeId c : cycle) names.push_back(nodes_[c].name);
        names.push_back(nodes_[cycle.front()].name);
        return absl::InternalError(
            absl::StrCat("dependency cycle: ", absl::StrJoin(names, " -> ")));
      }
      if (state[dep] == 0) {
        state[dep] = 1;
        stack.push_back({dep, 0});
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace braid::engine
