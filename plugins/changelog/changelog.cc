// braid.plugins.changelog: the `changelog` goal (docs/plugins.md).
//
//   braid changelog --version=1.4.0 [--date=2024-05-01] [--draft]
//   braid changelog --extract=1.3.0
//   braid changelog --check [--changed-since=origin/main | --changelog-since=REF]
#include <algorithm>
#include <cstdlib>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "plugins/api/builtin_plugins.h"
#include "plugins/changelog/towncrier.h"

namespace braid::plugin {
namespace changelog {
namespace {

constexpr char kGoal[] = "changelog";

// towncrier.toml wins over pyproject.toml, as in towncrier.
absl::StatusOr<TowncrierConfig> LoadConfig(GoalContext& ctx) {
  for (const char* file : {"towncrier.toml", "pyproject.toml"}) {
    absl::StatusOr<std::string> text = ctx.ReadFile(file);
    if (!text.ok()) continue;
    absl::StatusOr<TowncrierConfig> c = ParseTowncrierConfig(*text, file);
    if (c.ok() || !absl::IsNotFound(c.status())) return c;
  }
  return PluginUserError("pyproject.toml", 0, "no [tool.towncrier] configuration found",
                         "add a [tool.towncrier] table to pyproject.toml or towncrier.toml");
}

std::string Basename(absl::string_view path) {
  size_t slash = path.rfind('/');
  return std::string(slash == absl::string_view::npos ? path : path.substr(slash + 1));
}

// Files of the fragment directory itself (towncrier lists one directory).
absl::StatusOr<std::vector<std::string>> FragmentFiles(GoalContext& ctx,
                                                       const TowncrierConfig& config) {
  absl::StatusOr<std::vector<std::string>> all = ctx.ListFiles(config.directory);
  if (!all.ok()) return all.status();
  std::vector<std::string> out;
  for (const std::string& f : *all) {
    if (f.substr(config.directory.size() + 1).find('/') == std::string::npos) out.push_back(f);
  }
  return out;
}

// Files that live in the fragment directory without being fragments.
bool IsIgnoredFile(absl::string_view basename) {
  return absl::StartsWith(basename, ".") || absl::StartsWith(basename, "README") ||
         absl::StartsWith(basename, "template");
}

absl::StatusOr<int> Check(GoalContext& ctx, const TowncrierConfig& config) {
  absl::StatusOr<std::vector<std::string>> files = FragmentFiles(ctx, config);
  if (!files.ok()) return files.status();
  int problems = 0;
  std::vector<std::string> fragments;
  for (const std::string& f : *files) {
    std::string base = Basename(f);
    if (IsIgnoredFile(base)) continue;
    if (ParseFragmentName(base, config)) {
      fragments.push_back(f);
      continue;
    }
    std::vector<std::string> parts = absl::StrSplit(base, '.');
    std::string type = parts.size() >= 2 ? parts[1] : "";
    std::string hint;
    int best = 3;
    for (const std::string& t : config.TypeNames()) {
      // A cheap did-you-mean: same length +-1 and sharing a prefix.
      if (!type.empty() && t.substr(0, 2) == type.substr(0, 2) &&
          std::abs(static_cast<int>(t.size()) - static_cast<int>(type.size())) < best) {
        best = std::abs(static_cast<int>(t.size()) - static_cast<int>(type.size()));
        hint = absl::StrCat(" (did you mean '", t, "'?)");
      }
    }
    ctx.err() << "[ERROR] " << f << ": unknown news fragment type '" << type << "'" << hint
              << "\n  hint: fragments are named <issue>.<type>[.<n>].md or +<name>.<type>.md; "
                 "types are: "
              << absl::StrJoin(config.TypeNames(), ", ") << "\n";
    ++problems;
  }
  std::optional<std::string> since = ctx.options().String(kGoal, "since");
  if (!since || since->empty()) since = ctx.options().String("changed", "since");
  if (since && !since->empty()) {
    absl::StatusOr<std::vector<std::string>> changed = ctx.ChangedFiles(*since);
    if (!changed.ok()) return changed.status();
    bool added_fragment = false, released = false, other = false;
    std::string prefix = absl::StrCat(config.directory, "/");
    for (const std::string& f : *changed) {
      if (absl::StartsWith(f, prefix)) {
        if (std::find(fragments.begin(), fragments.end(), f) != fragments.end()) {
          added_fragment = true;
        }
      } else if (f == config.filename) {
        released = true;  // a release consumes fragments instead of adding one
      } else {
        other = true;
      }
    }
    if (other && !added_fragment && !released) {
      ctx.err() << "[ERROR] no news fragment was added since " << *since << "\n  hint: add "
                << config.directory << "/<issue>.<type>.md (types: "
                << absl::StrJoin(config.TypeNames(), ", ") << ")\n";
      ++problems;
    } else {
      ctx.out() << (added_fragment ? "news fragments found since " : "no changes need a news "
                                                                     "fragment since ")
                << *since << "\n";
    }
  }
  if (problems == 0) ctx.out() << fragments.size() << " news fragment(s) checked\n";
  return problems == 0 ? 0 : 1;
}

absl::StatusOr<int> Build(GoalContext& ctx, const TowncrierConfig& config,
                          const std::string& version) {
  ReleaseInfo release;
  release.version = version;
  release.name = !config.name.empty()      ? config.name
                 : !config.package.empty() ? PythonTitle(config.package)
                                           : "";
  release.date = ctx.options().String(kGoal, "date").value_or("");
  if (release.date.empty()) {
    // Like towncrier: today's date (the only input that is not a file).
    release.date = absl::FormatTime("%Y-%m-%d", absl::Now(), absl::LocalTimeZone());
  }
  absl::StatusOr<std::vector<std::string>> files = FragmentFiles(ctx, config);
  if (!files.ok()) return files.status();
  std::vector<Fragment> fragments;
  for (const std::string& f : *files) {
    std::optional<FragmentName> name = ParseFragmentName(Basename(f), config);
    if (!name) continue;
    absl::StatusOr<std::string> content = ctx.ReadFile(f);
    if (!content.ok()) return content.status();
    fragments.push_back({f, *name, *std::move(content)});
  }
  absl::StatusOr<std::string> content = RenderRelease(config, release, fragments);
  if (!content.ok()) return content.status();
  if (ctx.options().Bool(kGoal, "draft")) {
    ctx.err() << "Draft only -- nothing has been written.\n"
                 "What is seen below is what would be written.\n\n";
    ctx.out() << *content << "\n";
    return 0;
  }
  absl::StatusOr<std::string> existing = ctx.ReadFile(config.filename);
  std::optional<std::string> old;
  if (existing.ok()) old = *existing;
  absl::StatusOr<std::string> news =
      InsertRelease(config, old, TopLine(config, release), *content);
  if (!news.ok()) return news.status();
  BRAID_PLUGIN_RETURN_IF_ERROR(ctx.WriteFile(config.filename, *news));
  for (const Fragment& f : fragments) BRAID_PLUGIN_RETURN_IF_ERROR(ctx.RemoveFile(f.path));
  ctx.out() << "Wrote release " << version << " to " << config.filename << " and removed "
            << fragments.size() << " news fragment(s)\n";
  return 0;
}

absl::StatusOr<int> RunChangelog(GoalContext& ctx) {
  absl::StatusOr<TowncrierConfig> config = LoadConfig(ctx);
  if (!config.ok()) return config.status();
  std::string version = ctx.options().String(kGoal, "version").value_or("");
  std::string extract = ctx.options().String(kGoal, "extract").value_or("");
  bool check = ctx.options().Bool(kGoal, "check");
  int modes = !version.empty() + !extract.empty() + check;
  if (modes != 1) {
    return PluginUserError("", 0, "`braid changelog` needs exactly one of --version=X, "
                                  "--extract=X or --check");
  }
  if (check) return Check(ctx, *config);
  if (!extract.empty()) {
    absl::StatusOr<std::string> news = ctx.ReadFile(config->filename);
    if (!news.ok()) {
      return PluginUserError(config->filename, 0, "cannot read the news file");
    }
    std::optional<std::string> section = ExtractRelease(*config, *news, extract);
    if (!section) {
      return PluginUserError(config->filename, 0,
                             absl::StrCat("no release '", extract, "' in the news file"));
    }
    ctx.out() << *section;
    return 0;
  }
  return Build(ctx, *config, version);
}

OptionDef Str(const char* name, const char* help) {
  OptionDef o;
  o.name = name;
  o.kind = OptionKind::kString;
  o.help = help;
  return o;
}

OptionDef Flag(const char* name, const char* help) {
  OptionDef o;
  o.name = name;
  o.kind = OptionKind::kBool;
  o.help = help;
  return o;
}

}  // namespace
}  // namespace changelog

PluginDef ChangelogPlugin() {
  using changelog::Flag;
  using changelog::Str;
  return {"braid.plugins.changelog",
          "towncrier-compatible changelogs from news fragments (braid changelog).",
          [](Registrar& r) -> absl::Status {
            GoalDef goal;
            goal.name = changelog::kGoal;
            goal.help =
                "Render news fragments into the changelog (towncrier-compatible).\n\n"
                "Reads [tool.towncrier] from towncrier.toml or pyproject.toml.";
            goal.options = {
                Str("version", "Render the release of this version into the news file."),
                Str("date", "The release date (default: today)."),
                Flag("draft", "Print the release instead of writing it (fragments are kept)."),
                Str("extract", "Print the section of this version from the news file."),
                Flag("check",
                     "Fail when a fragment has an unknown type, or (with --changed-since / "
                     "--changelog-since) when files changed but no fragment was added."),
                Str("since", "For --check: the git ref changes are counted from (default: "
                             "[changed].since)."),
            };
            goal.run = &changelog::RunChangelog;
            return r.AddGoal(std::move(goal));
          }};
}

}  // namespace braid::plugin
