// The project-introspection goals: list, peek, filedeps, roots, count-loc,
// dependencies, dependents? (see rules/goals/*.cc for each).
#ifndef BRAID_RULES_GOALS_PROJECT_INFO_H_
#define BRAID_RULES_GOALS_PROJECT_INFO_H_

#include "absl/status/status.h"
#include "core/app/app.h"

namespace braid::rules {

/// Registers the goals and their option scopes.
absl::Status RegisterProjectInfoGoals(app::Registries& registries);

/// Registers the `[source]` subsystem (root_patterns, marker_filenames).
absl::Status RegisterSourceSubsystem(options::OptionRegistry& registry);

}  // namespace braid::rules

#endif  // BRAID_RULES_GOALS_PROJECT_INFO_H_
