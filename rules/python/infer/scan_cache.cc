#include "rules/python/infer/scan_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <random>

#include "absl/strings/str_cat.h"
#include "core/base/parallel.h"

namespace braid::python {
namespace {

constexpr char kMagic[8] = {'B', 'R', 'A', 'I', 'D', 'P', 'Y', 'S'};
// Timestamp granularity we do not trust stat to resolve (see the header).
constexpr int64_t kRacyWindowNs = 2'000'000'000;

int64_t Nanos(const struct timespec& ts) {
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

int64_t NowNs() {
  struct timespec now;
  ::clock_gettime(CLOCK_REALTIME, &now);
  return Nanos(now);
}

absl::Status Errno(absl::string_view what, absl::string_view path, int err) {
  return absl::FailedPreconditionError(absl::StrCat(path, ": ", what, ": ", std::strerror(err)));
}

// Reads a whole file; nullopt-like empty status on ENOENT is the caller's.
absl::StatusOr<std::string> ReadWhole(const std::string& path, int64_t size_hint = -1) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Errno("cannot open", path, errno);
  std::string out;
  if (size_hint < 0) {
    struct stat st;
    size_hint = ::fstat(fd, &st) == 0 ? st.st_size : 0;
  }
  out.resize(static_cast<size_t>(size_hint) + 1);
  size_t used = 0;
  while (true) {
    if (used == out.size()) out.resize(out.size() * 2 + 4096);
    ssize_t n = ::read(fd, out.data() + used, out.size() - used);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return Errno("cannot read", path, err);
    }
    if (n == 0) break;
    used += static_cast<size_t>(n);
  }
  ::close(fd);
  out.resize(used);
  return out;
}

// Appends little-endian values (x86-64 and aarch64 Linux are little-endian;
// the magic check rejects a file from a foreign byte order anyway).
class Writer {
 public:
  template <typename T>
  void Put(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out_.append(b, sizeof(T));
  }
  void Str(absl::string_view s) {
    Put<uint32_t>(static_cast<uint32_t>(s.size()));
    out_.append(s.data(), s.size());
  }
  void Raw(const char* p, size_t n) { out_.append(p, n); }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

// Bounds-checked reads; any overrun sets ok() false and yields zeros.
class Reader {
 public:
  explicit Reader(absl::string_view data) : data_(data) {}
  template <typename T>
  T Get() {
    T v{};
    if (data_.size() - pos_ < sizeof(T) || !ok_) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  absl::string_view Str() {
    uint32_t n = Get<uint32_t>();
    if (!ok_ || data_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    absl::string_view s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  // A count that cannot exceed what is left (each item needs >= min_bytes).
  uint32_t Count(size_t min_bytes) {
    uint32_t n = Get<uint32_t>();
    if (ok_ && static_cast<uint64_t>(n) * min_bytes > data_.size() - pos_) ok_ = false;
    return ok_ ? n : 0;
  }
  bool ok() const { return ok_; }
  bool at_end() const { return pos_ == data_.size(); }

 private:
  absl::string_view data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

ImportScanCache::ImportScanCache(std::string persist_path, uint64_t config_key)
    : persist_path_(std::move(persist_path)), config_key_(config_key) {}

void ImportScanCache::Load() {
  if (persist_path_.empty()) return;
  absl::StatusOr<std::string> data = ReadWhole(persist_path_);
  if (!data.ok() || !Parse(*data)) {
    files_.clear();
    scans_.clear();
  }
}

bool ImportScanCache::Parse(absl::string_view data) {
  if (data.size() < sizeof(kMagic) + 8 + 8 + 8) return false;
  uint64_t want;
  std::memcpy(&want, data.data() + data.size() - 8, 8);
  data.remove_suffix(8);
  if (XXH3_64bits(data.data(), data.size()) != want) return false;
  if (std::memcmp(data.data(), kMagic, sizeof(kMagic)) != 0) return false;
  Reader r(data.substr(sizeof(kMagic)));
  if (r.Get<uint32_t>() != kImportScanCacheFormat) return false;
  if (r.Get<uint32_t>() != kImportScannerVersion) return false;
  if (r.Get<uint64_t>() != config_key_) return false;
  uint32_t n_scans = r.Count(16 + 13);
  std::vector<Key> keys;
  keys.reserve(n_scans);
  scans_.reserve(n_scans);
  for (uint32_t i = 0; i < n_scans && r.ok(); ++i) {
    Key key;
    key.first = r.Get<uint64_t>();
    key.second = r.Get<uint64_t>();
    auto scan = std::make_unique<FileScan>();
    uint32_t n = r.Count(4 + 4 + 3);
    scan->imports.resize(n);
    for (ImportRecord& rec : scan->imports) {
      rec.module = std::string(r.Str());
      rec.line = static_cast<int>(r.Get<uint32_t>());
      rec.level = r.Get<uint8_t>();
      uint8_t kind = r.Get<uint8_t>();
      if (kind > static_cast<uint8_t>(ImportKind::kStringImport)) return false;
      rec.kind = static_cast<ImportKind>(kind);
      rec.weak = r.Get<uint8_t>() != 0;
    }
    n = r.Count(4 + 4);
    scan->infer_deps.resize(n);
    for (InferDepPragma& p : scan->infer_deps) {
      p.address = std::string(r.Str());
      p.line = static_cast<int>(r.Get<uint32_t>());
    }
    n = r.Count(4 + 4);
    scan->assets.resize(n);
    for (AssetString& a : scan->assets) {
      a.path = std::string(r.Str());
      a.line = static_cast<int>(r.Get<uint32_t>());
    }
    scan->blank = r.Get<uint8_t>() != 0;
    keys.push_back(key);
    scans_[key] = std::move(scan);
  }
  uint32_t n_files = r.Count(4 + 8 * 5 + 1 + 4);
  files_.reserve(n_files);
  for (uint32_t i = 0; i < n_files && r.ok(); ++i) {
    std::string path(r.Str());
    FileEntry e;
    e.dev = r.Get<uint64_t>();
    e.ino = r.Get<uint64_t>();
    e.size = r.Get<int64_t>();
    e.mtime_ns = r.Get<int64_t>();
    e.ctime_ns = r.Get<int64_t>();
    e.racy = r.Get<uint8_t>() != 0;
    uint32_t scan = r.Get<uint32_t>();
    if (scan >= keys.size()) return false;
    e.key = keys[scan];
    files_[std::move(path)] = e;
  }
  return r.ok() && r.at_end();
}

absl::Status ImportScanCache::Save(const std::function<bool(absl::string_view)>& keep) {
  if (persist_path_.empty() || !dirty_) return absl::OkStatus();
  // Deterministic bytes: files sorted by path, scans in first-use order.
  std::vector<const std::pair<const std::string, FileEntry>*> files;
  files.reserve(files_.size());
  for (const auto& entry : files_) {
    if (!keep || keep(entry.first)) files.push_back(&entry);
  }
  std::sort(files.begin(), files.end(), [](const auto* a, const auto* b) { return a->first < b->first; });
  absl::flat_hash_map<Key, uint32_t> scan_index;
  std::vector<const std::pair<const Key, std::unique_ptr<FileScan>>*> scans;
  for (const auto* f : files) {
    auto it = scans_.find(f->second.key);
    if (it == scans_.end()) continue;
    if (scan_index.emplace(f->second.key, static_cast<uint32_t>(scans.size())).second) {
      scans.push_back(&*it);
    }
  }
  Writer w;
  w.Raw(kMagic, sizeof(kMagic));
  w.Put<uint32_t>(kImportScanCacheFormat);
  w.Put<uint32_t>(kImportScannerVersion);
  w.Put<uint64_t>(config_key_);
  w.Put<uint32_t>(static_cast<uint32_t>(scans.size()));
  for (const auto* s : scans) {
    w.Put<uint64_t>(s->first.first);
    w.Put<uint64_t>(s->first.second);
    const FileScan& scan = *s->second;
    w.Put<uint32_t>(static_cast<uint32_t>(scan.imports.size()));
    for (const ImportRecord& rec : scan.imports) {
      w.Str(rec.module);
      w.Put<uint32_t>(static_cast<uint32_t>(rec.line));
      w.Put<uint8_t>(static_cast<uint8_t>(rec.level));
      w.Put<uint8_t>(static_cast<uint8_t>(rec.kind));
      w.Put<uint8_t>(rec.weak ? 1 : 0);
    }
    w.Put<uint32_t>(static_cast<uint32_t>(scan.infer_deps.size()));
    for (const InferDepPragma& p : scan.infer_deps) {
      w.Str(p.address);
      w.Put<uint32_t>(static_cast<uint32_t>(p.line));
    }
    w.Put<uint32_t>(static_cast<uint32_t>(scan.assets.size()));
    for (const AssetString& a : scan.assets) {
      w.Str(a.path);
      w.Put<uint32_t>(static_cast<uint32_t>(a.line));
    }
    w.Put<uint8_t>(scan.blank ? 1 : 0);
  }
  uint32_t n_files = 0;
  for (const auto* f : files) n_files += scan_index.contains(f->second.key) ? 1 : 0;
  w.Put<uint32_t>(n_files);
  for (const auto* f : files) {
    auto idx = scan_index.find(f->second.key);
    if (idx == scan_index.end()) continue;
    const FileEntry& e = f->second;
    w.Str(f->first);
    w.Put<uint64_t>(e.dev);
    w.Put<uint64_t>(e.ino);
    w.Put<int64_t>(e.size);
    w.Put<int64_t>(e.mtime_ns);
    w.Put<int64_t>(e.ctime_ns);
    w.Put<uint8_t>(e.racy ? 1 : 0);
    w.Put<uint32_t>(idx->second);
  }
  std::string& bytes = w.out();
  w.Put<uint64_t>(XXH3_64bits(bytes.data(), bytes.size()));

  // Write a private temp file next to the target, then rename over it.
  std::string dir = persist_path_.substr(0, persist_path_.rfind('/'));
  for (size_t i = 1; i <= dir.size(); ++i) {
    if (i == dir.size() || dir[i] == '/') {
      std::string prefix = dir.substr(0, i);
      if (::mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
        return Errno("cannot create directory", prefix, errno);
      }
    }
  }
  std::random_device rd;
  std::string tmp = absl::StrCat(persist_path_, ".tmp.", ::getpid(), ".", rd());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return Errno("cannot create", tmp, errno);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return Errno("cannot write", tmp, err);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0 || ::rename(tmp.c_str(), persist_path_.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return Errno("cannot replace", persist_path_, err);
  }
  dirty_ = false;
  return absl::OkStatus();
}

ImportScanCache::Probe ImportScanCache::ProbeFile(absl::string_view root, int root_fd,
                                                  absl::string_view path,
                                                  const ScanFn& scan) const {
  Probe out;
  struct stat st;
  // Most files are unchanged and cost only this stat: relative to the open
  // root when there is one (fewer path components to resolve), through a
  // stack copy of the path (no allocation).
  char rel[4096];
  int rc;
  if (root_fd >= 0 && path.size() < sizeof rel) {
    std::memcpy(rel, path.data(), path.size());
    rel[path.size()] = '\0';
    rc = ::fstatat(root_fd, rel, &st, 0);
  } else {
    rc = ::stat(absl::StrCat(root, "/", path).c_str(), &st);
  }
  if (rc != 0) {
    int err = errno;
    out.error = Errno("cannot stat", absl::StrCat(root, "/", path), err);
    return out;
  }
  FileEntry& fresh = out.entry;
  fresh.dev = st.st_dev;
  fresh.ino = st.st_ino;
  fresh.size = st.st_size;
  fresh.mtime_ns = Nanos(st.st_mtim);
  fresh.ctime_ns = Nanos(st.st_ctim);
  auto it = files_.find(path);
  if (it != files_.end()) {
    const FileEntry& old = it->second;
    if (!old.racy && old.dev == fresh.dev && old.ino == fresh.ino && old.size == fresh.size &&
        old.mtime_ns == fresh.mtime_ns && old.ctime_ns == fresh.ctime_ns) {
      auto s = scans_.find(old.key);
      if (s != scans_.end()) {
        out.entry = old;
        out.found = s->second.get();
        out.stat_hit = true;
        return out;
      }
    }
  }
  std::string abs = absl::StrCat(root, "/", path);
  absl::StatusOr<std::string> content = ReadWhole(abs, fresh.size);
  if (!content.ok()) {
    out.error = content.status();
    return out;
  }
  XXH128_hash_t h = XXH3_128bits(content->data(), content->size());
  fresh.key = Key{h.high64, h.low64};
  fresh.racy = NowNs() - fresh.mtime_ns < kRacyWindowNs;
  auto s = scans_.find(fresh.key);
  if (s != scans_.end()) {
    out.found = s->second.get();
  } else {
    out.scanned = std::make_unique<FileScan>(scan(*content));
  }
  return out;
}

absl::StatusOr<const FileScan*> ImportScanCache::Commit(absl::string_view path, Probe probe) {
  if (!probe.error.ok()) return probe.error;
  if (probe.stat_hit) {
    ++stats_.stat_hits;
    return probe.found;
  }
  const FileEntry& fresh = probe.entry;
  const FileScan* result = probe.found;
  if (result == nullptr) {
    // Another file of the same batch may have brought the same bytes.
    auto s = scans_.find(fresh.key);
    if (s != scans_.end()) {
      result = s->second.get();
    }
  }
  if (result != nullptr) {
    ++stats_.content_hits;
  } else {
    ++stats_.scans;
    result = probe.scanned.get();
    scans_.emplace(fresh.key, std::move(probe.scanned));
    dirty_ = true;
  }
  auto it = files_.find(path);
  if (it == files_.end()) {
    files_.emplace(std::string(path), fresh);
    dirty_ = true;
  } else if (const FileEntry& o = it->second;
             o.dev != fresh.dev || o.ino != fresh.ino || o.size != fresh.size ||
             o.mtime_ns != fresh.mtime_ns || o.ctime_ns != fresh.ctime_ns ||
             o.racy != fresh.racy || o.key != fresh.key) {
    it->second = fresh;
    dirty_ = true;
  }
  return result;
}

absl::StatusOr<const FileScan*> ImportScanCache::Get(absl::string_view root,
                                                     absl::string_view path, const ScanFn& scan) {
  return Commit(path, ProbeFile(root, /*root_fd=*/-1, path, scan));
}

std::vector<absl::StatusOr<const FileScan*>> ImportScanCache::GetMany(
    absl::string_view root, absl::Span<const std::string> paths, const ScanFn& scan,
    int parallelism) {
  std::vector<Probe> probes(paths.size());
  // -1 (no such directory, too many open files): probes use absolute paths.
  int root_fd = ::open(std::string(root).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  // Probing only reads the cache, so workers share it without locks; each
  // writes its own slots of `probes`.
  ParallelFor(paths.size(), parallelism,
              [&](size_t i) { probes[i] = ProbeFile(root, root_fd, paths[i], scan); });
  if (root_fd >= 0) ::close(root_fd);
  std::vector<absl::StatusOr<const FileScan*>> out;
  out.reserve(paths.size());
  for (size_t i = 0; i < paths.size(); ++i) out.push_back(Commit(paths[i], std::move(probes[i])));
  return out;
}

}  // namespace braid::python
