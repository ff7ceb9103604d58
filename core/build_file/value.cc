#include "core/build_file/value.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "absl/strings/str_cat.h"

namespace braid::build_file {

// One payload type for every heap kind keeps Value at a single shared_ptr;
// only the fields of the value's kind are used.
struct Value::Data {
  std::string str;                                // kString
  std::vector<Value> items;                       // kList, kTuple, kSet
  std::vector<std::pair<Value, Value>> dict;      // kDict
  std::shared_ptr<Callable> callable;             // kFunction
  std::shared_ptr<HostObject> object;             // kObject
};

namespace {

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "braid: internal error: Value accessor %s called on the wrong kind\n",
                 what);
    std::abort();
  }
}

// Containers currently being printed; a container met again prints as
// [...] / {...} like Python, so self-referential lists cannot recurse forever.
thread_local std::vector<const void*> repr_stack;

bool OnReprStack(const void* p) {
  for (const void* q : repr_stack) {
    if (q == p) return true;
  }
  return false;
}

bool IsNumber(Value::Kind k) {
  return k == Value::Kind::kBool || k == Value::Kind::kInt || k == Value::Kind::kFloat;
}

}  // namespace

std::string PythonStringRepr(absl::string_view s) {
  bool has_single = s.find('\'') != absl::string_view::npos;
  bool has_double = s.find('"') != absl::string_view::npos;
  char quote = (has_single && !has_double) ? '"' : '\'';
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back(quote);
  for (unsigned char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c == static_cast<unsigned char>(quote)) {
          out.push_back('\\');
          out.push_back(static_cast<char>(c));
        } else if (c < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\x%02x", c);
          out += buf;
        } else {
          out.push_back(static_cast<char>(c));  // UTF-8 passes through, as Python prints it
        }
    }
  }
  out.push_back(quote);
  return out;
}

