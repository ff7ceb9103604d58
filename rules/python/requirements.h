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

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_REQUIREMENTS_H_
