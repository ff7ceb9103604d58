#include "rules/python/package/distribution_plan.h"

#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "core/fs/file_system.h"
#include "rules/python/target_types.h"

namespace braid::python::package {
namespace {

// A workspace with explicit dependencies only (no import inference).
class PlannerTest : public ::testing::Test {
 protected:
  void Load() {
    RegisterPythonTargetTypes(types_);
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    absl::StatusOr<graph::TargetGraph> g =
        graph::LoadTargetGraph(fs_, index_, types_, graph::GraphOptions{}, &warnings);
    ASSERT_TRUE(g.ok()) << g.status();
    graph_ = std::move(*g);
    deps_ = std::make_unique<graph::DependencyResolver>(
        graph_, index_, std::vector<std::unique_ptr<graph::DependencyInferrer>>{});
    SourceRootConfig rc;
    rc.root_patterns = {"/src"};
    roots_.emplace(SourceRoots::Create(rc, index_).value());
    planner_.emplace(graph_, *deps_, *roots_, index_);
  }
  const graph::Target& T(const std::string& spec) {
    for (const graph::Target& t : graph_.targets()) {
      if (t.address.Spec() == spec) return t;
    }
    ADD_FAILURE() << "no target " << spec;
    return graph_.targets().front();
  }
  static std::vector<std::string> Paths(const DistributionPlan& p) {
    std::vector<std::string> out;
    for (const PlannedFile& f : p.files) out.push_back(f.source + " -> " + f.path);
    return out;
  }

  fs::FakeFileSystem fs_;
  fs::FileIndex index_;
  graph::TargetTypeRegistry types_;
  graph::TargetGraph graph_;
  std::unique_ptr<graph::DependencyResolver> deps_;
  std::optional<SourceRoots> roots_;
  std::optional<DistributionPlanner> planner_;
};

TEST_F(PlannerTest, OwnsItsClosureRequiresOtherDistributionsAndThirdParty) {
  fs_.AddFile("3rdparty/BUILD", "python_requirement(name='yaml', requirements=['pyyaml>=6'])\n");
  fs_.AddFile("src/core/BUILD",
              "python_sources(name='src', dependencies=['//3rdparty:yaml', ':data'])\n"
              "resources(name='data', sources=['*.json'])\n"
              "files(name='notes', sources=['*.txt'])\n"
              "python_distribution(name='dist', dependencies=[':src', ':notes'],\n"
              "    provides=python_artifact(name='core', version='1'))\n");
  fs_.AddFile("src/core/__init__.py");
  fs_.AddFile("src/core/c.py");
  fs_.AddFile("src/core/py.typed");
  fs_.AddFile("src/core/d.json");
  fs_.AddFile("src/core/n.txt");
  fs_.AddFile("src/app/BUILD",
              "python_sources(name='src', dependencies=['src/core:src'])\n"
              "python_tests(name='tests', dependencies=[':src'])\n"
              "python_distribution(name='dist', dependencies=[':src', ':tests'],\n"
              "    provides=python_artifact(name='app', version='1'))\n");
  fs_.AddFile("src/app/a.py");
  fs_.AddFile("src/app/test_a.py");
  Load();

  absl::StatusOr<DistributionPlan> core = planner_->Plan(T("src/core:dist"));
  ASSERT_TRUE(core.ok()) << core.status();
  EXPECT_EQ(Paths(*core), (std::vector<std::string>{
                              "src/core/__init__.py -> core/__init__.py",
                              "src/core/c.py -> core/c.py",
                              "src/core/d.json -> core/d.json",
                              "src/core/py.typed -> core/py.typed",
                          }));
  EXPECT_EQ(core->third_party, std::vector<std::string>{"pyyaml>=6"});
  EXPECT_TRUE(core->first_party.empty());

  absl::StatusOr<DistributionPlan> app = planner_->Plan(T("src/app:dist"));
  ASSERT_TRUE(app.ok()) << app.status();
  EXPECT_EQ(Paths(*app), std::vector<std::string>{"src/app/a.py -> app/a.py"});
  EXPECT_TRUE(app->third_party.empty()) << "pyyaml belongs to core's closure";
  ASSERT_EQ(app->first_party.size(), 1u);
  EXPECT_EQ(app->first_party[0]->address.Spec(), "src/core:dist");
}

TEST_F(PlannerTest, NearestAncestorOwns) {
  fs_.AddFile("src/BUILD",
              "python_distribution(name='all', dependencies=['src/pkg/sub:src'],\n"
              "    provides=python_artifact(name='all', version='1'))\n");
  fs_.AddFile("src/pkg/BUILD",
              "python_distribution(name='pkg', dependencies=['src/pkg/sub:src'],\n"
              "    provides=python_artifact(name='pkg', version='1'))\n");
  fs_.AddFile("src/pkg/sub/BUILD", "python_sources(name='src')\n");
  fs_.AddFile("src/pkg/sub/m.py");
  Load();
  EXPECT_EQ(*planner_->ExportingOwner(T("src/pkg/sub/m.py:src")), &T("src/pkg:pkg"));
  absl::StatusOr<DistributionPlan> all = planner_->Plan(T("src:all"));
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->files.empty());
  ASSERT_EQ(all->first_party.size(), 1u);
  EXPECT_EQ(all->first_party[0], &T("src/pkg:pkg"));
}

TEST_F(PlannerTest, TwoOwnersAtOneLevelIsAnError) {
  fs_.AddFile("src/lib/BUILD",
              "python_sources(name='src')\n"
              "python_distribution(name='a', dependencies=[':src'],\n"
              "    provides=python_artifact(name='a', version='1'))\n"
              "python_distribution(name='b', dependencies=[':src'],\n"
              "    provides=python_artifact(name='b', version='1'))\n");
  fs_.AddFile("src/lib/x.py");
  Load();
  absl::StatusOr<DistributionPlan> p = planner_->Plan(T("src/lib:a"));
  ASSERT_FALSE(p.ok());
  std::string msg(p.status().message());
  EXPECT_EQ(msg.substr(0, msg.find('\n')),
            "src/lib/BUILD:4:1: src/lib/x.py is claimed by two python_distribution targets: "
            "src/lib:a and src/lib:b");
}

TEST_F(PlannerTest, NoOwnerIsAnError) {
  fs_.AddFile("src/lib/BUILD", "python_sources(name='src')\n");
  fs_.AddFile("src/lib/x.py");
  fs_.AddFile("src/app/BUILD",
              "python_distribution(name='d', dependencies=['src/lib:src'],\n"
              "    provides=python_artifact(name='d', version='1'))\n");
  Load();
  absl::StatusOr<DistributionPlan> p = planner_->Plan(T("src/app:d"));
  ASSERT_FALSE(p.ok());
  std::string msg(p.status().message());
  EXPECT_EQ(msg.substr(0, msg.find('\n')),
            "src/app/BUILD:1:1: No python_distribution target found to own src/lib/x.py "
            "(needed by src/app:d)");
}

}  // namespace
}  // namespace braid::python::package
