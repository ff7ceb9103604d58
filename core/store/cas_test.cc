#include "core/store/cas.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "core/store/internal/file_ops.h"
#include "core/store/store_test_util.h"

namespace braid::store {
namespace {

using testing::Exists;
using testing::FilesIn;
using testing::FlipByte;
using testing::ReadFileOrDie;
using testing::StatOrDie;
using testing::TempDir;
using testing::WriteFile;

class CasTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(internal::MakeDirs(dir_ / "cas").ok());
    ASSERT_TRUE(internal::MakeDirs(dir_ / "tmp").ok());
  }
  LocalCas MakeCas(std::optional<bool> hardlinks = std::nullopt) {
    return LocalCas(dir_ / "cas", dir_ / "tmp", CasOptions{hardlinks});
  }
  TempDir dir_;
};

TEST_F(CasTest, PutThenGetRoundTrips) {
  LocalCas cas = MakeCas();
  absl::StatusOr<Digest> d = cas.Put("hello");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, DigestOf("hello"));
  EXPECT_TRUE(cas.Has(*d));
  EXPECT_EQ(cas.Get(*d), std::optional<std::string>("hello"));
  // Layout: <root>/<first two hex digits>/<hash>-<size>, read-only.
  EXPECT_EQ(cas.Path(*d), dir_ / ("cas/2c/" + d->hash + "-5"));
  EXPECT_EQ(StatOrDie(cas.Path(*d)).st_mode & 07777, 0444u);
  EXPECT_TRUE(FilesIn(dir_ / "tmp").empty());
}

TEST_F(CasTest, EmptyBlobRoundTrips) {
  LocalCas cas = MakeCas();
  absl::StatusOr<Digest> d = cas.Put("");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d, EmptyDigest());
  EXPECT_EQ(cas.Get(*d), std::optional<std::string>(""));
}

TEST_F(CasTest, MissingBlobIsAMiss) {
  LocalCas cas = MakeCas();
  Digest d = DigestOf("never stored");
  EXPECT_FALSE(cas.Has(d));
  EXPECT_EQ(cas.Get(d), std::nullopt);
  EXPECT_FALSE(cas.Verify(d));
}

TEST_F(CasTest, FlippedByteIsDetectedRemovedAndRepairedByPut) {
  LocalCas cas = MakeCas();
  Digest d = *cas.Put("important bytes");
  FlipByte(cas.Path(d), 3);
  EXPECT_TRUE(cas.Has(d)) << "Has() only checks the size";
  EXPECT_EQ(cas.Get(d), std::nullopt);
  EXPECT_FALSE(Exists(cas.Path(d))) << "a damaged entry is removed";
  ASSERT_TRUE(cas.Put("important bytes").ok());
  EXPECT_EQ(cas.Get(d), std::optional<std::string>("important bytes"));
}

TEST_F(CasTest, PutReplacesADamagedCopyOfTheSameSize) {
  LocalCas cas = MakeCas();
  Digest d = *cas.Put("important bytes");
  FlipByte(cas.Path(d), 0);
  ASSERT_TRUE(cas.Put("important bytes").ok());  // no Get in between
  EXPECT_EQ(ReadFileOrDie(cas.Path(d)), "important bytes");
  EXPECT_TRUE(cas.Verify(d));
}

TEST_F(CasTest, VerifyDetectsDamage) {
  LocalCas cas = MakeCas();
  Digest d = *cas.Put("verify me");
  EXPECT_TRUE(cas.Verify(d));
  FlipByte(cas.Path(d), 8);
  EXPECT_FALSE(cas.Verify(d));
  EXPECT_FALSE(Exists(cas.Path(d)));
}

TEST_F(CasTest, TruncatedFileAtFinalPathIsAMiss) {
  LocalCas cas = MakeCas();
  Digest d = *cas.Put("0123456789");
  ::chmod(cas.Path(d).c_str(), 0644);
  ASSERT_EQ(::truncate(cas.Path(d).c_str(), 4), 0);
  EXPECT_FALSE(cas.Has(d));
  EXPECT_EQ(cas.Get(d), std::nullopt);
  ASSERT_TRUE(cas.Put("0123456789").ok());
  EXPECT_EQ(cas.Get(d), std::optional<std::string>("0123456789"));
}

TEST_F(CasTest, LeftoverTempFileIsNotAnEntry) {
  LocalCas cas = MakeCas();
  Digest d = DigestOf("complete content");
  // A crashed writer's partial temp file: written, never renamed.
  WriteFile(dir_ / "tmp/put.123.0.abc.tmp", "complete");
  EXPECT_FALSE(cas.Has(d));
  EXPECT_EQ(cas.Get(d), std::nullopt);
  ASSERT_TRUE(cas.Put("complete content").ok());
  EXPECT_EQ(cas.Get(d), std::optional<std::string>("complete content"));
}

