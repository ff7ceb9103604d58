#include "rules/python/package/metadata_fields.h"

#include "gtest/gtest.h"

namespace braid::python::package {
namespace {

DistributionMetadata Full() {
  DistributionMetadata m;
  m.name = "acme-common";
  m.version = "1.4.0";
  m.summary = "Shared";
  m.description = "# Acme\n";
  m.description_content_type = "text/markdown";
  m.home_page = "https://acme.example";
  m.author = "Acme";
  m.license = "MIT";
  m.keywords = "a,b";
  m.classifiers = {"Topic :: Utilities"};
  m.platforms = {"any"};
  m.project_urls = {{"Docs", "https://docs.acme.example"}};
  m.requires_python = ">=3.9";
  m.requires_dist = {"requests>=2"};
  m.extras = {{"yaml", {"pyyaml>=6", "tomli; python_version < \"3.11\""}}};
  m.entry_points["console_scripts"]["acme"] = "acme.cli:main";
  return m;
}

TEST(MetadataFields, InRenderOrder) {
  app::PackageMetadata p = ToPackageMetadata(Full());
  std::vector<std::pair<std::string, std::string>> want = {
      {"Name", "acme-common"},
      {"Version", "1.4.0"},
      {"Summary", "Shared"},
      {"Home-page", "https://acme.example"},
      {"Author", "Acme"},
      {"License", "MIT"},
      {"Project-URL", "Docs, https://docs.acme.example"},
      {"Keywords", "a,b"},
      {"Platform", "any"},
      {"Classifier", "Topic :: Utilities"},
      {"Requires-Python", ">=3.9"},
      {"Description-Content-Type", "text/markdown"},
      {"Requires-Dist", "requests>=2"},
      {"Provides-Extra", "yaml"},
      {"Requires-Dist", "pyyaml>=6; extra == \"yaml\""},
      {"Requires-Dist", "tomli; (python_version < \"3.11\") and extra == \"yaml\""},
      {"Description", "# Acme\n"},
  };
  EXPECT_EQ(p.fields, want);
}

TEST(MetadataFields, RoundTripRendersTheSame) {
  DistributionMetadata m = Full();
  absl::StatusOr<DistributionMetadata> back = FromPackageMetadata(ToPackageMetadata(m), m);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(RenderCoreMetadata(*back), RenderCoreMetadata(m));
  EXPECT_EQ(RenderEntryPoints(*back), RenderEntryPoints(m));
}

TEST(MetadataFields, HookChangesAreValidatedAndNormalised) {
  DistributionMetadata m = Full();
  m.version.clear();
  app::PackageMetadata p = ToPackageMetadata(m);
  p.Set("Version", "2.0-rc.1");
  p.Add("Classifier", "Development Status :: 4 - Beta");
  p.Add("Requires-Dist", "attrs >= 23");
  p.Add("Project-URL", "Source,https://git.acme.example");
  absl::StatusOr<DistributionMetadata> back = FromPackageMetadata(p, m);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->version, "2.0rc1");
  EXPECT_EQ(back->classifiers,
            (std::vector<std::string>{"Topic :: Utilities", "Development Status :: 4 - Beta"}));
  EXPECT_EQ(back->requires_dist, (std::vector<std::string>{"requests>=2", "attrs>=23"}));
  EXPECT_EQ(back->project_urls.back(),
            (std::pair<std::string, std::string>{"Source", "https://git.acme.example"}));
}

TEST(MetadataFields, Errors) {
  DistributionMetadata m = Full();
  auto error = [&](const std::string& name, const std::string& value) {
    app::PackageMetadata p = ToPackageMetadata(m);
    p.Add(name, value);
    return std::string(FromPackageMetadata(p, m).status().message());
  };
  EXPECT_EQ(error("Version", "2"), "the metadata field 'Version' is given twice");
  EXPECT_EQ(error("Obsoletes-Dist", "x"), "braid cannot write the metadata field 'Obsoletes-Dist'");
  EXPECT_EQ(error("Project-URL", "https://x"), "Project-URL 'https://x' is not 'label, url'");
  EXPECT_EQ(error("Requires-Dist", "not a req !!").substr(0, 38),
            "invalid Requires-Dist 'not a req !!': ");
  app::PackageMetadata p = ToPackageMetadata(m);
  p.Set("Version", "1.0-foo");
  EXPECT_EQ(FromPackageMetadata(p, m).status().message(), "invalid version '1.0-foo' (not PEP 440)");
  p = ToPackageMetadata(m);
  p.Set("Summary", "two\nlines");
  EXPECT_EQ(FromPackageMetadata(p, m).status().message(), "the Summary must be a single line");
}

}  // namespace
}  // namespace braid::python::package
