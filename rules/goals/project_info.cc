#include "rules/goals/project_info.h"

#include <algorithm>
#include <deque>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"
#include "core/base/sha256.h"
#include "core/fs/path.h"
#include "core/graph/source_roots.h"
#include "rules/goals/count_loc.h"
#include "rules/goals/peek_json.h"

namespace braid::rules {

using app::GoalContext;

namespace {

// Writes `text` to --<goal>-output-file if set, else to stdout.
absl::Status Emit(GoalContext& ctx, const std::string& goal, const std::string& text) {
  std::optional<std::string> file = ctx.options.GetOptionalString(goal, "output_file");
  if (!file || file->empty()) {
    ctx.out << text;
    return absl::OkStatus();
  }
  std::string path = (*file)[0] == '/' ? *file : ctx.workspace.buildroot() + "/" + *file;
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) {
    return EnvironmentError(Location{*file, 0, 0, ""}, "cannot open --output-file for writing");
  }
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return absl::OkStatus();
}

absl::StatusOr<int> RunList(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(auto targets, ctx.workspace.SelectedTargets());
  bool documented = ctx.options.GetBool("list", "documented");
  std::string text;
  for (const graph::Target* t : targets) {
    if (documented) {
      std::string desc = t->StringField("description");
      if (desc.empty()) continue;
      absl::StrAppend(&text, t->address.Spec(), "\n  ", desc, "\n");
    } else {
      absl::StrAppend(&text, t->address.Spec(), "\n");
    }
  }
  BRAID_RETURN_IF_ERROR(Emit(ctx, "list", text));
  return 0;
}

// The explicit dependencies of each target, as sorted specs.
absl::StatusOr<std::vector<Address>> DirectDeps(GoalContext& ctx, const graph::Target& t) {
  BRAID_ASSIGN_OR_RETURN(auto graph, ctx.workspace.Graph());
  BRAID_ASSIGN_OR_RETURN(auto index, ctx.workspace.Index());
  return graph->ExplicitDependencies(t, *index);
}

std::string SourcesFingerprint(GoalContext& ctx, const graph::Target& t) {
  // Pants prints the digest of the sources snapshot; braid's is the SHA-256 of
  // "path\0sha256(content)\n" for each file in order (documented difference).
  Sha256 h;
  for (const std::string& f : t.sources) {
    absl::StatusOr<std::string> text = ctx.workspace.fs().ReadFile(f);
    h.Update(f);
    h.Update(absl::string_view("\0", 1));
    h.Update(text.ok() ? Sha256Hex(*text) : std::string("unreadable"));
    h.Update("\n");
  }
  return h.HexDigest();
}

bool HasSourcesField(const graph::Target& t) {
  for (const graph::FieldSpec& f : t.type->fields) {
    if (f.type == graph::FieldType::kSources || f.type == graph::FieldType::kSource) return true;
  }
  return false;
}

absl::StatusOr<int> RunPeek(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(auto targets, ctx.workspace.SelectedTargets());
  bool exclude_defaults = ctx.options.GetBool("peek", "exclude_defaults");
  json::Value arr = json::Value::MakeArray();
  for (const graph::Target* t : targets) {
    BRAID_ASSIGN_OR_RETURN(auto deps, DirectDeps(ctx, *t));
    std::vector<std::string> specs;
    for (const Address& a : deps) specs.push_back(a.Spec());
    std::string fp = HasSourcesField(*t) ? SourcesFingerprint(ctx, *t) : "";
    arr.Append(TargetToPeekJson(*t, specs, fp, exclude_defaults));
  }
  BRAID_RETURN_IF_ERROR(Emit(ctx, "peek", json::Write(arr) + "\n"));
  return 0;
}

// Transitive closure over explicit dependencies, in address order.
absl::StatusOr<std::vector<const graph::Target*>> Closure(
    GoalContext& ctx, const std::vector<const graph::Target*>& roots, bool include_roots) {
  BRAID_ASSIGN_OR_RETURN(auto graph, ctx.workspace.Graph());
  std::set<Address> seen;
  std::deque<const graph::Target*> queue(roots.begin(), roots.end());
  for (const graph::Target* r : roots) seen.insert(r->address);
  std::set<Address> root_set = seen;
  while (!queue.empty()) {
    const graph::Target* t = queue.front();
    queue.pop_front();
    BRAID_ASSIGN_OR_RETURN(auto deps, DirectDeps(ctx, *t));
    for (const Address& a : deps) {
      if (!seen.insert(a).second) continue;
      if (const graph::Target* d = graph->Find(a)) queue.push_back(d);
    }
  }
  std::vector<const graph::Target*> out;
  for (const Address& a : seen) {
    if (!include_roots && root_set.count(a)) continue;
    if (const graph::Target* t = graph->Find(a)) out.push_back(t);
  }
  return out;
}

absl::StatusOr<int> RunDependencies(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(auto targets, ctx.workspace.SelectedTargets());
  bool transitive = ctx.options.GetBool("dependencies", "transitive");
  bool closed = ctx.options.GetBool("dependencies", "closed");
  std::string format = ctx.options.GetString("dependencies", "format");
  std::string text;
  if (format == "json") {
    json::Value obj = json::Value::MakeObject();
    for (const graph::Target* t : targets) {
      std::vector<const graph::Target*> one = {t};
      std::vector<std::string> specs;
      if (transitive) {
        BRAID_ASSIGN_OR_RETURN(auto c, Closure(ctx, one, closed));
        for (const graph::Target* d : c) specs.push_back(d->address.Spec());
      } else {
        BRAID_ASSIGN_OR_RETURN(auto deps, DirectDeps(ctx, *t));
        if (closed) specs.push_back(t->address.Spec());
        for (const Address& a : deps) specs.push_back(a.Spec());
      }
      json::Value arr = json::Value::MakeArray();
      for (const std::string& s : specs) arr.Append(json::Value(s));
      obj.Set(t->address.Spec(), std::move(arr));
    }
    text = json::Write(obj) + "\n";
  } else {
    std::set<Address> out;
    if (transitive) {
      BRAID_ASSIGN_OR_RETURN(auto c, Closure(ctx, targets, closed));
      for (const graph::Target* d : c) out.insert(d->address);
    } else {
      for (const graph::Target* t : targets) {
        BRAID_ASSIGN_OR_RETURN(auto deps, DirectDeps(ctx, *t));
        out.insert(deps.begin(), deps.end());
        if (closed) out.insert(t->address);
      }
    }
    for (const Address& a : out) absl::StrAppend(&text, a.Spec(), "\n");
  }
  BRAID_RETURN_IF_ERROR(Emit(ctx, "dependencies", text));
  return 0;
}

absl::StatusOr<int> RunFiledeps(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(auto targets, ctx.workspace.SelectedTargets());
  BRAID_ASSIGN_OR_RETURN(auto graph, ctx.workspace.Graph());
  bool absolute = ctx.options.GetBool("filedeps", "absolute");
  bool globs = ctx.options.GetBool("filedeps", "globs");
  if (ctx.options.GetBool("filedeps", "transitive")) {
    BRAID_ASSIGN_OR_RETURN(auto c, Closure(ctx, targets, true));
    targets = c;
  }
  std::set<std::string> files;
  for (const graph::Target* t : targets) {
    files.insert(t->location.file);
    if (globs) {
      std::string dir = t->address.spec_path();
      for (const std::string& g : t->StringListField("sources")) {
        files.insert(g[0] == '!' ? "!" + fs::JoinPath(dir, g.substr(1)) : fs::JoinPath(dir, g));
      }
      std::string one = t->StringField("source");
      if (!one.empty()) files.insert(fs::JoinPath(dir, one));
    } else {
      files.insert(t->sources.begin(), t->sources.end());
    }
  }
  (void)graph;
  std::string text;
  for (const std::string& f : files) {
    if (f.empty()) continue;
    absl::StrAppend(&text, absolute ? ctx.workspace.buildroot() + "/" + f : f, "\n");
  }
  BRAID_RETURN_IF_ERROR(Emit(ctx, "filedeps", text));
  return 0;
}

absl::StatusOr<int> RunRoots(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(auto index, ctx.workspace.Index());
  SourceRootConfig config;
  config.root_patterns = ctx.options.GetStringList("source", "root_patterns");
  config.marker_filenames = ctx.options.GetStringList("source", "marker_filenames");
  absl::StatusOr<SourceRoots> roots = SourceRoots::Create(config, *index);
  if (!roots.ok()) {
    return UserError(Location{"[source].root_patterns", 0, 0, ""}, roots.status().message());
  }
  std::string text;
  for (const std::string& r : roots->All()) absl::StrAppend(&text, r, "\n");
  BRAID_RETURN_IF_ERROR(Emit(ctx, "roots", text));
  return 0;
}

absl::StatusOr<int> RunCountLoc(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(auto targets, ctx.workspace.SelectedTargets());
  std::set<std::string> files;
  for (const graph::Target* t : targets) files.insert(t->sources.begin(), t->sources.end());
  std::vector<std::pair<std::string, LocCounts>> counts;
  for (const std::string& f : files) {
    absl::StatusOr<std::string> text = ctx.workspace.fs().ReadFile(f);
    if (!text.ok()) return text.status();
    counts.emplace_back(f, CountLines(f, *text));
  }
  if (counts.empty()) return 0;
  ctx.out << RenderCountLocTable(counts) << "\n";
  return 0;
}

absl::Status AddGoal(app::Registries& r, const std::string& name, const std::string& help,
                     app::GoalFn fn, bool output_file = true) {
  BRAID_RETURN_IF_ERROR(r.options.AddScope({name, options::ScopeKind::kGoal, help}));
  if (output_file) {
    BRAID_RETURN_IF_ERROR(r.options.AddString(
        name, "output_file", std::nullopt,
        "Output the goal's stdout to this file. If unspecified, outputs to stdout."));
  }
  r.goals.Register({name, help, std::move(fn)});
  return absl::OkStatus();
}

}  // namespace

