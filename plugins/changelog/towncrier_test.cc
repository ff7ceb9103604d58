#include "plugins/changelog/towncrier.h"

#include "gtest/gtest.h"

namespace braid::plugin::changelog {
namespace {

TowncrierConfig Config(const std::string& extra = "") {
  absl::StatusOr<TowncrierConfig> c =
      ParseTowncrierConfig("[tool.towncrier]\ndirectory = \"changes\"\n" + extra, "pyproject.toml");
  EXPECT_TRUE(c.ok()) << c.status();
  return *c;
}

TEST(ParseTowncrierConfig, DefaultsAreTowncriers) {
  TowncrierConfig c = Config();
  EXPECT_EQ(c.filename, "NEWS.rst");
  EXPECT_EQ(c.start_string, ".. towncrier release notes start\n");
  EXPECT_EQ(c.TypeNames(),
            (std::vector<std::string>{"feature", "bugfix", "doc", "removal", "misc"}));
  EXPECT_FALSE(c.title_format.has_value());
}

TEST(ParseTowncrierConfig, NoSectionIsNotFound) {
  EXPECT_TRUE(absl::IsNotFound(ParseTowncrierConfig("[tool.x]\n", "pyproject.toml").status()));
}

TEST(ParseTowncrierConfig, WrapIsRejected) {
  absl::StatusOr<TowncrierConfig> c =
      ParseTowncrierConfig("[tool.towncrier]\nwrap = true\n", "pyproject.toml");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().message(),
            "pyproject.toml: [tool.towncrier]: 'wrap = true' is not supported by braid's changelog");
}

TEST(ParseFragmentName, TowncrierNames) {
  TowncrierConfig c = Config();
  std::optional<FragmentName> n = ParseFragmentName("123.feature.md", c);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->ticket, "123");
  EXPECT_EQ(n->type, "feature");
  EXPECT_EQ(n->counter, 0);
  n = ParseFragmentName("0042.bugfix.2.md", c);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->ticket, "42");
  EXPECT_EQ(n->counter, 2);
  n = ParseFragmentName("+tidy.misc.md", c);
  ASSERT_TRUE(n);
  EXPECT_EQ(n->ticket, "+tidy");
  EXPECT_FALSE(ParseFragmentName("123.feture.md", c));
  EXPECT_FALSE(ParseFragmentName("README", c));
}

TEST(RenderRelease, SortsByTypeThenIssueAndRendersTitle) {
  TowncrierConfig c = Config();
  std::vector<Fragment> f = {
      {"changes/20.feature.md", {"20", "feature", 0}, "Second.\n"},
      {"changes/3.feature.md", {"3", "feature", 0}, "First.\n"},
      {"changes/5.bugfix.md", {"5", "bugfix", 0}, "Fixed.\n"},
      {"changes/+a.feature.md", {"+a", "feature", 0}, "Orphan.\n"},
      {"changes/7.misc.md", {"7", "misc", 0}, "ignored"},
      {"changes/6.misc.md", {"6", "misc", 0}, "ignored"},
  };
  absl::StatusOr<std::string> r = RenderRelease(c, {"", "1.0", "2024-01-02"}, f);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r,
            "1.0 (2024-01-02)\n"
            "================\n"
            "\n"
            "Features\n"
            "--------\n"
            "\n"
            "- First. (#3)\n"
            "- Second. (#20)\n"
            "- Orphan.\n"
            "\n"
            "\n"
            "Bugfixes\n"
            "--------\n"
            "\n"
            "- Fixed. (#5)\n"
            "\n"
            "\n"
            "Misc\n"
            "----\n"
            "\n"
            "- #6, #7\n");
}

TEST(InsertRelease, GoesAfterTheStartMarker) {
  TowncrierConfig c = Config();
  absl::StatusOr<std::string> out = InsertRelease(
      c, std::string("Title\n\n.. towncrier release notes start\n\n0.9 (x)\n===\n"), "",
      "1.0 (y)\n===\n");
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "Title\n\n.. towncrier release notes start\n\n1.0 (y)\n===\n\n\n0.9 (x)\n===\n");
}

TEST(ExtractRelease, PrintsExactlyOneSection) {
  TowncrierConfig c = Config("title_format = \"## {version} ({project_date})\"\n");
  std::string news =
      "# Changes\n\n## 1.1 (b)\n\n### Features\n- x\n\n\n## 1.0 (a)\n\n- y\n";
  EXPECT_EQ(ExtractRelease(c, news, "1.1"), "## 1.1 (b)\n\n### Features\n- x\n");
  EXPECT_EQ(ExtractRelease(c, news, "1.0"), "## 1.0 (a)\n\n- y\n");
  EXPECT_EQ(ExtractRelease(c, news, "2.0"), std::nullopt);
}

}  // namespace
}  // namespace braid::plugin::changelog
