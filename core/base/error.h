// Errors as values with a place and a kind.
//
// braid reports every user-facing problem as an absl::Status whose message is
// already formatted for the terminal:
//
//   src/app/BUILD:12:5: unknown field 'sorces' in python_sources (did you mean 'sources'?)
//       python_sources(sorces=["*.py"])
//                      ^
//
// The status code carries the kind:
//   kInvalidArgument    user input (BUILD files, pants.toml, flags, specs)
//   kFailedPrecondition environment (missing tool, unreadable file, not a git repo)
//   kInternal           a bug in braid
// Usage:
//   return UserError(loc, "unknown target type 'pyhton_sources'", "did you mean 'python_sources'?");
#ifndef BRAID_CORE_BASE_ERROR_H_
#define BRAID_CORE_BASE_ERROR_H_

#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/status.h"

namespace braid {

/// A place in a file. line and column are 1-based; 0 means "unknown"
/// (column 0: the whole line; line 0: the whole file).
struct Location {
  std::string file;  // relative to the build root where possible
  int line = 0;
  int column = 0;
  /// The text of `line` (without newline), shown under the message; may be empty.
  std::string source_line;

  /// "file", "file:line" or "file:line:col".
  std::string ToString() const;
};

/// Formats "place: message", then the source line with a caret, then the hint.
std::string FormatLocated(const Location& loc, absl::string_view message,
                          absl::string_view hint = {});

/// A user-input error (kInvalidArgument) at `loc`.
absl::Status UserError(const Location& loc, absl::string_view message,
                       absl::string_view hint = {});

/// An environment error (kFailedPrecondition) at `loc`.
absl::Status EnvironmentError(const Location& loc, absl::string_view message,
                              absl::string_view hint = {});

/// Returns the 1-based `line` of `text` without its newline ("" if out of range).
absl::string_view LineOf(absl::string_view text, int line);

/// Damerau-free Levenshtein distance, used for did-you-mean hints.
int EditDistance(absl::string_view a, absl::string_view b);

/// The candidate closest to `word` if it is close enough to be a plausible typo
/// (distance <= max(2, len/3)), else "". Ties go to the lexicographically smallest.
std::string ClosestMatch(absl::string_view word, const std::vector<std::string>& candidates);

/// "did you mean 'x'?" or "" when nothing is close.
std::string DidYouMean(absl::string_view word, const std::vector<std::string>& candidates);

}  // namespace braid

#endif  // BRAID_CORE_BASE_ERROR_H_
