// Typed option values and where they came from.
//
// An OptionValue is a small JSON-like tree: None, bool, int, float, string,
// list, dict. Every option's resolved value is one of these, as are the values
// inside dict options (`[python].resolves`, `[pytest].config_discovery` ...).
//
// Usage:
//   OptionValue v = OptionValue::OfList({OptionValue::String("BUILD")});
//   for (const OptionValue& item : v.list()) use(item.string());
//
// Invariants:
//   - kind() never changes after construction.
//   - Dict keys are unique and kept in insertion order (a merge keeps the
//     position of an existing key and appends new keys), so rendering is
//     deterministic and follows the order the user wrote.
#ifndef BRAID_CORE_OPTIONS_OPTION_VALUE_H_
#define BRAID_CORE_OPTIONS_OPTION_VALUE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/strings/string_view.h"

namespace braid::options {

class OptionValue {
 public:
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kList, kDict };
  using List = std::vector<OptionValue>;
  using Dict = std::vector<std::pair<std::string, OptionValue>>;

  OptionValue() = default;  // None
  static OptionValue None() { return OptionValue(); }
  static OptionValue Bool(bool b);
  static OptionValue Int(int64_t i);
  static OptionValue Float(double d);
  static OptionValue String(std::string s);
  static OptionValue OfList(List items = {});
  static OptionValue OfDict(Dict items = {});
  /// A list of strings, the most common option value.
  static OptionValue StringList(const std::vector<std::string>& items);

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_none() const { return kind() == Kind::kNone; }

  // Accessors; calling one that does not match kind() is a programming error
  // (std::bad_variant_access, never caught: a braid bug, not user input).
  bool boolean() const { return std::get<bool>(v_); }
  int64_t integer() const { return std::get<int64_t>(v_); }
  double real() const { return std::get<double>(v_); }
  const std::string& string() const { return std::get<std::string>(v_); }
  const List& list() const { return std::get<List>(v_); }
  List& mutable_list() { return std::get<List>(v_); }
  const Dict& dict() const { return std::get<Dict>(v_); }
  Dict& mutable_dict() { return std::get<Dict>(v_); }

  /// The dict entry for `key`, or nullptr (also when this is not a dict).
  const OptionValue* Find(absl::string_view key) const;
  /// Sets dict[key] = value, keeping the key's position if present.
  void Set(std::string key, OptionValue value);

  /// The strings of a list of strings (non-strings are skipped).
  std::vector<std::string> Strings() const;

  /// Deep equality (1 != 1.0: kinds must match).
  bool operator==(const OptionValue& other) const { return v_ == other.v_; }
  bool operator!=(const OptionValue& other) const { return !(*this == other); }

  /// Python-literal rendering as Pants shows values in `help`:
  /// None, True/False, 42, 1.5, 'text' (strings quoted only inside
  /// containers unless `quote_strings`), ['a', 'b'], {'k': 1}.
  std::string ToPython(bool quote_strings = false) const;
  /// JSON rendering: null, true, 42, "text", ["a"], {"k": 1}. Used by help
  /// for multi-line values.
  std::string ToJson() const;

  /// "bool", "int", "float", "string", "list", "dict" or "None".
  static const char* KindName(Kind kind);

 private:
  std::variant<std::monostate, bool, int64_t, double, std::string, List, Dict> v_;
};

/// Where a resolved value came from, in increasing rank.
struct ValueSource {
  enum class Kind { kDefault, kConfig, kEnv, kFlag };
  Kind kind = Kind::kDefault;
  /// kConfig: "pants.toml:12" (file relative to the build root, 1-based line);
  /// kEnv: the variable name, e.g. "PANTS_TEST_TIMEOUT_DEFAULT";
  /// kFlag: the flag as typed, e.g. "--test-timeout-default" or "-l";
  /// kDefault: "".
  std::string detail;

  /// "default", "pants.toml:12", "env var PANTS_LEVEL", "flag --level".
  std::string ToString() const;
  bool operator==(const ValueSource& o) const { return kind == o.kind && detail == o.detail; }
};

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_OPTION_VALUE_H_
