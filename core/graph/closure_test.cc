#include "core/graph/closure.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "core/fs/file_system.h"
#include "core/graph/graph_test_util.h"
#include "gtest/gtest.h"

namespace braid::graph {
namespace {

using build_file::Value;

using test_util::Strings;

TargetTypeRegistry TestTypes() { return test_util::LibSourcesTypes(); }

// "Imports" what the test says (target spec -> file specs "d/x.src:lib"), and records the
// order in which targets were first inferred (that order fixes the order of warnings).
class RecordingInferrer : public DependencyInferrer {
 public:
  RecordingInferrer(std::map<std::string, std::vector<std::string>> edges,
                    std::vector<std::string>* order)
      : edges_(std::move(edges)), order_(order) {}
  absl::StatusOr<std::vector<Dependency>> Infer(const Target& target) override {
    order_->push_back(target.address.Spec());
    std::vector<Dependency> out;
    auto it = edges_.find(target.address.Spec());
    if (it == edges_.end()) return out;
    for (const std::string& spec : it->second) {
      if (spec == "FAIL") return absl::InvalidArgumentError("inference failed: " + it->first);
      size_t colon = spec.find(':');
      std::string file = spec.substr(0, colon);
      std::string dir = file.substr(0, file.rfind('/'));
      Address a =
          Address(dir, spec.substr(colon + 1)).WithRelativeFilePath(file.substr(dir.size() + 1));
      out.push_back(Dependency{a, "import", Location{target.address.Spec(), 1, 0, ""}, "m"});
    }
    return out;
  }

 private:
  std::map<std::string, std::vector<std::string>> edges_;
  std::vector<std::string>* order_;
};

class ClosureTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.AddFile("a/BUILD",
                "lib_sources(name='lib')\n"
                "target(name='root', dependencies=[':lib', '!!c/z.src:lib'])\n");
    fs_.AddFile("a/x.src");
    fs_.AddFile("a/y.src");
    fs_.AddFile("b/BUILD", "lib_sources(name='lib')\ntarget(name='other', dependencies=['c:lib'])\n");
    fs_.AddFile("b/p.src");
    fs_.AddFile("b/q.src");
    fs_.AddFile("c/BUILD", "lib_sources(name='lib')\n");
    fs_.AddFile("c/z.src");
    fs_.AddFile("c/w.src");
    fs_.AddFile("d/BUILD", "lib_sources(name='lib')\n");
    fs_.AddFile("d/e.src");
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    graph_ = LoadTargetGraph(fs_, index_, types_, GraphOptions{}, &warnings).value();
  }

  // A cycle (a/x -> b/p -> c/z -> a/x), a diamond onto c/w, and an unreached d.
  std::map<std::string, std::vector<std::string>> Edges() const {
    return {{"a/x.src:lib", {"b/p.src:lib", "c/w.src:lib"}},
            {"a/y.src:lib", {"a/x.src:lib"}},
            {"b/p.src:lib", {"c/z.src:lib", "c/w.src:lib"}},
            {"c/z.src:lib", {"a/x.src:lib"}},
            {"b/q.src:lib", {"c/w.src:lib"}}};
  }

  std::unique_ptr<DependencyResolver> Make(std::map<std::string, std::vector<std::string>> edges,
                                           std::vector<std::string>* order) {
    std::vector<std::unique_ptr<DependencyInferrer>> v;
    v.push_back(std::make_unique<RecordingInferrer>(std::move(edges), order));
    return std::make_unique<DependencyResolver>(graph_, index_, std::move(v));
  }

  // Root sets: specs separated by '+' in one string form one set.
  std::vector<std::vector<const Target*>> Roots(const std::vector<std::string>& sets) {
    std::vector<std::vector<const Target*>> out;
    for (const std::string& set : sets) {
      std::vector<const Target*>& roots = out.emplace_back();
      for (absl::string_view spec : absl::StrSplit(set, '+')) {
        for (const Target& t : graph_.targets()) {
          if (t.address.Spec() == spec) roots.push_back(&t);
        }
      }
      EXPECT_EQ(roots.size(), std::count(set.begin(), set.end(), '+') + 1u) << set;
    }
    return out;
  }

  static std::vector<std::string> Specs(const std::vector<const Target*>& ts) {
    std::vector<std::string> out;
    for (const Target* t : ts) out.push_back(t->address.Spec());
    return out;
  }

  // Checks TransitiveClosures against one Transitive call per root on a fresh resolver:
  // same closures, and targets inferred in the same order.
  void ExpectSameAsTransitive(const std::map<std::string, std::vector<std::string>>& edges,
                              const std::vector<std::vector<const Target*>>& roots) {
    std::vector<std::string> want_order;
    std::unique_ptr<DependencyResolver> want_deps = Make(edges, &want_order);
    std::vector<std::vector<std::string>> want;
    for (const std::vector<const Target*>& r : roots) {
      want.push_back(Specs(want_deps->Transitive(r, /*include_roots=*/true).value()));
    }
    std::vector<std::string> got_order;
    std::unique_ptr<DependencyResolver> got_deps = Make(edges, &got_order);
    absl::StatusOr<std::vector<std::vector<const Target*>>> got =
        TransitiveClosures(*got_deps, index_, roots);
    ASSERT_TRUE(got.ok()) << got.status();
    ASSERT_EQ(got->size(), roots.size());
    for (size_t i = 0; i < roots.size(); ++i) {
      EXPECT_EQ(Specs((*got)[i]), want[i]) << "root set " << i;
    }
    EXPECT_EQ(got_order, want_order);
  }

