#include "core/graph/target_graph.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "core/graph/spec_resolver.h"
#include "core/graph/graph_test_util.h"
#include "gtest/gtest.h"

namespace braid::graph {
namespace {

using build_file::Value;

using test_util::Strings;

// A small language-neutral schema, shaped like Pants' core types.
TargetTypeRegistry TestTypes() {
  TargetTypeRegistry reg;
  TargetType lib;
  lib.alias = "lib_sources";
  lib.help = "Generates a lib_source per file.";
  lib.fields = {{"sources", FieldType::kSources, Strings({"*.src", "!*_test.src"}), false, "", {}},
                DependenciesField(), TagsField(), DescriptionField(),
                {"overrides", FieldType::kOverrides, Value(), false, "", {}},
                {"level", FieldType::kInt, Value::Int(1), false, "", {}},
                {"mode", FieldType::kEnum, Value::String("fast"), false, "", {"fast", "slow"}}};
  lib.generated_alias = "lib_source";
  reg.Register(lib);
  TargetType one;
  one.alias = "lib_source";
  one.fields = {{"source", FieldType::kSource, Value(), true, "", {}}, DependenciesField(),
                TagsField(), DescriptionField(),
                {"level", FieldType::kInt, Value::Int(1), false, "", {}},
                {"mode", FieldType::kEnum, Value::String("fast"), false, "", {"fast", "slow"}}};
  reg.Register(one);
  TargetType tgt;
  tgt.alias = "target";
  tgt.fields = {DependenciesField(), TagsField(), DescriptionField()};
  reg.Register(tgt);
  TargetType dist;
  dist.alias = "dist";
  dist.fields = {DependenciesField(), TagsField(),
                 {"provides", FieldType::kAny, Value(), true, "", {}}};
  reg.Register(dist);
  reg.RegisterObjectSymbol("artifact", "An artifact.");
  reg.RegisterObjectAlias("old_artifact", "artifact", "Older name of `artifact`.");
  return reg;
}

class GraphTest : public ::testing::Test {
 protected:
  absl::StatusOr<TargetGraph> Load() {
    index_ = fs::FileIndex::Build(fs_, fs::WalkOptions{}).value();
    warnings_.clear();
    return LoadTargetGraph(fs_, index_, types_, options_, &warnings_);
  }
  std::vector<std::string> Specs(const TargetGraph& g) {
    std::vector<std::string> out;
    for (const Target& t : g.targets()) out.push_back(t.address.Spec());
    return out;
  }
  std::string Error() {
    absl::StatusOr<TargetGraph> g = Load();
    EXPECT_FALSE(g.ok());
    return g.ok() ? "" : std::string(g.status().message());
  }

