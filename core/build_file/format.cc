// String formatting: Python's format-spec mini-language (f-strings,
// str.format, format()), printf-style `%` formatting and str.format fields.
#include <cmath>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "core/build_file/interpreter.h"

namespace braid::build_file::internal {
namespace {

using VK = Value::Kind;

struct Spec {
  std::string fill = " ";
  char align = 0;  // '<', '>', '^', '=' or 0 (type default)
  char sign = '-';
  bool alt = false;
  bool zero = false;
  int64_t width = -1;
  char grouping = 0;  // ',' or '_'
  int64_t precision = -1;
  char type = 0;
};

absl::Status BadSpec(absl::string_view spec) {
  return absl::InvalidArgumentError(absl::StrCat("invalid format specifier '", spec, "'"));
}

absl::StatusOr<Spec> ParseSpec(absl::string_view s) {
  Spec spec;
  size_t i = 0;
  auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
  // Fill may be any (UTF-8) character when followed by an align char.
  std::vector<absl::string_view> cps = CodePoints(s);
  if (cps.size() >= 2 && cps[1].size() == 1 && is_align(cps[1][0])) {
    spec.fill = std::string(cps[0]);
    spec.align = cps[1][0];
    i = cps[0].size() + 1;
  } else if (!s.empty() && is_align(s[0])) {
    spec.align = s[0];
    i = 1;
  }
  if (i < s.size() && (s[i] == '+' || s[i] == '-' || s[i] == ' ')) spec.sign = s[i++];
  if (i < s.size() && s[i] == '#') {
    spec.alt = true;
    ++i;
  }
  if (i < s.size() && s[i] == '0') {
    spec.zero = true;
    ++i;
  }
  auto number = [&](int64_t* out) {
    int64_t n = 0;
    bool any = false;
    while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) {
      n = n * 10 + (s[i] - '0');
      if (n > kMaxSize) n = kMaxSize + 1;
      any = true;
      ++i;
    }
    if (any) *out = n;
    return any;
  };
  number(&spec.width);
  if (i < s.size() && (s[i] == ',' || s[i] == '_')) spec.grouping = s[i++];
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!number(&spec.precision)) return BadSpec(s);
  }
  if (i < s.size()) spec.type = s[i++];
  if (i != s.size()) return BadSpec(s);
  if (spec.width > kMaxSize || spec.precision > 1000) return CheckSize(kMaxSize + 1);
  return spec;
}

std::string Group(const std::string& digits, char sep) {
  std::string out;
  int count = 0;
  for (size_t k = digits.size(); k > 0; --k) {
    if (count == 3) {
      out.push_back(sep);
      count = 0;
    }
    out.push_back(digits[k - 1]);
    ++count;
  }
  return std::string(out.rbegin(), out.rend());
}

// Pads `body` (with its sign/prefix split off for '=' alignment).
std::string Pad(const Spec& spec, const std::string& prefix, const std::string& body,
                char default_align) {
  char align = spec.align ? spec.align : default_align;
  std::string fill = spec.fill;
  if (spec.zero && !spec.align) {
    align = '=';
    fill = "0";
  }
  int64_t len = CodePointCount(prefix) + CodePointCount(body);
  if (spec.width <= len) return prefix + body;
  int64_t pad = spec.width - len;
  auto rep = [&](int64_t n) {
    std::string r;
    for (int64_t k = 0; k < n; ++k) r += fill;
    return r;
  };
  switch (align) {
    case '<': return prefix + body + rep(pad);
    case '^': return rep(pad / 2) + prefix + body + rep(pad - pad / 2);
    case '=': return prefix + rep(pad) + body;
    default: return rep(pad) + prefix + body;
  }
}

std::string FormatFloat(double d, char type, int64_t precision, bool alt) {
  if (std::isnan(d)) return absl::ascii_isupper(static_cast<unsigned char>(type)) ? "NAN" : "nan";
  if (std::isinf(d)) return absl::ascii_isupper(static_cast<unsigned char>(type)) ? "INF" : "inf";
  std::string fmt = absl::StrCat("%", alt ? "#" : "", ".", precision, std::string(1, type));
  int n = std::snprintf(nullptr, 0, fmt.c_str(), d);
  if (n <= 0) return "";
  std::string out(static_cast<size_t>(n) + 1, '\0');
  std::snprintf(out.data(), out.size(), fmt.c_str(), d);
  out.resize(static_cast<size_t>(n));
  return out;
}

