#include "rules/python/tokenizer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace braid::python {
namespace {

// Character classes, one table lookup per byte on the hot path.
enum CharClass : uint8_t {
  kOther = 0,
  kIdentStart = 1,  // A-Z a-z _ and bytes >= 0x80
  kDigit = 2,
  kSpace = 3,       // ' ' '\t' '\f'
  kLineEnd = 4,     // '\n' '\r'
  kQuote = 5,
  kOpChar = 6,
};

constexpr std::array<uint8_t, 256> MakeClasses() {
  std::array<uint8_t, 256> c{};
  for (int i = 'a'; i <= 'z'; ++i) c[i] = kIdentStart;
  for (int i = 'A'; i <= 'Z'; ++i) c[i] = kIdentStart;
  for (int i = 0x80; i < 256; ++i) c[i] = kIdentStart;
  c['_'] = kIdentStart;
  for (int i = '0'; i <= '9'; ++i) c[i] = kDigit;
  c[' '] = c['\t'] = c['\f'] = kSpace;
  c['\n'] = c['\r'] = kLineEnd;
  c['\''] = c['"'] = kQuote;
  for (char op : std::string_view("()[]{}:,;.+-*/%&|^~<>=@!")) c[static_cast<uint8_t>(op)] = kOpChar;
  return c;
}
constexpr std::array<uint8_t, 256> kClass = MakeClasses();

constexpr std::array<bool, 256> MakeIdentChars() {
  std::array<bool, 256> t{};
  for (int i = 0; i < 256; ++i) t[i] = kClass[i] == kIdentStart || kClass[i] == kDigit;
  return t;
}
constexpr std::array<bool, 256> kIdentChar = MakeIdentChars();
inline bool IsIdentChar(uint8_t c) { return kIdentChar[c]; }

// Bytes that stop the fast loop in a string body quoted with `q`.
constexpr std::array<bool, 256> MakeStringStops(char q) {
  std::array<bool, 256> t{};
  t[static_cast<uint8_t>(q)] = t['\\'] = t['\n'] = t['\r'] = true;
  return t;
}
constexpr std::array<bool, 256> kStopSingle = MakeStringStops('\'');
constexpr std::array<bool, 256> kStopDouble = MakeStringStops('"');

// Returns StringFlag bits if `prefix` is a valid string prefix, or 0xff if not.
uint8_t PrefixFlags(absl::string_view prefix) {
  if (prefix.size() > 2) return 0xff;
  uint8_t flags = 0;
  bool u = false;
  for (char ch : prefix) {
    uint8_t bit;
    switch (ch | 0x20) {  // ASCII lower-case
      case 'r': bit = kStringRaw; break;
      case 'b': bit = kStringBytes; break;
      case 'f': bit = kStringFormat; break;
      case 'u': bit = 0; u = true; break;
      default: return 0xff;
    }
    if (bit != 0 && (flags & bit)) return 0xff;
    flags |= bit;
  }
  if (u && prefix.size() != 1) return 0xff;
  if ((flags & kStringBytes) && (flags & kStringFormat)) return 0xff;
  return flags;
}

// Keywords that can never appear inside brackets; seeing one there means a bracket was left
// open, so the tokenizer closes them and starts a new logical line.
bool IsStatementOnlyKeyword(absl::string_view w) {
  switch (w.size()) {
    case 3: return w == "def" || w == "try" || w == "del";
    case 4: return w == "with" || w == "elif" || w == "pass" || w == "from";
    case 5: return w == "class" || w == "while" || w == "break" || w == "raise";
    case 6: return w == "import" || w == "except" || w == "return" || w == "global" ||
                   w == "assert";
    case 7: return w == "finally";
    case 8: return w == "continue" || w == "nonlocal";
    default: return false;
  }
}

constexpr int kMaxFStringNesting = 16;
constexpr size_t kMaxDiagnostics = 100;

}  // namespace

