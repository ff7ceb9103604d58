#include "core/build_file/lexer.h"

#include <cerrno>
#include <cstdlib>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/base/error.h"

namespace braid::build_file {
namespace {

constexpr absl::string_view kBom = "\xEF\xBB\xBF";

// Longest first so "**=" wins over "**" and "*".
constexpr absl::string_view kOperators[] = {
    "**=", "//=", ">>=", "<<=", "...", "->", "**", "//", "==", "!=", "<=", ">=", "<<", ">>",
    "+=",  "-=",  "*=",  "/=",  "%=",  "&=", "|=", "^=", ":=", "@=", "+",  "-",  "*",  "/",
    "%",   "@",   "&",   "|",   "^",   "~",  "<",  ">",  "(",  ")",  "[",  "]",  "{",  "}",
    ",",   ":",   ".",   ";",   "="};

// kOperators bucketed by first byte (longest first within a bucket), so
// matching an operator looks at a handful of candidates, not all of them.
const std::vector<absl::string_view>& OperatorsStartingWith(char c) {
  static const auto* buckets = [] {
    auto* b = new std::vector<std::vector<absl::string_view>>(256);
    for (absl::string_view op : kOperators) (*b)[static_cast<unsigned char>(op[0])].push_back(op);
    return b;
  }();
  return (*buckets)[static_cast<unsigned char>(c)];
}

bool IsIdentStart(unsigned char c) {
  return absl::ascii_isalpha(c) || c == '_' || c >= 0x80;
}
bool IsIdentChar(unsigned char c) { return IsIdentStart(c) || absl::ascii_isdigit(c); }

bool IsStringPrefix(absl::string_view p) {
  std::string l = absl::AsciiStrToLower(p);
  return l == "r" || l == "u" || l == "b" || l == "f" || l == "br" || l == "rb" || l == "fr" ||
         l == "rf";
}

void AppendUtf8(std::string* out, uint32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | ((cp >> 18) & 0x07)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

class Lexer {
 public:
  Lexer(absl::string_view path, absl::string_view src, size_t begin, size_t end, int line,
        int col, bool fragment)
      : path_(path), src_(src), pos_(begin), end_(end), line_(line), col_(col),
        fragment_(fragment) {}

  absl::StatusOr<std::vector<Token>> Run() {
    if (!fragment_ && src_.substr(pos_, 3) == kBom) {
      pos_ += 3;  // the column of the first line still counts from after the BOM
    }
    bool at_line_start = !fragment_;
    while (true) {
      if (at_line_start && brackets_.empty()) {
        absl::Status s = Indentation();
        if (!s.ok()) return s;
        at_line_start = false;
        if (pos_ >= end_) break;
      }
      if (pos_ >= end_) break;
      char c = src_[pos_];
      if (c == ' ' || c == '\t' || c == '\f') {
        Advance(1);
        continue;
      }
      if (c == '#') {
        while (pos_ < end_ && src_[pos_] != '\n' && src_[pos_] != '\r') Advance(1);
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (brackets_.empty() && !fragment_ && !tokens_.empty() &&
            tokens_.back().kind != TokenKind::kNewline && tokens_.back().kind != TokenKind::kIndent &&
            tokens_.back().kind != TokenKind::kDedent) {
          Emit(TokenKind::kNewline, pos_, 1, line_, col_);
        }
        Newline();
        at_line_start = brackets_.empty();
        continue;
      }
      if (c == '\\') {
        size_t n = pos_ + 1;
        if (n < end_ && (src_[n] == '\n' || src_[n] == '\r')) {
          Advance(1);
          Newline();
          continue;
        }
        return Error(line_, col_, "unexpected character after line continuation character");
      }
      absl::Status s = Token1();
      if (!s.ok()) return s;
    }
    if (!brackets_.empty()) {
      const Open& o = brackets_.back();
      return Error(o.line, o.col, absl::StrCat("'", std::string(1, o.ch), "' was never closed"));
    }
    if (!fragment_) {
      if (!tokens_.empty() && tokens_.back().kind != TokenKind::kNewline &&
          tokens_.back().kind != TokenKind::kDedent && tokens_.back().kind != TokenKind::kIndent) {
        Emit(TokenKind::kNewline, pos_, 0, line_, col_);
      }
      while (indents_.size() > 1) {
        indents_.pop_back();
        Emit(TokenKind::kDedent, pos_, 0, line_, col_);
      }
    }
    Emit(TokenKind::kEnd, pos_, 0, line_, col_);
    return std::move(tokens_);
  }

 private:
  struct Open {
    char ch;
    int line;
    int col;
  };

  absl::Status Error(int line, int col, absl::string_view msg) {
    Location loc{std::string(path_), line, col, std::string(LineOf(SourceForLines(), line))};
    return UserError(loc, msg);
  }

  // LineOf wants the text from the start of the file (after the BOM, whose
  // bytes would otherwise show up in the echoed first line).
  absl::string_view SourceForLines() const {
    absl::string_view s = src_;
    if (s.substr(0, 3) == kBom) s.remove_prefix(3);
    return s;
  }

  void Advance(size_t n) {
    pos_ += n;
    col_ += static_cast<int>(n);
  }

  // Consumes one newline (\n, \r\n or \r) at pos_.
  void Newline() {
    if (src_[pos_] == '\r' && pos_ + 1 < end_ && src_[pos_ + 1] == '\n') ++pos_;
    ++pos_;
    ++line_;
    col_ = 1;
  }

  void Emit(TokenKind kind, size_t start, size_t len, int line, int col) {
    Token t;
    t.kind = kind;
    t.line = line;
    t.column = col;
    t.text = src_.substr(start, len);
    tokens_.push_back(std::move(t));
  }

  // At the start of a logical line: measure indentation, skip blank and
  // comment-only lines, emit INDENT/DEDENT.
  absl::Status Indentation() {
    while (pos_ < end_) {
      int width = 0;
      size_t p = pos_;
      while (p < end_ && (src_[p] == ' ' || src_[p] == '\t' || src_[p] == '\f')) {
        if (src_[p] == ' ') {
          ++width;
        } else if (src_[p] == '\t') {
          width = (width / 8 + 1) * 8;
        } else {
          width = 0;
        }
        ++p;
      }
      if (p >= end_) {
        Advance(p - pos_);
        return absl::OkStatus();
      }
      char c = src_[p];
      if (c == '#' || c == '\n' || c == '\r') {
        Advance(p - pos_);
        while (pos_ < end_ && src_[pos_] != '\n' && src_[pos_] != '\r') Advance(1);
        if (pos_ < end_) Newline();
        continue;
      }
      if (c == '\\' && p + 1 < end_ && (src_[p + 1] == '\n' || src_[p + 1] == '\r')) {
        // A continuation line that starts a statement; treat as part of this line.
      }
      Advance(p - pos_);
      if (width > indents_.back()) {
        indents_.push_back(width);
        Emit(TokenKind::kIndent, pos_, 0, line_, col_);
      } else {
        while (width < indents_.back()) {
          indents_.pop_back();
          Emit(TokenKind::kDedent, pos_, 0, line_, col_);
        }
        if (width != indents_.back()) {
          return Error(line_, col_, "unindent does not match any outer indentation level");
        }
      }
      return absl::OkStatus();
    }
    return absl::OkStatus();
  }

  absl::Status Token1() {
    unsigned char c = static_cast<unsigned char>(src_[pos_]);
    size_t start = pos_;
    int line = line_, col = col_;
    if (IsIdentStart(c)) {
      size_t p = pos_;
      while (p < end_ && IsIdentChar(static_cast<unsigned char>(src_[p]))) ++p;
      absl::string_view word = src_.substr(pos_, p - pos_);
      if (p < end_ && (src_[p] == '\'' || src_[p] == '"') && IsStringPrefix(word)) {
        return String(word);
      }
      Advance(p - pos_);
      Emit(TokenKind::kName, start, p - start, line, col);
      return absl::OkStatus();
    }
    if (absl::ascii_isdigit(c) ||
        (c == '.' && pos_ + 1 < end_ && absl::ascii_isdigit(static_cast<unsigned char>(src_[pos_ + 1])))) {
      return Number();
    }
    if (c == '\'' || c == '"') return String("");
    for (absl::string_view op : OperatorsStartingWith(src_[pos_])) {
      if (pos_ + op.size() <= end_ && src_.compare(pos_, op.size(), op) == 0) {
        if (op == "(" || op == "[" || op == "{") {
          brackets_.push_back({op[0], line, col});
        } else if (op == ")" || op == "]" || op == "}") {
          if (brackets_.empty()) {
            return Error(line, col, absl::StrCat("unmatched '", op, "'"));
          }
          char open = brackets_.back().ch;
          char want = open == '(' ? ')' : open == '[' ? ']' : '}';
          if (want != op[0]) {
            return Error(line, col,
                         absl::StrCat("closing parenthesis '", op,
                                      "' does not match opening parenthesis '",
                                      std::string(1, open), "'"));
          }
          brackets_.pop_back();
        }
        Advance(op.size());
        Emit(TokenKind::kOp, start, op.size(), line, col);
        return absl::OkStatus();
      }
    }
    if (c == '!') return Error(line, col, "invalid syntax");
    if (c >= 0x20 && c < 0x7f) {
      return Error(line, col, absl::StrCat("invalid character '", std::string(1, static_cast<char>(c)), "'"));
    }
    return Error(line, col, absl::StrCat("invalid non-printable character (byte 0x",
                                         absl::Hex(c, absl::kZeroPad2), ")"));
  }

  absl::Status Number() {
    size_t start = pos_;
    int line = line_, col = col_;
    size_t p = pos_;
    auto digits = [&](auto pred) {
      while (p < end_ && (pred(static_cast<unsigned char>(src_[p])) ||
                          (src_[p] == '_' && p + 1 < end_ &&
                           pred(static_cast<unsigned char>(src_[p + 1])) && p > start))) {
        ++p;
      }
    };
    auto is_dec = [](unsigned char ch) { return absl::ascii_isdigit(ch) != 0; };
    Token t;
    t.line = line;
    t.column = col;
    if (src_[p] == '0' && p + 1 < end_ && std::string("xXoObB").find(src_[p + 1]) != std::string::npos) {
      char base_ch = absl::ascii_tolower(static_cast<unsigned char>(src_[p + 1]));
      int base = base_ch == 'x' ? 16 : base_ch == 'o' ? 8 : 2;
      p += 2;
      size_t digits_start = p;
      auto is_base = [base](unsigned char ch) {
        if (base == 16) return absl::ascii_isxdigit(ch) != 0;
        if (base == 8) return ch >= '0' && ch <= '7';
        return ch == '0' || ch == '1';
      };
      while (p < end_ && (is_base(static_cast<unsigned char>(src_[p])) ||
                          (src_[p] == '_' && p + 1 < end_ &&
                           is_base(static_cast<unsigned char>(src_[p + 1]))))) {
        ++p;
      }
      if (p == digits_start || (p < end_ && IsIdentChar(static_cast<unsigned char>(src_[p])))) {
        return Error(line, col, "invalid number literal");
      }
      std::string clean;
      for (size_t i = digits_start; i < p; ++i) {
        if (src_[i] != '_') clean.push_back(src_[i]);
      }
      errno = 0;
      unsigned long long v = std::strtoull(clean.c_str(), nullptr, base);
      if (errno == ERANGE || v > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
        return Error(line, col, "integer literal too large");
      }
      t.kind = TokenKind::kInt;
      t.int_value = static_cast<int64_t>(v);
    } else {
      bool is_float = false;
      digits(is_dec);
      if (p < end_ && src_[p] == '.') {
        is_float = true;
        ++p;
        while (p < end_ && (absl::ascii_isdigit(static_cast<unsigned char>(src_[p])) ||
                            (src_[p] == '_' && p + 1 < end_ &&
                             absl::ascii_isdigit(static_cast<unsigned char>(src_[p + 1])) &&
                             absl::ascii_isdigit(static_cast<unsigned char>(src_[p - 1]))))) {
          ++p;
        }
      }
      if (p < end_ && (src_[p] == 'e' || src_[p] == 'E')) {
        size_t q = p + 1;
        if (q < end_ && (src_[q] == '+' || src_[q] == '-')) ++q;
        if (q < end_ && absl::ascii_isdigit(static_cast<unsigned char>(src_[q]))) {
          is_float = true;
          p = q;
          while (p < end_ && absl::ascii_isdigit(static_cast<unsigned char>(src_[p]))) ++p;
        } else {
          return Error(line, col, "invalid number literal");
        }
      }
      if (p < end_ && (src_[p] == 'j' || src_[p] == 'J')) {
        return Error(line, col, "complex numbers are not supported in BUILD files");
      }
      if (p < end_ && IsIdentChar(static_cast<unsigned char>(src_[p]))) {
        return Error(line, col, "invalid number literal");
      }
      std::string clean;
      for (size_t i = start; i < p; ++i) {
        if (src_[i] != '_') clean.push_back(src_[i]);
      }
      if (is_float) {
        t.kind = TokenKind::kFloat;
        t.float_value = std::strtod(clean.c_str(), nullptr);
      } else {
        if (clean.size() > 1 && clean[0] == '0' && clean.find_first_not_of('0') != std::string::npos) {
          return Error(line, col,
                       "leading zeros in decimal integer literals are not permitted; use an 0o "
                       "prefix for octal integers");
        }
        errno = 0;
        unsigned long long v = std::strtoull(clean.c_str(), nullptr, 10);
        if (errno == ERANGE || v > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
          return Error(line, col, "integer literal too large");
        }
        t.kind = TokenKind::kInt;
        t.int_value = static_cast<int64_t>(v);
      }
    }
    t.text = src_.substr(start, p - start);
    Advance(p - start);
    tokens_.push_back(std::move(t));
    return absl::OkStatus();
  }

  absl::Status String(absl::string_view prefix) {
    size_t start = pos_;
    int line = line_, col = col_;
    std::string lower = absl::AsciiStrToLower(prefix);
    bool raw = lower.find('r') != std::string::npos;
    bool fstr = lower.find('f') != std::string::npos;
    Advance(prefix.size());
    char q = src_[pos_];
    bool triple = pos_ + 2 < end_ && src_[pos_ + 1] == q && src_[pos_ + 2] == q;
    Advance(triple ? 3 : 1);
    size_t body_start = pos_;
    int body_line = line_, body_col = col_;
    size_t body_end;
    while (true) {
      if (pos_ >= end_) {
        if (triple) {
          return Error(line, col, absl::StrCat("unterminated triple-quoted string literal (detected at line ", line_, ")"));
        }
        return Error(line, col, absl::StrCat("unterminated string literal (detected at line ", line, ")"));
      }
      char c = src_[pos_];
      if (c == '\\') {
        if (pos_ + 1 < end_) {
          char n = src_[pos_ + 1];
          Advance(1);
          if (n == '\n' || n == '\r') {
            Newline();
          } else {
            Advance(1);
          }
          continue;
        }
        Advance(1);
        continue;
      }
      if (c == '\n' || c == '\r') {
        if (!triple) {
          return Error(line, col, absl::StrCat("unterminated string literal (detected at line ", line, ")"));
        }
        Newline();
        continue;
      }
      if (c == q) {
        if (!triple) {
          body_end = pos_;
          Advance(1);
          break;
        }
        if (pos_ + 2 < end_ && src_[pos_ + 1] == q && src_[pos_ + 2] == q) {
          body_end = pos_;
          Advance(3);
          break;
        }
      }
      Advance(1);
    }
    Token t;
    t.kind = TokenKind::kString;
    t.line = line;
    t.column = col;
    t.text = src_.substr(start, pos_ - start);
    t.raw = raw;
    t.fstring = fstr;
    t.body_line = body_line;
    t.body_column = body_col;
    t.body_offset = body_start;
    absl::string_view body = src_.substr(body_start, body_end - body_start);
    if (fstr) {
      t.str_value = std::string(body);
    } else if (raw) {
      // Raw strings keep backslashes, but a CRLF inside a triple-quoted raw
      // string is still a newline.
      std::string out;
      for (size_t i = 0; i < body.size(); ++i) {
        if (body[i] == '\r') {
          out.push_back('\n');
          if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
        } else {
          out.push_back(body[i]);
        }
      }
      t.str_value = std::move(out);
    } else {
      t.str_value = DecodeEscapes(body);
    }
    tokens_.push_back(std::move(t));
    return absl::OkStatus();
  }

  absl::string_view path_;
  absl::string_view src_;
  size_t pos_;
  size_t end_;
  int line_;
  int col_;
  bool fragment_;
  std::vector<Token> tokens_;
  std::vector<int> indents_{0};
  std::vector<Open> brackets_;
};

}  // namespace

std::string DecodeEscapes(absl::string_view body) {
  std::string out;
  out.reserve(body.size());
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\r') {
      out.push_back('\n');
      if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
      continue;
    }
    if (c != '\\' || i + 1 >= body.size()) {
      out.push_back(c);
      continue;
    }
    char n = body[++i];
    switch (n) {
      case '\n': break;  // line continuation inside a string
      case '\r':
        if (i + 1 < body.size() && body[i + 1] == '\n') ++i;
        break;
      case '\\': out.push_back('\\'); break;
      case '\'': out.push_back('\''); break;
      case '"': out.push_back('"'); break;
      case 'a': out.push_back('\a'); break;
      case 'b': out.push_back('\b'); break;
      case 'f': out.push_back('\f'); break;
      case 'n': out.push_back('\n'); break;
      case 'r': out.push_back('\r'); break;
      case 't': out.push_back('\t'); break;
      case 'v': out.push_back('\v'); break;
      case 'x':
      case 'u':
      case 'U': {
        size_t want = n == 'x' ? 2 : n == 'u' ? 4 : 8;
        uint32_t cp = 0;
        size_t j = 0;
        for (; j < want && i + 1 + j < body.size() &&
               absl::ascii_isxdigit(static_cast<unsigned char>(body[i + 1 + j]));
             ++j) {
          char h = body[i + 1 + j];
          cp = cp * 16 + static_cast<uint32_t>(absl::ascii_isdigit(static_cast<unsigned char>(h))
                                                   ? h - '0'
                                                   : absl::ascii_tolower(static_cast<unsigned char>(h)) - 'a' + 10);
        }
        if (j != want || cp > 0x10FFFF) {
          // Python rejects these; keep them literally rather than guess.
          out.push_back('\\');
          out.push_back(n);
          break;
        }
        AppendUtf8(&out, cp);
        i += want;
        break;
      }
      default:
        if (n >= '0' && n <= '7') {
          uint32_t cp = static_cast<uint32_t>(n - '0');
          for (int k = 0; k < 2 && i + 1 < body.size() && body[i + 1] >= '0' && body[i + 1] <= '7'; ++k) {
            cp = cp * 8 + static_cast<uint32_t>(body[++i] - '0');
          }
          AppendUtf8(&out, cp);
        } else {
          out.push_back('\\');  // unknown escapes stay as written, like Python
          out.push_back(n);
        }
    }
  }
  return out;
}

bool IsKeyword(absl::string_view w) {
  static constexpr absl::string_view kKeywords[] = {
      "False", "None",   "True",    "and",      "as",     "assert", "async", "await",
      "break", "class",  "continue", "def",     "del",    "elif",   "else",  "except",
      "finally", "for",  "from",    "global",   "if",     "import", "in",    "is",
      "lambda", "nonlocal", "not",  "or",       "pass",   "raise",  "return", "try",
      "while", "with",   "yield"};
  for (absl::string_view k : kKeywords) {
    if (k == w) return true;
  }
  return false;
}

absl::StatusOr<std::vector<Token>> Tokenize(absl::string_view path, absl::string_view source) {
  return Lexer(path, source, 0, source.size(), 1, 1, false).Run();
}

absl::StatusOr<std::vector<Token>> TokenizeFragment(absl::string_view path,
                                                    absl::string_view full_source, size_t begin,
                                                    size_t end, int first_line, int first_column) {
  return Lexer(path, full_source, begin, end, first_line, first_column, true).Run();
}

}  // namespace braid::build_file
