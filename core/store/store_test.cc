#include "core/store/store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "core/options/options_test_util.h"
#include "core/store/store_options.h"
#include "core/store/store_test_util.h"

namespace braid::store {
namespace {

using testing::Exists;
using testing::FilesIn;
using testing::ReadFileOrDie;
using testing::SetAge;
using testing::TempDir;
using testing::WriteFile;

std::unique_ptr<Store> OpenOrDie(const std::string& dir) {
  absl::StatusOr<std::unique_ptr<Store>> s = Store::Open(dir);
  EXPECT_TRUE(s.ok()) << s.status();
  return s.ok() ? std::move(*s) : nullptr;
}

TEST(Store, OpenCreatesTheVersionedLayout) {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir / "cache");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->root(), dir / "cache/v1");
  EXPECT_EQ(FilesIn(dir / "cache/v1"), (std::vector<std::string>{"VERSION", "ac", "cas", "tmp"}));
  EXPECT_EQ(ReadFileOrDie(dir / "cache/v1/VERSION"), "braid-store 1\n");
  EXPECT_EQ(store->file_digest_cache_path(), dir / "cache/v1/file-digests");
  EXPECT_NE(OpenOrDie(dir / "cache"), nullptr) << "reopening is fine";
}

TEST(Store, ForeignVersionIsAnEnvironmentError) {
  TempDir dir;
  WriteFile(dir / "v1/VERSION", "something-else 9\n");
  absl::StatusOr<std::unique_ptr<Store>> s = Store::Open(dir.path());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.status().message(),
            dir / "v1/VERSION" +
                ": unexpected store version 'something-else 9\\n'\n"
                "  hint: another program may be using this directory; point [GLOBAL] "
                "local_store_dir elsewhere or remove it");
}

TEST(Store, RelativeDirectoryIsRejected) {
  EXPECT_EQ(Store::Open("relative/dir").status().message(),
            "the store directory must be an absolute path, got 'relative/dir'");
}

TEST(Store, PartsShareTheLayout) {
  TempDir dir;
  std::unique_ptr<Store> store = OpenOrDie(dir.path());
  Digest d = *store->cas().Put("blob");
  EXPECT_TRUE(Exists(dir / ("v1/cas/" + d.hash.substr(0, 2) + "/" + d.hash + "-4")));
  reapi::ActionResult r;
  *r.mutable_stdout_digest() = ToProto(d);
  Digest action = DigestOf("action");
  ASSERT_TRUE(store->action_cache().Put(action, r).ok());
  EXPECT_TRUE(Exists(dir / ("v1/ac/" + action.hash.substr(0, 2) + "/" + action.hash + "-6")));
  EXPECT_TRUE(store->action_cache().Get(action).has_value());
}

class GcTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = OpenOrDie(dir_.path()); }
  // A 100-byte blob last used `age` seconds ago.
  Digest Blob(char c, int64_t age) {
    Digest d = *store_->cas().Put(std::string(100, c));
    SetAge(store_->cas().Path(d), age);
    return d;
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(GcTest, EvictsLeastRecentlyUsedFirst) {
  Digest a = Blob('a', 3000);
  Digest b = Blob('b', 2000);
  Digest c = Blob('c', 1000);
  ASSERT_TRUE(store_->cas().Get(a).has_value());  // a is now the most recently used
  absl::StatusOr<GcStats> gc = store_->Gc(GcOptions{250});
  ASSERT_TRUE(gc.ok()) << gc.status();
  EXPECT_TRUE(gc->ran);
  EXPECT_EQ(gc->bytes_before, 300);
  EXPECT_EQ(gc->bytes_after, 200);
  EXPECT_EQ(gc->entries_removed, 1);
  EXPECT_TRUE(store_->cas().Has(a));
  EXPECT_FALSE(store_->cas().Has(b));
  EXPECT_TRUE(store_->cas().Has(c));
  gc = store_->Gc(GcOptions{100});
  EXPECT_EQ(gc->entries_removed, 1);
  EXPECT_TRUE(store_->cas().Has(a));
  EXPECT_FALSE(store_->cas().Has(c));
}

TEST_F(GcTest, CapIsRespectedAndUnderCapIsUntouched) {
  for (int i = 0; i < 20; ++i) Blob(static_cast<char>('A' + i), 5000 - i);
  absl::StatusOr<GcStats> gc = store_->Gc(GcOptions{5000});
  ASSERT_TRUE(gc.ok());
  EXPECT_EQ(gc->entries_removed, 0);
  EXPECT_EQ(*store_->SizeBytes(), 2000);
  gc = store_->Gc(GcOptions{1000, 500});
  EXPECT_EQ(gc->bytes_after, 500);
  EXPECT_EQ(gc->entries_removed, 15);
  EXPECT_EQ(*store_->SizeBytes(), 500);
  // The five newest survive.
  for (int i = 15; i < 20; ++i) {
    EXPECT_TRUE(store_->cas().Has(DigestOf(std::string(100, static_cast<char>('A' + i))))) << i;
  }
}

TEST_F(GcTest, SecondGcWaitsForNobodyWhileTheLockIsHeld) {
  Blob('a', 100);
  int fd = ::open((dir_ / "v1/gc.lock").c_str(), O_RDWR | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);  // another process's GC, in effect
  absl::StatusOr<GcStats> gc = store_->Gc(GcOptions{0});
  ASSERT_TRUE(gc.ok());
  EXPECT_FALSE(gc->ran);
  EXPECT_EQ(*store_->SizeBytes(), 100);
  ::close(fd);
  gc = store_->Gc(GcOptions{0});
  EXPECT_TRUE(gc->ran);
  EXPECT_EQ(*store_->SizeBytes(), 0);
}

TEST_F(GcTest, RemovesOnlyStaleTempFiles) {
  WriteFile(dir_ / "v1/tmp/put.1.0.a.tmp", "crashed writer");
  SetAge(dir_ / "v1/tmp/put.1.0.a.tmp", 2 * 3600);
  WriteFile(dir_ / "v1/tmp/put.2.0.b.tmp", "in flight");
  absl::StatusOr<GcStats> gc = store_->Gc(GcOptions{1 << 20});
  ASSERT_TRUE(gc.ok());
  EXPECT_EQ(gc->temp_files_removed, 1);
  EXPECT_EQ(FilesIn(dir_ / "v1/tmp"), (std::vector<std::string>{"put.2.0.b.tmp"}));
}

TEST_F(GcTest, EvictingABlobTurnsItsActionResultIntoAMiss) {
  Digest out = Blob('o', 5000);
  reapi::ActionResult r;
  *r.mutable_stdout_digest() = ToProto(out);
  Digest action = DigestOf("test action");
  ASSERT_TRUE(store_->action_cache().Put(action, r).ok());
  // Entry is fresh, the blob old: the cap only fits the entry.
  absl::StatusOr<GcStats> gc = store_->Gc(GcOptions{*store_->SizeBytes() - 100});
  ASSERT_TRUE(gc.ok());
  EXPECT_EQ(gc->entries_removed, 1);
  std::string why;
  EXPECT_EQ(store_->action_cache().Get(action, &why), std::nullopt);
  EXPECT_EQ(why, "missing or damaged blob " + out.ToString() + " (stdout)");
}

TEST_F(GcTest, AutomaticGcRunsAtMostHourlyAndPrunesTo80Percent) {
  for (int i = 0; i < 10; ++i) Blob(static_cast<char>('a' + i), 1000 - i);
  absl::StatusOr<std::optional<GcStats>> first = store_->MaybeGc(900);
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->has_value());
  EXPECT_EQ((*first)->bytes_after, 700);
  absl::StatusOr<std::optional<GcStats>> second = store_->MaybeGc(100);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(second->has_value()) << "throttled by gc.stamp";
  SetAge(dir_ / "v1/gc.stamp", 2 * 3600);
  absl::StatusOr<std::optional<GcStats>> third = store_->MaybeGc(100);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->bytes_after, 0);
}

