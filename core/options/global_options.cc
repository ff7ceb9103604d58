#include "core/options/global_options.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace braid::options {
namespace {

// Collects the first error of a sequence of registrations.
class Registrar {
 public:
  explicit Registrar(OptionRegistry& r) : r_(r) {}
  void operator()(absl::Status s) {
    if (status_.ok() && !s.ok()) status_ = std::move(s);
  }
  absl::Status status() const { return status_; }
  OptionRegistry& r() { return r_; }

 private:
  OptionRegistry& r_;
  absl::Status status_;
};

}  // namespace

absl::Status RegisterGlobalOptions(OptionRegistry& registry) {
  Registrar add(registry);
  const std::string g(kGlobalScope);
  add(registry.AddScope({g, ScopeKind::kGlobal, "Options to control the overall behavior of braid."}));
  add(registry.AddScope({"changed", ScopeKind::kSubsystem,
                         "Tell braid to detect what files and targets have changed from Git."}));
  add(registry.AddScope(
      {"filter", ScopeKind::kSubsystem,
       "Filter the input targets based on various criteria.\n\nMost of the filtering options "
       "below are comma-separated lists of filtering criteria, with an implied logical OR between "
       "them, so that a target passes the filter if it matches any of the criteria in the list. A "
       "'-' prefix inverts the sense of the entire comma-separated list, so that a target passes "
       "the filter only if it matches none of the criteria in the list.\n\nEach of the filtering "
       "options may be specified multiple times, with an implied logical AND between them. They "
       "apply to the targets the specs (or --changed-since) select, for every goal."}));

  auto str_list = [&](const char* name, std::vector<std::string> def, const char* help,
                      bool advanced) {
    OptionInfo o;
    o.scope = g;
    o.name = name;
    o.type = OptionType::kStringList;
    o.default_value = OptionValue::StringList(def);
    o.help = help;
    o.advanced = advanced;
    add(registry.Add(std::move(o)));
  };
  auto scalar = [&](const char* name, OptionType type, OptionValue def, const char* help,
                    bool advanced, std::vector<std::string> choices = {}) {
    OptionInfo o;
    o.scope = g;
    o.name = name;
    o.type = type;
    o.default_value = std::move(def);
    o.help = help;
    o.advanced = advanced;
    o.choices = std::move(choices);
    add(registry.Add(std::move(o)));
  };
  const std::vector<std::string> glob_behaviors = {"ignore", "warn", "error"};

  scalar("pants_version", OptionType::kString, OptionValue(),
         "Use this Pants version. braid checks it is a Pants 2.x version it is compatible with.",
         true);
  str_list("backend_packages", {}, "Register functionality from these backends.", true);
  str_list("pythonpath", {},
           "Add these directories to PYTHONPATH to search for plugins. This does not impact the "
           "PYTHONPATH used when running your Python code.",
           true);
  str_list("build_patterns", {"BUILD", "BUILD.*"},
           "The naming scheme for BUILD files, i.e. where you define targets.", true);
  str_list("build_ignore", {},
           "Path globs or literals to ignore when identifying BUILD files. This does not affect "
           "any other filesystem operations; use --pants-ignore for that instead.",
           true);
  str_list("pants_ignore", {".*/", "/dist/", "__pycache__", "!.semgrep/"},
           "Paths to ignore for all filesystem operations (BUILD file scanning, glob matching, "
           "etc). Patterns use the gitignore syntax. The pants_distdir and pants_workdir "
           "locations are automatically ignored.",
           true);
  scalar("pants_ignore_use_gitignore", OptionType::kBool, OptionValue::Bool(true),
         "Include patterns from .gitignore, .git/info/exclude, and the global gitignore files in "
         "[GLOBAL].pants_ignore.",
         true);
  str_list("build_file_prelude_globs", {},
           "Python files to evaluate and whose symbols should be exposed to all BUILD files.", true);
  scalar("unmatched_build_file_globs", OptionType::kEnum, OptionValue::String("warn"),
         "What to do when files and globs specified in BUILD files, such as in the `sources` "
         "field, cannot be found.",
         true, glob_behaviors);
  scalar("unmatched_cli_globs", OptionType::kEnum, OptionValue::String("error"),
         "What to do when command line arguments, e.g. files and globs like `dir::`, cannot be "
         "found.",
         true, glob_behaviors);
  {
    OptionInfo o;
    o.scope = g;
    o.name = "level";
    o.type = OptionType::kEnum;
    o.choices = {"trace", "debug", "info", "warn", "error"};
    o.default_value = OptionValue::String("info");
    o.short_flag.push_back('l');  // (assigning "l" trips a GCC 12 -Wrestrict false positive)
    o.help = "Set the logging level.";
    add(registry.Add(std::move(o)));
  }
  scalar("pants_workdir", OptionType::kString, OptionValue::String("%(buildroot)s/.pants.d/workdir"),
         "Write intermediate logs and output files to this dir.", true);
  scalar("pants_distdir", OptionType::kString, OptionValue::String("%(buildroot)s/dist"),
         "Write end products, such as the results of `package`, to this dir.", true);
  // braid's store format differs from Pants' LMDB store, so it lives in its own
  // directory by default; core/store/store_options.h resolves the default.
  scalar("local_store_dir", OptionType::kString, OptionValue::String("~/.cache/braid"),
         "Directory to use for the local file store, which stores the results of subprocesses. "
         "braid's default is $XDG_CACHE_HOME/braid when XDG_CACHE_HOME is set, else "
         "~/.cache/braid (braid does not share Pants' LMDB store).",
         true);
  scalar("named_caches_dir", OptionType::kString, OptionValue::String("~/.cache/pants/named_caches"),
         "Directory to use for named global caches for tools and processes with trusted, "
         "concurrency-safe caches.",
         true);
  scalar("local_execution_root_dir", OptionType::kString, OptionValue::String("/tmp"),
         "Directory to use for local process execution sandboxing.", true);
  scalar("local_cache", OptionType::kBool, OptionValue::Bool(true),
         "Whether to cache process executions in a local cache persisted to disk at "
         "--local-store-dir.",
         false);
  scalar("rule_threads_core", OptionType::kInt, OptionValue(),
         "The number of threads braid's in-process work (file scanning, dependency inference) "
         "may use (default: max(2, #cores / 2), at most #cores).",
         true);
  scalar("process_execution_local_parallelism", OptionType::kInt, OptionValue(),
         "Number of concurrent processes that may be executed locally (default: #cores).", true);
  scalar("dynamic_ui", OptionType::kBool, OptionValue(),
         "Display a dynamically-updating console UI. Defaults to true when stderr is a TTY and "
         "the CI environment variable is unset.",
         false);
  scalar("colors", OptionType::kBool, OptionValue(),
         "Whether to use colors in output. Defaults to whether stdout is a TTY.", false);
  str_list("tag", {},
           "Include only targets with these tags (optional '+' prefix) or without these tags ('-' "
           "prefix). Each value may hold several comma-separated tags.",
           false);
  str_list("spec_files", {},
           "Read additional specs (target addresses, files, and/or globs), one per line, from "
           "these files.",
           false);
  str_list("pants_config_files", {"pants.toml"},
           "Paths to config files. This may only be set through the environment variable "
           "PANTS_CONFIG_FILES and the flag --pants-config-files; it is ignored in config files.",
           true);
  scalar("pantsrc", OptionType::kBool, OptionValue::Bool(true),
         "Use pantsrc files located at the paths specified in [GLOBAL].pantsrc_files.", true);
  str_list("pantsrc_files", {"/etc/pantsrc", "~/.pants.rc", ".pants.rc"},
           "Override config with values from these files, using the syntax of pants.toml.", true);
  scalar("verify_config", OptionType::kBool, OptionValue::Bool(true),
         "Verify that all config file values correspond to known options.", true);
  scalar("keep_sandboxes", OptionType::kEnum, OptionValue::String("never"),
         "Controls whether local directories used as sandboxes for running processes are kept "
         "for inspection.",
         false, {"always", "on_failure", "never"});
  str_list("ignore_warnings", {}, "Ignore logs and warnings matching these strings.", true);

  // [changed]: `--changed-since` etc.
  add(registry.AddString("changed", "since", std::nullopt,
                         "Calculate changes since this Git spec (commit range/SHA/ref)."));
  add(registry.AddString("changed", "diffspec", std::nullopt,
                         "Calculate changes contained within a given Git spec (commit range/SHA/ref)."));
  add(registry.AddEnum("changed", "dependents", {"none", "direct", "transitive"}, "none",
                       "Include direct or transitive dependents of changed targets."));

  // [filter]: `--filter-target-type` etc. (core/graph/target_filter.h).
  add(registry.AddStringList("filter", "target_type", {},
                             "Filter on these target types, e.g. `resources` or `python_sources` "
                             "([+-]type1,type2,...)."));
  add(registry.AddStringList("filter", "address_regex", {},
                             "Filter on target addresses matching these regexes "
                             "([+-]regex1,regex2,...; searched anywhere in the address, as "
                             "Python's re.search)."));
  add(registry.AddStringList("filter", "tag_regex", {},
                             "Filter on targets with tags matching these regexes "
                             "([+-]regex1,regex2,...)."));
  add(registry.AddEnum("filter", "granularity", {"all", "file", "BUILD"}, "all",
                       "Filter to rendering only targets declared in BUILD files, only "
                       "file-level targets, or all targets."));
  return add.status();
}

std::string ExpandPathOption(absl::string_view value, absl::string_view buildroot,
                             absl::string_view homedir) {
  std::string v(value);
  if (absl::StartsWith(v, "%(buildroot)s")) v = absl::StrCat(buildroot, v.substr(13));
  if (v == "~" || absl::StartsWith(v, "~/")) v = absl::StrCat(homedir, v.substr(1));
  if (!absl::StartsWith(v, "/")) v = absl::StrCat(buildroot, "/", v);
  return v;
}

}  // namespace braid::options