Tokenizer::Tokenizer(absl::string_view source) : src_(source) {
  if (src_.size() > std::numeric_limits<uint32_t>::max()) {
    src_ = src_.substr(0, std::numeric_limits<uint32_t>::max());
  }
  size_ = static_cast<uint32_t>(src_.size());
  if (size_ >= 3 && std::memcmp(src_.data(), "\xEF\xBB\xBF", 3) == 0) pos_ = 3;
}

void Tokenizer::Diagnose(int line, std::string message) {
  if (diagnostics_.size() < kMaxDiagnostics) {
    diagnostics_.push_back({line, std::move(message)});
  } else if (diagnostics_.size() == kMaxDiagnostics) {
    diagnostics_.push_back({line, "too many errors; further errors are not reported"});
  }
}

absl::string_view Tokenizer::StringContent(const Token& t) const {
  if (t.kind != TokenKind::kString) return {};
  uint32_t b = t.begin + t.content_offset;
  uint32_t e = t.end;
  if (!(t.string_flags & kStringUnterminated)) e -= (t.string_flags & kStringTriple) ? 3 : 1;
  if (e < b) e = b;
  return src_.substr(b, e - b);
}

uint32_t Tokenizer::SkipLineEnd(uint32_t pos) {
  if (src_[pos] == '\r' && pos + 1 < size_ && src_[pos + 1] == '\n') return pos + 2;
  return pos + 1;
}

uint32_t Tokenizer::ScanPlainStringBody(uint32_t pos, char quote, bool triple, bool raw,
                                        bool* terminated) {
  (void)raw;  // a backslash protects the next character in raw strings too
  const std::array<bool, 256>& stop = quote == '"' ? kStopDouble : kStopSingle;
  const unsigned char* data = reinterpret_cast<const unsigned char*>(src_.data());
  while (pos < size_) {
    while (pos < size_ && !stop[data[pos]]) ++pos;  // the hot loop: one lookup per byte
    if (pos >= size_) break;
    char c = src_[pos];
    if (c == '\\') {
      if (pos + 1 >= size_) break;
      char n = src_[pos + 1];
      if (n == '\n' || n == '\r') {
        pos = SkipLineEnd(pos + 1);
        ++line_;
      } else {
        pos += 2;
      }
      continue;
    }
    if (c == quote) {
      if (!triple) {
        *terminated = true;
        return pos + 1;
      }
      if (pos + 2 < size_ && src_[pos + 1] == quote && src_[pos + 2] == quote) {
        *terminated = true;
        return pos + 3;
      }
      ++pos;
      continue;
    }
    if (c == '\n' || c == '\r') {
      if (!triple) return pos;  // unterminated; the line end stays for the caller
      pos = SkipLineEnd(pos);
      ++line_;
      continue;
    }
    ++pos;
  }
  return pos;
}

