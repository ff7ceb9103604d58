// Content digests (SHA-256, the REAPI key) and fast fingerprints (xxHash).
//
// Usage:
//   Digest d = DigestOf("hello");              // {"2cf24d...", 5}
//   absl::StatusOr<Digest> f = DigestOfFile("/abs/src/app.py");  // streamed
//   reapi::Digest p = ToProto(d);
//   absl::StatusOr<Digest> back = FromProto(p);  // validated
//   Digest cmd = DigestOfMessage(command);     // deterministic encoding
//
// Two hashes, two jobs:
//   - SHA-256 (OpenSSL, core/base/sha256.h) names content everywhere a result
//     could be reused: CAS blobs, Directory trees, Action keys. It is REAPI's
//     standard digest function, so a remote cache can use the same keys.
//   - XXH3-128 (libxxhash) is ~10x faster and only answers "did this local file
//     change since I last hashed it?" (file_digest_cache.h). It is never a
//     cache key and never leaves the machine.
#ifndef BRAID_CORE_STORE_DIGEST_H_
#define BRAID_CORE_STORE_DIGEST_H_

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/store/reapi.pb.h"

namespace braid::store {

/// A REAPI digest. Invariant (when IsValid()): `hash` is 64 lowercase hex
/// digits, the SHA-256 of `size_bytes` bytes of content.
struct Digest {
  std::string hash;
  int64_t size_bytes = 0;

  /// 64 lowercase hex digits and a non-negative size. Everything that turns a
  /// digest into a path checks this first, so a hostile digest cannot escape
  /// the store directory.
  bool IsValid() const;
  /// "<hash>/<size>", REAPI's resource-name form.
  std::string ToString() const;

  bool operator==(const Digest& o) const { return size_bytes == o.size_bytes && hash == o.hash; }
  bool operator!=(const Digest& o) const { return !(*this == o); }
  bool operator<(const Digest& o) const {
    return std::tie(hash, size_bytes) < std::tie(o.hash, o.size_bytes);
  }
  template <typename H>
  friend H AbslHashValue(H h, const Digest& d) {
    return H::combine(std::move(h), d.hash, d.size_bytes);
  }
};

/// The digest of zero bytes: e3b0c442...b855, size 0.
const Digest& EmptyDigest();

/// SHA-256 digest of `bytes`.
Digest DigestOf(absl::string_view bytes);

/// SHA-256 digest of a file's content, read in 64 KiB chunks (never whole).
absl::StatusOr<Digest> DigestOfFile(const std::string& path);

/// The message's deterministic binary encoding: fields in tag order, no
/// unknown fields. REAPI keys a proto message by the digest of these bytes.
std::string SerializeDeterministic(const google::protobuf::MessageLite& message);

/// DigestOf(SerializeDeterministic(message)).
Digest DigestOfMessage(const google::protobuf::MessageLite& message);

reapi::Digest ToProto(const Digest& digest);

/// kInvalidArgument if the proto is not a valid SHA-256 digest.
absl::StatusOr<Digest> FromProto(const reapi::Digest& proto);

/// A 128-bit XXH3 fingerprint; equality means "same content" with accidental
/// collision odds of 2^-128. Local change detection only, never a cache key.
struct Fingerprint {
  uint64_t high = 0;
  uint64_t low = 0;

  /// 32 lowercase hex digits.
  std::string Hex() const;
  /// Parses Hex() output.
  static bool FromHex(absl::string_view hex, Fingerprint* out);
  bool operator==(const Fingerprint& o) const { return high == o.high && low == o.low; }
  bool operator!=(const Fingerprint& o) const { return !(*this == o); }
};

/// XXH3-128 of `bytes`.
Fingerprint FingerprintOf(absl::string_view bytes);

/// XXH3-128 of a file, streamed.
absl::StatusOr<Fingerprint> FingerprintOfFile(const std::string& path);

/// Both hashes of a file from a single read.
struct FileHashes {
  Digest digest;
  Fingerprint fingerprint;
};
absl::StatusOr<FileHashes> HashFile(const std::string& path);

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_DIGEST_H_
