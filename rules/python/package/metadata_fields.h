// DistributionMetadata <-> app::PackageMetadata: the bridge between the
// package goal's metadata struct and the "distribution metadata" extension
// point (core/app/extensions.h), where hooks see ordered PEP 566 fields.
//
// Field names and order are those RenderCoreMetadata writes (metadata.h),
// without Metadata-Version (braid always writes 2.1):
//   Name, Version, Summary, Home-page, Download-URL, Author, Author-email,
//   Maintainer, Maintainer-email, License, Project-URL* ("label, url"),
//   Keywords, Platform*, Classifier*, Requires-Python,
//   Description-Content-Type, Requires-Dist*, then per extra
//   Provides-Extra and its Requires-Dist* (`req; extra == "x"`, or
//   `req; (marker) and extra == "x"`), and Description (the body).
// Entry points are not core metadata: they are not sent and stay as they
// were.
//
// Reading back validates what a hook wrote: Name (PEP 508), Version (PEP
// 440, normalised), a one-line Summary, "label, url" Project-URLs,
// requirements (PEP 508, normalised as NormalizeRequirement does), single-use
// fields given once; any other field name (Obsoletes-Dist, Supported-Platform,
// ...) is an error rather than silently dropped.
#ifndef BRAID_RULES_PYTHON_PACKAGE_METADATA_FIELDS_H_
#define BRAID_RULES_PYTHON_PACKAGE_METADATA_FIELDS_H_

#include "absl/status/statusor.h"
#include "core/app/extensions.h"
#include "rules/python/package/metadata.h"

namespace braid::python::package {

/// `m` as ordered core-metadata fields (see the top of this file); empty
/// fields are left out.
app::PackageMetadata ToPackageMetadata(const DistributionMetadata& m);

/// The metadata `fields` describe, with the entry points of `base`. Errors
/// are kInvalidArgument with a message naming the field (unlocated: the
/// caller knows where the distribution is).
absl::StatusOr<DistributionMetadata> FromPackageMetadata(const app::PackageMetadata& fields,
                                                         const DistributionMetadata& base);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_METADATA_FIELDS_H_
