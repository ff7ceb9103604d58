#include "core/base/json.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "core/base/error.h"

namespace braid::json {

// ---------------------------------------------------------------------------
// Value

Value Value::MakeArray(std::vector<Value> items) {
  Value v;
  v.data_ = ArrayBox{std::move(items)};
  return v;
}

Value Value::MakeObject() {
  Value v;
  v.data_ = ObjectBox{};
  return v;
}

bool Value::as_bool() const {
  assert(kind() == Kind::kBool);
  const bool* b = std::get_if<bool>(&data_);
  return b != nullptr && *b;
}

int64_t Value::as_int() const {
  assert(kind() == Kind::kInt);
  const int64_t* i = std::get_if<int64_t>(&data_);
  return i == nullptr ? 0 : *i;
}

double Value::as_double() const {
  if (const int64_t* i = std::get_if<int64_t>(&data_)) return static_cast<double>(*i);
  assert(kind() == Kind::kDouble);
  const double* d = std::get_if<double>(&data_);
  return d == nullptr ? 0.0 : *d;
}

const std::string& Value::as_string() const {
  static const std::string* const kEmpty = new std::string();
  assert(kind() == Kind::kString);
  const std::string* s = std::get_if<std::string>(&data_);
  return s == nullptr ? *kEmpty : *s;
}

const Array& Value::array() const {
  static const Array* const kEmpty = new Array();
  assert(kind() == Kind::kArray);
  const ArrayBox* a = std::get_if<ArrayBox>(&data_);
  return a == nullptr ? *kEmpty : a->items;
}

Array& Value::array() {
  if (kind() != Kind::kArray) {
    assert(false && "array() on a non-array");
    data_ = ArrayBox{};
  }
  return std::get<ArrayBox>(data_).items;
}

const Members& Value::members() const {
  static const Members* const kEmpty = new Members();
  assert(kind() == Kind::kObject);
  const ObjectBox* o = std::get_if<ObjectBox>(&data_);
  return o == nullptr ? *kEmpty : o->members;
}

Members& Value::members() {
  if (kind() != Kind::kObject) {
    assert(false && "members() on a non-object");
    data_ = ObjectBox{};
  }
  return std::get<ObjectBox>(data_).members;
}

Value& Value::Append(Value v) {
  Array& items = array();
  items.push_back(std::move(v));
  return items.back();
}

Value& Value::Set(absl::string_view key, Value v) {
  Members& m = members();
  for (auto& [k, existing] : m) {
    if (k == key) {
      existing = std::move(v);
      return existing;
    }
  }
  m.emplace_back(std::string(key), std::move(v));
  return m.back().second;
}

const Value* Value::Find(absl::string_view key) const {
  if (kind() != Kind::kObject) return nullptr;
  for (const auto& [k, v] : members()) {
    if (k == key) return &v;
  }
  return nullptr;
}

void Value::SortKeys() {
  if (kind() == Kind::kArray) {
    for (Value& item : array()) item.SortKeys();
  } else if (kind() == Kind::kObject) {
    Members& m = members();
    // Keys are unique, so a plain sort is deterministic.
    std::sort(m.begin(), m.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& member : m) member.second.SortKeys();
  }
}

// ---------------------------------------------------------------------------
// Writing

WriteOptions PythonIndentOptions(int indent) {
  WriteOptions o;
  o.indent = indent;
  return o;
}

WriteOptions PythonDefaultOptions() {
  WriteOptions o;
  o.indent = -1;
  o.item_separator = ", ";
  return o;
}

WriteOptions CompactOptions() {
  WriteOptions o;
  o.indent = -1;
  o.item_separator = ",";
  o.key_separator = ":";
  return o;
}

namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char32_t kReplacement = 0xFFFD;

void AppendU16Escape(std::string& out, uint32_t unit) {
  out += "\\u";
  out += kHex[(unit >> 12) & 0xF];
  out += kHex[(unit >> 8) & 0xF];
  out += kHex[(unit >> 4) & 0xF];
  out += kHex[unit & 0xF];
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid
// (overlong forms, surrogates and values past U+10FFFF are invalid, as in Python).
size_t DecodeUtf8(absl::string_view s, size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  size_t len;
  char32_t min;
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  } else if ((b0 & 0xE0) == 0xC0) {
    len = 2, min = 0x80, *cp = b0 & 0x1F;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, min = 0x800, *cp = b0 & 0x0F;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, min = 0x10000, *cp = b0 & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    *cp = (*cp << 6) | (b & 0x3F);
  }
  if (*cp < min || *cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF)) return 0;
  return len;
}