absl::StatusOr<std::string> FormatNumber(const Value& v, const Spec& spec) {
  bool is_float = v.kind() == VK::kFloat;
  char type = spec.type;
  if (type == 0) type = is_float ? 0 : 'd';
  if (!is_float && (type == 'e' || type == 'E' || type == 'f' || type == 'F' || type == 'g' ||
                    type == 'G' || type == '%')) {
    is_float = true;
  }
  std::string prefix, body;
  bool negative;
  if (!is_float) {
    if (type != 'd' && type != 'x' && type != 'X' && type != 'o' && type != 'b' && type != 'n' && type != 'c') {
      return absl::InvalidArgumentError(
          absl::StrCat("Unknown format code '", std::string(1, type), "' for object of type '", v.TypeName(), "'"));
    }
    int64_t i = v.int_value();
    negative = i < 0;
    uint64_t mag = negative ? static_cast<uint64_t>(0) - static_cast<uint64_t>(i) : static_cast<uint64_t>(i);
    if (type == 'c') return std::string(1, static_cast<char>(i));
    int base = type == 'x' || type == 'X' ? 16 : type == 'o' ? 8 : type == 'b' ? 2 : 10;
    if (mag == 0) body = "0";
    while (mag > 0) {
      int digit = static_cast<int>(mag % static_cast<uint64_t>(base));
      body.insert(body.begin(), static_cast<char>(digit < 10 ? '0' + digit : (type == 'X' ? 'A' : 'a') + digit - 10));
      mag /= static_cast<uint64_t>(base);
    }
    if (spec.grouping) body = Group(body, spec.grouping);
    if (spec.alt && base != 10) {
      prefix = type == 'x' ? "0x" : type == 'X' ? "0X" : type == 'o' ? "0o" : "0b";
    }
  } else {
    double d = v.kind() == VK::kFloat ? v.float_value() : static_cast<double>(v.int_value());
    negative = std::signbit(d) && !std::isnan(d);
    double mag = std::fabs(d);
    if (type == 0) {
      body = spec.precision < 0 ? PythonFloatRepr(mag) : FormatFloat(mag, 'g', spec.precision == 0 ? 1 : spec.precision, false);
      if (spec.precision >= 0 && body.find_first_of(".einf") == std::string::npos) body += ".0";
    } else if (type == '%') {
      body = FormatFloat(mag * 100, 'f', spec.precision < 0 ? 6 : spec.precision, spec.alt) + "%";
    } else if (type == 'n') {
      body = FormatFloat(mag, 'g', spec.precision < 0 ? 6 : spec.precision, spec.alt);
    } else if (type == 'e' || type == 'E' || type == 'f' || type == 'F' || type == 'g' || type == 'G') {
      int64_t p = spec.precision < 0 ? 6 : spec.precision;
      if ((type == 'g' || type == 'G') && p == 0) p = 1;
      body = FormatFloat(mag, type, p, spec.alt);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("Unknown format code '", std::string(1, type), "' for object of type '", v.TypeName(), "'"));
    }
    if (spec.grouping) {
      size_t end = body.find_first_not_of("0123456789");
      if (end == std::string::npos) end = body.size();
      body = Group(body.substr(0, end), spec.grouping) + body.substr(end);
    }
  }
  std::string sign = negative ? "-" : spec.sign == '+' ? "+" : spec.sign == ' ' ? " " : "";
  return Pad(spec, sign + prefix, body, '>');
}

}  // namespace

absl::StatusOr<std::string> FormatWithSpec(const Value& v, absl::string_view spec_text) {
  if (spec_text.empty()) return v.Str();
  absl::StatusOr<Spec> spec = ParseSpec(spec_text);
  if (!spec.ok()) return spec.status();
  switch (v.kind()) {
    case VK::kInt:
    case VK::kFloat: return FormatNumber(v, *spec);
    case VK::kBool:
      if (spec->type == 0 || spec->type == 's') {
        if (spec->type == 0 && (spec->sign != '-' || spec->zero)) return FormatNumber(v, *spec);
        return Pad(*spec, "", v.Str(), '<');
      }
      return FormatNumber(v, *spec);
    case VK::kString: {
      if (spec->type != 0 && spec->type != 's') {
        return absl::InvalidArgumentError(absl::StrCat("Unknown format code '", std::string(1, spec->type),
                                                       "' for object of type 'str'"));
      }
      if (spec->sign != '-') return absl::InvalidArgumentError("Sign not allowed in string format specifier");
      if (spec->align == '=') {
        return absl::InvalidArgumentError("'=' alignment not allowed in string format specifier");
      }
      std::string s = v.string_value();
      if (spec->precision >= 0) {
        std::vector<absl::string_view> cps = CodePoints(s);
        if (static_cast<int64_t>(cps.size()) > spec->precision) {
          std::string cut;
          for (int64_t k = 0; k < spec->precision; ++k) cut.append(cps[static_cast<size_t>(k)].data(), cps[static_cast<size_t>(k)].size());
          s = cut;
        }
      }
      return Pad(*spec, "", s, '<');
    }
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("unsupported format string passed to ", v.TypeName(), ".__format__"));
  }
}

