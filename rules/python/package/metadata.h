// The core metadata of a distribution (PKG-INFO / .dist-info/METADATA,
// https://packaging.python.org/specifications/core-metadata/) and its entry
// points, as a plain struct built first and rendered last, so that a hook
// (e.g. a plugin computing the version) can edit it in between.
//
// python_artifact(...) keywords map to fields as setuptools' setup() maps
// them:
//   name -> Name (PEP 508 name)        version -> Version (PEP 440, normalised)
//   description -> Summary (one line)  long_description -> body
//   long_description_content_type -> Description-Content-Type
//   url -> Home-page                   download_url -> Download-URL
//   author, author_email, maintainer, maintainer_email -> Author, Author-email, ...
//   license -> License                 keywords (str or list) -> Keywords (comma-joined)
//   classifiers -> Classifier*         platforms -> Platform*
//   project_urls {label: url} -> Project-URL* "label, url"
//   python_requires -> Requires-Python install_requires -> Requires-Dist*
//   extras_require {extra: [req]} -> Provides-Extra* and Requires-Dist* `; extra == "x"`
//   entry_points {group: {name: value} | ["name = value"]} -> entry_points.txt
// Accepted without effect on the native build (setuptools build options):
//   zip_safe, include_package_data, license_files, license_file, setup_requires,
//   tests_require, test_suite, options, obsoletes, provides, requires.
// Computed by braid from the dependency closure, so an error here (use
// generate_setup=False for full control): packages, package_dir, py_modules,
// package_data, namespace_packages, data_files, scripts, ext_modules, cmdclass.
// Any other keyword is an error with a did-you-mean hint.
//
// Rendering (Metadata-Version 2.1): headers in the order Metadata-Version,
// Name, Version, Summary, Home-page, Download-URL, Author, Author-email,
// Maintainer, Maintainer-email, License, Project-URL, Keywords, Platform,
// Classifier, Requires-Python, Description-Content-Type, Requires-Dist, then
// each extra's Provides-Extra and Requires-Dist; empty fields are left out;
// a multi-line License is folded with 8 spaces (as setuptools does); the
// description is the message body after a blank line.
#ifndef BRAID_RULES_PYTHON_PACKAGE_METADATA_H_
#define BRAID_RULES_PYTHON_PACKAGE_METADATA_H_

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/base/error.h"
#include "core/build_file/value.h"

namespace braid::python::package {

/// Core metadata plus entry points of one distribution. Invariants after
/// MetadataFromArtifact: `name` is a valid PEP 508 name, `version` is PEP 440
/// normalised, `summary` has no newline, requirement strings parse as PEP 508.
struct DistributionMetadata {
  std::string name;     // as written by the user (file names use FileNameComponent)
  std::string version;  // normalised
  std::string summary;
  std::string description;               // the long description (body)
  std::string description_content_type;  // e.g. "text/markdown"
  std::string home_page;
  std::string download_url;
  std::string author;
  std::string author_email;
  std::string maintainer;
  std::string maintainer_email;
  std::string license;
  std::string keywords;  // comma-separated
  std::vector<std::string> classifiers;
  std::vector<std::string> platforms;
  std::vector<std::pair<std::string, std::string>> project_urls;  // (label, url) in given order
  std::string requires_python;
  /// Unconditional requirements, in order, de-duplicated.
  std::vector<std::string> requires_dist;
  /// Optional requirements by extra name, in given order.
  std::vector<std::pair<std::string, std::vector<std::string>>> extras;
  /// group -> name -> "module:attr"; sorted for deterministic output.
  std::map<std::string, std::map<std::string, std::string>> entry_points;
};

/// Builds metadata from the `provides=python_artifact(...)` object. Errors
/// are user errors located at `where` (the `provides` field). With
/// `version_required` false a missing `version` leaves `version` empty (a
/// metadata hook, e.g. braid.plugins.setupgen, may provide it; the package
/// goal checks afterwards).
absl::StatusOr<DistributionMetadata> MetadataFromArtifact(const build_file::HostObject& artifact,
                                                          const Location& where,
                                                          bool version_required = true);

/// Merges an entry-points value ({group: {name: value}} or {group: ["name = value"]})
/// into `m`; a name given twice in a group with different values is an error.
absl::Status AddEntryPoints(const build_file::Value& value, const Location& where,
                            DistributionMetadata& m);

/// Adds `requirement` to requires_dist unless an equal string is there.
void AddRequirement(DistributionMetadata& m, const std::string& requirement);

/// A PEP 508 requirement written the way `packaging` prints it: name as
/// written, extras sorted, specifiers sorted and comma-joined, "; marker".
absl::StatusOr<std::string> NormalizeRequirement(absl::string_view text);

/// The METADATA / PKG-INFO text.
/// The core-metadata header fields of `m`, in the order METADATA lists them
/// (empty values left out; extras' requirements carry their `extra == "x"`
/// marker). The description body is not among them.
std::vector<std::pair<std::string, std::string>> MetadataFields(const DistributionMetadata& m);

std::string RenderCoreMetadata(const DistributionMetadata& m);

/// The entry_points.txt text (INI), "" when there are no entry points.
std::string RenderEntryPoints(const DistributionMetadata& m);

/// Requires-Python from interpreter constraints such as "CPython>=3.9":
/// the interpreter name is dropped; several (OR'ed) constraints give their
/// common specifier when all agree, else "" (no Requires-Python).
std::string RequiresPythonFromConstraints(const std::vector<std::string>& constraints);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_METADATA_H_
