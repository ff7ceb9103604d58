#include "core/options/command_line.h"

#include <set>

#include "absl/strings/match.h"
#include "core/options/option_registry.h"

namespace braid::options {
namespace {

// Builtin goals and their aliases (Pants registers these as goal aliases).
std::optional<std::string> BuiltinGoal(absl::string_view arg) {
  if (arg == "help" || arg == "-h" || arg == "--help") return "help";
  if (arg == "help-advanced" || arg == "--help-advanced") return "help-advanced";
  if (arg == "help-all" || arg == "--help-all") return "help-all";
  if (arg == "version" || arg == "-v" || arg == "-V" || arg == "--version") return "version";
  return std::nullopt;
}

bool LooksLikeSpec(absl::string_view arg) {
  return arg.find_first_of("/\\.:*#") != absl::string_view::npos;
}

}  // namespace

CommandLine SplitCommandLine(const std::vector<std::string>& args, const OptionRegistry& registry,
                             const PathExistsFn& path_exists) {
  std::vector<std::string> goal_names = registry.GoalNames();
  std::set<std::string, std::less<>> goals(goal_names.begin(), goal_names.end());
  CommandLine out;
  std::string context;  // "" = global position
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (std::optional<std::string> builtin = BuiltinGoal(arg)) {
      // As in Pants: the first builtin wins; a later dash-form replaces it.
      if (!out.builtin_goal || absl::StartsWith(arg, "-")) {
        if (out.builtin_goal) out.goals.push_back(*out.builtin_goal);
        out.builtin_goal = *builtin;
      } else {
        out.goals.push_back(*builtin);
      }
      context = *builtin;
      continue;
    }
    if (goals.count(arg)) {
      out.goals.push_back(arg);
      context = arg;
      continue;
    }
    if (arg == "--") {
      out.has_passthrough = true;
      out.passthrough.assign(args.begin() + static_cast<long>(i) + 1, args.end());
      break;
    }
    if (absl::StartsWith(arg, "--")) {
      CommandLineFlag flag;
      flag.context = context;
      flag.arg = arg;
      size_t eq = arg.find('=');
      flag.key = arg.substr(0, eq);
      if (eq != std::string::npos) flag.value = arg.substr(eq + 1);
      out.flags.push_back(std::move(flag));
      continue;
    }
    // Pants accepts only `-l<level>` / `-l=<level>` as a single-dash flag; a
    // word like `-lib/x::` is a negative spec, so spec characters decide.
    if (absl::StartsWith(arg, "-l") && arg.size() > 2 && !LooksLikeSpec(arg)) {
      CommandLineFlag flag;
      flag.context = context;
      flag.arg = arg;
      flag.key = "-l";
      std::string value = arg.substr(2);
      if (!value.empty() && value[0] == '=') value.erase(0, 1);
      flag.value = value;
      out.flags.push_back(std::move(flag));
      continue;
    }
    if (absl::StartsWith(arg, "-") || LooksLikeSpec(arg) || (path_exists && path_exists(arg))) {
      out.specs.push_back(arg);
      context.clear();  // trailing flags are global again
      continue;
    }
    out.unknown_goals.push_back(arg);
  }
  return out;
}

}  // namespace braid::options
