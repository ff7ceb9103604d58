#include "core/fs/file_system.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace braid::fs {
namespace {

std::string MakeTempDir() {
  std::string tmpl = ::testing::TempDir() + "/braid_fs_XXXXXX";
  char* made = ::mkdtemp(tmpl.data());
  EXPECT_NE(made, nullptr);
  return tmpl;
}

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

TEST(RealFileSystem, ReadListStat) {
  std::string root = MakeTempDir();
  ::mkdir((root + "/src").c_str(), 0755);
  Write(root + "/src/b.py", "print(1)\n");
  Write(root + "/src/a.py", "");
  ASSERT_EQ(::symlink("a.py", (root + "/src/link.py").c_str()), 0);
  ASSERT_EQ(::symlink("/nonexistent/x", (root + "/src/broken").c_str()), 0);
  ASSERT_EQ(::symlink("..", (root + "/src/up").c_str()), 0);

  RealFileSystem fs(root + "/");
  EXPECT_EQ(*fs.ReadFile("src/b.py"), "print(1)\n");
  auto entries = fs.ListDir("src");
  ASSERT_TRUE(entries.ok()) << entries.status();
  ASSERT_EQ(entries->size(), 5u);
  EXPECT_EQ((*entries)[0], (DirEntry{"a.py", FileKind::kFile, false}));
  EXPECT_EQ((*entries)[1], (DirEntry{"b.py", FileKind::kFile, false}));
  EXPECT_EQ((*entries)[2], (DirEntry{"broken", FileKind::kOther, true}));
  EXPECT_EQ((*entries)[3], (DirEntry{"link.py", FileKind::kFile, true}));
  EXPECT_EQ((*entries)[4], (DirEntry{"up", FileKind::kDir, true}));

  auto st = fs.Stat("src/b.py");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->kind, FileKind::kFile);
  EXPECT_EQ(st->size, 9);
  EXPECT_GT(st->mtime_ns, 0);
  EXPECT_TRUE(fs.Stat("src/link.py")->is_symlink);
  EXPECT_TRUE(fs.Exists(""));
  EXPECT_FALSE(fs.Exists("src/broken"));
}

TEST(RealFileSystem, MissingIsNotFoundWithPath) {
  RealFileSystem fs(MakeTempDir());
  auto r = fs.ReadFile("nope/x.py");
  EXPECT_TRUE(absl::IsNotFound(r.status()));
  EXPECT_EQ(r.status().message(), "cannot read 'nope/x.py': No such file or directory");
  EXPECT_TRUE(absl::IsNotFound(fs.ListDir("nope").status()));
}

TEST(FakeFileSystem, BehavesLikeADisk) {
  FakeFileSystem fs;
  fs.AddFile("src/app/main.py", "x = 1\n");
  fs.AddFile("src/app/BUILD", "python_sources()\n");
  fs.AddDir("empty");
  fs.AddSymlink("src/alias.py", "src/app/main.py");
  fs.AddSymlink("src/applink", "src/app");
  fs.AddSymlink("src/dangling", "nowhere");
  EXPECT_EQ(*fs.ReadFile("src/alias.py"), "x = 1\n");
  auto root = fs.ListDir("");
  ASSERT_TRUE(root.ok());
  ASSERT_EQ(root->size(), 2u);
  EXPECT_EQ((*root)[0], (DirEntry{"empty", FileKind::kDir, false}));
  EXPECT_EQ((*root)[1], (DirEntry{"src", FileKind::kDir, false}));
  auto src = fs.ListDir("src");
  ASSERT_TRUE(src.ok());
  ASSERT_EQ(src->size(), 4u);
  EXPECT_EQ((*src)[0], (DirEntry{"alias.py", FileKind::kFile, true}));
  EXPECT_EQ((*src)[1], (DirEntry{"app", FileKind::kDir, false}));
  EXPECT_EQ((*src)[2], (DirEntry{"applink", FileKind::kDir, true}));
  EXPECT_EQ((*src)[3], (DirEntry{"dangling", FileKind::kOther, true}));
  EXPECT_EQ(fs.ListDir("src/applink")->size(), 2u);
  EXPECT_EQ(fs.Stat("src/app/main.py")->size, 6);
  EXPECT_TRUE(absl::IsNotFound(fs.ReadFile("missing").status()));
  EXPECT_FALSE(fs.ReadFile("src").ok());
}

}  // namespace
}  // namespace braid::fs
