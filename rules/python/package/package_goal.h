// `braid package`: builds every selected python_distribution (wheel and/or
// sdist) and pex_binary into the dist dir, printing `Wrote dist/<file>` for
// each file as Pants does. See docs/package.md for the semantics.
#ifndef BRAID_RULES_PYTHON_PACKAGE_PACKAGE_GOAL_H_
#define BRAID_RULES_PYTHON_PACKAGE_PACKAGE_GOAL_H_

#include "absl/status/status.h"
#include "core/app/app.h"

namespace braid::python {

/// Registers the `package` goal scope, the `[setup-py-generation]` subsystem
/// and the goal's implementation.
absl::Status RegisterPackageGoal(app::Registries& registries);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_PACKAGE_PACKAGE_GOAL_H_
