#include "core/store/cas.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "core/base/log.h"
#include "core/base/sha256.h"
#include "core/store/internal/file_ops.h"

namespace braid::store {
namespace {

using internal::UniqueFd;

constexpr mode_t kBlobMode = 0444;
constexpr mode_t kExecutableMode = 0555;

// Whether the file at `path` has exactly `bytes` (used by Put to keep an
// intact existing copy without re-hashing it).
bool FileEquals(const std::string& path, absl::string_view bytes, struct stat* st) {
  absl::StatusOr<UniqueFd> fd = internal::OpenFile(path, O_RDONLY);
  if (!fd.ok()) return false;
  if (::fstat(fd->get(), st) != 0 || !S_ISREG(st->st_mode) ||
      st->st_size != static_cast<off_t>(bytes.size())) {
    return false;
  }
  size_t offset = 0;
  bool equal = true;
  absl::Status s = internal::ReadChunks(fd->get(), path, [&](absl::string_view chunk) {
    if (offset + chunk.size() > bytes.size() ||
        bytes.substr(offset, chunk.size()) != chunk) {
      equal = false;
      return absl::CancelledError();
    }
    offset += chunk.size();
    return absl::OkStatus();
  });
  return s.ok() && equal && offset == bytes.size();
}

}  // namespace

LocalCas::LocalCas(std::string root, std::string tmp_dir, CasOptions options)
    : root_(std::move(root)),
      tmp_dir_(std::move(tmp_dir)),
      allow_hardlinks_(options.allow_hardlinks.value_or(::geteuid() != 0)) {}

std::string LocalCas::Path(const Digest& digest) const {
  if (!digest.IsValid()) return "";
  return absl::StrCat(root_, "/", digest.hash.substr(0, 2), "/", digest.hash, "-",
                      digest.size_bytes);
}

absl::StatusOr<Digest> LocalCas::Put(absl::string_view bytes) {
  Digest digest = DigestOf(bytes);
  std::string path = Path(digest);
  struct stat st;
  if (FileEquals(path, bytes, &st)) {
    internal::TouchIfOlder(path, st, internal::kLruTouchSeconds);
    return digest;
  }
  absl::Status s = internal::WriteFileAtomically(tmp_dir_, path, bytes, {kBlobMode, false});
  if (!s.ok()) return s;
  return digest;
}

absl::StatusOr<Digest> LocalCas::PutFile(const std::string& path) {
  absl::StatusOr<UniqueFd> src = internal::OpenFile(path, O_RDONLY);
  if (!src.ok()) return src.status();
  UniqueFd tmp_fd;
  absl::StatusOr<std::string> tmp = internal::CreateTempFile(tmp_dir_, "put", &tmp_fd);
  if (!tmp.ok()) return tmp.status();
  Sha256 sha;
  int64_t size = 0;
  absl::Status s = internal::ReadChunks(src->get(), path, [&](absl::string_view chunk) {
    sha.Update(chunk);
    size += static_cast<int64_t>(chunk.size());
    return internal::WriteAll(tmp_fd.get(), *tmp, chunk);
  });
  if (s.ok() && ::fchmod(tmp_fd.get(), kBlobMode) != 0) {
    s = internal::ErrnoError(*tmp, "cannot chmod", errno);
  }
  tmp_fd.Reset();
  Digest digest{sha.HexDigest(), size};
  if (s.ok()) s = internal::RenameIntoPlace(*tmp, Path(digest), /*fsync_dir=*/false);
  if (!s.ok()) {
    ::unlink(tmp->c_str());
    return s;
  }
  return digest;
}

std::optional<std::string> LocalCas::Get(const Digest& digest) {
  std::string path = Path(digest);
  if (path.empty()) return std::nullopt;
  absl::StatusOr<UniqueFd> fd = internal::OpenFile(path, O_RDONLY);
  if (!fd.ok()) return std::nullopt;
  struct stat st;
  if (::fstat(fd->get(), &st) != 0) return std::nullopt;
  if (st.st_size != digest.size_bytes) {
    Quarantine(path, st, "wrong size");
    return std::nullopt;
  }
  std::string bytes;
  bytes.reserve(static_cast<size_t>(st.st_size));
  absl::Status s = internal::ReadChunks(fd->get(), path, [&](absl::string_view chunk) {
    bytes.append(chunk.data(), chunk.size());
    return absl::OkStatus();
  });
  if (!s.ok()) return std::nullopt;
  if (bytes.size() != static_cast<size_t>(digest.size_bytes) || Sha256Hex(bytes) != digest.hash) {
    Quarantine(path, st, "content does not match its SHA-256");
    return std::nullopt;
  }
  internal::TouchIfOlder(path, st, internal::kLruTouchSeconds);
  return bytes;
}

bool LocalCas::Has(const Digest& digest) const {
  std::string path = Path(digest);
  struct stat st;
  return !path.empty() && ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         st.st_size == digest.size_bytes;
}

bool LocalCas::Verify(const Digest& digest) {
  std::string path = Path(digest);
  return !path.empty() && VerifyPath(path, digest);
}

bool LocalCas::VerifyPath(const std::string& path, const Digest& digest) {
  absl::StatusOr<UniqueFd> fd = internal::OpenFile(path, O_RDONLY);
  if (!fd.ok()) return false;
  struct stat st;
  if (::fstat(fd->get(), &st) != 0) return false;
  if (st.st_size != digest.size_bytes) {
    Quarantine(path, st, "wrong size");
    return false;
  }
  Sha256 sha;
  int64_t size = 0;
  absl::Status s = internal::ReadChunks(fd->get(), path, [&](absl::string_view chunk) {
    sha.Update(chunk);
    size += static_cast<int64_t>(chunk.size());
    return absl::OkStatus();
  });
  if (!s.ok()) return false;
  if (size != digest.size_bytes || sha.HexDigest() != digest.hash) {
    Quarantine(path, st, "content does not match its SHA-256");
    return false;
  }
  internal::TouchIfOlder(path, st, internal::kLruTouchSeconds);
  return true;
}

void LocalCas::Quarantine(const std::string& path, const struct stat& st, absl::string_view why) {
  struct stat now;
  if (::stat(path.c_str(), &now) != 0 || now.st_ino != st.st_ino || now.st_dev != st.st_dev) {
    return;  // already removed or replaced by another process
  }
  BRAID_LOG(kWarn) << "store: removing damaged entry " << path << " (" << why << ")";
  ::unlink(path.c_str());
}

absl::Status LocalCas::CopyVerified(const Digest& digest, int dest_fd, const std::string& dest) {
  std::string path = Path(digest);
  absl::StatusOr<UniqueFd> src = internal::OpenFile(path, O_RDONLY);
  if (!src.ok()) return absl::NotFoundError(absl::StrCat("blob ", digest.ToString(), " is not in the store"));
  struct stat st;
  if (::fstat(src->get(), &st) != 0) return internal::ErrnoError(path, "cannot stat", errno);
  Sha256 sha;
  int64_t size = 0;
  absl::Status s = internal::ReadChunks(src->get(), path, [&](absl::string_view chunk) {
    sha.Update(chunk);
    size += static_cast<int64_t>(chunk.size());
    return internal::WriteAll(dest_fd, dest, chunk);
  });
  if (!s.ok()) return s;
  if (size != digest.size_bytes || sha.HexDigest() != digest.hash) {
    Quarantine(path, st, "content does not match its SHA-256");
    return absl::NotFoundError(absl::StrCat("blob ", digest.ToString(), " was damaged and has been removed"));
  }
  internal::TouchIfOlder(path, st, internal::kLruTouchSeconds);
  return absl::OkStatus();
}

absl::StatusOr<std::string> LocalCas::ExecutableTwin(const Digest& digest) {
  std::string twin = Path(digest) + ".x";
  if (VerifyPath(twin, digest)) return twin;
  UniqueFd fd;
  absl::StatusOr<std::string> tmp = internal::CreateTempFile(tmp_dir_, "x", &fd);
  if (!tmp.ok()) return tmp.status();
  absl::Status s = CopyVerified(digest, fd.get(), *tmp);
  if (s.ok() && ::fchmod(fd.get(), kExecutableMode) != 0) {
    s = internal::ErrnoError(*tmp, "cannot chmod", errno);
  }
  fd.Reset();
  if (s.ok()) s = internal::RenameIntoPlace(*tmp, twin, /*fsync_dir=*/false);
  if (!s.ok()) {
    ::unlink(tmp->c_str());
    return s;
  }
  return twin;
}

absl::Status LocalCas::MaterializeFile(const Digest& digest, const std::string& dest,
                                       bool executable) {
  if (!digest.IsValid()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid digest '", digest.ToString(), "'"));
  }
  absl::Status parent = internal::MakeDirs(internal::Dirname(dest));
  if (!parent.ok()) return parent;
  if (allow_hardlinks_) {
    std::string source = Path(digest);
    if (executable) {
      absl::StatusOr<std::string> twin = ExecutableTwin(digest);
      if (!twin.ok()) return twin.status();
      source = *twin;
    } else if (!VerifyPath(source, digest)) {
      return absl::NotFoundError(
          absl::StrCat("blob ", digest.ToString(), " is missing or damaged"));
    }
    if (::link(source.c_str(), dest.c_str()) == 0) return absl::OkStatus();
    // EXDEV: another filesystem; EMLINK: too many links; EPERM: the
    // filesystem does not support hard links. All fall back to a copy.
    if (errno != EXDEV && errno != EMLINK && errno != EPERM) {
      return internal::ErrnoError(dest, "cannot link from the store", errno);
    }
  }
  absl::StatusOr<UniqueFd> fd = internal::OpenFile(dest, O_WRONLY | O_CREAT | O_EXCL, 0600);
  if (!fd.ok()) return fd.status();
  absl::Status s = CopyVerified(digest, fd->get(), dest);
  if (s.ok() && ::fchmod(fd->get(), executable ? kExecutableMode : kBlobMode) != 0) {
    s = internal::ErrnoError(dest, "cannot chmod", errno);
  }
  fd->Reset();
  if (!s.ok()) ::unlink(dest.c_str());
  return s;
}

}  // namespace braid::store
