#include "rules/python/infer/scan_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <string>

#include "gtest/gtest.h"

namespace braid::python {
namespace {

class ScanCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/braid-scan-cache-XXXXXX";
    root_ = ::mkdtemp(tmpl);
    cache_path_ = root_ + "/cache/v1/infer/imports";
  }
  void TearDown() override { EXPECT_EQ(std::system(("rm -rf " + root_).c_str()), 0); }

  // Writes `text` to root-relative `path` with an mtime in the past (not racy).
  void Write(const std::string& path, const std::string& text, time_t age = 100) {
    std::ofstream(root_ + "/" + path, std::ios::binary) << text;
    struct timespec times[2];
    ::clock_gettime(CLOCK_REALTIME, &times[0]);
    times[0].tv_sec -= age;
    times[1] = times[0];
    ::utimensat(AT_FDCWD, (root_ + "/" + path).c_str(), times, 0);
  }
  // A scan function that records how often it ran.
  ImportScanCache::ScanFn Scanner() {
    return [this](absl::string_view content) {
      ++scans_;
      FileScan s;
      s.imports = ScanImports(content).imports;
      s.infer_deps.push_back(InferDepPragma{"//:x", 4});
      s.assets.push_back(AssetString{"a/b.json", 5});
      s.blank = content.size() > 20;  // any value that survives the round trip
      return s;
    };
  }

  std::string root_;
  std::string cache_path_;
  int scans_ = 0;
};

TEST_F(ScanCacheTest, RepeatRunReadsNothingUnchanged) {
  Write("a.py", "import os\nfrom . import x\n");
  Write("b.py", "import json\n");
  {
    ImportScanCache cache(cache_path_, 7);
    cache.Load();
    const FileScan* a = cache.Get(root_, "a.py", Scanner()).value();
    ASSERT_EQ(a->imports.size(), 2u);
    EXPECT_EQ(a->imports[0].module, "os");
    EXPECT_EQ(a->imports[1].Key(), ".x");
    ASSERT_TRUE(cache.Get(root_, "b.py", Scanner()).ok());
    EXPECT_EQ(cache.stats().scans, 2);
    ASSERT_TRUE(cache.Save().ok());
  }
  ImportScanCache again(cache_path_, 7);
  again.Load();
  const FileScan* a = again.Get(root_, "a.py", Scanner()).value();
  EXPECT_EQ(again.stats().stat_hits, 1);
  EXPECT_EQ(scans_, 2);
  FileScan want;
  want.imports = ScanImports("import os\nfrom . import x\n").imports;
  want.infer_deps.push_back(InferDepPragma{"//:x", 4});
  want.assets.push_back(AssetString{"a/b.json", 5});
  want.blank = true;
  EXPECT_EQ(*a, want);
}

TEST_F(ScanCacheTest, ChangedFileIsRescannedAndSameBytesAreFoundByContent) {
  Write("a.py", "import os\n");
  ImportScanCache cache(cache_path_, 7);
  ASSERT_TRUE(cache.Get(root_, "a.py", Scanner()).ok());
  Write("c.py", "import os\n");  // same bytes, another file
  ASSERT_TRUE(cache.Get(root_, "c.py", Scanner()).ok());
  EXPECT_EQ(cache.stats().content_hits, 1);
  Write("a.py", "import sys\n", 50);
  const FileScan* a = cache.Get(root_, "a.py", Scanner()).value();
  EXPECT_EQ(a->imports[0].module, "sys");
  EXPECT_EQ(scans_, 2);
}

TEST_F(ScanCacheTest, RacyEntriesAreCheckedByContent) {
  Write("a.py", "import os\n", 0);  // modified just now
  ImportScanCache cache(cache_path_, 7);
  ASSERT_TRUE(cache.Get(root_, "a.py", Scanner()).ok());
  ASSERT_TRUE(cache.Get(root_, "a.py", Scanner()).ok());
  EXPECT_EQ(cache.stats().stat_hits, 0);
  EXPECT_EQ(cache.stats().content_hits, 1);
}

