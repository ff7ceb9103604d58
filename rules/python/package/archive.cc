#include "rules/python/package/archive.h"

#include <algorithm>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace braid::python::package {

absl::StatusOr<int64_t> ArchiveTimeFromEnv(const std::map<std::string, std::string>& env) {
  auto it = env.find("SOURCE_DATE_EPOCH");
  if (it == env.end() || it->second.empty()) return kDefaultArchiveTime;
  int64_t t = 0;
  if (!absl::SimpleAtoi(it->second, &t) || t < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "SOURCE_DATE_EPOCH must be a non-negative integer (seconds since 1970), got '",
        it->second, "'"));
  }
  return t;
}

absl::Status ValidateEntries(const std::vector<ArchiveEntry>& entries) {
  std::set<absl::string_view> seen;
  for (const ArchiveEntry& e : entries) {
    bool ok = !e.path.empty() && e.path[0] != '/' && e.path.back() != '/';
    for (absl::string_view part : absl::StrSplit(e.path, '/')) {
      if (part.empty() || part == "." || part == "..") ok = false;
    }
    if (!ok) return absl::InvalidArgumentError(absl::StrCat("bad archive path '", e.path, "'"));
    if (!seen.insert(e.path).second) {
      return absl::InvalidArgumentError(absl::StrCat("duplicate archive path '", e.path, "'"));
    }
  }
  return absl::OkStatus();
}

void SortEntries(std::vector<ArchiveEntry>& entries) {
  std::sort(entries.begin(), entries.end(),
            [](const ArchiveEntry& a, const ArchiveEntry& b) { return a.path < b.path; });
}

}  // namespace braid::python::package
