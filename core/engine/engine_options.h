// The options that steer the scheduler and the console, and how they resolve.
//
// Usage (main, after RegisterGlobalOptions):
//   BRAID_RETURN_IF_ERROR(RegisterEngineOptions(registry));
//   ... ParseOptions ...
//   BRAID_ASSIGN_OR_RETURN(EngineSettings s, EngineSettingsFromOptions(opts, env, buildroot));
//   SchedulerOptions so = s.SchedulerOptions();
//
// Registered here (everything else is already in core/options/global_options.cc):
//   [stats] log          Pants' `--stats-log`: print counters at the end of the run.
//   [GLOBAL] stats       braid's shorter spelling, `--stats` (either one turns the report on).
//   [GLOBAL] trace_file  braid only (`--trace-file=FILE`): a Chrome trace-event JSON of the run.
//   [GLOBAL] sandbox_tmpfs  braid only: sandboxes in a private tmpfs (exec::EnterPrivateSandboxTmpfs).
// Read from global_options.cc: process_execution_local_parallelism, keep_sandboxes,
// local_execution_root_dir, dynamic_ui, colors.
#ifndef BRAID_CORE_ENGINE_ENGINE_OPTIONS_H_
#define BRAID_CORE_ENGINE_ENGINE_OPTIONS_H_

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/engine/scheduler.h"
#include "core/exec/process.h"
#include "core/options/option_registry.h"
#include "core/options/options.h"

namespace braid::engine {

/// Registers [stats] log, [GLOBAL] stats, trace_file and sandbox_tmpfs (GLOBAL must exist; the
/// `stats` scope is created unless someone registered it already).
absl::Status RegisterEngineOptions(options::OptionRegistry& registry);

/// The resolved engine options.
struct EngineSettings {
  int parallelism = 1;  // >= 1 (the number of cores when unset)
  exec::KeepSandboxes keep_sandboxes = exec::KeepSandboxes::kNever;
  std::string sandbox_root;        // absolute
  /// Sandboxes may go to a private tmpfs below sandbox_root (the option is on, the root is
  /// the default one and no sandbox is kept); the goal calls exec::EnterPrivateSandboxTmpfs.
  bool sandbox_tmpfs = false;
  std::optional<bool> dynamic_ui;  // unset: decided by the terminal (ui/console.h)
  std::optional<bool> colors;      // unset: decided by the terminal
  bool stats = false;              // --stats-log or --stats
  std::string trace_file;          // "" = none; absolute

  /// Scheduler options with these settings (fail_fast / force are the goal's to set).
  engine::SchedulerOptions ToSchedulerOptions() const;
};

/// kInvalidArgument (naming where the value came from) for a parallelism below 1.
absl::StatusOr<EngineSettings> EngineSettingsFromOptions(
    const options::Options& options, const std::map<std::string, std::string>& env,
    absl::string_view buildroot);

}  // namespace braid::engine

#endif  // BRAID_CORE_ENGINE_ENGINE_OPTIONS_H_
