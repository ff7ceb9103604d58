#include "core/store/action_cache.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "core/store/internal/file_ops.h"
#include "core/store/merkle.h"
#include "core/store/store_test_util.h"

namespace braid::store {
namespace {

using testing::Exists;
using testing::FilesIn;
using testing::FlipByte;
using testing::ReadFileOrDie;
using testing::StatOrDie;
using testing::TempDir;

class ActionCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* sub : {"cas", "ac", "tmp"}) ASSERT_TRUE(internal::MakeDirs(dir_ / sub).ok());
  }

  // A passing result whose stdout and one output file are in the CAS.
  reapi::ActionResult PassingResult() {
    reapi::ActionResult r;
    r.set_exit_code(0);
    *r.mutable_stdout_digest() = ToProto(*cas_.Put("1 passed in 0.01s\n"));
    reapi::OutputFile* f = r.add_output_files();
    f->set_path("out/report.xml");
    *f->mutable_digest() = ToProto(*cas_.Put("<testsuite/>"));
    r.mutable_execution_metadata()->set_worker("local");
    r.mutable_execution_metadata()->mutable_worker_start_timestamp()->set_seconds(100);
    r.mutable_execution_metadata()->mutable_worker_completed_timestamp()->set_seconds(103);
    return r;
  }

  TempDir dir_;
  LocalCas cas_{dir_ / "cas", dir_ / "tmp"};
  ActionCache ac_{dir_ / "ac", dir_ / "tmp", &cas_};
  Digest action_ = DigestOf("an action");
};

TEST_F(ActionCacheTest, PutThenGetRoundTrips) {
  reapi::ActionResult r = PassingResult();
  ASSERT_TRUE(ac_.Put(action_, r).ok());
  std::string why = "unset";
  std::optional<reapi::ActionResult> hit = ac_.Get(action_, &why);
  ASSERT_TRUE(hit.has_value()) << why;
  EXPECT_EQ(why, "");
  EXPECT_EQ(SerializeDeterministic(*hit), SerializeDeterministic(r));
  EXPECT_EQ(hit->execution_metadata().worker_completed_timestamp().seconds(), 103);
}

TEST_F(ActionCacheTest, EntryHasAChecksummedHeaderAndIsReadOnly) {
  ASSERT_TRUE(ac_.Put(action_, PassingResult()).ok());
  std::string path = ac_.Path(action_);
  EXPECT_EQ(path, dir_ / ("ac/" + action_.hash.substr(0, 2) + "/" + action_.hash + "-9"));
  std::string entry = ReadFileOrDie(path);
  EXPECT_TRUE(absl::StartsWith(entry, "braid-ac 1 ")) << entry;
  EXPECT_EQ(entry[11 + 64], '\n');
  EXPECT_EQ(StatOrDie(path).st_mode & 07777, 0444u);
  EXPECT_TRUE(FilesIn(dir_ / "tmp").empty());
}

TEST_F(ActionCacheTest, NoEntryIsAMiss) {
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "no entry");
}

TEST_F(ActionCacheTest, FailuresAreNotStoredByDefault) {
  reapi::ActionResult failed = PassingResult();
  failed.set_exit_code(1);
  ASSERT_TRUE(ac_.Put(action_, failed).ok());
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "no entry");
  EXPECT_FALSE(Exists(ac_.Path(action_)));
}

TEST_F(ActionCacheTest, FailuresStoredOnRequestComeBackAsFailures) {
  reapi::ActionResult failed = PassingResult();
  failed.set_exit_code(2);
  ASSERT_TRUE(ac_.Put(action_, failed, ActionCache::PutOptions{true}).ok());
  std::optional<reapi::ActionResult> hit = ac_.Get(action_);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->exit_code(), 2);
}

TEST_F(ActionCacheTest, FlippedByteInStdoutBlobIsAMissSoTheActionReruns) {
  reapi::ActionResult r = PassingResult();
  ASSERT_TRUE(ac_.Put(action_, r).ok());
  Digest out = *FromProto(r.stdout_digest());
  FlipByte(cas_.Path(out), 0);
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "missing or damaged blob " + out.ToString() + " (stdout)");
  EXPECT_FALSE(Exists(cas_.Path(out))) << "the damaged blob is removed";
  // The rerun stores its output again; the entry serves again.
  ASSERT_TRUE(cas_.Put("1 passed in 0.01s\n").ok());
  ASSERT_TRUE(ac_.Put(action_, r).ok());
  EXPECT_TRUE(ac_.Get(action_).has_value());
}