std::string PythonFloatRepr(double d) {
  if (std::isnan(d)) return "nan";
  if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits in scientific form, then laid out by Python's
  // repr rule: positional when -4 <= exponent < 16, else d.ddde+XX.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool neg = sci[0] == '-';
  if (neg) sci.erase(0, 1);
  size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = std::atoi(sci.c_str() + e + 1);
  std::string digits;
  for (char c : mant) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out = neg ? "-" : "";
  if (exp >= -4 && exp < 16) {
    if (exp < 0) {
      out += "0.";
      out.append(static_cast<size_t>(-exp - 1), '0');
      out += digits;
    } else if (static_cast<int>(digits.size()) <= exp + 1) {
      out += digits;
      out.append(static_cast<size_t>(exp + 1 - static_cast<int>(digits.size())), '0');
      out += ".0";
    } else {
      out += digits.substr(0, static_cast<size_t>(exp + 1));
      out += ".";
      out += digits.substr(static_cast<size_t>(exp + 1));
    }
  } else {
    out += digits.substr(0, 1);
    if (digits.size() > 1) {
      out += ".";
      out += digits.substr(1);
    }
    char eb[16];
    std::snprintf(eb, sizeof eb, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    out += eb;
  }
  return out;
}

Value::Value() = default;

Value Value::Bool(bool b) {
  Value v;
  v.kind_ = Kind::kBool;
  v.b_ = b;
  v.i_ = b ? 1 : 0;
  return v;
}

Value Value::Int(int64_t i) {
  Value v;
  v.kind_ = Kind::kInt;
  v.i_ = i;
  return v;
}

Value Value::Float(double d) {
  Value v;
  v.kind_ = Kind::kFloat;
  v.d_ = d;
  return v;
}

Value Value::String(std::string s) {
  Value v;
  v.kind_ = Kind::kString;
  v.data_ = std::make_shared<Data>();
  v.data_->str = std::move(s);
  return v;
}

Value Value::List(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kList;
  v.data_ = std::make_shared<Data>();
  v.data_->items = std::move(items);
  return v;
}

Value Value::Tuple(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kTuple;
  v.data_ = std::make_shared<Data>();
  v.data_->items = std::move(items);
  return v;
}

Value Value::Set(std::vector<Value> items) {
  Value v;
  v.kind_ = Kind::kSet;
  v.data_ = std::make_shared<Data>();
  for (Value& item : items) v.SetAdd(std::move(item));
  return v;
}

Value Value::Dict(std::vector<std::pair<Value, Value>> items) {
  Value v;
  v.kind_ = Kind::kDict;
  v.data_ = std::make_shared<Data>();
  for (auto& [k, val] : items) v.DictSet(k, std::move(val));
  return v;
}

Value Value::Function(std::shared_ptr<Callable> fn) {
  Value v;
  v.kind_ = Kind::kFunction;
  v.data_ = std::make_shared<Data>();
  v.data_->callable = std::move(fn);
  return v;
}

Value Value::Native(std::string name, NativeFunction fn) {
  return Function(std::make_shared<NativeCallable>(std::move(name), std::move(fn)));
}

Value Value::Object(std::shared_ptr<HostObject> obj) {
  Value v;
  v.kind_ = Kind::kObject;
  v.data_ = std::make_shared<Data>();
  v.data_->object = std::move(obj);
  return v;
}

bool Value::is_sequence() const {
  return kind_ == Kind::kList || kind_ == Kind::kTuple || kind_ == Kind::kSet;
}

bool Value::bool_value() const {
  Check(kind_ == Kind::kBool, "bool_value");
  return b_;
}

int64_t Value::int_value() const {
  Check(kind_ == Kind::kInt || kind_ == Kind::kBool, "int_value");
  return i_;
}

double Value::float_value() const {
  Check(kind_ == Kind::kFloat, "float_value");
  return d_;
}

const std::string& Value::string_value() const {
  Check(kind_ == Kind::kString, "string_value");
  return data_->str;
}

const std::vector<Value>& Value::items() const {
  Check(is_sequence(), "items");
  return data_->items;
}

std::vector<Value>& Value::mutable_items() const {
  Check(kind_ == Kind::kList || kind_ == Kind::kSet, "mutable_items");
  return data_->items;
}

const std::vector<std::pair<Value, Value>>& Value::dict_items() const {
  Check(kind_ == Kind::kDict, "dict_items");
  return data_->dict;
}

std::vector<std::pair<Value, Value>>& Value::mutable_dict_items() const {
  Check(kind_ == Kind::kDict, "mutable_dict_items");
  return data_->dict;
}

const Value* Value::DictGet(const Value& key) const {
  Check(kind_ == Kind::kDict, "DictGet");
  for (const auto& [k, v] : data_->dict) {
    if (k.Equals(key)) return &v;
  }
  return nullptr;
}

void Value::DictSet(const Value& key, Value value) const {
  Check(kind_ == Kind::kDict, "DictSet");
  for (auto& [k, v] : data_->dict) {
    if (k.Equals(key)) {
      v = std::move(value);
      return;
    }
  }
  data_->dict.emplace_back(key, std::move(value));
}

bool Value::DictErase(const Value& key) const {
  Check(kind_ == Kind::kDict, "DictErase");
  auto& d = data_->dict;
  for (size_t i = 0; i < d.size(); ++i) {
    if (d[i].first.Equals(key)) {
      d.erase(d.begin() + static_cast<std::ptrdiff_t>(i));
      return true;
    }
  }
  return false;
}

bool Value::SetContains(const Value& item) const {
  Check(kind_ == Kind::kSet, "SetContains");
  for (const Value& v : data_->items) {
    if (v.Equals(item)) return true;
  }
  return false;
}

void Value::SetAdd(Value item) const {
  if (SetContains(item)) return;
  data_->items.push_back(std::move(item));
}

const std::shared_ptr<Callable>& Value::callable() const {
  Check(kind_ == Kind::kFunction, "callable");
  return data_->callable;
}

const std::shared_ptr<HostObject>& Value::object() const {
  Check(kind_ == Kind::kObject, "object");
  return data_->object;
}

std::string Value::TypeName() const {
  switch (kind_) {
    case Kind::kNone: return "NoneType";
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kFloat: return "float";
    case Kind::kString: return "str";
    case Kind::kList: return "list";
    case Kind::kTuple: return "tuple";
    case Kind::kDict: return "dict";
    case Kind::kSet: return "set";
    case Kind::kFunction:
      return dynamic_cast<const NativeCallable*>(data_->callable.get()) != nullptr
                 ? "builtin_function_or_method"
                 : "function";
    case Kind::kObject: return data_->object->type_name;
  }
  return "object";
}

bool Value::Truthy() const {
  switch (kind_) {
    case Kind::kNone: return false;
    case Kind::kBool: return b_;
    case Kind::kInt: return i_ != 0;
    case Kind::kFloat: return d_ != 0;
    case Kind::kString: return !data_->str.empty();
    case Kind::kList:
    case Kind::kTuple:
    case Kind::kSet: return !data_->items.empty();
    case Kind::kDict: return !data_->dict.empty();
    case Kind::kFunction:
    case Kind::kObject: return true;
  }
  return true;
}

bool Value::Equals(const Value& other) const {
  if (IsNumber(kind_) && IsNumber(other.kind_)) {
    if (kind_ == Kind::kFloat || other.kind_ == Kind::kFloat) {
      double a = kind_ == Kind::kFloat ? d_ : static_cast<double>(i_);
      double b = other.kind_ == Kind::kFloat ? other.d_ : static_cast<double>(other.i_);
      return a == b;
    }
    return i_ == other.i_;
  }
  if (kind_ != other.kind_) return false;
  if (data_ == other.data_) return kind_ != Kind::kFloat;  // also covers None
  switch (kind_) {
    case Kind::kString: return data_->str == other.data_->str;
    case Kind::kList:
    case Kind::kTuple: {
      const auto& a = data_->items;
      const auto& b = other.data_->items;
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!a[i].Equals(b[i])) return false;
      }
      return true;
    }
    case Kind::kSet: {
      if (data_->items.size() != other.data_->items.size()) return false;
      for (const Value& v : data_->items) {
        if (!other.SetContains(v)) return false;
      }
      return true;
    }
    case Kind::kDict: {
      if (data_->dict.size() != other.data_->dict.size()) return false;
      for (const auto& [k, v] : data_->dict) {
        const Value* o = other.DictGet(k);
        if (o == nullptr || !o->Equals(v)) return false;
      }
      return true;
    }
    case Kind::kFunction: return data_->callable == other.data_->callable;
    case Kind::kObject: return data_->object == other.data_->object;
    default: return false;
  }
}

