// Reproducible zip archives (wheels and PEX files).
//
// Format (APPNOTE.TXT 6.3, the subset every unzip, Python's zipfile and
// zipimport read): for each entry in the given order a local file header
// (version needed 2.0, flag 0x0800 only for non-ASCII names, method 8 = raw
// deflate from zlib at level 6, or 0 = stored when deflate does not shrink
// the data), the data, no data descriptor; then the central directory with
// "made by" Unix 2.0 and external attributes (0100644 or 0100755) << 16;
// then the end-of-central-directory record without a comment. No directory
// entries, no extra fields, no ZIP64 (more than 65535 entries or 4 GiB is an
// error). Every entry gets the same DOS timestamp (see archive.h).
//
// Usage:
//   std::vector<ArchiveEntry> entries = ...;  // in the order wanted
//   absl::StatusOr<std::string> zip = WriteZip(entries, kDefaultArchiveTime);
#ifndef BRAID_RULES_PYTHON_PACKAGE_ZIP_WRITER_H_
#define BRAID_RULES_PYTHON_PACKAGE_ZIP_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rules/python/package/archive.h"

namespace braid::python::package {

/// The zip archive of `entries` in their order, every entry stamped
/// `unix_time` (clamped to the DOS range 1980..2107), after `prefix` (e.g. a
/// PEX's shebang line; offsets count it, so readers need no adjusting).
/// Fails (kInvalidArgument) on a bad or duplicate path and on sizes that
/// would need ZIP64.
absl::StatusOr<std::string> WriteZip(const std::vector<ArchiveEntry>& entries, int64_t unix_time,
                                     absl::string_view prefix = {});

/// zlib raw deflate (no header, window 2^15, level 6) of `data`.
absl::StatusOr<std::string> RawDeflate(absl::string_view data);

/// CRC-32 (ISO-HDLC, as zip and gzip use it) of `data`.
uint32_t Crc32(absl::string_view data);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_ZIP_WRITER_H_