  fs::FakeFileSystem fs_;
  fs::FileIndex index_;
  TargetTypeRegistry types_ = TestTypes();
  GraphOptions options_;
  std::vector<std::string> warnings_;
};

TEST_F(GraphTest, FileGeneratorEmitsOneTargetPerFileWithPantsAddresses) {
  fs_.AddFile("src/app/BUILD", "lib_sources()\nlib_sources(name='sub', sources=['sub/*.src'])\n");
  fs_.AddFile("src/app/a.src");
  fs_.AddFile("src/app/b.src");
  fs_.AddFile("src/app/a_test.src");
  fs_.AddFile("src/app/sub/c.src");
  TargetGraph g = Load().value();
  EXPECT_EQ(Specs(g), (std::vector<std::string>{"src/app:app", "src/app:sub", "src/app/a.src",
                                                "src/app/b.src", "src/app/sub/c.src:../sub"}));
  const Target* a = g.Find(Address("src/app").WithRelativeFilePath("a.src"));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->alias(), "lib_source");
  EXPECT_EQ(a->StringField("source"), "a.src");
  EXPECT_EQ(a->sources, std::vector<std::string>{"src/app/a.src"});
  EXPECT_EQ(g.OwnersOf("src/app/sub/c.src").size(), 1u);
  EXPECT_TRUE(g.OwnersOf("src/app/a_test.src").empty());
}

TEST_F(GraphTest, ObjectAliasYieldsAnObjectOfItsTypeName) {
  fs_.AddFile("BUILD",
              "dist(name='new', provides=artifact(name='a'))\n"
              "dist(name='old', provides=old_artifact(name='b'))\n");
  TargetGraph g = Load().value();
  for (const char* name : {"new", "old"}) {
    const Value& provides = g.Find(Address("", name))->Field("provides");
    ASSERT_EQ(provides.kind(), Value::Kind::kObject) << name;
    EXPECT_EQ(provides.object()->type_name, "artifact") << name;
  }
  EXPECT_EQ(types_.ObjectTypeName("old_artifact"), "artifact");
  EXPECT_EQ(types_.ObjectTypeName("artifact"), "artifact");
  EXPECT_EQ(types_.object_symbols().at("old_artifact"), "Older name of `artifact`.");
}

TEST_F(GraphTest, DefaultsApplyToSubdirectoriesAndCanBeExtendedOrReplaced) {
  fs_.AddFile("BUILD", "__defaults__({lib_sources: dict(tags=['root'], level=3)})\n");
  fs_.AddFile("a/BUILD", "lib_sources()\n");
  fs_.AddFile("a/x.src");
  fs_.AddFile("b/BUILD",
              "__defaults__({'lib_sources': dict(level=5)}, extend=True)\nlib_sources()\n");
  fs_.AddFile("b/y.src");
  fs_.AddFile("c/BUILD", "__defaults__(all=dict(tags=['all']))\nlib_sources()\ntarget(name='t')\n");
  fs_.AddFile("c/z.src");
  TargetGraph g = Load().value();
  const Target* a = g.Find(Address("a"));
  EXPECT_EQ(a->StringListField("tags"), std::vector<std::string>{"root"});
  EXPECT_EQ(a->Field("level").int_value(), 3);
  // Generated targets inherit the generator's values.
  EXPECT_EQ(g.Find(Address("a").WithRelativeFilePath("x.src"))->Field("level").int_value(), 3);
  const Target* b = g.Find(Address("b"));
  EXPECT_EQ(b->StringListField("tags"), std::vector<std::string>{"root"});
  EXPECT_EQ(b->Field("level").int_value(), 5);
  const Target* c = g.Find(Address("c"));
  EXPECT_EQ(c->StringListField("tags"), std::vector<std::string>{"all"});
  EXPECT_EQ(g.Find(Address("c", "t"))->StringListField("tags"), std::vector<std::string>{"all"});
}

TEST_F(GraphTest, OverridesApplyToMatchingFilesAndUnusedKeysAreErrors) {
  fs_.AddFile("p/BUILD",
              "lib_sources(overrides={'a.src': {'tags': ['x']}, ('b.src', 'c.src'): "
              "{'level': 9}})\n");
  fs_.AddFile("p/a.src");
  fs_.AddFile("p/b.src");
  fs_.AddFile("p/c.src");
  TargetGraph g = Load().value();
  EXPECT_EQ(g.Find(Address("p").WithRelativeFilePath("a.src"))->StringListField("tags"),
            std::vector<std::string>{"x"});
  EXPECT_EQ(g.Find(Address("p").WithRelativeFilePath("c.src"))->Field("level").int_value(), 9);
  fs_.AddFile("p/BUILD", "lib_sources(overrides={'nope.src': {'tags': ['x']}})\n");
  EXPECT_EQ(Error(),
            "p/BUILD:1:1: unused key in the `overrides` field of p:p: nope.src\n"
            "    lib_sources(overrides={'nope.src': {'tags': ['x']}})\n"
            "    ^\n"
            "  hint: each key must match a file (or generated name) this target generates");
}

TEST_F(GraphTest, ParametrizeEmitsOneVariantPerValue) {
  fs_.AddFile("p/BUILD", "lib_sources(mode=parametrize('fast', 'slow'))\n"
                         "target(name='g', **parametrize('py', tags=['a'], description='d'),\n"
                         "       **parametrize('js', tags=['b']))\n"
                         "target(name='n', tags=parametrize(one=['x'], two=['y', 'z']))\n");
  fs_.AddFile("p/a.src");
  TargetGraph g = Load().value();
  // The default name sorts before explicit ones (Pants orders an unset name first).
  EXPECT_EQ(Specs(g), (std::vector<std::string>{
                          "p@mode=fast", "p@mode=slow", "p:g@parametrize=js", "p:g@parametrize=py",
                          "p:n@tags=one", "p:n@tags=two", "p/a.src@mode=fast",
                          "p/a.src@mode=slow"}));
  // A group sets several fields; named values carry their value, not their name.
  const Target* py = g.Find(Address("p", "g", {{"parametrize", "py"}}));
  ASSERT_NE(py, nullptr);
  EXPECT_EQ(py->StringListField("tags"), std::vector<std::string>{"a"});
  EXPECT_EQ(py->StringField("description"), "d");
  const Target* two = g.Find(Address("p", "n", {{"tags", "two"}}));
  ASSERT_NE(two, nullptr);
  EXPECT_EQ(two->StringListField("tags"), (std::vector<std::string>{"y", "z"}));
}

TEST_F(GraphTest, ParametrizeGroupNeedsANameAndFields) {
  fs_.AddFile("p/BUILD", "target(name='g', **parametrize(tags=['a']))\n");
  EXPECT_EQ(Error(),
            "p/BUILD:1:20: a parametrize group (**parametrize(...)) takes one name string and the "
            "fields it sets, e.g. **parametrize(\"py39\", resolve=\"a\")\n"
            "    target(name='g', **parametrize(tags=['a']))\n"
            "                       ^");
}

TEST_F(GraphTest, PreludeMacroTargetsAttachToTheCallingBuildFile) {
  options_.prelude_globs = {"build-support/*.py"};
  fs_.AddFile("build-support/macros.py",
              "def my_lib(**kwargs):\n    lib_sources(tags=['macro'], **kwargs)\n");
  fs_.AddFile("q/BUILD", "\n\nmy_lib(name='m')\n");
  fs_.AddFile("q/a.src");
  TargetGraph g = Load().value();
  const Target* m = g.Find(Address("q", "m"));
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->location.file, "q/BUILD");
  EXPECT_EQ(m->location.line, 3);
  EXPECT_EQ(m->StringListField("tags"), std::vector<std::string>{"macro"});
}

