#include "core/engine/engine_options.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "core/base/status_macros.h"
#include "core/exec/sandbox.h"
#include "core/options/global_options.h"

namespace braid::engine {

absl::Status RegisterEngineOptions(options::OptionRegistry& registry) {
  const std::string g(options::kGlobalScope);
  if (registry.FindScope("stats") == nullptr) {
    BRAID_RETURN_IF_ERROR(registry.AddScope(
        {"stats", options::ScopeKind::kSubsystem, "An observability subsystem."}));
  }
  BRAID_RETURN_IF_ERROR(registry.AddBool(
      "stats", "log", false,
      "At the end of the run, log counters: cache hits and misses, processes run, and the "
      "time the cache saved."));
  BRAID_RETURN_IF_ERROR(registry.AddBool(g, "stats", false,
                                         "Same as --stats-log (a braid shorthand)."));
  BRAID_RETURN_IF_ERROR(registry.AddString(
      g, "trace_file", std::nullopt,
      "Write a Chrome trace-event JSON file of the run (one lane per concurrent process) to "
      "this path; open it in Perfetto (ui.perfetto.dev) or chrome://tracing. braid only."));
  BRAID_RETURN_IF_ERROR(registry.AddBool(
      g, "sandbox_tmpfs", true,
      "Keep sandboxes in memory: when local_execution_root_dir is left at its default and "
      "--keep-sandboxes=never, the test goal mounts a private tmpfs (seen only by "
      "braid and the processes it starts) on <temp dir>/braid-sandboxes-<uid> and creates "
      "its sandboxes there, which is several times faster than a disk for the many small "
      "files of test closures. Needs a private mount namespace (and a user namespace when "
      "not root); without one, sandboxes stay in the temp dir. braid only."));
  return absl::OkStatus();
}

engine::SchedulerOptions EngineSettings::ToSchedulerOptions() const {
  engine::SchedulerOptions o;
  o.parallelism = parallelism;
  o.keep_sandboxes = keep_sandboxes;
  o.sandbox_root = sandbox_root;
  return o;
}

absl::StatusOr<EngineSettings> EngineSettingsFromOptions(
    const options::Options& opts, const std::map<std::string, std::string>& env,
    absl::string_view buildroot) {
  const std::string g(options::kGlobalScope);
  EngineSettings s;
  auto home_it = env.find("HOME");
  std::string home = home_it == env.end() ? "" : home_it->second;

  std::optional<int64_t> parallelism = opts.GetOptionalInt(g, "process_execution_local_parallelism");
  if (parallelism) {
    if (*parallelism < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid value for [GLOBAL] process_execution_local_parallelism (from ",
          opts.SourceOf(g, "process_execution_local_parallelism").ToString(),
          "): must be at least 1, got ", *parallelism));
    }
    s.parallelism = static_cast<int>(*parallelism);
  } else {
    s.parallelism = static_cast<int>(std::thread::hardware_concurrency());
    if (s.parallelism < 1) s.parallelism = 1;
  }
  // The option parser already restricted the value to the choices.
  s.keep_sandboxes = exec::ParseKeepSandboxes(opts.GetString(g, "keep_sandboxes"))
                         .value_or(exec::KeepSandboxes::kNever);
  // Pants' default is the system temp dir; global_options.cc spells it "/tmp".
  if (opts.SourceOf(g, "local_execution_root_dir").kind == options::ValueSource::Kind::kDefault) {
    s.sandbox_root = exec::DefaultLocalExecutionRootDir();
    // Kept sandboxes must outlive the run, which a private tmpfs does not.
    s.sandbox_tmpfs = opts.GetBool(g, "sandbox_tmpfs") &&
                      s.keep_sandboxes == exec::KeepSandboxes::kNever;
  } else {
    s.sandbox_root =
        options::ExpandPathOption(opts.GetString(g, "local_execution_root_dir"), buildroot, home);
  }
  if (!opts.Get(g, "dynamic_ui").is_none()) s.dynamic_ui = opts.GetBool(g, "dynamic_ui");
  if (!opts.Get(g, "colors").is_none()) s.colors = opts.GetBool(g, "colors");
  s.stats = opts.GetBool("stats", "log") || opts.GetBool(g, "stats");
  if (std::optional<std::string> trace = opts.GetOptionalString(g, "trace_file");
      trace && !trace->empty()) {
    s.trace_file = options::ExpandPathOption(*trace, buildroot, home);
  }
  return s;
}

}  // namespace braid::engine
