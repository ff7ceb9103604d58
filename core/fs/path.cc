#include "core/fs/path.h"

#include <algorithm>

#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace braid::fs {
namespace {

// Splits into parts, resolving "." and "..". Returns false if ".." climbs
// above the start.
bool Resolve(absl::string_view path, std::vector<absl::string_view>* parts) {
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == "..") {
      if (parts->empty()) return false;
      parts->pop_back();
      continue;
    }
    parts->push_back(part);
  }
  return true;
}

}  // namespace

absl::StatusOr<std::string> NormalizeRelativePath(absl::string_view path) {
  if (IsAbsolutePath(path)) {
    return absl::InvalidArgumentError(
        absl::StrCat("path '", path, "' must be relative to the build root"));
  }
  std::vector<absl::string_view> parts;
  if (!Resolve(path, &parts)) {
    return absl::InvalidArgumentError(absl::StrCat("path '", path, "' escapes the build root"));
  }
  return absl::StrJoin(parts, "/");
}

bool EscapesRoot(absl::string_view path) {
  if (IsAbsolutePath(path)) return false;
  std::vector<absl::string_view> parts;
  return !Resolve(path, &parts);
}

std::string JoinPath(absl::string_view a, absl::string_view b) {
  if (a.empty()) return std::string(b);
  if (b.empty()) return std::string(a);
  if (a.back() == '/') return absl::StrCat(a, b);
  return absl::StrCat(a, "/", b);
}

absl::string_view Dirname(absl::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) return "";
  return path.substr(0, slash);
}

absl::string_view Basename(absl::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == absl::string_view::npos) return path;
  return path.substr(slash + 1);
}

absl::string_view Extension(absl::string_view path) {
  absl::string_view base = Basename(path);
  size_t dot = base.rfind('.');
  // Like PurePath.suffix: no suffix for ".bashrc", "x." or "x".
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 == base.size()) return "";
  return base.substr(dot);
}

std::string RelativePath(absl::string_view from_dir, absl::string_view to) {
  std::vector<absl::string_view> from_parts = absl::StrSplit(from_dir, '/', absl::SkipEmpty());
  std::vector<absl::string_view> to_parts = absl::StrSplit(to, '/', absl::SkipEmpty());
  size_t common = 0;
  while (common < from_parts.size() && common < to_parts.size() &&
         from_parts[common] == to_parts[common]) {
    ++common;
  }
  std::vector<absl::string_view> out;
  for (size_t i = common; i < from_parts.size(); ++i) out.push_back("..");
  for (size_t i = common; i < to_parts.size(); ++i) out.push_back(to_parts[i]);
  if (out.empty()) return ".";
  return absl::StrJoin(out, "/");
}

bool IsUnderDir(absl::string_view path, absl::string_view dir) {
  if (dir.empty()) return true;
  if (path.size() < dir.size() || path.substr(0, dir.size()) != dir) return false;
  return path.size() == dir.size() || path[dir.size()] == '/';
}

int ComparePaths(absl::string_view a, absl::string_view b) {
  // Part-by-part order equals byte order once '/' ranks below every other
  // byte (and the end of a path below '/'): one pass, no splitting. This is
  // on the hot path of sorting every address.
  if (!a.empty() && a.back() == '/') a.remove_suffix(1);
  if (!b.empty() && b.back() == '/') b.remove_suffix(1);
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    unsigned char ca = static_cast<unsigned char>(a[i]);
    unsigned char cb = static_cast<unsigned char>(b[i]);
    if (ca == cb) continue;
    int ka = ca == '/' ? 0 : ca + 1;
    int kb = cb == '/' ? 0 : cb + 1;
    return ka < kb ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace braid::fs
