// Python builtin functions (len, sorted, ...) and the methods of str, list,
// dict and set. Errors are unlocated and unprefixed; the interpreter adds
// "name(): " and the call's location.
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "core/build_file/interpreter.h"

namespace braid::build_file::internal {
namespace {

using VK = Value::Kind;

absl::Status Err(absl::string_view msg) { return absl::InvalidArgumentError(msg); }

bool IsIntLike(const Value& v) { return v.kind() == VK::kInt || v.kind() == VK::kBool; }

// Checks positional arity and rejects keywords not in `allowed_kw`.
absl::Status Arity(const CallArgs& a, size_t min, size_t max,
                   std::initializer_list<absl::string_view> allowed_kw = {}) {
  for (const auto& [k, v] : a.keyword) {
    bool ok = false;
    for (absl::string_view w : allowed_kw) ok = ok || k == w;
    if (!ok) return Err(absl::StrCat("got an unexpected keyword argument '", k, "'"));
  }
  size_t n = a.positional.size();
  if (n < min || n > max) {
    if (min == max) {
      return Err(absl::StrCat("takes exactly ", min, " argument", min == 1 ? "" : "s", " (", n, " given)"));
    }
    if (n < min) return Err(absl::StrCat("expected at least ", min, " argument", min == 1 ? "" : "s", ", got ", n));
    return Err(absl::StrCat("expected at most ", max, " argument", max == 1 ? "" : "s", ", got ", n));
  }
  return absl::OkStatus();
}

Value KwOr(const CallArgs& a, absl::string_view name, Value def) {
  const Value* v = a.Find(name);
  return v ? *v : def;
}

absl::StatusOr<std::string> StrArg(const Value& v, absl::string_view what) {
  if (!v.is_string()) return Err(absl::StrCat(what, " must be str, not ", v.TypeName()));
  return v.string_value();
}

absl::StatusOr<int64_t> IntArg(const Value& v, absl::string_view what) {
  if (!IsIntLike(v)) {
    return Err(absl::StrCat("'", v.TypeName(), "' object cannot be interpreted as an integer"));
  }
  (void)what;
  return v.int_value();
}

// Sorts `items` stably by Python ordering, optionally by key(item).
absl::Status SortValues(Interpreter& interp, std::vector<Value>* items, const Value& key, bool reverse) {
  std::vector<Value> keys;
  if (!key.is_none()) {
    keys.reserve(items->size());
    for (const Value& v : *items) {
      CallArgs a;
      a.positional.push_back(v);
      absl::StatusOr<Value> k = interp.CallValue(key, std::move(a));
      if (!k.ok()) return k.status();
      keys.push_back(*std::move(k));
    }
  } else {
    keys = *items;
  }
  std::vector<size_t> order(items->size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  absl::Status error;
  // stable_sort tolerates a comparator that stops being consistent after an
  // error (it never reads out of range), unlike std::sort.
  std::stable_sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    if (!error.ok()) return false;
    absl::StatusOr<int> c = Compare(keys[reverse ? y : x], keys[reverse ? x : y], "<");
    if (!c.ok()) {
      error = c.status();
      return false;
    }
    return *c < 0;
  });
  if (!error.ok()) return error;
  std::vector<Value> out;
  out.reserve(items->size());
  for (size_t i : order) out.push_back((*items)[i]);
  *items = std::move(out);
  return absl::OkStatus();
}

// ---- builtin functions ----

absl::StatusOr<Value> BLen(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  absl::StatusOr<int64_t> n = Length(a.positional[0]);
  if (!n.ok()) return n.status();
  return Value::Int(*n);
}

absl::StatusOr<Value> BStr(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1); !s.ok()) return s;
  if (a.positional.empty()) return Value::String("");
  return Value::String(a.positional[0].Str());
}

absl::StatusOr<Value> BRepr(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  return Value::String(a.positional[0].Repr());
}

absl::StatusOr<Value> BInt(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 2, {"base"}); !s.ok()) return s;
  if (a.positional.empty()) return Value::Int(0);
  const Value& v = a.positional[0];
  Value base_v = a.positional.size() > 1 ? a.positional[1] : KwOr(a, "base", Value());
  if (!base_v.is_none() && !v.is_string()) return Err("int() can't convert non-string with explicit base");
  switch (v.kind()) {
    case VK::kBool:
    case VK::kInt: return Value::Int(v.int_value());
    case VK::kFloat: {
      double d = v.float_value();
      if (std::isnan(d)) return Err("cannot convert float NaN to integer");
      if (std::isinf(d)) return Err("cannot convert float infinity to integer");
      if (std::fabs(d) >= 9.223372036854775807e18) return Err("integer overflow (BUILD file integers are 64-bit)");
      return Value::Int(static_cast<int64_t>(d));
    }
    case VK::kString: {
      int64_t base = 10;
      if (!base_v.is_none()) {
        absl::StatusOr<int64_t> b = IntArg(base_v, "base");
        if (!b.ok()) return b.status();
        base = *b;
        if (base != 0 && (base < 2 || base > 36)) return Err("int() base must be >= 2 and <= 36, or 0");
      }
      std::string s(absl::StripAsciiWhitespace(v.string_value()));
      std::string clean;
      bool neg = false;
      size_t i = 0;
      if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
      std::string rest = absl::AsciiStrToLower(s.substr(i));
      auto strip_prefix = [&](const char* p, int64_t b) {
        if ((base == b || base == 0) && absl::StartsWith(rest, p)) {
          rest = rest.substr(2);
          base = b;
          return true;
        }
        return false;
      };
      if (!strip_prefix("0x", 16) && !strip_prefix("0o", 8) && !strip_prefix("0b", 2) && base == 0) base = 10;
      for (size_t k = 0; k < rest.size(); ++k) {
        if (rest[k] == '_' && k > 0 && k + 1 < rest.size() && rest[k + 1] != '_') continue;
        clean.push_back(rest[k]);
      }
      bool valid = !clean.empty();
      for (char c : clean) {
        int d = absl::ascii_isdigit(static_cast<unsigned char>(c)) ? c - '0' : absl::ascii_isalpha(static_cast<unsigned char>(c)) ? c - 'a' + 10 : 99;
        if (d >= base) valid = false;
      }
      if (!valid) {
        return Err(absl::StrCat("invalid literal for int() with base ", base, ": ", v.Repr()));
      }
      errno = 0;
      unsigned long long u = std::strtoull(clean.c_str(), nullptr, static_cast<int>(base));
      if (errno == ERANGE || u > static_cast<unsigned long long>(std::numeric_limits<int64_t>::max())) {
        return Err("integer overflow (BUILD file integers are 64-bit)");
      }
      int64_t r = static_cast<int64_t>(u);
      return Value::Int(neg ? -r : r);
    }
    default:
      return Err(absl::StrCat("argument must be a string or a number, not '", v.TypeName(), "'"));
  }
}

