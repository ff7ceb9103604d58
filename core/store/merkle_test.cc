#include "core/store/merkle.h"

#include <algorithm>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "gtest/gtest.h"
#include "core/store/internal/file_ops.h"
#include "core/store/store_test_util.h"

namespace braid::store {
namespace {

using testing::TempDir;

std::vector<FileEntry> Sample() {
  return {
      {"src/app/main.py", DigestOf("main"), false},
      {"src/app/__init__.py", DigestOf(""), false},
      {"bin/run", DigestOf("#!/bin/sh"), true},
      {"README", DigestOf("readme"), false},
      {"src/lib/util.py", DigestOf("util"), false},
  };
}

reapi::Directory Parse(const MerkleTree& tree, const Digest& d) {
  reapi::Directory dir;
  EXPECT_TRUE(dir.ParseFromString(tree.directories.at(d)));
  return dir;
}

TEST(Merkle, EmptyTreeIsTheEmptyDirectory) {
  absl::StatusOr<MerkleTree> t = BuildMerkleTree({});
  ASSERT_TRUE(t.ok());
  // REAPI: an empty Directory encodes to zero bytes, so its digest is e3b0.../0.
  EXPECT_EQ(t->root.hash, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(t->root.size_bytes, 0);
  ASSERT_EQ(t->directories.size(), 1u);
  EXPECT_EQ(t->directories.at(t->root), "");
}

TEST(Merkle, RootDependsOnTheSetNotTheOrder) {
  std::vector<FileEntry> files = Sample();
  Digest first = BuildMerkleTree(files)->root;
  std::reverse(files.begin(), files.end());
  EXPECT_EQ(BuildMerkleTree(files)->root, first);
  std::rotate(files.begin(), files.begin() + 2, files.end());
  EXPECT_EQ(BuildMerkleTree(files)->root, first);
}

TEST(Merkle, CanonicalShapeMatchesReapiExample) {
  // REAPI's example: file "bar" and directory "foo" holding executable "baz".
  absl::StatusOr<MerkleTree> t = BuildMerkleTree(
      {{"foo/baz", DigestOf("baz"), true}, {"bar", DigestOf("bar"), false}});
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->directories.size(), 2u);
  reapi::Directory root = Parse(*t, t->root);
  ASSERT_EQ(root.files_size(), 1);
  EXPECT_EQ(root.files(0).name(), "bar");
  EXPECT_EQ(root.files(0).digest().hash(), DigestOf("bar").hash);
  EXPECT_FALSE(root.files(0).is_executable());
  ASSERT_EQ(root.directories_size(), 1);
  EXPECT_EQ(root.directories(0).name(), "foo");
  reapi::Directory foo = Parse(*t, *FromProto(root.directories(0).digest()));
  ASSERT_EQ(foo.files_size(), 1);
  EXPECT_EQ(foo.files(0).name(), "baz");
  EXPECT_TRUE(foo.files(0).is_executable());
  // The digest is of the deterministic encoding.
  EXPECT_EQ(t->root, DigestOfMessage(root));
}

TEST(Merkle, NamesSortByBytes) {
  absl::StatusOr<MerkleTree> t = BuildMerkleTree({{"a", DigestOf("1"), false},
                                                  {"B", DigestOf("2"), false},
                                                  {"_", DigestOf("3"), false},
                                                  {"\xc3\xa9", DigestOf("4"), false}});
  ASSERT_TRUE(t.ok());
  reapi::Directory root = Parse(*t, t->root);
  ASSERT_EQ(root.files_size(), 4);
  EXPECT_EQ(root.files(0).name(), "B");
  EXPECT_EQ(root.files(1).name(), "_");
  EXPECT_EQ(root.files(2).name(), "a");
  EXPECT_EQ(root.files(3).name(), "\xc3\xa9");  // UTF-8 bytes sort after ASCII
}

TEST(Merkle, EveryPartOfAnEntryChangesTheRoot) {
  Digest base = BuildMerkleTree(Sample())->root;
  std::vector<FileEntry> content = Sample();
  content[0].digest = DigestOf("main2");
  std::vector<FileEntry> mode = Sample();
  mode[0].is_executable = true;
  std::vector<FileEntry> moved = Sample();
  moved[0].path = "src/app/main2.py";
  std::vector<FileEntry> extra = Sample();
  extra.push_back({"src/app/new.py", DigestOf(""), false});
  for (const auto& changed : {content, mode, moved, extra}) {
    EXPECT_NE(BuildMerkleTree(changed)->root, base);
  }
}

TEST(Merkle, ExactDuplicatesMergeConflictsFail) {
  std::vector<FileEntry> dup = Sample();
  dup.push_back(dup[0]);
  EXPECT_EQ(BuildMerkleTree(dup)->root, BuildMerkleTree(Sample())->root);

  std::vector<FileEntry> clash = Sample();
  clash.push_back({"src/app/main.py", DigestOf("other"), false});
  EXPECT_EQ(BuildMerkleTree(clash).status().message(),
            "input path 'src/app/main.py': listed twice with different content or mode");

  EXPECT_EQ(BuildMerkleTree({{"a", DigestOf("x"), false}, {"a/b", DigestOf("y"), false}})
                .status()
                .message(),
            "input path 'a/b': 'a' is both a file and a directory");
  EXPECT_EQ(BuildMerkleTree({{"a/b", DigestOf("y"), false}, {"a", DigestOf("x"), false}})
                .status()
                .message(),
            "input path 'a': is both a file and a directory");
}

TEST(Merkle, BadPathsAreRejected) {
  for (const char* bad : {"", "/abs", "a//b", "a/", "./a", "a/../b", ".."}) {
    absl::StatusOr<MerkleTree> t = BuildMerkleTree({{bad, DigestOf("x"), false}});
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(t.status().message(),
              std::string("input path '") + bad +
                  "': must be relative, with no empty, '.' or '..' segments");
  }
  EXPECT_EQ(BuildMerkleTree({{"a", Digest{"zz", 1}, false}}).status().message(),
            "input path 'a': invalid digest 'zz/1'");
}

class MerkleStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(internal::MakeDirs(dir_ / "cas").ok());
    ASSERT_TRUE(internal::MakeDirs(dir_ / "tmp").ok());
  }
  TempDir dir_;
  LocalCas cas_{dir_ / "cas", dir_ / "tmp"};
};