TEST_F(GraphTest, EnvReadsTheGivenEnvironment) {
  options_.env["FLAVOR"] = "slow";
  fs_.AddFile("e/BUILD", "lib_sources(mode=env('FLAVOR', 'fast'), description=env('NOPE', 'd'))\n");
  TargetGraph g = Load().value();
  EXPECT_EQ(g.Find(Address("e"))->StringField("mode"), "slow");
  EXPECT_EQ(g.Find(Address("e"))->StringField("description"), "d");
}

TEST_F(GraphTest, UnknownFieldIsLocatedWithDidYouMean) {
  fs_.AddFile("u/BUILD", "lib_sources(\n    sorces=['*.src'],\n)\n");
  EXPECT_EQ(Error(),
            "u/BUILD:2:5: unknown field 'sorces' in lib_sources target u:u\n"
            "        sorces=['*.src'],\n"
            "        ^\n"
            "  hint: did you mean 'sources'?");
}

TEST_F(GraphTest, WrongFieldTypeIsLocated) {
  fs_.AddFile("w/BUILD", "lib_sources(tags='x')\n");
  EXPECT_EQ(Error(),
            "w/BUILD:1:13: field 'tags' of lib_sources target w:w must be a list of strings, "
            "got str 'x' (wrap it in a list: ['x'])\n"
            "    lib_sources(tags='x')\n"
            "                ^");
  fs_.AddFile("w/BUILD", "lib_sources(level='high')\n");
  EXPECT_EQ(Error(),
            "w/BUILD:1:13: field 'level' of lib_sources target w:w must be an int, got str "
            "'high'\n    lib_sources(level='high')\n                ^");
  fs_.AddFile("w/BUILD", "lib_sources(mode='medium')\n");
  EXPECT_EQ(Error(),
            "w/BUILD:1:13: field 'mode' of lib_sources target w:w must be one of fast, slow; "
            "got 'medium'\n    lib_sources(mode='medium')\n                ^");
}

