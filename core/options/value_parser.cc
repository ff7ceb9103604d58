#include "core/options/value_parser.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace braid::options {
namespace {

// A recursive-descent reader over one option value text. Positions in error
// messages are 1-based columns into the text.
class Reader {
 public:
  explicit Reader(absl::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }
  size_t pos() const { return pos_; }
  void SkipSpace() {
    while (!AtEnd() && absl::ascii_isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  absl::Status Error(absl::string_view expected) const {
    std::string found = AtEnd() ? "end of text" : absl::StrCat("'", text_.substr(pos_, 1), "'");
    return absl::InvalidArgumentError(absl::StrCat("expected ", expected, " at column ", pos_ + 1,
                                                   " but found ", found, " in \"", text_, "\""));
  }

  absl::StatusOr<std::string> QuotedString() {
    char quote = Peek();
    if (quote != '\'' && quote != '"') return Error("a quoted string");
    ++pos_;
    std::string out;
    while (true) {
      if (AtEnd()) return Error(absl::StrCat("closing ", std::string(1, quote)));
      char c = text_[pos_++];
      if (c == quote) return out;
      if (c != '\\') {
        out.push_back(c);
        continue;
      }
      if (AtEnd()) return Error("an escaped character");
      char e = text_[pos_++];
      switch (e) {
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
        case 'x': {
          if (pos_ + 2 > text_.size() || !absl::ascii_isxdigit(text_[pos_]) ||
              !absl::ascii_isxdigit(text_[pos_ + 1])) {
            return Error("two hex digits after \\x");
          }
          out.push_back(static_cast<char>(std::strtol(std::string(text_.substr(pos_, 2)).c_str(),
                                                      nullptr, 16)));
          pos_ += 2;
          break;
        }
        default:
          if (e >= '0' && e <= '7') {
            int v = e - '0';
            for (int i = 0; i < 2 && Peek() >= '0' && Peek() <= '7'; ++i) v = v * 8 + (text_[pos_++] - '0');
            out.push_back(static_cast<char>(v));
          } else {
            // Python keeps unknown escapes verbatim.
            out.push_back('\\');
            out.push_back(e);
          }
      }
    }
  }

  // A number: int, or float if it has '.' or an exponent.
  absl::StatusOr<OptionValue> Number() {
    size_t start = pos_;
    if (Peek() == '+' || Peek() == '-') ++pos_;
    auto digits = [&]() {
      size_t s = pos_;
      while (absl::ascii_isdigit(Peek()) || (Peek() == '_' && pos_ > s)) ++pos_;
      return pos_ > s;
    };
    if (!digits()) {
      pos_ = start;
      return Error("a number");
    }
    bool is_float = false;
    if (Peek() == '.') {
      is_float = true;
      ++pos_;
      digits();
    }
    if (Peek() == 'e' || Peek() == 'E') {
      is_float = true;
      ++pos_;
      if (Peek() == '+' || Peek() == '-') ++pos_;
      if (!digits()) return Error("exponent digits");
    }
    std::string num;
    for (char c : text_.substr(start, pos_ - start)) {
      if (c != '_') num.push_back(c);
    }
    errno = 0;
    if (is_float) return OptionValue::Float(std::strtod(num.c_str(), nullptr));
    long long v = std::strtoll(num.c_str(), nullptr, 10);
    if (errno == ERANGE) {
      pos_ = start;
      return Error("an integer that fits in 64 bits");
    }
    return OptionValue::Int(v);
  }

  bool Word(absl::string_view w, bool case_insensitive) {
    if (text_.size() - pos_ < w.size()) return false;
    absl::string_view s = text_.substr(pos_, w.size());
    bool eq = case_insensitive ? absl::EqualsIgnoreCase(s, w) : s == w;
    if (!eq) return false;
    // Must not run into an identifier character.
    size_t end = pos_ + w.size();
    if (end < text_.size() && (absl::ascii_isalnum(text_[end]) || text_[end] == '_')) return false;
    pos_ = end;
    return true;
  }

  absl::StatusOr<OptionValue> Literal(int depth = 0) {
    if (depth > 64) return Error("less nesting");
    SkipSpace();
    char c = Peek();
    if (c == '\'' || c == '"') {
      absl::StatusOr<std::string> s = QuotedString();
      if (!s.ok()) return s.status();
      return OptionValue::String(*std::move(s));
    }
    if (c == '[' || c == '(') {
      absl::StatusOr<OptionValue::List> items = Sequence(depth);
      if (!items.ok()) return items.status();
      return OptionValue::OfList(*std::move(items));
    }
    if (c == '{') {
      absl::StatusOr<OptionValue::Dict> d = DictLiteral(depth);
      if (!d.ok()) return d.status();
      return OptionValue::OfDict(*std::move(d));
    }
    if (Word("true", true)) return OptionValue::Bool(true);
    if (Word("false", true)) return OptionValue::Bool(false);
    if (Word("None", false)) return OptionValue::None();
    if (c == '+' || c == '-' || absl::ascii_isdigit(c)) return Number();
    return Error("a value (a quoted string, number, True/False, None, list or dict)");
  }

  // "[a, b,]" or "(a, b)". Items are literals.
  absl::StatusOr<OptionValue::List> Sequence(int depth) {
    char open = Peek();
    char close = open == '(' ? ')' : ']';
    if (!Consume(open)) return Error("'[' or '('");
    OptionValue::List items;
    SkipSpace();
    while (!Consume(close)) {
      absl::StatusOr<OptionValue> item = Literal(depth + 1);
      if (!item.ok()) return item.status();
      items.push_back(*std::move(item));
      SkipSpace();
      if (Consume(close)) break;
      if (!Consume(',')) return Error(absl::StrCat("',' or '", std::string(1, close), "'"));
      SkipSpace();
    }
    return items;
  }

  absl::StatusOr<OptionValue::Dict> DictLiteral(int depth) {
    if (!Consume('{')) return Error("'{'");
    OptionValue dict = OptionValue::OfDict();
    SkipSpace();
    while (!Consume('}')) {
      absl::StatusOr<std::string> key = QuotedString();
      if (!key.ok()) return Error("a quoted dict key");
      SkipSpace();
      if (!Consume(':')) return Error("':'");
      absl::StatusOr<OptionValue> value = Literal(depth + 1);
      if (!value.ok()) return value.status();
      dict.Set(*std::move(key), *std::move(value));
      SkipSpace();
      if (Consume('}')) break;
      if (!Consume(',')) return Error("',' or '}'");
      SkipSpace();
    }
    return dict.dict();
  }

 private:
  absl::string_view text_;
  size_t pos_ = 0;
};

absl::Status ExpectEnd(Reader& r) {
  r.SkipSpace();
  if (!r.AtEnd()) return r.Error("end of text");
  return absl::OkStatus();
}

absl::StatusOr<OptionValue::List> StringItems(Reader& r) {
  absl::StatusOr<OptionValue::List> items = r.Sequence(0);
  if (!items.ok()) return items.status();
  for (const OptionValue& item : *items) {
    if (item.kind() != OptionValue::Kind::kString) {
      return absl::InvalidArgumentError(absl::StrCat(
          "expected a list of quoted strings, got ", OptionValue::OfList(*items).ToPython(),
          " (item ", item.ToPython(true), " is not a string)"));
    }
  }
  return items;
}

}  // namespace

absl::StatusOr<OptionValue> ParseLiteral(absl::string_view text) {
  Reader r(text);
  absl::StatusOr<OptionValue> v = r.Literal();
  if (!v.ok()) return v.status();
  if (absl::Status s = ExpectEnd(r); !s.ok()) return s;
  return v;
}

absl::StatusOr<bool> ParseBool(absl::string_view text) {
  if (absl::EqualsIgnoreCase(text, "true")) return true;
  if (absl::EqualsIgnoreCase(text, "false")) return false;
  return absl::InvalidArgumentError(absl::StrCat("expected true or false, got '", text, "'"));
}

absl::StatusOr<int64_t> ParseInt(absl::string_view text) {
  Reader r(text);
  absl::StatusOr<OptionValue> v = r.Number();
  if (!v.ok() || v->kind() != OptionValue::Kind::kInt || !r.AtEnd()) {
    return absl::InvalidArgumentError(absl::StrCat("expected an integer, got '", text, "'"));
  }
  return v->integer();
}

absl::StatusOr<double> ParseFloat(absl::string_view text) {
  Reader r(text);
  absl::StatusOr<OptionValue> v = r.Number();
  if (!v.ok() || !r.AtEnd()) {
    return absl::InvalidArgumentError(absl::StrCat("expected a float, got '", text, "'"));
  }
  return v->kind() == OptionValue::Kind::kInt ? static_cast<double>(v->integer()) : v->real();
}

absl::StatusOr<std::vector<ListEdit>> ParseStringListEdits(absl::string_view text) {
  if (text.empty()) {
    return absl::InvalidArgumentError(
        "expected a list value: \"['a', 'b']\", \"+['a']\", \"-['a']\" or a single item");
  }
  char c0 = text[0];
  char c1 = text.size() > 1 ? text[1] : '\0';
  bool edit_syntax = ((c0 == '+' || c0 == '-') && (c1 == '[' || c1 == '('));
  bool replace_syntax = c0 == '[' || c0 == '(' || absl::ascii_isspace(static_cast<unsigned char>(c0));
  if (!edit_syntax && !replace_syntax) {
    // Pants: a bare value is one item appended to the lower-ranked value.
    return std::vector<ListEdit>{{ListEdit::Action::kAdd, {OptionValue::String(std::string(text))}}};
  }
  Reader r(text);
  r.SkipSpace();
  if (r.Peek() == '[' || r.Peek() == '(') {
    absl::StatusOr<OptionValue::List> items = StringItems(r);
    if (!items.ok()) return items.status();
    if (absl::Status s = ExpectEnd(r); !s.ok()) return s;
    return std::vector<ListEdit>{{ListEdit::Action::kReplace, *std::move(items)}};
  }
  std::vector<ListEdit> edits;
  while (true) {
    r.SkipSpace();
    ListEdit edit;
    if (r.Consume('+')) {
      edit.action = ListEdit::Action::kAdd;
    } else if (r.Consume('-')) {
      edit.action = ListEdit::Action::kRemove;
    } else {
      return r.Error("'+[' or '-['");
    }
    r.SkipSpace();
    absl::StatusOr<OptionValue::List> items = StringItems(r);
    if (!items.ok()) return items.status();
    edit.items = *std::move(items);
    edits.push_back(std::move(edit));
    r.SkipSpace();
    if (r.AtEnd()) break;
    if (!r.Consume(',')) return r.Error("',' between list edits");
    r.SkipSpace();
    if (r.AtEnd()) break;  // trailing comma
  }
  return edits;
}

absl::StatusOr<DictEdit> ParseDictEdit(absl::string_view text) {
  Reader r(text);
  r.SkipSpace();
  DictEdit edit;
  if (r.Consume('+')) edit.action = DictEdit::Action::kAdd;
  if (r.Peek() != '{') return r.Error("a dict literal \"{'key': value}\" or \"+{...}\"");
  absl::StatusOr<OptionValue::Dict> d = r.DictLiteral(0);
  if (!d.ok()) return d.status();
  if (absl::Status s = ExpectEnd(r); !s.ok()) return s;
  edit.items = *std::move(d);
  return edit;
}

void ApplyListEdits(const std::vector<ListEdit>& edits, OptionValue::List* value) {
  for (const ListEdit& edit : edits) {
    switch (edit.action) {
      case ListEdit::Action::kReplace:
        *value = edit.items;
        break;
      case ListEdit::Action::kAdd:
        value->insert(value->end(), edit.items.begin(), edit.items.end());
        break;
      case ListEdit::Action::kRemove:
        value->erase(std::remove_if(value->begin(), value->end(),
                                    [&](const OptionValue& v) {
                                      return std::find(edit.items.begin(), edit.items.end(), v) !=
                                             edit.items.end();
                                    }),
                     value->end());
        break;
    }
  }
}

void ApplyDictEdit(const DictEdit& edit, OptionValue::Dict* value) {
  if (edit.action == DictEdit::Action::kReplace) {
    *value = edit.items;
    return;
  }
  OptionValue merged = OptionValue::OfDict(std::move(*value));
  for (const auto& [k, v] : edit.items) merged.Set(k, v);
  *value = merged.dict();
}

}  // namespace braid::options
