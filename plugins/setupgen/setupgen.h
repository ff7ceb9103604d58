// braid.plugins.setupgen: single-sourced distribution metadata, as a
// "distribution_metadata" rule for every python_distribution.
//
// What it owns (a BUILD file setting one of these in python_artifact(...) is
// an error naming the key and the option that provides it):
//   version                      the VERSION file: `<dist dir>/VERSION` if it
//                                exists, else [setupgen].version_file (build
//                                root relative), whitespace stripped
//   long_description(+_content_type)
//                                README.md (text/markdown), README.rst
//                                (text/x-rst) or README (text/plain) of the
//                                distribution's directory, first found
//   author, author_email, url    [setupgen].author / author_email / home_page
//   python_requires              from interpreter_constraints (the field, else
//                                [python].interpreter_constraints)
//   classifiers "Development Status ..." and "Programming Language :: Python ..."
// and adds the License classifier for the distribution's own `license`
// (SPDX id) and [setupgen].project_urls as Project-URL entries.
#ifndef BRAID_PLUGINS_SETUPGEN_SETUPGEN_H_
#define BRAID_PLUGINS_SETUPGEN_SETUPGEN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "plugins/api/plugin.h"

namespace braid::plugin::setupgen {

/// "Development Status :: ..." for a PEP 440 version: devN -> 2 - Pre-Alpha,
/// aN -> 3 - Alpha, bN/rcN -> 4 - Beta, final (and post releases) ->
/// 5 - Production/Stable. A dev release of anything is Pre-Alpha.
std::string DevelopmentStatus(absl::string_view version);

/// Requires-Python and the "Programming Language :: Python :: 3.x"
/// classifiers for one interpreter constraint, e.g. "CPython==3.13.7" ->
/// {">=3.13,<3.14", {"... :: 3", "... :: 3.13"}}; "CPython>=3.9,<3.12" ->
/// {">=3.9,<3.12", {3, 3.9, 3.10, 3.11}}; "CPython>=3.9" -> {">=3.9", {3}}.
struct PythonRequirement {
  std::string requires_python;
  std::vector<std::string> classifiers;
};
absl::StatusOr<PythonRequirement> RequiresPython(const std::vector<std::string>& constraints);

/// The License classifier of an SPDX id ("MIT" -> "License :: OSI Approved ::
/// MIT License"), or "" when braid has none for it.
std::string LicenseClassifier(absl::string_view spdx);

/// The rule (exposed for tests).
absl::StatusOr<pb::DistributionMetadataResponse> AdjustMetadata(
    const pb::DistributionMetadataRequest& request, const RuleOptions& options);

}  // namespace braid::plugin::setupgen

#endif  // BRAID_PLUGINS_SETUPGEN_SETUPGEN_H_