TEST_F(ActionCacheTest, GetHandsBackTheVerifiedStdoutAndStderr) {
  reapi::ActionResult r = PassingResult();
  *r.mutable_stderr_digest() = ToProto(*cas_.Put("a warning\n"));
  ASSERT_TRUE(ac_.Put(action_, r).ok());
  ActionCache::VerifiedOutputs outputs;
  std::string why;
  ASSERT_TRUE(ac_.Get(action_, &why, &outputs).has_value()) << why;
  EXPECT_EQ(outputs.stdout_bytes, "1 passed in 0.01s\n");
  EXPECT_EQ(outputs.stderr_bytes, "a warning\n");
  // Reading them for the caller checks them just the same: a flipped byte is a miss.
  FlipByte(cas_.Path(*FromProto(r.stderr_digest())), 3);
  ActionCache::VerifiedOutputs after;
  EXPECT_EQ(ac_.Get(action_, &why, &after), std::nullopt);
  EXPECT_EQ(why, "missing or damaged blob " + FromProto(r.stderr_digest())->ToString() + " (stderr)");
}

TEST_F(ActionCacheTest, MissingOutputFileBlobIsAMiss) {
  reapi::ActionResult r = PassingResult();
  ASSERT_TRUE(ac_.Put(action_, r).ok());
  Digest report = *FromProto(r.output_files(0).digest());
  ASSERT_EQ(::unlink(cas_.Path(report).c_str()), 0);
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "missing or damaged blob " + report.ToString() + " (output file out/report.xml)");
}

TEST_F(ActionCacheTest, DamagedFileInsideAnOutputDirectoryIsAMiss) {
  Digest a = *cas_.Put("coverage a");
  Digest b = *cas_.Put("coverage b");
  MerkleTree t = *BuildMerkleTree({{"a.dat", a, false}, {"sub/b.dat", b, false}});
  Digest tree = *cas_.Put(SerializeDeterministic(ToTreeMessage(t)));
  reapi::ActionResult r = PassingResult();
  reapi::OutputDirectory* od = r.add_output_directories();
  od->set_path("htmlcov");
  *od->mutable_tree_digest() = ToProto(tree);
  ASSERT_TRUE(ac_.Put(action_, r).ok());
  EXPECT_TRUE(ac_.Get(action_).has_value());
  FlipByte(cas_.Path(b), 2);
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "missing or damaged blob " + b.ToString() + " (output directory htmlcov/sub/b.dat)");
}

TEST_F(ActionCacheTest, DamagedEntryIsRemovedAndMissed) {
  ASSERT_TRUE(ac_.Put(action_, PassingResult()).ok());
  std::string path = ac_.Path(action_);
  FlipByte(path, static_cast<off_t>(ReadFileOrDie(path).size() - 3));  // inside the payload
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "damaged entry (removed)");
  EXPECT_FALSE(Exists(path));
}

TEST_F(ActionCacheTest, TruncatedEntryIsAMiss) {
  ASSERT_TRUE(ac_.Put(action_, PassingResult()).ok());
  std::string path = ac_.Path(action_);
  ::chmod(path.c_str(), 0644);
  ASSERT_EQ(::truncate(path.c_str(), 40), 0);
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "damaged entry (removed)");
}

TEST_F(ActionCacheTest, KillDashNineMidWriteServesNoPartialEntry) {
  reapi::ActionResult r = PassingResult();
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    internal::UniqueFd fd;
    absl::StatusOr<std::string> tmp = internal::CreateTempFile(dir_ / "tmp", "w", &fd);
    if (!tmp.ok()) ::_exit(2);
    (void)internal::WriteAll(fd.get(), *tmp, "braid-ac 1 ");  // header only, then killed
    ::kill(::getpid(), SIGKILL);
    ::_exit(3);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFSIGNALED(status));
  std::string why;
  EXPECT_EQ(ac_.Get(action_, &why), std::nullopt);
  EXPECT_EQ(why, "no entry");
}

TEST_F(ActionCacheTest, InvalidActionDigestIsRejected) {
  absl::Status s = ac_.Put(Digest{"nope", 1}, PassingResult());
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "invalid action digest 'nope/1'");
  std::string why;
  EXPECT_EQ(ac_.Get(Digest{"nope", 1}, &why), std::nullopt);
  EXPECT_EQ(why, "invalid action digest");
}

}  // namespace
}  // namespace braid::store
