#include "core/app/changed.h"

#include <algorithm>
#include <future>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "core/app/workspace.h"
#include "core/base/error.h"
#include "core/base/log.h"
#include "core/base/status_macros.h"
#include "core/fs/glob.h"
#include "core/fs/path.h"
#include "core/graph/spec_resolver.h"

namespace braid::app {

namespace {

using graph::Target;

bool ByAddress(const Target* a, const Target* b) { return a->address < b->address; }

std::vector<const Target*> SortedUnique(std::set<const Target*> set) {
  std::vector<const Target*> out(set.begin(), set.end());
  std::sort(out.begin(), out.end(), ByAddress);
  return out;
}

// True when `dir` is `ancestor` or below it ("" is the root).
bool InOrBelow(absl::string_view dir, absl::string_view ancestor) {
  if (ancestor.empty() || dir == ancestor) return true;
  return absl::StartsWith(dir, ancestor) && dir.size() > ancestor.size() &&
         dir[ancestor.size()] == '/';
}

// Targets whose current sources/source field would own `path` if it existed:
// the owners of a deleted file. Only BUILD files in `path`'s directory or an
// ancestor can own it (as in Pants; a "../" glob reaching sideways is not
// considered).
absl::StatusOr<std::vector<const Target*>> FormerOwners(const graph::TargetGraph& g,
                                                        absl::string_view path) {
  std::vector<const Target*> out;
  absl::string_view dir = fs::Dirname(path);
  for (const Target& t : g.targets()) {
    if (t.address.is_generated_target()) continue;  // their file exists, or they are gone
    if (!InOrBelow(dir, t.address.spec_path())) continue;
    if (const graph::FieldSpec* s = t.type->FindField("sources");
        s != nullptr && s->type == graph::FieldType::kSources) {
      absl::StatusOr<fs::PathGlobs> globs =
          fs::PathGlobs::Create(t.address.spec_path(), t.StringListField("sources"));
      if (globs.ok() && globs->Matches(path)) out.push_back(&t);
    } else if (const graph::FieldSpec* one = t.type->FindField("source");
               one != nullptr && one->type == graph::FieldType::kSource) {
      std::string src = t.StringField("source");
      if (src.empty()) continue;
      absl::StatusOr<std::string> p =
          fs::NormalizeRelativePath(fs::JoinPath(t.address.spec_path(), src));
      if (p.ok() && *p == path) out.push_back(&t);
    }
  }
  return out;
}

}  // namespace

ChangedOptions ReadChangedOptions(const options::Options& options) {
  ChangedOptions c;
  c.since = options.GetOptionalString("changed", "since");
  c.diffspec = options.GetOptionalString("changed", "diffspec");
  std::string mode = options.GetString("changed", "dependents");
  c.dependents = mode == "transitive" ? ChangedDependents::kTransitive
                 : mode == "direct"   ? ChangedDependents::kDirect
                                      : ChangedDependents::kNone;
  return c;
}

absl::Status CheckNoSpecsWithChanged(const Specs& specs, const ChangedOptions& changed) {
  if (specs.empty()) return absl::OkStatus();
  bool targets = false, files = false;
  for (const std::vector<Spec>* list : {&specs.includes, &specs.ignores}) {
    for (const Spec& s : *list) {
      (s.kind == SpecKind::kFileLiteral || s.kind == SpecKind::kFileGlob ? files : targets) = true;
    }
  }
  const char* what = targets && files ? "target/file arguments"
                     : files          ? "file arguments"
                                      : "target arguments";
  return UserError(Location{},
                   absl::StrCat("You used `", changed.flag(), "` at the same time as using ", what,
                                ". You can only use `", changed.flag(),
                                "` or use normal arguments."));
}

absl::StatusOr<std::vector<const Target*>> ChangedOwners(
    const std::vector<vcs::ChangedFile>& files, const ChangeContext& ctx,
    std::vector<std::string>* notes) {
  const graph::TargetGraph& g = *ctx.graph;
  absl::StatusOr<fs::PathGlobs> prelude = fs::PathGlobs::Create("", ctx.prelude_globs);
  for (const vcs::ChangedFile& f : files) {
    const bool config = f.path == "pants.toml" ||
                        std::find(ctx.config_files.begin(), ctx.config_files.end(), f.path) !=
                            ctx.config_files.end();
    const bool is_prelude = prelude.ok() && !ctx.prelude_globs.empty() && prelude->Matches(f.path);
    if (config || is_prelude) {
      notes->push_back(absl::StrCat(
          f.path, " changed: treating every target as changed, because ",
          config ? "its options" : "its BUILD prelude macros", " can affect how any target builds"));
      std::vector<const Target*> all;
      all.reserve(g.targets().size());
      for (const Target& t : g.targets()) all.push_back(&t);
      return all;
    }
  }

  std::set<const Target*> out;
  // Marks `t`, and for a target made by a custom generator (whose input file
  // defines them all) the generator and all it generated.
  auto mark = [&](const Target* t) {
    out.insert(t);
    if (!t->address.is_generated_target()) return;
    const Target* gen = g.Find(t->address.GeneratorAddress());
    if (gen == nullptr || gen->type->custom_generator == nullptr) return;
    out.insert(gen);
    for (uint32_t i : gen->generated) out.insert(&g.targets()[i]);
  };

  std::set<std::string> changed_build_files;
  for (const vcs::ChangedFile& f : files) {
    if (graph::IsBuildFileName(fs::Basename(f.path), ctx.build_patterns)) {
      changed_build_files.insert(f.path);
    }
    if (!f.deleted && ctx.index->HasFile(f.path)) {
      for (const Target* t : g.OwnersOf(f.path)) mark(t);
    } else {
      BRAID_ASSIGN_OR_RETURN(std::vector<const Target*> former, FormerOwners(g, f.path));
      for (const Target* t : former) mark(t);
    }
  }
  if (!changed_build_files.empty()) {
    // Directories whose BUILD file sets __defaults__: everything below them.
    std::vector<std::string> default_dirs;
    for (const std::string& b : changed_build_files) {
      if (ctx.fs == nullptr || !ctx.index->HasFile(b)) continue;
      absl::StatusOr<std::string> text = ctx.fs->ReadFile(b);
      if (text.ok() && absl::StrContains(*text, "__defaults__")) {
        default_dirs.emplace_back(fs::Dirname(b));
      }
    }
    for (const Target& t : g.targets()) {
      if (changed_build_files.count(t.location.file)) {
        out.insert(&t);
        continue;
      }
      for (const std::string& d : default_dirs) {
        if (InOrBelow(t.address.spec_path(), d)) {
          out.insert(&t);
          break;
        }
      }
    }
  }
  return SortedUnique(std::move(out));
}

absl::StatusOr<std::vector<const Target*>> AddDependents(const std::vector<const Target*>& owners,
                                                         ChangedDependents mode,
                                                         graph::DependencyResolver& deps) {
  if (mode == ChangedDependents::kNone) return owners;
  std::set<const Target*> dependents;
  if (mode == ChangedDependents::kDirect) {
    for (const Target* t : owners) {
      BRAID_ASSIGN_OR_RETURN(const std::vector<const Target*>* d, deps.Dependents(*t));
      dependents.insert(d->begin(), d->end());
    }
  } else {
    BRAID_ASSIGN_OR_RETURN(std::vector<const Target*> d,
                           deps.TransitiveDependents(owners, /*include_roots=*/false));
    dependents.insert(d.begin(), d.end());
  }
  // As Pants (pantsbuild/pants#15313): the generator of a changed file target
  // "depends" on it, but listing it would read as "every sibling changed".
  for (const Target* t : owners) {
    if (!t->address.is_generated_target()) continue;
    if (const Target* gen = deps.graph().Find(t->address.GeneratorAddress())) {
      dependents.erase(gen);
    }
  }
  std::set<const Target*> all(owners.begin(), owners.end());
  all.insert(dependents.begin(), dependents.end());
  return SortedUnique(std::move(all));
}

std::vector<const Target*> FilterByTags(std::vector<const Target*> targets,
                                        const std::vector<std::string>& tag_options) {
  std::vector<std::string> want, reject;
  graph::ParseTagFilters(tag_options, &want, &reject);
  if (want.empty() && reject.empty()) return targets;
  std::vector<const Target*> out;
  for (const Target* t : targets) {
    auto has = [&](const std::string& tag) { return t->HasTag(tag); };
    if (!want.empty() && std::none_of(want.begin(), want.end(), has)) continue;
    if (std::any_of(reject.begin(), reject.end(), has)) continue;
    out.push_back(t);
  }
  return out;
}

absl::StatusOr<std::vector<const Target*>> SelectChangedTargets(Workspace& ws,
                                                                const ChangedOptions& changed,
                                                                vcs::Git& git) {
  BRAID_ASSIGN_OR_RETURN(Specs specs, ws.CommandLineSpecs());
  BRAID_RETURN_IF_ERROR(CheckNoSpecsWithChanged(specs, changed));
  absl::Time start = absl::Now();
  // Git and the BUILD files are independent: ask git while the graph loads,
  // so a big repository pays max(git, graph) rather than the sum.
  absl::Duration git_time;
  std::future<absl::StatusOr<std::vector<vcs::ChangedFile>>> pending =
      std::async(std::launch::async, [&git, &changed, &git_time, start] {
        auto r = git.ChangedFiles(vcs::ChangeQuery{changed.since, changed.diffspec});
        git_time = absl::Now() - start;
        return r;
      });
  absl::StatusOr<const graph::TargetGraph*> loaded = ws.Graph();
  absl::StatusOr<std::vector<vcs::ChangedFile>> changed_files = pending.get();
  if (!changed_files.ok()) return changed_files.status();
  BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* g, loaded);
  std::vector<vcs::ChangedFile> files = *std::move(changed_files);
  BRAID_ASSIGN_OR_RETURN(const fs::FileIndex* index, ws.Index());
  absl::Time graph_done = absl::Now();
  ChangeContext ctx;
  ctx.graph = g;
  ctx.index = index;
  ctx.fs = &ws.fs();
  ctx.build_patterns = ws.options().GetStringList("GLOBAL", "build_patterns");
  ctx.prelude_globs = ws.options().GetStringList("GLOBAL", "build_file_prelude_globs");
  ctx.config_files = ws.options().config_files();
  std::vector<std::string> notes;
  BRAID_ASSIGN_OR_RETURN(std::vector<const Target*> owners, ChangedOwners(files, ctx, &notes));
  for (std::string& n : notes) ws.WarnOnce(std::move(n));
  std::vector<const Target*> selected = owners;
  if (changed.dependents != ChangedDependents::kNone && !owners.empty()) {
    BRAID_ASSIGN_OR_RETURN(graph::DependencyResolver * deps, ws.Dependencies());
    BRAID_ASSIGN_OR_RETURN(selected, AddDependents(owners, changed.dependents, *deps));
  }
  selected = FilterByTags(std::move(selected), ws.options().GetStringList("GLOBAL", "tag"));
  absl::Time end = absl::Now();
  BRAID_LOG(kDebug) << changed.flag() << ": " << files.size() << " changed files -> "
                    << owners.size() << " changed targets -> " << selected.size()
                    << " selected; git " << absl::ToDoubleMilliseconds(git_time) << " ms, graph "
                    << absl::ToDoubleMilliseconds(graph_done - start)
                    << " ms, mapping " << absl::ToDoubleMilliseconds(end - graph_done) << " ms";
  return selected;
}

}  // namespace braid::app
