// The tokenizer for the Python subset of BUILD files.
//
// Produces the whole token stream at once (BUILD files are small, and the
// parser wants free lookahead). Follows Python's tokenizer: NEWLINE ends a
// logical line, INDENT/DEDENT track indentation (a tab advances to the next
// multiple of 8 columns), newlines inside (), [] and {} are ignored, a
// backslash before a newline joins lines, comments and blank lines produce
// nothing. A UTF-8 BOM at the start is skipped; CRLF and CR count as newlines.
//
// Columns are 1-based byte offsets into the line, matching the caret that
// core/base/error.h prints.
//
// Usage:
//   absl::StatusOr<std::vector<Token>> tokens = Tokenize(path, source);
#ifndef BRAID_CORE_BUILD_FILE_LEXER_H_
#define BRAID_CORE_BUILD_FILE_LEXER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::build_file {

enum class TokenKind { kName, kInt, kFloat, kString, kOp, kNewline, kIndent, kDedent, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  int line = 0;    // 1-based
  int column = 0;  // 1-based byte column
  /// The token's raw text (a view into the source): the identifier, the
  /// operator, or the full string literal including prefix and quotes.
  absl::string_view text;
  int64_t int_value = 0;   // kInt
  double float_value = 0;  // kFloat
  /// kString: the decoded value; for an f-string the raw (undecoded) body.
  std::string str_value;
  bool fstring = false;  // kString with an f prefix
  bool raw = false;      // kString with an r prefix
  /// kString: where the body (after the opening quotes) starts.
  int body_line = 0;
  int body_column = 0;
  size_t body_offset = 0;  // byte offset of the body in the source
};

/// Tokenizes `source`. Errors are located user errors ("path:line:col: ...").
/// `first_line`/`first_column` give the position of source[0] when tokenizing
/// a fragment (f-string expressions); a fragment has no indentation tokens.
absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view path, absl::string_view source);
absl::StatusOr<std::vector<Token>> TokenizeFragment(absl::string_view path,
                                                    absl::string_view full_source,
                                                    size_t begin, size_t end, int first_line,
                                                    int first_column);

/// Decodes the backslash escapes of a (non-raw) string literal body.
std::string DecodeEscapes(absl::string_view body);

/// True for Python keywords (which cannot be used as names).
bool IsKeyword(absl::string_view word);

}  // namespace braid::build_file

#endif  // BRAID_CORE_BUILD_FILE_LEXER_H_