absl::StatusOr<Value> BFloat(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1); !s.ok()) return s;
  if (a.positional.empty()) return Value::Float(0);
  const Value& v = a.positional[0];
  if (IsIntLike(v)) return Value::Float(static_cast<double>(v.int_value()));
  if (v.kind() == VK::kFloat) return v;
  if (v.is_string()) {
    std::string s(absl::StripAsciiWhitespace(v.string_value()));
    std::string l = absl::AsciiStrToLower(s);
    if (l == "inf" || l == "+inf" || l == "infinity" || l == "+infinity") return Value::Float(INFINITY);
    if (l == "-inf" || l == "-infinity") return Value::Float(-INFINITY);
    if (l == "nan" || l == "+nan" || l == "-nan") return Value::Float(NAN);
    char* end = nullptr;
    double d = s.empty() ? 0 : std::strtod(s.c_str(), &end);
    bool hex = l.find('x') != std::string::npos;
    if (s.empty() || end != s.c_str() + s.size() || hex || l.find("inf") != std::string::npos ||
        l.find("nan") != std::string::npos) {
      return Err(absl::StrCat("could not convert string to float: ", v.Repr()));
    }
    return Value::Float(d);
  }
  return Err(absl::StrCat("argument must be a string or a real number, not '", v.TypeName(), "'"));
}

absl::StatusOr<Value> BBool(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1); !s.ok()) return s;
  return Value::Bool(!a.positional.empty() && a.positional[0].Truthy());
}

absl::StatusOr<Value> BList(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1); !s.ok()) return s;
  if (a.positional.empty()) return Value::List();
  absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
  if (!items.ok()) return items.status();
  return Value::List(*std::move(items));
}

absl::StatusOr<Value> BTuple(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1); !s.ok()) return s;
  if (a.positional.empty()) return Value::Tuple();
  if (a.positional[0].kind() == VK::kTuple) return a.positional[0];
  absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
  if (!items.ok()) return items.status();
  return Value::Tuple(*std::move(items));
}

absl::StatusOr<Value> BSet(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1); !s.ok()) return s;
  if (a.positional.empty()) return Value::Set();
  absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
  if (!items.ok()) return items.status();
  for (const Value& v : *items) {
    if (!v.Hashable()) return Err(absl::StrCat("unhashable type: '", v.TypeName(), "'"));
  }
  return Value::Set(*std::move(items));
}

absl::Status DictUpdate(const Value& d, const Value& src) {
  if (src.kind() == VK::kDict) {
    for (const auto& [k, v] : src.dict_items()) d.DictSet(k, v);
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<Value>> items = Iterate(src);
  if (!items.ok()) return items.status();
  size_t i = 0;
  for (const Value& pair : *items) {
    absl::StatusOr<std::vector<Value>> kv = Iterate(pair);
    if (!kv.ok() || kv->size() != 2) {
      return Err(absl::StrCat("dictionary update sequence element #", i, " has length ",
                              kv.ok() ? kv->size() : 1, "; 2 is required"));
    }
    if (!(*kv)[0].Hashable()) return Err(absl::StrCat("unhashable type: '", (*kv)[0].TypeName(), "'"));
    d.DictSet((*kv)[0], (*kv)[1]);
    ++i;
  }
  return absl::OkStatus();
}

absl::StatusOr<Value> BDict(Interpreter&, CallArgs& a) {
  if (a.positional.size() > 1) return Err(absl::StrCat("dict expected at most 1 argument, got ", a.positional.size()));
  Value d = Value::Dict();
  if (!a.positional.empty()) {
    if (absl::Status s = DictUpdate(d, a.positional[0]); !s.ok()) return s;
  }
  for (const auto& [k, v] : a.keyword) d.DictSet(Value::String(k), v);
  return d;
}

absl::StatusOr<Value> BSorted(Interpreter& interp, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1, {"key", "reverse"}); !s.ok()) return s;
  absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
  if (!items.ok()) return items.status();
  if (absl::Status s = SortValues(interp, &*items, KwOr(a, "key", Value()), KwOr(a, "reverse", Value::Bool(false)).Truthy()); !s.ok()) return s;
  return Value::List(*std::move(items));
}

absl::StatusOr<Value> BReversed(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  const Value& v = a.positional[0];
  if (v.kind() == VK::kSet) return Err("'set' object is not reversible");
  absl::StatusOr<std::vector<Value>> items = Iterate(v);
  if (!items.ok()) return items.status();
  std::reverse(items->begin(), items->end());
  return Value::List(*std::move(items));
}

absl::StatusOr<Value> BEnumerate(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 2, {"start"}); !s.ok()) return s;
  absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
  if (!items.ok()) return items.status();
  Value start_v = a.positional.size() > 1 ? a.positional[1] : KwOr(a, "start", Value::Int(0));
  absl::StatusOr<int64_t> start = IntArg(start_v, "start");
  if (!start.ok()) return start.status();
  std::vector<Value> out;
  out.reserve(items->size());
  int64_t i = *start;
  for (Value& v : *items) out.push_back(Value::Tuple({Value::Int(i++), std::move(v)}));
  return Value::List(std::move(out));
}

absl::StatusOr<Value> BZip(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1000, {"strict"}); !s.ok()) return s;
  std::vector<std::vector<Value>> lists;
  size_t n = std::numeric_limits<size_t>::max();
  for (const Value& v : a.positional) {
    absl::StatusOr<std::vector<Value>> items = Iterate(v);
    if (!items.ok()) return items.status();
    n = std::min(n, items->size());
    lists.push_back(*std::move(items));
  }
  if (lists.empty()) return Value::List();
  std::vector<Value> out;
  for (size_t i = 0; i < n; ++i) {
    std::vector<Value> t;
    for (const auto& l : lists) t.push_back(l[i]);
    out.push_back(Value::Tuple(std::move(t)));
  }
  return Value::List(std::move(out));
}

absl::StatusOr<Value> BRange(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 3); !s.ok()) return s;
  int64_t args[3] = {0, 0, 1};
  for (size_t i = 0; i < a.positional.size(); ++i) {
    absl::StatusOr<int64_t> v = IntArg(a.positional[i], "range");
    if (!v.ok()) return v.status();
    args[i] = *v;
  }
  int64_t start = 0, stop, step = 1;
  if (a.positional.size() == 1) {
    stop = args[0];
  } else {
    start = args[0];
    stop = args[1];
    step = a.positional.size() == 3 ? args[2] : 1;
  }
  if (step == 0) return Err("range() arg 3 must not be zero");
  // Counted in long double so huge bounds cannot overflow.
  long double count = step > 0 ? (static_cast<long double>(stop) - start + step - 1) / step
                               : (static_cast<long double>(start) - stop - step - 1) / -step;
  if (count < 0) count = 0;
  if (count > kMaxSize) return CheckSize(kMaxSize + 1);
  std::vector<Value> out;
  out.reserve(static_cast<size_t>(count));
  for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) out.push_back(Value::Int(start + i * step));
  return Value::List(std::move(out));
}