void AppendQuoted(std::string& out, absl::string_view s, bool ensure_ascii) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    const char c = s[i];
    switch (c) {
      case '"': out += "\\\""; ++i; continue;
      case '\\': out += "\\\\"; ++i; continue;
      case '\n': out += "\\n"; ++i; continue;
      case '\r': out += "\\r"; ++i; continue;
      case '\t': out += "\\t"; ++i; continue;
      case '\b': out += "\\b"; ++i; continue;
      case '\f': out += "\\f"; ++i; continue;
      default: break;
    }
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20) {
      AppendU16Escape(out, u);
      ++i;
      continue;
    }
    if (u < 0x7F) {
      out += c;
      ++i;
      continue;
    }
    if (u == 0x7F) {
      // Printable-ASCII test in Python's ensure_ascii mode excludes DEL.
      if (ensure_ascii) {
        AppendU16Escape(out, u);
      } else {
        out += c;
      }
      ++i;
      continue;
    }
    char32_t cp;
    size_t len = DecodeUtf8(s, i, &cp);
    if (len == 0) {
      cp = kReplacement;
      len = 1;
    }
    if (!ensure_ascii) {
      if (cp == kReplacement && len == 1) {
        AppendUtf8(out, cp);
      } else {
        out.append(s.data() + i, len);
      }
    } else if (cp >= 0x10000) {
      const char32_t v = cp - 0x10000;
      AppendU16Escape(out, 0xD800 | (v >> 10));
      AppendU16Escape(out, 0xDC00 | (v & 0x3FF));
    } else {
      AppendU16Escape(out, cp);
    }
    i += len;
  }
  out += '"';
}

void AppendNewlineIndent(std::string& out, const WriteOptions& o, int level) {
  out += '\n';
  out.append(static_cast<size_t>(o.indent) * static_cast<size_t>(level), ' ');
}

void WriteValue(std::string& out, const Value& v, const WriteOptions& o, int level) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "null";
      return;
    case Value::Kind::kBool:
      out += v.as_bool() ? "true" : "false";
      return;
    case Value::Kind::kInt:
      absl::StrAppend(&out, v.as_int());
      return;
    case Value::Kind::kDouble:
      out += FormatDouble(v.as_double());
      return;
    case Value::Kind::kString:
      AppendQuoted(out, v.as_string(), o.ensure_ascii);
      return;
    case Value::Kind::kArray: {
      const Array& items = v.array();
      if (items.empty()) {
        out += "[]";
        return;
      }
      out += '[';
      for (size_t i = 0; i < items.size(); ++i) {
        if (i > 0) out += o.item_separator;
        if (o.indent >= 0) AppendNewlineIndent(out, o, level + 1);
        WriteValue(out, items[i], o, level + 1);
      }
      if (o.indent >= 0) AppendNewlineIndent(out, o, level);
      out += ']';
      return;
    }
    case Value::Kind::kObject: {
      const Members& members = v.members();
      if (members.empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (size_t i = 0; i < members.size(); ++i) {
        if (i > 0) out += o.item_separator;
        if (o.indent >= 0) AppendNewlineIndent(out, o, level + 1);
        AppendQuoted(out, members[i].first, o.ensure_ascii);
        out += o.key_separator;
        WriteValue(out, members[i].second, o, level + 1);
      }
      if (o.indent >= 0) AppendNewlineIndent(out, o, level);
      out += '}';
      return;
    }
  }
}

}  // namespace

std::string QuoteString(absl::string_view s, bool ensure_ascii) {
  std::string out;
  AppendQuoted(out, s, ensure_ascii);
  return out;
}