TEST_F(ScanCacheTest, CorruptOrForeignFilesAreMisses) {
  Write("a.py", "import os\n");
  {
    ImportScanCache cache(cache_path_, 7);
    ASSERT_TRUE(cache.Get(root_, "a.py", Scanner()).ok());
    ASSERT_TRUE(cache.Save().ok());
  }
  // Another scanner configuration: everything is a miss.
  ImportScanCache other(cache_path_, 8);
  other.Load();
  ASSERT_TRUE(other.Get(root_, "a.py", Scanner()).ok());
  EXPECT_EQ(other.stats().scans, 1);
  // Flip one byte in the middle: the checksum fails, the file is ignored.
  std::string bytes;
  {
    std::ifstream in(cache_path_, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  ASSERT_GT(bytes.size(), 40u);
  bytes[bytes.size() / 2] ^= 0x5a;
  std::ofstream(cache_path_, std::ios::binary) << bytes;
  ImportScanCache corrupt(cache_path_, 7);
  corrupt.Load();
  ASSERT_TRUE(corrupt.Get(root_, "a.py", Scanner()).ok());
  EXPECT_EQ(corrupt.stats().scans, 1);
  // Truncated and garbage files too.
  std::ofstream(cache_path_, std::ios::binary) << bytes.substr(0, 17);
  ImportScanCache truncated(cache_path_, 7);
  truncated.Load();
  ASSERT_TRUE(truncated.Get(root_, "a.py", Scanner()).ok());
  EXPECT_EQ(truncated.stats().scans, 1);
}

TEST_F(ScanCacheTest, SaveKeepsOnlyFilesTheCallerKeepsAndWritesNothingWhenClean) {
  Write("a.py", "import os\n");
  Write("b.py", "import re\n");
  {
    ImportScanCache cache(cache_path_, 7);
    ASSERT_TRUE(cache.Get(root_, "a.py", Scanner()).ok());
    ASSERT_TRUE(cache.Get(root_, "b.py", Scanner()).ok());
    ASSERT_TRUE(cache.Save([](absl::string_view p) { return p == "a.py"; }).ok());
  }
  struct stat before;
  ASSERT_EQ(::stat(cache_path_.c_str(), &before), 0);
  ImportScanCache again(cache_path_, 7);
  again.Load();
  ASSERT_TRUE(again.Get(root_, "a.py", Scanner()).ok());
  ASSERT_TRUE(again.Save().ok());  // nothing changed: not rewritten
  struct stat after;
  ASSERT_EQ(::stat(cache_path_.c_str(), &after), 0);
  EXPECT_EQ(before.st_ino, after.st_ino);
  ASSERT_TRUE(again.Get(root_, "b.py", Scanner()).ok());
  EXPECT_EQ(again.stats().stat_hits, 1);
  EXPECT_EQ(again.stats().scans, 1);  // b.py was dropped by the first Save
}

TEST_F(ScanCacheTest, MissingFileIsAnError) {
  ImportScanCache cache("", 7);
  absl::StatusOr<const FileScan*> s = cache.Get(root_, "nope.py", Scanner());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("nope.py: cannot stat"), std::string::npos);
}

// GetMany must leave the cache, the stats and the answers exactly as Get on
// each path in turn would, whatever the threads did.
TEST_F(ScanCacheTest, GetManyMatchesSerialGets) {
  std::vector<std::string> paths;
  for (int i = 0; i < 300; ++i) {
    std::string path = "m" + std::to_string(i) + ".py";
    // Every third file has the same bytes as another: found by content.
    Write(path, "import mod" + std::to_string(i % 200) + "\n");
    paths.push_back(path);
  }
  paths.push_back("missing.py");
  std::atomic<int> parallel_scans{0};
  auto scanner = [&](absl::string_view content) {
    parallel_scans.fetch_add(1);
    FileScan s;
    s.imports = ScanImports(content).imports;
    return s;
  };
  ImportScanCache serial("", 1);
  ImportScanCache parallel("", 1);
  std::vector<absl::StatusOr<const FileScan*>> many =
      parallel.GetMany(root_, paths, scanner, 2);
  ASSERT_EQ(many.size(), paths.size());
  for (size_t i = 0; i < paths.size(); ++i) {
    absl::StatusOr<const FileScan*> one = serial.Get(root_, paths[i], scanner);
    ASSERT_EQ(one.ok(), many[i].ok()) << paths[i];
    if (!one.ok()) {
      EXPECT_EQ(one.status(), many[i].status());
      continue;
    }
    EXPECT_EQ(**one, **many[i]) << paths[i];
  }
  EXPECT_FALSE(many.back().ok());
  EXPECT_NE(many.back().status().message().find("missing.py: cannot stat"), std::string::npos);
  // 200 distinct contents among 300 files.
  EXPECT_EQ(serial.stats().scans, 200);
  EXPECT_EQ(parallel.stats().scans, 200);
  EXPECT_EQ(parallel.stats().content_hits, 100);
  // A repeat batch is answered from the stats alone.
  std::vector<absl::StatusOr<const FileScan*>> again =
      parallel.GetMany(root_, paths, scanner, 2);
  EXPECT_EQ(parallel.stats().stat_hits, 300);
  for (size_t i = 0; i + 1 < paths.size(); ++i) EXPECT_EQ(*again[i], *many[i]);
}

}  // namespace
}  // namespace braid::python