TEST_F(GcTest, NegativeCapIsRejected) {
  EXPECT_EQ(store_->Gc(GcOptions{-1}).status().message(),
            "GC size cap must not be negative, got -1");
}

TEST(DefaultStoreDir, PrefersXdgCacheHomeThenHome) {
  EXPECT_EQ(*DefaultStoreDir({{"XDG_CACHE_HOME", "/xdg"}, {"HOME", "/home/u"}}), "/xdg/braid");
  EXPECT_EQ(*DefaultStoreDir({{"XDG_CACHE_HOME", "relative"}, {"HOME", "/home/u"}}),
            "/home/u/.cache/braid");
  EXPECT_EQ(*DefaultStoreDir({{"XDG_CACHE_HOME", ""}, {"HOME", "/home/u"}}),
            "/home/u/.cache/braid");
  absl::StatusOr<std::string> none = DefaultStoreDir({});
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(none.status().message(),
            "cannot find a directory for braid's cache\n"
            "  hint: set XDG_CACHE_HOME or HOME, or [GLOBAL] local_store_dir");
}

class StoreOptionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(RegisterStoreOptions(fx_.registry).ok());
    fx_.env["HOME"] = "/home/u";
  }
  absl::StatusOr<StoreSettings> Settings(std::vector<std::string> args) {
    absl::StatusOr<options::Options> opts = fx_.Parse(std::move(args));
    EXPECT_TRUE(opts.ok()) << opts.status();
    if (!opts.ok()) return opts.status();
    return StoreSettingsFromOptions(*opts, fx_.env, "/repo");
  }
  options::options_testing::Fixture fx_;
};

TEST_F(StoreOptionsTest, DefaultsAreBraidsOwnCacheDirAnd16GB) {
  absl::StatusOr<StoreSettings> s = Settings({"lint"});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->dir, "/home/u/.cache/braid");
  EXPECT_EQ(s->max_bytes, 16'000'000'000);
  fx_.env["XDG_CACHE_HOME"] = "/xdg";
  EXPECT_EQ(Settings({"lint"})->dir, "/xdg/braid");
}

TEST_F(StoreOptionsTest, ExplicitValuesWin) {
  fx_.Write("pants.toml", "[GLOBAL]\nlocal_store_dir = \"~/stores/braid\"\nlocal_store_max_size = 1000000\n");
  absl::StatusOr<StoreSettings> s = Settings({"lint"});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->dir, "/home/u/stores/braid");
  EXPECT_EQ(s->max_bytes, 1000000);
  EXPECT_EQ(Settings({"--local-store-dir=.cache/store", "lint"})->dir, "/repo/.cache/store");
}

TEST_F(StoreOptionsTest, NonPositiveCapIsAUserError) {
  absl::StatusOr<StoreSettings> s = Settings({"--local-store-max-size=0", "lint"});
  EXPECT_EQ(s.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.status().message(),
            "invalid value for [GLOBAL] local_store_max_size (from flag --local-store-max-size): "
            "must be a positive number of bytes, got 0");
}

}  // namespace
}  // namespace braid::store
