// Python operators on Values: arithmetic, comparison, membership, indexing,
// slicing and iteration. Errors are unlocated; the interpreter locates them.
#include <cmath>
#include <limits>

#include "absl/strings/str_cat.h"
#include "core/build_file/interpreter.h"

namespace braid::build_file::internal {
namespace {

using VK = Value::Kind;

absl::Status TypeError(absl::string_view msg) { return absl::InvalidArgumentError(msg); }

bool IsIntLike(const Value& v) { return v.kind() == VK::kInt || v.kind() == VK::kBool; }
bool IsNumeric(const Value& v) { return IsIntLike(v) || v.kind() == VK::kFloat; }
double AsDouble(const Value& v) {
  return v.kind() == VK::kFloat ? v.float_value() : static_cast<double>(v.int_value());
}

bool IsAscii(absl::string_view s) {
  for (unsigned char c : s) {
    if (c >= 0x80) return false;
  }
  return true;
}

absl::Status Unsupported(absl::string_view op, const Value& a, const Value& b) {
  return TypeError(absl::StrCat("unsupported operand type(s) for ", op, ": '", a.TypeName(),
                                "' and '", b.TypeName(), "'"));
}

absl::Status Overflow() {
  return absl::InvalidArgumentError("integer overflow (BUILD file integers are 64-bit)");
}

absl::StatusOr<Value> Repeat(const Value& seq, int64_t n) {
  if (n < 0) n = 0;
  if (seq.is_string()) {
    const std::string& s = seq.string_value();
    if (!s.empty() && n > 0 && static_cast<int64_t>(s.size()) > kMaxSize / n) return CheckSize(kMaxSize + 1);
    std::string out;
    out.reserve(s.size() * static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) out += s;
    return Value::String(std::move(out));
  }
  const auto& items = seq.items();
  if (!items.empty() && n > 0 && static_cast<int64_t>(items.size()) > kMaxSize / n) {
    return CheckSize(kMaxSize + 1);
  }
  std::vector<Value> out;
  out.reserve(items.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out.insert(out.end(), items.begin(), items.end());
  return seq.kind() == VK::kList ? Value::List(std::move(out)) : Value::Tuple(std::move(out));
}

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

int64_t FloorMod(int64_t a, int64_t b) {
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0))) r += b;
  return r;
}

absl::StatusOr<Value> IntPow(int64_t base, int64_t exp) {
  if (exp < 0) return Value::Float(std::pow(static_cast<double>(base), static_cast<double>(exp)));
  int64_t result = 1;
  int64_t b = base;
  while (exp > 0) {
    if (exp & 1) {
      if (__builtin_mul_overflow(result, b, &result)) return Overflow();
    }
    exp >>= 1;
    if (exp > 0 && __builtin_mul_overflow(b, b, &b)) return Overflow();
  }
  return Value::Int(result);
}

// Python's slice.indices(): clamps start/stop for a sequence of length n.
absl::Status SliceIndices(const Value& lower, const Value& upper, const Value& step_v, int64_t n,
                          int64_t* start, int64_t* stop, int64_t* step) {
  for (const Value* v : {&lower, &upper, &step_v}) {
    if (!v->is_none() && !IsIntLike(*v)) {
      return TypeError("slice indices must be integers or None");
    }
  }
  *step = step_v.is_none() ? 1 : step_v.int_value();
  if (*step == 0) return TypeError("slice step cannot be zero");
  if (*step == std::numeric_limits<int64_t>::min()) *step = -std::numeric_limits<int64_t>::max();
  auto clamp = [&](const Value& v, int64_t def) -> int64_t {
    if (v.is_none()) return def;
    int64_t i = v.int_value();
    if (i < 0) {
      i = i < -n ? -1 : i + n;  // avoid overflow for huge negatives
      if (i < 0) i = *step < 0 ? -1 : 0;
    } else if (i >= n) {
      i = *step < 0 ? n - 1 : n;
    }
    return i;
  };
  *start = clamp(lower, *step < 0 ? n - 1 : 0);
  *stop = clamp(upper, *step < 0 ? -1 : n);
  return absl::OkStatus();
}

