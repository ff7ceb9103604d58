#include "core/app/changed.h"

#include <memory>

#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace braid::app {
namespace {

using build_file::Value;
using graph::FieldType;
using graph::Target;
using vcs::ChangedFile;

Value Strings(std::vector<std::string> items) {
  std::vector<Value> v;
  for (auto& s : items) v.push_back(Value::String(s));
  return Value::List(std::move(v));
}

// lib_sources (file generator of lib_source), target, and `reqs`: a custom
// generator reading a requirements-like file, made like python_requirements
// (a helper owning the file, one target per line depending on the helper).
graph::TargetTypeRegistry TestTypes() {
  graph::TargetTypeRegistry reg;
  graph::TargetType lib;
  lib.alias = "lib_sources";
  lib.fields = {{"sources", FieldType::kSources, Strings({"*.src"}), false, "", {}},
                graph::DependenciesField(), graph::TagsField()};
  lib.generated_alias = "lib_source";
  reg.Register(lib);
  graph::TargetType one;
  one.alias = "lib_source";
  one.fields = {{"source", FieldType::kSource, Value(), true, "", {}},
                graph::DependenciesField(), graph::TagsField()};
  reg.Register(one);
  graph::TargetType tgt;
  tgt.alias = "target";
  tgt.fields = {graph::DependenciesField(), graph::TagsField()};
  reg.Register(tgt);
  graph::TargetType helper;
  helper.alias = "helper";
  helper.fields = {{"source", FieldType::kSource, Value(), true, "", {}}, graph::TagsField()};
  reg.Register(helper);
  graph::TargetType req;
  req.alias = "req";
  req.fields = {graph::DependenciesField(), graph::TagsField()};
  reg.Register(req);
  graph::TargetType reqs;
  reqs.alias = "reqs";
  reqs.fields = {{"source", FieldType::kString, Value::String("reqs.txt"), false, "", {}},
                 graph::TagsField()};
  reqs.custom_generated_alias = "req";
  reqs.custom_generator = [](const graph::GeneratorContext& ctx, const Target& gen)
      -> absl::StatusOr<std::vector<graph::GeneratedTargetSpec>> {
    std::string source = gen.StringField("source");
    std::string path = gen.address.spec_path().empty()
                           ? source
                           : gen.address.spec_path() + "/" + source;
    absl::StatusOr<std::string> text = ctx.ReadFile(path);
    if (!text.ok()) return text.status();
    std::vector<graph::GeneratedTargetSpec> out;
    graph::GeneratedTargetSpec h;
    h.alias = "helper";
    h.file = path;
    h.fields.emplace_back("source", Value::String(source));
    out.push_back(h);
    std::string helper_spec = gen.address.WithRelativeFilePath(source).Spec();
    for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
      graph::GeneratedTargetSpec r;
      r.generated_name = std::string(line);
      r.fields.emplace_back("dependencies", Strings({helper_spec}));
      out.push_back(r);
    }
    return out;
  };
  reg.Register(reqs);
  return reg;
}

class ChangedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs_.AddFile("pants.toml", "");
    fs_.AddFile("core/BUILD", "lib_sources(name='lib')\n");
    fs_.AddFile("core/base.src");
    fs_.AddFile("core/util.src");
    fs_.AddFile("app/BUILD",
                "lib_sources(name='lib', dependencies=['core/base.src:lib'])\n"
                "target(name='bin', dependencies=['app/main.src:lib'], tags=['deploy'])\n");
    fs_.AddFile("app/main.src");
    fs_.AddFile("tool/BUILD", "target(name='t', dependencies=['app:bin'])\n");
    fs_.AddFile("3rd/BUILD", "reqs(name='reqs')\n");
    fs_.AddFile("3rd/reqs.txt", "alpha\nbeta\n");
    fs_.AddFile("svc/BUILD", "__defaults__(all=dict(tags=['svc']))\ntarget(name='svc')\n");
    fs_.AddFile("svc/sub/BUILD", "target(name='sub')\n");
    fs_.AddFile("docs/readme.md");
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    std::vector<std::string> warnings;
    absl::StatusOr<graph::TargetGraph> g =
        graph::LoadTargetGraph(fs_, index_, types_, graph::GraphOptions{}, &warnings);
    ASSERT_TRUE(g.ok()) << g.status();
    graph_ = *std::move(g);
    ctx_.graph = &graph_;
    ctx_.index = &index_;
    ctx_.fs = &fs_;
    ctx_.prelude_globs = {"macros/*.py"};
    ctx_.config_files = {"pants.toml", "pants.ci.toml"};
  }

  static std::vector<std::string> Specs(const std::vector<const Target*>& targets) {
    std::vector<std::string> out;
    for (const Target* t : targets) out.push_back(t->address.Spec());
    return out;
  }

  std::vector<std::string> Owners(std::vector<ChangedFile> files) {
    notes_.clear();
    absl::StatusOr<std::vector<const Target*>> r = ChangedOwners(files, ctx_, &notes_);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? Specs(*r) : std::vector<std::string>{};
  }

  std::vector<std::string> WithDependents(std::vector<ChangedFile> files, ChangedDependents mode) {
    std::vector<std::string> notes;
    absl::StatusOr<std::vector<const Target*>> owners = ChangedOwners(files, ctx_, &notes);
    EXPECT_TRUE(owners.ok()) << owners.status();
    graph::DependencyResolver deps(graph_, index_, {});
    absl::StatusOr<std::vector<const Target*>> r = AddDependents(*owners, mode, deps);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? Specs(*r) : std::vector<std::string>{};
  }

  fs::FakeFileSystem fs_;
  graph::TargetTypeRegistry types_ = TestTypes();
  fs::FileIndex index_;
  graph::TargetGraph graph_;
  ChangeContext ctx_;
  std::vector<std::string> notes_;
};

using Names = std::vector<std::string>;

TEST_F(ChangedTest, EditedSourceSelectsItsFileTarget) {
  EXPECT_EQ(Owners({{"core/util.src", false}}), Names({"core/util.src:lib"}));
  EXPECT_TRUE(notes_.empty());
}

TEST_F(ChangedTest, UnownedFileSelectsNothing) {
  EXPECT_EQ(Owners({{"docs/readme.md", false}, {"docs/gone.md", true}}), Names{});
}

TEST_F(ChangedTest, DeletedFileIsOwnedByTheGeneratorWhoseGlobMatchedIt) {
  // Renamed core/old.src -> core/new.src: the new side is a file target, the
  // old side belongs to the generator whose glob would still match it.
  fs_.AddFile("core/new.src");
  index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
  std::vector<std::string> warnings;
  graph_ = graph::LoadTargetGraph(fs_, index_, types_, graph::GraphOptions{}, &warnings).value();
  EXPECT_EQ(Owners({{"core/new.src", false}, {"core/old.src", true}}),
            Names({"core:lib", "core/new.src:lib"}));
  // A deleted file that no glob matches has no owner.
  EXPECT_EQ(Owners({{"core/old.txt", true}}), Names{});
}

TEST_F(ChangedTest, BuildFileEditSelectsEveryTargetItDefines) {
  EXPECT_EQ(Owners({{"app/BUILD", false}}), Names({"app:bin", "app:lib", "app/main.src:lib"}));
}

TEST_F(ChangedTest, BuildFileWithDefaultsSelectsItsSubtree) {
  EXPECT_EQ(Owners({{"svc/BUILD", false}}), Names({"svc:svc", "svc/sub:sub"}));
  EXPECT_EQ(Owners({{"svc/sub/BUILD", false}}), Names({"svc/sub:sub"}));
}