absl::StatusOr<Value> BAnyAll(CallArgs& a, bool any) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
  if (!items.ok()) return items.status();
  for (const Value& v : *items) {
    if (v.Truthy() == any) return Value::Bool(any);
  }
  return Value::Bool(!any);
}
absl::StatusOr<Value> BAny(Interpreter&, CallArgs& a) { return BAnyAll(a, true); }
absl::StatusOr<Value> BAll(Interpreter&, CallArgs& a) { return BAnyAll(a, false); }

absl::StatusOr<Value> BMinMax(Interpreter& interp, CallArgs& a, bool is_max) {
  if (absl::Status s = Arity(a, 1, 1000000, {"key", "default"}); !s.ok()) return s;
  std::vector<Value> items;
  if (a.positional.size() == 1) {
    absl::StatusOr<std::vector<Value>> it = Iterate(a.positional[0]);
    if (!it.ok()) return it.status();
    items = *std::move(it);
  } else {
    if (a.Find("default")) return Err("Cannot specify a default with multiple positional arguments");
    items = a.positional;
  }
  if (items.empty()) {
    if (const Value* d = a.Find("default")) return *d;
    return Err("arg is an empty sequence");
  }
  Value key = KwOr(a, "key", Value());
  Value best = items[0];
  Value best_key = best;
  if (!key.is_none()) {
    CallArgs ka;
    ka.positional.push_back(best);
    absl::StatusOr<Value> k = interp.CallValue(key, std::move(ka));
    if (!k.ok()) return k.status();
    best_key = *std::move(k);
  }
  for (size_t i = 1; i < items.size(); ++i) {
    Value k = items[i];
    if (!key.is_none()) {
      CallArgs ka;
      ka.positional.push_back(items[i]);
      absl::StatusOr<Value> kv = interp.CallValue(key, std::move(ka));
      if (!kv.ok()) return kv.status();
      k = *std::move(kv);
    }
    absl::StatusOr<int> c = Compare(k, best_key, is_max ? ">" : "<");
    if (!c.ok()) return c.status();
    if (is_max ? *c > 0 : *c < 0) {
      best = items[i];
      best_key = k;
    }
  }
  return best;
}
absl::StatusOr<Value> BMin(Interpreter& i, CallArgs& a) { return BMinMax(i, a, false); }
absl::StatusOr<Value> BMax(Interpreter& i, CallArgs& a) { return BMinMax(i, a, true); }

absl::StatusOr<Value> BSum(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 2, {"start"}); !s.ok()) return s;
  absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
  if (!items.ok()) return items.status();
  Value acc = a.positional.size() > 1 ? a.positional[1] : KwOr(a, "start", Value::Int(0));
  if (acc.is_string()) return Err("sum() can't sum strings [use ''.join(seq) instead]");
  for (const Value& v : *items) {
    absl::StatusOr<Value> r = BinaryOp(BinOp::kAdd, acc, v);
    if (!r.ok()) return r.status();
    acc = *std::move(r);
  }
  return acc;
}

absl::StatusOr<Value> BAbs(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  const Value& v = a.positional[0];
  if (IsIntLike(v)) {
    if (v.int_value() == std::numeric_limits<int64_t>::min()) return Err("integer overflow (BUILD file integers are 64-bit)");
    return Value::Int(v.int_value() < 0 ? -v.int_value() : v.int_value());
  }
  if (v.kind() == VK::kFloat) return Value::Float(std::fabs(v.float_value()));
  return Err(absl::StrCat("bad operand type for abs(): '", v.TypeName(), "'"));
}

// The type named by a builtin type function (str, int, ...), or "".
std::string TypeNameOf(const Value& t) {
  if (t.kind() != VK::kFunction) return "";
  auto* b = dynamic_cast<const BuiltinFunction*>(t.callable().get());
  if (b == nullptr) return "";
  static const char* kTypes[] = {"str", "int", "float", "bool", "list", "dict", "tuple", "set"};
  for (const char* n : kTypes) {
    if (b->name() == n) return n;
  }
  return "";
}

absl::StatusOr<Value> BIsinstance(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 2, 2); !s.ok()) return s;
  const Value& v = a.positional[0];
  std::vector<Value> types;
  if (a.positional[1].kind() == VK::kTuple) {
    types = a.positional[1].items();
  } else {
    types.push_back(a.positional[1]);
  }
  for (const Value& t : types) {
    std::string name = TypeNameOf(t);
    if (name.empty()) return Err("isinstance() arg 2 must be a type or tuple of types");
    if (v.TypeName() == name || (name == "int" && v.kind() == VK::kBool)) return Value::Bool(true);
  }
  return Value::Bool(false);
}

absl::StatusOr<Value> BHasattr(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 2, 2); !s.ok()) return s;
  absl::StatusOr<std::string> name = StrArg(a.positional[1], "attribute name");
  if (!name.ok()) return name.status();
  const Value& v = a.positional[0];
  if (HasMethod(v, *name)) return Value::Bool(true);
  if (v.kind() == VK::kObject) {
    for (const auto& [k, val] : v.object()->kwargs) {
      if (k == *name) return Value::Bool(true);
    }
  }
  return Value::Bool(false);
}

absl::StatusOr<Value> BGetattr(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 2, 3); !s.ok()) return s;
  absl::StatusOr<std::string> name = StrArg(a.positional[1], "attribute name");
  if (!name.ok()) return name.status();
  const Value& v = a.positional[0];
  if (HasMethod(v, *name)) return Value::Function(std::make_shared<BoundMethod>(v, *name));
  if (v.kind() == VK::kObject) {
    for (const auto& [k, val] : v.object()->kwargs) {
      if (k == *name) return val;
    }
  }
  if (a.positional.size() == 3) return a.positional[2];
  return Err(absl::StrCat("'", v.TypeName(), "' object has no attribute '", *name, "'"));
}

absl::StatusOr<Value> BPrint(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 0, 1000000, {"sep", "end"}); !s.ok()) return s;
  Value sep = KwOr(a, "sep", Value::String(" "));
  Value end = KwOr(a, "end", Value::String("\n"));
  std::string out;
  for (size_t i = 0; i < a.positional.size(); ++i) {
    if (i > 0) out += sep.is_none() ? " " : sep.Str();
    out += a.positional[i].Str();
  }
  out += end.is_none() ? "\n" : end.Str();
  // BUILD-file print() is a debugging aid; it goes to stderr so it never
  // mixes with a goal's stdout.
  std::fwrite(out.data(), 1, out.size(), stderr);
  return Value();
}

absl::StatusOr<Value> BType(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  const Value* t = FindPythonBuiltin(a.positional[0].TypeName());
  if (t != nullptr && !TypeNameOf(*t).empty()) return *t;
  return Value::String(a.positional[0].TypeName());
}

