#include "core/graph/dependency_resolver.h"

#include <atomic>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"

#include "core/graph/graph_test_util.h"
#include "gtest/gtest.h"

namespace braid::graph {
namespace {

using build_file::Value;

using test_util::Strings;

TargetTypeRegistry TestTypes() { return test_util::LibSourcesTypes(); }

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

TEST_F(ResolverTest, ExplicitDependenciesPointAtTheirTargets) {
  DependencyResolver r = Make({});
  // A generator's own targets, and a generator named in `dependencies`
  // (expanded to its generated targets, which sit next to each other).
  for (const char* spec : {"c:lib", "a:root"}) {
    const std::vector<Dependency>* deps = r.Direct(T(spec)).value();
    ASSERT_FALSE(deps->empty()) << spec;
    for (const Dependency& d : *deps) {
      EXPECT_EQ(d.target, graph_.Find(d.address)) << spec << " -> " << d.address.Spec();
      EXPECT_EQ(d.rule, "explicit");
    }
  }
  EXPECT_EQ(Specs(*r.Direct(T("c:lib")).value()),
            (std::vector<std::string>{"c/w.src:lib explicit", "c/z.src:lib explicit"}));
}

// Answers with graph targets (pointers filled in, as real inferrers do),
// out of order, repeated, and including the target itself; `module` tells
// the entries apart.
class PointerInferrer : public DependencyInferrer {
 public:
  PointerInferrer(const TargetGraph& graph, std::vector<std::string> specs)
      : graph_(graph), specs_(std::move(specs)) {}
  absl::StatusOr<std::vector<Dependency>> Infer(const Target& target) override {
    ++infer_calls;
    std::vector<Dependency> out;
    if (target.address.Spec() != "a/x.src:lib") return out;
    for (size_t i = 0; i < specs_.size(); ++i) {
      const Target* t = nullptr;
      for (const Target& c : graph_.targets()) {
        if (c.address.Spec() == specs_[i]) t = &c;
      }
      EXPECT_NE(t, nullptr) << specs_[i];
      out.push_back(Dependency{t->address, "import", Location{"a/x.src", 1, 0, ""},
                               "m" + std::to_string(i), t});
    }
    return out;
  }
  // The same answer as bare targets (what a real inferrer gives lean queries).
  absl::StatusOr<std::vector<const Target*>> InferTargets(const Target& target,
                                                          const TargetGraph&) override {
    ++lean_calls;
    std::vector<const Target*> out;
    absl::StatusOr<std::vector<Dependency>> deps = Infer(target);
    --infer_calls;  // only the lean entry point counts here
    if (!deps.ok()) return deps.status();
    for (const Dependency& d : *deps) out.push_back(d.target);
    return out;
  }
  int infer_calls = 0;
  int lean_calls = 0;

