// JSON values for braid's stable, machine-readable outputs.
//
// `peek`, `dependencies --format=json` and trace files must be byte-identical to
// what Pants prints, and Pants prints them with Python's json module. So the
// writer reproduces `json.dumps(value, indent=2)` exactly:
//
//   * objects keep INSERTION order (callers decide; SortKeys() for sort_keys=True);
//   * indent=N: "[" / "{" then one item per line, items separated by ",", keys by ": ",
//     no trailing spaces; empty containers print as "[]" / "{}";
//   * no indent: separators ", " and ": " (Python's default), or "," and ":" (compact);
//   * ensure_ascii=True (Python's default): every byte outside printable ASCII
//     (0x20..0x7e) is escaped; \" \\ \n \r \t \b \f use their short forms, the rest
//     \u00XX, non-ASCII as \uXXXX (lowercase hex, UTF-16 surrogate pairs above U+FFFF);
//   * doubles as Python's repr(): shortest round-trip digits, "1.0", "1e+16", "1e-05",
//     NaN / Infinity / -Infinity (allow_nan=True).
//   * Strings are UTF-8. Python strings cannot hold invalid UTF-8; we write each byte
//     of an invalid sequence as U+FFFD instead of failing, so a stray byte in a file
//     name never aborts a goal.
//
// The reader (Parse) accepts strict JSON plus Python's NaN/Infinity extensions and
// reports errors as located user errors. It exists for tests and for reading our own
// files back; it is not a general-purpose streaming parser.
//
// Usage:
//   json::Value target = json::Value::Object();
//   target.Set("address", "src/app:app");
//   target.Set("sources", json::Value::Array({"src/app/main.py"}));
//   std::string text = json::Write(json::Value::Array({target})) + "\n";
//
// Neither Abseil nor Protobuf offer this: absl::CEscape is C escaping, and
// protobuf's util/json_util only serialises messages (with its own formatting).
#ifndef BRAID_CORE_BASE_JSON_H_
#define BRAID_CORE_BASE_JSON_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::json {

class Value;
/// Array elements in order.
using Array = std::vector<Value>;
/// Object members in insertion order; keys are unique (Set() replaces in place).
using Members = std::vector<std::pair<std::string, Value>>;

/// One JSON value. Cheap to move; copies are deep.
class Value {
 public:
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kArray, kObject };

  Value() = default;  // null
  Value(std::nullptr_t) {}
  Value(bool b) : data_(b) {}
  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>,
                                         int> = 0>
  Value(T i) : data_(static_cast<int64_t>(i)) {}
  Value(double d) : data_(d) {}
  Value(const char* s) : data_(std::string(s)) {}
  Value(std::string s) : data_(std::move(s)) {}
  Value(absl::string_view s) : data_(std::string(s)) {}

  /// An array holding `items`.
  static Value MakeArray(std::vector<Value> items = {});
  static Value MakeArray(std::initializer_list<Value> items) {
    return MakeArray(std::vector<Value>(items));
  }
  /// An empty object.
  static Value MakeObject();

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }

  // Accessors; calling one for the wrong kind is a programming error (asserts in
  // debug builds, returns a default value otherwise).
  bool as_bool() const;
  int64_t as_int() const;
  /// The number as a double (ints convert).
  double as_double() const;
  const std::string& as_string() const;
  const Array& array() const;
  Array& array();
  const Members& members() const;
  Members& members();

  /// Appends to an array value; returns the new element.
  Value& Append(Value v);
  /// Sets `key` in an object value: replaces the value in place if the key exists
  /// (keeping its position, like a Python dict), else appends. Returns the value.
  Value& Set(absl::string_view key, Value v);
  /// The member named `key`, or nullptr (also for non-objects).
  const Value* Find(absl::string_view key) const;

  /// Sorts object keys bytewise (= code point order for UTF-8, like Python's
  /// sort_keys=True), recursively through arrays and objects.
  void SortKeys();

  friend bool operator==(const Value& a, const Value& b) { return a.data_ == b.data_; }

 private:
  // Boxed so Value stays a complete type inside its own vectors.
  struct ArrayBox {
    Array items;
    bool operator==(const ArrayBox&) const = default;
  };
  struct ObjectBox {
    Members members;
    bool operator==(const ObjectBox&) const = default;
  };
  std::variant<std::monostate, bool, int64_t, double, std::string, ArrayBox, ObjectBox> data_;
};

/// How Write() lays out text. The defaults are `json.dumps(v, indent=2)`.
struct WriteOptions {
  /// Spaces per nesting level; negative means everything on one line.
  int indent = 2;
  /// Escape all non-ASCII (Python's ensure_ascii=True) or write UTF-8 as is.
  bool ensure_ascii = true;
  /// Between array/object items. Python uses "," with indent, ", " without.
  std::string item_separator = ",";
  /// Between a key and its value.
  std::string key_separator = ": ";
};

/// `json.dumps(v, indent=indent)`.
WriteOptions PythonIndentOptions(int indent = 2);
/// `json.dumps(v)`: one line, ", " and ": ".
WriteOptions PythonDefaultOptions();
/// `json.dumps(v, separators=(",", ":"))`: the smallest output (trace files).
WriteOptions CompactOptions();

/// Serialises `v`. No trailing newline (Python adds none either).
std::string Write(const Value& v, const WriteOptions& options = WriteOptions());

/// `s` as a quoted JSON string literal, escaped as described above.
std::string QuoteString(absl::string_view s, bool ensure_ascii = true);

/// Python's repr() of a float: "0.1", "1.0", "1e+16", "1e-05", "-0.0", "NaN", ...
std::string FormatDouble(double d);

/// Parses one JSON document (surrounding whitespace allowed). Errors are user errors
/// located in `filename` ("file:line:col: message"). Integers that fit int64 become
/// kInt, other numbers kDouble. Nesting deeper than 1000 levels is rejected.
absl::StatusOr<Value> Parse(absl::string_view text, absl::string_view filename = "<json>");

}  // namespace braid::json

#endif  // BRAID_CORE_BASE_JSON_H_