absl::StatusOr<Value> BRound(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 2, {"ndigits"}); !s.ok()) return s;
  const Value& v = a.positional[0];
  Value nd = a.positional.size() > 1 ? a.positional[1] : KwOr(a, "ndigits", Value());
  if (IsIntLike(v)) return Value::Int(v.int_value());
  if (v.kind() != VK::kFloat) return Err(absl::StrCat("type ", v.TypeName(), " doesn't define __round__ method"));
  double d = v.float_value();
  if (nd.is_none()) {
    double r = std::nearbyint(d);  // banker's rounding under the default FE_TONEAREST
    if (!std::isfinite(r) || std::fabs(r) >= 9.2e18) return Err("cannot convert float to integer");
    return Value::Int(static_cast<int64_t>(r));
  }
  absl::StatusOr<int64_t> n = IntArg(nd, "ndigits");
  if (!n.ok()) return n.status();
  double scale = std::pow(10.0, static_cast<double>(*n));
  return Value::Float(std::nearbyint(d * scale) / scale);
}

absl::StatusOr<Value> BChr(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  absl::StatusOr<int64_t> i = IntArg(a.positional[0], "chr");
  if (!i.ok()) return i.status();
  if (*i < 0 || *i > 0x10FFFF) return Err("chr() arg not in range(0x110000)");
  uint32_t cp = static_cast<uint32_t>(*i);
  std::string out;
  if (cp < 0x80) out.push_back(static_cast<char>(cp));
  else if (cp < 0x800) { out.push_back(static_cast<char>(0xC0 | (cp >> 6))); out.push_back(static_cast<char>(0x80 | (cp & 0x3F))); }
  else if (cp < 0x10000) { out.push_back(static_cast<char>(0xE0 | (cp >> 12))); out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F))); out.push_back(static_cast<char>(0x80 | (cp & 0x3F))); }
  else { out.push_back(static_cast<char>(0xF0 | (cp >> 18))); out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F))); out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F))); out.push_back(static_cast<char>(0x80 | (cp & 0x3F))); }
  return Value::String(std::move(out));
}

absl::StatusOr<Value> BOrd(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 1); !s.ok()) return s;
  absl::StatusOr<std::string> str = StrArg(a.positional[0], "ord() argument");
  if (!str.ok()) return str.status();
  std::vector<absl::string_view> cps = CodePoints(*str);
  if (cps.size() != 1) return Err(absl::StrCat("ord() expected a character, but string of length ", cps.size(), " found"));
  absl::string_view c = cps[0];
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(c[i])); };
  uint32_t cp = c.size() == 1 ? b(0) : c.size() == 2 ? ((b(0) & 0x1F) << 6) | (b(1) & 0x3F)
                : c.size() == 3 ? ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F)
                : ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
  return Value::Int(cp);
}

absl::StatusOr<Value> BFormat(Interpreter&, CallArgs& a) {
  if (absl::Status s = Arity(a, 1, 2); !s.ok()) return s;
  std::string spec;
  if (a.positional.size() > 1) {
    absl::StatusOr<std::string> sp = StrArg(a.positional[1], "format spec");
    if (!sp.ok()) return sp.status();
    spec = *sp;
  }
  absl::StatusOr<std::string> r = FormatWithSpec(a.positional[0], spec);
  if (!r.ok()) return r.status();
  return Value::String(*std::move(r));
}

struct BuiltinTable {
  std::map<std::string, Value, std::less<>> values;
  std::vector<std::string> names;
};

const BuiltinTable& Table() {
  static const BuiltinTable* table = [] {
    auto* t = new BuiltinTable;
    const std::pair<const char*, BuiltinFn> kFns[] = {
        {"len", BLen},           {"str", BStr},         {"repr", BRepr},
        {"int", BInt},           {"float", BFloat},     {"bool", BBool},
        {"list", BList},         {"tuple", BTuple},     {"set", BSet},
        {"dict", BDict},         {"sorted", BSorted},   {"reversed", BReversed},
        {"enumerate", BEnumerate}, {"zip", BZip},       {"range", BRange},
        {"any", BAny},           {"all", BAll},         {"min", BMin},
        {"max", BMax},           {"sum", BSum},         {"abs", BAbs},
        {"isinstance", BIsinstance}, {"hasattr", BHasattr}, {"getattr", BGetattr},
        {"print", BPrint},       {"type", BType},       {"round", BRound},
        {"chr", BChr},           {"ord", BOrd},         {"format", BFormat},
    };
    for (const auto& [name, fn] : kFns) {
      t->values.emplace(name, Value::Function(std::make_shared<BuiltinFunction>(name, fn)));
      t->names.push_back(name);
    }
    std::sort(t->names.begin(), t->names.end());
    return t;
  }();
  return *table;
}

// ---- methods ----

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

absl::StatusOr<Value> SplitImpl(const std::string& s, const CallArgs& a, bool from_right) {
  if (absl::Status st = Arity(a, 0, 2, {"sep", "maxsplit"}); !st.ok()) return st;
  Value sep_v = a.positional.size() > 0 ? a.positional[0] : KwOr(a, "sep", Value());
  Value max_v = a.positional.size() > 1 ? a.positional[1] : KwOr(a, "maxsplit", Value::Int(-1));
  absl::StatusOr<int64_t> maxsplit = IntArg(max_v, "maxsplit");
  if (!maxsplit.ok()) return maxsplit.status();
  std::vector<std::string> parts;
  if (sep_v.is_none()) {
    // Runs of whitespace separate; leading/trailing whitespace is dropped.
    if (!from_right) {
      size_t i = 0;
      int64_t splits = 0;
      while (true) {
        while (i < s.size() && IsSpace(static_cast<unsigned char>(s[i]))) ++i;
        if (i >= s.size()) break;
        if (*maxsplit >= 0 && splits >= *maxsplit) {
          size_t end = s.size();
          while (end > i && IsSpace(static_cast<unsigned char>(s[end - 1]))) --end;
          parts.push_back(s.substr(i, end - i));
          break;
        }
        size_t j = i;
        while (j < s.size() && !IsSpace(static_cast<unsigned char>(s[j]))) ++j;
        parts.push_back(s.substr(i, j - i));
        ++splits;
        i = j;
      }
    } else {
      size_t i = s.size();
      int64_t splits = 0;
      while (true) {
        while (i > 0 && IsSpace(static_cast<unsigned char>(s[i - 1]))) --i;
        if (i == 0) break;
        if (*maxsplit >= 0 && splits >= *maxsplit) {
          size_t begin = 0;
          while (begin < i && IsSpace(static_cast<unsigned char>(s[begin]))) ++begin;
          parts.push_back(s.substr(begin, i - begin));
          break;
        }
        size_t j = i;
        while (j > 0 && !IsSpace(static_cast<unsigned char>(s[j - 1]))) --j;
        parts.push_back(s.substr(j, i - j));
        ++splits;
        i = j;
      }
      std::reverse(parts.begin(), parts.end());
    }
  } else {
    absl::StatusOr<std::string> sep = StrArg(sep_v, "separator");
    if (!sep.ok()) return sep.status();
    if (sep->empty()) return Err("empty separator");
    if (!from_right) {
      size_t start = 0;
      int64_t splits = 0;
      while (*maxsplit < 0 || splits < *maxsplit) {
        size_t pos = s.find(*sep, start);
        if (pos == std::string::npos) break;
        parts.push_back(s.substr(start, pos - start));
        start = pos + sep->size();
        ++splits;
      }
      parts.push_back(s.substr(start));
    } else {
      size_t end = s.size();
      int64_t splits = 0;
      while (*maxsplit < 0 || splits < *maxsplit) {
        if (end < sep->size()) break;
        size_t pos = s.rfind(*sep, end - sep->size());
        if (pos == std::string::npos) break;
        parts.push_back(s.substr(pos + sep->size(), end - pos - sep->size()));
        end = pos;
        ++splits;
      }
      parts.push_back(s.substr(0, end));
      std::reverse(parts.begin(), parts.end());
    }
  }
  std::vector<Value> out;
  out.reserve(parts.size());
  for (std::string& p : parts) out.push_back(Value::String(std::move(p)));
  return Value::List(std::move(out));
}

