#include "core/exec/sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/base/parallel.h"
#include "core/base/status_macros.h"

namespace braid::exec {
namespace {

absl::Status IoError(absl::string_view what, const std::string& path, int err) {
  return absl::FailedPreconditionError(absl::StrCat(what, " ", path, ": ", strerror(err)));
}

// Closes a file descriptor on scope exit.
struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

absl::Status WriteAll(int fd, absl::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t w = write(fd, data.data(), data.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", what, errno);
    }
    data.remove_prefix(static_cast<size_t>(w));
  }
  return absl::OkStatus();
}

// Whether FICLONE has failed with "not supported" before: most filesystems (ext4, tmpfs) never
// support it, and asking again costs a system call per copied file.
std::atomic<bool> g_reflink_unsupported{false};

// Copies `in` (of `size` bytes, from fstat) to `out`: a reflink where the filesystem supports
// it, else copy_file_range, else read/write. Stops as soon as `size` bytes are copied, so a
// small file costs one copy_file_range, not two. (One read + one write for small files was
// tried: no faster on tmpfs or ext4.)
absl::Status CopyContents(int in, int out, const std::string& dest, off_t size) {
  if (!g_reflink_unsupported.load(std::memory_order_relaxed)) {
    if (ioctl(out, FICLONE, in) == 0) return absl::OkStatus();
    if (errno == EOPNOTSUPP || errno == ENOTTY || errno == EINVAL || errno == EXDEV) {
      // EXDEV only says these two files differ in filesystem; keep trying for other pairs.
      if (errno != EXDEV) g_reflink_unsupported.store(true, std::memory_order_relaxed);
    }
  }
  bool use_read_write = false;
  off_t copied = 0;
  while (!use_read_write) {
    if (size >= 0 && copied >= size) return absl::OkStatus();
    ssize_t n = copy_file_range(in, nullptr, out, nullptr, size_t{1} << 30, 0);
    if (n > 0) copied += n;
    if (n == 0) return absl::OkStatus();
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EXDEV || errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP) {
        use_read_write = true;
        break;
      }
      return IoError("cannot copy to", dest, errno);
    }
  }
  char buf[1 << 16];
  for (;;) {
    ssize_t n = read(in, buf, sizeof(buf));
    if (n == 0) return absl::OkStatus();
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot copy to", dest, errno);
    }
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, static_cast<size_t>(n - done));
      if (w < 0) {
        if (errno == EINTR) continue;
        return IoError("cannot copy to", dest, errno);
      }
      done += w;
    }
  }
}

mode_t FileMode(bool executable) { return executable ? 0755 : 0644; }

// The process umask, read without changing it (umask(2) can only be read by setting it, which
// would race with threads creating files); 0777 (always fchmod) if it cannot be read.
mode_t CurrentUmask() {
  int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0777;
  char buf[4096];
  ssize_t n = read(fd, buf, sizeof(buf) - 1);
  close(fd);
  if (n <= 0) return 0777;
  buf[n] = '\0';
  const char* line = strstr(buf, "\nUmask:");
  if (line == nullptr) return 0777;
  return static_cast<mode_t>(strtol(line + 7, nullptr, 8));
}

// Creates `rel` under `dirfd` exclusively with the entry's mode (umask ignored) and returns its
// descriptor; errors name `root`/`rel`.
absl::StatusOr<int> CreateExclusiveAt(int dirfd, const std::string& root, const std::string& rel,
                                      bool executable) {
  int fd = openat(dirfd, rel.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                  FileMode(executable));
  if (fd < 0) {
    if (errno == EEXIST) {
      return absl::InvalidArgumentError(absl::StrCat("duplicate sandbox path ", root, "/", rel));
    }
    return IoError("cannot create", absl::StrCat(root, "/", rel), errno);
  }
  // open() applied the umask; only a umask that removed some of these bits needs fchmod.
  static const mode_t kUmask = CurrentUmask();
  if ((FileMode(executable) & kUmask) != 0 && fchmod(fd, FileMode(executable)) != 0) {
    int err = errno;
    close(fd);
    return IoError("cannot chmod", absl::StrCat(root, "/", rel), err);
  }
  return fd;
}

