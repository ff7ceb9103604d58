// `braid count-loc`: lines of code per language, printed like Pants' count-loc goal.
//
// Pants runs the Succinct Code Counter (`scc`, default version 3.0.0) with no
// arguments (plus `[scc].args`) in a sandbox holding the files matched by the specs,
// and prints its stdout followed by one more "\n" (Console.print_stdout). When the
// specs match no files it prints nothing at all. braid counts natively, reproducing
// scc 3.0.0's default "tabular" output byte for byte:
//
//   ───────────────────────────────────────────────────────────────────────────────
//   Language                 Files     Lines   Blanks  Comments     Code Complexity
//   ───────────────────────────────────────────────────────────────────────────────
//   Python                       2        14        2         5        7          5
//   Bazel                        1         1        0         0        1          0
//   TOML                         1         3        0         1        2          0
//   ───────────────────────────────────────────────────────────────────────────────
//   Total                        4        18        2         6       10          5
//   ───────────────────────────────────────────────────────────────────────────────
//   Estimated Cost to Develop $214
//   Estimated Schedule Effort 0.555163 months
//   Estimated People Required 0.034339
//   ───────────────────────────────────────────────────────────────────────────────
//
// Rows: printf "%-20s %9d %9d %8d %9d %8d %10d"; languages sorted by file count
// (descending), then name; the rule is 79 U+2500 characters. COCOMO (organic):
// effort = 2.4 * KLOC^1.05 person-months, cost = effort * (56286/12 in integer
// arithmetic) * 2.4, schedule = 2.5 * effort^0.38, people = effort / schedule
// ("1 Grandparent" when that is NaN, i.e. no code at all — scc's joke, kept).
//
// Counting follows scc's state machine (processor/workers.go): a line is code if it
// holds anything but whitespace and comments, a comment line if it holds only
// comments, blank if only whitespace; a Python docstring (a triple quote opening a
// line) counts as comment lines. Complexity counts the language's branch tokens
// ("if ", "for(", "and ", ...) outside strings and comments when preceded by
// whitespace or at the start of the file. scc's quirks are kept on purpose (e.g. a
// quote character inside a docstring ends it), because the point is identical numbers.
//
// Language definitions are a subset of scc's languages.json: what a Python monorepo
// holds (Python, Cython, TOML, YAML, JSON, Markdown, reStructuredText, Plain Text,
// INI, Shell, BASH, Dockerfile, Makefile, Bazel (BUILD files), Protocol Buffers,
// Thrift, SQL, C/C++ and headers, Go, Rust, Java, JavaScript, TypeScript, HTML, CSS,
// XML, CSV, Jinja, Jupyter, CMake, Properties File, Autoconf, License). Files of
// other languages are skipped, as scc skips unknown files. Not implemented: scc's
// `#!` detection for extension-less scripts, flags passed via `[scc].args` or after
// `--` (e.g. --by-file, --no-cocomo), .gitignore handling (the sandbox has none).
#ifndef BRAID_RULES_GOALS_COUNT_LOC_H_
#define BRAID_RULES_GOALS_COUNT_LOC_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace braid {

/// Counts for one file. Invariant: lines == blank + comment + code, except when a
/// file ends inside an unterminated token, where scc stops counting early.
struct LocCounts {
  /// scc's language name ("Python", "C Header", ...); empty if unrecognised.
  std::string language;
  int64_t lines = 0;
  int64_t blank = 0;
  int64_t comment = 0;
  int64_t code = 0;
  int64_t complexity = 0;
  int64_t bytes = 0;
  /// A NUL byte in code within the first 10000 bytes: scc skips the file.
  bool binary = false;
};

/// scc's language for a path (only the basename matters): full file name first
/// ("LICENSE", "Dockerfile"), then the last two extensions ("x.test.py" -> "test.py"
/// -> "py"), all case-insensitive. "" when unknown.
std::string DetectLanguage(absl::string_view path);

/// Classifies `filename`'s language and counts `content` with scc's rules.
LocCounts CountLines(absl::string_view filename, absl::string_view content);

/// scc's stdout for these files (path, counts). Files with an empty language or
/// `binary` set are left out, as scc leaves them out. Returns "" for an empty list:
/// Pants does not run scc then. The caller prints the result plus "\n".
std::string RenderCountLocTable(const std::vector<std::pair<std::string, LocCounts>>& files);

}  // namespace braid

#endif  // BRAID_RULES_GOALS_COUNT_LOC_H_
