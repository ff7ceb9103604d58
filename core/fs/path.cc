#include "core/fs/path.h"

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
  size_t i = 0, j = 0;
  while (true) {
    if (i >= a.size() || j >= b.size()) {
      bool a_done = i >= a.size(), b_done = j >= b.size();
      if (a_done && b_done) return 0;
      return a_done ? -1 : 1;
    }
    size_t ei = a.find('/', i);
    if (ei == absl::string_view::npos) ei = a.size();
    size_t ej = b.find('/', j);
    if (ej == absl::string_view::npos) ej = b.size();
    int c = a.substr(i, ei - i).compare(b.substr(j, ej - j));
    if (c != 0) return c < 0 ? -1 : 1;
    i = ei + 1;
    j = ej + 1;
    // "a/" vs "a": treat trailing separators as absent.
    if (ei == a.size()) i = a.size();
    if (ej == b.size()) j = b.size();
  }
}

}  // namespace braid::fs
