// Finding the Python interpreter to run tests with, as Pants does:
// `[python-bootstrap] search_path` (with `<PATH>` and `<PYENV>` expanded) and
// `names` give candidate executables; `[python] interpreter_constraints`
// (e.g. ["CPython>=3.9,<4"], OR-ed) filter them; among the matches the oldest
// version wins (pex's default selection strategy), ties by search order.
//
// An interpreter's identity (path, version, and a digest of its installed
// distributions) is part of every test action's cache key. Probing costs a
// Python start-up (~50-100 ms), so results are cached in a small file keyed by
// the executable's and its site directories' (size, mtime): installing or
// removing a package changes a site directory's mtime and forces a re-probe.
//
//   absl::StatusOr<InterpreterInfo> py = SelectInterpreter(request);
#ifndef BRAID_RULES_PYTHON_INTERPRETER_H_
#define BRAID_RULES_PYTHON_INTERPRETER_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::python {

/// One PEP 440-style clause on the Python version: op in ==, !=, <, <=, >, >=, ~=;
/// `version` may end in ".*" with == and !=.
struct VersionClause {
  std::string op;
  std::string version;
};

/// "CPython>=3.9,<4" → implementation "CPython", two clauses. A bare ">=3.9"
/// accepts any implementation.
struct InterpreterConstraint {
  std::string implementation;
  std::vector<VersionClause> clauses;
};

/// Parses one constraint string. Errors are user errors without a location.
absl::StatusOr<InterpreterConstraint> ParseInterpreterConstraint(absl::string_view text);

struct InterpreterInfo {
  std::string path;            // absolute
  std::string implementation;  // "CPython", "PyPy"
  int major = 0, minor = 0, micro = 0;
  /// SHA-256 (hex) of the sorted "name==version" lines of every installed
  /// distribution the interpreter sees.
  std::string packages_digest;
  /// Existing sys.path directories (site-packages and friends), for the cache.
  std::vector<std::string> site_dirs;
  /// `import pytest` would succeed (tests need it until resolves exist).
  bool has_pytest = false;

  std::string Version() const;  // "3.11.2"
};

/// True when `info` satisfies clause-wise `c`.
bool Satisfies(const InterpreterInfo& info, const InterpreterConstraint& c);
/// True when `info` satisfies any of `constraints` (an empty list accepts all).
bool SatisfiesAny(const InterpreterInfo& info, const std::vector<InterpreterConstraint>& constraints);

/// Expands `<PATH>` (env PATH), `<PYENV>` ($PYENV_ROOT or ~/.pyenv, every
/// versions/*/bin) and `~`; other entries are directories taken literally. When `<PYENV>` is
/// in `search_path`, `<PATH>` leaves out pyenv's shim directories (`<root>/shims`,
/// `<root>/plugins/*/shims`): a shim only runs an interpreter that is a candidate anyway.
std::vector<std::string> ExpandSearchPath(const std::vector<std::string>& search_path,
                                          const std::map<std::string, std::string>& env);

struct InterpreterRequest {
  std::vector<std::string> search_path = {"<PYENV>", "<PATH>"};
  std::vector<std::string> names = {"python", "python3"};
  std::vector<std::string> constraints = {"CPython>=3.7,<4"};
  std::map<std::string, std::string> env;
  /// Probe cache file ("" = no cache). Written atomically (temp + rename).
  std::string cache_file;
  /// Only interpreters that can import pytest (for `test`: until requirements
  /// are resolved into venvs, pytest comes from the interpreter's environment).
  bool require_pytest = false;
};

/// Probes one executable (no cache).
absl::StatusOr<InterpreterInfo> ProbeInterpreter(const std::string& path);

/// The interpreter to use. No candidate matching → a user error that lists
/// what was found and the constraints.
absl::StatusOr<InterpreterInfo> SelectInterpreter(const InterpreterRequest& request);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INTERPRETER_H_
