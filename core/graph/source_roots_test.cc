#include "core/graph/source_roots.h"

#include "core/fs/file_index.h"
#include "gtest/gtest.h"

namespace braid {
namespace {

using Strings = std::vector<std::string>;

TEST(SourceRoots, DefaultPatterns) {
  EXPECT_EQ(SourceRootConfig{}.root_patterns,
            (Strings{"/", "src", "src/python", "src/py", "src/thrift", "src/protobuf",
                     "src/protos", "src/scala", "src/java"}));
  fs::FileIndex index = fs::FileIndex::FromFiles(
      {"setup.py", "src/python/pkg/a.py", "proj/src/python/pkg/b.py", "src/x.py",
       "tools/t.py", "pants.toml"});
  auto roots = SourceRoots::Create(SourceRootConfig{}, index);
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(*roots->FindForFile("src/python/pkg/a.py"), "src/python");  // deepest wins
  EXPECT_EQ(*roots->FindForFile("proj/src/python/pkg/b.py"), "proj/src/python");
  EXPECT_EQ(*roots->FindForFile("src/x.py"), "src");
  EXPECT_EQ(*roots->FindForFile("tools/t.py"), ".");
  EXPECT_EQ(*roots->FindForFile("setup.py"), ".");
  EXPECT_EQ(*roots->FindForDir(""), ".");
  // "src" is unanchored, so proj/src is a root too.
  EXPECT_EQ(roots->All(), (Strings{".", "proj/src", "proj/src/python", "src", "src/python"}));
}

TEST(SourceRoots, AnchoredStarAndSuffix) {
  fs::FileIndex index = fs::FileIndex::FromFiles(
      {"src/python/a.py", "lib/src/python/b.py", "projects/p1/c.py", "projects/p2/d/e.py",
       "other/f.py"});
  SourceRootConfig config;
  config.root_patterns = {"/src/python", "projects/*"};
  auto roots = SourceRoots::Create(config, index);
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(*roots->FindForFile("src/python/a.py"), "src/python");
  EXPECT_FALSE(roots->FindForFile("lib/src/python/b.py").has_value());  // anchored
  EXPECT_EQ(*roots->FindForFile("projects/p1/c.py"), "projects/p1");
  EXPECT_EQ(*roots->FindForFile("projects/p2/d/e.py"), "projects/p2");
  EXPECT_FALSE(roots->FindForFile("other/f.py").has_value());
  EXPECT_FALSE(roots->FindForDir("").has_value());
  EXPECT_TRUE(roots->MatchesRootPattern("x/projects/p9"));
  EXPECT_FALSE(roots->MatchesRootPattern("projects"));
  EXPECT_EQ(roots->All(), (Strings{"projects/p1", "projects/p2", "src/python"}));
}

TEST(SourceRoots, MarkerFiles) {
  fs::FileIndex index = fs::FileIndex::FromFiles(
      {"a/b/SOURCE_ROOT", "a/b/c/x.py", "a/y.py", "z/SOURCE_ROOT", "z/w/SOURCE_ROOT"});
  SourceRootConfig config;
  config.root_patterns = {};
  config.marker_filenames = {"SOURCE_ROOT"};
  auto roots = SourceRoots::Create(config, index);
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(*roots->FindForFile("a/b/c/x.py"), "a/b");
  EXPECT_FALSE(roots->FindForFile("a/y.py").has_value());
  EXPECT_EQ(roots->All(), (Strings{"a/b", "z", "z/w"}));
}

TEST(SourceRoots, PatternAndMarkerTogetherDeepestWins) {
  fs::FileIndex index =
      fs::FileIndex::FromFiles({"src/pkg/ROOT", "src/pkg/m/x.py", "src/y.py"});
  SourceRootConfig config;
  config.root_patterns = {"src"};
  config.marker_filenames = {"ROOT"};
  auto roots = SourceRoots::Create(config, index);
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(*roots->FindForFile("src/pkg/m/x.py"), "src/pkg");
  EXPECT_EQ(*roots->FindForFile("src/y.py"), "src");
  EXPECT_EQ(roots->All(), (Strings{"src", "src/pkg"}));
}

TEST(SourceRoots, RootPatternOnlyGivesDot) {
  fs::FileIndex index = fs::FileIndex::FromFiles({"a/x.py", "b/c/y.py"});
  SourceRootConfig config;
  config.root_patterns = {"/"};
  auto roots = SourceRoots::Create(config, index);
  ASSERT_TRUE(roots.ok());
  EXPECT_EQ(*roots->FindForFile("b/c/y.py"), ".");
  EXPECT_EQ(roots->All(), (Strings{"."}));
}

TEST(SourceRoots, ConfigErrors) {
  fs::FileIndex index;
  SourceRootConfig bad;
  bad.root_patterns = {"src/../x"};
  EXPECT_EQ(SourceRoots::Create(bad, index).status().message(),
            "`..` disallowed in source root pattern: src/../x. See "
            "https://www.pantsbuild.org/docs/source-roots for how to define source roots.");
  SourceRootConfig bad_marker;
  bad_marker.marker_filenames = {"a/ROOT"};
  EXPECT_EQ(SourceRoots::Create(bad_marker, index).status().message(),
            "marker filename must be a base name: a/ROOT. See "
            "https://www.pantsbuild.org/docs/source-roots for how to define source roots.");
  bad_marker.marker_filenames = {"*.root"};
  EXPECT_FALSE(SourceRoots::Create(bad_marker, index).ok());
}

}  // namespace
}  // namespace braid