absl::StatusOr<Value> StripImpl(const std::string& s, const CallArgs& a, bool left, bool right) {
  if (absl::Status st = Arity(a, 0, 1); !st.ok()) return st;
  std::string chars = " \t\n\r\f\v";
  if (!a.positional.empty() && !a.positional[0].is_none()) {
    absl::StatusOr<std::string> c = StrArg(a.positional[0], "strip arg");
    if (!c.ok()) return c.status();
    chars = *c;
  }
  size_t b = 0, e = s.size();
  if (left) {
    while (b < e && chars.find(s[b]) != std::string::npos) ++b;
  }
  if (right) {
    while (e > b && chars.find(s[e - 1]) != std::string::npos) --e;
  }
  return Value::String(s.substr(b, e - b));
}

// Python's (start, end) arguments of find/count/startswith, as byte offsets
// (exact for ASCII, which is what BUILD files index).
void Bounds(const std::string& s, const CallArgs& a, size_t first, size_t* b, size_t* e) {
  int64_t n = static_cast<int64_t>(s.size());
  int64_t lo = 0, hi = n;
  if (a.positional.size() > first && IsIntLike(a.positional[first])) lo = a.positional[first].int_value();
  if (a.positional.size() > first + 1 && IsIntLike(a.positional[first + 1])) hi = a.positional[first + 1].int_value();
  if (lo < 0) lo = std::max<int64_t>(0, lo + n);
  if (hi < 0) hi = std::max<int64_t>(0, hi + n);
  lo = std::min(lo, n);
  hi = std::min(hi, n);
  *b = static_cast<size_t>(lo);
  *e = static_cast<size_t>(std::max(lo, hi));
}

absl::StatusOr<Value> PadImpl(const std::string& s, const CallArgs& a, char align) {
  if (absl::Status st = Arity(a, 1, 2); !st.ok()) return st;
  absl::StatusOr<int64_t> width = IntArg(a.positional[0], "width");
  if (!width.ok()) return width.status();
  if (absl::Status st = CheckSize(*width); !st.ok()) return st;
  std::string fill = " ";
  if (a.positional.size() > 1) {
    absl::StatusOr<std::string> f = StrArg(a.positional[1], "fill character");
    if (!f.ok()) return f.status();
    if (CodePointCount(*f) != 1) return Err("The fill character must be exactly one character long");
    fill = *f;
  }
  int64_t len = CodePointCount(s);
  if (*width <= len) return Value::String(s);
  int64_t pad = *width - len;
  auto rep = [&](int64_t n) {
    std::string r;
    for (int64_t i = 0; i < n; ++i) r += fill;
    return r;
  };
  if (align == '<') return Value::String(s + rep(pad));
  if (align == '>') return Value::String(rep(pad) + s);
  // Python's center puts the odd extra space on the right... unless the
  // width and pad are both odd, in which case it goes left.
  int64_t left = pad / 2 + (pad & *width & 1);
  return Value::String(rep(left) + s + rep(pad - left));
}

