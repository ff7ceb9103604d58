// EnterPrivateSandboxTmpfs, run in forked children (it moves the calling process into new
// namespaces for good). Skipped where namespaces are unavailable, like the trampoline tests.
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <grp.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cstdio>

#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/exec/namespaces.h"
#include "gtest/gtest.h"

namespace braid::exec {
namespace {

constexpr long kTmpfsMagic = 0x01021994;

const SandboxCapabilities& Caps() {
  static const SandboxCapabilities caps = DetectSandboxCapabilities();
  return caps;
}

// A new directory, by its real path.
std::string MakeTempDir() {
  std::string dir = ::testing::TempDir() + "/braid_nstmpfs_XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) return "";
  char* real = realpath(dir.c_str(), nullptr);
  if (real == nullptr) return "";
  std::string out = real;
  free(real);
  return out;
}

// Runs `body` in a forked child; returns its exit code (the child reports failures by code).
template <typename F>
int InChild(F body) {
  pid_t pid = fork();
  if (pid == 0) _exit(body());
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

TEST(EnterPrivateSandboxTmpfsTest, MountsAPrivateTmpfsThatOthersDoNotSee) {
  if (!Caps().namespaces) GTEST_SKIP() << Caps().warning;
  std::string parent = MakeTempDir();
  ASSERT_FALSE(parent.empty());
  const std::string expected = absl::StrCat(parent, "/braid-sandboxes-", geteuid());
  int code = InChild([&]() -> int {
    absl::StatusOr<std::string> dir = EnterPrivateSandboxTmpfs(parent);
    if (!dir.ok()) return 2;
    if (*dir != expected) return 3;
    struct statfs fs;
    if (statfs(dir->c_str(), &fs) != 0 || fs.f_type != kTmpfsMagic) return 4;
    std::ofstream(*dir + "/inside") << "x";
    struct stat st;
    if (stat((*dir + "/inside").c_str(), &st) != 0) return 5;
    // A child started afterwards shares the mount.
    pid_t grandchild = fork();
    if (grandchild == 0) _exit(stat((*dir + "/inside").c_str(), &st) == 0 ? 0 : 1);
    int gs = 0;
    waitpid(grandchild, &gs, 0);
    return WIFEXITED(gs) && WEXITSTATUS(gs) == 0 ? 0 : 6;
  });
  EXPECT_EQ(code, 0);
  // Outside: the directory exists (created on disk), empty and not a tmpfs.
  struct statfs fs;
  ASSERT_EQ(statfs(expected.c_str(), &fs), 0);
  EXPECT_NE(fs.f_type, kTmpfsMagic);
  struct stat st;
  EXPECT_NE(stat((expected + "/inside").c_str(), &st), 0);
}

// The probe once asked access("/", W_OK) for EROFS, which a user other than root never gets
// (EACCES comes first), so every unprivileged run fell back to plain directories.
TEST(DetectSandboxCapabilitiesTest, AnUnprivilegedUserGetsNamespacesToo) {
  if (!Caps().namespaces) GTEST_SKIP() << Caps().warning;
  if (geteuid() != 0) {
    // Already unprivileged: the cached probe above is this user's.
    SUCCEED();
    return;
  }
  int code = InChild([] {
    if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0) return 2;
    // Changing credentials made the process non-dumpable, which hands /proc/self to root;
    // a process started as that user is dumpable.
    if (prctl(PR_SET_DUMPABLE, 1) != 0) return 4;
    SandboxCapabilities caps = DetectSandboxCapabilities();
    if (!caps.namespaces) {
      fprintf(stderr, "unprivileged probe: %s\n", caps.warning.c_str());
      return 3;
    }
    return 0;
  });
  EXPECT_EQ(code, 0);
}

TEST(EnterPrivateSandboxTmpfsTest, RejectsARelativeOrMissingParent) {
  EXPECT_EQ(InChild([] { return EnterPrivateSandboxTmpfs("relative/dir").ok() ? 1 : 0; }), 0);
  EXPECT_EQ(InChild([] { return EnterPrivateSandboxTmpfs("").ok() ? 1 : 0; }), 0);
  EXPECT_EQ(InChild([] {
              return EnterPrivateSandboxTmpfs("/nonexistent/braid-parent").ok() ? 1 : 0;
            }),
            0);
}

TEST(EnterPrivateSandboxTmpfsTest, RefusesAFileInThePlaceOfTheDirectory) {
  if (!Caps().namespaces) GTEST_SKIP() << Caps().warning;
  std::string parent = MakeTempDir();
  ASSERT_FALSE(parent.empty());
  std::ofstream(absl::StrCat(parent, "/braid-sandboxes-", geteuid())) << "not a dir";
  EXPECT_EQ(InChild([&] { return EnterPrivateSandboxTmpfs(parent).ok() ? 1 : 0; }), 0);
}

}  // namespace
}  // namespace braid::exec
