// Registration of every built-in rule set (Python backend, project-info goals).
#ifndef BRAID_RULES_REGISTER_H_
#define BRAID_RULES_REGISTER_H_

#include "absl/status/status.h"
#include "core/app/app.h"

namespace braid::rules {

/// Registers built-in target types, goals and subsystems.
absl::Status RegisterBuiltinRules(app::Registries& registries);

}  // namespace braid::rules

#endif  // BRAID_RULES_REGISTER_H_