std::string FormatDouble(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  // Shortest round-trip digits in scientific form, e.g. "-1.2345e+02".
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), d, std::chars_format::scientific);
  if (ec != std::errc()) return "NaN";  // cannot happen with a 64-byte buffer
  absl::string_view sci(buf, static_cast<size_t>(end - buf));
  std::string out;
  if (!sci.empty() && sci[0] == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  const size_t e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  const int exp10 = std::atoi(std::string(sci.substr(e + 1)).c_str());
  // Python's repr: value = 0.DIGITS * 10^decpt; exponent form when decpt is
  // outside (-4, 16].
  const int decpt = exp10 + 1;
  const int n = static_cast<int>(digits.size());
  if (decpt <= -4 || decpt > 16) {
    out += digits[0];
    if (n > 1) {
      out += '.';
      out.append(digits, 1, std::string::npos);
    }
    out += 'e';
    const int x = decpt - 1;
    out += x < 0 ? '-' : '+';
    const int ax = x < 0 ? -x : x;
    if (ax < 10) out += '0';
    absl::StrAppend(&out, ax);
  } else if (decpt <= 0) {
    out += "0.";
    out.append(static_cast<size_t>(-decpt), '0');
    out += digits;
  } else if (decpt >= n) {
    out += digits;
    out.append(static_cast<size_t>(decpt - n), '0');
    out += ".0";
  } else {
    out.append(digits, 0, static_cast<size_t>(decpt));
    out += '.';
    out.append(digits, static_cast<size_t>(decpt), std::string::npos);
  }
  return out;
}

std::string Write(const Value& v, const WriteOptions& options) {
  std::string out;
  WriteValue(out, v, options, 0);
  return out;
}

// ---------------------------------------------------------------------------
// Reading

namespace {

constexpr int kMaxDepth = 1000;

class Parser {
 public:
  Parser(absl::string_view text, absl::string_view filename)
      : text_(text), filename_(filename) {}

  absl::StatusOr<Value> ParseDocument() {
    SkipWhitespace();
    absl::StatusOr<Value> v = ParseValue(0);
    if (!v.ok()) return v;
    SkipWhitespace();
    if (pos_ != text_.size()) return Error("extra data after the JSON value");
    return v;
  }

 private:
  absl::Status Error(absl::string_view message) const { return ErrorAt(pos_, message); }

  absl::Status ErrorAt(size_t at, absl::string_view message) const {
    int line = 1;
    size_t line_start = 0;
    for (size_t i = 0; i < at && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    }
    Location loc;
    loc.file = std::string(filename_);
    loc.line = line;
    loc.column = static_cast<int>(at - line_start) + 1;
    loc.source_line = std::string(LineOf(text_, line));
    return UserError(loc, message);
  }

  void SkipWhitespace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(absl::string_view word) {
    if (text_.substr(pos_, word.size()) == word) {
      pos_ += word.size();
      return true;
    }
    return false;
  }

  absl::StatusOr<Value> ParseValue(int depth) {
    if (depth > kMaxDepth) return Error("JSON nested too deeply");
    if (pos_ >= text_.size()) return Error("expecting value");
    const char c = text_[pos_];
    switch (c) {
      case '{': return ParseObject(depth);
      case '[': return ParseArray(depth);
      case '"': {
        absl::StatusOr<std::string> s = ParseString();
        if (!s.ok()) return s.status();
        return Value(*std::move(s));
      }
      default: break;
    }
    if (Consume("null")) return Value();
    if (Consume("true")) return Value(true);
    if (Consume("false")) return Value(false);
    if (Consume("NaN")) return Value(std::nan(""));
    if (Consume("Infinity")) return Value(HUGE_VAL);
    if (Consume("-Infinity")) return Value(-HUGE_VAL);
    if (c == '-' || (c >= '0' && c <= '9')) return ParseNumber();
    return Error("expecting value");
  }

