#include "core/store/file_digest_cache.h"

#include <sys/stat.h>

#include <cerrno>
#include <ctime>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/store/internal/file_ops.h"

namespace braid::store {
namespace {

constexpr absl::string_view kHeader = "braid-file-digests 1\n";
// Timestamp granularity we do not trust stat to resolve (see header).
constexpr int64_t kRacyWindowNs = 2'000'000'000;

int64_t NowNs() {
  struct timespec now;
  ::clock_gettime(CLOCK_REALTIME, &now);
  return internal::TimespecNanos(now);
}

bool SameStat(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         internal::TimespecNanos(a.st_mtim) == internal::TimespecNanos(b.st_mtim) &&
         internal::TimespecNanos(a.st_ctim) == internal::TimespecNanos(b.st_ctim);
}

absl::StatusOr<struct stat> StatRegular(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return internal::ErrnoError(path, "cannot stat", errno);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, ": not a regular file"));
  }
  return st;
}

}  // namespace

FileDigestCache::FileDigestCache(std::string persist_path)
    : persist_path_(std::move(persist_path)) {}

absl::Status FileDigestCache::Load() {
  if (persist_path_.empty()) return absl::OkStatus();
  absl::StatusOr<std::string> text = internal::ReadFile(persist_path_);
  if (absl::IsNotFound(text.status())) return absl::OkStatus();
  if (!text.ok()) return text.status();
  absl::string_view rest = *text;
  if (!absl::ConsumePrefix(&rest, kHeader)) return absl::OkStatus();  // foreign: start afresh
  for (absl::string_view line : absl::StrSplit(rest, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, '\t');
    if (f.size() != 9) continue;
    std::string path;
    Entry e;
    if (!absl::CUnescape(f[0], &path) || !absl::SimpleAtoi(f[1], &e.dev) ||
        !absl::SimpleAtoi(f[2], &e.ino) || !absl::SimpleAtoi(f[3], &e.size) ||
        !absl::SimpleAtoi(f[4], &e.mtime_ns) || !absl::SimpleAtoi(f[5], &e.ctime_ns) ||
        (f[6] != "0" && f[6] != "1") || !Fingerprint::FromHex(f[7], &e.fingerprint)) {
      continue;
    }
    e.racy = f[6] == "1";
    e.digest = Digest{std::string(f[8]), e.size};
    if (!e.digest.IsValid()) continue;
    entries_[path] = e;
  }
  dirty_ = false;
  return absl::OkStatus();
}

absl::Status FileDigestCache::Save() {
  if (persist_path_.empty() || !dirty_) return absl::OkStatus();
  std::string out(kHeader);
  for (const auto& [path, e] : entries_) {
    absl::StrAppend(&out, absl::CEscape(path), "\t", e.dev, "\t", e.ino, "\t", e.size, "\t",
                    e.mtime_ns, "\t", e.ctime_ns, "\t", e.racy ? "1" : "0", "\t",
                    e.fingerprint.Hex(), "\t", e.digest.hash, "\n");
  }
  // The temp file goes beside the target: this file may live outside a store.
  absl::Status s = internal::MakeDirs(internal::Dirname(persist_path_));
  if (!s.ok()) return s;
  s = internal::WriteFileAtomically(internal::Dirname(persist_path_), persist_path_,
                                                 out, {0644, false});
  if (s.ok()) dirty_ = false;
  return s;
}

absl::StatusOr<Digest> FileDigestCache::DigestOf(const std::string& abs_path) {
  if (!answer_once_) return Lookup(abs_path);
  if (auto seen = answered_.find(abs_path); seen != answered_.end()) {
    ++stats_.repeats;
    return seen->second;
  }
  absl::StatusOr<Digest> d = Lookup(abs_path);
  if (d.ok()) answered_.emplace(abs_path, *d);
  return d;
}

absl::StatusOr<Digest> FileDigestCache::Lookup(const std::string& abs_path) {
  absl::StatusOr<struct stat> before = StatRegular(abs_path);
  if (!before.ok()) return before.status();
  const struct stat& st = *before;
  auto it = entries_.find(abs_path);
  Entry fresh;
  fresh.dev = st.st_dev;
  fresh.ino = st.st_ino;
  fresh.size = st.st_size;
  fresh.mtime_ns = internal::TimespecNanos(st.st_mtim);
  fresh.ctime_ns = internal::TimespecNanos(st.st_ctim);

  if (it != entries_.end()) {
    const Entry& old = it->second;
    bool same_stat = old.dev == fresh.dev && old.ino == fresh.ino && old.size == fresh.size &&
                     old.mtime_ns == fresh.mtime_ns && old.ctime_ns == fresh.ctime_ns;
    if (same_stat && !old.racy) {
      ++stats_.stat_hits;
      return old.digest;
    }
    if (old.size == fresh.size) {
      absl::StatusOr<Fingerprint> fp = FingerprintOfFile(abs_path);
      if (!fp.ok()) return fp.status();
      if (*fp == old.fingerprint) {
        ++stats_.fingerprint_hits;
        absl::StatusOr<struct stat> after = StatRegular(abs_path);
        if (after.ok() && SameStat(st, *after)) {
          fresh.fingerprint = old.fingerprint;
          fresh.digest = old.digest;
          fresh.racy = NowNs() - fresh.mtime_ns < kRacyWindowNs;
          it->second = fresh;
          dirty_ = true;
        }
        return old.digest;
      }
    }
  }

  ++stats_.full_hashes;
  absl::StatusOr<FileHashes> hashes = HashFile(abs_path);
  if (!hashes.ok()) return hashes.status();
  absl::StatusOr<struct stat> after = StatRegular(abs_path);
  if (after.ok() && SameStat(st, *after) && hashes->digest.size_bytes == fresh.size) {
    fresh.fingerprint = hashes->fingerprint;
    fresh.digest = hashes->digest;
    fresh.racy = NowNs() - fresh.mtime_ns < kRacyWindowNs;
    entries_[abs_path] = fresh;
    dirty_ = true;
  } else {
    if (entries_.erase(abs_path) > 0) dirty_ = true;  // changing under us: forget it
  }
  return hashes->digest;
}

}  // namespace braid::store
