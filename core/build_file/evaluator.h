// The BUILD-file evaluator: parses and runs the Python subset used by BUILD
// files and prelude files, with no file, network or import access.
//
// The evaluator knows nothing of targets: the host (core/graph) hands in the
// native symbols (target types, env, __defaults__, python_artifact, ...) and
// records what they are called with.
//
// Usage:
//   build_file::Symbols builtins;
//   builtins["python_sources"] = Value::Native("python_sources", RecordTarget);
//   ASSIGN_OR_RETURN(Prelude prelude, EvaluatePrelude(prelude_files, builtins));
//   RETURN_IF_ERROR(EvaluateBuildFile({"src/app/BUILD", text}, builtins, &prelude));
//
// Supported: literals (adjacent string concatenation, all string prefixes,
// f-strings, tuples, sets, nested dicts/lists), names and assignments
// (including tuple unpacking and augmented assignment), calls with positional,
// keyword, *args and **kwargs, comprehensions (list/dict/set/generator),
// conditional expressions, boolean/arithmetic/comparison operators (in, not in,
// is, is not, chained), subscripts and slices, attribute access for methods of
// str/list/dict/set, `%` formatting and str.format, if/elif/else, for loops,
// def with defaults, *args, keyword-only params, **kwargs and annotations,
// return, pass, lambda, and Python builtins (len, str, int, float, bool, list,
// dict, tuple, set, sorted, reversed, enumerate, zip, range, any, all, min,
// max, sum, abs, repr, isinstance, hasattr, getattr, print).
// Rejected with a located error: import, from-import, open(), exec/eval,
// while loops without bound (while is rejected), class definitions, global.
//
// Limits, so that no input can crash or hang braid: 200 nested calls
// ("maximum recursion depth exceeded"), 50 million evaluation steps, 200
// nested parentheses, 100 indentation levels, 500-long operator chains, and
// 4,194,304 items/bytes per string or container built by an operation.
//
// Deliberate differences from Python (BUILD files do not notice them):
// ints are 64-bit (overflow is an error), b'' literals are str, generator
// expressions and range()/zip()/enumerate()/dict.items() produce lists,
// print() writes to stderr, and a function-local name read before its
// assignment falls back to the enclosing scope instead of raising
// UnboundLocalError. Prelude names starting with '_' stay private to their
// file (helpers of macros), everything else is exported to BUILD files.
//
// Errors are absl::InvalidArgumentError whose message is
// "file:line:col: message" followed by the source line and a caret (see
// core/base/error.h).
#ifndef BRAID_CORE_BUILD_FILE_EVALUATOR_H_
#define BRAID_CORE_BUILD_FILE_EVALUATOR_H_

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/build_file/value.h"

namespace braid::build_file {

/// Global names visible to BUILD code, by name. std::map for deterministic
/// iteration (help output, did-you-mean).
using Symbols = std::map<std::string, Value>;

struct SourceFile {
  std::string path;     // relative to the build root; used in error locations
  std::string content;  // raw bytes (UTF-8 expected; a BOM is skipped)
};

/// The symbols defined at module level by the prelude files
/// ([GLOBAL] build_file_prelude_globs): functions and constants, merged in
/// file order (a later file's definition of a name wins).
struct Prelude {
  Symbols symbols;
};

/// Evaluates prelude files; their functions may call `builtins`.
absl::StatusOr<Prelude> EvaluatePrelude(const std::vector<SourceFile>& files,
                                        const Symbols& builtins);

/// Evaluates one BUILD file. Names resolve in this order: the file's own
/// assignments, the prelude's symbols, `builtins`, Python builtins.
absl::Status EvaluateBuildFile(const SourceFile& file, const Symbols& builtins,
                               const Prelude* prelude);

struct Module;
/// Evaluates one BUILD file already parsed with ParseFile (so callers can
/// parse many files in parallel, then evaluate them in order).
absl::Status EvaluateParsedBuildFile(const std::shared_ptr<const Module>& module,
                                     const Symbols& builtins, const Prelude* prelude);

/// Evaluates a single expression (used by tests and by `--spec-files`-style
/// helpers); names resolve in `builtins` only.
absl::StatusOr<Value> EvaluateExpression(const SourceFile& file, const Symbols& builtins);

}  // namespace braid::build_file

#endif  // BRAID_CORE_BUILD_FILE_EVALUATOR_H_