// The body of an f-string. Replacement fields are scanned with PEP 701 rules: inside {...}
// any quote starts a nested string, brackets nest, and a top-level ':' starts a format spec
// whose own {...} fields nest again. Recursion is bounded by kMaxFStringNesting.
uint32_t Tokenizer::ScanFStringBody(uint32_t pos, char quote, bool triple, bool raw,
                                    int nesting, bool* terminated) {
  // Field-mode state: depth of brackets inside the current replacement fields, one entry per
  // open field; in_spec marks a field that reached its format spec.
  struct Field {
    int depth = 0;
    bool in_spec = false;
  };
  std::array<Field, 8> fields;  // replacement fields nest at most a few levels in practice
  int open = 0;
  while (pos < size_) {
    char c = src_[pos];
    bool literal = open == 0 || fields[open - 1].in_spec;
    if (c == '\n' || c == '\r') {
      if (!triple) return pos;
      pos = SkipLineEnd(pos);
      ++line_;
      continue;
    }
    if (c == '\\') {
      if (pos + 1 >= size_) break;
      char n = src_[pos + 1];
      if (n == '\n' || n == '\r') {
        pos = SkipLineEnd(pos + 1);
        ++line_;
      } else if (raw && (n == '{' || n == '}')) {
        ++pos;
      } else {
        pos += 2;
      }
      continue;
    }
    if (literal) {
      if (c == quote) {
        if (!triple) {
          *terminated = open == 0;
          return pos + 1;
        }
        if (pos + 2 < size_ && src_[pos + 1] == quote && src_[pos + 2] == quote) {
          *terminated = open == 0;
          return pos + 3;
        }
        ++pos;
        continue;
      }
      if (c == '{') {
        if (open == 0 && pos + 1 < size_ && src_[pos + 1] == '{') {
          pos += 2;
          continue;
        }
        if (open == static_cast<int>(fields.size())) return pos;  // absurd nesting: give up
        fields[open++] = Field{};
        ++pos;
        continue;
      }
      if (c == '}') {
        if (open > 0) {
          --open;  // end of the field whose spec we were in
        } else if (pos + 1 < size_ && src_[pos + 1] == '}') {
          ++pos;
        }
        ++pos;
        continue;
      }
      ++pos;
      continue;
    }
    // Expression part of a replacement field.
    Field& f = fields[open - 1];
    uint8_t cls = kClass[static_cast<uint8_t>(c)];
    if (cls == kQuote || cls == kIdentStart) {
      uint32_t start = pos;
      while (pos < size_ && IsIdentChar(static_cast<uint8_t>(src_[pos]))) ++pos;
      if (pos < size_ && kClass[static_cast<uint8_t>(src_[pos])] == kQuote) {
        uint8_t flags = PrefixFlags(src_.substr(start, pos - start));
        if (flags == 0xff) continue;  // an identifier followed by a quote: let the loop see it
        char q = src_[pos];
        bool tq = pos + 2 < size_ && src_[pos + 1] == q && src_[pos + 2] == q;
        pos += tq ? 3 : 1;
        bool ok = false;
        if (flags & kStringFormat) {
          if (nesting >= kMaxFStringNesting) return pos;
          pos = ScanFStringBody(pos, q, tq, flags & kStringRaw, nesting + 1, &ok);
        } else {
          pos = ScanPlainStringBody(pos, q, tq, flags & kStringRaw, &ok);
        }
        if (!ok) return pos;
      }
      continue;
    }
    switch (c) {
      case '(': case '[': case '{': ++f.depth; break;
      case ')': case ']': if (f.depth > 0) --f.depth; break;
      case '}':
        if (f.depth > 0) {
          --f.depth;
        } else {
          --open;
        }
        break;
      case ':':
        if (f.depth == 0) f.in_spec = true;
        break;
      default: break;
    }
    ++pos;
  }
  return pos;
}

void Tokenizer::ScanString(Token* t, uint32_t quote_pos, uint8_t flags) {
  char q = src_[quote_pos];
  bool triple = quote_pos + 2 < size_ && src_[quote_pos + 1] == q && src_[quote_pos + 2] == q;
  if (triple) flags |= kStringTriple;
  uint32_t body = quote_pos + (triple ? 3 : 1);
  int start_line = line_;
  bool ok = false;
  uint32_t end;
  if (flags & kStringFormat) {
    end = ScanFStringBody(body, q, triple, flags & kStringRaw, 0, &ok);
  } else {
    end = ScanPlainStringBody(body, q, triple, flags & kStringRaw, &ok);
  }
  t->kind = TokenKind::kString;
  t->content_offset = static_cast<uint8_t>(body - t->begin);
  if (!ok) {
    if (triple) {
      // Recover: report, then resume right after the opening quotes so that the code after a
      // stray triple quote is still tokenized.
      Diagnose(start_line, "unterminated triple-quoted string literal");
      line_ = start_line;
      t->kind = TokenKind::kError;
      t->string_flags = 0;
      t->end = body;
      t->end_line = line_;
      pos_ = body;
      return;
    }
    Diagnose(start_line, "unterminated string literal");
    flags |= kStringUnterminated;
  }
  t->string_flags = flags;
  t->end = end;
  t->end_line = line_;
  pos_ = end;
}