TEST_F(ChangedTest, GeneratorInputFileSelectsEverythingGenerated) {
  EXPECT_EQ(Owners({{"3rd/reqs.txt", false}}),
            Names({"3rd:reqs", "3rd:reqs#alpha", "3rd:reqs#beta", "3rd/reqs.txt:reqs"}));
}

TEST_F(ChangedTest, ConfigOrPreludeSelectsEverythingWithANote) {
  std::vector<std::string> all = Owners({{"pants.ci.toml", false}});
  EXPECT_EQ(all.size(), graph_.targets().size());
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_EQ(notes_[0],
            "pants.ci.toml changed: treating every target as changed, because its options can "
            "affect how any target builds");
  EXPECT_EQ(Owners({{"macros/m.py", true}}).size(), graph_.targets().size());
  ASSERT_EQ(notes_.size(), 1u);
  EXPECT_EQ(notes_[0],
            "macros/m.py changed: treating every target as changed, because its BUILD prelude "
            "macros can affect how any target builds");
}

TEST_F(ChangedTest, DependentsNoneDirectTransitive) {
  std::vector<ChangedFile> f = {{"core/base.src", false}};
  EXPECT_EQ(WithDependents(f, ChangedDependents::kNone), Names({"core/base.src:lib"}));
  // app:lib depends on core/base.src explicitly, and so do the targets it
  // generates; core:lib (the changed file's own generator) is not listed.
  EXPECT_EQ(WithDependents(f, ChangedDependents::kDirect),
            Names({"app:lib", "app/main.src:lib", "core/base.src:lib"}));
  EXPECT_EQ(WithDependents(f, ChangedDependents::kTransitive),
            Names({"app:bin", "app:lib", "app/main.src:lib", "core/base.src:lib", "tool:t"}));
}

TEST_F(ChangedTest, RequirementsEditReachesDependentsOfTheRequirements) {
  fs_.AddFile("use/BUILD", "target(name='u', dependencies=['3rd:reqs#beta'])\n");
  index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
  std::vector<std::string> warnings;
  graph_ = graph::LoadTargetGraph(fs_, index_, types_, graph::GraphOptions{}, &warnings).value();
  EXPECT_EQ(WithDependents({{"3rd/reqs.txt", false}}, ChangedDependents::kDirect),
            Names({"3rd:reqs", "3rd:reqs#alpha", "3rd:reqs#beta", "3rd/reqs.txt:reqs", "use:u"}));
}

TEST_F(ChangedTest, TagsFilterTheResult) {
  std::vector<const Target*> all;
  for (const Target& t : graph_.targets()) all.push_back(&t);
  EXPECT_EQ(Specs(FilterByTags(all, {"deploy"})), Names({"app:bin"}));
  EXPECT_EQ(Specs(FilterByTags(all, {"svc,-deploy"})), Names({"svc:svc", "svc/sub:sub"}));
  EXPECT_EQ(FilterByTags(all, {}).size(), all.size());
}

TEST(ChangedSpecs, SpecsAreRejectedWithPantsMessage) {
  ChangedOptions c;
  c.since = "main";
  EXPECT_TRUE(CheckNoSpecsWithChanged(Specs{}, c).ok());
  Specs targets = ParseSpecs({"src::"}).value();
  EXPECT_EQ(CheckNoSpecsWithChanged(targets, c).message(),
            "You used `--changed-since` at the same time as using target arguments. You can only "
            "use `--changed-since` or use normal arguments.");
  c.diffspec = "HEAD";
  Specs both = ParseSpecs({"src/a.py", "src:x"}).value();
  EXPECT_EQ(CheckNoSpecsWithChanged(both, c).message(),
            "You used `--changed-diffspec` at the same time as using target/file arguments. You "
            "can only use `--changed-diffspec` or use normal arguments.");
  Specs files = ParseSpecs({"src/a.py"}).value();
  EXPECT_EQ(CheckNoSpecsWithChanged(files, c).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace braid::app