int RemoveAt(int dirfd, const char* name) {
  if (unlinkat(dirfd, name, 0) == 0 || errno == ENOENT) return 0;
  if (errno != EISDIR && errno != EPERM) return -1;
  // A directory: make it listable and writable first (tests leave 0500 trees behind).
  fchmodat(dirfd, name, 0700, 0);
  int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return -1;
  DIR* dir = fdopendir(fd);
  if (dir == nullptr) {
    close(fd);
    return -1;
  }
  int rc = 0;
  while (dirent* e = readdir(dir)) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    if (RemoveAt(fd, e->d_name) != 0) rc = -1;
  }
  closedir(dir);
  if (rc != 0) return rc;
  if (unlinkat(dirfd, name, AT_REMOVEDIR) != 0 && errno != ENOENT) return -1;
  return 0;
}

// Appends every directory and regular file under `rel` (a directory) to `out`.
void WalkOutputDir(const std::string& root, const std::string& rel, CollectedOutputs& out) {
  out.directories.push_back(rel);
  std::string abs = absl::StrCat(root, "/", rel);
  DIR* dir = opendir(abs.c_str());
  if (dir == nullptr) return;
  std::vector<std::string> names;
  while (dirent* e = readdir(dir)) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
    names.emplace_back(e->d_name);
  }
  closedir(dir);
  for (const std::string& name : names) {
    std::string child_rel = absl::StrCat(rel, "/", name);
    std::string child_abs = absl::StrCat(root, "/", child_rel);
    struct stat st;
    if (lstat(child_abs.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode)) {
      WalkOutputDir(root, child_rel, out);
    } else if (S_ISREG(st.st_mode)) {
      out.files.push_back({child_rel, child_abs, (st.st_mode & 0111) != 0, st.st_size});
    }
  }
}

// What Materialize will do, worked out before any I/O.
struct MaterializePlan {
  // Non-directory entries, sorted by path, no two alike.
  std::vector<const SandboxEntry*> files;
  // Every directory to exist (ancestors of entries and EmptyDirectory entries), sorted, so a
  // parent always comes before its children.
  std::vector<std::string> directories;
};

absl::StatusOr<MaterializePlan> PlanMaterialize(const std::vector<SandboxEntry>& entries,
                                                const std::string& root) {
  MaterializePlan plan;
  absl::flat_hash_set<absl::string_view> dirs;
  for (const SandboxEntry& entry : entries) {
    if (absl::Status s = ValidateRelativePath(entry.path, "input"); !s.ok()) return s;
    absl::string_view path = entry.path;
    absl::string_view top = path.substr(0, path.find('/'));
    if (top == Sandbox::kTmpDirName || top == Sandbox::kRunScriptName) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid input path '", entry.path, "': '", top,
                       "' is reserved for braid inside sandboxes"));
    }
    absl::string_view dir = path;
    if (std::holds_alternative<EmptyDirectory>(entry.source)) {
      dirs.insert(dir);
    } else {
      plan.files.push_back(&entry);
    }
    // Ancestors; stop at the first one already known (its own ancestors are known too).
    for (size_t slash = dir.rfind('/'); slash != absl::string_view::npos;
         slash = dir.rfind('/')) {
      dir = dir.substr(0, slash);
      if (!dirs.insert(dir).second) break;
    }
  }
  std::stable_sort(plan.files.begin(), plan.files.end(),
                   [](const SandboxEntry* a, const SandboxEntry* b) { return a->path < b->path; });
  for (size_t i = 0; i < plan.files.size(); ++i) {
    const std::string& path = plan.files[i]->path;
    if (i > 0 && plan.files[i - 1]->path == path) {
      return absl::InvalidArgumentError(absl::StrCat("duplicate sandbox path ", root, "/", path));
    }
    if (dirs.contains(path)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "sandbox path ", path, " is needed as a directory but is already a file"));
    }
  }
  plan.directories.reserve(dirs.size());
  for (absl::string_view d : dirs) plan.directories.emplace_back(d);
  std::sort(plan.directories.begin(), plan.directories.end());
  return plan;
}