absl::StatusOr<std::string> PercentFormat(absl::string_view fmt, const Value& args) {
  std::vector<Value> positional;
  bool is_tuple = args.kind() == VK::kTuple;
  if (is_tuple) {
    positional = args.items();
  } else {
    positional.push_back(args);
  }
  size_t next = 0;
  bool used_mapping = false;
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c != '%') {
      out.push_back(c);
      continue;
    }
    if (++i >= fmt.size()) return absl::InvalidArgumentError("incomplete format");
    if (fmt[i] == '%') {
      out.push_back('%');
      continue;
    }
    const Value* arg = nullptr;
    Value mapped;
    if (fmt[i] == '(') {
      size_t close = fmt.find(')', i);
      if (close == absl::string_view::npos) return absl::InvalidArgumentError("incomplete format key");
      if (args.kind() != VK::kDict) return absl::InvalidArgumentError("format requires a mapping");
      const Value* v = args.DictGet(Value::String(std::string(fmt.substr(i + 1, close - i - 1))));
      if (v == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("KeyError: ", PythonStringRepr(fmt.substr(i + 1, close - i - 1))));
      }
      mapped = *v;
      arg = &mapped;
      used_mapping = true;
      i = close + 1;
    }
    Spec spec;
    spec.align = '>';
    // Flags.
    for (; i < fmt.size(); ++i) {
      char f = fmt[i];
      if (f == '-') spec.align = '<';
      else if (f == '+') spec.sign = '+';
      else if (f == ' ') { if (spec.sign != '+') spec.sign = ' '; }
      else if (f == '#') spec.alt = true;
      else if (f == '0') spec.zero = true;
      else break;
    }
    auto number = [&](int64_t* out_n) -> absl::Status {
      if (i < fmt.size() && fmt[i] == '*') {
        if (next >= positional.size() || positional[next].kind() != VK::kInt) {
          return absl::InvalidArgumentError("* wants int");
        }
        *out_n = positional[next++].int_value();
        ++i;
        return absl::OkStatus();
      }
      int64_t n = -1;
      while (i < fmt.size() && absl::ascii_isdigit(static_cast<unsigned char>(fmt[i]))) {
        n = (n < 0 ? 0 : n) * 10 + (fmt[i] - '0');
        if (n > kMaxSize) return CheckSize(kMaxSize + 1);
        ++i;
      }
      if (n >= 0) *out_n = n;
      return absl::OkStatus();
    };
    if (absl::Status s = number(&spec.width); !s.ok()) return s;
    if (i < fmt.size() && fmt[i] == '.') {
      ++i;
      spec.precision = 0;
      if (absl::Status s = number(&spec.precision); !s.ok()) return s;
      if (spec.precision > 1000) return CheckSize(kMaxSize + 1);
    }
    if (i >= fmt.size()) return absl::InvalidArgumentError("incomplete format");
    char conv = fmt[i];
    if (arg == nullptr) {
      if (next >= positional.size()) return absl::InvalidArgumentError("not enough arguments for format string");
      arg = &positional[next++];
    }
    if (spec.zero && spec.align == '<') spec.zero = false;
    if (spec.zero) spec.align = 0;
    switch (conv) {
      case 's':
      case 'r':
      case 'a': {
        std::string s = conv == 's' ? arg->Str() : arg->Repr();
        if (spec.precision >= 0 && static_cast<int64_t>(s.size()) > spec.precision) {
          s = s.substr(0, static_cast<size_t>(spec.precision));
        }
        Spec str_spec = spec;
        str_spec.zero = false;
        if (!str_spec.align) str_spec.align = '>';
        out += Pad(str_spec, "", s, '>');
        break;
      }
      case 'd':
      case 'i':
      case 'u':
      case 'x':
      case 'X':
      case 'o':
      case 'e':
      case 'E':
      case 'f':
      case 'F':
      case 'g':
      case 'G': {
        Value num = *arg;
        bool int_conv = conv == 'd' || conv == 'i' || conv == 'u' || conv == 'x' || conv == 'X' || conv == 'o';
        if (num.kind() != VK::kInt && num.kind() != VK::kBool && num.kind() != VK::kFloat) {
          return absl::InvalidArgumentError(absl::StrCat(
              "%", std::string(1, conv), " format: a ", int_conv && conv != 'd' && conv != 'i' && conv != 'u' ? "integer" : "real number",
              " is required, not ", num.TypeName()));
        }
        if (int_conv && num.kind() == VK::kFloat) {
          if (conv != 'd' && conv != 'i' && conv != 'u') {
            return absl::InvalidArgumentError(absl::StrCat("%", std::string(1, conv), " format: an integer is required, not float"));
          }
          double d = num.float_value();
          if (!std::isfinite(d) || std::fabs(d) > 9.2e18) return absl::InvalidArgumentError("cannot convert float to integer");
          num = Value::Int(static_cast<int64_t>(d));
        }
        if (num.kind() == VK::kBool) num = Value::Int(num.int_value());
        Spec ns = spec;
        ns.type = (conv == 'i' || conv == 'u') ? 'd' : conv;
        if (!int_conv && ns.precision < 0) ns.precision = 6;
        if (int_conv && spec.precision >= 0) {
          // %.3d pads the digits with zeros.
          Spec digits_spec;
          digits_spec.type = ns.type;
          digits_spec.alt = ns.alt;
          digits_spec.width = spec.precision;
          digits_spec.zero = true;
          absl::StatusOr<std::string> digits = FormatNumber(num, digits_spec);
          if (!digits.ok()) return digits.status();
          ns.precision = -1;
          Spec outer = ns;
          outer.type = 0;
          out += Pad(outer, "", *digits, '>');
          break;
        }
        absl::StatusOr<std::string> s = FormatNumber(num, ns);
        if (!s.ok()) return s.status();
        out += *s;
        break;
      }
      case 'c':
        if (arg->is_string()) {
          out += arg->string_value();
        } else if (arg->kind() == VK::kInt) {
          out.push_back(static_cast<char>(arg->int_value()));
        } else {
          return absl::InvalidArgumentError("%c requires int or char");
        }
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat("unsupported format character '", std::string(1, conv), "'"));
    }
    if (absl::Status s = CheckSize(static_cast<int64_t>(out.size())); !s.ok()) return s;
  }
  if (!used_mapping && is_tuple && next < positional.size()) {
    return absl::InvalidArgumentError("not all arguments converted during string formatting");
  }
  if (!used_mapping && !is_tuple && next == 0 && args.kind() != VK::kDict) {
    return absl::InvalidArgumentError("not all arguments converted during string formatting");
  }
  return out;
}

