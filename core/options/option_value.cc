#include "core/options/option_value.h"

#include <cmath>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace braid::options {

OptionValue OptionValue::Bool(bool b) {
  OptionValue v;
  v.v_ = b;
  return v;
}
OptionValue OptionValue::Int(int64_t i) {
  OptionValue v;
  v.v_ = i;
  return v;
}
OptionValue OptionValue::Float(double d) {
  OptionValue v;
  v.v_ = d;
  return v;
}
OptionValue OptionValue::String(std::string s) {
  OptionValue v;
  v.v_ = std::move(s);
  return v;
}
OptionValue OptionValue::OfList(OptionValue::List items) {
  OptionValue v;
  v.v_ = std::move(items);
  return v;
}
OptionValue OptionValue::OfDict(OptionValue::Dict items) {
  OptionValue v;
  v.v_.emplace<OptionValue::Dict>();
  // Enforce unique keys: a later duplicate overwrites in place.
  for (auto& [k, val] : items) v.Set(std::move(k), std::move(val));
  return v;
}
OptionValue OptionValue::StringList(const std::vector<std::string>& items) {
  OptionValue::List list;
  for (const std::string& s : items) list.push_back(String(s));
  return OfList(std::move(list));
}

const OptionValue* OptionValue::Find(absl::string_view key) const {
  if (kind() != Kind::kDict) return nullptr;
  for (const auto& [k, v] : dict()) {
    if (k == key) return &v;
  }
  return nullptr;
}

void OptionValue::Set(std::string key, OptionValue value) {
  OptionValue::Dict& d = std::get<OptionValue::Dict>(v_);
  for (auto& [k, v] : d) {
    if (k == key) {
      v = std::move(value);
      return;
    }
  }
  d.emplace_back(std::move(key), std::move(value));
}

std::vector<std::string> OptionValue::Strings() const {
  std::vector<std::string> out;
  if (kind() != Kind::kList) return out;
  for (const OptionValue& item : list()) {
    if (item.kind() == Kind::kString) out.push_back(item.string());
  }
  return out;
}

namespace {

std::string FormatDouble(double d) {
  if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 1e15) {
    return absl::StrCat(static_cast<int64_t>(d), ".0");
  }
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.17g", d);
  // Prefer the shortest representation that round-trips.
  for (int prec = 1; prec <= 17; ++prec) {
    char shorter[64];
    std::snprintf(shorter, sizeof(shorter), "%.*g", prec, d);
    if (std::strtod(shorter, nullptr) == d) return shorter;
  }
  return buf;
}

std::string PyQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\'': out += "\\'"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default: out.push_back(c);
    }
  }
  out += "'";
  return out;
}

std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof(buf), "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out += "\"";
  return out;
}

}  // namespace

std::string OptionValue::ToPython(bool quote_strings) const {
  switch (kind()) {
    case Kind::kNone: return "None";
    case Kind::kBool: return boolean() ? "True" : "False";
    case Kind::kInt: return absl::StrCat(integer());
    case Kind::kFloat: return FormatDouble(real());
    case Kind::kString: return quote_strings ? PyQuote(string()) : string();
    case Kind::kList: {
      std::vector<std::string> parts;
      for (const OptionValue& v : list()) parts.push_back(v.ToPython(true));
      return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
    case Kind::kDict: {
      std::vector<std::string> parts;
      for (const auto& [k, v] : dict()) parts.push_back(absl::StrCat(PyQuote(k), ": ", v.ToPython(true)));
      return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
    }
  }
  return "";
}

std::string OptionValue::ToJson() const {
  switch (kind()) {
    case Kind::kNone: return "null";
    case Kind::kBool: return boolean() ? "true" : "false";
    case Kind::kInt: return absl::StrCat(integer());
    case Kind::kFloat: return FormatDouble(real());
    case Kind::kString: return JsonQuote(string());
    case Kind::kList: {
      std::vector<std::string> parts;
      for (const OptionValue& v : list()) parts.push_back(v.ToJson());
      return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
    case Kind::kDict: {
      std::vector<std::string> parts;
      for (const auto& [k, v] : dict()) parts.push_back(absl::StrCat(JsonQuote(k), ": ", v.ToJson()));
      return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
    }
  }
  return "";
}

const char* OptionValue::KindName(Kind kind) {
  switch (kind) {
    case Kind::kNone: return "None";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kString: return "string";
    case Kind::kList: return "list";
    case Kind::kDict: return "dict";
  }
  return "?";
}

std::string ValueSource::ToString() const {
  switch (kind) {
    case Kind::kDefault: return "default";
    case Kind::kConfig: return detail;
    case Kind::kEnv: return absl::StrCat("env var ", detail);
    case Kind::kFlag: return absl::StrCat("flag ", detail);
  }
  return "";
}

}  // namespace braid::options
