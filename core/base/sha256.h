// SHA-256 digests (OpenSSL libcrypto), the content hash of REAPI-style keys.
//
// Usage:
//   Sha256 h; h.Update("abc"); std::string hex = h.HexDigest();
//   std::string hex2 = Sha256Hex("abc");
#ifndef BRAID_CORE_BASE_SHA256_H_
#define BRAID_CORE_BASE_SHA256_H_

#include <memory>
#include <string>

#include "absl/strings/string_view.h"

namespace braid {

/// Incremental SHA-256. Not copyable; HexDigest() finalises it.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(absl::string_view data);
  /// 64 lowercase hex characters. Call once.
  std::string HexDigest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// SHA-256 of `data` as 64 lowercase hex characters.
std::string Sha256Hex(absl::string_view data);

}  // namespace braid

#endif  // BRAID_CORE_BASE_SHA256_H_
