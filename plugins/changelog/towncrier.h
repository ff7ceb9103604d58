// towncrier-compatible news fragments, without towncrier: the configuration,
// fragment names, the release section's layout, and writing it into the
// news file. Matches towncrier 22.12's default template byte for byte
// (single section, single_file = true, wrap = false).
//
// Layout of a rendered release (`content` below), with u0/u1 = underlines[0/1]:
//
//   <title>                       title_format formatted, or "[name ]version (date)"
//   <u0 * len(title)>
//   (blank)
//   <type name>                   for each type, in config order, with fragments
//   <u1 * len(type name)>
//   (blank)
//   - <text> (<issue>, <issue>)   entries sorted: by issues (numbers first as
//   ...                            numbers), then issue-less ones by text
//   (blank)
//   (blank)
//
// then trailing whitespace is trimmed to one newline. A type with showcontent
// = false lists only its issues: "- #1, #2". No fragments at all renders
// "No significant changes.".
#ifndef BRAID_PLUGINS_CHANGELOG_TOWNCRIER_H_
#define BRAID_PLUGINS_CHANGELOG_TOWNCRIER_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::plugin::changelog {

struct FragmentType {
  std::string directory;  // the type as written in file names: "feature"
  std::string name;       // the heading: "Features"
  bool showcontent = true;
};

/// [tool.towncrier], with towncrier's defaults.
struct TowncrierConfig {
  std::string config_file;  // "towncrier.toml" or "pyproject.toml" (for errors)
  /// The fragments' directory relative to the build root. Unset in the file:
  /// "<package_dir>/<package>/newsfragments".
  std::string directory;
  std::string filename = "NEWS.rst";
  std::string package;
  std::string package_dir = ".";
  std::string name;
  std::string version;
  std::string start_string = ".. towncrier release notes start\n";
  /// nullopt: the template renders "[name ]version (date)"; "" with
  /// title_format_false: no title at all.
  std::optional<std::string> title_format;
  bool title_format_false = false;
  std::optional<std::string> issue_format;
  std::vector<std::string> underlines = {"=", "-", "~"};
  std::vector<FragmentType> types;
  bool all_bullets = true;
  std::string orphan_prefix = "+";

  const FragmentType* FindType(absl::string_view directory) const;
  std::vector<std::string> TypeNames() const;
};

/// Parses the [tool.towncrier] table of `text` (a TOML file named `path`).
/// kNotFound when the file has no [tool.towncrier]; located user errors for
/// wrong value types and for what braid does not support (wrap = true,
/// single_file = false, sections, custom templates).
absl::StatusOr<TowncrierConfig> ParseTowncrierConfig(absl::string_view text,
                                                     absl::string_view path);

/// A fragment file's name parsed as towncrier does ("123.feature.md",
/// "123.feature.1.md", "+orphan.fix.md"). Orphans have ticket "".
struct FragmentName {
  std::string ticket;
  std::string type;
  int counter = 0;
};

/// nullopt when `basename` names no known type (towncrier skips such files).
std::optional<FragmentName> ParseFragmentName(absl::string_view basename,
                                              const TowncrierConfig& config);

struct Fragment {
  std::string path;  // relative to the build root
  FragmentName name;
  std::string content;
};

/// What the release is called.
struct ReleaseInfo {
  std::string name;  // config.name, else package.title(), else ""
  std::string version;
  std::string date;
};

/// The release's title line ("" when title_format = false or when the
/// template renders the title itself).
std::string TopLine(const TowncrierConfig& config, const ReleaseInfo& release);

/// The rendered release: what `towncrier build --draft` prints (minus its
/// final extra newline) and what is inserted into the news file. Fragments
/// may come in any order. Errors: two fragments with the same (ticket, type,
/// counter).
absl::StatusOr<std::string> RenderRelease(const TowncrierConfig& config,
                                          const ReleaseInfo& release,
                                          std::vector<Fragment> fragments);

/// The news file after inserting `content` after the start marker (or at the
/// top without one), as towncrier writes it. `existing` is nullopt for a
/// missing file. Error if `top_line` is already in the file's body.
absl::StatusOr<std::string> InsertRelease(const TowncrierConfig& config,
                                          const std::optional<std::string>& existing,
                                          absl::string_view top_line, absl::string_view content);

/// The section of `version` in a news file: from its title line to the line
/// before the next release's title, trailing blank lines dropped, ending in
/// one newline. nullopt when no title names the version.
std::optional<std::string> ExtractRelease(const TowncrierConfig& config,
                                          absl::string_view news, absl::string_view version);

/// Python's str.title() for ASCII package names ("my_pkg" -> "My_Pkg").
std::string PythonTitle(absl::string_view s);

}  // namespace braid::plugin::changelog

#endif  // BRAID_PLUGINS_CHANGELOG_TOWNCRIER_H_