absl::StatusOr<Value> StrMethod(Interpreter&, const std::string& s, absl::string_view m,
                                CallArgs& a, bool* found) {
  auto arg_str = [&](size_t i, absl::string_view what) { return StrArg(a.positional[i], what); };
  if (m == "join") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    absl::StatusOr<std::vector<Value>> items = Iterate(a.positional[0]);
    if (!items.ok()) return items.status();
    std::string out;
    for (size_t i = 0; i < items->size(); ++i) {
      const Value& v = (*items)[i];
      if (!v.is_string()) {
        return Err(absl::StrCat("sequence item ", i, ": expected str instance, ", v.TypeName(), " found"));
      }
      if (i > 0) out += s;
      out += v.string_value();
      if (absl::Status st = CheckSize(static_cast<int64_t>(out.size())); !st.ok()) return st;
    }
    return Value::String(std::move(out));
  }
  if (m == "split") return SplitImpl(s, a, false);
  if (m == "rsplit") return SplitImpl(s, a, true);
  if (m == "strip") return StripImpl(s, a, true, true);
  if (m == "lstrip") return StripImpl(s, a, true, false);
  if (m == "rstrip") return StripImpl(s, a, false, true);
  if (m == "startswith" || m == "endswith") {
    if (absl::Status st = Arity(a, 1, 3); !st.ok()) return st;
    size_t b, e;
    Bounds(s, a, 1, &b, &e);
    absl::string_view view = absl::string_view(s).substr(b, e - b);
    std::vector<Value> options;
    if (a.positional[0].kind() == VK::kTuple) {
      options = a.positional[0].items();
    } else {
      options.push_back(a.positional[0]);
    }
    for (const Value& o : options) {
      if (!o.is_string()) {
        return Err(absl::StrCat(m, " first arg must be str or a tuple of str, not ", o.TypeName()));
      }
      bool hit = m == "startswith" ? absl::StartsWith(view, o.string_value()) : absl::EndsWith(view, o.string_value());
      if (hit) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  if (m == "replace") {
    if (absl::Status st = Arity(a, 2, 3); !st.ok()) return st;
    absl::StatusOr<std::string> from = arg_str(0, "replace() argument 1");
    if (!from.ok()) return from.status();
    absl::StatusOr<std::string> to = arg_str(1, "replace() argument 2");
    if (!to.ok()) return to.status();
    int64_t count = -1;
    if (a.positional.size() > 2) {
      absl::StatusOr<int64_t> c = IntArg(a.positional[2], "count");
      if (!c.ok()) return c.status();
      count = *c;
    }
    std::string out;
    if (from->empty()) {
      std::vector<absl::string_view> cps = CodePoints(s);
      if (CheckSize(static_cast<int64_t>(s.size() + (cps.size() + 1) * to->size())).ok() == false) return CheckSize(kMaxSize + 1);
      int64_t done = 0;
      for (absl::string_view cp : cps) {
        if (count < 0 || done < count) {
          out += *to;
          ++done;
        }
        out.append(cp.data(), cp.size());
      }
      if (count < 0 || done < count) out += *to;
      return Value::String(std::move(out));
    }
    size_t start = 0;
    int64_t done = 0;
    while (count < 0 || done < count) {
      size_t pos = s.find(*from, start);
      if (pos == std::string::npos) break;
      out.append(s, start, pos - start);
      out += *to;
      if (absl::Status st = CheckSize(static_cast<int64_t>(out.size())); !st.ok()) return st;
      start = pos + from->size();
      ++done;
    }
    out.append(s, start, std::string::npos);
    return Value::String(std::move(out));
  }
  if (m == "lower") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    return Value::String(absl::AsciiStrToLower(s));
  }
  if (m == "upper") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    return Value::String(absl::AsciiStrToUpper(s));
  }
  if (m == "format") {
    absl::StatusOr<std::string> r = StrFormat(s, a);
    if (!r.ok()) return r.status();
    return Value::String(*std::move(r));
  }
  if (m == "find" || m == "rfind" || m == "index" || m == "rindex" || m == "count") {
    if (absl::Status st = Arity(a, 1, 3); !st.ok()) return st;
    absl::StatusOr<std::string> sub = arg_str(0, "substring");
    if (!sub.ok()) return sub.status();
    size_t b, e;
    Bounds(s, a, 1, &b, &e);
    absl::string_view view = absl::string_view(s).substr(b, e - b);
    if (m == "count") {
      if (sub->empty()) return Value::Int(CodePointCount(view) + 1);
      int64_t n = 0;
      for (size_t pos = view.find(*sub); pos != absl::string_view::npos; pos = view.find(*sub, pos + sub->size())) ++n;
      return Value::Int(n);
    }
    size_t pos = (m == "find" || m == "index") ? view.find(*sub) : view.rfind(*sub);
    if (pos == absl::string_view::npos) {
      if (m == "index" || m == "rindex") return Err("substring not found");
      return Value::Int(-1);
    }
    return Value::Int(static_cast<int64_t>(b + pos));
  }
  if (m == "removeprefix" || m == "removesuffix") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    absl::StatusOr<std::string> x = arg_str(0, "argument");
    if (!x.ok()) return x.status();
    absl::string_view v = s;
    if (m == "removeprefix") {
      absl::ConsumePrefix(&v, *x);
    } else {
      absl::ConsumeSuffix(&v, *x);
    }
    return Value::String(std::string(v));
  }
  if (m == "splitlines") {
    if (absl::Status st = Arity(a, 0, 1, {"keepends"}); !st.ok()) return st;
    bool keep = (a.positional.empty() ? KwOr(a, "keepends", Value::Bool(false)) : a.positional[0]).Truthy();
    std::vector<Value> out;
    size_t i = 0;
    while (i < s.size()) {
      size_t j = i;
      while (j < s.size() && s[j] != '\n' && s[j] != '\r' && s[j] != '\v' && s[j] != '\f') ++j;
      size_t end = j;
      if (j < s.size()) j += (s[j] == '\r' && j + 1 < s.size() && s[j + 1] == '\n') ? 2 : 1;
      out.push_back(Value::String(s.substr(i, (keep ? j : end) - i)));
      i = j;
    }
    return Value::List(std::move(out));
  }
  if (m == "partition" || m == "rpartition") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    absl::StatusOr<std::string> sep = arg_str(0, "separator");
    if (!sep.ok()) return sep.status();
    if (sep->empty()) return Err("empty separator");
    size_t pos = m == "partition" ? s.find(*sep) : s.rfind(*sep);
    if (pos == std::string::npos) {
      if (m == "partition") return Value::Tuple({Value::String(s), Value::String(""), Value::String("")});
      return Value::Tuple({Value::String(""), Value::String(""), Value::String(s)});
    }
    return Value::Tuple({Value::String(s.substr(0, pos)), Value::String(*sep),
                         Value::String(s.substr(pos + sep->size()))});
  }
  if (m == "title" || m == "capitalize") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    std::string out = s;
    if (m == "capitalize") {
      out = absl::AsciiStrToLower(s);
      if (!out.empty()) out[0] = absl::ascii_toupper(static_cast<unsigned char>(out[0]));
      return Value::String(std::move(out));
    }
    bool prev_cased = false;
    for (char& c : out) {
      unsigned char u = static_cast<unsigned char>(c);
      if (absl::ascii_isalpha(u)) {
        c = prev_cased ? absl::ascii_tolower(u) : absl::ascii_toupper(u);
        prev_cased = true;
      } else {
        prev_cased = false;
      }
    }
    return Value::String(std::move(out));
  }
  if (m == "isdigit" || m == "isalpha" || m == "isalnum" || m == "isspace" || m == "islower" ||
      m == "isupper" || m == "isdecimal" || m == "isnumeric" || m == "isidentifier") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    if (s.empty()) return Value::Bool(false);
    if (m == "isidentifier") {
      bool ok = !absl::ascii_isdigit(static_cast<unsigned char>(s[0]));
      for (unsigned char c : s) ok = ok && (absl::ascii_isalnum(c) || c == '_' || c >= 0x80);
      return Value::Bool(ok);
    }
    if (m == "islower" || m == "isupper") {
      bool any_cased = false;
      for (unsigned char c : s) {
        if (absl::ascii_isalpha(c)) {
          any_cased = true;
          if (m == "islower" ? absl::ascii_isupper(c) : absl::ascii_islower(c)) return Value::Bool(false);
        }
      }
      return Value::Bool(any_cased);
    }
    for (unsigned char c : s) {
      bool ok = (m == "isdigit" || m == "isdecimal" || m == "isnumeric") ? absl::ascii_isdigit(c)
                : m == "isalpha" ? absl::ascii_isalpha(c)
                : m == "isalnum" ? absl::ascii_isalnum(c)
                                 : IsSpace(c);
      if (!ok) return Value::Bool(false);
    }
    return Value::Bool(true);
  }
  if (m == "zfill") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    absl::StatusOr<int64_t> width = IntArg(a.positional[0], "width");
    if (!width.ok()) return width.status();
    if (absl::Status st = CheckSize(*width); !st.ok()) return st;
    int64_t len = CodePointCount(s);
    if (*width <= len) return Value::String(s);
    std::string zeros(static_cast<size_t>(*width - len), '0');
    if (!s.empty() && (s[0] == '+' || s[0] == '-')) return Value::String(s.substr(0, 1) + zeros + s.substr(1));
    return Value::String(zeros + s);
  }
  if (m == "ljust") return PadImpl(s, a, '<');
  if (m == "rjust") return PadImpl(s, a, '>');
  if (m == "center") return PadImpl(s, a, '^');
  if (m == "swapcase") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    std::string out = s;
    for (char& c : out) {
      unsigned char u = static_cast<unsigned char>(c);
      c = absl::ascii_isupper(u) ? absl::ascii_tolower(u) : absl::ascii_toupper(u);
    }
    return Value::String(std::move(out));
  }
  if (m == "expandtabs") {
    if (absl::Status st = Arity(a, 0, 1); !st.ok()) return st;
    int64_t tab = 8;
    if (!a.positional.empty()) {
      absl::StatusOr<int64_t> t = IntArg(a.positional[0], "tabsize");
      if (!t.ok()) return t.status();
      tab = std::clamp<int64_t>(*t, 0, 1000);
    }
    std::string out;
    int64_t col = 0;
    for (char c : s) {
      if (c == '\t') {
        int64_t n = tab > 0 ? tab - col % tab : 0;
        out.append(static_cast<size_t>(n), ' ');
        col += n;
      } else {
        out.push_back(c);
        col = (c == '\n' || c == '\r') ? 0 : col + 1;
      }
      if (absl::Status st = CheckSize(static_cast<int64_t>(out.size())); !st.ok()) return st;
    }
    return Value::String(std::move(out));
  }
  *found = false;
  return Value();
}

