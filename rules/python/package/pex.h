// PEX-shaped executables for pex_binary: a zip that `python3 app.pex` runs.
//
// Layout (a subset of the PEX format: https://github.com/pex-tool/pex):
//   "#!<shebang>\n"      before the zip (offsets include it)
//   __main__.py          bootstrap: imports the entry point from the zip and
//                        calls it (`mod:func`), or runs the module as
//                        __main__ (`mod`); exits with its return value
//   PEX-INFO             JSON, keys sorted: build_by, entry_point,
//                        inherit_path ("fallback"), interpreter_constraints,
//                        requirements, zip_safe
//   <first-party files>  relative to their source roots; a package directory
//                        without __init__.py gets kNamespaceInit (zipimport
//                        cannot import PEP 420 namespace packages)
// Third-party requirements are not bundled (there is no package index to
// resolve them from): they are listed in PEX-INFO and come from the running
// interpreter's site-packages, as with inherit_path="fallback".
#ifndef BRAID_RULES_PYTHON_PACKAGE_PEX_H_
#define BRAID_RULES_PYTHON_PACKAGE_PEX_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rules/python/package/archive.h"

namespace braid::python::package {

/// The __init__.py added for namespace package directories (pkgutil style).
extern const char kNamespaceInit[];

struct PexOptions {
  /// "package.module:function" or "package.module"; must not be empty.
  std::string entry_point;
  std::string shebang = "/usr/bin/env python3";
  std::vector<std::string> requirements;
  std::vector<std::string> interpreter_constraints;
  int64_t time = kDefaultArchiveTime;
};

/// The __main__.py bootstrap for `entry_point`.
std::string RenderPexMain(const std::string& entry_point);

/// The PEX-INFO JSON text.
std::string RenderPexInfo(const PexOptions& options);

/// The PEX bytes. A file named __main__.py or PEX-INFO at the top is an error.
absl::StatusOr<std::string> BuildPex(std::vector<ArchiveEntry> files, const PexOptions& options);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_PEX_H_
