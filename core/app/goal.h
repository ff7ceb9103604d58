// Goals: the commands a user runs (`list`, `test`, `package`, ...).
//
// Each layer registers its goals with a scope in the OptionRegistry (so
// `--<goal>-<option>` flags and `[<goal>]` config sections work) and an entry
// here with the code to run. Goals run in command-line order; the exit code
// of the run is the highest one any goal returned.
//
// Usage (rules/goals/list.cc):
//   registry.Register({"list", "Lists all targets matching the file or target arguments.",
//                      &RunList});
#ifndef BRAID_CORE_APP_GOAL_H_
#define BRAID_CORE_APP_GOAL_H_

#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/app/extensions.h"
#include "core/app/workspace.h"

namespace braid::app {

/// What a goal gets to work with.
struct GoalContext {
  Workspace& workspace;
  const options::Options& options;
  /// Arguments after `--` (for goals that pass them on, e.g. to pytest).
  const std::vector<std::string>& passthrough;
  std::ostream& out;  // the goal's results (stdout)
  std::ostream& err;  // diagnostics (stderr)
  /// The registered extension points (extensions.h); null in tests that
  /// build a context by hand.
  const Extensions* extensions = nullptr;
};

/// Runs a goal. Returns the goal's exit code (0 success, 1 failure); an error
/// status is printed and counts as exit code 1.
using GoalFn = std::function<absl::StatusOr<int>(GoalContext& ctx)>;

struct Goal {
  std::string name;
  std::string help;  // first line: summary for `braid help goals`
  GoalFn run;
  /// The goal asks for dependencies (Workspace::Dependencies) on its usual
  /// path: the run then starts the inferrers' prefetch early.
  bool uses_dependencies = false;
};

class GoalRegistry {
 public:
  void Register(Goal goal) { goals_[goal.name] = std::move(goal); }
  const Goal* Find(const std::string& name) const {
    auto it = goals_.find(name);
    return it == goals_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, Goal>& goals() const { return goals_; }

 private:
  std::map<std::string, Goal> goals_;
};

}  // namespace braid::app

#endif  // BRAID_CORE_APP_GOAL_H_
