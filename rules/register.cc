#include "rules/register.h"

#include "core/base/status_macros.h"
#include "rules/goals/project_info.h"
#include "rules/goals/store_goals.h"
#include "rules/pants_backends/backends.h"
#include "rules/python/infer/register.h"
#include "rules/python/package/package_goal.h"
#include "rules/python/run_goal.h"
#include "rules/python/subsystems.h"
#include "rules/python/target_types.h"
#include "rules/python/test_goal.h"

namespace braid::rules {

absl::Status RegisterBuiltinRules(app::Registries& registries) {
  BRAID_RETURN_IF_ERROR(RegisterSourceSubsystem(registries.options));
  BRAID_RETURN_IF_ERROR(RegisterProjectInfoGoals(registries));
  BRAID_RETURN_IF_ERROR(RegisterStoreGoals(registries));
  BRAID_RETURN_IF_ERROR(python::RegisterPythonSubsystems(registries.options));
  python::RegisterPythonTargetTypes(registries.target_types);
  BRAID_RETURN_IF_ERROR(python::RegisterPythonInference(registries));
  python::RegisterTestGoal(registries);
  BRAID_RETURN_IF_ERROR(python::RegisterPackageGoal(registries));
  BRAID_RETURN_IF_ERROR(python::RegisterRunGoal(registries));
  BRAID_RETURN_IF_ERROR(pants_backends::RegisterPantsBackends(registries));
  return absl::OkStatus();
}

}  // namespace braid::rules
