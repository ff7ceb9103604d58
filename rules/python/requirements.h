// Python requirement strings (PEP 508) and the files that list them, read the
// way Pants 2.x reads them for `python_requirements` target generators.
//
// requirements.txt (pip format), as Pants' `parse_requirements_file` does it:
//   - each physical line is read on its own; everything from the first "--"
//     on is dropped (so `foo==1 --hash=sha256:...` is `foo==1`), then a
//     trailing "\" is dropped. Continuation lines are therefore NOT joined:
//     the "    --hash=..." lines that follow a "\" become empty and vanish.
//   - blank lines, comment lines ("#...") and option lines ("-r x.txt",
//     "-e .", "-i URL", "--index-url URL", ...) are skipped: Pants does not
//     follow `-r` includes (users add another python_requirements instead).
//   - a "#" comment after a requirement is removed.
//   - every other line must be a PEP 508 requirement, else a located error:
//       3rdparty/requirements.txt:4: invalid requirement 'foo==='
//         foo===
//       hint: expected a version after '==='
//
// pyproject.toml (PEP 621): `[project] dependencies` then each group of
// `[project.optional-dependencies]` (in file order); a requirement from a
// group remembers the group name, which Pants adds as a tag.
//
// Usage:
//   absl::StatusOr<std::vector<ParsedRequirement>> reqs =
//       ParseRequirementsTxt(contents, "3rdparty/requirements.txt");
//   for (const ParsedRequirement& r : *reqs) Use(r.requirement.name, r.requirement.text);
#ifndef BRAID_RULES_PYTHON_REQUIREMENTS_H_
#define BRAID_RULES_PYTHON_REQUIREMENTS_H_

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::python {

/// One version clause of a requirement, e.g. {">=", "1.2"} or {"==", "3.*"}.
struct VersionSpecifier {
  std::string op;       // one of ~= == != <= >= < > ===
  std::string version;  // as written, without surrounding whitespace
};

/// A parsed PEP 508 requirement. Invariant: `name` is non-empty and valid;
/// at most one of `url` / `specifiers` is set.
struct Requirement {
  std::string text;                 // the requirement as written (trimmed, comment removed)
  std::string name;                 // the project name as written, e.g. "PyYAML"
  std::vector<std::string> extras;  // as written, in order
  std::vector<VersionSpecifier> specifiers;
  std::string url;     // for `name @ URL` requirements
  std::string marker;  // the environment marker after ';', trimmed; "" if none
};

/// Parses one PEP 508 requirement string. On error returns kInvalidArgument
/// whose message says what is wrong without a location, e.g.
/// "expected a version after '=='".
absl::StatusOr<Requirement> ParseRequirement(absl::string_view text);

/// pkg_resources' `safe_name`: runs of characters other than ASCII letters,
/// digits and '.' become '-'; case is kept. Pants names the target generated
/// for a requirement with this (`reqs#PyYAML`, `reqs#zope-interface`).
std::string SafeProjectName(absl::string_view name);

/// PEP 503 normalisation: lower case, runs of '-', '_' and '.' become '-'.
/// Keys of module_mapping / overrides are compared in this form.
std::string CanonicalProjectName(absl::string_view name);

/// A requirement read from a file, with where it came from.
struct ParsedRequirement {
  Requirement requirement;
  int line = 0;  // 1-based line in the file; 0 when unknown (pyproject.toml)
  /// pyproject.toml only: the [project.optional-dependencies] group.
  std::optional<std::string> optional_group;
};

/// Parses a pip-style requirements file (see the top of this file). `path`
/// (root-relative) is used in error locations.
absl::StatusOr<std::vector<ParsedRequirement>> ParseRequirementsTxt(absl::string_view contents,
                                                                    absl::string_view path);

/// Parses the PEP 621 dependencies of a pyproject.toml. Errors: TOML syntax
/// ("path:LINE:COL: ..."), non-string entries, invalid requirements, and a
/// file with neither `project.dependencies` nor `project.optional-dependencies`
/// (as in Pants).
absl::StatusOr<std::vector<ParsedRequirement>> ParsePyprojectRequirements(
    absl::string_view contents, absl::string_view path);

/// True when `source` names a file read with ParsePyprojectRequirements
/// (Pants decides by the file name ending in "pyproject.toml").
bool IsPyprojectSource(absl::string_view source);

// ---------------------------------------------------------------------------
// Poetry (`poetry_requirements`), as Pants' poetry_requirements.py reads it.
//
// Entries come from [tool.poetry.dependencies] (minus `python`), then
// [tool.poetry.dev-dependencies], then each [tool.poetry.group.<g>.dependencies]
// in file order, merged like Python's `{**deps, **dev, **groups}`: a project
// named again keeps its first position and takes the later value. A value is
// a constraint string, a table (version / extras / markers / python / git +
// branch|tag|rev / url / path), or a list of tables (one requirement each).
// The requirement text is Pants' conversion, e.g. `foo = "^1.2"` becomes
// "foo >=1.2,<2.0.0" and `{version="1.0", python="^3.6"}` becomes
// "foo ==1.0 ;(python_version >= '3.6' and python_version< '4.0')".
// A `path` inside the build root that is a directory is first-party code and
// yields nothing (as in Pants).
// ---------------------------------------------------------------------------

/// Pants' `parse_str_version`: converts a Poetry constraint ("^1.2", "~1.2",
/// "1.2.*", "*", "1.2.3", ">=1,<2", comma-separated) into
/// "<name><extras> <PEP 440 specifiers>" (trailing space removed). Errors carry
/// no location: "'~r62b' is not a valid PEP 440 version".
absl::StatusOr<std::string> PoetryConstraintToPep508(absl::string_view name,
                                                     absl::string_view extras,
                                                     absl::string_view constraint);

/// Pants' `parse_python_constraint`: a Poetry `python` constraint ("^3.6",
/// "3.6 || 3.7", ">3.6,!=3.7") as a `python_version` marker expression.
absl::StatusOr<std::string> PoetryPythonConstraintToMarker(absl::string_view constraint);

/// Answers whether a root-relative path is a regular file (Poetry `path` deps).
using IsFileFn = std::function<bool(const std::string& path)>;

/// Parses the Poetry dependencies of the pyproject.toml at root-relative `path`.
/// Errors are located in the file: TOML syntax, no [tool.poetry] table, a value
/// of the wrong type, a table with none of version/url/path/git, an invalid
/// version, and `path` deps that need the absolute build root (files, or
/// directories outside the repository), which braid does not support yet.
absl::StatusOr<std::vector<ParsedRequirement>> ParsePoetryRequirements(
    absl::string_view contents, absl::string_view path, const IsFileFn& is_file);

// ---------------------------------------------------------------------------
// Pipenv (`pipenv_requirements`), as Pants' pipenv_requirements.py reads it:
// the JSON objects "default" then "develop" of a Pipfile.lock, merged like
// `{**default, **develop}`; each entry becomes
//   name + "[e1,e2]" (extras) + version (e.g. "==1.2.3") + ";" + markers.
// Entries without "version" (git, file, editable) become the bare name, as in
// Pants; their "git"/"ref"/"file" keys are ignored.
// ---------------------------------------------------------------------------

/// Parses a Pipfile.lock at root-relative `path`. Errors are located in the
/// file (JSON syntax, wrong types, invalid requirements).
absl::StatusOr<std::vector<ParsedRequirement>> ParsePipfileLock(absl::string_view contents,
                                                                absl::string_view path);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_REQUIREMENTS_H_
