#include "core/fs/glob.h"

#include <algorithm>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
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
  // Views into base_dir and glob, inline: this runs for every glob of every
  // target, so it avoids allocating.
  absl::InlinedVector<absl::string_view, 16> parts;
  for (absl::string_view part : absl::StrSplit(base_dir, '/', absl::SkipEmpty())) {
    parts.push_back(part);
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
    parts.push_back(part);
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
  size_t literal_count = out.is_literal ? parts.size() - 1 : first_wild;
  auto append_literal = [](std::string* to, absl::string_view part) {
    if (part.find('\\') == absl::string_view::npos) {
      absl::StrAppend(to, part);
    } else {
      absl::StrAppend(to, UnescapePattern(part));
    }
  };
  for (size_t i = 0; i < literal_count; ++i) {
    if (i > 0) out.literal_dir.push_back('/');
    append_literal(&out.literal_dir, parts[i]);
  }
  if (out.is_literal) {
    out.pattern = out.literal_dir;
    if (!out.pattern.empty()) out.pattern.push_back('/');
    append_literal(&out.pattern, parts.back());
  } else {
    out.pattern = absl::StrJoin(parts, "/");
    out.rest = absl::StrJoin(parts.begin() + first_wild, parts.end(), "/");
    out.single_part = first_wild + 1 == parts.size() && out.rest != "**";
    size_t star = out.rest.find('*');
    if (out.single_part && star != std::string::npos &&
        out.rest.find_first_of("*?[\\", star + 1) == std::string::npos &&
        out.rest.find_first_of("?[\\") == std::string::npos) {
      out.star = star;
    }
  }
  return out;
}

namespace {

// Matches the part of a path below `g.literal_dir` against `g.rest`. For a
// single_part glob, `tail` must hold no '/' (callers check).
bool MatchRest(const ResolvedGlob& g, absl::string_view tail) {
  if (g.star != std::string::npos) {
    absl::string_view rest = g.rest;
    absl::string_view prefix = rest.substr(0, g.star);
    absl::string_view suffix = rest.substr(g.star + 1);
    return tail.size() >= prefix.size() + suffix.size() && absl::StartsWith(tail, prefix) &&
           absl::EndsWith(tail, suffix);
  }
  return WildMatch(g.rest, tail);
}

}  // namespace

bool GlobMatches(const ResolvedGlob& glob, absl::string_view path) {
  if (glob.is_literal) return path == glob.pattern;
  if (!IsUnderDir(path, glob.literal_dir)) return false;
  size_t skip = glob.literal_dir.empty() ? 0 : glob.literal_dir.size() + 1;
  if (path.size() < skip) return false;  // the directory itself
  absl::string_view tail = path.substr(skip);
  if (glob.single_part && tail.find('/') != absl::string_view::npos) return false;
  return MatchRest(glob, tail);
}

absl::StatusOr<PathGlobs> PathGlobs::Create(absl::string_view base_dir,
                                            const std::vector<std::string>& globs) {
  PathGlobs out;
  size_t excludes = 0;
  for (const std::string& g : globs) excludes += !g.empty() && g[0] == '!';
  out.includes_.reserve(globs.size() - excludes);
  out.excludes_.reserve(excludes);
  for (const std::string& g : globs) {
    bool exclude = !g.empty() && g[0] == '!';
    absl::string_view text = exclude ? absl::string_view(g).substr(1) : absl::string_view(g);
    absl::StatusOr<ResolvedGlob> r = ResolveGlob(base_dir, text);
    if (!r.ok()) return r.status();
    if (exclude) r->original = g;  // keep the '!' as written
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

// Calls fn(path) for each file of `index` matching `g`, in sorted order,
// until fn returns false.
template <typename Fn>
void ForEachMatch(const ResolvedGlob& g, const FileIndex& index, Fn&& fn) {
  if (g.is_literal) {
    if (index.HasFile(g.pattern)) fn(absl::string_view(g.pattern));
    return;
  }
  size_t skip = g.literal_dir.empty() ? 0 : g.literal_dir.size() + 1;
  if (g.single_part) {
    for (absl::string_view f : index.FilesIn(g.literal_dir)) {
      if (MatchRest(g, f.substr(skip)) && !fn(f)) return;
    }
    return;
  }
  for (const std::string& f : index.FilesUnder(g.literal_dir)) {
    if (MatchRest(g, absl::string_view(f).substr(skip)) && !fn(absl::string_view(f))) {
      return;
    }
  }
}

}  // namespace

std::vector<std::string> PathGlobs::Expand(const FileIndex& index) const {
  std::vector<std::string> out;
  for (const ResolvedGlob& g : includes_) {
    ForEachMatch(g, index, [&](absl::string_view f) {
      if (!Excluded(f)) out.emplace_back(f);
      return true;
    });
  }
  // One include yields sorted, unique paths already.
  if (includes_.size() > 1) {
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
  return out;
}

std::vector<std::string> PathGlobs::UnmatchedIncludes(const FileIndex& index) const {
  std::vector<std::string> out;
  for (const ResolvedGlob& g : includes_) {
    bool matched = false;
    ForEachMatch(g, index, [&](absl::string_view f) {
      matched = !Excluded(f);
      return !matched;  // stop at the first surviving match
    });
    if (!matched) out.push_back(g.original);
  }
  return out;
}

}  // namespace braid::fs
