#include "rules/goals/project_info.h"

#include <algorithm>
#include <deque>
#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/json.h"
#include "core/base/status_macros.h"
#include "core/base/sha256.h"
#include "core/fs/path.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/source_roots.h"
#include "core/graph/spec_resolver.h"
#include "core/graph/specs.h"
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

// The direct dependencies of `t` (explicit + inferred, `!` exclusions applied),
// sorted by address.
absl::StatusOr<const std::vector<graph::Dependency>*> DirectDeps(GoalContext& ctx,
                                                                  const graph::Target& t) {
  BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver* deps, ctx.workspace.Dependencies());
  return deps->Direct(t);
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
  {
    BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver* deps, ctx.workspace.Dependencies());
    BRAID_RETURN_IF_ERROR(deps->DirectAll(targets));  // one batch, on every core
  }
  for (const graph::Target* t : targets) {
    BRAID_ASSIGN_OR_RETURN(auto deps, DirectDeps(ctx, *t));
    std::vector<std::string> specs;
    for (const graph::Dependency& d : *deps) specs.push_back(d.address.Spec());
    std::string fp = HasSourcesField(*t) ? SourcesFingerprint(ctx, *t) : "";
    arr.Append(TargetToPeekJson(*t, specs, fp, exclude_defaults));
  }
  BRAID_RETURN_IF_ERROR(Emit(ctx, "peek", json::Write(arr) + "\n"));
  return 0;
}

// Transitive closure over explicit + inferred dependencies, in address order,
// honouring the roots' `!!` exclusions.
absl::StatusOr<std::vector<const graph::Target*>> Closure(
    GoalContext& ctx, const std::vector<const graph::Target*>& roots, bool include_roots) {
  BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver* deps, ctx.workspace.Dependencies());
  return deps->Transitive(roots, include_roots);
}

// "  dep  <- rule 'module' file:line" (the --explain line of one dependency).
std::string ExplainLine(const graph::Dependency& d) {
  std::string line = absl::StrCat("  ", d.address.Spec(), "  <- ", d.rule);
  if (!d.module.empty()) absl::StrAppend(&line, " '", d.module, "'");
  std::string origin = d.origin.ToString();
  if (!origin.empty()) absl::StrAppend(&line, " ", origin);
  return line + "\n";
}

json::Value ExplainJson(const graph::Dependency& d) {
  json::Value o = json::Value::MakeObject();
  o.Set("address", json::Value(d.address.Spec()));
  o.Set("rule", json::Value(d.rule));
  o.Set("module", json::Value(d.module));
  o.Set("origin", json::Value(d.origin.ToString()));
  return o;
}

// `dependencies --explain`: each target (the selected ones, or with
// --transitive every target of the closure, roots included) followed by its
// direct dependencies and why each exists.
absl::StatusOr<int> RunExplain(GoalContext& ctx, std::vector<const graph::Target*> targets,
                               bool transitive, const std::string& format) {
  if (transitive) {
    BRAID_ASSIGN_OR_RETURN(auto c, Closure(ctx, targets, true));
    std::set<const graph::Target*> all(targets.begin(), targets.end());
    all.insert(c.begin(), c.end());
    targets.assign(all.begin(), all.end());
    std::sort(targets.begin(), targets.end(), [](const graph::Target* a, const graph::Target* b) {
      return a->address < b->address;
    });
  }
  std::string text;
  json::Value obj = json::Value::MakeObject();
  for (const graph::Target* t : targets) {
    BRAID_ASSIGN_OR_RETURN(auto deps, DirectDeps(ctx, *t));
    if (format == "json") {
      json::Value arr = json::Value::MakeArray();
      for (const graph::Dependency& d : *deps) arr.Append(ExplainJson(d));
      obj.Set(t->address.Spec(), std::move(arr));
    } else {
      absl::StrAppend(&text, t->address.Spec(), "\n");
      for (const graph::Dependency& d : *deps) text += ExplainLine(d);
    }
  }
  if (format == "json") text = json::Write(obj) + "\n";
  BRAID_RETURN_IF_ERROR(Emit(ctx, "dependencies", text));
  return 0;
}

// Shared by `dependencies` and `dependents`: `next` gives the direct
// neighbours of one target, `closure` the transitive ones of a set.
using Neighbours = std::function<absl::StatusOr<std::vector<const graph::Target*>>(
    const std::vector<const graph::Target*>& targets, bool transitive, bool closed)>;

