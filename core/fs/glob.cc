#include "core/fs/glob.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/fs/file_index.h"
#include "core/fs/path.h"
#include "core/fs/wildmatch.h"

namespace braid::fs {

absl::StatusOr<ResolvedGlob> ResolveGlob(absl::string_view base_dir, absl::string_view glob) {
  if (glob.empty()) return absl::InvalidArgumentError("glob must not be empty");
  if (glob[0] == '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("glob '", glob, "' must be relative, not absolute"));
  }
  ResolvedGlob out;
  out.original = std::string(glob);
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(base_dir, '/', absl::SkipEmpty())) {
    parts.emplace_back(part);
  }
  for (absl::string_view part : absl::StrSplit(glob, '/', absl::SkipEmpty())) {
    if (part == ".") continue;
    if (part == "..") {
      if (parts.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("glob '", glob, "' escapes the build root"));
      }
      parts.pop_back();
      continue;
    }
    parts.emplace_back(part);
  }
  if (parts.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("glob '", glob, "' names no file"));
  }
  size_t first_wild = parts.size();
  for (size_t i = 0; i < parts.size(); ++i) {
    if (HasWildcard(parts[i])) {
      first_wild = i;
      break;
    }
  }
  out.is_literal = first_wild == parts.size();
  std::vector<std::string> literal;
  size_t literal_count = out.is_literal ? parts.size() - 1 : first_wild;
  for (size_t i = 0; i < literal_count; ++i) literal.push_back(UnescapePattern(parts[i]));
  out.literal_dir = absl::StrJoin(literal, "/");
  if (out.is_literal) {
    std::vector<std::string> all;
    for (const std::string& p : parts) all.push_back(UnescapePattern(p));
    out.pattern = absl::StrJoin(all, "/");
  } else {
    out.pattern = absl::StrJoin(parts, "/");
  }
  return out;
}

bool GlobMatches(const ResolvedGlob& glob, absl::string_view path) {
  if (glob.is_literal) return path == glob.pattern;
  if (!IsUnderDir(path, glob.literal_dir)) return false;
  return WildMatch(glob.pattern, path);
}

absl::StatusOr<PathGlobs> PathGlobs::Create(absl::string_view base_dir,
                                            const std::vector<std::string>& globs) {
  PathGlobs out;
  for (const std::string& g : globs) {
    bool exclude = !g.empty() && g[0] == '!';
    absl::string_view text = exclude ? absl::string_view(g).substr(1) : absl::string_view(g);
    absl::StatusOr<ResolvedGlob> r = ResolveGlob(base_dir, text);
    if (!r.ok()) return r.status();
    r->original = g;
    r->exclude = exclude;
    (exclude ? out.excludes_ : out.includes_).push_back(*std::move(r));
  }
  return out;
}

bool PathGlobs::Excluded(absl::string_view path) const {
  for (const ResolvedGlob& g : excludes_) {
    if (GlobMatches(g, path)) return true;
  }
  return false;
}

bool PathGlobs::Matches(absl::string_view path) const {
  for (const ResolvedGlob& g : includes_) {
    if (GlobMatches(g, path)) return !Excluded(path);
  }
  return false;
}

namespace {

template <typename Fn>
void ForEachMatch(const ResolvedGlob& g, const FileIndex& index, Fn&& fn) {
  if (g.is_literal) {
    if (index.HasFile(g.pattern)) fn(g.pattern);
    return;
  }
  for (const std::string& f : index.FilesUnder(g.literal_dir)) {
    if (WildMatch(g.pattern, f)) {
      if (!fn(f)) return;
    }
  }
}

}  // namespace

std::vector<std::string> PathGlobs::Expand(const FileIndex& index) const {
  std::vector<std::string> out;
  for (const ResolvedGlob& g : includes_) {
    ForEachMatch(g, index, [&](const std::string& f) {
      if (!Excluded(f)) out.push_back(f);
      return true;
    });
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::vector<std::string> PathGlobs::UnmatchedIncludes(const FileIndex& index) const {
  std::vector<std::string> out;
  for (const ResolvedGlob& g : includes_) {
    bool matched = false;
    ForEachMatch(g, index, [&](const std::string& f) {
      matched = !Excluded(f);
      return !matched;  // stop at the first surviving match
    });
    if (!matched) out.push_back(g.original);
  }
  return out;
}

}  // namespace braid::fs