 private:
  const TargetGraph& graph_;
  std::vector<std::string> specs_;
};

TEST_F(ResolverTest, InferredWithTargetsAreSortedDedupedFirstWins) {
  std::vector<std::unique_ptr<DependencyInferrer>> v;
  v.push_back(std::make_unique<PointerInferrer>(
      graph_, std::vector<std::string>{"c/w.src:lib", "a/x.src:lib", "b:other", "b/y.src:lib",
                                       "c/w.src:lib", "b/y.src:lib", "c/z.src:lib"}));
  DependencyResolver r(graph_, index_, std::move(v));
  const std::vector<Dependency>* deps = r.Direct(T("a/x.src:lib")).value();
  std::vector<std::string> got;
  for (const Dependency& d : *deps) {
    got.push_back(absl::StrCat(d.address.Spec(), " ", d.rule, " ", d.module));
    EXPECT_EQ(d.target, graph_.Find(d.address));
  }
  // Self dropped, `!c/z.src:lib` excluded, b:other explicit (it is also in
  // `dependencies`), each other address once: its first inferred entry.
  EXPECT_EQ(got, (std::vector<std::string>{"b:other explicit ", "b/y.src:lib import m3",
                                           "c/w.src:lib import m0"}));
}

TEST_F(ResolverTest, LeanAnswersFromInferTargetsAreFilteredLikeRecords) {
  // Out of order, repeated, the target itself and a `!` exclusion: the lean
  // path must drop and order exactly as Direct() does.
  std::vector<std::string> specs = {"c/w.src:lib", "a/x.src:lib", "b:other", "b/y.src:lib",
                                    "c/w.src:lib", "b/y.src:lib", "c/z.src:lib"};
  auto make = [&](PointerInferrer** out) {
    auto inferrer = std::make_unique<PointerInferrer>(graph_, specs);
    *out = inferrer.get();
    std::vector<std::unique_ptr<DependencyInferrer>> v;
    v.push_back(std::move(inferrer));
    return DependencyResolver(graph_, index_, std::move(v));
  };
  PointerInferrer* full_inferrer = nullptr;
  DependencyResolver full = make(&full_inferrer);
  std::vector<std::string> want;
  for (const Dependency& d : *full.Direct(T("a/x.src:lib")).value()) {
    want.push_back(d.address.Spec());
  }
  ASSERT_EQ(want, (std::vector<std::string>{"b:other", "b/y.src:lib", "c/w.src:lib"}));

  PointerInferrer* lean_inferrer = nullptr;
  DependencyResolver lean = make(&lean_inferrer);
  for (const char* spec : {"a/x.src:lib", "c:lib", "a:root", "b:other"}) {
    std::vector<std::string> from_full;
    for (const Dependency& d : *full.Direct(T(spec)).value()) {
      if (d.target != nullptr) from_full.push_back(d.target->address.Spec());
    }
    EXPECT_EQ(Specs(*lean.DirectTargets(T(spec)).value()), from_full) << spec;
  }
  EXPECT_EQ(lean_inferrer->infer_calls, 0);
  EXPECT_EQ(lean_inferrer->lean_calls, 4);
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

// A concurrency-capable inferrer over a chain of generated targets: file i
// "imports" file i+1, every 10th file warns, and one file may fail. Warnings
// are held per target and released by EndConcurrent, as the contract says.
class ChainInferrer : public DependencyInferrer {
 public:
  ChainInferrer(int n, int fail_at, std::vector<std::string>* reported)
      : n_(n), fail_at_(fail_at), reported_(reported) {}
  absl::StatusOr<std::vector<Dependency>> Infer(const Target& target) override {
    calls.fetch_add(1);
    if (target.sources.empty() || target.is_generator()) return std::vector<Dependency>{};
    int i = std::stoi(target.sources[0].substr(2));  // "d/<i>.src"
    std::vector<std::string> warnings;
    if (i % 10 == 0) warnings.push_back("warning from " + target.address.Spec());
    absl::StatusOr<std::vector<Dependency>> out = std::vector<Dependency>{};
    if (i == fail_at_) {
      out = absl::InvalidArgumentError("cannot infer " + target.address.Spec());
    } else if (i + 1 < n_) {
      std::string file = std::to_string(i + 1) + ".src";
      out->push_back(Dependency{Address("d", "lib").WithRelativeFilePath(file), "import",
                                Location{}, "m"});
    }
    if (concurrent_) {
      absl::MutexLock lock(&mu_);
      held_[&target] = std::move(warnings);
    } else {
      for (std::string& w : warnings) reported_->push_back(std::move(w));
    }
    return out;
  }
  void Prepare(absl::Span<const Target* const> targets, int) override {
    prepared += targets.size();
  }
  bool SupportsConcurrentInfer() const override { return true; }
  void BeginConcurrent(absl::Span<const Target* const>) override { concurrent_ = true; }
  void EndConcurrent(absl::Span<const Target* const> targets, size_t count) override {
    concurrent_ = false;
    for (size_t i = 0; i < count; ++i) {
      for (std::string& w : held_[targets[i]]) reported_->push_back(std::move(w));
    }
    held_.clear();
  }
  std::atomic<int> calls{0};
  size_t prepared = 0;

 private:
  int n_;
  int fail_at_;
  std::vector<std::string>* reported_;
  bool concurrent_ = false;
  absl::Mutex mu_;
  std::map<const Target*, std::vector<std::string>> held_;
};

class DirectAllTest : public ::testing::Test {
 protected:
  static constexpr int kFiles = 200;
  void SetUp() override {
    fs_.AddFile("d/BUILD", "lib_sources(name='lib')\n");
    for (int i = 0; i < kFiles; ++i) fs_.AddFile("d/" + std::to_string(i) + ".src");
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    graph_ = LoadTargetGraph(fs_, index_, types_, GraphOptions{}, &warnings).value();
  }
  // Runs DirectAll over every target with `parallelism`; returns the status,
  // the reported warnings and every memoized answer.
  struct Outcome {
    absl::Status status;
    std::vector<std::string> warnings;
    std::vector<std::string> direct;  // "target -> deps" for computed targets
    int calls = 0;
  };
  // `lean`: DirectTargetsAll / DirectTargets instead of DirectAll / Direct.
  Outcome Run(int parallelism, int fail_at, bool lean = false) {
    Outcome o;
    auto inferrer = std::make_unique<ChainInferrer>(kFiles, fail_at, &o.warnings);
    ChainInferrer* fake = inferrer.get();
    std::vector<std::unique_ptr<DependencyInferrer>> v;
    v.push_back(std::move(inferrer));
    DependencyResolver r(graph_, index_, std::move(v));
    r.set_parallelism(parallelism);
    std::vector<const Target*> all;
    for (const Target& t : graph_.targets()) all.push_back(&t);
    o.status = lean ? r.DirectTargetsAll(all) : r.DirectAll(all);
    o.calls = fake->calls.load();
    if (!o.status.ok()) return o;
    EXPECT_EQ(fake->prepared, all.size());
    int calls_before = fake->calls.load();
    for (const Target* t : all) {
      std::string line = t->address.Spec() + " ->";
      if (lean) {
        for (const Target* d : *r.DirectTargets(*t).value()) line += " " + d->address.Spec();
      } else {
        for (const Dependency& d : *r.Direct(*t).value()) line += " " + d.address.Spec();
      }
      o.direct.push_back(line);
    }
    EXPECT_EQ(fake->calls.load(), calls_before) << "the batch did not memoize";
    if (lean) {
      // The edges came without their records: Direct() computes them now (same edges;
      // the fake reports its warnings again, which the outcome leaves out).
      std::vector<std::string> batch_warnings = o.warnings;
      for (const Target* t : all) {
        std::string line = t->address.Spec() + " ->";
        for (const Dependency& d : *r.Direct(*t).value()) line += " " + d.address.Spec();
        EXPECT_EQ(line, o.direct[static_cast<size_t>(t - graph_.targets().data())]);
      }
      EXPECT_EQ(fake->calls.load(), calls_before + static_cast<int>(all.size()));
      o.warnings = std::move(batch_warnings);
    }
    return o;
  }

  fs::FakeFileSystem fs_;
  fs::FileIndex index_;
  TargetTypeRegistry types_ = TestTypes();  // targets point into it
  TargetGraph graph_;
};

TEST_F(DirectAllTest, ParallelBatchEqualsSerialCalls) {
  Outcome serial = Run(1, -1);
  Outcome parallel = Run(2, -1);
  ASSERT_TRUE(serial.status.ok()) << serial.status;
  ASSERT_TRUE(parallel.status.ok()) << parallel.status;
  EXPECT_EQ(parallel.direct, serial.direct);
  EXPECT_EQ(parallel.warnings, serial.warnings);
  ASSERT_EQ(serial.warnings.size(), static_cast<size_t>(kFiles / 10));
  // Targets are sorted by address, so "d/100.src" comes before "d/20.src".
  EXPECT_EQ(serial.warnings.front(), "warning from d/0.src:lib");
  EXPECT_EQ(serial.direct[1], "d/0.src:lib -> d/1.src:lib");
}

TEST_F(DirectAllTest, LeanBatchGivesTheSameEdgesWarningsAndErrors) {
  Outcome full = Run(2, -1);
  for (int parallelism : {1, 2}) {
    Outcome lean = Run(parallelism, -1, /*lean=*/true);
    ASSERT_TRUE(lean.status.ok()) << lean.status;
    EXPECT_EQ(lean.direct, full.direct) << parallelism;
    EXPECT_EQ(lean.warnings, full.warnings) << parallelism;
  }
  Outcome serial = Run(1, 150);
  Outcome lean = Run(2, 150, /*lean=*/true);
  EXPECT_EQ(lean.status, serial.status);
  EXPECT_EQ(lean.warnings, serial.warnings);
}

TEST_F(ResolverTest, DirectTargetsAreDirectsGraphTargetsAndReuseIt) {
  FakeInferrer* fake = nullptr;
  DependencyResolver r = Make({{"a/x.src:lib", {"b/y.src:lib", "c:lib"}}}, &fake);
  const Target& x = T("a/x.src:lib");
  ASSERT_TRUE(r.Direct(x).ok());
  std::vector<std::string> want;
  for (const Dependency& d : *r.Direct(x).value()) {
    if (d.target != nullptr) want.push_back(d.target->address.Spec());
  }
  ASSERT_FALSE(want.empty());
  EXPECT_EQ(Specs(*r.DirectTargets(x).value()), want);
  EXPECT_EQ(fake->calls, 1);  // derived from the memoized records
}

TEST_F(DirectAllTest, ParallelErrorIsTheFirstFailingTargetsWithWarningsUpToIt) {
  Outcome serial = Run(1, 150);
  Outcome parallel = Run(2, 150);
  EXPECT_EQ(serial.status, absl::InvalidArgumentError("cannot infer d/150.src:lib"));
  EXPECT_EQ(parallel.status, serial.status);
  EXPECT_EQ(parallel.warnings, serial.warnings);
  // Serial stops at the failure: later targets' warnings never appear.
  EXPECT_EQ(serial.warnings.back(), "warning from d/150.src:lib");
}

}  // namespace
}  // namespace braid::graph