// The specs of `found`, sorted as strings and without duplicates: Pants'
// order for `dependencies` (text and JSON) and `dependents --format=json`,
// which sort `str(address)` ("a/b.py:x" before "a:y", unlike address order).
std::vector<std::string> SpecsSortedAsStrings(const std::vector<const graph::Target*>& found) {
  std::vector<std::string> specs;
  specs.reserve(found.size());
  for (const graph::Target* d : found) specs.push_back(d->address.Spec());
  std::sort(specs.begin(), specs.end());
  specs.erase(std::unique(specs.begin(), specs.end()), specs.end());
  return specs;
}

// `text_by_spec`: sort the text output as strings (`dependencies`) rather
// than in address order (`dependents`, whose Pants collection sorts Address).
absl::StatusOr<int> RunGraphQuery(GoalContext& ctx, const std::string& goal, bool text_by_spec,
                                  const Neighbours& neighbours) {
  BRAID_ASSIGN_OR_RETURN(auto targets, ctx.workspace.SelectedTargets());
  bool transitive = ctx.options.GetBool(goal, "transitive");
  bool closed = ctx.options.GetBool(goal, "closed");
  std::string format = ctx.options.GetString(goal, "format");
  std::string text;
  if (format == "json") {
    json::Value obj = json::Value::MakeObject();
    for (const graph::Target* t : targets) {
      BRAID_ASSIGN_OR_RETURN(auto found, neighbours({t}, transitive, closed));
      json::Value arr = json::Value::MakeArray();
      for (std::string& spec : SpecsSortedAsStrings(found)) arr.Append(json::Value(std::move(spec)));
      obj.Set(t->address.Spec(), std::move(arr));
    }
    // Pants writes `json.dumps(mapping, indent=4)` for both goals.
    text = json::Write(obj, json::PythonIndentOptions(4)) + "\n";
  } else {
    BRAID_ASSIGN_OR_RETURN(auto found, neighbours(targets, transitive, closed));
    if (text_by_spec) {
      for (const std::string& spec : SpecsSortedAsStrings(found)) absl::StrAppend(&text, spec, "\n");
    } else {
      for (const graph::Target* d : found) absl::StrAppend(&text, d->address.Spec(), "\n");
    }
  }
  BRAID_RETURN_IF_ERROR(Emit(ctx, goal, text));
  return 0;
}

// Sorted by address, without duplicates.
std::vector<const graph::Target*> SortedUnique(std::vector<const graph::Target*> v) {
  // Every pointer is into TargetGraph::targets(), which is sorted by address,
  // so pointer order is address order (and far cheaper to compare).
  std::sort(v.begin(), v.end(), std::less<const graph::Target*>());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

// SortedUnique for pointers into `all` (the graph's targets, in address
// order): when there are many (`dependencies ::` gathers ~4 per target),
// marking positions costs less than sorting.
std::vector<const graph::Target*> SortedUnique(const std::vector<graph::Target>& all,
                                               std::vector<const graph::Target*> v) {
  if (v.size() < all.size() / 8) return SortedUnique(std::move(v));
  std::vector<bool> chosen(all.size(), false);
  std::vector<const graph::Target*> out;
  for (const graph::Target* t : v) {
    if (t >= all.data() && t < all.data() + all.size()) {
      chosen[static_cast<size_t>(t - all.data())] = true;
    } else {
      out.push_back(t);  // not the graph's (not expected): sorted below
    }
  }
  bool stray = !out.empty();
  for (size_t i = 0; i < all.size(); ++i) {
    if (chosen[i]) out.push_back(&all[i]);
  }
  return stray ? SortedUnique(std::move(out)) : out;
}

absl::StatusOr<int> RunDependencies(GoalContext& ctx) {
  if (ctx.options.GetBool("dependencies", "explain")) {
    BRAID_ASSIGN_OR_RETURN(auto targets, ctx.workspace.SelectedTargets());
    return RunExplain(ctx, targets, ctx.options.GetBool("dependencies", "transitive"),
                      ctx.options.GetString("dependencies", "format"));
  }
  BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver* resolver, ctx.workspace.Dependencies());
  // The output is sorted by RunGraphQuery (as strings, with the inputs of
  // --closed among them, as Pants does for text and JSON).
  return RunGraphQuery(
      ctx, "dependencies", /*text_by_spec=*/true,
      [&](const std::vector<const graph::Target*>& targets, bool transitive,
          bool closed) -> absl::StatusOr<std::vector<const graph::Target*>> {
        std::vector<const graph::Target*> out;
        if (transitive) {
          BRAID_ASSIGN_OR_RETURN(out, resolver->Transitive(targets, closed));
          return out;
        }
        // One batch, on every core; only the edges are kept.
        BRAID_RETURN_IF_ERROR(resolver->DirectTargetsAll(targets));
        for (const graph::Target* t : targets) {
          BRAID_ASSIGN_OR_RETURN(auto deps, resolver->DirectTargets(*t));
          out.insert(out.end(), deps->begin(), deps->end());
        }
        if (closed) out.insert(out.end(), targets.begin(), targets.end());
        // Deduplicated cheaply here, so that only distinct specs are sorted.
        return SortedUnique(resolver->graph().targets(), std::move(out));
      });
}

