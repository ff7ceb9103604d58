// Reproducible .tar.gz archives (sdists).
//
// Format: POSIX ustar (magic "ustar\0", version "00") 512-byte headers for
// regular files, in the given order: mode 0644/0755, uid/gid 0, empty
// uname/gname, every mtime the same. A path that does not fit ustar's
// name[100] + prefix[155] split, or is not ASCII, is preceded by a pax
// extended header ("././@PaxHeader", type 'x') holding `path=`. The archive
// ends with two zero blocks and is padded to a multiple of 10240 bytes (as
// GNU tar and Python's tarfile do). The gzip wrapper comes from zlib
// (deflateInit2 with a gzip header, level 9): MTIME is the archive time, no
// file name, OS = 255 (unknown), so the bytes do not depend on the host.
//
// Usage:
//   absl::StatusOr<std::string> tgz = WriteTarGz(entries, kDefaultArchiveTime);
#ifndef BRAID_RULES_PYTHON_PACKAGE_TAR_WRITER_H_
#define BRAID_RULES_PYTHON_PACKAGE_TAR_WRITER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rules/python/package/archive.h"

namespace braid::python::package {

/// The (uncompressed) tar stream of `entries` in their order. Fails
/// (kInvalidArgument) on a bad or duplicate path or a file of 8 GiB or more.
absl::StatusOr<std::string> WriteTar(const std::vector<ArchiveEntry>& entries, int64_t unix_time);

/// gzip (RFC 1952) of `data` with MTIME `unix_time` and no file name.
absl::StatusOr<std::string> Gzip(absl::string_view data, int64_t unix_time);

/// Gzip(WriteTar(entries)).
absl::StatusOr<std::string> WriteTarGz(const std::vector<ArchiveEntry>& entries,
                                       int64_t unix_time);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_TAR_WRITER_H_