absl::StatusOr<Value> ListMethod(Interpreter& interp, const Value& self, absl::string_view m,
                                 CallArgs& a, bool* found) {
  bool is_list = self.kind() == VK::kList;
  const std::vector<Value>& items = self.items();
  if (m == "index" || m == "count") {
    if (absl::Status st = Arity(a, 1, m == "index" ? 3 : 1); !st.ok()) return st;
    int64_t n = 0;
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].Equals(a.positional[0])) {
        if (m == "index") {
          int64_t lo = a.positional.size() > 1 && IsIntLike(a.positional[1]) ? a.positional[1].int_value() : 0;
          if (lo < 0) lo += static_cast<int64_t>(items.size());
          if (static_cast<int64_t>(i) >= lo) return Value::Int(static_cast<int64_t>(i));
          continue;
        }
        ++n;
      }
    }
    if (m == "index") return Err(absl::StrCat(a.positional[0].Repr(), " is not in ", self.TypeName()));
    return Value::Int(n);
  }
  if (!is_list) {
    *found = false;
    return Value();
  }
  std::vector<Value>& mut = self.mutable_items();
  if (m == "append") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    if (absl::Status st = CheckSize(static_cast<int64_t>(mut.size() + 1)); !st.ok()) return st;
    mut.push_back(a.positional[0]);
    return Value();
  }
  if (m == "extend") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    absl::StatusOr<std::vector<Value>> more = Iterate(a.positional[0]);
    if (!more.ok()) return more.status();
    if (absl::Status st = CheckSize(static_cast<int64_t>(mut.size() + more->size())); !st.ok()) return st;
    mut.insert(mut.end(), more->begin(), more->end());
    return Value();
  }
  if (m == "insert") {
    if (absl::Status st = Arity(a, 2, 2); !st.ok()) return st;
    absl::StatusOr<int64_t> i = IntArg(a.positional[0], "index");
    if (!i.ok()) return i.status();
    int64_t n = static_cast<int64_t>(mut.size());
    int64_t at = *i < 0 ? std::max<int64_t>(0, *i + n) : std::min(*i, n);
    mut.insert(mut.begin() + at, a.positional[1]);
    return Value();
  }
  if (m == "pop") {
    if (absl::Status st = Arity(a, 0, 1); !st.ok()) return st;
    if (mut.empty()) return Err("pop from empty list");
    int64_t n = static_cast<int64_t>(mut.size());
    int64_t i = n - 1;
    if (!a.positional.empty()) {
      absl::StatusOr<int64_t> idx = IntArg(a.positional[0], "index");
      if (!idx.ok()) return idx.status();
      i = *idx < 0 ? *idx + n : *idx;
      if (i < 0 || i >= n) return Err("pop index out of range");
    }
    Value v = mut[static_cast<size_t>(i)];
    mut.erase(mut.begin() + i);
    return v;
  }
  if (m == "remove") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    for (size_t i = 0; i < mut.size(); ++i) {
      if (mut[i].Equals(a.positional[0])) {
        mut.erase(mut.begin() + static_cast<std::ptrdiff_t>(i));
        return Value();
      }
    }
    return Err("list.remove(x): x not in list");
  }
  if (m == "sort") {
    if (absl::Status st = Arity(a, 0, 0, {"key", "reverse"}); !st.ok()) return st;
    std::vector<Value> copy = mut;
    if (absl::Status st = SortValues(interp, &copy, KwOr(a, "key", Value()), KwOr(a, "reverse", Value::Bool(false)).Truthy()); !st.ok()) return st;
    self.mutable_items() = std::move(copy);
    return Value();
  }
  if (m == "reverse") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    std::reverse(mut.begin(), mut.end());
    return Value();
  }
  if (m == "copy") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    return Value::List(mut);
  }
  if (m == "clear") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    mut.clear();
    return Value();
  }
  *found = false;
  return Value();
}

absl::StatusOr<Value> DictMethod(const Value& self, absl::string_view m, CallArgs& a, bool* found) {
  if (m == "get") {
    if (absl::Status st = Arity(a, 1, 2); !st.ok()) return st;
    if (!a.positional[0].Hashable()) return Err(absl::StrCat("unhashable type: '", a.positional[0].TypeName(), "'"));
    const Value* v = self.DictGet(a.positional[0]);
    if (v) return *v;
    return a.positional.size() > 1 ? a.positional[1] : Value();
  }
  if (m == "items" || m == "keys" || m == "values") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    std::vector<Value> out;
    out.reserve(self.dict_items().size());
    for (const auto& [k, v] : self.dict_items()) {
      if (m == "items") out.push_back(Value::Tuple({k, v}));
      else out.push_back(m == "keys" ? k : v);
    }
    return Value::List(std::move(out));
  }
  if (m == "update") {
    if (absl::Status st = Arity(a, 0, 1, {}); !st.ok() && a.positional.size() > 1) return st;
    if (!a.positional.empty()) {
      if (absl::Status st = DictUpdate(self, a.positional[0]); !st.ok()) return st;
    }
    for (const auto& [k, v] : a.keyword) self.DictSet(Value::String(k), v);
    return Value();
  }
  if (m == "pop") {
    if (absl::Status st = Arity(a, 1, 2); !st.ok()) return st;
    const Value* v = self.DictGet(a.positional[0]);
    if (v == nullptr) {
      if (a.positional.size() > 1) return a.positional[1];
      return Err(absl::StrCat("KeyError: ", a.positional[0].Repr()));
    }
    Value out = *v;
    self.DictErase(a.positional[0]);
    return out;
  }
  if (m == "setdefault") {
    if (absl::Status st = Arity(a, 1, 2); !st.ok()) return st;
    if (!a.positional[0].Hashable()) return Err(absl::StrCat("unhashable type: '", a.positional[0].TypeName(), "'"));
    const Value* v = self.DictGet(a.positional[0]);
    if (v) return *v;
    Value def = a.positional.size() > 1 ? a.positional[1] : Value();
    self.DictSet(a.positional[0], def);
    return def;
  }
  if (m == "copy") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    return Value::Dict(self.dict_items());
  }
  if (m == "clear") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    self.mutable_dict_items().clear();
    return Value();
  }
  *found = false;
  return Value();
}

