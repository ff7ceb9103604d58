// Registers Python dependency inference with the driver: a factory in
// Registries::inferrer_factories that builds a PythonInferrer for the
// workspace, with its scan cache at
//   <store dir>/v1/infer/python-imports-<XXH3-64 of the build root, hex>
// (one file per build root; the format is in scan_cache.h).
#ifndef BRAID_RULES_PYTHON_INFER_REGISTER_H_
#define BRAID_RULES_PYTHON_INFER_REGISTER_H_

#include <string>

#include "absl/status/status.h"
#include "core/app/app.h"

namespace braid::python {

/// Adds the Python inferrer factory. [python-infer] options must be
/// registered too (RegisterPythonSubsystems).
absl::Status RegisterPythonInference(app::Registries& registries);

/// Where the scan cache of `buildroot` lives under store directory `store_dir`.
std::string ImportScanCachePath(const std::string& store_dir, const std::string& buildroot);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INFER_REGISTER_H_