bool Value::Is(const Value& other) const {
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::kNone: return true;
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kFloat:
    case Kind::kString: return Equals(other);
    case Kind::kFunction: return data_->callable == other.data_->callable;
    case Kind::kObject: return data_->object == other.data_->object;
    default: return data_ == other.data_;
  }
}

bool Value::Hashable() const {
  switch (kind_) {
    case Kind::kNone:
    case Kind::kBool:
    case Kind::kInt:
    case Kind::kFloat:
    case Kind::kString:
    // Functions and host objects hash by identity, as in Python; BUILD files
    // rely on this for `__defaults__({python_sources: {...}})`.
    case Kind::kFunction:
    case Kind::kObject: return true;
    case Kind::kTuple:
      for (const Value& v : data_->items) {
        if (!v.Hashable()) return false;
      }
      return true;
    default: return false;
  }
}

std::string Value::Repr() const {
  switch (kind_) {
    case Kind::kNone: return "None";
    case Kind::kBool: return b_ ? "True" : "False";
    case Kind::kInt: return absl::StrCat(i_);
    case Kind::kFloat: return PythonFloatRepr(d_);
    case Kind::kString: return PythonStringRepr(data_->str);
    case Kind::kList:
    case Kind::kTuple:
    case Kind::kSet:
    case Kind::kDict: {
      const char* open = kind_ == Kind::kList ? "[" : kind_ == Kind::kTuple ? "(" : "{";
      const char* close = kind_ == Kind::kList ? "]" : kind_ == Kind::kTuple ? ")" : "}";
      if (OnReprStack(data_.get())) return absl::StrCat(open, "...", close);
      if (kind_ == Kind::kSet && data_->items.empty()) return "set()";
      repr_stack.push_back(data_.get());
      std::string out = open;
      if (kind_ == Kind::kDict) {
        bool first = true;
        for (const auto& [k, v] : data_->dict) {
          if (!first) out += ", ";
          first = false;
          absl::StrAppend(&out, k.Repr(), ": ", v.Repr());
        }
      } else {
        for (size_t i = 0; i < data_->items.size(); ++i) {
          if (i > 0) out += ", ";
          out += data_->items[i].Repr();
        }
        if (kind_ == Kind::kTuple && data_->items.size() == 1) out += ",";
      }
      out += close;
      repr_stack.pop_back();
      return out;
    }
    case Kind::kFunction: {
      bool native = dynamic_cast<const NativeCallable*>(data_->callable.get()) != nullptr;
      return absl::StrCat(native ? "<built-in function " : "<function ",
                          data_->callable->name(), ">");
    }
    case Kind::kObject: {
      const HostObject& o = *data_->object;
      if (OnReprStack(&o)) return absl::StrCat(o.type_name, "(...)");
      repr_stack.push_back(&o);
      std::string out = absl::StrCat(o.type_name, "(");
      bool first = true;
      for (const Value& a : o.args) {
        if (!first) out += ", ";
        first = false;
        out += a.Repr();
      }
      for (const auto& [k, v] : o.kwargs) {
        if (!first) out += ", ";
        first = false;
        absl::StrAppend(&out, k, "=", v.Repr());
      }
      out += ")";
      repr_stack.pop_back();
      return out;
    }
  }
  return "?";
}

std::string Value::Str() const {
  if (kind_ == Kind::kString) return data_->str;
  return Repr();
}

const Value* CallArgs::Find(absl::string_view name) const {
  for (const auto& [k, v] : keyword) {
    if (k == name) return &v;
  }
  return nullptr;
}

}  // namespace braid::build_file
