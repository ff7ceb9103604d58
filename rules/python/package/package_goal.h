// `braid package`: builds every selected python_distribution (wheel and/or
// sdist) and pex_binary into the dist dir, printing `Wrote dist/<file>` for
// each file as Pants does. See docs/package.md for the semantics.
#ifndef BRAID_RULES_PYTHON_PACKAGE_PACKAGE_GOAL_H_
#define BRAID_RULES_PYTHON_PACKAGE_PACKAGE_GOAL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/app/app.h"
#include "core/graph/target.h"

namespace braid::python {

/// Registers the `package` goal scope, the `[setup-py-generation]` subsystem
/// and the goal's implementation.
absl::Status RegisterPackageGoal(app::Registries& registries);

/// The bytes of pex_binary `pex`, exactly as `package` would write them (for `run`, which
/// executes it from a temporary directory instead of the dist dir).
absl::StatusOr<std::string> BuildPexBinary(app::GoalContext& ctx, const graph::Target& pex);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_PACKAGE_PACKAGE_GOAL_H_
