#include "core/store/store.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "core/base/error.h"
#include "core/store/internal/file_ops.h"

namespace braid::store {
namespace {

using internal::UniqueFd;

struct EntryInfo {
  std::string path;
  int64_t size = 0;
  int64_t mtime_ns = 0;
};

int64_t NowSeconds() {
  struct timespec now;
  ::clock_gettime(CLOCK_REALTIME, &now);
  return now.tv_sec;
}

// Lists the regular files one level below `dir` (dir/<shard>/<file>) or,
// with `flat`, directly in `dir`. Entries that vanish meanwhile are skipped:
// other processes (and GCs) run concurrently.
void ListRegularFiles(const std::string& dir, bool flat, std::vector<EntryInfo>* out) {
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (struct dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    std::string path = absl::StrCat(dir, "/", name);
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) continue;
    if (!flat && S_ISDIR(st.st_mode)) {
      ListRegularFiles(path, /*flat=*/true, out);
    } else if (S_ISREG(st.st_mode)) {
      out->push_back(EntryInfo{path, static_cast<int64_t>(st.st_size),
                               internal::TimespecNanos(st.st_mtim)});
    }
  }
  ::closedir(d);
}

std::vector<EntryInfo> ListEntries(const std::string& root) {
  std::vector<EntryInfo> entries;
  ListRegularFiles(root + "/cas", false, &entries);
  ListRegularFiles(root + "/ac", false, &entries);
  return entries;
}

}  // namespace

Store::Store(std::string dir, std::string root, CasOptions cas_options)
    : dir_(std::move(dir)),
      root_(std::move(root)),
      cas_(root_ + "/cas", root_ + "/tmp", cas_options),
      ac_(root_ + "/ac", root_ + "/tmp", &cas_) {}

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const std::string& dir,
                                                   CasOptions cas_options) {
  if (dir.empty() || dir[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("the store directory must be an absolute path, got '", dir, "'"));
  }
  std::string root = dir + "/v1";
  for (const char* sub : {"/cas", "/ac", "/tmp"}) {
    absl::Status s = internal::MakeDirs(root + sub);
    if (!s.ok()) return s;
  }
  std::string version_path = root + "/VERSION";
  absl::StatusOr<std::string> version = internal::ReadFile(version_path);
  if (version.ok()) {
    if (*version != kStoreVersionLine) {
      return EnvironmentError(
          internal::FileLocation(version_path),
          absl::StrCat("unexpected store version '", absl::CEscape(*version), "'"),
          "another program may be using this directory; point [GLOBAL] local_store_dir "
          "elsewhere or remove it");
    }
  } else if (absl::IsNotFound(version.status())) {
    // Concurrent first opens write the same bytes; rename makes that safe.
    absl::Status s = internal::WriteFileAtomically(root + "/tmp", version_path,
                                                   kStoreVersionLine, {0644, true});
    if (!s.ok()) return s;
  } else {
    return version.status();
  }
  return std::unique_ptr<Store>(new Store(dir, std::move(root), cas_options));
}

absl::StatusOr<int64_t> Store::SizeBytes() const {
  int64_t total = 0;
  for (const EntryInfo& e : ListEntries(root_)) total += e.size;
  return total;
}

absl::StatusOr<GcStats> Store::Gc(const GcOptions& options) {
  if (options.max_bytes < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("GC size cap must not be negative, got ", options.max_bytes));
  }
  const int64_t target =
      options.target_bytes < 0 ? options.max_bytes : std::min(options.target_bytes, options.max_bytes);
  GcStats stats;
  std::string lock_path = root_ + "/gc.lock";
  absl::StatusOr<UniqueFd> lock = internal::OpenFile(lock_path, O_RDWR | O_CREAT, 0644);
  if (!lock.ok()) return lock.status();
  if (::flock(lock->get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) return stats;  // another GC is running: it will do the work
    return internal::ErrnoError(lock_path, "cannot lock", errno);
  }
  stats.ran = true;

  // Stray temp files of crashed writers. Young ones may be in flight.
  std::vector<EntryInfo> temps;
  ListRegularFiles(root_ + "/tmp", /*flat=*/true, &temps);
  const int64_t stale_before_ns = (NowSeconds() - kStaleTempSeconds) * 1000000000;
  for (const EntryInfo& t : temps) {
    if (t.mtime_ns < stale_before_ns && ::unlink(t.path.c_str()) == 0) {
      ++stats.temp_files_removed;
    }
  }

  std::vector<EntryInfo> entries = ListEntries(root_);
  for (const EntryInfo& e : entries) stats.bytes_before += e.size;
  stats.bytes_after = stats.bytes_before;
  if (stats.bytes_before > options.max_bytes) {
    std::sort(entries.begin(), entries.end(), [](const EntryInfo& a, const EntryInfo& b) {
      return a.mtime_ns != b.mtime_ns ? a.mtime_ns < b.mtime_ns : a.path < b.path;
    });
    for (const EntryInfo& e : entries) {
      if (stats.bytes_after <= target) break;
      if (::unlink(e.path.c_str()) == 0 || errno == ENOENT) {
        stats.bytes_after -= e.size;
        ++stats.entries_removed;
      }
    }
  }
  return stats;  // the lock is released when `lock` closes
}

absl::StatusOr<std::optional<GcStats>> Store::MaybeGc(int64_t max_bytes) {
  std::string stamp = root_ + "/gc.stamp";
  struct stat st;
  if (::stat(stamp.c_str(), &st) == 0 && NowSeconds() - st.st_mtim.tv_sec < kAutoGcIntervalSeconds) {
    return std::nullopt;
  }
  // Stamp first, so processes finishing together do not all walk the store.
  {
    absl::StatusOr<UniqueFd> fd = internal::OpenFile(stamp, O_WRONLY | O_CREAT, 0644);
    if (!fd.ok()) return fd.status();
    ::futimens(fd->get(), nullptr);
  }
  absl::StatusOr<GcStats> stats = Gc(GcOptions{max_bytes, max_bytes / 10 * 8});
  if (!stats.ok()) return stats.status();
  return std::optional<GcStats>(*stats);
}

absl::StatusOr<std::string> DefaultStoreDir(const std::map<std::string, std::string>& env) {
  auto xdg = env.find("XDG_CACHE_HOME");
  if (xdg != env.end() && !xdg->second.empty() && xdg->second[0] == '/') {
    return xdg->second + "/braid";
  }
  auto home = env.find("HOME");
  if (home != env.end() && !home->second.empty()) return home->second + "/.cache/braid";
  return EnvironmentError(Location(), "cannot find a directory for braid's cache",
                          "set XDG_CACHE_HOME or HOME, or [GLOBAL] local_store_dir");
}

}  // namespace braid::store