namespace {

// Resolves a str.format field name: "0", "name", "", "0[key]", "name[0]".
absl::StatusOr<Value> ResolveField(absl::string_view field, const CallArgs& args, size_t* auto_index,
                                   int* numbering) {
  size_t end = field.find_first_of(".[");
  absl::string_view head = field.substr(0, end);
  Value v;
  if (head.empty()) {
    if (*numbering == 2) {
      return absl::InvalidArgumentError("cannot switch from manual field specification to automatic field numbering");
    }
    *numbering = 1;
    if (*auto_index >= args.positional.size()) {
      return absl::InvalidArgumentError(absl::StrCat("Replacement index ", *auto_index, " out of range for positional args tuple"));
    }
    v = args.positional[(*auto_index)++];
  } else if (absl::ascii_isdigit(static_cast<unsigned char>(head[0]))) {
    if (*numbering == 1) {
      return absl::InvalidArgumentError("cannot switch from automatic field numbering to manual field specification");
    }
    *numbering = 2;
    size_t idx = 0;
    for (char c : head) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return absl::InvalidArgumentError(absl::StrCat("KeyError: '", head, "'"));
      idx = idx * 10 + static_cast<size_t>(c - '0');
      if (idx > 1000000) break;
    }
    if (idx >= args.positional.size()) {
      return absl::InvalidArgumentError(absl::StrCat("Replacement index ", idx, " out of range for positional args tuple"));
    }
    v = args.positional[idx];
  } else {
    const Value* kw = args.Find(head);
    if (kw == nullptr) return absl::InvalidArgumentError(absl::StrCat("KeyError: '", head, "'"));
    v = *kw;
  }
  size_t i = end == absl::string_view::npos ? field.size() : end;
  while (i < field.size()) {
    if (field[i] == '[') {
      size_t close = field.find(']', i);
      if (close == absl::string_view::npos) return absl::InvalidArgumentError("Missing ']' in format string");
      absl::string_view key = field.substr(i + 1, close - i - 1);
      Value k;
      bool numeric = !key.empty();
      int64_t n = 0;
      for (char c : key) {
        if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) numeric = false;
        else if (n < 1000000000) n = n * 10 + (c - '0');
      }
      k = numeric ? Value::Int(n) : Value::String(std::string(key));
      absl::StatusOr<Value> sub = Subscript(v, k);
      if (!sub.ok()) return sub.status();
      v = *std::move(sub);
      i = close + 1;
    } else {
      return absl::InvalidArgumentError("attribute access in format fields is not supported in BUILD files");
    }
  }
  return v;
}

