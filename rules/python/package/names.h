// Distribution names and versions as packaging standards spell them.
//
//   PEP 508 name   ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$, case-insensitive
//   PEP 503        canonical form: lower case, runs of - _ . become '-'
//   PEP 427/625    file-name form: the canonical form with '-' -> '_'
//                  ("Acme.Agent" -> "acme_agent"), used in wheel, sdist and
//                  .dist-info names
//   PEP 440        versions, normalised as `packaging.version.Version` prints
//                  them: "v1.0-Alpha.1" -> "1.0a1", "1.0-r2" -> "1.0.post2",
//                  "01.02" -> "1.2", local "+Ubuntu_1" -> "+ubuntu.1"
#ifndef BRAID_RULES_PYTHON_PACKAGE_NAMES_H_
#define BRAID_RULES_PYTHON_PACKAGE_NAMES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid::python::package {

/// True for a valid PEP 508 project name.
bool IsValidProjectName(absl::string_view name);

/// PEP 503 canonical name.
std::string CanonicalName(absl::string_view name);

/// The name as it appears in wheel/sdist file names and .dist-info directories.
std::string FileNameComponent(absl::string_view name);

/// The PEP 440 normal form of `version`, or kInvalidArgument
/// "invalid version '1.0-foo' (not PEP 440)" without a location.
absl::StatusOr<std::string> NormalizeVersion(absl::string_view version);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_NAMES_H_
