#include "plugins/setupgen/setupgen.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace braid::plugin::setupgen {
namespace {

using ::testing::ElementsAre;

TEST(DevelopmentStatus, FromTheVersion) {
  EXPECT_EQ(DevelopmentStatus("1.0.dev3"), "Development Status :: 2 - Pre-Alpha");
  EXPECT_EQ(DevelopmentStatus("1.0a1.dev1"), "Development Status :: 2 - Pre-Alpha");
  EXPECT_EQ(DevelopmentStatus("1.0a1"), "Development Status :: 3 - Alpha");
  EXPECT_EQ(DevelopmentStatus("2.1b2"), "Development Status :: 4 - Beta");
  EXPECT_EQ(DevelopmentStatus("2.1rc1"), "Development Status :: 4 - Beta");
  EXPECT_EQ(DevelopmentStatus("2.1"), "Development Status :: 5 - Production/Stable");
  EXPECT_EQ(DevelopmentStatus("2.1.post1"), "Development Status :: 5 - Production/Stable");
}

TEST(RequiresPython, ExactVersionPinsTheMinor) {
  absl::StatusOr<PythonRequirement> r = RequiresPython({"CPython==3.13.7"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->requires_python, ">=3.13,<3.14");
  EXPECT_THAT(r->classifiers, ElementsAre("Programming Language :: Python :: 3",
                                          "Programming Language :: Python :: 3.13"));
}

TEST(RequiresPython, RangeListsEveryMinor) {
  absl::StatusOr<PythonRequirement> r = RequiresPython({"CPython>=3.9,<3.12"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->requires_python, ">=3.9,<3.12");
  EXPECT_THAT(r->classifiers, ElementsAre("Programming Language :: Python :: 3",
                                          "Programming Language :: Python :: 3.9",
                                          "Programming Language :: Python :: 3.10",
                                          "Programming Language :: Python :: 3.11"));
  r = RequiresPython({"CPython>=3.9"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->requires_python, ">=3.9");
  EXPECT_THAT(r->classifiers, ElementsAre("Programming Language :: Python :: 3"));
}

TEST(RequiresPython, SeveralConstraintsAreRefused) {
  EXPECT_FALSE(RequiresPython({"CPython==3.9.*", "CPython==3.11.*"}).ok());
}

pb::DistributionMetadataRequest Dist(const std::string& provides) {
  pb::DistributionMetadataRequest req;
  req.mutable_distribution()->set_address("src/dist:acme");
  req.mutable_distribution()->set_type("python_distribution");
  (*req.mutable_distribution()->mutable_fields_json())["provides"] = provides;
  return req;
}

void AddFile(pb::DistributionMetadataRequest& req, const std::string& path,
             const std::string& content) {
  pb::File* f = req.add_files();
  f->set_path(path);
  f->set_content(content);
}

std::vector<std::string> Values(const google::protobuf::RepeatedPtrField<pb::MetadataField>& fs) {
  std::vector<std::string> out;
  for (const pb::MetadataField& f : fs) out.push_back(f.name() + ": " + f.value());
  return out;
}

TEST(AdjustMetadata, FillsEverythingItOwns) {
  pb::DistributionMetadataRequest req = Dist(R"({"name": "acme", "license": "MIT"})");
  AddFile(req, "VERSION", " 1.4.0rc1\n");
  AddFile(req, "src/dist/README.rst", "Acme\n====\n");
  absl::StatusOr<pb::DistributionMetadataResponse> r = AdjustMetadata(
      req, {{"setupgen.version_file", "\"VERSION\""},
            {"setupgen.author", "\"Acme Inc.\""},
            {"setupgen.project_urls", R"({"Source": "https://example.com/acme"})"},
            {"python.interpreter_constraints", R"(["CPython==3.13.7"])"}});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(Values(r->set()), ElementsAre("Version: 1.4.0rc1", "Description: Acme\n====\n",
                                            "Description-Content-Type: text/x-rst",
                                            "Requires-Python: >=3.13,<3.14", "Author: Acme Inc."));
  EXPECT_THAT(Values(r->add()),
              ElementsAre("Classifier: Development Status :: 4 - Beta",
                          "Classifier: Programming Language :: Python :: 3",
                          "Classifier: Programming Language :: Python :: 3.13",
                          "Classifier: License :: OSI Approved :: MIT License",
                          "Project-URL: Source, https://example.com/acme"));
}

TEST(AdjustMetadata, OwnVersionFileWinsOverTheShared) {
  pb::DistributionMetadataRequest req = Dist(R"({"name": "acme"})");
  AddFile(req, "VERSION", "1.0\n");
  AddFile(req, "src/dist/VERSION", "2.0.dev1\n");
  absl::StatusOr<pb::DistributionMetadataResponse> r = AdjustMetadata(req, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->set(0).value(), "2.0.dev1");
  EXPECT_EQ(r->add(0).value(), "Development Status :: 2 - Pre-Alpha");
}

TEST(AdjustMetadata, BuildFileSettingAnOwnedValueIsAnError) {
  pb::DistributionMetadataRequest req = Dist(R"({"name": "acme", "version": "1.0"})");
  AddFile(req, "VERSION", "1.0\n");
  absl::StatusOr<pb::DistributionMetadataResponse> r = AdjustMetadata(req, {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(),
            "src/dist/BUILD: src/dist:acme: python_artifact sets 'version', which "
            "braid.plugins.setupgen owns (it comes from the VERSION file "
            "([setupgen].version_file))\n  hint: remove 'version' from the BUILD file");
}

TEST(AdjustMetadata, MissingVersionFileIsAnError) {
  absl::StatusOr<pb::DistributionMetadataResponse> r =
      AdjustMetadata(Dist(R"({"name": "acme"})"), {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no version file: neither src/dist/VERSION nor VERSION "
                                      "exists"),
            std::string::npos);
}

}  // namespace
}  // namespace braid::plugin::setupgen
