// The parser for BUILD / prelude files: tokens (lexer.h) to a syntax tree
// (ast.h).
//
// Recursive descent over Python's grammar, restricted to what BUILD files
// may use (see evaluator.h). Constructs BUILD files must not use (import,
// class, while, global, try, with, ...) are rejected here with a located
// error naming the construct rather than a bare "invalid syntax".
//
// Nesting is bounded (parentheses, blocks, operator chains) so that no input
// can exhaust the stack of the parser or of the evaluator that walks the tree.
//
// Usage:
//   absl::StatusOr<std::shared_ptr<const Module>> m = ParseFile("src/BUILD", text);
#ifndef BRAID_CORE_BUILD_FILE_PARSER_H_
#define BRAID_CORE_BUILD_FILE_PARSER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "core/build_file/ast.h"

namespace braid::build_file {

/// Parses a whole file. Errors: "path:line:col: message" + source line + caret.
absl::StatusOr<std::shared_ptr<const Module>> ParseFile(std::string path, std::string source);

/// Parses `source` as a single expression; the result's body is one kExpr
/// statement.
absl::StatusOr<std::shared_ptr<const Module>> ParseExpression(std::string path,
                                                              std::string source);

}  // namespace braid::build_file

#endif  // BRAID_CORE_BUILD_FILE_PARSER_H_
