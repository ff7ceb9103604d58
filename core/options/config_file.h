// One pants.toml-format config file, parsed and interpolated but not yet
// checked against the registry (options.h does that, with these locations).
//
// Format (Pants 2.x):
//   [GLOBAL]                      a section per scope; [DEFAULT] holds fallbacks
//   pants_version = "2.21.0"
//   [python.resolves]             a sub-table is the dict option `resolves` of [python]
//   python-default = "3rdparty/python/default.lock"
//   [source]
//   root_patterns.add = ["/src"]  `opt.add` / `opt.remove`: list edits
//   [test]
//   extra_env_vars = "+['A']"     a string holds Pants' text syntax (value_parser.h)
//
// Interpolation: every string (also inside lists and tables) has `%(name)s`
// replaced, repeatedly, from: the seed values (buildroot, homedir, user,
// pants_workdir, pants_distdir), `env.NAME` for each environment variable,
// then the string-valued keys of [DEFAULT], then those of the same section
// (later wins). An unknown name is a located error:
//   pants.toml:7: cannot interpolate '%(env.PY_REPO)s' in [python-repos] indexes: environment variable PY_REPO is not set
//       indexes.add = ["http://%(env.PY_REPO)s@my.custom.repo/index"]
#ifndef BRAID_CORE_OPTIONS_CONFIG_FILE_H_
#define BRAID_CORE_OPTIONS_CONFIG_FILE_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/error.h"
#include "core/options/option_value.h"

namespace braid::options {

/// One `key = value` (or `[section.key]` sub-table) of a section.
struct ConfigEntry {
  std::string key;    // as written, e.g. "timeout_default", "resolves"
  OptionValue value;  // TOML converted (tables -> dicts, datetimes -> strings), interpolated
  /// True if the TOML value was a table (inline, dotted `opt.add = ..`, or `[s.opt]`).
  bool is_table = false;
  Location location;  // file:line of the value, with its source line
};

struct ConfigSection {
  std::string name;  // "GLOBAL", "test", "DEFAULT"
  Location location;  // the `[name]` header (line 0 if the section has no header line)
  std::vector<ConfigEntry> entries;  // in file order (sorted by line)

  const ConfigEntry* Find(absl::string_view key) const;
};

struct ConfigFile {
  std::string path;  // as shown in messages (relative to the build root when inside it)
  std::vector<ConfigSection> sections;  // in file order

  const ConfigSection* Find(absl::string_view name) const;
};

/// Parses `text`. `display_path` is used in every message; `seeds` are the
/// interpolation seed values (see above) and `env` the environment.
/// Errors (kInvalidArgument): TOML syntax ("pants.toml:LINE:COL: <toml++ message>"
/// + source line + caret), a non-table top-level key, a failed interpolation.
absl::StatusOr<ConfigFile> ParseConfigFile(absl::string_view display_path, absl::string_view text,
                                           const std::map<std::string, std::string>& seeds,
                                           const std::map<std::string, std::string>& env);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_CONFIG_FILE_H_
