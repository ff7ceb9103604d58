// `braid test`: runs every selected python_test target's file with pytest in
// its own sandbox, through the engine (cached by content, parallel up to
// [GLOBAL] process_execution_local_parallelism). See pytest_runner.h for the
// process, test_batches.h for batches and docs/testing.md for behaviour.
#ifndef BRAID_RULES_PYTHON_TEST_GOAL_H_
#define BRAID_RULES_PYTHON_TEST_GOAL_H_

#include "absl/status/status.h"
#include "core/app/app.h"

namespace braid::python {

/// Registers the implementation of the `test` goal (its options are
/// registered by RegisterPythonSubsystems).
void RegisterTestGoal(app::Registries& registries);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_TEST_GOAL_H_
