// A single-pass Python tokenizer over raw bytes, built for import scanning.
//
// Usage:
//   Tokenizer tok(source);
//   for (Token t = tok.Next(); t.kind != TokenKind::kEnd; t = tok.Next()) {
//     if (t.kind == TokenKind::kName && tok.Text(t) == "import") ...
//   }
//   for (const TokenDiagnostic& d : tok.diagnostics()) ...
//
// It follows CPython's lexical rules (docs.python.org "Lexical analysis") closely enough that
// every file CPython accepts is split into the same significant tokens:
//   - a UTF-8 BOM at the start is skipped; lines end at "\n", "\r\n" or a lone "\r";
//   - "\" before a line end joins lines; newlines inside (), [], {} do not end a logical line;
//   - string literals with any prefix (r, u, b, f and their combinations, any case), single or
//     triple quoted; f-strings are scanned with PEP 701 (3.12) nesting so a quote inside a
//     replacement field (f"{d["k"]}") does not end the string; their contents stay one token;
//   - comments are returned as tokens (the import scanner reads pragmas from them);
//   - the indentation column of each logical line is computed with tabs to the next multiple
//     of 8 and form feed resetting the column, as CPython does.
// It does NOT emit INDENT/DEDENT or NL tokens: callers get the indentation column on the first
// token of each logical line instead, which is all block tracking needs.
//
// Bytes >= 0x80 are treated as identifier characters (CPython allows non-ASCII identifiers;
// the tokenizer does not validate UTF-8 or decode a coding cookie: names are raw bytes).
//
// Error recovery (never fatal, never loops): an unterminated single-quoted string ends at the
// line end; an unterminated triple-quoted string is reported and tokenizing resumes right after
// its opening quotes (so code after a stray """ is still seen); a statement-only keyword such
// as `import`, `def` or `class` inside an unclosed bracket closes all brackets (it cannot be
// valid there) and starts a new logical line; stray characters become kError tokens. Each
// recovery adds a TokenDiagnostic.
#ifndef BRAID_RULES_PYTHON_TOKENIZER_H_
#define BRAID_RULES_PYTHON_TOKENIZER_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace braid::python {

enum class TokenKind : uint8_t {
  kName,     // identifier or keyword (keywords are not distinguished here)
  kNumber,   // numeric literal (loosely: digits, letters, '.', '_', exponent signs)
  kString,   // string literal including prefix and quotes; see Token::string_flags
  kOp,       // operator or delimiter, longest match ("**=", "->", "...", ":=")
  kComment,  // "#" to end of line, without the line end
  kNewline,  // end of a logical line (zero-width at the line end, or at EOF)
  kError,    // a byte that cannot start any token
  kEnd,      // end of input; returned forever once reached
};

/// Bits of Token::string_flags for kString tokens.
enum StringFlag : uint8_t {
  kStringRaw = 1,
  kStringBytes = 2,
  kStringFormat = 4,        // f-string
  kStringTriple = 8,        // ''' or """
  kStringUnterminated = 16,  // ran into a line end (single-quoted) or EOF
};

/// One token. Offsets index the source passed to the Tokenizer.
/// Invariant: begin <= end <= source size; line <= end_line; both 1-based.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  uint8_t string_flags = 0;  // StringFlag bits, kString only
  /// kString only: length of prefix + opening quote(s); the content is
  /// [begin + content_offset, end - closing quote length).
  uint8_t content_offset = 0;
  /// True for the first token of a logical line; `indent` is then its indentation column.
  bool line_start = false;
  int indent = 0;
  int depth = 0;  // bracket nesting depth before this token (0 at statement level)
  int line = 0;
  int end_line = 0;
  uint32_t begin = 0;
  uint32_t end = 0;
};

/// A lexical problem. Recovery is automatic; these are for reporting.
struct TokenDiagnostic {
  int line = 0;
  std::string message;
};

class Tokenizer {
 public:
  /// `source` must outlive the tokenizer. Inputs over 4 GiB are truncated to 4 GiB.
  explicit Tokenizer(absl::string_view source);

  /// The next token; kEnd at (and after) the end of input.
  Token Next();

  /// The bytes of `t`.
  absl::string_view Text(const Token& t) const {
    return absl::string_view(src_.data() + t.begin, t.end - t.begin);
  }
  /// The content of a string token between its quotes (escapes are not processed).
  absl::string_view StringContent(const Token& t) const;

  const std::vector<TokenDiagnostic>& diagnostics() const { return diagnostics_; }

 private:
  void Diagnose(int line, std::string message);
  uint32_t SkipLineEnd(uint32_t pos);  // pos at '\r' or '\n'; returns the next line start
  void ScanString(Token* t, uint32_t quote_pos, uint8_t flags);
  // Scans an f-string body from `pos` (just after the opening quote(s)); returns the position
  // after the closing quote(s), or where it gave up. `nesting` bounds recursion.
  uint32_t ScanFStringBody(uint32_t pos, char quote, bool triple, bool raw, int nesting,
                           bool* terminated);
  uint32_t ScanPlainStringBody(uint32_t pos, char quote, bool triple, bool raw,
                               bool* terminated);

  absl::string_view src_;
  uint32_t size_ = 0;
  uint32_t pos_ = 0;
  int line_ = 1;
  int depth_ = 0;
  std::vector<std::pair<char, int>> open_;  // open brackets and their lines (first 256)
  bool at_line_start_ = true;  // next significant token starts a logical line
  bool pending_newline_ = false;  // a logical line has content and needs a kNewline
  bool done_ = false;
  bool prev_was_yield_ = false;  // for `yield from` inside brackets
  int indent_ = 0;
  std::vector<TokenDiagnostic> diagnostics_;
};

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_TOKENIZER_H_
