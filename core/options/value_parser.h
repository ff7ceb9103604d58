// Parsing option values written as text: command-line flags, environment
// variables, and quoted strings in pants.toml (Pants' "Python literal" syntax).
//
// Grammar (Pants 2.x, src/rust/engine/options/src/parse.rs semantics):
//   bool         true | false              (case-insensitive)
//   int          [+-]digits                (`_` digit separators allowed)
//   float        [+-]digits.digits[e[+-]digits]   (an int is accepted too)
//   string list  "[...]" or "(...)"        replace, items are quoted strings
//                "+[...]", "-[...]", comma-separated: add / remove edits
//                anything else             ONE item appended as-is (so
//                                          `--tag=a,b` appends "a,b")
//   dict         "{...}"  replace;  "+{...}"  merge into the lower-ranked value
//   literal      'str' | "str" (Python escapes) | int | float | True/False |
//                None | [..] | (..) | {'key': literal, ...}
//
// Errors are plain messages without a place; the caller prefixes the flag,
// env var or file:line the text came from.
#ifndef BRAID_CORE_OPTIONS_VALUE_PARSER_H_
#define BRAID_CORE_OPTIONS_VALUE_PARSER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/options/option_value.h"

namespace braid::options {

/// One step of a list computation, applied in order on top of the value
/// from lower-ranked sources.
struct ListEdit {
  enum class Action { kReplace, kAdd, kRemove };
  Action action = Action::kReplace;
  OptionValue::List items;
};

/// A dict computation step: replace the lower-ranked value or merge into it.
struct DictEdit {
  enum class Action { kReplace, kAdd };
  Action action = Action::kReplace;
  OptionValue::Dict items;
};

/// Parses one Python literal (the whole text, surrounding spaces allowed).
absl::StatusOr<OptionValue> ParseLiteral(absl::string_view text);

/// "true"/"false" in any case.
absl::StatusOr<bool> ParseBool(absl::string_view text);
absl::StatusOr<int64_t> ParseInt(absl::string_view text);
absl::StatusOr<double> ParseFloat(absl::string_view text);

/// Parses list edits for a list of strings (see grammar above).
absl::StatusOr<std::vector<ListEdit>> ParseStringListEdits(absl::string_view text);

/// Parses "{...}" or "+{...}".
absl::StatusOr<DictEdit> ParseDictEdit(absl::string_view text);

/// Applies `edits` in order to `value` (a list). Remove deletes every equal item.
void ApplyListEdits(const std::vector<ListEdit>& edits, OptionValue::List* value);

/// Applies a dict edit (kAdd: later keys overwrite, new keys appended).
void ApplyDictEdit(const DictEdit& edit, OptionValue::Dict* value);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_VALUE_PARSER_H_