// How one file was materialized (summed into MaterializeStats).
enum class Made : uint8_t { kNothing, kHardlinked, kCopied, kWritten, kFromSource };

// Creates one LocalFile or FileBytes entry at `entry.path` under `rootfd` (its parent exists).
absl::Status MaterializeLocal(int rootfd, const std::string& root, dev_t root_dev, uid_t euid,
                              const SandboxEntry& entry, Made& made) {
  const std::string& rel = entry.path;
  if (const auto* bytes = std::get_if<FileBytes>(&entry.source)) {
    absl::StatusOr<int> out = CreateExclusiveAt(rootfd, root, rel, entry.executable);
    if (!out.ok()) return out.status();
    Fd out_fd(*out);
    BRAID_RETURN_IF_ERROR(WriteAll(out_fd.fd, bytes->bytes, absl::StrCat(root, "/", rel)));
    made = Made::kWritten;
    return absl::OkStatus();
  }
  const std::string& src_path = std::get<LocalFile>(entry.source).path;
  // O_NONBLOCK: opening a FIFO must not hang (it is rejected below); no effect on a file.
  Fd in(open(src_path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY));
  if (in.fd < 0) return IoError("cannot read", src_path, errno);
  struct stat src;
  if (fstat(in.fd, &src) != 0) return IoError("cannot read", src_path, errno);
  if (!S_ISREG(src.st_mode)) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot materialize ", src_path, ": not a regular file"));
  }
  if (CanHardlinkLocalFile(src, root_dev, euid, entry.executable)) {
    if (linkat(AT_FDCWD, src_path.c_str(), rootfd, rel.c_str(), 0) == 0) {
      made = Made::kHardlinked;
      return absl::OkStatus();
    }
    if (errno == EEXIST) {
      return absl::InvalidArgumentError(absl::StrCat("duplicate sandbox path ", root, "/", rel));
    }
    // EXDEV, EMLINK, EPERM (protected_hardlinks): fall back to a copy.
  }
  absl::StatusOr<int> out = CreateExclusiveAt(rootfd, root, rel, entry.executable);
  if (!out.ok()) return out.status();
  Fd out_fd(*out);
  BRAID_RETURN_IF_ERROR(
      CopyContents(in.fd, out_fd.fd, absl::StrCat(root, "/", rel), src.st_size));
  made = Made::kCopied;
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateRelativePath(absl::string_view path, absl::string_view what) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ", what, " path '", path, "': ", why));
  };
  if (path.empty()) return bad("empty");
  if (path.front() == '/') return bad("must be relative");
  if (path.find('\0') != absl::string_view::npos) return bad("contains a NUL byte");
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty()) return bad("empty component");
    if (part == "." || part == "..") return bad("'.' and '..' components are not allowed");
  }
  return absl::OkStatus();
}

std::string DefaultLocalExecutionRootDir() {
  const char* tmp = getenv("TMPDIR");
  if (tmp != nullptr && tmp[0] == '/') return tmp;
  return "/tmp";
}

absl::StatusOr<Sandbox> Sandbox::Create(absl::string_view root_dir,
                                        absl::string_view name_prefix) {
  std::string root(root_dir);
  if (root.empty()) root = DefaultLocalExecutionRootDir();
  // mkdir -p: the root may be a configured directory that does not exist yet.
  for (size_t i = 1; i <= root.size(); ++i) {
    if (i == root.size() || root[i] == '/') {
      std::string prefix = root.substr(0, i);
      if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
        return IoError("cannot create local_execution_root_dir", prefix, errno);
      }
    }
  }
  char* real = realpath(root.c_str(), nullptr);
  if (real == nullptr) return IoError("cannot resolve local_execution_root_dir", root, errno);
  std::string tmpl = absl::StrCat(real, "/", name_prefix, "XXXXXX");
  free(real);
  if (mkdtemp(tmpl.data()) == nullptr) return IoError("cannot create sandbox in", root, errno);
  Sandbox sandbox(tmpl);
  std::string tmp = sandbox.tmp_dir();
  if (mkdir(tmp.c_str(), 0755) != 0) return IoError("cannot create", tmp, errno);
  return sandbox;
}

