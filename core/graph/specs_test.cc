#include "core/graph/specs.h"

#include "core/fs/file_index.h"
#include "gtest/gtest.h"

namespace braid {
namespace {

fs::FileIndex Index() {
  return fs::FileIndex::FromFiles({"src/app/BUILD", "src/app/f.py", "src/app/sub/g.py",
                                   "docker/Dockerfile", "src/lib/h.py", "README"});
}

Spec Parse(absl::string_view text) {
  fs::FileIndex index = Index();
  SpecParseOptions opts{"/repo", &index};
  auto s = ParseSpec(text, opts);
  EXPECT_TRUE(s.ok()) << text << ": " << s.status();
  return s.ok() ? *s : Spec{};
}

TEST(Specs, Kinds) {
  EXPECT_EQ(Parse("::").kind, SpecKind::kRecursiveGlob);
  EXPECT_EQ(Parse("::").path, "");
  EXPECT_EQ(Parse("src::").kind, SpecKind::kRecursiveGlob);
  EXPECT_EQ(Parse("src:").kind, SpecKind::kDirGlob);
  EXPECT_EQ(Parse(":").kind, SpecKind::kDirGlob);
  EXPECT_EQ(Parse("src/app").kind, SpecKind::kDirLiteral);
  EXPECT_EQ(Parse("src/app:lib").kind, SpecKind::kAddressLiteral);
  EXPECT_EQ(Parse("src/app/f.py").kind, SpecKind::kFileLiteral);
  EXPECT_EQ(Parse("src/**/*.py").kind, SpecKind::kFileGlob);
  EXPECT_EQ(Parse("docker/Dockerfile").kind, SpecKind::kFileLiteral);  // exists as a file
  EXPECT_EQ(Parse("README").kind, SpecKind::kFileLiteral);
  EXPECT_EQ(Parse("nothere").kind, SpecKind::kDirLiteral);
  EXPECT_EQ(Parse("missing.py").kind, SpecKind::kFileLiteral);  // has a suffix
}

TEST(Specs, NormalisedSpelling) {
  EXPECT_EQ(Parse("./src/app/::").ToString(), "src/app::");
  EXPECT_EQ(Parse("//src/app:").ToString(), "src/app:");
  EXPECT_EQ(Parse("src/app/").ToString(), "src/app");
  EXPECT_EQ(Parse(".").ToString(), "");
  EXPECT_EQ(Parse("/repo/src/app::").ToString(), "src/app::");
  EXPECT_EQ(Parse("src/app:lib#gen@b=2,a=1").ToString(), "src/app:lib#gen@a=1,b=2");
  EXPECT_EQ(Parse("3rdparty#requests").ToString(), "3rdparty#requests");
  EXPECT_EQ(Parse("src/**/*.py").ToString(), "src/**/*.py");
  EXPECT_EQ(Parse("./src/app/f.py").ToString(), "src/app/f.py");
}

TEST(Specs, AddressLiteralParts) {
  Spec s = Parse("src/app/f.py:lib");
  EXPECT_EQ(s.path, "src/app/f.py");
  EXPECT_EQ(*s.target_component, "lib");
  EXPECT_FALSE(s.generated_component.has_value());
  Spec g = Parse("3rdparty#requests");
  EXPECT_FALSE(g.target_component.has_value());
  EXPECT_EQ(*g.generated_component, "requests");
}

TEST(Specs, Ignores) {
  Spec s = Parse("-src/app::");
  EXPECT_TRUE(s.ignore);
  EXPECT_EQ(s.kind, SpecKind::kRecursiveGlob);
  EXPECT_EQ(s.ToString(), "src/app::");
  auto specs = ParseSpecs({"::", "-src/lib:", "-**/*_test.py"});
  ASSERT_TRUE(specs.ok());
  ASSERT_EQ(specs->includes.size(), 1u);
  ASSERT_EQ(specs->ignores.size(), 2u);
  EXPECT_EQ(specs->ignores[1].kind, SpecKind::kFileGlob);
  EXPECT_EQ(specs->ignores[1].path, "**/*_test.py");
}

TEST(Specs, Errors) {
  EXPECT_EQ(ParseSpec("../x::").status().message(),
            "invalid spec '../x::': path '../x' escapes the build root");
  EXPECT_EQ(ParseSpec("/elsewhere/x", {"/repo", nullptr}).status().message(),
            "invalid spec '/elsewhere/x': absolute spec path /elsewhere/x does not share build "
            "root /repo");
  EXPECT_EQ(ParseSpec("src:#").status().message(),
            "failed to parse address 'src:#': expected a non-empty target name after ':'");
  EXPECT_EQ(ParseSpec("../*.py").status().message(),
            "invalid spec '../*.py': glob '../*.py' escapes the build root");
  EXPECT_EQ(ParseSpec("src:a::").status().message(),
            "invalid spec 'src:a::': a wildcard (':' or '::') cannot follow a target name");
}

TEST(Specs, SpecFile) {
  EXPECT_EQ(ReadSpecFile("src/app::\n\n  src/lib:lib  \r\n-src/x\n"),
            (std::vector<std::string>{"src/app::", "src/lib:lib", "-src/x"}));
}

TEST(Specs, DirectoryMatching) {
  EXPECT_TRUE(SpecMatchesResidenceDir(Parse("::"), "anything/at/all"));
  EXPECT_TRUE(SpecMatchesResidenceDir(Parse("::"), ""));
  EXPECT_TRUE(SpecMatchesResidenceDir(Parse("src::"), "src/app"));
  EXPECT_TRUE(SpecMatchesResidenceDir(Parse("src::"), "src"));
  EXPECT_FALSE(SpecMatchesResidenceDir(Parse("src::"), "srcx"));
  EXPECT_TRUE(SpecMatchesResidenceDir(Parse("src:"), "src"));
  EXPECT_FALSE(SpecMatchesResidenceDir(Parse("src:"), "src/app"));
  EXPECT_TRUE(SpecMatchesResidenceDir(Parse("src/app"), "src/app"));
  EXPECT_FALSE(SpecMatchesResidenceDir(Parse("src/app:lib"), "src/app"));
  EXPECT_TRUE(SpecMatchesTargetGenerators(Parse("src:")));
  EXPECT_TRUE(SpecMatchesTargetGenerators(Parse("src::")));
  EXPECT_FALSE(SpecMatchesTargetGenerators(Parse("src/app")));
}

TEST(Specs, FileMatching) {
  fs::FileIndex index = Index();
  EXPECT_TRUE(SpecMatchesFile(Parse("src/app/f.py"), "src/app/f.py"));
  EXPECT_FALSE(SpecMatchesFile(Parse("src/app/f.py"), "src/app/g.py"));
  EXPECT_TRUE(SpecMatchesFile(Parse("src/**/*.py"), "src/app/sub/g.py"));
  EXPECT_FALSE(SpecMatchesFile(Parse("src/*.py"), "src/app/f.py"));
  EXPECT_EQ(SpecMatchingFiles(Parse("src/**/*.py"), index),
            (std::vector<std::string>{"src/app/f.py", "src/app/sub/g.py", "src/lib/h.py"}));
  EXPECT_EQ(SpecMatchingFiles(Parse("src/app/f.py"), index),
            (std::vector<std::string>{"src/app/f.py"}));
  EXPECT_TRUE(SpecMatchingFiles(Parse("missing.py"), index).empty());
}

TEST(Specs, AddressResolution) {
  fs::FileIndex index = Index();
  EXPECT_EQ(SpecToAddress(Parse("src/app:lib"), index)->Spec(), "src/app:lib");
  EXPECT_EQ(SpecToAddress(Parse("src/app/f.py:lib"), index)->Spec(), "src/app/f.py:lib");
  EXPECT_EQ(SpecToAddress(Parse("src/app#gen"), index)->Spec(), "src/app#gen");
  EXPECT_EQ(SpecToAddress(Parse("nope:x"), index).status().message(),
            "the file or directory 'nope' does not exist on disk in the workspace, so the "
            "address 'nope:x' cannot be resolved");
}

}  // namespace
}  // namespace braid
