#include "core/graph/output_path.h"

#include "gtest/gtest.h"

namespace braid::graph {
namespace {

std::string Expand(const Address& a, absl::string_view tmpl, absl::string_view suffix) {
  absl::StatusOr<std::string> out = ExpandOutputPath(a, tmpl, suffix);
  return out.ok() ? *out : "error: " + std::string(out.status().message());
}

TEST(OutputPath, DefaultTemplateUsesDottedDirAndName) {
  EXPECT_EQ(Expand(Address("src/python/app", "main"), kDefaultOutputPathTemplate, ".pex"),
            "src.python.app/main.pex");
  EXPECT_EQ(Expand(Address("src/python/app", "main"), kDefaultOutputPathTemplate, ""),
            "src.python.app/main");
}

TEST(OutputPath, RootDirIsDotAndNormalisedAway) {
  EXPECT_EQ(Expand(Address("", "bin"), kDefaultOutputPathTemplate, ".pex"), "bin.pex");
}

TEST(OutputPath, DefaultNameIsTheDirectoryBasename) {
  EXPECT_EQ(Expand(Address("src/app"), kDefaultOutputPathTemplate, ".pex"), "src.app/app.pex");
}

TEST(OutputPath, GeneratedNameDotsBecomeUnderscores) {
  Address a = Address("src/app", "bins").WithGeneratedName("cli.py");
  EXPECT_EQ(Expand(a, kDefaultOutputPathTemplate, ".pex"), "src.app/cli_py.pex");
}

TEST(OutputPath, CustomTemplatesAndDollarEscapes) {
  Address a("src/app", "main");
  EXPECT_EQ(Expand(a, "bin/$target_name_normalized$$x", ""), "bin/main$x");
  EXPECT_EQ(Expand(a, "/abs/./x/../y.pex", ""), "abs/y.pex");
}

TEST(OutputPath, BadTemplatesSayWhy) {
  Address a("src/app", "main");
  EXPECT_EQ(Expand(a, "${nope}", ""), "error: unknown placeholder 'nope'");
  EXPECT_EQ(Expand(a, "x/$", ""),
            "error: a `$` must start a placeholder (write `$$` for a literal `$`)");
  EXPECT_EQ(Expand(a, "${file_suffix", ".pex"),
            "error: a `$` must start a placeholder (write `$$` for a literal `$`)");
  EXPECT_EQ(Expand(a, "..", ""), "error: it leaves the dist dir");
}

}  // namespace
}  // namespace braid::graph
