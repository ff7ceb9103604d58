#include "core/store/digest.h"

#include <fcntl.h>
#include <xxhash.h>

#include <array>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/base/sha256.h"
#include "core/store/internal/file_ops.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace braid::store {
namespace {

struct XxhStateDeleter {
  void operator()(XXH3_state_t* s) const { XXH3_freeState(s); }
};
using XxhState = std::unique_ptr<XXH3_state_t, XxhStateDeleter>;

XxhState NewXxhState() {
  XxhState s(XXH3_createState());
  XXH3_128bits_reset(s.get());
  return s;
}

Fingerprint FromXxh(XXH128_hash_t h) { return Fingerprint{h.high64, h.low64}; }

// Streams a file through `update`, returning the number of bytes read.
absl::StatusOr<int64_t> StreamFile(const std::string& path,
                                   const std::function<void(absl::string_view)>& update) {
  absl::StatusOr<internal::UniqueFd> fd = internal::OpenFile(path, O_RDONLY);
  if (!fd.ok()) return fd.status();
  int64_t size = 0;
  absl::Status s = internal::ReadChunks(fd->get(), path, [&](absl::string_view chunk) {
    update(chunk);
    size += static_cast<int64_t>(chunk.size());
    return absl::OkStatus();
  });
  if (!s.ok()) return s;
  return size;
}

bool IsLowerHex(absl::string_view s) {
  // Branch-free over the whole string: digests are checked on every path built from them.
  static constexpr auto kHex = [] {
    std::array<bool, 256> t{};
    for (char c = '0'; c <= '9'; ++c) t[static_cast<unsigned char>(c)] = true;
    for (char c = 'a'; c <= 'f'; ++c) t[static_cast<unsigned char>(c)] = true;
    return t;
  }();
  bool ok = true;
  for (char c : s) ok &= kHex[static_cast<unsigned char>(c)];
  return ok;
}

}  // namespace

bool Digest::IsValid() const {
  return size_bytes >= 0 && hash.size() == 64 && IsLowerHex(hash);
}

std::string Digest::ToString() const { return absl::StrCat(hash, "/", size_bytes); }

const Digest& EmptyDigest() {
  static const Digest* empty =
      new Digest{"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 0};
  return *empty;
}

Digest DigestOf(absl::string_view bytes) {
  return Digest{Sha256Hex(bytes), static_cast<int64_t>(bytes.size())};
}

absl::StatusOr<Digest> DigestOfFile(const std::string& path) {
  Sha256 sha;
  absl::StatusOr<int64_t> size = StreamFile(path, [&](absl::string_view c) { sha.Update(c); });
  if (!size.ok()) return size.status();
  return Digest{sha.HexDigest(), *size};
}

std::string SerializeDeterministic(const google::protobuf::MessageLite& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

Digest DigestOfMessage(const google::protobuf::MessageLite& message) {
  return DigestOf(SerializeDeterministic(message));
}

reapi::Digest ToProto(const Digest& digest) {
  reapi::Digest p;
  p.set_hash(digest.hash);
  p.set_size_bytes(digest.size_bytes);
  return p;
}

absl::StatusOr<Digest> FromProto(const reapi::Digest& proto) {
  Digest d{proto.hash(), proto.size_bytes()};
  if (!d.IsValid()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid SHA-256 digest '", d.ToString(),
                     "': expected 64 lowercase hex digits and a non-negative size"));
  }
  return d;
}

std::string Fingerprint::Hex() const { return absl::StrFormat("%016x%016x", high, low); }

bool Fingerprint::FromHex(absl::string_view hex, Fingerprint* out) {
  if (hex.size() != 32 || !IsLowerHex(hex)) return false;
  uint64_t hi = 0, lo = 0;
  if (!absl::SimpleHexAtoi(hex.substr(0, 16), &hi) || !absl::SimpleHexAtoi(hex.substr(16), &lo)) {
    return false;
  }
  *out = Fingerprint{hi, lo};
  return true;
}

Fingerprint FingerprintOf(absl::string_view bytes) {
  return FromXxh(XXH3_128bits(bytes.data(), bytes.size()));
}

absl::StatusOr<Fingerprint> FingerprintOfFile(const std::string& path) {
  XxhState state = NewXxhState();
  absl::StatusOr<int64_t> size = StreamFile(
      path, [&](absl::string_view c) { XXH3_128bits_update(state.get(), c.data(), c.size()); });
  if (!size.ok()) return size.status();
  return FromXxh(XXH3_128bits_digest(state.get()));
}

absl::StatusOr<FileHashes> HashFile(const std::string& path) {
  Sha256 sha;
  XxhState state = NewXxhState();
  absl::StatusOr<int64_t> size = StreamFile(path, [&](absl::string_view c) {
    sha.Update(c);
    XXH3_128bits_update(state.get(), c.data(), c.size());
  });
  if (!size.ok()) return size.status();
  return FileHashes{Digest{sha.HexDigest(), *size}, FromXxh(XXH3_128bits_digest(state.get()))};
}

}  // namespace braid::store
