#include "core/fs/wildmatch.h"

#include <string>
#include <vector>

namespace braid::fs {
namespace {

// Matches a bracket expression starting at p[pi] == '['. On success sets
// *next to the index after ']' and *matched. Returns false if the bracket is
// unterminated (then '[' is treated as a literal by the caller).
bool MatchClass(absl::string_view p, size_t pi, char c, size_t* next, bool* matched) {
  size_t i = pi + 1;
  bool negate = false;
  if (i < p.size() && (p[i] == '!' || p[i] == '^')) {
    negate = true;
    ++i;
  }
  bool found = false;
  bool first = true;
  while (i < p.size() && (first || p[i] != ']')) {
    first = false;
    char lo = p[i];
    if (lo == '\\' && i + 1 < p.size()) lo = p[++i];
    char hi = lo;
    if (i + 2 < p.size() && p[i + 1] == '-' && p[i + 2] != ']') {
      hi = p[i + 2];
      i += 2;
      if (hi == '\\' && i + 1 < p.size()) hi = p[++i];
    }
    if (lo <= c && c <= hi) found = true;
    ++i;
  }
  if (i >= p.size()) return false;  // no closing ']'
  *next = i + 1;
  *matched = (found != negate) && c != '/';
  return true;
}

// Matches one segment-level pattern (no "**" parts) against text, where '*'
// and '?' do not cross '/'. Iterative with single-star backtracking.
bool MatchSimple(absl::string_view p, absl::string_view t) {
  size_t pi = 0, ti = 0;
  size_t star_p = absl::string_view::npos, star_t = 0;
  while (ti < t.size()) {
    if (pi < p.size()) {
      char pc = p[pi];
      if (pc == '*') {
        while (pi < p.size() && p[pi] == '*') ++pi;
        star_p = pi;
        star_t = ti;
        continue;
      }
      if (pc == '?' && t[ti] != '/') {
        ++pi;
        ++ti;
        continue;
      }
      if (pc == '[') {
        size_t next;
        bool matched;
        if (MatchClass(p, pi, t[ti], &next, &matched)) {
          if (matched) {
            pi = next;
            ++ti;
            continue;
          }
        } else if (t[ti] == '[') {
          ++pi;
          ++ti;
          continue;
        }
      } else if (pc == '\\' && pi + 1 < p.size()) {
        if (p[pi + 1] == t[ti]) {
          pi += 2;
          ++ti;
          continue;
        }
      } else if (pc != '?' && pc == t[ti]) {
        ++pi;
        ++ti;
        continue;
      }
    }
    // Mismatch: let the last '*' absorb one more character (never a '/').
    if (star_p != absl::string_view::npos && t[star_t] != '/') {
      pi = star_p;
      ti = ++star_t;
      continue;
    }
    return false;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

bool IsDoubleStarPart(absl::string_view p, size_t start, size_t end) {
  return end - start == 2 && p[start] == '*' && p[start + 1] == '*';
}

// Matches pattern parts [pi..) against text parts [ti..), with "**" parts
// matching zero or more text parts.
bool MatchParts(const std::vector<absl::string_view>& pp, size_t pi,
                const std::vector<absl::string_view>& tp, size_t ti) {
  while (pi < pp.size()) {
    if (pp[pi] == "**") {
      // Collapse consecutive "**".
      while (pi + 1 < pp.size() && pp[pi + 1] == "**") ++pi;
      if (pi + 1 == pp.size()) return ti < tp.size();  // trailing "**": anything below
      for (size_t k = ti; k <= tp.size(); ++k) {
        if (MatchParts(pp, pi + 1, tp, k)) return true;
      }
      return false;
    }
    if (ti >= tp.size() || !MatchSimple(pp[pi], tp[ti])) return false;
    ++pi;
    ++ti;
  }
  return ti == tp.size();
}

void SplitParts(absl::string_view s, std::vector<absl::string_view>* out) {
  size_t start = 0;
  while (true) {
    size_t slash = s.find('/', start);
    if (slash == absl::string_view::npos) {
      out->push_back(s.substr(start));
      return;
    }
    out->push_back(s.substr(start, slash - start));
    start = slash + 1;
  }
}

}  // namespace

bool WildMatch(absl::string_view pattern, absl::string_view text) {
  // Fast path: no "**" part means plain segment matching.
  bool has_double = false;
  size_t start = 0;
  for (size_t i = 0; i <= pattern.size(); ++i) {
    if (i == pattern.size() || pattern[i] == '/') {
      if (IsDoubleStarPart(pattern, start, i)) has_double = true;
      start = i + 1;
    }
  }
  if (!has_double) return MatchSimple(pattern, text);
  std::vector<absl::string_view> pp, tp;
  SplitParts(pattern, &pp);
  SplitParts(text, &tp);
  return MatchParts(pp, 0, tp, 0);
}

bool HasWildcard(absl::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (c == '\\') {
      ++i;
      continue;
    }
    if (c == '*' || c == '?' || c == '[') return true;
  }
  return false;
}

std::string UnescapePattern(absl::string_view pattern) {
  std::string out;
  out.reserve(pattern.size());
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\' && i + 1 < pattern.size()) ++i;
    out.push_back(pattern[i]);
  }
  return out;
}

}  // namespace braid::fs
