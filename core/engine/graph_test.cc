#include "core/engine/graph.h"

#include "gtest/gtest.h"

namespace braid::engine {
namespace {

ComputeFn Const(int v) {
  return [v](const DepOutcomes&) -> absl::StatusOr<std::any> { return std::any(v); };
}

TEST(Graph, IdsAreInsertionOrder) {
  Graph g;
  EXPECT_EQ(g.AddCompute("a", {}, Const(1)), 0);
  EXPECT_EQ(g.AddCompute("b", {0}, Const(2)), 1);
  EXPECT_EQ(g.node(1).deps, std::vector<NodeId>{0});
  g.AddDependency(1, 0);  // duplicate edges are merged
  EXPECT_EQ(g.node(1).deps, std::vector<NodeId>{0});
  EXPECT_TRUE(g.Validate().ok());
}

TEST(Graph, CycleIsNamedFromItsSmallestNode) {
  Graph g;
  NodeId a = g.AddCompute("src/a:a", {}, Const(1));
  NodeId b = g.AddCompute("src/b:b", {a}, Const(2));
  NodeId c = g.AddCompute("src/c:c", {b}, Const(3));
  g.AddCompute("src/d:d", {}, Const(4));
  g.AddDependency(a, c);
  absl::Status s = g.Validate();
  EXPECT_EQ(s.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(s.message(), "dependency cycle: src/a:a -> src/c:c -> src/b:b -> src/a:a");
}

TEST(Graph, SelfLoopIsACycle) {
  Graph g;
  NodeId a = g.AddCompute("a", {}, Const(1));
  g.AddDependency(a, a);
  EXPECT_EQ(g.Validate().message(), "dependency cycle: a -> a");
}

TEST(Graph, UnknownDependencyIsAnError) {
  Graph g;
  g.AddCompute("a", {7}, Const(1));
  EXPECT_EQ(g.Validate().message(), "node 'a' depends on unknown node id 7");
}

TEST(Graph, NodeWithoutFunctionIsAnError) {
  Graph g;
  g.AddAction("t", {}, nullptr);
  EXPECT_EQ(g.Validate().message(), "node 't' has no function");
}

TEST(Graph, DiamondIsNotACycle) {
  Graph g;
  NodeId a = g.AddCompute("a", {}, Const(1));
  NodeId b = g.AddCompute("b", {a}, Const(1));
  NodeId c = g.AddCompute("c", {a}, Const(1));
  g.AddCompute("d", {b, c}, Const(1));
  EXPECT_TRUE(g.Validate().ok());
}

}  // namespace
}  // namespace braid::engine
