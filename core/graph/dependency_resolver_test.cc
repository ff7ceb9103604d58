#include "core/graph/dependency_resolver.h"

#include <map>

#include "gtest/gtest.h"

namespace braid::graph {
namespace {

using build_file::Value;

Value Strings(std::vector<std::string> items) {
  std::vector<Value> v;
  for (auto& s : items) v.push_back(Value::String(s));
  return Value::List(std::move(v));
}

TargetTypeRegistry TestTypes() {
  TargetTypeRegistry reg;
  TargetType lib;
  lib.alias = "lib_sources";
  lib.fields = {{"sources", FieldType::kSources, Strings({"*.src"}), false, "", {}},
                DependenciesField(), TagsField()};
  lib.generated_alias = "lib_source";
  reg.Register(lib);
  TargetType one;
  one.alias = "lib_source";
  one.fields = {{"source", FieldType::kSource, Value(), true, "", {}}, DependenciesField(),
                TagsField()};
  reg.Register(one);
  TargetType tgt;
  tgt.alias = "target";
  tgt.fields = {DependenciesField(), TagsField()};
  reg.Register(tgt);
  return reg;
}

// Infers what the test tells it to: spec of a target -> specs it "imports".
class FakeInferrer : public DependencyInferrer {
 public:
  explicit FakeInferrer(std::map<std::string, std::vector<std::string>> edges)
      : edges_(std::move(edges)) {}
  absl::StatusOr<std::vector<Dependency>> Infer(const Target& target) override {
    ++calls;
    std::vector<Dependency> out;
    auto it = edges_.find(target.address.Spec());
    if (it == edges_.end()) return out;
    for (const std::string& spec : it->second) {
      if (spec == "FAIL") return absl::InvalidArgumentError("inference failed");
      absl::StatusOr<Address> a = ParseDirAddress(spec);
      if (spec.find(".src") != std::string::npos) {
        // "d/x.src:gen" style file address.
        size_t colon = spec.find(':');
        std::string file = spec.substr(0, colon);
        std::string dir = file.substr(0, file.rfind('/'));
        a = Address(dir, spec.substr(colon + 1)).WithRelativeFilePath(file.substr(dir.size() + 1));
      }
      EXPECT_TRUE(a.ok()) << spec;
      out.push_back(Dependency{*a, "import", Location{target.address.Spec(), 7, 0, ""}, "m"});
    }
    return out;
  }
  int calls = 0;

 private:
  std::map<std::string, std::vector<std::string>> edges_;
};

class ResolverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.AddFile("a/BUILD",
                "lib_sources(name='lib', dependencies=['b:other', '!c/z.src:lib'])\n"
                "target(name='root', dependencies=[':lib', '!!c:lib'])\n");
    fs_.AddFile("a/x.src");
    fs_.AddFile("b/BUILD", "target(name='other')\nlib_sources(name='lib')\n");
    fs_.AddFile("b/y.src");
    fs_.AddFile("c/BUILD", "lib_sources(name='lib')\n");
    fs_.AddFile("c/z.src");
    fs_.AddFile("c/w.src");
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    graph_ = LoadTargetGraph(fs_, index_, types_, GraphOptions{}, &warnings).value();
  }
  const Target& T(const std::string& spec) {
    for (const Target& t : graph_.targets()) {
      if (t.address.Spec() == spec) return t;
    }
    ADD_FAILURE() << "no target " << spec;
    return graph_.targets().front();
  }
  DependencyResolver Make(std::map<std::string, std::vector<std::string>> edges,
                          FakeInferrer** fake = nullptr) {
    auto inferrer = std::make_unique<FakeInferrer>(std::move(edges));
    if (fake) *fake = inferrer.get();
    std::vector<std::unique_ptr<DependencyInferrer>> v;
    v.push_back(std::move(inferrer));
    return DependencyResolver(graph_, index_, std::move(v));
  }
  static std::vector<std::string> Specs(const std::vector<Dependency>& deps) {
    std::vector<std::string> out;
    for (const Dependency& d : deps) out.push_back(d.address.Spec() + " " + d.rule);
    return out;
  }
  static std::vector<std::string> Specs(const std::vector<const Target*>& ts) {
    std::vector<std::string> out;
    for (const Target* t : ts) out.push_back(t->address.Spec());
    return out;
  }

