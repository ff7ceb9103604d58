// Resolving every registered option from argv, the environment and config files.
//
// Usage (main.cc):
//   OptionRegistry reg;
//   RETURN_IF_ERROR(RegisterGlobalOptions(reg));
//   ... rules/ register goals and subsystems ...
//   OptionsInput in;
//   in.args = {argv + 1, argv + argc};
//   in.env = EnvironmentFromEnviron(environ);
//   in.buildroot = "/abs/repo";            // the directory holding pants.toml
//   in.read_file = ReadFileFromDisk;
//   in.path_exists = [&](absl::string_view p) { return Exists(in.buildroot + "/" + p); };
//   absl::StatusOr<Options> opts = ParseOptions(reg, in);
//   if (!opts.ok()) { print(opts.status().message()); return 2; }  // user error
//   for (const std::string& w : opts->warnings()) print("warning: " + w);
//   if (opts->command().builtin_goal) ... render help (help.h) / version ...
//   std::string level = opts->GetString("GLOBAL", "level");
//
// Two-phase start (like Pants' bootstrap options): which backends load depends
// on [GLOBAL].backend_packages, so main may first call ParseOptions with
// `bootstrap_only = true` on a registry holding only GLOBAL options (unknown
// sections, options and flags are then silently skipped), register the
// backends' scopes, and call ParseOptions again for the real run.
//
// Precedence (Pants 2.x): default < config files (in order, later wins) <
// environment < flags. Scalars take the highest-ranked value. Lists and dicts
// accumulate: each source's edits (replace / +add / -remove, "+{merge}") are
// applied on top of the lower-ranked result, in rank order. [DEFAULT] in a
// config file is a fallback for any scope that registered that option name
// and applies just below that file's own section value.
//
// Config files: `<buildroot>/pants.toml` (skipped if missing) unless
// [GLOBAL].pants_config_files is given by flag or env (`--pants-config-files=
// "['a.toml','b.toml']"` or `+[...]` to add; explicit files must exist); then,
// if [GLOBAL].pantsrc is true, each existing file of [GLOBAL].pantsrc_files
// (`~` expanded, relative paths under the build root).
//
// Which sections/options of a config file are errors, warnings or ignored is
// described in docs/options.md ("Unknown sections and options").
#ifndef BRAID_CORE_OPTIONS_OPTIONS_H_
#define BRAID_CORE_OPTIONS_OPTIONS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/options/command_line.h"
#include "core/options/option_registry.h"
#include "core/options/option_value.h"

namespace braid::options {

/// Reads the file at an absolute path; kNotFound if it does not exist.
using ReadFileFn = std::function<absl::StatusOr<std::string>(const std::string& abs_path)>;

/// The real ReadFileFn.
absl::StatusOr<std::string> ReadFileFromDisk(const std::string& abs_path);

/// `environ`-style "K=V" strings to a map (entries without '=' are skipped).
std::map<std::string, std::string> EnvironmentFromEnviron(char** environ_ptr);

struct OptionsInput {
  std::vector<std::string> args;          // argv without argv[0]
  std::map<std::string, std::string> env;  // the whole environment
  std::string buildroot;                  // absolute, no trailing '/'
  /// For %(homedir)s and `~` in pantsrc_files; "" means env HOME.
  std::string homedir;
  ReadFileFn read_file;      // required
  PathExistsFn path_exists;  // relative to buildroot; may be null
  bool bootstrap_only = false;  // see above
};

/// One option's final value.
struct ResolvedOption {
  const OptionInfo* info = nullptr;
  OptionValue value;
  /// Every source that set or edited the value, lowest rank first; the first
  /// entry is always the default. source() is the one that decided it.
  std::vector<ValueSource> sources;

  const ValueSource& source() const { return sources.back(); }
};

class Options {
 public:
  const CommandLine& command() const { return command_; }
  /// Warnings to show the user (sections / options braid ignores, other than those of
  /// ignored_pants_settings()), in file order, each once.
  const std::vector<std::string>& warnings() const { return warnings_; }
  /// Pants sections and options braid knows of but does not implement, so ignores (e.g.
  /// "[mypy]", "[GLOBAL].pantsd"), in file order, each once: one warning each, e.g.
  /// "pants.toml:4: [GLOBAL].pantsd is a Pants option braid does not implement yet; it is
  /// ignored". A real pants.toml sets dozens; the console may summarise them.
  struct IgnoredSetting {
    std::string name;     // "[mypy]" or "[GLOBAL].pantsd"
    std::string warning;  // the full one-line warning, with its location
  };
  const std::vector<IgnoredSetting>& ignored_pants_settings() const { return ignored_; }
  /// The config files that were read, as displayed (relative to the build root when inside it).
  const std::vector<std::string>& config_files() const { return config_files_; }

  /// nullptr if (scope, name) is not registered.
  const ResolvedOption* Find(absl::string_view scope, absl::string_view name) const;

  // Typed getters. Asking for an unregistered option or the wrong type is a
  // braid bug: it aborts with a message naming the option (never user input).
  const OptionValue& Get(absl::string_view scope, absl::string_view name) const;
  bool GetBool(absl::string_view scope, absl::string_view name) const;
  int64_t GetInt(absl::string_view scope, absl::string_view name) const;
  std::optional<int64_t> GetOptionalInt(absl::string_view scope, absl::string_view name) const;
  double GetFloat(absl::string_view scope, absl::string_view name) const;
  /// For kString and kEnum options.
  std::string GetString(absl::string_view scope, absl::string_view name) const;
  std::optional<std::string> GetOptionalString(absl::string_view scope,
                                               absl::string_view name) const;
  std::vector<std::string> GetStringList(absl::string_view scope, absl::string_view name) const;
  const OptionValue::Dict& GetDict(absl::string_view scope, absl::string_view name) const;
  const ValueSource& SourceOf(absl::string_view scope, absl::string_view name) const;

 private:
  friend absl::StatusOr<Options> ParseOptions(const OptionRegistry&, const OptionsInput&);
  const ResolvedOption& Require(absl::string_view scope, absl::string_view name,
                                const char* getter) const;

  CommandLine command_;
  std::vector<std::string> warnings_;
  std::vector<IgnoredSetting> ignored_;
  std::vector<std::string> config_files_;
  std::map<std::string, std::map<std::string, ResolvedOption>, std::less<>> values_;
};

/// Splits the command line and resolves every registered option.
/// Errors (kInvalidArgument, message ready to print):
///   unknown flag        "unknown flag --test-forse (did you mean --test-force?)"
///   bad flag value      "invalid value for --level: expected one of trace, debug,
///                        info, warn, error; got 'loud'"
///   bad env value       "invalid value for PANTS_LEVEL (environment variable): ..."
///   unknown goal        "unknown goal 'tset' (did you mean 'test'?)" (not with help)
///   config file errors  located at file:line, see config_file.h and docs/options.md
/// kFailedPrecondition: an explicitly named config file cannot be read.
absl::StatusOr<Options> ParseOptions(const OptionRegistry& registry, const OptionsInput& input);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_OPTIONS_H_
