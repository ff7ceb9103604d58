#include "rules/python/package/names.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "re2/re2.h"
#include "rules/python/requirements.h"

namespace braid::python::package {

namespace {

// Strips leading zeros of a decimal digit string ("007" -> "7", "0" -> "0").
std::string Int(absl::string_view digits) {
  size_t i = 0;
  while (i + 1 < digits.size() && digits[i] == '0') ++i;
  return std::string(digits.substr(i));
}

}  // namespace

bool IsValidProjectName(absl::string_view name) {
  static const RE2 kName("(?i)[A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9]");
  return RE2::FullMatch(std::string(name), kName);
}

std::string CanonicalName(absl::string_view name) { return CanonicalProjectName(name); }

std::string FileNameComponent(absl::string_view name) {
  std::string c = CanonicalName(name);
  std::replace(c.begin(), c.end(), '-', '_');
  return c;
}

absl::StatusOr<std::string> NormalizeVersion(absl::string_view version) {
  // packaging's VERSION_PATTERN, with the groups numbered:
  // 1 epoch, 2 release, 3 pre label, 4 pre number, 5 implicit post number,
  // 6 post label, 7 post number, 8 dev label, 9 dev number, 10 local.
  static const RE2 kVersion(
      "(?i)\\s*v?(?:([0-9]+)!)?([0-9]+(?:\\.[0-9]+)*)"
      "(?:[-_.]?(alpha|beta|preview|pre|rc|a|b|c)[-_.]?([0-9]+)?)?"
      "(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?"
      "(?:[-_.]?(dev)[-_.]?([0-9]+)?)?"
      "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?\\s*");
  std::string g[10];
  if (!RE2::FullMatch(std::string(version), kVersion, &g[0], &g[1], &g[2], &g[3], &g[4], &g[5], &g[6], &g[7],
                      &g[8], &g[9])) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid version '", version, "' (not PEP 440)"));
  }
  std::string out;
  if (!g[0].empty() && Int(g[0]) != "0") absl::StrAppend(&out, Int(g[0]), "!");
  std::vector<std::string> parts = absl::StrSplit(g[1], '.');
  for (size_t i = 0; i < parts.size(); ++i) absl::StrAppend(&out, i ? "." : "", Int(parts[i]));
  if (!g[2].empty()) {
    std::string l = absl::AsciiStrToLower(g[2]);
    if (l == "alpha") l = "a";
    if (l == "beta") l = "b";
    if (l == "c" || l == "pre" || l == "preview") l = "rc";
    absl::StrAppend(&out, l, g[3].empty() ? "0" : Int(g[3]));
  }
  if (!g[4].empty()) absl::StrAppend(&out, ".post", Int(g[4]));
  if (!g[5].empty()) absl::StrAppend(&out, ".post", g[6].empty() ? "0" : Int(g[6]));
  if (!g[7].empty()) absl::StrAppend(&out, ".dev", g[8].empty() ? "0" : Int(g[8]));
  if (!g[9].empty()) {
    std::string local = absl::AsciiStrToLower(g[9]);
    std::replace(local.begin(), local.end(), '-', '.');
    std::replace(local.begin(), local.end(), '_', '.');
    // packaging prints numeric local parts as integers.
    std::vector<std::string> lp = absl::StrSplit(local, '.');
    for (std::string& p : lp) {
      if (std::all_of(p.begin(), p.end(), [](char c) { return c >= '0' && c <= '9'; })) p = Int(p);
    }
    absl::StrAppend(&out, "+", absl::StrJoin(lp, "."));
  }
  return out;
}

}  // namespace braid::python::package