Token Tokenizer::Next() {
  Token t;
  if (done_) {
    t.kind = TokenKind::kEnd;
    t.begin = t.end = size_;
    t.line = t.end_line = line_;
    return t;
  }
  while (true) {
    // Whitespace; the column only matters when this line starts a logical line.
    while (pos_ < size_) {
      char c = src_[pos_];
      if (c == ' ') {
        ++indent_;
      } else if (c == '\t') {
        indent_ = (indent_ / 8 + 1) * 8;
      } else if (c == '\f') {
        indent_ = 0;
      } else {
        break;
      }
      ++pos_;
    }
    if (pos_ >= size_) {
      if (pending_newline_) {
        pending_newline_ = false;
        t.kind = TokenKind::kNewline;
        t.begin = t.end = size_;
        t.line = t.end_line = line_;
        t.depth = depth_;
        return t;
      }
      if (depth_ > 0 && !open_.empty()) {
        Diagnose(open_.front().second,
                 absl::StrCat("'", std::string(1, open_.front().first), "' was never closed"));
      }
      done_ = true;
      t.kind = TokenKind::kEnd;
      t.begin = t.end = size_;
      t.line = t.end_line = line_;
      return t;
    }
    char c = src_[pos_];
    uint8_t cls = kClass[static_cast<uint8_t>(c)];
    if (cls == kLineEnd) {
      if (depth_ == 0 && pending_newline_) {
        t.kind = TokenKind::kNewline;
        t.begin = t.end = pos_;
        t.line = t.end_line = line_;
        pending_newline_ = false;
        at_line_start_ = true;
        pos_ = SkipLineEnd(pos_);
        ++line_;
        indent_ = 0;
        return t;
      }
      pos_ = SkipLineEnd(pos_);
      ++line_;
      indent_ = 0;
      continue;
    }
    if (c == '#') {
      uint32_t b = pos_;
      const char* base = src_.data();
      const void* nl = std::memchr(base + pos_, '\n', size_ - pos_);
      uint32_t e = nl ? static_cast<uint32_t>(static_cast<const char*>(nl) - base) : size_;
      const void* cr = std::memchr(base + pos_, '\r', e - pos_);
      pos_ = cr ? static_cast<uint32_t>(static_cast<const char*>(cr) - base) : e;
      t.kind = TokenKind::kComment;
      t.begin = b;
      t.end = pos_;
      t.line = t.end_line = line_;
      t.depth = depth_;
      return t;
    }
    if (c == '\\' && pos_ + 1 < size_ && kClass[static_cast<uint8_t>(src_[pos_ + 1])] == kLineEnd) {
      pos_ = SkipLineEnd(pos_ + 1);
      ++line_;
      continue;  // a continuation keeps the column counting (CPython does the same)
    }
    break;
  }

  // A significant token.
  char c = src_[pos_];
  uint8_t cls = kClass[static_cast<uint8_t>(c)];
  t.begin = pos_;
  t.line = line_;
  t.depth = depth_;
  t.line_start = at_line_start_ && depth_ == 0;
  t.indent = indent_;
  bool was_yield = prev_was_yield_;
  prev_was_yield_ = false;

  if (cls == kIdentStart) {
    uint32_t p = pos_ + 1;
    while (p < size_ && IsIdentChar(static_cast<uint8_t>(src_[p]))) ++p;
    if (p < size_ && kClass[static_cast<uint8_t>(src_[p])] == kQuote && p - pos_ <= 2) {
      uint8_t flags = PrefixFlags(src_.substr(pos_, p - pos_));
      if (flags != 0xff) {
        ScanString(&t, p, flags);
        at_line_start_ = false;
        pending_newline_ = true;
        return t;
      }
    }
    absl::string_view word = src_.substr(pos_, p - pos_);
    if (depth_ > 0 && IsStatementOnlyKeyword(word) && !(was_yield && word == "from")) {
      // An unclosed bracket: close everything, and start a new logical line at this keyword.
      if (!open_.empty()) {
        Diagnose(open_.front().second,
                 absl::StrCat("'", std::string(1, open_.front().first), "' was never closed"));
      }
      open_.clear();
      depth_ = 0;
      // Column of the keyword, for the new logical line's indentation.
      // (Bounded look-back keeps repeated recoveries on one huge line linear.)
      uint32_t ls = pos_;
      while (ls > 0 && pos_ - ls < 1024 && src_[ls - 1] != '\n' && src_[ls - 1] != '\r') --ls;
      int col = 0;
      for (uint32_t i = ls; i < pos_; ++i) {
        col = src_[i] == '\t' ? (col / 8 + 1) * 8 : col + 1;
      }
      indent_ = col;
      at_line_start_ = true;
      if (pending_newline_) {
        pending_newline_ = false;
        t.kind = TokenKind::kNewline;
        t.end = t.begin;
        t.end_line = t.line;
        return t;  // the keyword is returned by the next call
      }
      t.depth = 0;
      t.line_start = true;
      t.indent = col;
    }
    t.kind = TokenKind::kName;
    t.end = p;
    t.end_line = line_;
    pos_ = p;
    prev_was_yield_ = word == "yield";
  } else if (cls == kQuote) {
    ScanString(&t, pos_, 0);
  } else if (cls == kDigit || (c == '.' && pos_ + 1 < size_ &&
                               kClass[static_cast<uint8_t>(src_[pos_ + 1])] == kDigit)) {
    uint32_t p = pos_ + 1;
    bool hex = c == '0' && p < size_ && (src_[p] | 0x20) == 'x';
    while (p < size_) {
      char d = src_[p];
      if (IsIdentChar(static_cast<uint8_t>(d)) && static_cast<uint8_t>(d) < 0x80) {
        ++p;
      } else if (d == '.') {
        ++p;
      } else if ((d == '+' || d == '-') && !hex && (src_[p - 1] | 0x20) == 'e') {
        ++p;
      } else {
        break;
      }
    }
    t.kind = TokenKind::kNumber;
    t.end = p;
    t.end_line = line_;
    pos_ = p;
  } else if (cls == kOpChar) {
    uint32_t len = 1;
    char n1 = pos_ + 1 < size_ ? src_[pos_ + 1] : '\0';
    char n2 = pos_ + 2 < size_ ? src_[pos_ + 2] : '\0';
    switch (c) {
      case '(': case '[': case '{':
        if (open_.size() < 256) open_.emplace_back(c, line_);
        ++depth_;
        break;
      case ')': case ']': case '}':
        if (depth_ > 0) {
          --depth_;
          if (!open_.empty() && static_cast<int>(open_.size()) > depth_) open_.pop_back();
        } else {
          Diagnose(line_, absl::StrCat("unmatched '", std::string(1, c), "'"));
        }
        break;
      case '.':
        if (n1 == '.' && n2 == '.') len = 3;
        break;
      case '*': case '/': case '<': case '>':
        if (n1 == c) {
          len = n2 == '=' ? 3 : 2;
        } else if (n1 == '=' || (c == '<' && n1 == '>')) {
          len = 2;
        }
        break;
      case '-':
        if (n1 == '>' || n1 == '=') len = 2;
        break;
      case '+': case '%': case '&': case '|': case '^': case '@': case '=': case '!': case ':':
        if (n1 == '=') len = 2;
        break;
      default:
        break;
    }
    t.kind = TokenKind::kOp;
    t.end = pos_ + len;
    t.end_line = line_;
    pos_ += len;
  } else {
    // '$', '?', '`', a lone '\', control characters: not Python.
    Diagnose(line_, absl::StrCat("invalid character (byte 0x",
                                 absl::Hex(static_cast<uint8_t>(c), absl::kZeroPad2), ")"));
    t.kind = TokenKind::kError;
    t.end = pos_ + 1;
    t.end_line = line_;
    pos_ += 1;
  }
  at_line_start_ = false;
  pending_newline_ = true;
  return t;
}

}  // namespace braid::python
