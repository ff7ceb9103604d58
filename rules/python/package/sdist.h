// Source distributions (PEP 517 / PEP 625) written natively.
//
// Layout of `{name}-{version}.tar.gz` ({name} = FileNameComponent), every
// path under the directory `{name}-{version}/`:
//   PKG-INFO         RenderCoreMetadata (the same text as the wheel's METADATA)
//   pyproject.toml   [build-system] requires = ["setuptools"],
//                    build-backend = "setuptools.build_meta"
//   setup.py         a generated setup(**{...}) with every metadata field,
//                    packages / py_modules / package_data computed from the
//                    files, so `pip install --no-build-isolation` of the sdist
//                    with any setuptools >= 40.8 builds the same wheel contents
//   <files>          the distribution's files relative to their source root
#ifndef BRAID_RULES_PYTHON_PACKAGE_SDIST_H_
#define BRAID_RULES_PYTHON_PACKAGE_SDIST_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rules/python/package/archive.h"
#include "rules/python/package/metadata.h"
#include "rules/python/package/wheel.h"

namespace braid::python::package {

/// The generated setup.py for `m` and `files` (paths relative to the source
/// root). A non-Python file at the top level (outside any package) cannot be
/// expressed as package data: kInvalidArgument naming it.
absl::StatusOr<std::string> RenderSetupPy(const DistributionMetadata& m,
                                          const std::vector<ArchiveEntry>& files,
                                          absl::string_view origin);

/// The sdist of `m` holding `files`; `origin` (the distribution's address)
/// goes into a comment of setup.py.
absl::StatusOr<BuiltFile> BuildSdist(const DistributionMetadata& m,
                                     std::vector<ArchiveEntry> files, absl::string_view origin,
                                     int64_t time);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_SDIST_H_
