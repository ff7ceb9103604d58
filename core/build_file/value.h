// Values of the BUILD-file language (the Python subset real BUILD files use).
//
// A Value is a cheap-to-copy handle. Scalars (None, bool, int, float, str) are
// held inline; containers (list, dict, set) are shared and mutable, exactly like
// Python objects, so `deps = []; deps.append(x)` is visible through every
// alias. Tuples are immutable. Functions and host objects are shared.
//
// Usage (host side, e.g. core/graph reading the kwargs of a target call):
//   const Value& v = kwargs.Get("sources");
//   if (v.kind() == Value::Kind::kList) for (const Value& item : v.items()) ...
//
// Invariants:
//   - kind() never changes for a given handle.
//   - Dict preserves insertion order (Python 3.7+ semantics); keys are unique
//     by Equals(). Set preserves first-insertion order for deterministic output.
//   - Only str, int, float, bool, None, functions and host objects (by
//     identity) and tuples of those are hashable (usable as dict keys / set
//     items); the evaluator enforces this.
#ifndef BRAID_CORE_BUILD_FILE_VALUE_H_
#define BRAID_CORE_BUILD_FILE_VALUE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/error.h"

namespace braid::build_file {

class Value;
struct CallArgs;
struct CallContext;

/// A native function provided by the host (target types, env(), __defaults__,
/// python_artifact(), ...). Errors it returns are reported at the call site.
using NativeFunction =
    std::function<absl::StatusOr<Value>(const CallContext& ctx, CallArgs args)>;

/// An opaque object made by the host, e.g. the result of python_artifact(...)
/// or parametrize(...): a type name plus the arguments it was built from.
struct HostObject {
  std::string type_name;
  std::vector<Value> args;
  std::vector<std::pair<std::string, Value>> kwargs;
  Location location;  // where it was created
  /// When non-empty, `**obj` in a call passes the keyword argument
  /// `splat_key=obj` (how Pants' `**parametrize("name", ...)` groups work).
  std::string splat_key;
};

/// Anything callable: a native function or a user-defined `def` (the
/// evaluator subclasses this for closures and bound methods).
class Callable {
 public:
  virtual ~Callable() = default;
  virtual std::string name() const = 0;
};

/// Python repr() of a str: single quotes unless the text contains a single
/// quote and no double quote; escapes \\, \n, \r, \t and other control bytes.
std::string PythonStringRepr(absl::string_view s);
/// Python repr() of a float: the shortest round-tripping digits, e.g. 1.0,
/// 0.1, 1e+16, 1e-05, inf, nan.
std::string PythonFloatRepr(double d);

class Value {
 public:
  enum class Kind { kNone, kBool, kInt, kFloat, kString, kList, kTuple, kDict, kSet,
                    kFunction, kObject };

  Value();  // None
  static Value None() { return Value(); }
  static Value Bool(bool b);
  static Value Int(int64_t i);
  static Value Float(double d);
  static Value String(std::string s);
  static Value List(std::vector<Value> items = {});
  static Value Tuple(std::vector<Value> items = {});
  static Value Set(std::vector<Value> items = {});  // de-duplicates, keeps first order
  static Value Dict(std::vector<std::pair<Value, Value>> items = {});  // later keys win
  static Value Function(std::shared_ptr<Callable> fn);
  static Value Native(std::string name, NativeFunction fn);
  static Value Object(std::shared_ptr<HostObject> obj);

  Kind kind() const { return kind_; }
  bool is_none() const { return kind_ == Kind::kNone; }
  bool is_string() const { return kind_ == Kind::kString; }
  /// list, tuple or set.
  bool is_sequence() const;

  // Accessors; calling one for the wrong kind is a programming error (checked).
  bool bool_value() const;
  int64_t int_value() const;
  double float_value() const;
  const std::string& string_value() const;
  /// Items of a list, tuple or set.
  const std::vector<Value>& items() const;
  std::vector<Value>& mutable_items() const;  // list and set only
  const std::vector<std::pair<Value, Value>>& dict_items() const;
  /// Dict lookup by key; nullptr if absent.
  const Value* DictGet(const Value& key) const;
  void DictSet(const Value& key, Value value) const;
  /// Removes `key` from a dict; false if it was absent.
  bool DictErase(const Value& key) const;
  /// The dict's entries, for in-place edits that keep keys unique (dict only).
  std::vector<std::pair<Value, Value>>& mutable_dict_items() const;
  /// Set membership by Equals() (set only).
  bool SetContains(const Value& item) const;
  /// Adds `item` to a set unless already present (set only).
  void SetAdd(Value item) const;
  /// Python `is`: the same object for containers/functions/objects, equal
  /// value for None, bool, int, float and str (which Python interns or caches).
  bool Is(const Value& other) const;
  const std::shared_ptr<Callable>& callable() const;
  const std::shared_ptr<HostObject>& object() const;

  /// Python's type name: "NoneType", "bool", "int", "float", "str", "list",
  /// "tuple", "dict", "set", "function", or the host object's type name.
  std::string TypeName() const;
  /// Python truthiness.
  bool Truthy() const;
  /// Python ==: deep for containers, 1 == 1.0 == True.
  bool Equals(const Value& other) const;
  bool Hashable() const;
  /// Python repr(): 'a', [1, 2], {'k': None}, True.
  std::string Repr() const;
  /// Python str(): like Repr() but strings are unquoted.
  std::string Str() const;

 private:
  struct Data;  // shared payload for containers / functions / objects
  Kind kind_ = Kind::kNone;
  bool b_ = false;
  int64_t i_ = 0;
  double d_ = 0;
  std::shared_ptr<Data> data_;  // string, containers, callable, object
};

/// The native implementation behind Value::Native.
class NativeCallable : public Callable {
 public:
  NativeCallable(std::string name, NativeFunction fn) : name_(std::move(name)), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  const NativeFunction& fn() const { return fn_; }

 private:
  std::string name_;
  NativeFunction fn_;
};

/// Arguments of a call after `*args` / `**kwargs` expansion, in source order.
struct CallArgs {
  std::vector<Value> positional;
  std::vector<std::pair<std::string, Value>> keyword;
  /// Where each keyword argument was written (parallel to `keyword`; for
  /// `**kwargs` expansions, the `**`). May be shorter when a native builds
  /// CallArgs itself; use KeywordLocation().
  std::vector<Location> keyword_locations;

  /// The location of keyword `i`, or `fallback` when unknown.
  const Location& KeywordLocation(size_t i, const Location& fallback) const {
    return i < keyword_locations.size() && keyword_locations[i].line > 0 ? keyword_locations[i]
                                                                        : fallback;
  }

  /// The keyword argument `name`, or nullptr.
  const Value* Find(absl::string_view name) const;
};

/// Where a native function is being called from.
struct CallContext {
  /// Path of the BUILD file being evaluated (relative to the build root).
  std::string build_file;
  /// The call's position inside that BUILD file. When a prelude macro makes
  /// the call, this is the position of the outermost call in the BUILD file
  /// (so targets attach to the BUILD file that called the macro).
  Location build_file_location;
  /// The innermost position (may be inside a prelude file); use for errors.
  Location location;
};

}  // namespace braid::build_file

#endif  // BRAID_CORE_BUILD_FILE_VALUE_H_