TEST_F(GraphTest, GeneratedTargetsCopyOnlyExplicitFields) {
  // Both generator paths: plain copies by field index, and `overrides` (by name).
  fs_.AddFile("src/BUILD",
              "lib_sources(tags=['t'], mode='slow')\n"
              "lib_sources(name='o', sources=['o/*.src'], level=2, "
              "overrides={'o/x.src': {'level': 5}})\n");
  fs_.AddFile("src/a.src");
  fs_.AddFile("src/o/x.src");
  fs_.AddFile("src/o/y.src");
  TargetGraph g = Load().value();
  const Target* a = g.Find(Address("src").WithRelativeFilePath("a.src"));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->StringListField("tags"), std::vector<std::string>{"t"});
  EXPECT_EQ(a->StringField("mode"), "slow");
  EXPECT_EQ(a->Field("level").int_value(), 1);
  EXPECT_TRUE(a->IsExplicit("tags"));
  EXPECT_TRUE(a->IsExplicit("source"));
  EXPECT_FALSE(a->IsExplicit("level"));
  EXPECT_FALSE(a->IsExplicit("nope"));
  EXPECT_TRUE(a->Field("nope").is_none());
  EXPECT_EQ(a->generator(), Address("src"));
  EXPECT_EQ(g.Find(Address("src"))->generator(), std::nullopt);
  const Target* x = g.Find(Address("src", "o").WithRelativeFilePath("o/x.src"));
  const Target* y = g.Find(Address("src", "o").WithRelativeFilePath("o/y.src"));
  ASSERT_NE(x, nullptr);
  ASSERT_NE(y, nullptr);
  EXPECT_EQ(x->Field("level").int_value(), 5);
  EXPECT_EQ(y->Field("level").int_value(), 2);
  EXPECT_EQ(y->StringField("mode"), "fast");
  // A generator lists its targets by position in targets(), in address order.
  const Target* o = g.Find(Address("src", "o"));
  ASSERT_EQ(o->generated.size(), 2u);
  EXPECT_EQ(&g.targets()[o->generated[0]], x);
  EXPECT_EQ(&g.targets()[o->generated[1]], y);
}

TEST_F(GraphTest, LookupsByAddressFileAndDirectory) {
  fs_.AddFile("src/BUILD", "lib_sources()\nlib_sources(name='b')\ntarget(name='t')\n");
  fs_.AddFile("src/a.src");
  fs_.AddFile("src-x/BUILD", "target(name='t')\n");
  fs_.AddFile("src/sub/BUILD", "target(name='t')\n");
  TargetGraph g = Load().value();
  // Paths compare part by part ("src/sub" < "src-x"); the default name first.
  EXPECT_EQ(Specs(g), (std::vector<std::string>{"src:src", "src:b", "src:t", "src/a.src",
                                                "src/a.src:b", "src/sub:t", "src-x:t"}));
  EXPECT_EQ(g.AddressesIn("src"), (std::vector<std::string>{"src:src", "src:b", "src:t",
                                                            "src/a.src", "src/a.src:b"}));
  EXPECT_TRUE(g.AddressesIn("nowhere").empty());
  EXPECT_EQ(g.Find(Address("src", "nope")), nullptr);
  EXPECT_EQ(g.Find(Address("nowhere", "t")), nullptr);
  ASSERT_NE(g.Find(Address("src-x", "t")), nullptr);
  std::vector<std::string> owners;
  for (const Target* t : g.OwnersOf("src/a.src")) owners.push_back(t->address.Spec());
  EXPECT_EQ(owners, (std::vector<std::string>{"src/a.src", "src/a.src:b"}));
  EXPECT_TRUE(g.OwnersOf("src/BUILD").empty());
}