absl::StatusOr<Sandbox> Sandbox::CreateMaterialized(absl::string_view root_dir,
                                                    const std::vector<SandboxEntry>& entries,
                                                    FileSource* source, MaterializeStats* stats) {
  BRAID_ASSIGN_OR_RETURN(Sandbox sandbox, Create(root_dir));
  BRAID_RETURN_IF_ERROR(sandbox.Materialize(entries, source, stats));
  return sandbox;
}

Sandbox::Sandbox(Sandbox&& other) noexcept
    : path_(std::exchange(other.path_, std::string())), keep_(other.keep_) {}

Sandbox& Sandbox::operator=(Sandbox&& other) noexcept {
  if (this != &other) {
    if (!keep_ && !path_.empty()) (void)RemoveTree(path_);
    path_ = std::exchange(other.path_, std::string());
    keep_ = other.keep_;
  }
  return *this;
}

Sandbox::~Sandbox() {
  if (!keep_ && !path_.empty()) (void)RemoveTree(path_);
}

std::string Sandbox::tmp_dir() const { return absl::StrCat(path_, "/", kTmpDirName); }

bool CanHardlinkLocalFile(const struct stat& src, dev_t sandbox_dev, uid_t euid,
                          bool executable) {
  bool src_exec = (src.st_mode & 0111) != 0;
  return src.st_dev == sandbox_dev && (src.st_mode & 0222) == 0 && euid != 0 &&
         src.st_uid != euid && src_exec == executable;
}

