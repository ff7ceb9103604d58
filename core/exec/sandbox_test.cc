#include "core/exec/sandbox.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <thread>

#include "gtest/gtest.h"
#include "core/exec/test_util.h"

namespace braid::exec {
namespace {

using testing::Exists;
using testing::ReadFile;
using testing::ScratchDir;
using testing::WriteFile;

struct StatInfo {
  ino_t ino = 0;
  mode_t mode = 0;
};
StatInfo StatOf(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return {};
  return {st.st_ino, st.st_mode & 07777};
}

class SandboxTest : public ::testing::Test {
 protected:
  Sandbox NewSandbox() {
    absl::StatusOr<Sandbox> sb = Sandbox::Create(scratch_ / "root", "t-");
    EXPECT_TRUE(sb.ok()) << sb.status();
    return *std::move(sb);
  }
  ScratchDir scratch_;
};

TEST_F(SandboxTest, CreateMakesAFreshDirectoryWithTmpUnderAMissingRoot) {
  Sandbox a = NewSandbox();
  Sandbox b = NewSandbox();
  EXPECT_NE(a.path(), b.path());
  EXPECT_EQ(a.path().rfind(scratch_ / "root/t-", 0), 0u) << a.path();
  EXPECT_EQ(a.tmp_dir(), a.path() + "/__tmp");
  EXPECT_TRUE(Exists(a.tmp_dir()));
  std::map<std::string, std::string> env = {{"PATH", "/bin"}};
  a.AddTempDirEnv(env);
  EXPECT_EQ(env, (std::map<std::string, std::string>{{"PATH", "/bin"},
                                                      {"TEMP", a.tmp_dir()},
                                                      {"TMP", a.tmp_dir()},
                                                      {"TMPDIR", a.tmp_dir()}}));
}

// A hard link shares the inode, and its owner may chmod it: a read-only repository file owned
// by the user running braid must be copied, or a test could chmod and rewrite it.
TEST_F(SandboxTest, CopiesReadOnlySourcesTheProcessCouldChmod) {
  std::string src = scratch_ / "read_only.py";
  WriteFile(src, "print('hi')\n");
  chmod(src.c_str(), 0444);
  Sandbox sb = NewSandbox();
  MaterializeStats stats;
  ASSERT_TRUE(sb.Materialize({{"src/app/a.py", LocalFile{src}, false}}, nullptr, &stats).ok());
  EXPECT_EQ(stats.copied, 1);
  EXPECT_EQ(stats.hardlinked, 0);
  std::string dest = sb.path() + "/src/app/a.py";
  EXPECT_NE(StatOf(dest).ino, StatOf(src).ino);
  // What a hostile test would do.
  ASSERT_EQ(chmod(dest.c_str(), 0644), 0);
  WriteFile(dest, "corrupted");
  EXPECT_EQ(ReadFile(dest), "corrupted");
  EXPECT_EQ(ReadFile(src), "print('hi')\n");
  EXPECT_EQ(StatOf(src).mode, 0444u);
}

TEST(CanHardlinkLocalFileTest, OnlyFilesNobodyButAnotherOwnerCouldChange) {
  struct stat base = {};
  base.st_dev = 7;
  base.st_uid = 0;  // owned by root
  base.st_mode = S_IFREG | 0444;
  const uid_t user = 1000;
  EXPECT_TRUE(CanHardlinkLocalFile(base, 7, user, false));
  EXPECT_FALSE(CanHardlinkLocalFile(base, 8, user, false)) << "another filesystem";
  EXPECT_FALSE(CanHardlinkLocalFile(base, 7, user, true)) << "executable bit differs";
  EXPECT_FALSE(CanHardlinkLocalFile(base, 7, 0, false)) << "root ignores modes";
  struct stat own = base;
  own.st_uid = user;
  EXPECT_FALSE(CanHardlinkLocalFile(own, 7, user, false)) << "the owner may chmod";
  for (mode_t w : {0200, 0020, 0002}) {
    struct stat writable = base;
    writable.st_mode = S_IFREG | 0444 | w;
    EXPECT_FALSE(CanHardlinkLocalFile(writable, 7, user, false)) << std::oct << w;
  }
  struct stat exec = base;
  exec.st_mode = S_IFREG | 0555;
  EXPECT_TRUE(CanHardlinkLocalFile(exec, 7, user, true));
}

// End to end for the one case a hard link is allowed: a process running as another user than
// the file's owner can neither chmod nor write the file, whether it was linked or (with
// fs.protected_hardlinks, which forbids linking files one cannot write) copied.
TEST_F(SandboxTest, AnotherUsersReadOnlyFileCannotBeChangedThroughTheSandbox) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to create a file owned by another user";
  const uid_t nobody = 65534;
  std::string blob = scratch_ / "blob";
  WriteFile(blob, "immutable\n");
  ASSERT_EQ(chmod(blob.c_str(), 0444), 0);
  ASSERT_EQ(chmod(scratch_.path().c_str(), 0755), 0);
  std::string root = scratch_ / "root";
  ASSERT_EQ(mkdir(root.c_str(), 0755), 0);
  ASSERT_EQ(chown(root.c_str(), nobody, nobody), 0);
  pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (setresgid(nobody, nobody, nobody) != 0 || setresuid(nobody, nobody, nobody) != 0) _exit(2);
    absl::StatusOr<Sandbox> sb = Sandbox::Create(root, "t-");
    if (!sb.ok()) _exit(3);
    MaterializeStats stats;
    if (!sb->Materialize({{"pkg/blob.txt", LocalFile{blob}, false}}, nullptr, &stats).ok()) {
      _exit(4);
    }
    std::string dest = sb->path() + "/pkg/blob.txt";
    if (ReadFile(dest) != "immutable\n") _exit(5);
    if (stats.hardlinked == 1) {
      // Linked: the inode is shared, so the attack must fail.
      if (chmod(dest.c_str(), 0666) == 0) _exit(6);
      if (open(dest.c_str(), O_WRONLY | O_TRUNC) >= 0) _exit(7);
    } else if (stats.copied == 1) {
      // Copied: the sandbox's copy is the process's own.
      if (chmod(dest.c_str(), 0666) != 0) _exit(8);
      WriteFile(dest, "changed");
    } else {
      _exit(9);
    }
    (void)sb->Remove();
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(ReadFile(blob), "immutable\n");
  EXPECT_EQ(StatOf(blob).mode, 0444u);
}

TEST_F(SandboxTest, CopiesWritableSourcesSoTheProcessCannotChangeThem) {
  std::string src = scratch_ / "user_file.py";
  WriteFile(src, "x = 1\n");
  chmod(src.c_str(), 0644);
  Sandbox sb = NewSandbox();
  MaterializeStats stats;
  ASSERT_TRUE(sb.Materialize({{"a.py", LocalFile{src}, false}}, nullptr, &stats).ok());
  EXPECT_EQ(stats.copied, 1);
  EXPECT_EQ(stats.hardlinked, 0);
  EXPECT_NE(StatOf(sb.path() + "/a.py").ino, StatOf(src).ino);
  EXPECT_EQ(ReadFile(sb.path() + "/a.py"), "x = 1\n");
  WriteFile(sb.path() + "/a.py", "changed");
  EXPECT_EQ(ReadFile(src), "x = 1\n");
}

TEST_F(SandboxTest, CopiesWhenTheExecutableBitMustDiffer) {
  std::string src = scratch_ / "tool";
  WriteFile(src, "#!/bin/sh\n");
  chmod(src.c_str(), 0444);
  Sandbox sb = NewSandbox();
  MaterializeStats stats;
  ASSERT_TRUE(sb.Materialize({{"bin/tool", LocalFile{src}, true}}, nullptr, &stats).ok());
  EXPECT_EQ(stats.copied, 1);
  EXPECT_EQ(StatOf(sb.path() + "/bin/tool").mode, 0755u);
  EXPECT_EQ(StatOf(src).mode, 0444u);
}

TEST_F(SandboxTest, WritesBytesWithExecutableBits) {
  Sandbox sb = NewSandbox();
  ASSERT_TRUE(sb.Materialize({{"run.sh", FileBytes{"#!/bin/sh\necho hi\n"}, true},
                              {"data.txt", FileBytes{"d"}, false}})
                  .ok());
  EXPECT_EQ(StatOf(sb.path() + "/run.sh").mode, 0755u);
  EXPECT_EQ(StatOf(sb.path() + "/data.txt").mode, 0644u);
  EXPECT_EQ(ReadFile(sb.path() + "/run.sh"), "#!/bin/sh\necho hi\n");
}

TEST_F(SandboxTest, CreatesNestedDirectoriesOnce) {
  Sandbox sb = NewSandbox();
  MaterializeStats stats;
  ASSERT_TRUE(sb.Materialize({{"a/b/c/d.txt", FileBytes{"1"}, false},
                              {"a/b/e.txt", FileBytes{"2"}, false},
                              {"a/f.txt", FileBytes{"3"}, false},
                              {"g/empty", EmptyDirectory{}, false}},
                             nullptr, &stats)
                  .ok());
  EXPECT_EQ(stats.directories, 5);  // a, a/b, a/b/c, g, g/empty
  EXPECT_EQ(stats.written, 3);
  EXPECT_EQ(ReadFile(sb.path() + "/a/b/c/d.txt"), "1");
  EXPECT_EQ(ReadFile(sb.path() + "/a/f.txt"), "3");
  EXPECT_TRUE(Exists(sb.path() + "/g/empty"));
}

TEST_F(SandboxTest, RejectsPathsThatCouldEscape) {
  Sandbox sb = NewSandbox();
  struct Case {
    std::string path;
    std::string error;
  };
  for (const Case& c : std::vector<Case>{
           {"../escape.txt", "invalid input path '../escape.txt': '.' and '..' components are "
                             "not allowed"},
           {"a/../../escape.txt", "invalid input path 'a/../../escape.txt': '.' and '..' "
                                  "components are not allowed"},
           {"/etc/passwd", "invalid input path '/etc/passwd': must be relative"},
           {"a//b", "invalid input path 'a//b': empty component"},
           {"./a", "invalid input path './a': '.' and '..' components are not allowed"},
           {"", "invalid input path '': empty"},
           {"__tmp/x", "invalid input path '__tmp/x': '__tmp' is reserved for braid inside "
                       "sandboxes"},
           {"__run.sh", "invalid input path '__run.sh': '__run.sh' is reserved for braid inside "
                        "sandboxes"},
       }) {
    absl::Status s = sb.Materialize({{c.path, FileBytes{"x"}, false}});
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << c.path;
    EXPECT_EQ(s.message(), c.error);
  }
  EXPECT_FALSE(Exists(scratch_ / "root/escape.txt"));
  EXPECT_FALSE(Exists(scratch_ / "escape.txt"));
}

TEST_F(SandboxTest, RejectsDuplicatesAndFileDirectoryConflicts) {
  Sandbox sb = NewSandbox();
  absl::Status dup = sb.Materialize({{"a.txt", FileBytes{"1"}, false},
                                     {"a.txt", FileBytes{"2"}, false}});
  EXPECT_EQ(dup.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(dup.message(), "duplicate sandbox path " + sb.path() + "/a.txt");
  absl::Status conflict = sb.Materialize({{"f", FileBytes{"1"}, false},
                                          {"f/g.txt", FileBytes{"2"}, false}});
  EXPECT_EQ(conflict.message(), "sandbox path f is needed as a directory but is already a file");
}

TEST_F(SandboxTest, ChecksEveryPathBeforeCreatingAnything) {
  Sandbox sb = NewSandbox();
  absl::Status s = sb.Materialize({{"a/one.txt", FileBytes{"1"}, false},
                                   {"b/two.txt", FileBytes{"2"}, false},
                                   {"a/one.txt", FileBytes{"3"}, false}});
  EXPECT_EQ(s.message(), "duplicate sandbox path " + sb.path() + "/a/one.txt");
  EXPECT_FALSE(Exists(sb.path() + "/a"));
  EXPECT_FALSE(Exists(sb.path() + "/b"));
  // A later call sees what an earlier one made.
  ASSERT_TRUE(sb.Materialize({{"a/one.txt", FileBytes{"1"}, false}}).ok());
  EXPECT_EQ(sb.Materialize({{"a/one.txt", FileBytes{"again"}, false}}).message(),
            "duplicate sandbox path " + sb.path() + "/a/one.txt");
  EXPECT_EQ(sb.Materialize({{"a/one.txt/x", FileBytes{"x"}, false}}).message(),
            "sandbox path a/one.txt is needed as a directory but is already a file");
  ASSERT_TRUE(sb.Materialize({{"a/three.txt", FileBytes{"3"}, false}}).ok());
  EXPECT_EQ(ReadFile(sb.path() + "/a/one.txt"), "1");
}

// Enough files for Materialize to use its threads (two from 2 x kMaterializeGrain files on).
static_assert(300 >= 2 * Sandbox::kMaterializeGrain);
TEST_F(SandboxTest, ManyFilesOnTwoThreadsAreAllCopiedAndCounted) {
  std::vector<SandboxEntry> entries;
  for (int i = 0; i < 300; ++i) {
    std::string src = scratch_ / absl::StrCat("src", i);
    WriteFile(src, absl::StrCat("module ", i, "\n", std::string(static_cast<size_t>(i) * 7, 'x')));
    entries.push_back({absl::StrCat("pkg", i % 7, "/sub", i % 3, "/m", i, ".py"), LocalFile{src},
                       i % 5 == 0});
  }
  entries.push_back({"pkg0/data.bin", FileBytes{"bytes"}, false});
  entries.push_back({"empty/dir", EmptyDirectory{}, false});
  Sandbox sb = NewSandbox();
  MaterializeStats stats;
  ASSERT_TRUE(sb.Materialize(entries, nullptr, &stats, /*parallelism=*/2).ok());
  EXPECT_EQ(stats.copied, 300);
  EXPECT_EQ(stats.written, 1);
  EXPECT_EQ(stats.directories, 7 + 7 * 3 + 2);  // pkgN, pkgN/subM, empty, empty/dir
  for (int i = 0; i < 300; ++i) {
    std::string dest = sb.path() + "/" + entries[static_cast<size_t>(i)].path;
    ASSERT_EQ(ReadFile(dest),
              absl::StrCat("module ", i, "\n", std::string(static_cast<size_t>(i) * 7, 'x')));
    ASSERT_EQ(StatOf(dest).mode, i % 5 == 0 ? 0755u : 0644u) << dest;
  }
  EXPECT_EQ(ReadFile(sb.path() + "/pkg0/data.bin"), "bytes");
}

TEST_F(SandboxTest, ReportsTheFirstFailureInPathOrderWhateverTheThreads) {
  std::vector<SandboxEntry> entries;
  for (int i = 0; i < 300; ++i) {  // enough for two threads, as above
    std::string src = scratch_ / absl::StrCat("f", i);
    if (i != 40 && i != 290) WriteFile(src, "x");
    entries.push_back({absl::StrCat("d/m", 100 + i, ".py"), LocalFile{src}, false});
  }
  for (int run = 0; run < 5; ++run) {
    Sandbox sb = NewSandbox();
    absl::Status s = sb.Materialize(entries, nullptr, nullptr, /*parallelism=*/2);
    EXPECT_EQ(s.message(), "cannot read " + scratch_ / "f40" + ": No such file or directory");
  }
}

TEST_F(SandboxTest, RejectsAFifoWithoutBlocking) {
  std::string fifo = scratch_ / "fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0644), 0);
  Sandbox sb = NewSandbox();
  absl::Status s = sb.Materialize({{"f", LocalFile{fifo}, false}});
  EXPECT_EQ(s.message(), "cannot materialize " + fifo + ": not a regular file");
}

TEST_F(SandboxTest, CopiesLargeFilesWhole) {
  std::string src = scratch_ / "big";
  std::string big(300 * 1024 + 17, 'b');
  big[12345] = 'c';
  WriteFile(src, big);
  Sandbox sb = NewSandbox();
  ASSERT_TRUE(sb.Materialize({{"big", LocalFile{src}, false}}).ok());
  EXPECT_EQ(ReadFile(sb.path() + "/big"), big);
}

TEST_F(SandboxTest, CreateMaterializedPreparesASandboxOnAnotherThread) {
  std::string root = scratch_ / "root";
  absl::StatusOr<Sandbox> prepared = absl::InternalError("not run");
  std::thread worker([&] {
    prepared = Sandbox::CreateMaterialized(root, {{"pkg/a.py", FileBytes{"a"}, false}});
  });
  worker.join();
  ASSERT_TRUE(prepared.ok()) << prepared.status();
  EXPECT_EQ(ReadFile(prepared->path() + "/pkg/a.py"), "a");
  EXPECT_TRUE(Exists(prepared->tmp_dir()));
  // A failed one leaves nothing behind.
  absl::StatusOr<Sandbox> failed =
      Sandbox::CreateMaterialized(root, {{"b.py", LocalFile{scratch_ / "missing"}, false}});
  EXPECT_EQ(failed.status().message(),
            "cannot read " + scratch_ / "missing" + ": No such file or directory");
  int entries = 0;
  for (DIR* d = opendir(root.c_str()); d != nullptr;) {
    dirent* e = readdir(d);
    if (e == nullptr) {
      closedir(d);
      break;
    }
    if (e->d_name[0] != '.') ++entries;
  }
  EXPECT_EQ(entries, 1);  // only `prepared`
}

class RecordingSource : public FileSource {
 public:
  absl::Status MaterializeFile(const StoredFile& file, const std::string& dest,
                               bool executable) override {
    calls.push_back(absl::StrCat(file.hash, ":", file.size_bytes, "->", dest,
                                 executable ? " +x" : ""));
    WriteFile(dest, "from store");
    return absl::OkStatus();
  }
  std::vector<std::string> calls;
};

TEST_F(SandboxTest, StoredFilesGoThroughTheFileSource) {
  Sandbox sb = NewSandbox();
  RecordingSource store;
  MaterializeStats stats;
  ASSERT_TRUE(sb.Materialize({{"lib/x.py", StoredFile{"abc123", 10}, true}}, &store, &stats).ok());
  EXPECT_EQ(store.calls, std::vector<std::string>{"abc123:10->" + sb.path() + "/lib/x.py +x"});
  EXPECT_EQ(stats.from_source, 1);
  EXPECT_EQ(ReadFile(sb.path() + "/lib/x.py"), "from store");
  absl::Status no_source = sb.Materialize({{"y.py", StoredFile{"def", 1}, false}});
  EXPECT_EQ(no_source.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(no_source.message(), "no FileSource given for stored input y.py");
}

TEST_F(SandboxTest, CollectOutputsFindsDeclaredFilesAndDirectoriesSorted) {
  Sandbox sb = NewSandbox();
  ASSERT_TRUE(sb.Materialize({{"report.xml", FileBytes{"<x/>"}, false},
                              {"dist/b/tool", FileBytes{"12345"}, true},
                              {"dist/a.whl", FileBytes{"w"}, false},
                              {"dist/empty", EmptyDirectory{}, false},
                              {"other.txt", FileBytes{"not declared"}, false}})
                  .ok());
  absl::StatusOr<CollectedOutputs> out =
      sb.CollectOutputs({"report.xml", "missing.txt"}, {"dist", "missing_dir"});
  ASSERT_TRUE(out.ok()) << out.status();
  std::vector<std::string> paths;
  for (const OutputFile& f : out->files) paths.push_back(f.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"dist/a.whl", "dist/b/tool", "report.xml"}));
  EXPECT_TRUE(out->files[1].executable);
  EXPECT_EQ(out->files[1].size_bytes, 5);
  EXPECT_EQ(out->files[1].absolute_path, sb.path() + "/dist/b/tool");
  EXPECT_FALSE(out->files[0].executable);
  EXPECT_EQ(out->directories, (std::vector<std::string>{"dist", "dist/b", "dist/empty"}));
  EXPECT_EQ(sb.CollectOutputs({"../x"}, {}).status().message(),
            "invalid output file path '../x': '.' and '..' components are not allowed");
}

TEST_F(SandboxTest, RemoveDeletesReadOnlyTrees) {
  Sandbox sb = NewSandbox();
  std::string path = sb.path();
  ASSERT_TRUE(sb.Materialize({{"a/b/c.txt", FileBytes{"x"}, false}}).ok());
  chmod((path + "/a/b/c.txt").c_str(), 0444);
  chmod((path + "/a/b").c_str(), 0500);
  chmod((path + "/a").c_str(), 0500);
  ASSERT_TRUE(sb.Remove().ok());
  EXPECT_FALSE(Exists(path));
  EXPECT_TRUE(sb.path().empty());
  EXPECT_TRUE(RemoveTree(path).ok());  // already gone is fine
}

TEST_F(SandboxTest, RemoveDoesNotFollowSymlinks) {
  std::string outside = scratch_ / "precious";
  WriteFile(outside, "keep me");
  Sandbox sb = NewSandbox();
  ASSERT_EQ(symlink(scratch_.path().c_str(), (sb.path() + "/link").c_str()), 0);
  ASSERT_TRUE(sb.Remove().ok());
  EXPECT_EQ(ReadFile(outside), "keep me");
}

TEST_F(SandboxTest, DestructorRemovesUnlessKept) {
  std::string removed, kept;
  {
    Sandbox a = NewSandbox();
    removed = a.path();
    Sandbox b = NewSandbox();
    kept = b.path();
    b.Keep();
  }
  EXPECT_FALSE(Exists(removed));
  EXPECT_TRUE(Exists(kept));
}

TEST_F(SandboxTest, RunScriptQuotesEnvAndArgv) {
  Sandbox sb = NewSandbox();
  ProcessSpec spec;
  spec.argv = {"python3", "-c", "print('a b')"};
  spec.env = {{"PATH", "/usr/bin:/bin"}, {"MSG", "it's here"}};
  spec.cwd = sb.path();
  spec.description = "Run a thing";
  spec.sandbox.isolation = SandboxSpec::Isolation::kNamespaces;
  ASSERT_TRUE(sb.WriteRunScript(spec).ok());
  EXPECT_EQ(ReadFile(sb.path() + "/__run.sh"),
            "#!/usr/bin/env bash\n"
            "# This command line should execute the same process as braid did internally:\n"
            "# Run a thing\n"
            "# braid ran it in Linux namespaces (read-only filesystem except the sandbox, "
            "loopback-only network); this script does not.\n"
            "cd " + sb.path() + "\n"
            "env -i 'MSG=it'\"'\"'s here' PATH=/usr/bin:/bin python3 -c 'print('\"'\"'a b'\"'\"')'\n");
  EXPECT_EQ(StatOf(sb.path() + "/__run.sh").mode, 0755u);
}

}  // namespace
}  // namespace braid::exec