TEST_F(GraphTest, ManyBuildFilesLoadLikeOne) {
  // Many directories: their targets come out in address order.
  std::vector<std::pair<std::string, std::string>> dir_and_spec;
  for (int i = 0; i < 600; ++i) {
    std::string dir = absl::StrCat("d", i);
    fs_.AddFile(absl::StrCat(dir, "/BUILD"), absl::StrCat("target(name='t", i, "')\n"));
    dir_and_spec.emplace_back(dir, absl::StrCat(dir, ":t", i));
  }
  std::sort(dir_and_spec.begin(), dir_and_spec.end());  // "d1" < "d10" < "d2"
  std::vector<std::string> expected;
  for (const auto& [dir, spec] : dir_and_spec) expected.push_back(spec);
  TargetGraph g = Load().value();
  EXPECT_EQ(Specs(g), expected);
  EXPECT_EQ(g.build_files().size(), 600u);
}

TEST(Target, FieldsDefaultUntilSetExplicitly) {
  TargetTypeRegistry types = TestTypes();
  Target t;
  t.InitFields(types.Find("lib_source"));
  EXPECT_EQ(t.Field("level").int_value(), 1);
  EXPECT_FALSE(t.IsExplicit("level"));
  EXPECT_TRUE(t.SetField("level", Value::Int(4)));
  EXPECT_TRUE(t.SetField("tags", Strings({"a", "b"})));
  EXPECT_TRUE(t.SetField("level", Value::Int(7)));  // replaces
  EXPECT_FALSE(t.SetField("nope", Value::Int(1)));
  EXPECT_EQ(t.Field("level").int_value(), 7);
  EXPECT_TRUE(t.IsExplicit("level"));
  EXPECT_TRUE(t.HasTag("b"));
  EXPECT_FALSE(t.HasTag("c"));
  ASSERT_EQ(t.explicit_values.size(), 2u);
  EXPECT_LT(t.explicit_values[0].first, t.explicit_values[1].first);  // sorted by index
}

TEST_F(GraphTest, DuplicateTargetNameIsAnError) {
  fs_.AddFile("d/BUILD", "target(name='x')\ntarget(name='x')\n");
  EXPECT_EQ(Error(),
            "d/BUILD:2:1: a target already exists at 'd:x' (target declared at d/BUILD:1:1); "
            "the target target cannot use the same name\n"
            "    target(name='x')\n"
            "    ^\n"
            "  hint: give one of them a different `name=`");
  // A generated target may clash too; the first one declared is named.
  fs_.AddFile("d/BUILD", "lib_sources(name='x')\nlib_sources(name='x', sources=['*.src'])\n");
  fs_.AddFile("d/a.src");
  EXPECT_EQ(Error(),
            "d/BUILD:2:1: a target already exists at 'd:x' (lib_sources declared at "
            "d/BUILD:1:1); the lib_sources target cannot use the same name\n"
            "    lib_sources(name='x', sources=['*.src'])\n"
            "    ^\n"
            "  hint: give one of them a different `name=`");
}

TEST_F(GraphTest, RequiredFieldMissing) {
  fs_.AddFile("r/BUILD", "dist(name='d')\n");
  EXPECT_EQ(Error(), "r/BUILD:1:1: dist target r:d is missing the required field 'provides'\n"
                     "    dist(name='d')\n    ^");
}

TEST_F(GraphTest, RootTargetsMustBeNamed) {
  fs_.AddFile("BUILD", "target()\n");
  EXPECT_EQ(Error(),
            "BUILD:1:1: targets in root-level BUILD files must be named explicitly (target has "
            "no `name=`)\n    target()\n    ^");
}

TEST_F(GraphTest, GlobEscapingTheRepoIsRejected) {
  fs_.AddFile("g/BUILD", "lib_sources(sources=['../../x.src'])\n");
  EXPECT_EQ(Error(),
            "g/BUILD:1:13: invalid `sources` of g:g: glob '../../x.src' escapes the build root\n"
            "    lib_sources(sources=['../../x.src'])\n                ^");
}