  fs::FakeFileSystem fs_;
  fs::FileIndex index_;
  TargetTypeRegistry types_ = TestTypes();
  TargetGraph graph_;
};

TEST_F(ResolverTest, MergesExplicitAndInferredSortedAndExplicitWins) {
  DependencyResolver r = Make({{"a/x.src:lib", {"c/w.src:lib", "b:other", "b/y.src:lib"}}});
  const std::vector<Dependency>* deps = r.Direct(T("a/x.src:lib")).value();
  EXPECT_EQ(Specs(*deps), (std::vector<std::string>{"b:other explicit", "b/y.src:lib import",
                                                     "c/w.src:lib import"}));
  EXPECT_EQ((*deps)[1].origin.ToString(), "a/x.src:lib:7");
}

TEST_F(ResolverTest, BangExclusionRemovesInferredAndSelfIsDropped) {
  DependencyResolver r = Make({{"a/x.src:lib", {"c/z.src:lib", "a/x.src:lib", "c/w.src:lib"}}});
  EXPECT_EQ(Specs(*r.Direct(T("a/x.src:lib")).value()),
            (std::vector<std::string>{"b:other explicit", "c/w.src:lib import"}));
}

TEST_F(ResolverTest, DirectIsMemoized) {
  FakeInferrer* fake = nullptr;
  DependencyResolver r = Make({}, &fake);
  ASSERT_TRUE(r.Direct(T("a/x.src:lib")).ok());
  ASSERT_TRUE(r.Direct(T("a/x.src:lib")).ok());
  EXPECT_EQ(fake->calls, 1);
}

TEST_F(ResolverTest, InferrerErrorsPropagate) {
  DependencyResolver r = Make({{"a/x.src:lib", {"FAIL"}}});
  absl::StatusOr<const std::vector<Dependency>*> deps = r.Direct(T("a/x.src:lib"));
  ASSERT_FALSE(deps.ok());
  EXPECT_EQ(deps.status().message(), "inference failed");
}

TEST_F(ResolverTest, TransitiveHonoursRootDoubleBangExclusions) {
  DependencyResolver r = Make({{"a/x.src:lib", {"c/w.src:lib"}}, {"b:other", {"b/y.src:lib"}}});
  // a:root excludes c:lib and everything it generated, transitively.
  EXPECT_EQ(Specs(r.Transitive({&T("a:root")}, false).value()),
            (std::vector<std::string>{"a/x.src:lib", "b:other", "b/y.src:lib"}));
  // Without the root's `!!`, the walk reaches c/w.src.
  EXPECT_EQ(Specs(r.Transitive({&T("a:lib")}, true).value()),
            (std::vector<std::string>{"a:lib", "a/x.src:lib", "b:other", "b/y.src:lib",
                                      "c/w.src:lib"}));
}

TEST_F(ResolverTest, DependentsAreTheReverseEdges) {
  DependencyResolver r = Make({{"a/x.src:lib", {"c/w.src:lib"}}, {"b:other", {"b/y.src:lib"}}});
  EXPECT_EQ(Specs(*r.Dependents(T("b/y.src:lib")).value()),
            (std::vector<std::string>{"b:lib", "b:other"}));
  EXPECT_EQ(Specs(r.TransitiveDependents({&T("b/y.src:lib")}, false).value()),
            (std::vector<std::string>{"a:lib", "a:root", "a/x.src:lib", "b:lib", "b:other"}));
}

}  // namespace
}  // namespace braid::graph