absl::StatusOr<int> RunDependents(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver* resolver, ctx.workspace.Dependencies());
  // Text in address order (Pants' `Dependents` collection sorts Address);
  // JSON lists are sorted as strings by RunGraphQuery.
  return RunGraphQuery(
      ctx, "dependents", /*text_by_spec=*/false,
      [&](const std::vector<const graph::Target*>& targets, bool transitive,
          bool closed) -> absl::StatusOr<std::vector<const graph::Target*>> {
        std::vector<const graph::Target*> out;
        if (transitive) {
          BRAID_ASSIGN_OR_RETURN(out, resolver->TransitiveDependents(targets, false));
        } else {
          for (const graph::Target* t : targets) {
            BRAID_ASSIGN_OR_RETURN(auto ds, resolver->Dependents(*t));
            out.insert(out.end(), ds->begin(), ds->end());
          }
          out = SortedUnique(std::move(out));
        }
        if (closed) {
          out.insert(out.end(), targets.begin(), targets.end());
          out = SortedUnique(std::move(out));
        }
        return out;
      });
}

// Targets selected by one spec string (for `paths --from/--to`).
absl::StatusOr<std::vector<const graph::Target*>> TargetsForSpec(GoalContext& ctx,
                                                                 const std::string& option) {
  std::string text = ctx.options.GetOptionalString("paths", option).value_or("");
  if (text.empty()) {
    return UserError(Location{}, absl::StrCat("the `paths` goal needs --paths-", option),
                     "e.g. braid paths --from=src/app:bin --to=src/lib/util.py");
  }
  BRAID_ASSIGN_OR_RETURN(auto index, ctx.workspace.Index());
  BRAID_ASSIGN_OR_RETURN(auto graph, ctx.workspace.Graph());
  SpecParseOptions po;
  po.build_root = ctx.workspace.buildroot();
  po.index = index;
  BRAID_ASSIGN_OR_RETURN(Specs specs, ParseSpecs({text}, po));
  graph::SpecResolveOptions ro;
  return graph::ResolveSpecs(specs, *graph, *index, ro, &ctx.workspace.warnings());
}

// Every simple path from `from` to `to`, depth first with dependencies in
// address order (deterministic). Bounded so a dense graph cannot hang.
constexpr size_t kMaxPaths = 10000;

absl::Status FindPaths(graph::DependencyResolver& resolver, const graph::Target* at, const graph::Target* to,
                       std::vector<const graph::Target*>& stack, std::set<const graph::Target*>& on_stack,
                       std::vector<std::vector<const graph::Target*>>& out) {
  if (out.size() >= kMaxPaths) return absl::OkStatus();
  stack.push_back(at);
  on_stack.insert(at);
  if (at == to) {
    out.push_back(stack);
  } else {
    BRAID_ASSIGN_OR_RETURN(auto deps, resolver.Direct(*at));
    for (const graph::Dependency& d : *deps) {
      const graph::Target* next = d.target;
      if (next == nullptr || on_stack.count(next)) continue;
      BRAID_RETURN_IF_ERROR(FindPaths(resolver, next, to, stack, on_stack, out));
    }
  }
  stack.pop_back();
  on_stack.erase(at);
  return absl::OkStatus();
}