TEST_F(GraphTest, UnmatchedExplicitGlobWarnsOrErrs) {
  fs_.AddFile("m/BUILD", "lib_sources(sources=['nothing*.src'])\n");
  ASSERT_TRUE(Load().ok());
  ASSERT_EQ(warnings_.size(), 1u);
  EXPECT_EQ(warnings_[0], "m/BUILD:1: unmatched glob from m:m's `sources` field: \"nothing*.src\"");
  options_.unmatched_globs = UnmatchedGlobBehavior::kError;
  EXPECT_NE(Error().find("m/BUILD:1:13: unmatched glob from m:m's `sources` field"),
            std::string::npos);
}

TEST_F(GraphTest, ExplicitDependenciesResolveExcludeAndReportMissing) {
  fs_.AddFile("a/BUILD", "lib_sources(dependencies=['b:lib', '!b/y.src:lib', ':t'])\n"
                         "target(name='t')\n");
  fs_.AddFile("a/x.src");
  fs_.AddFile("b/BUILD", "lib_sources(name='lib')\n");
  fs_.AddFile("b/y.src");
  fs_.AddFile("b/z.src");
  TargetGraph g = Load().value();
  std::vector<std::string> deps;
  std::vector<Address> resolved =
      g.ExplicitDependencies(*g.Find(Address("a").WithRelativeFilePath("x.src")), index_).value();
  for (const Address& a : resolved) deps.push_back(a.Spec());
  EXPECT_EQ(deps, (std::vector<std::string>{"a:t", "b/z.src:lib"}));
  fs_.AddFile("a/BUILD", "target(name='t', dependencies=['b:nope'])\n");
  g = Load().value();
  absl::StatusOr<std::vector<Address>> bad = g.ExplicitDependencies(*g.Find(Address("a", "t")), index_);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(std::string(bad.status().message()),
            "a/BUILD:1:18: the address 'b:nope' from the dependencies of a:t does not exist\n"
            "    target(name='t', dependencies=['b:nope'])\n                     ^\n"
            "  hint: targets in 'b': b:lib, b/y.src:lib, b/z.src:lib");
}

TEST_F(GraphTest, SpecsSelectLikePants) {
  fs_.AddFile("a/BUILD", "lib_sources(tags=['t1'])\ntarget(name='x', tags=['t2'])\n");
  fs_.AddFile("a/one.src");
  fs_.AddFile("a/b/BUILD", "lib_sources()\n");
  fs_.AddFile("a/b/two.src");
  TargetGraph g = Load().value();
  auto select = [&](std::vector<std::string> args, std::vector<std::string> tags = {}) {
    SpecResolveOptions ro;
    ro.tags = tags;
    braid::Specs specs = ParseSpecs(args).value();
    std::vector<std::string> out;
    std::vector<const Target*> selected = ResolveSpecs(specs, g, index_, ro, &warnings_).value();
    for (const Target* t : selected) out.push_back(t->address.Spec());
    return out;
  };
  EXPECT_EQ(select({"::"}), (std::vector<std::string>{"a:a", "a:x", "a/one.src", "a/b:b",
                                                      "a/b/two.src"}));
  EXPECT_EQ(select({"a:"}), (std::vector<std::string>{"a:a", "a:x", "a/one.src"}));
  EXPECT_EQ(select({"a::", "-a/b::"}), (std::vector<std::string>{"a:a", "a:x", "a/one.src"}));
  EXPECT_EQ(select({"a/b/two.src"}), (std::vector<std::string>{"a/b/two.src"}));
  EXPECT_EQ(select({"::"}, {"t1,-t2"}), (std::vector<std::string>{"a:a", "a/one.src"}));
  EXPECT_EQ(select({"a:x"}), (std::vector<std::string>{"a:x"}));
}

