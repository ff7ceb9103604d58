#include "core/fs/file_system.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "core/fs/path.h"

namespace braid::fs {

namespace {
// The record getdents64(2) fills in (glibc does not declare it).
struct LinuxDirent64 {
  ino64_t d_ino;
  off64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};
}  // namespace

namespace {

std::string Shown(absl::string_view path) { return path.empty() ? "." : std::string(path); }

absl::Status ErrnoError(int err, absl::string_view what, absl::string_view path) {
  std::string msg = absl::StrCat(what, " '", Shown(path), "': ", std::strerror(err));
  if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(msg);
  return absl::FailedPreconditionError(msg);
}

absl::Status NotFound(absl::string_view what, absl::string_view path) {
  return absl::NotFoundError(
      absl::StrCat(what, " '", Shown(path), "': No such file or directory"));
}

FileKind KindOfMode(mode_t mode) {
  if (S_ISREG(mode)) return FileKind::kFile;
  if (S_ISDIR(mode)) return FileKind::kDir;
  return FileKind::kOther;
}

}  // namespace

// ---------------------------------------------------------------- RealFileSystem

RealFileSystem::RealFileSystem(std::string root) {
  absl::string_view r = root;
  while (r.size() > 1 && r.back() == '/') r.remove_suffix(1);
  root_ = r.empty() ? std::string(".") : std::string(r);
}

std::string RealFileSystem::Absolute(absl::string_view path) const {
  if (path.empty()) return root_;
  return absl::StrCat(root_, "/", path);
}

absl::StatusOr<std::string> RealFileSystem::ReadFile(absl::string_view path) const {
  // open + read + close, without an fstat: reading every BUILD file is on the
  // hot path of every command, and syscalls are the floor there. A read that
  // returns less than asked is end of file for a regular file (the only kind
  // braid reads); a directory fails the read with EISDIR.
  std::string abs = Absolute(path);
  int fd = ::open(abs.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError(errno, "cannot read", path);
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ErrnoError(err, "cannot read", path);
    }
    out.append(buf, static_cast<size_t>(n));
    if (static_cast<size_t>(n) < sizeof buf) break;
  }
  ::close(fd);
  return out;
}

absl::StatusOr<std::vector<DirEntry>> RealFileSystem::ListDir(absl::string_view path) const {
  // open(O_DIRECTORY) + getdents64 directly: opendir() adds an fstat per
  // directory, a measurable cost when listing thousands of them.
  std::string abs = Absolute(path);
  int dfd = ::open(abs.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return ErrnoError(errno, "cannot list directory", path);
  std::vector<DirEntry> out;
  alignas(8) char buf[32768];
  int err = 0;
  while (true) {
    long n = ::syscall(SYS_getdents64, dfd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      err = errno;
      break;
    }
    if (n == 0) break;
    for (long off = 0; off < n;) {
    auto* de = reinterpret_cast<struct LinuxDirent64*>(buf + off);
    off += de->d_reclen;
    const char* name = de->d_name;
    if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'))) continue;
    DirEntry entry;
    entry.name = name;
    switch (de->d_type) {
      case DT_REG:
        entry.kind = FileKind::kFile;
        break;
      case DT_DIR:
        entry.kind = FileKind::kDir;
        break;
      case DT_LNK:
      case DT_UNKNOWN: {
        // Only here do we pay for a stat: resolve what the entry really is.
        struct stat st;
        if (de->d_type == DT_LNK) {
          entry.is_symlink = true;
        } else if (::fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)) {
          entry.is_symlink = true;
        }
        if (::fstatat(dfd, name, &st, 0) == 0) {
          entry.kind = KindOfMode(st.st_mode);
        } else {
          entry.kind = FileKind::kOther;  // broken symlink or vanished entry
        }
        break;
      }
      default:
        entry.kind = FileKind::kOther;
    }
    out.push_back(std::move(entry));
    }
  }
  ::close(dfd);
  if (err != 0) return ErrnoError(err, "cannot list directory", path);
  std::sort(out.begin(), out.end(),
            [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; });
  return out;
}