absl::StatusOr<int> RunPaths(GoalContext& ctx) {
  BRAID_ASSIGN_OR_RETURN(auto from, TargetsForSpec(ctx, "from"));
  BRAID_ASSIGN_OR_RETURN(auto to, TargetsForSpec(ctx, "to"));
  BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver* resolver, ctx.workspace.Dependencies());
  std::vector<std::vector<const graph::Target*>> paths;
  for (const graph::Target* f : from) {
    // Only search where `to` is reachable at all: cheap pruning for big graphs.
    BRAID_ASSIGN_OR_RETURN(auto reach, resolver->Transitive({f}, true));
    std::set<const graph::Target*> reachable(reach.begin(), reach.end());
    for (const graph::Target* t : to) {
      if (!reachable.count(t)) continue;
      std::vector<const graph::Target*> stack;
      std::set<const graph::Target*> on_stack;
      BRAID_RETURN_IF_ERROR(FindPaths(*resolver, f, t, stack, on_stack, paths));
    }
  }
  json::Value arr = json::Value::MakeArray();
  for (const auto& p : paths) {
    json::Value one = json::Value::MakeArray();
    for (const graph::Target* t : p) one.Append(json::Value(t->address.Spec()));
    arr.Append(std::move(one));
  }
  BRAID_RETURN_IF_ERROR(Emit(ctx, "paths", json::Write(arr) + "\n"));
  return 0;
}

absl::StatusOr<int> RunFiledeps(GoalContext& ctx) {
  if (ctx.options.GetBool("filedeps", "transitive")) ctx.workspace.ExpectDependencies();
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
      // Pants prints the include globs only (its filespec's "includes"), never `!` ones.
      for (const std::string& g : t->StringListField("sources")) {
        if (!g.empty() && g[0] != '!') files.insert(fs::JoinPath(dir, g));
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
  BRAID_ASSIGN_OR_RETURN(const SourceRoots* roots, ctx.workspace.Roots());
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
                     app::GoalFn fn, bool output_file = true, bool uses_dependencies = false) {
  BRAID_RETURN_IF_ERROR(r.options.AddScope({name, options::ScopeKind::kGoal, help}));
  if (output_file) {
    BRAID_RETURN_IF_ERROR(r.options.AddString(
        name, "output_file", std::nullopt,
        "Output the goal's stdout to this file. If unspecified, outputs to stdout."));
  }
  r.goals.Register({name, help, std::move(fn), uses_dependencies});
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
  BRAID_RETURN_IF_ERROR(AddGoal(r, "peek", "Display BUILD target info", RunPeek,
                                /*output_file=*/true, /*uses_dependencies=*/true));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "peek", "exclude_defaults", false,
      "Whether to leave off values that match the target-defined default values."));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "dependencies",
                                "List the dependencies of the input files/targets.",
                                RunDependencies, /*output_file=*/true,
                                /*uses_dependencies=*/true));
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
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "dependencies", "explain", false,
      "braid only: for each target, print every direct dependency with the rule that produced "
      "it (explicit, import, weak import, string import, conftest, init file, asset, entry "
      "point, pragma) and where (the importing file and line, or the BUILD field)."));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "dependents",
                                "List all targets that depend on any of the input files/targets.",
                                RunDependents, /*output_file=*/true,
                                /*uses_dependencies=*/true));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "dependents", "transitive", false,
      "List all transitive dependents. If unspecified, list direct dependents only."));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "dependents", "closed", false, "Include the input targets in the output, along with "
                                     "the dependents."));
  BRAID_RETURN_IF_ERROR(r.options.AddEnum(
      "dependents", "format", {"text", "json"}, "text",
      "Output format for listing dependents. text: one address per line, deduplicated and "
      "sorted; json: a JSON object mapping each input to its dependents."));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "paths", "List the paths between two addresses.", RunPaths,
                                /*output_file=*/true, /*uses_dependencies=*/true));
  BRAID_RETURN_IF_ERROR(r.options.AddString("paths", "from", std::nullopt,
                                            "The path starting address"));
  BRAID_RETURN_IF_ERROR(r.options.AddString("paths", "to", std::nullopt,
                                            "The path end address"));
  BRAID_RETURN_IF_ERROR(AddGoal(r, "filedeps",
                                "List all source and BUILD files a target depends on.",
                                RunFiledeps));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "filedeps", "absolute", false,
      "If True, output with absolute path. If unspecified, output with path relative to the "
      "build root."));
  BRAID_RETURN_IF_ERROR(r.options.AddBool(
      "filedeps", "globs", false,
      "Instead of outputting filenames, output the original globs used in the BUILD file. "
      "This will not include exclude globs (i.e. globs that start with `!`)."));
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
