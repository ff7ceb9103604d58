// Which modules a third-party distribution provides, when its
// python_requirement does not say (`modules=` / `type_stub_modules=`).
//
// Rules, first match wins (the same order as Pants; see docs/inference.md for
// the whole table):
//   1. type stubs: a project in the stub table (`types-pyyaml` -> yaml), else
//      a name `types-X`, `stubs-X`, `X-stubs` or `X-types` provides stubs for
//      `X` (lower case, '-' -> '_');
//   2. the default table of distributions whose import name differs from the
//      project name (`pyyaml` -> yaml, `pillow` -> PIL, `attrs` -> attr and
//      attrs, `setuptools` -> setuptools, pkg_resources and easy_install, ...);
//   3. name patterns: `azure-X-Y` -> azure.X.Y, `google-cloud-X` ->
//      google.cloud.X (hyphens dropped), `django-X` -> X, `python-X` -> X,
//      `oslo-X` -> oslo_X, `opentelemetry-instrumentation-X` ->
//      opentelemetry.instrumentation.X ('-' -> '_' inside X);
//   4. the project name in lower case with '-' and '.' -> '_'.
// Project names are compared in PEP 503 canonical form (`PyYAML` = `pyyaml`).
//
// Usage:
//   ProvidedModules m = DefaultModulesForProject("types-requests");  // {{"requests"}, stub}
#ifndef BRAID_RULES_PYTHON_INFER_MODULE_MAPPING_H_
#define BRAID_RULES_PYTHON_INFER_MODULE_MAPPING_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace braid::python {

/// The modules one distribution provides, and whether they are type stubs.
struct ProvidedModules {
  std::vector<std::string> modules;
  bool type_stubs = false;
  friend bool operator==(const ProvidedModules&, const ProvidedModules&) = default;
};

/// The modules of project `name` (any spelling) by the rules at the top.
ProvidedModules DefaultModulesForProject(absl::string_view name);

/// The built-in table of rule 2 (canonical project name -> modules), sorted by
/// name; for docs and tests.
const std::vector<std::pair<std::string, std::vector<std::string>>>& DefaultModuleTable();
/// The built-in stub table of rule 1, sorted by name.
const std::vector<std::pair<std::string, std::vector<std::string>>>& DefaultStubModuleTable();

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INFER_MODULE_MAPPING_H_