absl::StatusOr<Value> SetMethod(const Value& self, absl::string_view m, CallArgs& a, bool* found) {
  auto others = [&]() -> absl::StatusOr<std::vector<std::vector<Value>>> {
    std::vector<std::vector<Value>> out;
    for (const Value& v : a.positional) {
      absl::StatusOr<std::vector<Value>> items = Iterate(v);
      if (!items.ok()) return items.status();
      for (const Value& x : *items) {
        if (!x.Hashable()) return Err(absl::StrCat("unhashable type: '", x.TypeName(), "'"));
      }
      out.push_back(*std::move(items));
    }
    return out;
  };
  if (m == "add") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    if (!a.positional[0].Hashable()) return Err(absl::StrCat("unhashable type: '", a.positional[0].TypeName(), "'"));
    self.SetAdd(a.positional[0]);
    return Value();
  }
  if (m == "update" || m == "union" || m == "intersection" || m == "difference") {
    if (absl::Status st = Arity(a, 0, 1000); !st.ok()) return st;
    absl::StatusOr<std::vector<std::vector<Value>>> o = others();
    if (!o.ok()) return o.status();
    if (m == "update") {
      for (const auto& l : *o) {
        for (const Value& v : l) self.SetAdd(v);
      }
      return Value();
    }
    Value out = Value::Set(self.items());
    if (m == "union") {
      for (const auto& l : *o) {
        for (const Value& v : l) out.SetAdd(v);
      }
      return out;
    }
    for (const auto& l : *o) {
      Value other = Value::Set(l);
      std::vector<Value> kept;
      for (const Value& v : out.items()) {
        if (other.SetContains(v) == (m == "intersection")) kept.push_back(v);
      }
      out = Value::Set(std::move(kept));
    }
    return out;
  }
  if (m == "issubset" || m == "issuperset") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    absl::StatusOr<std::vector<std::vector<Value>>> o = others();
    if (!o.ok()) return o.status();
    Value other = Value::Set((*o)[0]);
    const Value& small = m == "issubset" ? self : other;
    const Value& big = m == "issubset" ? other : self;
    for (const Value& v : small.items()) {
      if (!big.SetContains(v)) return Value::Bool(false);
    }
    return Value::Bool(true);
  }
  if (m == "remove" || m == "discard") {
    if (absl::Status st = Arity(a, 1, 1); !st.ok()) return st;
    auto& items = self.mutable_items();
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].Equals(a.positional[0])) {
        items.erase(items.begin() + static_cast<std::ptrdiff_t>(i));
        return Value();
      }
    }
    if (m == "remove") return Err(absl::StrCat("KeyError: ", a.positional[0].Repr()));
    return Value();
  }
  if (m == "copy") {
    if (absl::Status st = Arity(a, 0, 0); !st.ok()) return st;
    return Value::Set(self.items());
  }
  *found = false;
  return Value();
}

const std::vector<std::string>& StrMethodNames() {
  static const std::vector<std::string> kNames = {
      "capitalize", "center", "count", "endswith", "expandtabs", "find", "format", "index",
      "isalnum", "isalpha", "isdecimal", "isdigit", "isidentifier", "islower", "isnumeric",
      "isspace", "isupper", "join", "ljust", "lower", "lstrip", "partition", "removeprefix",
      "removesuffix", "replace", "rfind", "rindex", "rjust", "rpartition", "rsplit", "rstrip",
      "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper", "zfill"};
  return kNames;
}
const std::vector<std::string>& ListMethodNames() {
  static const std::vector<std::string> kNames = {"append", "clear", "copy", "count", "extend", "index",
                                                  "insert", "pop", "remove", "reverse", "sort"};
  return kNames;
}
const std::vector<std::string>& TupleMethodNames() {
  static const std::vector<std::string> kNames = {"count", "index"};
  return kNames;
}
const std::vector<std::string>& DictMethodNames() {
  static const std::vector<std::string> kNames = {"clear", "copy", "get", "items", "keys", "pop",
                                                  "setdefault", "update", "values"};
  return kNames;
}
const std::vector<std::string>& SetMethodNames() {
  static const std::vector<std::string> kNames = {"add", "copy", "difference", "discard", "intersection",
                                                  "issubset", "issuperset", "remove", "union", "update"};
  return kNames;
}

const std::vector<std::string>* NamesFor(const Value& v) {
  switch (v.kind()) {
    case VK::kString: return &StrMethodNames();
    case VK::kList: return &ListMethodNames();
    case VK::kTuple: return &TupleMethodNames();
    case VK::kDict: return &DictMethodNames();
    case VK::kSet: return &SetMethodNames();
    default: return nullptr;
  }
}

}  // namespace

const Value* FindPythonBuiltin(absl::string_view name) {
  const auto& values = Table().values;
  auto it = values.find(name);
  return it == values.end() ? nullptr : &it->second;
}

const std::vector<std::string>& PythonBuiltinNames() { return Table().names; }

bool HasMethod(const Value& self, absl::string_view name) {
  const std::vector<std::string>* names = NamesFor(self);
  if (names == nullptr) return false;
  return std::binary_search(names->begin(), names->end(), name,
                            [](absl::string_view x, absl::string_view y) { return x < y; });
}

std::vector<std::string> MethodNames(const Value& self) {
  const std::vector<std::string>* names = NamesFor(self);
  return names ? *names : std::vector<std::string>{};
}

absl::StatusOr<Value> CallMethod(Interpreter& interp, const Value& self, absl::string_view name,
                                 CallArgs& args, bool* found) {
  *found = true;
  if (absl::Status s = interp.Step(); !s.ok()) return s;
  switch (self.kind()) {
    case VK::kString: return StrMethod(interp, self.string_value(), name, args, found);
    case VK::kList:
    case VK::kTuple: return ListMethod(interp, self, name, args, found);
    case VK::kDict: return DictMethod(self, name, args, found);
    case VK::kSet: return SetMethod(self, name, args, found);
    default: *found = false; return Value();
  }
}

}  // namespace braid::build_file::internal
