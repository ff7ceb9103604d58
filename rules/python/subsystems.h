// The Python backend's option scopes: [python] and [python-infer], with
// Pants' names and defaults. Options braid reads later (resolves, lockfiles)
// are registered now so that Pants repositories configure braid unchanged.
#ifndef BRAID_RULES_PYTHON_SUBSYSTEMS_H_
#define BRAID_RULES_PYTHON_SUBSYSTEMS_H_

#include "absl/status/status.h"
#include "core/options/option_registry.h"

namespace braid::python {

absl::Status RegisterPythonSubsystems(options::OptionRegistry& registry);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_SUBSYSTEMS_H_
