// Internal to core/build_file: the tree-walking interpreter shared by
// evaluator.cc (statements, expressions, calls), builtins.cc (Python builtins
// and the methods of str/list/dict/set) and format.cc (%, str.format,
// f-string format specs). Not part of the module's public interface.
//
// Error convention inside the module: helpers return plain
// absl::InvalidArgumentError("message"); the interpreter locates them at the
// expression being evaluated (Interpreter::Locate). A located error carries
// the kLocatedPayload payload so an outer frame never locates it twice.
#ifndef BRAID_CORE_BUILD_FILE_INTERPRETER_H_
#define BRAID_CORE_BUILD_FILE_INTERPRETER_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/build_file/ast.h"
#include "core/build_file/evaluator.h"
#include "core/build_file/value.h"

namespace braid::build_file::internal {

/// Status payload type URL marking an error that already names its place.
inline constexpr absl::string_view kLocatedPayload = "braid.build_file.located";

/// Resource limits (see evaluator.h for why they exist).
inline constexpr int kMaxCallDepth = 200;
inline constexpr int kMaxEvalDepth = 1500;
inline constexpr int64_t kMaxSteps = 50'000'000;
/// Largest string (bytes) or container (items) an operation may build.
inline constexpr int64_t kMaxSize = int64_t{1} << 22;

/// A variable scope: module globals, a function call, or a comprehension.
struct Scope {
  absl::flat_hash_map<std::string, Value> vars;
  std::shared_ptr<Scope> parent;  // the lexically enclosing scope; null for module globals
};

class Interpreter;

/// A user `def` or lambda closed over its defining scope.
class UserFunction : public Callable {
 public:
  std::string name() const override { return def->name; }

  std::shared_ptr<const FunctionDef> def;
  std::shared_ptr<const Module> module;  // keeps the AST and source alive
  std::shared_ptr<Scope> closure;
  std::vector<Value> defaults;     // parallel to def->params
  std::vector<bool> has_default;   // parallel to def->params
};

/// A Python builtin (len, sorted, ...). Gets the interpreter so it can call
/// user functions (sorted(key=...)).
using BuiltinFn = absl::StatusOr<Value> (*)(Interpreter& interp, CallArgs& args);

class BuiltinFunction : public Callable {
 public:
  BuiltinFunction(std::string name, BuiltinFn fn) : name_(std::move(name)), fn_(fn) {}
  std::string name() const override { return name_; }
  BuiltinFn fn() const { return fn_; }

 private:
  std::string name_;
  BuiltinFn fn_;
};

/// `"x".join` and friends taken as a value.
class BoundMethod : public Callable {
 public:
  BoundMethod(Value self, std::string method) : self(std::move(self)), method(std::move(method)) {}
  std::string name() const override { return method; }
  Value self;
  std::string method;
};

class Interpreter {
 public:
  /// `prelude` and `builtins` may be null. `build_module` is the file whose
  /// call lines become CallContext::build_file_location.
  Interpreter(const Symbols* builtins, const Symbols* prelude, std::string build_file);

  /// Runs a module's statements in `globals`.
  absl::Status ExecModule(const std::shared_ptr<const Module>& module,
                          const std::shared_ptr<Scope>& globals);
  /// Evaluates the single expression statement of `module` in `globals`.
  absl::StatusOr<Value> EvalModuleExpression(const std::shared_ptr<const Module>& module,
                                             const std::shared_ptr<Scope>& globals);

  /// Calls any callable value; errors are located at the current call site.
  absl::StatusOr<Value> CallValue(const Value& fn, CallArgs args);

  /// Counts one unit of work against the step budget.
  absl::Status Step();

 private:
  friend class ExecGuard;
  enum class Flow { kNormal, kBreak, kContinue, kReturn };

