#include "rules/python/infer/module_mapping.h"

#include <algorithm>

#include "gtest/gtest.h"
#include "rules/python/infer/module_owners.h"
#include "rules/python/infer/stdlib.h"

namespace braid::python {
namespace {

ProvidedModules Impl(std::vector<std::string> m) { return ProvidedModules{std::move(m), false}; }
ProvidedModules Stub(std::vector<std::string> m) { return ProvidedModules{std::move(m), true}; }

TEST(DefaultModules, TableEntriesAnySpelling) {
  EXPECT_EQ(DefaultModulesForProject("PyYAML"), Impl({"yaml"}));
  EXPECT_EQ(DefaultModulesForProject("Pillow"), Impl({"PIL"}));
  EXPECT_EQ(DefaultModulesForProject("beautifulsoup4"), Impl({"bs4"}));
  EXPECT_EQ(DefaultModulesForProject("scikit_learn"), Impl({"sklearn"}));
  EXPECT_EQ(DefaultModulesForProject("protobuf"), Impl({"google.protobuf"}));
  EXPECT_EQ(DefaultModulesForProject("python-dateutil"), Impl({"dateutil"}));
  EXPECT_EQ(DefaultModulesForProject("opencv-python"), Impl({"cv2"}));
  EXPECT_EQ(DefaultModulesForProject("attrs"), Impl({"attr", "attrs"}));
  EXPECT_EQ(DefaultModulesForProject("setuptools"),
            Impl({"easy_install", "pkg_resources", "setuptools"}));
}

TEST(DefaultModules, StubPackages) {
  EXPECT_EQ(DefaultModulesForProject("types-requests"), Stub({"requests"}));
  EXPECT_EQ(DefaultModulesForProject("types-PyYAML"), Stub({"yaml"}));
  EXPECT_EQ(DefaultModulesForProject("django-stubs"), Stub({"django"}));
  EXPECT_EQ(DefaultModulesForProject("stubs-foo-bar"), Stub({"foo_bar"}));
}

TEST(DefaultModules, PatternsThenFallback) {
  EXPECT_EQ(DefaultModulesForProject("azure-storage-blob"), Impl({"azure.storage.blob"}));
  EXPECT_EQ(DefaultModulesForProject("google-cloud-big-query"), Impl({"google.cloud.bigquery"}));
  EXPECT_EQ(DefaultModulesForProject("django-environ"), Impl({"environ"}));
  EXPECT_EQ(DefaultModulesForProject("python-multi-part-x"), Impl({"multi_part_x"}));
  EXPECT_EQ(DefaultModulesForProject("Typing.Inspect"), Impl({"typing_inspect"}));
  EXPECT_EQ(DefaultModulesForProject("requests"), Impl({"requests"}));
}

TEST(DefaultModules, TablesAreSortedForBinarySearch) {
  for (const auto* t : {&DefaultModuleTable(), &DefaultStubModuleTable()}) {
    EXPECT_TRUE(std::is_sorted(t->begin(), t->end(),
                               [](const auto& a, const auto& b) { return a.first < b.first; }));
  }
  EXPECT_GE(DefaultModuleTable().size(), 50u);
}

TEST(Stdlib, TopLevelNameDecides) {
  EXPECT_TRUE(IsStdlibModule("os.path"));
  EXPECT_TRUE(IsStdlibModule("json"));
  EXPECT_TRUE(IsStdlibModule("urllib2"));
  EXPECT_TRUE(IsStdlibModule("__future__"));
  EXPECT_FALSE(IsStdlibModule("yaml"));
  EXPECT_FALSE(IsStdlibModule("osx"));
}

TEST(ModuleOwners, StrippedPathToModule) {
  EXPECT_EQ(ModuleForStrippedPath("pkg/mod.py"), "pkg.mod");
  EXPECT_EQ(ModuleForStrippedPath("pkg/sub/__init__.py"), "pkg.sub");
  EXPECT_EQ(ModuleForStrippedPath("pkg/mod.pyi"), "pkg.mod");
  EXPECT_EQ(ModuleForStrippedPath("__init__.py"), std::nullopt);
  EXPECT_EQ(ModuleForStrippedPath("data.json"), std::nullopt);
}

std::vector<uint32_t> Targets(const ModuleProviders& ps) {
  std::vector<uint32_t> out;
  for (const ModuleProvider* p : ps) out.push_back(p->target);
  return out;
}

TEST(ModuleOwners, FirstPartyTriesModuleThenParentOnly) {
  ModuleOwners o;
  o.AddFirstParty("pkg.mod", 3, ProviderKind::kImpl, "src");
  EXPECT_EQ(Targets(o.Lookup("pkg.mod")), (std::vector<uint32_t>{3}));
  EXPECT_EQ(Targets(o.Lookup("pkg.mod.Cls")), (std::vector<uint32_t>{3}));
  EXPECT_EQ(Targets(o.Lookup("pkg.mod.Cls.attr")), (std::vector<uint32_t>{}));
  EXPECT_EQ(Targets(o.Lookup("pkg")), (std::vector<uint32_t>{}));
}

TEST(ModuleOwners, ThirdPartyTriesEveryAncestorAndCombinesWithFirstParty) {
  ModuleOwners o;
  o.AddThirdParty("google.protobuf", 9, ProviderKind::kImpl, "python-default");
  o.AddThirdParty("google.protobuf", 2, ProviderKind::kStub, "python-default");
  o.AddFirstParty("google.protobuf.message", 5, ProviderKind::kImpl, ".");
  EXPECT_EQ(Targets(o.Lookup("google.protobuf.message.Message")), (std::vector<uint32_t>{2, 5, 9}));
  EXPECT_EQ(Targets(o.Lookup("google.protobuf.a.b.c")), (std::vector<uint32_t>{2, 9}));
  EXPECT_EQ(Targets(o.Lookup("google")), (std::vector<uint32_t>{}));
}

TEST(ModuleOwners, ThirdPartyMatchesWholeComponentsOnly) {
  ModuleOwners o;
  o.AddThirdParty("yaml", 4, ProviderKind::kImpl, "python-default");
  o.AddThirdParty("google.cloud.storage", 7, ProviderKind::kImpl, "python-default");
  EXPECT_EQ(Targets(o.Lookup("yaml")), (std::vector<uint32_t>{4}));
  EXPECT_EQ(Targets(o.Lookup("yaml.constructor.Loader")), (std::vector<uint32_t>{4}));
  // Same text, other components: no owner.
  EXPECT_EQ(Targets(o.Lookup("yamlx")), (std::vector<uint32_t>{}));
  EXPECT_EQ(Targets(o.Lookup("yam")), (std::vector<uint32_t>{}));
  // The top-level name is known, but no ancestor of these is provided.
  EXPECT_EQ(Targets(o.Lookup("google.cloud")), (std::vector<uint32_t>{}));
  EXPECT_EQ(Targets(o.Lookup("google.cloud.storagex")), (std::vector<uint32_t>{}));
  EXPECT_EQ(Targets(o.Lookup("google.cloud.storage.blob")), (std::vector<uint32_t>{7}));
  // A module without a first component owned by anyone.
  EXPECT_EQ(Targets(o.Lookup("requests.adapters")), (std::vector<uint32_t>{}));
}

}  // namespace
}  // namespace braid::python