TEST_F(CasTest, KillDashNineMidPutFileLeavesNoEntry) {
  // The child runs the real PutFile on a FIFO; the parent feeds it part of the
  // content, waits until the bytes reach the temp file, then SIGKILLs it while
  // it is blocked mid-copy.
  const std::string content(200000, 'k');
  const std::string fifo = dir_ / "source.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    LocalCas cas = MakeCas();
    (void)cas.PutFile(fifo);
    ::_exit(0);
  }
  int writer = ::open(fifo.c_str(), O_WRONLY);
  ASSERT_GE(writer, 0);
  const size_t half = content.size() / 2;
  ASSERT_EQ(::write(writer, content.data(), half), static_cast<ssize_t>(half));
  bool partial_on_disk = false;
  for (int i = 0; i < 2000 && !partial_on_disk; ++i) {  // up to 2 s
    std::vector<std::string> tmp = FilesIn(dir_ / "tmp");
    partial_on_disk = tmp.size() == 1 && StatOrDie(dir_ / ("tmp/" + tmp[0])).st_size ==
                                             static_cast<off_t>(half);
    if (!partial_on_disk) ::usleep(1000);
  }
  ASSERT_TRUE(partial_on_disk);
  ASSERT_EQ(::kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ::close(writer);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

  LocalCas cas = MakeCas();
  for (const Digest& d : {DigestOf(content), DigestOf(content.substr(0, half))}) {
    EXPECT_FALSE(Exists(cas.Path(d)));
    EXPECT_EQ(cas.Get(d), std::nullopt);
  }
  EXPECT_TRUE(FilesIn(dir_ / "cas").empty()) << "nothing reached the final layout";
  EXPECT_EQ(FilesIn(dir_ / "tmp").size(), 1u) << "the torn temp file stays for GC";
}

TEST_F(CasTest, PutFileStreamsAndMatchesPut) {
  LocalCas cas = MakeCas();
  std::string content;
  for (int i = 0; i < 300000; ++i) content.push_back(static_cast<char>('a' + i % 26));
  WriteFile(dir_ / "src/big.txt", content);
  absl::StatusOr<Digest> d = cas.PutFile(dir_ / "src/big.txt");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(*d, DigestOf(content));
  EXPECT_EQ(cas.Get(*d), std::optional<std::string>(content));
  EXPECT_EQ(StatOrDie(cas.Path(*d)).st_mode & 07777, 0444u);
  EXPECT_TRUE(FilesIn(dir_ / "tmp").empty());
}

TEST_F(CasTest, PutFileOfMissingSourceIsNotFound) {
  LocalCas cas = MakeCas();
  absl::StatusOr<Digest> d = cas.PutFile(dir_ / "missing.py");
  EXPECT_TRUE(absl::IsNotFound(d.status())) << d.status();
  EXPECT_TRUE(FilesIn(dir_ / "tmp").empty());
}

TEST_F(CasTest, InvalidDigestNeverBecomesAPath) {
  LocalCas cas = MakeCas();
  Digest hostile{"../../../../etc/passwd", 10};
  EXPECT_EQ(cas.Path(hostile), "");
  EXPECT_FALSE(cas.Has(hostile));
  EXPECT_EQ(cas.Get(hostile), std::nullopt);
  absl::Status s = cas.MaterializeFile(hostile, dir_ / "out", false);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "invalid digest '../../../../etc/passwd/10'");
}

TEST_F(CasTest, DefaultHardlinkPolicyFollowsEffectiveUid) {
  EXPECT_EQ(MakeCas().hardlinks_allowed(), ::geteuid() != 0);
}

TEST_F(CasTest, MaterializeHardlinksReadOnlyFileWhenAllowed) {
  LocalCas cas = MakeCas(true);
  Digest d = *cas.Put("import os\n");
  ASSERT_TRUE(cas.MaterializeFile(d, dir_ / "sandbox/src/app.py", false).ok());
  struct stat dest = StatOrDie(dir_ / "sandbox/src/app.py");
  EXPECT_EQ(dest.st_ino, StatOrDie(cas.Path(d)).st_ino);
  EXPECT_EQ(dest.st_mode & 07777, 0444u);
  EXPECT_EQ(ReadFileOrDie(dir_ / "sandbox/src/app.py"), "import os\n");
}