std::vector<FileEntry> SortedSample() {
  std::vector<FileEntry> files = Sample();
  std::sort(files.begin(), files.end(),
            [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  return files;
}

TEST_F(MerkleStoreTest, StoreThenListRoundTrips) {
  absl::StatusOr<MerkleTree> t = BuildMerkleTree(Sample());
  ASSERT_TRUE(t.ok());
  absl::StatusOr<Digest> root = StoreMerkleTree(*t, cas_);
  ASSERT_TRUE(root.ok());
  EXPECT_EQ(*root, t->root);
  absl::StatusOr<std::vector<FileEntry>> files = ListFiles(*root, cas_);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files, SortedSample());
}

TEST_F(MerkleStoreTest, MissingSubdirectoryIsNotFound) {
  absl::StatusOr<MerkleTree> t = BuildMerkleTree(Sample());
  ASSERT_TRUE(StoreMerkleTree(*t, cas_).ok());
  reapi::Directory root;
  ASSERT_TRUE(root.ParseFromString(t->directories.at(t->root)));
  Digest src = *FromProto(root.directories(1).digest());  // "src"
  ASSERT_EQ(::unlink(cas_.Path(src).c_str()), 0);
  absl::StatusOr<std::vector<FileEntry>> files = ListFiles(t->root, cas_);
  EXPECT_TRUE(absl::IsNotFound(files.status())) << files.status();
  EXPECT_EQ(files.status().message(),
            "directory " + src.ToString() + " is missing from the store or damaged");
}

TEST_F(MerkleStoreTest, HostileNamesInAStoredDirectoryAreRejected) {
  for (const char* name : {"..", ".", "a/b", ""}) {
    reapi::Directory dir;
    reapi::FileNode* f = dir.add_files();
    f->set_name(name);
    *f->mutable_digest() = ToProto(DigestOf("x"));
    Digest d = *cas_.Put(SerializeDeterministic(dir));
    absl::StatusOr<std::vector<FileEntry>> files = ListFiles(d, cas_);
    EXPECT_EQ(files.status().code(), absl::StatusCode::kInvalidArgument) << name;
    EXPECT_EQ(files.status().message(),
              std::string("directory '' has an invalid entry name '") + name + "'");
  }
}

TEST_F(MerkleStoreTest, MaterializeTreeRecreatesFilesAndModes) {
  std::vector<FileEntry> files;
  for (const auto& [path, content, exec] :
       std::vector<std::tuple<std::string, std::string, bool>>{
           {"src/app/main.py", "print('main')\n", false}, {"bin/run", "#!/bin/sh\n", true}}) {
    files.push_back({path, *cas_.Put(content), exec});
  }
  Digest root = *StoreMerkleTree(*BuildMerkleTree(files), cas_);
  ASSERT_TRUE(MaterializeTree(root, cas_, dir_ / "sandbox").ok());
  EXPECT_EQ(testing::ReadFileOrDie(dir_ / "sandbox/src/app/main.py"), "print('main')\n");
  EXPECT_EQ(testing::StatOrDie(dir_ / "sandbox/bin/run").st_mode & 07777, 0555u);
  EXPECT_EQ(testing::StatOrDie(dir_ / "sandbox/src/app/main.py").st_mode & 07777, 0444u);
}

TEST(Merkle, TreeMessageRoundTrips) {
  absl::StatusOr<MerkleTree> t = BuildMerkleTree(Sample());
  ASSERT_TRUE(t.ok());
  reapi::Tree tree = ToTreeMessage(*t);
  EXPECT_EQ(DigestOfMessage(tree.root()), t->root);
  EXPECT_EQ(tree.children_size(), static_cast<int>(t->directories.size()) - 1);
  for (int i = 1; i < tree.children_size(); ++i) {
    EXPECT_LT(DigestOfMessage(tree.children(i - 1)), DigestOfMessage(tree.children(i)));
  }
  absl::StatusOr<std::vector<FileEntry>> files = ListTreeFiles(tree);
  ASSERT_TRUE(files.ok()) << files.status();
  EXPECT_EQ(*files, SortedSample());
  // Same tree, same bytes: output directories of equal actions compare equal.
  EXPECT_EQ(SerializeDeterministic(tree), SerializeDeterministic(ToTreeMessage(*BuildMerkleTree(Sample()))));
}

}  // namespace
}  // namespace braid::store

