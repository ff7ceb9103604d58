#include "core/store/internal/file_ops.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <random>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/base/error.h"

namespace braid::store::internal {

UniqueFd& UniqueFd::operator=(UniqueFd&& o) noexcept {
  if (this != &o) {
    Reset();
    fd_ = o.Release();
  }
  return *this;
}

int UniqueFd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void UniqueFd::Reset() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

Location FileLocation(absl::string_view path) {
  Location loc;
  loc.file = std::string(path);
  return loc;
}

absl::Status ErrnoError(absl::string_view path, absl::string_view what, int err) {
  std::string message = absl::StrCat(what, ": ", std::strerror(err));
  if (err == ENOENT) return absl::NotFoundError(absl::StrCat(path, ": ", message));
  return EnvironmentError(FileLocation(path), message);
}

absl::StatusOr<UniqueFd> OpenFile(const std::string& path, int flags, mode_t mode) {
  while (true) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC, mode);
    if (fd >= 0) return UniqueFd(fd);
    if (errno != EINTR) return ErrnoError(path, "cannot open", errno);
  }
}

absl::Status ReadChunks(int fd, absl::string_view path,
                        const std::function<absl::Status(absl::string_view)>& sink) {
  char buf[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return absl::OkStatus();
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(path, "cannot read", errno);
    }
    absl::Status s = sink(absl::string_view(buf, static_cast<size_t>(n)));
    if (!s.ok()) return s;
  }
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  absl::StatusOr<UniqueFd> fd = OpenFile(path, O_RDONLY);
  if (!fd.ok()) return fd.status();
  std::string out;
  struct stat st;
  if (::fstat(fd->get(), &st) == 0 && st.st_size > 0) out.reserve(static_cast<size_t>(st.st_size));
  absl::Status s = ReadChunks(fd->get(), path, [&](absl::string_view chunk) {
    out.append(chunk.data(), chunk.size());
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return out;
}

absl::Status WriteAll(int fd, absl::string_view path, absl::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoError(path, "cannot write", errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> CreateTempFile(const std::string& dir, absl::string_view hint,
                                           UniqueFd* fd) {
  static std::atomic<uint64_t> counter{0};
  // Seeded per process: names only need to differ between concurrent writers,
  // and O_EXCL settles any collision anyway.
  thread_local std::mt19937_64 rng(std::random_device{}() ^
                                   (static_cast<uint64_t>(::getpid()) << 32));
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string path = absl::StrCat(dir, "/", hint, ".", ::getpid(), ".", counter++, ".",
                                    absl::Hex(rng() & 0xffffffffu), ".tmp");
    int f = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (f >= 0) {
      *fd = UniqueFd(f);
      return path;
    }
    if (errno == EINTR || errno == EEXIST) continue;
    return ErrnoError(path, "cannot create temporary file", errno);
  }
  return EnvironmentError(FileLocation(dir), "cannot create a unique temporary file");
}

absl::Status RenameIntoPlace(const std::string& from, const std::string& to, bool fsync_dir) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    if (errno != ENOENT) return ErrnoError(to, "cannot rename into place", errno);
    // The shard directory does not exist yet (created lazily on first write).
    absl::Status s = MakeDirs(Dirname(to));
    if (!s.ok()) return s;
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return ErrnoError(to, "cannot rename into place", errno);
    }
  }
  if (fsync_dir) return FsyncDir(Dirname(to));
  return absl::OkStatus();
}

absl::Status WriteFileAtomically(const std::string& tmp_dir, const std::string& final_path,
                                 absl::string_view data, const AtomicWriteOptions& options) {
  UniqueFd fd;
  absl::StatusOr<std::string> tmp = CreateTempFile(tmp_dir, "w", &fd);
  if (!tmp.ok()) return tmp.status();
  absl::Status s = WriteAll(fd.get(), *tmp, data);
  if (s.ok() && ::fchmod(fd.get(), options.mode) != 0) s = ErrnoError(*tmp, "cannot chmod", errno);
  if (s.ok() && options.durable && ::fsync(fd.get()) != 0) {
    s = ErrnoError(*tmp, "cannot fsync", errno);
  }
  fd.Reset();
  if (s.ok()) s = RenameIntoPlace(*tmp, final_path, options.durable);
  if (!s.ok()) ::unlink(tmp->c_str());
  return s;
}

absl::Status MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return ErrnoError(path, "cannot create directory", ec.value());
  return absl::OkStatus();
}

absl::Status FsyncDir(const std::string& dir) {
  absl::StatusOr<UniqueFd> fd = OpenFile(dir, O_RDONLY | O_DIRECTORY);
  if (!fd.ok()) return fd.status();
  if (::fsync(fd->get()) != 0) return ErrnoError(dir, "cannot fsync directory", errno);
  return absl::OkStatus();
}

std::string Dirname(const std::string& path) {
  size_t slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

int64_t TimespecNanos(const struct timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

void TouchIfOlder(const std::string& path, const struct stat& st, int64_t min_age_seconds) {
  struct timespec now;
  ::clock_gettime(CLOCK_REALTIME, &now);
  if (now.tv_sec - st.st_mtim.tv_sec < min_age_seconds) return;
  struct timespec times[2];
  times[0].tv_nsec = UTIME_OMIT;
  times[0].tv_sec = 0;
  times[1].tv_nsec = UTIME_NOW;
  times[1].tv_sec = 0;
  ::utimensat(AT_FDCWD, path.c_str(), times, 0);
}

}  // namespace braid::store::internal
