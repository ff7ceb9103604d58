// Pants' `shell_str` option values: each element of a list option such as `[pytest] args`
// or `[run] args` is split into words as Python's shlex.split does, so
// `args = ["-k 'not slow'", "-vv"]` means three arguments.
//
//   BRAID_ASSIGN_OR_RETURN(std::vector<std::string> args,
//                          options::GetShellStrList(opts, "pytest", "args"));
#ifndef BRAID_CORE_OPTIONS_SHELL_WORDS_H_
#define BRAID_CORE_OPTIONS_SHELL_WORDS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/options/options.h"

namespace braid::options {

/// Splits `text` into words as shlex.split does: whitespace separates, '...' is literal,
/// "..." honours the \\ and \" escapes, a backslash outside quotes escapes the next
/// character. An unclosed quote or a trailing backslash is an error without a location.
absl::StatusOr<std::vector<std::string>> SplitShellWords(absl::string_view text);

/// Every element of the string-list option (scope, name), split by SplitShellWords, in order.
/// A bad element is a user error naming the option, where it was set and the element.
absl::StatusOr<std::vector<std::string>> GetShellStrList(const Options& options,
                                                         absl::string_view scope,
                                                         absl::string_view name);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_SHELL_WORDS_H_
