// Splitting `braid [global flags] GOAL... [goal flags] [SPECS...] [-- PASSTHROUGH]`.
//
// Pants 2.x rules (src/rust/engine/options/src/arg_splitter.rs), followed exactly:
//   - A word equal to a registered goal scope name is a goal (order kept);
//     it becomes the context for following scope-less flags, so
//     `braid test --force` sets [test].force.
//   - `help`, `help-advanced`, `help-all`, `-h`, `--help`, `--help-advanced`,
//     `--help-all`, `-v`, `-V`, `--version`, `version` are builtin goals; they
//     are reported in `builtin_goal` (the first one wins, later ones that are
//     also builtins are kept as goals) so the caller can render help.
//   - `--` ends option parsing; everything after it is passthrough.
//   - `--name` / `--name=value` is a flag. Values are attached with `=` ONLY:
//     `--level debug` makes `debug` a goal or spec, as in Pants.
//   - `-l<level>` / `-l=<level>` are the only single-dash flags (plus -h/-v/-V);
//     a `-l...` word with spec characters (`-lib/x::`) is a negative spec.
//   - Any other word starting with `-` is a (negative) spec, e.g. `-src/x::`.
//   - A word containing one of `/ \ . : * #`, or naming an existing path under
//     the build root, is a spec; a spec resets the flag context to GLOBAL.
//   - Any other word is an unknown goal (reported, with did-you-mean, by
//     ParseOptions unless a help goal was requested).
// Flags are matched to options later, in options.h, so that an unknown flag
// error can name the closest registered flag.
#ifndef BRAID_CORE_OPTIONS_COMMAND_LINE_H_
#define BRAID_CORE_OPTIONS_COMMAND_LINE_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace braid::options {

class OptionRegistry;

/// One flag as typed, with the goal it followed.
struct CommandLineFlag {
  std::string context;  // "" (global position) or the goal scope it followed
  std::string key;      // "--test-force", "--no-colors", "-l"
  std::optional<std::string> value;  // text after '=' (or after "-l"); nullopt if none
  /// The argument as typed, for error messages ("--level=loud").
  std::string arg;
};

struct CommandLine {
  /// "help", "help-advanced", "help-all" or "version" if one was requested
  /// (`-h`/`--help` -> "help", `-v`/`-V`/`--version` -> "version").
  std::optional<std::string> builtin_goal;
  std::vector<std::string> goals;          // registered goal names, in order
  std::vector<std::string> unknown_goals;  // words that look like goals but are not
  std::vector<std::string> specs;          // in order, e.g. "src/app::", "-src/x::"
  std::vector<CommandLineFlag> flags;      // in order
  /// Arguments after `--`; has_passthrough tells `--` apart from nothing.
  std::vector<std::string> passthrough;
  bool has_passthrough = false;
};

/// Returns true if `relpath` exists under the build root (a file or directory).
using PathExistsFn = std::function<bool(absl::string_view relpath)>;

/// Splits `args` (argv without argv[0]). Never fails: unknown flags and goals
/// are diagnosed by ParseOptions, which knows every registered option.
/// `path_exists` may be null (then only the spec characters decide).
CommandLine SplitCommandLine(const std::vector<std::string>& args, const OptionRegistry& registry,
                             const PathExistsFn& path_exists);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_COMMAND_LINE_H_
