#include "core/base/error.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace braid {

std::string Location::ToString() const {
  if (line <= 0) return file;
  if (column <= 0) return absl::StrCat(file, ":", line);
  return absl::StrCat(file, ":", line, ":", column);
}

std::string FormatLocated(const Location& loc, absl::string_view message, absl::string_view hint) {
  std::string out;
  if (!loc.file.empty()) absl::StrAppend(&out, loc.ToString(), ": ");
  absl::StrAppend(&out, message);
  if (!loc.source_line.empty()) {
    absl::StrAppend(&out, "\n    ", loc.source_line);
    if (loc.column > 0) {
      std::string caret(4, ' ');
      // Keep tabs so the caret lines up under tab-indented source.
      for (int i = 0; i + 1 < loc.column && i < static_cast<int>(loc.source_line.size()); ++i) {
        caret.push_back(loc.source_line[i] == '\t' ? '\t' : ' ');
      }
      absl::StrAppend(&out, "\n", caret, "^");
    }
  }
  if (!hint.empty()) absl::StrAppend(&out, "\n  hint: ", hint);
  return out;
}

absl::Status UserError(const Location& loc, absl::string_view message, absl::string_view hint) {
  return absl::InvalidArgumentError(FormatLocated(loc, message, hint));
}

absl::Status EnvironmentError(const Location& loc, absl::string_view message,
                              absl::string_view hint) {
  return absl::FailedPreconditionError(FormatLocated(loc, message, hint));
}

absl::string_view LineOf(absl::string_view text, int line) {
  if (line <= 0) return {};
  size_t start = 0;
  for (int i = 1; i < line; ++i) {
    size_t nl = text.find('\n', start);
    if (nl == absl::string_view::npos) return {};
    start = nl + 1;
  }
  size_t end = text.find('\n', start);
  absl::string_view out = text.substr(start, end == absl::string_view::npos ? text.size() - start
                                                                          : end - start);
  if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
  return out;
}

int EditDistance(absl::string_view a, absl::string_view b) {
  std::vector<int> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = static_cast<int>(i);
    for (size_t j = 1; j <= b.size(); ++j) {
      int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string ClosestMatch(absl::string_view word, const std::vector<std::string>& candidates) {
  int limit = std::max<int>(2, static_cast<int>(word.size()) / 3);
  std::string best;
  int best_d = limit + 1;
  for (const std::string& c : candidates) {
    int d = EditDistance(word, c);
    if (d < best_d || (d == best_d && !best.empty() && c < best)) {
      best = c;
      best_d = d;
    }
  }
  return best_d <= limit ? best : std::string();
}

std::string DidYouMean(absl::string_view word, const std::vector<std::string>& candidates) {
  std::string m = ClosestMatch(word, candidates);
  return m.empty() ? std::string() : absl::StrCat("did you mean '", m, "'?");
}

}  // namespace braid