absl::StatusOr<FileStat> RealFileSystem::Stat(absl::string_view path) const {
  std::string abs = Absolute(path);
  struct stat st;
  FileStat out;
  if (::lstat(abs.c_str(), &st) != 0) return ErrnoError(errno, "cannot stat", path);
  if (S_ISLNK(st.st_mode)) {
    out.is_symlink = true;
    if (::stat(abs.c_str(), &st) != 0) return ErrnoError(errno, "cannot stat", path);
  }
  out.kind = KindOfMode(st.st_mode);
  out.size = out.kind == FileKind::kDir ? 0 : static_cast<int64_t>(st.st_size);
  out.mtime_ns = static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  return out;
}

// ---------------------------------------------------------------- FakeFileSystem

void FakeFileSystem::AddDir(absl::string_view path) {
  std::string p(path);
  while (true) {
    auto [it, inserted] = nodes_.try_emplace(p);
    if (inserted) it->second.kind = FileKind::kDir;
    if (p.empty()) return;
    p = std::string(Dirname(p));
  }
}

void FakeFileSystem::AddFile(absl::string_view path, absl::string_view contents) {
  AddDir(Dirname(path));
  Node& n = nodes_[std::string(path)];
  n.kind = FileKind::kFile;
  n.contents = std::string(contents);
  n.symlink_target.clear();
}

void FakeFileSystem::AddSymlink(absl::string_view path, absl::string_view target) {
  AddDir(Dirname(path));
  Node& n = nodes_[std::string(path)];
  n.kind = FileKind::kOther;
  n.symlink_target = std::string(target);
}

void FakeFileSystem::SetMtime(absl::string_view path, int64_t mtime_ns) {
  auto it = nodes_.find(path);
  if (it != nodes_.end()) it->second.mtime_ns = mtime_ns;
}

const FakeFileSystem::Node* FakeFileSystem::Resolve(absl::string_view path,
                                                    bool* is_symlink) const {
  *is_symlink = false;
  auto it = nodes_.find(path);
  if (it == nodes_.end()) return nullptr;
  if (it->second.symlink_target.empty()) return &it->second;
  *is_symlink = true;
  auto target = nodes_.find(it->second.symlink_target);
  if (target == nodes_.end() || !target->second.symlink_target.empty()) return nullptr;
  return &target->second;
}

absl::StatusOr<std::string> FakeFileSystem::ReadFile(absl::string_view path) const {
  bool is_symlink;
  const Node* n = Resolve(path, &is_symlink);
  if (n == nullptr) return NotFound("cannot read", path);
  if (n->kind == FileKind::kDir) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot read '", Shown(path), "': Is a directory"));
  }
  return n->contents;
}

absl::StatusOr<std::vector<DirEntry>> FakeFileSystem::ListDir(absl::string_view path) const {
  bool is_symlink;
  const Node* n = Resolve(path, &is_symlink);
  if (n == nullptr) return NotFound("cannot list directory", path);
  if (n->kind != FileKind::kDir) {
    return absl::NotFoundError(
        absl::StrCat("cannot list directory '", Shown(path), "': Not a directory"));
  }
  // Children of a symlinked directory are those of its target.
  std::string dir(path);
  if (is_symlink) dir = nodes_.find(path)->second.symlink_target;
  std::string prefix = dir.empty() ? "" : dir + "/";
  std::vector<DirEntry> out;
  for (auto it = nodes_.lower_bound(prefix); it != nodes_.end(); ++it) {
    const std::string& p = it->first;
    if (p.compare(0, prefix.size(), prefix) != 0) break;
    if (p.size() == prefix.size()) continue;  // the root itself
    absl::string_view rest = absl::string_view(p).substr(prefix.size());
    if (rest.find('/') != absl::string_view::npos) continue;
    DirEntry e;
    e.name = std::string(rest);
    bool link;
    const Node* target = Resolve(p, &link);
    e.is_symlink = link;
    e.kind = target == nullptr ? FileKind::kOther : target->kind;
    out.push_back(std::move(e));
  }
  return out;  // map order == byte order of names within one directory
}

absl::StatusOr<FileStat> FakeFileSystem::Stat(absl::string_view path) const {
  bool is_symlink;
  const Node* n = Resolve(path, &is_symlink);
  if (n == nullptr) return NotFound("cannot stat", path);
  FileStat st;
  st.kind = n->kind;
  st.is_symlink = is_symlink;
  st.size = n->kind == FileKind::kDir ? 0 : static_cast<int64_t>(n->contents.size());
  st.mtime_ns = n->mtime_ns;
  return st;
}

}  // namespace braid::fs
