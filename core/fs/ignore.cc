#include "core/fs/ignore.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_split.h"
#include "core/fs/path.h"
#include "core/fs/wildmatch.h"

namespace braid::fs {
namespace {

// Parses one gitignore line; false if the line holds no pattern.
bool ParseLine(absl::string_view line, IgnorePattern* out) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  // Trailing spaces are dropped unless the last one is escaped.
  while (!line.empty() && line.back() == ' ') {
    if (line.size() >= 2 && line[line.size() - 2] == '\\') break;
    line.remove_suffix(1);
  }
  if (line.empty() || line[0] == '#') return false;
  if (line[0] == '!') {
    out->negated = true;
    line.remove_prefix(1);
  } else if (line.size() >= 2 && line[0] == '\\' && (line[1] == '!' || line[1] == '#')) {
    line.remove_prefix(1);  // "\!x" and "\#x" are literal
  }
  if (!line.empty() && line.back() == '/') {
    out->dir_only = true;
    while (!line.empty() && line.back() == '/') line.remove_suffix(1);
  }
  if (line.find('/') != absl::string_view::npos) {
    out->anchored = true;
    while (!line.empty() && line[0] == '/') line.remove_prefix(1);
  }
  if (line.empty()) return false;  // "/" or "!" alone match nothing in git
  out->glob = std::string(line);
  return true;
}

}  // namespace

std::vector<std::string> DefaultPantsIgnore() {
  return {".*/", "/dist/", "__pycache__", "!.semgrep/"};
}

IgnoreRules IgnoreRules::Parse(IgnoreSource source, absl::string_view base_dir,
                               absl::string_view text, absl::string_view origin) {
  IgnoreRules rules;
  rules.source_ = source;
  rules.base_dir_ = std::string(base_dir);
  rules.origin_ = std::string(origin);
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    ++line_no;
    IgnorePattern p;
    if (ParseLine(line, &p)) {
      p.line = line_no;
      rules.patterns_.push_back(std::move(p));
    }
  }
  return rules;
}

IgnoreRules IgnoreRules::FromLines(IgnoreSource source, absl::string_view base_dir,
                                   const std::vector<std::string>& lines,
                                   absl::string_view origin) {
  IgnoreRules rules;
  rules.source_ = source;
  rules.base_dir_ = std::string(base_dir);
  rules.origin_ = std::string(origin);
  for (const std::string& line : lines) {
    IgnorePattern p;
    if (ParseLine(line, &p)) rules.patterns_.push_back(std::move(p));
  }
  return rules;
}

IgnoreVerdict IgnoreRules::Check(absl::string_view path, bool is_dir) const {
  absl::string_view rel = path;
  if (!base_dir_.empty()) {
    if (!IsUnderDir(path, base_dir_) || path.size() == base_dir_.size()) {
      return IgnoreVerdict::kNoMatch;
    }
    rel = path.substr(base_dir_.size() + 1);
  }
  if (rel.empty()) return IgnoreVerdict::kNoMatch;  // the root is never ignored
  absl::string_view base = Basename(rel);
  for (auto it = patterns_.rbegin(); it != patterns_.rend(); ++it) {
    if (it->dir_only && !is_dir) continue;
    if (WildMatch(it->glob, it->anchored ? rel : base)) {
      return it->negated ? IgnoreVerdict::kIncluded : IgnoreVerdict::kIgnored;
    }
  }
  return IgnoreVerdict::kNoMatch;
}

void IgnoreMatcher::Add(IgnoreRules rules) {
  // Keep rules_ ordered by decreasing precedence: higher source first, then
  // deeper base_dir; among equals the later-added one first.
  auto depth = [](const IgnoreRules& r) {
    return r.base_dir().empty()
               ? 0
               : 1 + static_cast<int>(std::count(r.base_dir().begin(), r.base_dir().end(), '/'));
  };
  auto outranks_or_ties = [&](const IgnoreRules& existing) {
    if (existing.source() != rules.source()) return existing.source() > rules.source();
    return depth(existing) > depth(rules);
  };
  auto pos = rules_.begin();
  while (pos != rules_.end() && outranks_or_ties(*pos)) ++pos;
  rules_.insert(pos, std::move(rules));
}

bool IgnoreMatcher::IsIgnored(absl::string_view path, bool is_dir) const {
  for (const IgnoreRules& rules : rules_) {
    IgnoreVerdict v = rules.Check(path, is_dir);
    if (v != IgnoreVerdict::kNoMatch) return v == IgnoreVerdict::kIgnored;
  }
  return false;
}

bool IgnoreMatcher::IsPathOrParentIgnored(absl::string_view path, bool is_dir) const {
  for (size_t slash = path.find('/'); slash != absl::string_view::npos;
       slash = path.find('/', slash + 1)) {
    if (IsIgnored(path.substr(0, slash), /*is_dir=*/true)) return true;
  }
  return IsIgnored(path, is_dir);
}

}  // namespace braid::fs
