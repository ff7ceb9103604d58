#include "core/app/backends.h"

#include <optional>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/app/app.h"
#include "core/app/workspace.h"
#include "core/base/error.h"
#include "core/fs/file_system.h"
#include "core/options/options.h"

namespace braid::app {

absl::Status EnableBackends(Registries& registries, const RunInput& input,
                            std::vector<std::string>* warnings) {
  std::string buildroot = FindBuildRoot(input.cwd).value_or(input.cwd);
  options::OptionsInput oin;
  oin.args = input.args;
  oin.env = input.env;
  oin.buildroot = buildroot;
  oin.read_file = options::ReadFileFromDisk;
  fs::RealFileSystem disk(buildroot);
  oin.path_exists = [&disk](absl::string_view p) { return disk.Exists(p); };
  oin.bootstrap_only = true;
  absl::StatusOr<options::Options> parsed = options::ParseOptions(registries.options, oin);
  if (!parsed.ok()) return absl::OkStatus();  // Run() parses again and reports it
  const options::ResolvedOption* opt = parsed->Find("GLOBAL", "backend_packages");
  if (opt == nullptr) return absl::OkStatus();
  std::vector<std::string> names;
  // Did-you-mean candidates for a mistyped braid.* name: braid's own backends
  // (the registered pants.* ones are not what a braid.* typo meant).
  for (const auto& b : registries.backends.backends()) {
    if (absl::StartsWith(b.first, "braid.")) names.push_back(b.first);
  }
  for (const std::string& name : parsed->GetStringList("GLOBAL", "backend_packages")) {
    const Backend* backend = registries.backends.Find(name);
    if (backend == nullptr) {
      // braid's built-in Python support, or a Pants backend braid knows no
      // target types of (linters, formatters, ...).
      if (absl::StartsWith(name, "pants.")) continue;
      if (absl::StartsWith(name, "braid.")) {
        std::string hint = DidYouMean(name, names);
        if (hint.empty()) {
          hint = absl::StrCat("braid's backends are: ", absl::StrJoin(names, ", "));
        }
        return UserError(Location{opt->source().ToString() == "default"
                                      ? ""
                                      : opt->source().ToString(),
                                  0, 0, ""},
                         absl::StrCat("unknown backend '", name, "' in [GLOBAL].backend_packages"),
                         hint);
      }
      if (warnings != nullptr) {
        warnings->push_back(absl::StrCat(
            "the backend '", name,
            "' is not one braid knows (braid cannot load Pants' Python plugins); it is ignored"));
      }
      continue;
    }
    if (registries.backends.enabled().count(name)) continue;
    registries.backends.MarkEnabled(name);
    absl::Status s = backend->enable(registries);
    if (!s.ok()) {
      return absl::Status(s.code(), absl::StrCat("enabling backend ", name, ": ", s.message()));
    }
  }
  return absl::OkStatus();
}

namespace {

// The quoted name in "<prefix>'x'<suffix>" at the start of `message`.
std::optional<std::string> QuotedName(absl::string_view message, absl::string_view prefix,
                                      absl::string_view suffix) {
  size_t at = message.find(prefix);
  if (at == absl::string_view::npos) return std::nullopt;
  size_t begin = at + prefix.size();
  size_t end = message.find('\'', begin);
  if (end == absl::string_view::npos) return std::nullopt;
  if (!absl::StartsWith(message.substr(end + 1), suffix)) return std::nullopt;
  return std::string(message.substr(begin, end - begin));
}

}  // namespace

absl::Status AddBackendHint(const absl::Status& status, const Registries& registries) {
  if (status.ok()) return status;
  absl::string_view msg = status.message();
  std::optional<std::string> goal = QuotedName(msg, "unknown goal '", "");
  std::optional<std::string> symbol = QuotedName(msg, "name '", " is not defined");
  for (const auto& [name, backend] : registries.backends.backends()) {
    if (registries.backends.enabled().count(name)) continue;
    bool provides = false;
    std::string what;
    for (const std::string& g : backend.goals) {
      if (goal && *goal == g) provides = true, what = absl::StrCat("the goal '", g, "'");
    }
    for (const std::string& t : backend.target_types) {
      if (symbol && *symbol == t) provides = true, what = absl::StrCat("the target type '", t, "'");
    }
    if (!provides) continue;
    return absl::Status(status.code(),
                        absl::StrCat(msg, "\n  hint: ", what, " is provided by the backend '",
                                     name, "': add \"", name,
                                     "\" to backend_packages in the [GLOBAL] section of pants.toml"));
  }
  return status;
}

}  // namespace braid::app
