#include "core/store/file_digest_cache.h"

#include "gtest/gtest.h"
#include "core/store/store_test_util.h"

namespace braid::store {
namespace {

using testing::SetAge;
using testing::TempDir;
using testing::WriteFile;

class FileDigestCacheTest : public ::testing::Test {
 protected:
  // Writes `bytes` and makes the file look last modified a minute ago, so the
  // entry is not "racy" (see the header).
  std::string OldFile(const std::string& name, const std::string& bytes) {
    std::string path = dir_ / name;
    WriteFile(path, bytes);
    SetAge(path, 60);
    return path;
  }
  TempDir dir_;
};

TEST_F(FileDigestCacheTest, UnchangedFileIsAStatHit) {
  FileDigestCache cache("");
  std::string f = OldFile("a.py", "print(1)\n");
  EXPECT_EQ(*cache.DigestOf(f), DigestOf("print(1)\n"));
  EXPECT_EQ(*cache.DigestOf(f), DigestOf("print(1)\n"));
  EXPECT_EQ(cache.stats().full_hashes, 1);
  EXPECT_EQ(cache.stats().stat_hits, 1);
  EXPECT_EQ(cache.stats().fingerprint_hits, 0);
}

TEST_F(FileDigestCacheTest, TouchedButSameContentIsAFingerprintHit) {
  FileDigestCache cache("");
  std::string f = OldFile("a.py", "print(1)\n");
  ASSERT_TRUE(cache.DigestOf(f).ok());
  SetAge(f, 30);  // a touch: new mtime, same bytes
  EXPECT_EQ(*cache.DigestOf(f), DigestOf("print(1)\n"));
  EXPECT_EQ(cache.stats().fingerprint_hits, 1);
  EXPECT_EQ(cache.stats().full_hashes, 1);
  EXPECT_EQ(*cache.DigestOf(f), DigestOf("print(1)\n"));
  EXPECT_EQ(cache.stats().stat_hits, 1) << "the new stat was recorded";
}

TEST_F(FileDigestCacheTest, SameSizeNewContentIsRehashed) {
  FileDigestCache cache("");
  std::string f = OldFile("a.py", "print(1)\n");
  ASSERT_TRUE(cache.DigestOf(f).ok());
  OldFile("a.py", "print(2)\n");
  EXPECT_EQ(*cache.DigestOf(f), DigestOf("print(2)\n"));
  EXPECT_EQ(cache.stats().full_hashes, 2);
}

TEST_F(FileDigestCacheTest, NewSizeIsRehashedWithoutAFingerprintPass) {
  FileDigestCache cache("");
  std::string f = OldFile("a.py", "print(1)\n");
  ASSERT_TRUE(cache.DigestOf(f).ok());
  OldFile("a.py", "print(10)\n");
  EXPECT_EQ(*cache.DigestOf(f), DigestOf("print(10)\n"));
  EXPECT_EQ(cache.stats().full_hashes, 2);
  EXPECT_EQ(cache.stats().fingerprint_hits, 0);
}

TEST_F(FileDigestCacheTest, RecentlyModifiedFileIsAlwaysReverified) {
  FileDigestCache cache("");
  std::string f = dir_ / "fresh.py";
  WriteFile(f, "x = 1\n");  // mtime = now: a same-tick write would not change the stat
  ASSERT_TRUE(cache.DigestOf(f).ok());
  ASSERT_TRUE(cache.DigestOf(f).ok());
  EXPECT_EQ(cache.stats().stat_hits, 0);
  EXPECT_EQ(cache.stats().fingerprint_hits, 1);
}

TEST_F(FileDigestCacheTest, SaveAndLoadRoundTrip) {
  std::string persist = dir_ / "store/file-digests";
  std::string odd = OldFile("we\tird\nname.py", "odd\n");
  std::string plain = OldFile("plain.py", "plain\n");
  {
    FileDigestCache cache(persist);
    ASSERT_TRUE(cache.Load().ok());
    ASSERT_TRUE(cache.DigestOf(odd).ok());
    ASSERT_TRUE(cache.DigestOf(plain).ok());
    ASSERT_TRUE(cache.Save().ok());
  }
  FileDigestCache cache(persist);
  ASSERT_TRUE(cache.Load().ok());
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(*cache.DigestOf(odd), DigestOf("odd\n"));
  EXPECT_EQ(*cache.DigestOf(plain), DigestOf("plain\n"));
  EXPECT_EQ(cache.stats().stat_hits, 2);
  EXPECT_EQ(cache.stats().full_hashes, 0);
  std::string text = testing::ReadFileOrDie(persist);
  EXPECT_EQ(text.substr(0, 21), "braid-file-digests 1\n");
  EXPECT_NE(text.find("we\\tird\\nname.py\t"), std::string::npos) << text;
}

TEST_F(FileDigestCacheTest, DamagedOrForeignFileIsIgnored) {
  std::string persist = dir_ / "file-digests";
  WriteFile(persist, "braid-file-digests 1\nnot\ta\tvalid\tline\n/x\t1\t2\t3\t4\t5\t0\tzz\tyy\n");
  FileDigestCache cache(persist);
  ASSERT_TRUE(cache.Load().ok());
  EXPECT_EQ(cache.size(), 0u);
  WriteFile(persist, "something else entirely");
  ASSERT_TRUE(cache.Load().ok());
  EXPECT_EQ(cache.size(), 0u);
}

TEST_F(FileDigestCacheTest, MissingFileAndDirectoryAreErrors) {
  FileDigestCache cache("");
  EXPECT_TRUE(absl::IsNotFound(cache.DigestOf(dir_ / "nope.py").status()));
  absl::Status dir = cache.DigestOf(dir_.path()).status();
  EXPECT_EQ(dir.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(dir.message(), dir_.path() + ": not a regular file");
}


TEST_F(FileDigestCacheTest, AnswerOnceGivesEachPathsFirstAnswer) {
  FileDigestCache cache("");
  cache.set_answer_once(true);
  std::string p = OldFile("a.txt", "one");
  Digest first = cache.DigestOf(p).value();
  OldFile("a.txt", "two, longer");  // changes size, so a fresh lookup would see it
  EXPECT_EQ(cache.DigestOf(p).value(), first);
  EXPECT_EQ(cache.stats().repeats, 1);
  FileDigestCache next_run("");
  EXPECT_EQ(next_run.DigestOf(p).value(), DigestOf("two, longer"));
}

}  // namespace
}  // namespace braid::store
