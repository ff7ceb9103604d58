#include "rules/python/package/names.h"

#include "gtest/gtest.h"

namespace braid::python::package {
namespace {

TEST(Names, ValidProjectNames) {
  EXPECT_TRUE(IsValidProjectName("acme-agent"));
  EXPECT_TRUE(IsValidProjectName("A"));
  EXPECT_TRUE(IsValidProjectName("zope.interface_2"));
  EXPECT_FALSE(IsValidProjectName(""));
  EXPECT_FALSE(IsValidProjectName("-acme"));
  EXPECT_FALSE(IsValidProjectName("acme-"));
  EXPECT_FALSE(IsValidProjectName("acme agent"));
}

TEST(Names, CanonicalAndFileNameForms) {
  EXPECT_EQ(CanonicalName("Acme__Agent.Core"), "acme-agent-core");
  EXPECT_EQ(FileNameComponent("Acme-Agent"), "acme_agent");
  EXPECT_EQ(FileNameComponent("zope.interface"), "zope_interface");
}

TEST(Names, NormalizeVersion) {
  const std::pair<const char*, const char*> cases[] = {
      {"1.4.0", "1.4.0"},       {"v1.0", "1.0"},          {"01.02", "1.2"},
      {"1.0-Alpha.1", "1.0a1"}, {"1.0beta", "1.0b0"},     {"1.0c2", "1.0rc2"},
      {"1.0-preview3", "1.0rc3"}, {"1.0-r2", "1.0.post2"}, {"1.0-2", "1.0.post2"},
      {"1.0.post", "1.0.post0"}, {"1.0-dev", "1.0.dev0"}, {"1.0rc1.post2.dev3", "1.0rc1.post2.dev3"},
      {"0!1.0", "1.0"},         {"2!1.0", "2!1.0"},       {"1.0+Ubuntu_01-b", "1.0+ubuntu.1.b"},
      {" 1.0 ", "1.0"},
  };
  for (const auto& [in, want] : cases) {
    absl::StatusOr<std::string> got = NormalizeVersion(in);
    ASSERT_TRUE(got.ok()) << in << ": " << got.status();
    EXPECT_EQ(*got, want) << in;
  }
}

TEST(Names, InvalidVersions) {
  for (const char* bad : {"", "1.0-foo", "one", "1..0", "1.0+", "1.0+a..b", "1.0 beta 2 x"}) {
    absl::StatusOr<std::string> got = NormalizeVersion(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().message(), std::string("invalid version '") + bad + "' (not PEP 440)");
  }
}

}  // namespace
}  // namespace braid::python::package