  absl::Status ExecBlock(const Block& block, Flow* flow);
  absl::Status Exec(const Stmt& s, Flow* flow);
  absl::StatusOr<Value> Eval(const Expr& e);
  absl::StatusOr<Value> EvalInner(const Expr& e);
  absl::Status Assign(const Expr& target, const Value& v);
  absl::Status Delete(const Expr& target);
  absl::StatusOr<Value> EvalCall(const Expr& e);
  absl::Status EvalArgs(const Expr& e, CallArgs* out);
  absl::StatusOr<Value> CallAt(const Value& fn, CallArgs args, int line, int col);
  absl::StatusOr<Value> CallUser(const UserFunction& fn, CallArgs args);
  absl::StatusOr<Value> EvalComprehension(const Expr& e);
  absl::Status CompLoop(const Expr& e, size_t level, const Value& out);
  absl::StatusOr<Value> EvalFString(const FString& f);
  absl::StatusOr<std::string> EvalFStringParts(const std::vector<FStringPart>& parts);
  absl::StatusOr<Value> MakeFunction(const std::shared_ptr<FunctionDef>& def);
  absl::StatusOr<Value> Lookup(const Expr& name);

 public:
  /// A located user error at (line, col) of the current module.
  absl::Status ErrorAt(int line, int col, absl::string_view msg, absl::string_view hint = {});
  /// Locates `s` at (line, col) unless it is already located.
  absl::Status Locate(absl::Status s, int line, int col);
  static bool IsLocated(const absl::Status& s);

 private:
  struct Frame {
    const Module* module;
    int line;
    int column;
  };

  Location LocationOf(const Module* m, int line, int col) const;

  const Symbols* builtins_;
  const Symbols* prelude_;
  std::string build_file_;
  const Module* cur_module_ = nullptr;
  std::shared_ptr<const Module> cur_module_owner_;
  Scope* cur_scope_ = nullptr;
  std::shared_ptr<Scope> cur_scope_owner_;
  std::vector<Frame> frames_;
  Value return_value_;
  int64_t steps_ = 0;
  int eval_depth_ = 0;
  // Position of the expression being evaluated, for errors from builtins.
  int cur_line_ = 0;
  int cur_col_ = 0;
};

// ---- builtins.cc ----

/// The Python builtin named `name`, or nullptr.
const Value* FindPythonBuiltin(absl::string_view name);
/// Names of all Python builtins (for did-you-mean).
const std::vector<std::string>& PythonBuiltinNames();
/// Calls method `name` of str/list/dict/set `self`. Sets *found = false (and
/// returns OK) when the type has no such method.
absl::StatusOr<Value> CallMethod(Interpreter& interp, const Value& self, absl::string_view name,
                                 CallArgs& args, bool* found);
/// True if `self` has a method `name`.
bool HasMethod(const Value& self, absl::string_view name);
/// Method names of the type of `self` (for did-you-mean).
std::vector<std::string> MethodNames(const Value& self);

// ---- operators (builtins.cc) ----

absl::StatusOr<Value> BinaryOp(BinOp op, const Value& a, const Value& b);
absl::StatusOr<Value> UnaryOperation(UnaryOp op, const Value& a);
/// Python ordering: -1, 0 or 1; error for unorderable types (`op` names the
/// operator for the message, e.g. "<").
absl::StatusOr<int> Compare(const Value& a, const Value& b, absl::string_view op);
absl::StatusOr<bool> Contains(const Value& container, const Value& item);
absl::StatusOr<Value> Subscript(const Value& obj, const Value& index);
absl::StatusOr<Value> Slice(const Value& obj, const Value& lower, const Value& upper,
                            const Value& step);
/// The items iteration yields (list/tuple/set items, dict keys, str chars).
absl::StatusOr<std::vector<Value>> Iterate(const Value& v);
/// Python len().
absl::StatusOr<int64_t> Length(const Value& v);
/// Errors if a result of `n` bytes/items would be too large.
absl::Status CheckSize(int64_t n);
/// Splits UTF-8 into code points (invalid bytes count as one each).
std::vector<absl::string_view> CodePoints(absl::string_view s);
/// Number of code points.
int64_t CodePointCount(absl::string_view s);

// ---- format.cc ----

/// format(value, spec): Python's format-spec mini-language for str, int,
/// float and bool ("" spec means str()).
absl::StatusOr<std::string> FormatWithSpec(const Value& v, absl::string_view spec);
/// `fmt % args` for str.
absl::StatusOr<std::string> PercentFormat(absl::string_view fmt, const Value& args);
/// str.format(*args, **kwargs).
absl::StatusOr<std::string> StrFormat(absl::string_view fmt, const CallArgs& args);

}  // namespace braid::build_file::internal

#endif  // BRAID_CORE_BUILD_FILE_INTERPRETER_H_
