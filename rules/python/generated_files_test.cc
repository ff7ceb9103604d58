#include "rules/python/generated_files.h"

#include <variant>

#include "gtest/gtest.h"

namespace braid::python {
namespace {

TargetGeneratedFiles T(const std::string& address, std::vector<app::GeneratedFile> files) {
  return {address, Location{"src/BUILD", 3, 1, ""}, std::move(files)};
}

TEST(GeneratedFiles, MergesSortsAndKeepsIdenticalDuplicatesOnce) {
  absl::StatusOr<std::vector<app::GeneratedFile>> m = MergeGeneratedFiles(
      {T("src:a", {{"src/z.py", "z", false}, {"src/_v.py", "V = 1\n", false}}),
       T("src/x.py:a", {{"src/_v.py", "V = 1\n", false}})});
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].path, "src/_v.py");
  EXPECT_EQ((*m)[1].path, "src/z.py");
}

TEST(GeneratedFiles, ConflictingBytesNameBothTargets) {
  absl::StatusOr<std::vector<app::GeneratedFile>> m = MergeGeneratedFiles(
      {T("src:a", {{"src/_v.py", "V = 1\n", false}}), T("src:b", {{"src/_v.py", "V = 2\n", false}})});
  EXPECT_EQ(m.status().message(),
            "src/BUILD:3:1: the generated file 'src/_v.py' differs between src:a and src:b");
}

TEST(GeneratedFiles, PathsMustBeNormalisedAndRelative) {
  EXPECT_EQ(MergeGeneratedFiles({T("src:a", {{"/etc/x", "", false}})}).status().message(),
            "src/BUILD:3:1: a plugin generated the file '/etc/x' for src:a: path '/etc/x' must be "
            "relative to the build root\n  hint: generated paths are relative to the build root, "
            "e.g. src/app/_version.py");
  EXPECT_FALSE(MergeGeneratedFiles({T("src:a", {{"src/./x", "", false}})}).ok());
  EXPECT_FALSE(MergeGeneratedFiles({T("src:a", {{"", "", false}})}).ok());
}

TEST(GeneratedFiles, AddedAsFileBytesNeverReplacingASource) {
  std::vector<exec::SandboxEntry> inputs = {{"src/a.py", exec::FileBytes{"a"}, false}};
  ASSERT_TRUE(AddGeneratedInputs({{"src/_v.py", "V = 1\n", true}}, inputs).ok());
  ASSERT_EQ(inputs.size(), 2u);
  EXPECT_EQ(inputs[1].path, "src/_v.py");
  EXPECT_EQ(std::get<exec::FileBytes>(inputs[1].source).bytes, "V = 1\n");
  EXPECT_TRUE(inputs[1].executable);
  absl::Status s = AddGeneratedInputs({{"src/a.py", "x", false}}, inputs);
  EXPECT_EQ(s.message(),
            "src/a.py: a plugin generated this file, but it is also a source file of the sandbox; "
            "a generated file cannot replace a source");
}

}  // namespace
}  // namespace braid::python