// Everything a loaded graph holds, one line per target, plus the owners of
// every file: for comparing loads.
std::string Describe(const TargetGraph& g, const fs::FileIndex& index) {
  std::string out;
  for (const Target& t : g.targets()) {
    absl::StrAppend(&out, t.address.Spec(), " ", t.alias(), " @", t.location.ToString(), " [",
                    absl::StrJoin(t.sources, ","), "] gen:");
    for (uint32_t k : t.generated) absl::StrAppend(&out, " ", g.targets()[k].address.Spec());
    for (size_t f = 0; f < t.type->fields.size(); ++f) {
      absl::StrAppend(&out, " ", t.type->fields[f].name, "=", t.FieldAt(f).Repr());
    }
    out += "\n";
  }
  for (const std::string& f : index.files()) {
    for (const Target* t : g.OwnersOf(f)) absl::StrAppend(&out, f, " <- ", t->address.Spec(), "\n");
  }
  return out;
}

// Enough directories for BUILD files to be parsed, and targets built, on
// several threads: the graph, its warnings and its first error must not
// depend on how many.
class ParallelLoadTest : public GraphTest {
 protected:
  void SetUp() override {
    fs_.AddFile("BUILD", "__defaults__({lib_sources: {'level': 2}})\n"
                         "target(name='root', dependencies=['d07:d07'])\n");
    for (int d = 0; d < 60; ++d) {
      std::string dir = absl::StrFormat("d%02d", d);
      std::string build = "lib_sources()\n";
      if (d % 7 == 0) build += "lib_sources(name='p', mode=parametrize('fast', 'slow'))\n";
      if (d % 5 == 0) build += "lib_sources(name='miss', sources=['nothing*.src'])\n";
      if (d % 9 == 0) build += "__defaults__({lib_sources: {'level': 3}}, extend=True)\n";
      build += absl::StrFormat("target(name='t', dependencies=[':%s'])\n", dir);
      fs_.AddFile(dir + "/BUILD", build);
      for (int f = 0; f < 3; ++f) fs_.AddFile(absl::StrFormat("%s/f%d.src", dir, f));
      fs_.AddFile(dir + "/sub/BUILD", "lib_sources(tags=['sub'])\n");
      fs_.AddFile(dir + "/sub/s.src");
    }
  }
  // Loads with `parallelism`: the description, or the error.
  std::string LoadWith(int parallelism) {
    options_.parallelism = parallelism;
    absl::StatusOr<TargetGraph> g = Load();
    if (!g.ok()) return absl::StrCat("error: ", g.status().message());
    return absl::StrCat(Describe(*g, index_), "warnings:\n", absl::StrJoin(warnings_, "\n"));
  }
};

TEST_F(ParallelLoadTest, GraphAndWarningsDoNotDependOnThreads) {
  std::string serial = LoadWith(1);
  ASSERT_EQ(serial.rfind("error", 0), std::string::npos) << serial;
  EXPECT_NE(serial.find("\nd10/f1.src lib_source @d10/BUILD:1:1"), std::string::npos);
  EXPECT_NE(serial.find("level=3"), std::string::npos);  // __defaults__ applied
  EXPECT_NE(serial.find("unmatched glob from d55:miss"), std::string::npos);
  for (int threads : {2, 4, 8}) EXPECT_EQ(LoadWith(threads), serial) << threads;
}

TEST_F(ParallelLoadTest, TheFirstErrorInLoadingOrderWinsOnAnyThreads) {
  // A duplicate name (found when building targets) in d30 and an evaluation
  // error in d40: d30's is reported, as loading directory by directory does.
  fs_.AddFile("d30/BUILD", "target(name='x')\ntarget(name='x')\n");
  fs_.AddFile("d40/BUILD", "undefined_name()\n");
  std::string serial = LoadWith(1);
  EXPECT_NE(serial.find("a target already exists at 'd30:x'"), std::string::npos) << serial;
  for (int threads : {2, 4}) EXPECT_EQ(LoadWith(threads), serial) << threads;
  // An evaluation error before the build error wins instead.
  fs_.AddFile("d20/BUILD", "lib_sources(\n");
  serial = LoadWith(1);
  EXPECT_NE(serial.find("d20/BUILD"), std::string::npos) << serial;
  for (int threads : {2, 4}) EXPECT_EQ(LoadWith(threads), serial) << threads;
}

}  // namespace
}  // namespace braid::graph