TEST_F(CasTest, MaterializeExecutableLinksTheExecutableTwin) {
  LocalCas cas = MakeCas(true);
  Digest d = *cas.Put("#!/bin/sh\necho hi\n");
  ASSERT_TRUE(cas.MaterializeFile(d, dir_ / "sandbox/run.sh", true).ok());
  struct stat dest = StatOrDie(dir_ / "sandbox/run.sh");
  EXPECT_EQ(dest.st_mode & 07777, 0555u);
  EXPECT_EQ(dest.st_ino, StatOrDie(cas.Path(d) + ".x").st_ino);
  EXPECT_NE(dest.st_ino, StatOrDie(cas.Path(d)).st_ino);
  EXPECT_EQ(StatOrDie(cas.Path(d)).st_mode & 07777, 0444u) << "the plain blob keeps its mode";
}

TEST_F(CasTest, MaterializeCopiesWhenHardlinksAreNotAllowed) {
  LocalCas cas = MakeCas(false);
  Digest d = *cas.Put("data");
  ASSERT_TRUE(cas.MaterializeFile(d, dir_ / "sandbox/a", false).ok());
  ASSERT_TRUE(cas.MaterializeFile(d, dir_ / "sandbox/b", true).ok());
  EXPECT_NE(StatOrDie(dir_ / "sandbox/a").st_ino, StatOrDie(cas.Path(d)).st_ino);
  EXPECT_EQ(StatOrDie(dir_ / "sandbox/a").st_mode & 07777, 0444u);
  EXPECT_EQ(StatOrDie(dir_ / "sandbox/b").st_mode & 07777, 0555u);
  EXPECT_EQ(ReadFileOrDie(dir_ / "sandbox/a"), "data");
  EXPECT_EQ(ReadFileOrDie(dir_ / "sandbox/b"), "data");
  EXPECT_FALSE(Exists(cas.Path(d) + ".x")) << "copies need no twin";
}

TEST_F(CasTest, MaterializeOfDamagedBlobFailsAndCreatesNothing) {
  for (bool hardlinks : {false, true}) {
    LocalCas cas = MakeCas(hardlinks);
    Digest d = *cas.Put("payload");
    FlipByte(cas.Path(d), 1);
    std::string dest = dir_ / absl::StrCat("sandbox", hardlinks, "/f");
    absl::Status s = cas.MaterializeFile(d, dest, false);
    EXPECT_TRUE(absl::IsNotFound(s)) << s;
    EXPECT_FALSE(Exists(dest));
    EXPECT_FALSE(Exists(cas.Path(d)));
  }
}

TEST_F(CasTest, MaterializeOfMissingBlobIsNotFound) {
  LocalCas cas = MakeCas(false);
  absl::Status s = cas.MaterializeFile(DigestOf("absent"), dir_ / "sandbox/x", false);
  EXPECT_TRUE(absl::IsNotFound(s)) << s;
  EXPECT_FALSE(Exists(dir_ / "sandbox/x"));
}

TEST_F(CasTest, ConcurrentWritersInSeparateProcesses) {
  constexpr int kProcs = 4;
  constexpr int kShared = 16;
  constexpr int kOwn = kShared;  // each child writes one own blob per shared one
  auto shared = [](int i) { return absl::StrCat("shared blob ", i, std::string(i * 97, 's')); };
  auto own = [](int p, int i) { return absl::StrCat("proc ", p, " blob ", i, std::string(i * 53, 'o')); };
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      LocalCas cas = MakeCas();
      bool ok = true;
      for (int i = 0; i < kShared; ++i) {
        // Half the processes go through PutFile, so both write paths race.
        if (p % 2 == 0) {
          ok &= cas.Put(shared((i + p * 7) % kShared)).ok();
        } else {
          std::string src = dir_ / absl::StrCat("src", p, "_", i);
          WriteFile(src, shared((i + p * 7) % kShared));
          ok &= cas.PutFile(src).ok();
        }
        ok &= cas.Put(own(p, i)).ok();
      }
      ::_exit(ok ? 0 : 1);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  LocalCas cas = MakeCas();
  for (int i = 0; i < kShared; ++i) {
    EXPECT_EQ(cas.Get(DigestOf(shared(i))), std::optional<std::string>(shared(i)));
  }
  for (int p = 0; p < kProcs; ++p) {
    for (int i = 0; i < kOwn; ++i) {
      EXPECT_EQ(cas.Get(DigestOf(own(p, i))), std::optional<std::string>(own(p, i)));
    }
  }
  EXPECT_TRUE(FilesIn(dir_ / "tmp").empty());
}

}  // namespace
}  // namespace braid::store