absl::Status Sandbox::Materialize(const std::vector<SandboxEntry>& entries, FileSource* source,
                                  MaterializeStats* stats, int parallelism) {
  MaterializeStats local_stats;
  MaterializeStats& st = stats != nullptr ? *stats : local_stats;
  BRAID_ASSIGN_OR_RETURN(MaterializePlan plan, PlanMaterialize(entries, path_));
  if (source == nullptr) {
    for (const SandboxEntry* entry : plan.files) {
      if (std::holds_alternative<StoredFile>(entry->source)) {
        return absl::InternalError(
            absl::StrCat("no FileSource given for stored input ", entry->path));
      }
    }
  }
  Fd root(open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.fd < 0) return IoError("cannot open sandbox", path_, errno);
  struct stat root_st;
  if (fstat(root.fd, &root_st) != 0) return IoError("cannot stat sandbox", path_, errno);

  for (const std::string& dir : plan.directories) {
    if (mkdirat(root.fd, dir.c_str(), 0755) == 0) {
      ++st.directories;
      continue;
    }
    int err = errno;
    std::string abs = absl::StrCat(path_, "/", dir);
    if (err != EEXIST) return IoError("cannot create sandbox directory", abs, err);
    // Made by an earlier Materialize call, or a file in the way.
    struct stat d;
    if (fstatat(root.fd, dir.c_str(), &d, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(d.st_mode)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "sandbox path ", dir, " is needed as a directory but is already a file"));
    }
  }

  // Files: independent of each other now that every directory exists.
  const size_t n = plan.files.size();
  std::vector<absl::Status> results(n);
  std::vector<Made> made(n, Made::kNothing);
  std::vector<size_t> local, stored;
  for (size_t i = 0; i < n; ++i) {
    (std::holds_alternative<StoredFile>(plan.files[i]->source) ? stored : local).push_back(i);
  }
  const uid_t euid = geteuid();
  ParallelFor(
      local.size(), parallelism,
      [&](size_t k) {
        size_t i = local[k];
        results[i] =
            MaterializeLocal(root.fd, path_, root_st.st_dev, euid, *plan.files[i], made[i]);
      },
      ParallelGrain{kMaterializeGrain, 16});
  for (size_t i : stored) {
    const SandboxEntry& entry = *plan.files[i];
    results[i] = source->MaterializeFile(std::get<StoredFile>(entry.source),
                                         absl::StrCat(path_, "/", entry.path), entry.executable);
    if (results[i].ok()) made[i] = Made::kFromSource;
  }
  for (Made m : made) {
    switch (m) {
      case Made::kNothing: break;
      case Made::kHardlinked: ++st.hardlinked; break;
      case Made::kCopied: ++st.copied; break;
      case Made::kWritten: ++st.written; break;
      case Made::kFromSource: ++st.from_source; break;
    }
  }
  for (absl::Status& s : results) {
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

void Sandbox::AddTempDirEnv(std::map<std::string, std::string>& env) const {
  std::string tmp = tmp_dir();
  env["TMPDIR"] = tmp;
  env["TEMP"] = tmp;
  env["TMP"] = tmp;
}

absl::StatusOr<CollectedOutputs> Sandbox::CollectOutputs(
    const std::vector<std::string>& output_files,
    const std::vector<std::string>& output_directories) const {
  CollectedOutputs out;
  for (const std::string& rel : output_files) {
    if (absl::Status s = ValidateRelativePath(rel, "output file"); !s.ok()) return s;
    std::string abs = absl::StrCat(path_, "/", rel);
    struct stat st;
    if (lstat(abs.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
    out.files.push_back({rel, abs, (st.st_mode & 0111) != 0, st.st_size});
  }
  for (const std::string& rel : output_directories) {
    if (absl::Status s = ValidateRelativePath(rel, "output directory"); !s.ok()) return s;
    std::string abs = absl::StrCat(path_, "/", rel);
    struct stat st;
    if (lstat(abs.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    WalkOutputDir(path_, rel, out);
  }
  std::sort(out.files.begin(), out.files.end(),
            [](const OutputFile& a, const OutputFile& b) { return a.path < b.path; });
  out.files.erase(std::unique(out.files.begin(), out.files.end(),
                              [](const OutputFile& a, const OutputFile& b) {
                                return a.path == b.path;
                              }),
                  out.files.end());
  std::sort(out.directories.begin(), out.directories.end());
  out.directories.erase(std::unique(out.directories.begin(), out.directories.end()),
                        out.directories.end());
  return out;
}

absl::Status Sandbox::WriteRunScript(const ProcessSpec& spec) const {
  std::string script = "#!/usr/bin/env bash\n";
  absl::StrAppend(&script, "# This command line should execute the same process as braid did",
                  " internally", spec.description.empty() ? "" : ":\n# ", spec.description, "\n");
  if (spec.sandbox.isolation == SandboxSpec::Isolation::kNamespaces) {
    absl::StrAppend(&script,
                    "# braid ran it in Linux namespaces (read-only filesystem except the sandbox",
                    spec.sandbox.loopback_only_network ? ", loopback-only network" : "",
                    "); this script does not.\n");
  }
  absl::StrAppend(&script, "cd ", ShellQuote(spec.cwd.empty() ? path_ : spec.cwd), "\n");
  std::vector<std::string> words = {"env", "-i"};
  for (const auto& [key, value] : spec.env) words.push_back(ShellQuote(absl::StrCat(key, "=", value)));
  for (const std::string& arg : spec.argv) words.push_back(ShellQuote(arg));
  absl::StrAppend(&script, absl::StrJoin(words, " "), "\n");

  std::string dest = absl::StrCat(path_, "/", kRunScriptName);
  int fd = open(dest.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
  if (fd < 0) return IoError("cannot write", dest, errno);
  Fd closer(fd);
  fchmod(fd, 0755);
  absl::string_view data = script;
  while (!data.empty()) {
    ssize_t w = write(fd, data.data(), data.size());
    if (w < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", dest, errno);
    }
    data.remove_prefix(static_cast<size_t>(w));
  }
  return absl::OkStatus();
}

absl::Status Sandbox::Remove() {
  if (path_.empty()) return absl::OkStatus();
  absl::Status s = RemoveTree(path_);
  if (s.ok()) path_.clear();
  return s;
}

absl::Status RemoveTree(const std::string& path) {
  if (path.empty() || path == "/") {
    return absl::InternalError(absl::StrCat("refusing to remove '", path, "'"));
  }
  if (RemoveAt(AT_FDCWD, path.c_str()) != 0) return IoError("cannot remove", path, errno);
  return absl::OkStatus();
}

}  // namespace braid::exec