  fs::FakeFileSystem fs_;
  fs::FileIndex index_;
  TargetTypeRegistry types_ = TestTypes();
  TargetGraph graph_;
};

TEST_F(ClosureTest, CycleAndDiamondGiveTheWholeComponentSortedWithTheRoot) {
  std::vector<std::string> order;
  std::unique_ptr<DependencyResolver> deps = Make(Edges(), &order);
  std::vector<std::vector<const Target*>> roots =
      Roots({"a/y.src:lib", "c/z.src:lib", "b/q.src:lib", "b/q.src:lib+d/e.src:lib"});
  absl::StatusOr<std::vector<std::vector<const Target*>>> got =
      TransitiveClosures(*deps, index_, roots);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(Specs((*got)[0]), (std::vector<std::string>{"a/x.src:lib", "a/y.src:lib",
                                                        "b/p.src:lib", "c/w.src:lib",
                                                        "c/z.src:lib"}));
  EXPECT_EQ(Specs((*got)[1]), (std::vector<std::string>{"a/x.src:lib", "b/p.src:lib",
                                                        "c/w.src:lib", "c/z.src:lib"}));
  EXPECT_EQ(Specs((*got)[2]), (std::vector<std::string>{"b/q.src:lib", "c/w.src:lib"}));
  EXPECT_EQ(Specs((*got)[3]),
            (std::vector<std::string>{"b/q.src:lib", "c/w.src:lib", "d/e.src:lib"}));
}

TEST_F(ClosureTest, EveryTargetAsRootEqualsTransitiveInAnyRootOrder) {
  std::vector<std::vector<const Target*>> roots;
  for (const Target& t : graph_.targets()) roots.push_back({&t});
  ExpectSameAsTransitive(Edges(), roots);
  std::reverse(roots.begin(), roots.end());
  ExpectSameAsTransitive(Edges(), roots);
}

TEST_F(ClosureTest, RootSetsEqualTransitiveOfTheSet) {
  ExpectSameAsTransitive(Edges(), Roots({"b/q.src:lib+a/y.src:lib", "d/e.src:lib+c/z.src:lib",
                                         "a/x.src:lib+b/p.src:lib+c/w.src:lib", "b:other"}));
  // A set with `!!` applies them to the whole walk (answered by the resolver).
  ExpectSameAsTransitive(Edges(), Roots({"a:root+b/q.src:lib", "a/x.src:lib"}));
}

TEST_F(ClosureTest, RootWithDoubleBangExclusionsIsHonoured) {
  // a:root excludes c/z.src:lib: the cycle through it is cut there.
  std::vector<std::vector<const Target*>> roots = Roots({"a:root", "a/y.src:lib", "b:other"});
  ExpectSameAsTransitive(Edges(), roots);
  std::vector<std::string> order;
  std::unique_ptr<DependencyResolver> deps = Make(Edges(), &order);
  std::vector<std::vector<const Target*>> got = TransitiveClosures(*deps, index_, roots).value();
  for (const Target* t : got[0]) EXPECT_NE(t->address.Spec(), "c/z.src:lib");
}

TEST_F(ClosureTest, DuplicateRootsAndEmptyRoots) {
  std::vector<std::vector<const Target*>> roots =
      Roots({"b/q.src:lib", "b/q.src:lib", "d/e.src:lib", "d/e.src:lib+d/e.src:lib"});
  ExpectSameAsTransitive(Edges(), roots);
  std::vector<std::string> order;
  std::unique_ptr<DependencyResolver> deps = Make(Edges(), &order);
  EXPECT_TRUE(TransitiveClosures(*deps, index_, {}).value().empty());
}

TEST_F(ClosureTest, ErrorIsTheFirstFailingRootsAfterTheSameInferences) {
  std::map<std::string, std::vector<std::string>> edges = Edges();
  edges["c/w.src:lib"] = {"FAIL"};
  std::vector<std::vector<const Target*>> roots =
      Roots({"d/e.src:lib", "a/y.src:lib", "b/q.src:lib"});
  std::vector<std::string> want_order;
  std::unique_ptr<DependencyResolver> want_deps = Make(edges, &want_order);
  absl::Status want;
  for (const std::vector<const Target*>& r : roots) {
    absl::StatusOr<std::vector<const Target*>> c = want_deps->Transitive(r, true);
    if (!c.ok()) {
      want = c.status();
      break;
    }
  }
  ASSERT_FALSE(want.ok());
  std::vector<std::string> got_order;
  std::unique_ptr<DependencyResolver> got_deps = Make(edges, &got_order);
  absl::StatusOr<std::vector<std::vector<const Target*>>> got =
      TransitiveClosures(*got_deps, index_, roots);
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status(), want);
  EXPECT_EQ(got_order, want_order);
}

}  // namespace
}  // namespace braid::graph