  absl::StatusOr<Value> ParseNumber() {
    const size_t start = pos_;
    auto digits = [&] {
      const size_t from = pos_;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
      return pos_ - from;
    };
    if (text_[pos_] == '-') ++pos_;
    const size_t int_start = pos_;
    if (digits() == 0) return Error("expecting digits");
    if (text_[int_start] == '0' && pos_ - int_start > 1) {
      return ErrorAt(int_start, "leading zeros are not allowed in JSON numbers");
    }
    bool is_int = true;
    if (pos_ < text_.size() && text_[pos_] == '.') {
      is_int = false;
      ++pos_;
      if (digits() == 0) return Error("expecting digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      is_int = false;
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (digits() == 0) return Error("expecting exponent digits");
    }
    const char* first = text_.data() + start;
    const char* last = text_.data() + pos_;
    if (is_int) {
      int64_t i = 0;
      auto [p, ec] = std::from_chars(first, last, i);
      if (ec == std::errc() && p == last) return Value(i);
      // Too big for int64: fall back to a double, like most JSON readers in C++.
    }
    double d = 0;
    auto [p, ec] = std::from_chars(first, last, d);
    if (ec == std::errc::result_out_of_range) {
      // Python reads 1e999 as inf; underflow becomes 0.
      const bool huge = std::abs(std::strtod(std::string(first, last).c_str(), nullptr)) > 1;
      d = huge ? (*first == '-' ? -HUGE_VAL : HUGE_VAL) : (*first == '-' ? -0.0 : 0.0);
    } else if (ec != std::errc() || p != last) {
      return ErrorAt(start, "invalid number");
    }
    return Value(d);
  }

  absl::StatusOr<uint32_t> ParseHex4() {
    if (pos_ + 4 > text_.size()) return Error("truncated \\u escape");
    uint32_t v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = text_[pos_ + k];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= h - '0';
      else if (h >= 'a' && h <= 'f') v |= h - 'a' + 10;
      else if (h >= 'A' && h <= 'F') v |= h - 'A' + 10;
      else return Error("invalid \\u escape");
    }
    pos_ += 4;
    return v;
  }

  absl::StatusOr<std::string> ParseString() {
    const size_t open = pos_;
    ++pos_;  // opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size()) return ErrorAt(open, "unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return ErrorAt(open, "unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          absl::StatusOr<uint32_t> unit = ParseHex4();
          if (!unit.ok()) return unit.status();
          char32_t cp = *unit;
          if (cp >= 0xD800 && cp <= 0xDBFF && text_.substr(pos_, 2) == "\\u") {
            const size_t save = pos_;
            pos_ += 2;
            absl::StatusOr<uint32_t> low = ParseHex4();
            if (!low.ok()) return low.status();
            if (*low >= 0xDC00 && *low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (*low - 0xDC00);
            } else {
              pos_ = save;  // the second escape stands on its own
            }
          }
          // Lone surrogates cannot be stored as UTF-8.
          if (cp >= 0xD800 && cp <= 0xDFFF) cp = kReplacement;
          AppendUtf8(out, cp);
          break;
        }
        default:
          return ErrorAt(pos_ - 2, "invalid escape in string");
      }
    }
  }

  absl::StatusOr<Value> ParseArray(int depth) {
    ++pos_;  // '['
    Value result = Value::MakeArray();
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return result;
    }
    while (true) {
      SkipWhitespace();
      absl::StatusOr<Value> item = ParseValue(depth + 1);
      if (!item.ok()) return item;
      result.Append(*std::move(item));
      SkipWhitespace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') {
        ++pos_;
        return result;
      }
      return Error("expecting ',' or ']'");
    }
  }

  absl::StatusOr<Value> ParseObject(int depth) {
    ++pos_;  // '{'
    Value result = Value::MakeObject();
    SkipWhitespace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return result;
    }
    while (true) {
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != '"') {
        return Error("expecting property name enclosed in double quotes");
      }
      absl::StatusOr<std::string> key = ParseString();
      if (!key.ok()) return key.status();
      SkipWhitespace();
      if (pos_ >= text_.size() || text_[pos_] != ':') return Error("expecting ':'");
      ++pos_;
      SkipWhitespace();
      absl::StatusOr<Value> value = ParseValue(depth + 1);
      if (!value.ok()) return value;
      // Duplicate keys: the last value wins at the first position, as in Python.
      result.Set(*key, *std::move(value));
      SkipWhitespace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') {
        ++pos_;
        return result;
      }
      return Error("expecting ',' or '}'");
    }
  }

  absl::string_view text_;
  absl::string_view filename_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<Value> Parse(absl::string_view text, absl::string_view filename) {
  return Parser(text, filename).ParseDocument();
}

}  // namespace braid::json