namespace braid::store {
namespace {

// Random trees: nested directories, names that sort around '/' ("a", "a-b", "a.b", "a0",
// "ab"), executables, empty files (size 0 is omitted from the encoding), large sizes
// (multi-byte varints), duplicates, shuffled order.
std::vector<FileEntry> RandomTree(std::mt19937& rng) {
  const std::vector<std::string> names = {"a", "a-b", "a.b", "a0", "ab", "B", "z", "__init__.py"};
  std::vector<FileEntry> out;
  std::set<std::string> dirs;
  const int count = static_cast<int>(rng() % 40);
  for (int i = 0; i < count; ++i) {
    std::string path;
    const int depth = 1 + static_cast<int>(rng() % 4);
    for (int d = 0; d < depth; ++d) {
      if (!path.empty()) path += "/";
      path += names[rng() % names.size()];
      if (d + 1 < depth) dirs.insert(path);
    }
    Digest digest = DigestOf(std::to_string(rng() % 5));
    if (rng() % 3 == 0) digest.size_bytes = static_cast<int64_t>(rng()) * 4096;
    out.push_back({path, digest, rng() % 4 == 0});
  }
  // Drop files that are also directories (those are errors, tested elsewhere), then
  // duplicate a few exact entries.
  std::vector<FileEntry> ok;
  for (const FileEntry& f : out) {
    if (!dirs.count(f.path)) ok.push_back(f);
  }
  std::sort(ok.begin(), ok.end(), [](const FileEntry& a, const FileEntry& b) { return a.path < b.path; });
  ok.erase(std::unique(ok.begin(), ok.end(),
                       [](const FileEntry& a, const FileEntry& b) { return a.path == b.path; }),
           ok.end());
  for (size_t i = 0; i < ok.size(); i += 5) ok.push_back(ok[i]);
  std::shuffle(ok.begin(), ok.end(), rng);
  return ok;
}

TEST(Merkle, FastEncodingEqualsTheProtobufReference) {
  std::mt19937 rng(7);
  for (int round = 0; round < 300; ++round) {
    std::vector<FileEntry> files = RandomTree(rng);
    absl::StatusOr<MerkleTree> fast = BuildMerkleTree(files);
    absl::StatusOr<MerkleTree> reference = BuildMerkleTreeForTest(files);
    ASSERT_TRUE(fast.ok()) << fast.status();
    ASSERT_TRUE(reference.ok()) << reference.status();
    EXPECT_EQ(fast->root, reference->root);
    EXPECT_EQ(fast->directories, reference->directories);
    EXPECT_EQ(*MerkleRoot(files), reference->root);
    for (const auto& [digest, bytes] : fast->directories) {
      reapi::Directory dir;
      ASSERT_TRUE(dir.ParseFromString(bytes));
      EXPECT_EQ(SerializeDeterministic(dir), bytes);
    }
  }
}

TEST(Merkle, FastAndReferenceRejectTheSameInputsWithTheSameErrors) {
  const Digest x = DigestOf("x");
  const std::vector<std::vector<FileEntry>> bad = {
      {{"a", x, false}, {"a/b", x, false}},
      {{"a/b", x, false}, {"a", x, false}},
      {{"d/a", x, false}, {"d/a-b", x, false}, {"d/a/c", x, false}},
      {{"a", x, false}, {"a", x, true}},
      {{"a/b", x, false}, {"a/b", DigestOf("y"), false}},
      {{"a//b", x, false}},
      {{"a", Digest{"zz", 1}, false}},
      {{"ok", x, false}, {"../up", x, false}},
  };
  for (const std::vector<FileEntry>& files : bad) {
    absl::Status want = BuildMerkleTreeForTest(files).status();
    ASSERT_FALSE(want.ok());
    EXPECT_EQ(BuildMerkleTree(files).status(), want);
    EXPECT_EQ(MerkleRoot(files).status(), want);
  }
}

}  // namespace
}  // namespace braid::store
