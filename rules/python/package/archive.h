// What goes into a reproducible archive (zip or tar.gz), and the one
// timestamp every entry gets.
//
// Reproducibility: an archive's bytes depend only on its entries (in the
// order given), their contents and executable bits, and the timestamp. The
// timestamp is SOURCE_DATE_EPOCH when set (https://reproducible-builds.org),
// else 1980-01-01T00:00:00Z, the earliest time a zip (DOS) date can hold.
// Owner, group, umask and the files' own mtimes never reach the archive:
// modes are normalised to 0644, or 0755 for executables.
#ifndef BRAID_RULES_PYTHON_PACKAGE_ARCHIVE_H_
#define BRAID_RULES_PYTHON_PACKAGE_ARCHIVE_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace braid::python::package {

/// One regular file of an archive. Invariant: `path` is relative, uses '/',
/// has no "." or ".." parts and is unique within its archive.
struct ArchiveEntry {
  std::string path;
  std::string data;
  bool executable = false;  // mode 0755 instead of 0644
};

/// 1980-01-01T00:00:00Z.
inline constexpr int64_t kDefaultArchiveTime = 315532800;

/// The archive timestamp: SOURCE_DATE_EPOCH from `env` when set, else
/// kDefaultArchiveTime. A value that is not a non-negative integer is a user
/// error naming the variable.
absl::StatusOr<int64_t> ArchiveTimeFromEnv(const std::map<std::string, std::string>& env);

/// Checks the ArchiveEntry invariants for every entry (kInvalidArgument naming
/// the first bad path).
absl::Status ValidateEntries(const std::vector<ArchiveEntry>& entries);

/// Sorts entries by path (byte order), the order braid writes archives in.
void SortEntries(std::vector<ArchiveEntry>& entries);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_ARCHIVE_H_