absl::Status RegisterSourceSubsystem(options::OptionRegistry& reg) {
  BRAID_RETURN_IF_ERROR(reg.AddScope({"source", options::ScopeKind::kSubsystem,
                                      "Configuration for roots of source trees."}));
  BRAID_RETURN_IF_ERROR(reg.AddStringList(
      "source", "root_patterns", SourceRootConfig::DefaultRootPatterns(),
      "A list of source root suffixes.\n\nA directory with this suffix will be considered a "
      "potential source root. E.g., `src/python` will match `<buildroot>/src/python`, "
      "`<buildroot>/project1/src/python` etc.\n\nPrepend a `/` to anchor the match at the "
      "buildroot. E.g., `/src/python` will match `<buildroot>/src/python` but not "
      "`<buildroot>/project1/src/python`.\n\nA `*` wildcard will match a single path segment, "
      "e.g., `src/*` will match `<buildroot>/src/python` and `<buildroot>/src/rust`.\n\nUse `/` "
      "to signify that the buildroot itself is a source root."));
  BRAID_RETURN_IF_ERROR(reg.AddStringList(
      "source", "marker_filenames", {},
      "The presence of a file of this name in a directory indicates that the directory is a "
      "source root. The content of the file doesn't matter, and may be empty."));
  return absl::OkStatus();
}