template <typename T>
std::vector<T> SliceVector(const std::vector<T>& v, int64_t start, int64_t stop, int64_t step) {
  std::vector<T> out;
  if (step > 0) {
    for (int64_t i = start; i < stop; i += step) out.push_back(v[static_cast<size_t>(i)]);
  } else {
    for (int64_t i = start; i > stop; i += step) out.push_back(v[static_cast<size_t>(i)]);
  }
  return out;
}

}  // namespace

absl::Status CheckSize(int64_t n) {
  if (n > kMaxSize) {
    return absl::InvalidArgumentError(
        absl::StrCat("result too large (over ", kMaxSize, " items or bytes)"));
  }
  return absl::OkStatus();
}

std::vector<absl::string_view> CodePoints(absl::string_view s) {
  std::vector<absl::string_view> out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) {
        len = 1;
        break;
      }
    }
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

int64_t CodePointCount(absl::string_view s) {
  if (IsAscii(s)) return static_cast<int64_t>(s.size());
  return static_cast<int64_t>(CodePoints(s).size());
}

absl::StatusOr<Value> BinaryOp(BinOp op, const Value& a, const Value& b) {
  // Numbers first: the common case.
  if (IsNumeric(a) && IsNumeric(b)) {
    bool ints = IsIntLike(a) && IsIntLike(b);
    if (ints) {
      int64_t x = a.int_value(), y = b.int_value(), r = 0;
      switch (op) {
        case BinOp::kAdd:
          if (__builtin_add_overflow(x, y, &r)) return Overflow();
          return Value::Int(r);
        case BinOp::kSub:
          if (__builtin_sub_overflow(x, y, &r)) return Overflow();
          return Value::Int(r);
        case BinOp::kMul:
          if (__builtin_mul_overflow(x, y, &r)) return Overflow();
          return Value::Int(r);
        case BinOp::kDiv:
          if (y == 0) return absl::InvalidArgumentError("division by zero");
          return Value::Float(static_cast<double>(x) / static_cast<double>(y));
        case BinOp::kFloorDiv:
          if (y == 0) return absl::InvalidArgumentError("integer division or modulo by zero");
          if (x == std::numeric_limits<int64_t>::min() && y == -1) return Overflow();
          return Value::Int(FloorDiv(x, y));
        case BinOp::kMod:
          if (y == 0) return absl::InvalidArgumentError("integer division or modulo by zero");
          if (y == -1) return Value::Int(0);
          return Value::Int(FloorMod(x, y));
        case BinOp::kPow: return IntPow(x, y);
        case BinOp::kBitOr:
          if (a.kind() == VK::kBool && b.kind() == VK::kBool) return Value::Bool(x | y);
          return Value::Int(x | y);
        case BinOp::kBitAnd:
          if (a.kind() == VK::kBool && b.kind() == VK::kBool) return Value::Bool(x & y);
          return Value::Int(x & y);
        case BinOp::kBitXor:
          if (a.kind() == VK::kBool && b.kind() == VK::kBool) return Value::Bool(x ^ y);
          return Value::Int(x ^ y);
        case BinOp::kLShift:
          if (y < 0) return absl::InvalidArgumentError("negative shift count");
          if (y >= 63 || (x != 0 && (x > (std::numeric_limits<int64_t>::max() >> y) ||
                                     x < (std::numeric_limits<int64_t>::min() >> y)))) {
            if (x == 0) return Value::Int(0);
            return Overflow();
          }
          return Value::Int(static_cast<int64_t>(static_cast<uint64_t>(x) << y));
        case BinOp::kRShift:
          if (y < 0) return absl::InvalidArgumentError("negative shift count");
          return Value::Int(y >= 63 ? (x < 0 ? -1 : 0) : x >> y);
        case BinOp::kMatMul: return Unsupported("@", a, b);
      }
    }
    double x = AsDouble(a), y = AsDouble(b);
    switch (op) {
      case BinOp::kAdd: return Value::Float(x + y);
      case BinOp::kSub: return Value::Float(x - y);
      case BinOp::kMul: return Value::Float(x * y);
      case BinOp::kDiv:
        if (y == 0) return absl::InvalidArgumentError("float division by zero");
        return Value::Float(x / y);
      case BinOp::kFloorDiv:
        if (y == 0) return absl::InvalidArgumentError("float floor division by zero");
        return Value::Float(std::floor(x / y));
      case BinOp::kMod: {
        if (y == 0) return absl::InvalidArgumentError("float modulo");
        double r = std::fmod(x, y);
        if (r != 0 && ((r < 0) != (y < 0))) r += y;
        return Value::Float(r);
      }
      case BinOp::kPow:
        if (x == 0 && y < 0) return absl::InvalidArgumentError("0.0 cannot be raised to a negative power");
        return Value::Float(std::pow(x, y));
      default: break;
    }
    static const char* kSym[] = {"+", "-", "*", "/", "//", "%", "**", "|", "&", "^", "<<", ">>", "@"};
    return Unsupported(kSym[static_cast<int>(op)], a, b);
  }
  switch (op) {
    case BinOp::kAdd:
      if (a.is_string()) {
        if (!b.is_string()) {
          return TypeError(absl::StrCat("can only concatenate str (not \"", b.TypeName(), "\") to str"));
        }
        if (absl::Status s = CheckSize(static_cast<int64_t>(a.string_value().size() + b.string_value().size())); !s.ok()) return s;
        return Value::String(a.string_value() + b.string_value());
      }
      if (a.kind() == VK::kList || a.kind() == VK::kTuple) {
        if (b.kind() != a.kind()) {
          return TypeError(absl::StrCat("can only concatenate ", a.TypeName(), " (not \"",
                                        b.TypeName(), "\") to ", a.TypeName()));
        }
        if (absl::Status s = CheckSize(static_cast<int64_t>(a.items().size() + b.items().size())); !s.ok()) return s;
        std::vector<Value> out = a.items();
        out.insert(out.end(), b.items().begin(), b.items().end());
        return a.kind() == VK::kList ? Value::List(std::move(out)) : Value::Tuple(std::move(out));
      }
      return Unsupported("+", a, b);
    case BinOp::kMul:
      if ((a.is_string() || a.kind() == VK::kList || a.kind() == VK::kTuple) && IsIntLike(b)) {
        return Repeat(a, b.int_value());
      }
      if ((b.is_string() || b.kind() == VK::kList || b.kind() == VK::kTuple) && IsIntLike(a)) {
        return Repeat(b, a.int_value());
      }
      if (a.is_string() || a.kind() == VK::kList || a.kind() == VK::kTuple) {
        return TypeError(absl::StrCat("can't multiply sequence by non-int of type '", b.TypeName(), "'"));
      }
      return Unsupported("*", a, b);
    case BinOp::kMod:
      if (a.is_string()) {
        absl::StatusOr<std::string> s = PercentFormat(a.string_value(), b);
        if (!s.ok()) return s.status();
        return Value::String(*std::move(s));
      }
      return Unsupported("%", a, b);
    case BinOp::kBitOr:
    case BinOp::kBitAnd:
    case BinOp::kBitXor:
    case BinOp::kSub:
      if (a.kind() == VK::kSet && b.kind() == VK::kSet) {
        Value out = Value::Set();
        if (op == BinOp::kBitOr) {
          for (const Value& v : a.items()) out.SetAdd(v);
          for (const Value& v : b.items()) out.SetAdd(v);
        } else if (op == BinOp::kBitAnd) {
          for (const Value& v : a.items()) {
            if (b.SetContains(v)) out.SetAdd(v);
          }
        } else if (op == BinOp::kSub) {
          for (const Value& v : a.items()) {
            if (!b.SetContains(v)) out.SetAdd(v);
          }
        } else {
          for (const Value& v : a.items()) {
            if (!b.SetContains(v)) out.SetAdd(v);
          }
          for (const Value& v : b.items()) {
            if (!a.SetContains(v)) out.SetAdd(v);
          }
        }
        return out;
      }
      if (op == BinOp::kBitOr && a.kind() == VK::kDict && b.kind() == VK::kDict) {
        Value out = Value::Dict(a.dict_items());
        for (const auto& [k, v] : b.dict_items()) out.DictSet(k, v);
        return out;
      }
      break;
    default: break;
  }
  static const char* kSym[] = {"+", "-", "*", "/", "//", "%", "**", "|", "&", "^", "<<", ">>", "@"};
  return Unsupported(kSym[static_cast<int>(op)], a, b);
}