absl::StatusOr<std::string> StrFormatImpl(absl::string_view fmt, const CallArgs& args,
                                          size_t* auto_index, int* numbering, int depth) {
  if (depth > 2) return absl::InvalidArgumentError("Max string recursion exceeded");
  std::string out;
  for (size_t i = 0; i < fmt.size(); ++i) {
    char c = fmt[i];
    if (c == '}') {
      if (i + 1 < fmt.size() && fmt[i + 1] == '}') {
        out.push_back('}');
        ++i;
        continue;
      }
      return absl::InvalidArgumentError("Single '}' encountered in format string");
    }
    if (c != '{') {
      out.push_back(c);
      continue;
    }
    if (i + 1 < fmt.size() && fmt[i + 1] == '{') {
      out.push_back('{');
      ++i;
      continue;
    }
    // Find the matching '}', allowing one level of nested fields in the spec.
    size_t j = i + 1;
    int nest = 0;
    for (; j < fmt.size(); ++j) {
      if (fmt[j] == '[') {
        size_t close = fmt.find(']', j);
        if (close == absl::string_view::npos) break;
        j = close;
        continue;
      }
      if (fmt[j] == '{') ++nest;
      if (fmt[j] == '}') {
        if (nest == 0) break;
        --nest;
      }
    }
    if (j >= fmt.size()) return absl::InvalidArgumentError("expected '}' before end of string");
    absl::string_view field = fmt.substr(i + 1, j - i - 1);
    absl::string_view name = field, spec;
    char conversion = 0;
    size_t colon = absl::string_view::npos;
    size_t bang = absl::string_view::npos;
    for (size_t k = 0; k < field.size(); ++k) {
      if (field[k] == '[') {
        size_t close = field.find(']', k);
        if (close == absl::string_view::npos) break;
        k = close;
        continue;
      }
      if (field[k] == '!' && bang == absl::string_view::npos) bang = k;
      if (field[k] == ':') {
        colon = k;
        break;
      }
    }
    if (colon != absl::string_view::npos) {
      spec = field.substr(colon + 1);
      name = field.substr(0, colon);
    }
    if (bang != absl::string_view::npos && bang < name.size()) {
      if (bang + 2 != name.size()) {
        return absl::InvalidArgumentError("expected ':' after conversion specifier");
      }
      conversion = name[bang + 1];
      if (conversion != 'r' && conversion != 's' && conversion != 'a') {
        return absl::InvalidArgumentError(absl::StrCat("Unknown conversion specifier ", std::string(1, conversion)));
      }
      name = name.substr(0, bang);
    }
    absl::StatusOr<Value> v = ResolveField(name, args, auto_index, numbering);
    if (!v.ok()) return v.status();
    Value shown = *std::move(v);
    if (conversion == 'r' || conversion == 'a') shown = Value::String(shown.Repr());
    if (conversion == 's') shown = Value::String(shown.Str());
    std::string spec_text(spec);
    if (spec.find('{') != absl::string_view::npos) {
      absl::StatusOr<std::string> expanded = StrFormatImpl(spec, args, auto_index, numbering, depth + 1);
      if (!expanded.ok()) return expanded.status();
      spec_text = *std::move(expanded);
    }
    absl::StatusOr<std::string> formatted = FormatWithSpec(shown, spec_text);
    if (!formatted.ok()) return formatted.status();
    out += *formatted;
    if (absl::Status s = CheckSize(static_cast<int64_t>(out.size())); !s.ok()) return s;
    i = j;
  }
  return out;
}

}  // namespace

absl::StatusOr<std::string> StrFormat(absl::string_view fmt, const CallArgs& args) {
  size_t auto_index = 0;
  int numbering = 0;
  return StrFormatImpl(fmt, args, &auto_index, &numbering, 0);
}

}  // namespace braid::build_file::internal