absl::Status RegisterProjectInfoGoals(app::Registries& r) {
  BRAID_RETURN_IF_ERROR(AddGoal(r, "list",
                                "Lists all targets matching the file or target arguments.",
                                RunList));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "list", "documented", false, "Print only targets that are documented with a description."));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "peek", "Display BUILD target info", RunPeek));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "peek", "exclude_defaults", false,
      "Whether to leave off values that match the target-defined default values."));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "dependencies",
                                "List the dependencies of the input files/targets.",
                                RunDependencies));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "dependencies", "transitive", false,
      "List all transitive dependencies. If unspecified, list direct dependencies only."));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "dependencies", "closed", false, "Include the input targets in the output, along with "
                                       "the dependencies."));
  BRAID_RETURN_IF_ERROR(r.options.AddEnum(
      "dependencies", "format", {"text", "json"}, "text",
      "Output format for listing dependencies. text: one address per line, deduplicated and "
      "sorted; json: a JSON object mapping each input to its dependencies."));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "filedeps",
                                "List all source and BUILD files a target depends on.",
                                RunFiledeps));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "filedeps", "absolute", false,
      "If True, output with absolute path. If unspecified, output with path relative to the "
      "build root."));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "filedeps", "globs", false,
      "Instead of outputting filenames, output the original globs used in the BUILD file."));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "filedeps", "transitive", false,
      "If True, list files from all dependencies, including transitive dependencies."));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "roots", "List the repo's registered source roots.", RunRoots));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "count-loc",
                                "Count lines of code, per language, in the given files.",
                                RunCountLoc, /*output_file=*/false));
  return absl::OkStatus();
}

}  // namespace braid::rules
