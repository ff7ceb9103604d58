#include "core/app/app.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/app/help.h"
#include "core/app/workspace.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/options/options.h"

namespace braid::app {

const char* BraidVersion() { return "0.1.0"; }

namespace {

void PrintWarnings(std::vector<std::string>* warnings, const std::string& level,
                   std::ostream& err) {
  if (level != "error") {
    for (const std::string& w : *warnings) err << "[WARN] " << w << "\n";
  }
  warnings->clear();
}

// Pants settings braid ignores: one line each when there are a few; a real pants.toml sets
// dozens (linters, pantsd, remote caching, ...), which would bury every command's output, so
// then one line names them all and -ldebug gives each with its location.
void PrintIgnoredSettings(const std::vector<options::Options::IgnoredSetting>& ignored,
                          const std::string& level, std::ostream& err) {
  constexpr size_t kMaxSeparateLines = 3;
  if (level == "error" || ignored.empty()) return;
  if (ignored.size() <= kMaxSeparateLines || level == "debug" || level == "trace") {
    for (const auto& s : ignored) err << "[WARN] " << s.warning << "\n";
    return;
  }
  std::vector<absl::string_view> names;
  for (const auto& s : ignored) names.push_back(s.name);
  err << "[WARN] braid ignores " << ignored.size()
      << " Pants options and subsystems it does not implement yet: " << absl::StrJoin(names, ", ")
      << " (run with -ldebug to see where each is set)\n";
}

void PrintError(const absl::Status& status, std::ostream& err) {
  err << "[ERROR] " << status.message() << "\n";
}

}  // namespace

int Run(const Registries& registries, const RunInput& input, std::ostream& out,
        std::ostream& err) {
  std::optional<std::string> root = FindBuildRoot(input.cwd);
  // Without a pants.toml, the current directory is the build root, so that
  // `braid --version` and `braid help` work anywhere.
  std::string buildroot = root.value_or(input.cwd);

  options::OptionsInput oin;
  oin.args = input.args;
  oin.env = input.env;
  oin.buildroot = buildroot;
  oin.read_file = options::ReadFileFromDisk;
  fs::RealFileSystem disk(buildroot);
  oin.path_exists = [&disk](absl::string_view p) { return disk.Exists(p); };
  absl::StatusOr<options::Options> parsed = options::ParseOptions(registries.options, oin);
  if (!parsed.ok()) {
    PrintError(AddBackendHint(parsed.status(), registries), err);
    return kExitUsage;
  }
  const options::Options& opts = *parsed;
  std::string level = opts.GetString("GLOBAL", "level");
  log::SetLevel(log::ParseLevel(level));
  BRAID_LOG(kDebug) << "build root: " << buildroot;
  for (const std::string& f : opts.config_files()) BRAID_LOG(kDebug) << "read config " << f;
  std::vector<std::string> option_warnings = opts.warnings();
  PrintIgnoredSettings(opts.ignored_pants_settings(), level, err);
  PrintWarnings(&option_warnings, level, err);

  const options::CommandLine& cmd = opts.command();
  if (cmd.builtin_goal) {
    const std::string& builtin = *cmd.builtin_goal;
    if (builtin == "version") {
      out << BraidVersion() << "\n";
      return kExitSuccess;
    }
    std::vector<std::string> topics = cmd.goals;
    topics.insert(topics.end(), cmd.unknown_goals.begin(), cmd.unknown_goals.end());
    topics.insert(topics.end(), cmd.specs.begin(), cmd.specs.end());
    absl::StatusOr<std::string> text =
        RenderHelp(registries, opts, topics, builtin != "help");
    if (!text.ok()) {
      PrintError(text.status(), err);
      return kExitUsage;
    }
    out << *text;
    return kExitSuccess;
  }
  if (cmd.goals.empty()) {
    err << "[ERROR] no goals given\n  hint: run `braid help` for usage, or "
           "`braid help goals` for the list of goals\n";
    return kExitUsage;
  }
  if (!root) {
    err << "[ERROR] no build root found: neither " << input.cwd
        << " nor any parent directory contains pants.toml (or BUILDROOT)\n"
           "  hint: create an empty pants.toml at the root of your repository\n";
    return kExitUsage;
  }

  // The workspace (file index, target graph) lives until the process exits:
  // freeing tens of thousands of targets one by one would cost more than the
  // goals themselves on a large repo, and the OS reclaims it at once.
  Workspace& ws = *new Workspace(buildroot, opts, registries.target_types, input.env,
                                &registries.inferrer_factories,
                                &registries.dependency_prefetchers);
  int exit_code = kExitSuccess;
  for (const std::string& name : cmd.goals) {
    const Goal* goal = registries.goals.Find(name);
    if (goal == nullptr) {
      err << "[ERROR] the goal '" << name << "' is registered as an option scope but has no "
          << "implementation in braid yet\n";
      exit_code = std::max(exit_code, kExitFailure);
      continue;
    }
    if (goal->uses_dependencies) ws.ExpectDependencies();
    GoalContext ctx{ws, opts, cmd.passthrough, out, err, &registries.extensions};
    absl::Time start = absl::Now();
    absl::StatusOr<int> rc = goal->run(ctx);
    BRAID_LOG(kDebug) << "goal " << name << " finished in "
                      << absl::ToInt64Milliseconds(absl::Now() - start) << " ms";
    PrintWarnings(&ws.warnings(), level, err);
    if (!rc.ok()) {
      PrintError(AddBackendHint(rc.status(), registries), err);
      exit_code = std::max(exit_code, kExitFailure);
      // A BUILD or spec error affects every later goal too.
      break;
    }
    exit_code = std::max(exit_code, *rc);
  }
  ws.Finish();
  out.flush();
  return exit_code;
}

}  // namespace braid::app