absl::StatusOr<Value> UnaryOperation(UnaryOp op, const Value& a) {
  switch (op) {
    case UnaryOp::kNeg:
      if (IsIntLike(a)) {
        if (a.int_value() == std::numeric_limits<int64_t>::min()) return Overflow();
        return Value::Int(-a.int_value());
      }
      if (a.kind() == VK::kFloat) return Value::Float(-a.float_value());
      return TypeError(absl::StrCat("bad operand type for unary -: '", a.TypeName(), "'"));
    case UnaryOp::kPos:
      if (IsIntLike(a)) return Value::Int(a.int_value());
      if (a.kind() == VK::kFloat) return a;
      return TypeError(absl::StrCat("bad operand type for unary +: '", a.TypeName(), "'"));
    case UnaryOp::kInvert:
      if (IsIntLike(a)) return Value::Int(~a.int_value());
      return TypeError(absl::StrCat("bad operand type for unary ~: '", a.TypeName(), "'"));
  }
  return Value();
}

absl::StatusOr<int> Compare(const Value& a, const Value& b, absl::string_view op) {
  if (IsNumeric(a) && IsNumeric(b)) {
    if (IsIntLike(a) && IsIntLike(b)) {
      return a.int_value() < b.int_value() ? -1 : a.int_value() > b.int_value() ? 1 : 0;
    }
    double x = AsDouble(a), y = AsDouble(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.is_string() && b.is_string()) {
    int c = a.string_value().compare(b.string_value());  // bytewise = code point order for UTF-8
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  }
  if (a.kind() == b.kind() && (a.kind() == VK::kList || a.kind() == VK::kTuple)) {
    const auto& x = a.items();
    const auto& y = b.items();
    for (size_t i = 0; i < x.size() && i < y.size(); ++i) {
      if (x[i].Equals(y[i])) continue;
      return Compare(x[i], y[i], op);
    }
    return x.size() < y.size() ? -1 : x.size() > y.size() ? 1 : 0;
  }
  return TypeError(absl::StrCat("'", op, "' not supported between instances of '", a.TypeName(),
                                "' and '", b.TypeName(), "'"));
}

absl::StatusOr<bool> Contains(const Value& container, const Value& item) {
  switch (container.kind()) {
    case VK::kString:
      if (!item.is_string()) {
        return TypeError(absl::StrCat("'in <string>' requires string as left operand, not ", item.TypeName()));
      }
      return container.string_value().find(item.string_value()) != std::string::npos;
    case VK::kList:
    case VK::kTuple:
    case VK::kSet:
      for (const Value& v : container.items()) {
        if (v.Equals(item)) return true;
      }
      return false;
    case VK::kDict: return container.DictGet(item) != nullptr;
    default:
      return TypeError(absl::StrCat("argument of type '", container.TypeName(), "' is not iterable"));
  }
}

absl::StatusOr<Value> Subscript(const Value& obj, const Value& index) {
  switch (obj.kind()) {
    case VK::kDict: {
      if (!index.Hashable()) return TypeError(absl::StrCat("unhashable type: '", index.TypeName(), "'"));
      const Value* v = obj.DictGet(index);
      if (v == nullptr) return absl::InvalidArgumentError(absl::StrCat("KeyError: ", index.Repr()));
      return *v;
    }
    case VK::kList:
    case VK::kTuple:
    case VK::kString: {
      if (!IsIntLike(index)) {
        return TypeError(absl::StrCat(obj.TypeName() == "str" ? "string" : obj.TypeName(),
                                      " indices must be integers", obj.is_string() ? "" : " or slices",
                                      ", not ", index.TypeName()));
      }
      int64_t i = index.int_value();
      if (obj.is_string()) {
        const std::string& s = obj.string_value();
        if (IsAscii(s)) {
          int64_t n = static_cast<int64_t>(s.size());
          if (i < 0) i += n;
          if (i < 0 || i >= n) return absl::InvalidArgumentError("string index out of range");
          return Value::String(std::string(1, s[static_cast<size_t>(i)]));
        }
        std::vector<absl::string_view> cps = CodePoints(s);
        int64_t n = static_cast<int64_t>(cps.size());
        if (i < 0) i += n;
        if (i < 0 || i >= n) return absl::InvalidArgumentError("string index out of range");
        return Value::String(std::string(cps[static_cast<size_t>(i)]));
      }
      const auto& items = obj.items();
      int64_t n = static_cast<int64_t>(items.size());
      if (i < 0) i += n;
      if (i < 0 || i >= n) {
        return absl::InvalidArgumentError(absl::StrCat(obj.TypeName(), " index out of range"));
      }
      return items[static_cast<size_t>(i)];
    }
    default:
      return TypeError(absl::StrCat("'", obj.TypeName(), "' object is not subscriptable"));
  }
}

absl::StatusOr<Value> Slice(const Value& obj, const Value& lower, const Value& upper,
                            const Value& step) {
  int64_t start, stop, st;
  if (obj.is_string()) {
    const std::string& s = obj.string_value();
    if (IsAscii(s)) {
      int64_t n = static_cast<int64_t>(s.size());
      absl::Status status = SliceIndices(lower, upper, step, n, &start, &stop, &st);
      if (!status.ok()) return status;
      std::string out;
      if (st == 1) {
        if (stop > start) out = s.substr(static_cast<size_t>(start), static_cast<size_t>(stop - start));
      } else if (st > 0) {
        for (int64_t i = start; i < stop; i += st) out.push_back(s[static_cast<size_t>(i)]);
      } else {
        for (int64_t i = start; i > stop; i += st) out.push_back(s[static_cast<size_t>(i)]);
      }
      return Value::String(std::move(out));
    }
    std::vector<absl::string_view> cps = CodePoints(s);
    absl::Status status = SliceIndices(lower, upper, step, static_cast<int64_t>(cps.size()), &start, &stop, &st);
    if (!status.ok()) return status;
    std::string out;
    for (absl::string_view cp : SliceVector(cps, start, stop, st)) out.append(cp.data(), cp.size());
    return Value::String(std::move(out));
  }
  if (obj.kind() == VK::kList || obj.kind() == VK::kTuple) {
    absl::Status status =
        SliceIndices(lower, upper, step, static_cast<int64_t>(obj.items().size()), &start, &stop, &st);
    if (!status.ok()) return status;
    std::vector<Value> out = SliceVector(obj.items(), start, stop, st);
    return obj.kind() == VK::kList ? Value::List(std::move(out)) : Value::Tuple(std::move(out));
  }
  return TypeError(absl::StrCat("'", obj.TypeName(), "' object is not subscriptable"));
}

absl::StatusOr<std::vector<Value>> Iterate(const Value& v) {
  switch (v.kind()) {
    case VK::kList:
    case VK::kTuple:
    case VK::kSet: return v.items();
    case VK::kDict: {
      std::vector<Value> keys;
      keys.reserve(v.dict_items().size());
      for (const auto& [k, val] : v.dict_items()) keys.push_back(k);
      return keys;
    }
    case VK::kString: {
      std::vector<Value> out;
      for (absl::string_view cp : CodePoints(v.string_value())) out.push_back(Value::String(std::string(cp)));
      return out;
    }
    default:
      return TypeError(absl::StrCat("'", v.TypeName(), "' object is not iterable"));
  }
}

absl::StatusOr<int64_t> Length(const Value& v) {
  switch (v.kind()) {
    case VK::kString: return CodePointCount(v.string_value());
    case VK::kList:
    case VK::kTuple:
    case VK::kSet: return static_cast<int64_t>(v.items().size());
    case VK::kDict: return static_cast<int64_t>(v.dict_items().size());
    default: return TypeError(absl::StrCat("object of type '", v.TypeName(), "' has no len()"));
  }
}

}  // namespace braid::build_file::internal
