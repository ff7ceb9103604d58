#include "rules/python/package/package_goal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "core/base/log.h"
#include "core/base/status_macros.h"
#include "core/exec/run_sync.h"
#include "core/fs/path.h"
#include "core/graph/output_path.h"
#include "core/graph/source_roots.h"
#include "core/options/global_options.h"
#include "core/store/store_options.h"
#include "rules/python/generated_files.h"
#include "rules/python/interpreter.h"
#include "rules/python/package/distribution_plan.h"
#include "rules/python/package/metadata.h"
#include "rules/python/package/metadata_fields.h"
#include "rules/python/package/names.h"
#include "rules/python/package/pex.h"
#include "rules/python/package/sdist.h"
#include "rules/python/package/wheel.h"

namespace braid::python {

namespace {

using package::ArchiveEntry;
using package::BuiltFile;
using package::DistributionMetadata;
using package::DistributionPlan;
using package::DistributionPlanner;

// Everything one run of the goal shares.
struct Run {
  Run(app::Workspace& w, const options::Options& o) : ws(w), opts(o) {}
  app::Workspace& ws;
  const options::Options& opts;
  /// The extension points plugins fill (null in hand-built contexts).
  const app::Extensions* extensions = nullptr;
  const graph::TargetGraph* graph = nullptr;
  const fs::FileIndex* index = nullptr;
  graph::DependencyResolver* deps = nullptr;
  const SourceRoots* roots = nullptr;
  std::optional<DistributionPlanner> planner;
  int64_t time = package::kDefaultArchiveTime;
  std::string distdir_abs;
  std::string distdir_rel;  // as printed: relative to the build root when inside it
  std::map<const graph::Target*, DistributionMetadata> metadata;  // memo
};

// The bytes of the file at absolute `path`; nullopt when unreadable.
std::optional<std::string> ReadAbsolute(const std::string& path) {
  FILE* in = std::fopen(path.c_str(), "rb");
  if (in == nullptr) return std::nullopt;
  std::string data;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), in)) > 0) data.append(buf, n);
  std::fclose(in);
  return data;
}

// Writes `bytes` to `rel_path` under the dist dir (temp file + rename), or
// leaves an identical existing file alone (so its mtime says when it last
// changed), and logs `Wrote <distdir>/<rel_path>` either way, as Pants does.
absl::Status WriteOutput(Run& run, const std::string& rel_path, const std::string& bytes,
                         bool executable) {
  std::string abs = absl::StrCat(run.distdir_abs, "/", rel_path);
  if (std::optional<std::string> old = ReadAbsolute(abs); old && *old == bytes) {
    BRAID_LOG(kInfo) << "Wrote " << fs::JoinPath(run.distdir_rel, rel_path);
    return absl::OkStatus();
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(abs).parent_path(), ec);
  std::string tmp = absl::StrCat(abs, ".tmp.", ::getpid());
  FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) {
    return EnvironmentError(Location{abs, 0, 0, ""}, "cannot write the package output");
  }
  bool ok = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
  ok = std::fclose(f) == 0 && ok;
  ::chmod(tmp.c_str(), executable ? 0755 : 0644);
  if (!ok || std::rename(tmp.c_str(), abs.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return EnvironmentError(Location{abs, 0, 0, ""}, "cannot write the package output");
  }
  BRAID_LOG(kInfo) << "Wrote " << fs::JoinPath(run.distdir_rel, rel_path);
  return absl::OkStatus();
}

std::vector<std::string> InterpreterConstraintsOf(const Run& run, const graph::Target& t) {
  std::vector<std::string> ics = t.StringListField("interpreter_constraints");
  if (ics.empty()) ics = run.opts.GetStringList("python", "interpreter_constraints");
  return ics;
}

// The module a pex_binary / entry point spec names: "path/to/app.py[:fn]"
// (relative to `dir`) becomes "path.to.app[:fn]" via its source root.
absl::StatusOr<std::string> ModuleEntryPoint(Run& run, const std::string& spec,
                                             const std::string& dir, const Location& where) {
  std::pair<std::string, std::string> parts = absl::StrSplit(spec, absl::MaxSplits(':', 1));
  if (!absl::EndsWith(parts.first, ".py")) return spec;
  std::string file = fs::JoinPath(dir, parts.first);
  std::optional<std::string> root = run.roots->FindForFile(file);
  if (!root) return UserError(where, absl::StrCat("No source root found for `", file, "`"));
  std::string rel = *root == "." ? file : file.substr(root->size() + 1);
  std::string module = absl::StrReplaceAll(rel.substr(0, rel.size() - 3), {{"/", "."}});
  return parts.second.empty() ? module : absl::StrCat(module, ":", parts.second);
}

// The "distribution metadata" extension point: every hook (e.g.
// braid.plugins.setupgen) edits the metadata as core-metadata fields, which
// are then read back and validated (metadata_fields.h). Hooks run once per
// distribution, before the closure's requirements are added (those need the
// versions of other distributions, i.e. their hooks' answers): a hook sees
// python_artifact's install_requires, not the inferred Requires-Dist.
absl::StatusOr<DistributionMetadata> ApplyMetadataHooks(Run& run, const graph::Target& dist,
                                                        DistributionMetadata m) {
  if (run.extensions == nullptr || run.extensions->metadata_hooks.empty()) return m;
  BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> closure,
                         run.deps->Transitive({&dist}, /*include_roots=*/false));
  app::PackageMetadata fields = package::ToPackageMetadata(m);
  BRAID_RETURN_IF_ERROR(run.extensions->ApplyMetadataHooks(run.ws, dist, closure, fields));
  absl::StatusOr<DistributionMetadata> back = package::FromPackageMetadata(fields, m);
  if (!back.ok()) {
    return UserError(dist.FieldLocation("provides"),
                     absl::StrCat("the metadata plugins gave ", dist.address.Spec(),
                                  " invalid metadata: ", back.status().message()));
  }
  return *std::move(back);
}

absl::StatusOr<const DistributionMetadata*> MetadataOf(Run& run, const graph::Target& dist) {
  auto it = run.metadata.find(&dist);
  if (it != run.metadata.end()) return &it->second;
  const Location& where = dist.FieldLocation("provides");
  const build_file::Value& provides = dist.Field("provides");
  if (provides.kind() != build_file::Value::Kind::kObject ||
      provides.object()->type_name != "python_artifact") {
    return UserError(where,
                     absl::StrCat("python_distribution ", dist.address.Spec(),
                                  " needs `provides=python_artifact(name=..., version=...)`"));
  }
  // The version may come from a metadata hook (braid.plugins.setupgen's
  // VERSION file): checked once the hooks ran.
  BRAID_ASSIGN_OR_RETURN(DistributionMetadata m,
                         package::MetadataFromArtifact(*provides.object(), where,
                                                       /*version_required=*/false));
  // Entry points from the field; values naming a pex_binary use its entry point.
  BRAID_RETURN_IF_ERROR(
      package::AddEntryPoints(dist.Field("entry_points"), dist.FieldLocation("entry_points"), m));
  for (auto& [group, entries] : m.entry_points) {
    for (auto& [name, value] : entries) {
      if (!absl::StartsWith(value, ":") && !absl::StrContains(value, '/')) continue;
      const Location& ep_where = dist.FieldLocation("entry_points");
      absl::StatusOr<Address> addr =
          ParseAddress(value, dist.address.spec_path(), *run.index);
      const graph::Target* pex = addr.ok() ? run.graph->Find(*addr) : nullptr;
      if (pex == nullptr || pex->alias() != "pex_binary") {
        return UserError(ep_where, absl::StrCat("entry point '", name, "' refers to '", value,
                                                "', which is not a pex_binary target"));
      }
      std::string ep = pex->StringField("entry_point");
      BRAID_ASSIGN_OR_RETURN(ep, ModuleEntryPoint(run, ep, pex->address.spec_path(), ep_where));
      if (!absl::StrContains(ep, ':')) {
        return UserError(ep_where, absl::StrCat("entry point '", name, "': the entry_point of ",
                                                pex->address.Spec(), " ('", ep,
                                                "') has no function (`module:function`)"));
      }
      value = ep;
    }
  }
  // long_description_path.
  std::string ldp = dist.StringField("long_description_path");
  if (!ldp.empty()) {
    const Location& lwhere = dist.FieldLocation("long_description_path");
    if (!m.description.empty()) {
      return UserError(lwhere, "long_description_path and python_artifact(long_description=...) "
                               "cannot both be given");
    }
    absl::StatusOr<std::string> text = run.ws.fs().ReadFile(ldp);
    if (!text.ok()) {
      return UserError(lwhere, absl::StrCat("cannot read long_description_path '", ldp, "'"));
    }
    m.description = *text;
    if (m.description_content_type.empty()) {
      if (absl::EndsWith(ldp, ".md")) m.description_content_type = "text/markdown";
      else if (absl::EndsWith(ldp, ".rst")) m.description_content_type = "text/x-rst";
      else m.description_content_type = "text/plain";
    }
  }
  if (m.requires_python.empty()) {
    m.requires_python = package::RequiresPythonFromConstraints(InterpreterConstraintsOf(run, dist));
  }
  BRAID_ASSIGN_OR_RETURN(m, ApplyMetadataHooks(run, dist, std::move(m)));
  if (m.version.empty()) {
    return UserError(where, absl::StrCat("python_artifact(name=\"", m.name, "\") needs a `version`"),
                     "set `version=...`, or enable a plugin that provides it, e.g. "
                     "\"braid.plugins.setupgen\" in [GLOBAL].backend_packages (reads a VERSION "
                     "file)");
  }
  return &run.metadata.emplace(&dist, std::move(m)).first->second;
}

absl::StatusOr<std::vector<ArchiveEntry>> ReadPlannedFiles(Run& run, const DistributionPlan& plan) {
  std::vector<ArchiveEntry> files;
  for (const package::PlannedFile& f : plan.files) {
    absl::StatusOr<std::string> data = run.ws.fs().ReadFile(f.source);
    if (!data.ok()) {
      return EnvironmentError(Location{f.source, 0, 0, ""}, "cannot read the file to package");
    }
    struct stat st {};
    bool exec = ::stat(absl::StrCat(run.ws.buildroot(), "/", f.source).c_str(), &st) == 0 &&
                (st.st_mode & 0100) != 0;
    files.push_back({f.path, std::move(*data), exec});
  }
  return files;
}

// Files plugins generate for the targets the distribution holds ("generate"
// extension point), placed like sources: relative to their source root.
absl::Status AddGeneratedFiles(Run& run, const DistributionPlan& plan,
                               std::vector<ArchiveEntry>& files) {
  BRAID_ASSIGN_OR_RETURN(std::vector<app::GeneratedFile> generated,
                         GeneratedFilesOf(run.ws, run.extensions, plan.targets));
  std::set<std::string> taken;
  for (const ArchiveEntry& f : files) taken.insert(f.path);
  for (app::GeneratedFile& g : generated) {
    std::optional<std::string> root = run.roots->FindForFile(g.path);
    if (!root) {
      return UserError(plan.dist->location,
                       absl::StrCat("No source root found for the generated file `", g.path,
                                    "` (packaged by ", plan.dist->address.Spec(), ")"),
                       "see `[source].root_patterns` and `braid roots`");
    }
    std::string path = *root == "." ? g.path : g.path.substr(root->size() + 1);
    if (!taken.insert(path).second) {
      return UserError(plan.dist->location,
                       absl::StrCat(plan.dist->address.Spec(), " would hold two files at ", path,
                                    ": a source and the generated file ", g.path));
    }
    files.push_back({path, std::move(g.content), g.executable});
  }
  return absl::OkStatus();
}

// PEP 427 tag of the wheel: py3-none-any, or py3-none-<tag> when a platform
// hook (braid.plugins.platform_resources) says the distribution's targets are
// specific to one platform. The files stay pure Python (Root-Is-Purelib:
// true), as `setup.py bdist_wheel --plat-name=<tag>` writes them.
absl::StatusOr<std::string> WheelTag(Run& run, const DistributionPlan& plan) {
  if (run.extensions == nullptr || run.extensions->platform_hooks.empty()) return "py3-none-any";
  absl::StatusOr<app::ClosurePlatform> p = run.extensions->PlatformOf(run.ws, plan.targets);
  if (!p.ok()) {
    // Hooks' own errors are located; two hooks disagreeing is not (it is
    // about the whole closure): place it at the distribution.
    if (absl::StartsWith(p.status().message(), "the closure is specific to")) {
      return UserError(plan.dist->location, absl::StrCat(plan.dist->address.Spec(), ": ",
                                                         p.status().message()));
    }
    return p.status();
  }
  return p->package_tag.empty() ? std::string("py3-none-any")
                                : absl::StrCat("py3-none-", p->package_tag);
}

// The dist-dir subdirectory of a python_distribution (its output_path field).
absl::StatusOr<std::string> DistOutputDir(const graph::Target& dist) {
  std::string out = dist.StringField("output_path");
  absl::StatusOr<std::string> norm = fs::NormalizeRelativePath(out);
  if (!norm.ok()) {
    return UserError(dist.FieldLocation("output_path"),
                     absl::StrCat("output_path: ", norm.status().message()));
  }
  return *norm;
}

// generate_setup=False: the project's own build backend, run offline as
// `python -m build --no-isolation` on a copy of the distribution's directory.
absl::Status BuildWithBackend(Run& run, const graph::Target& dist, bool wheel, bool sdist) {
  const Location& where = dist.location;
  InterpreterRequest ir;
  ir.search_path = run.opts.GetStringList("python-bootstrap", "search_path");
  ir.names = run.opts.GetStringList("python-bootstrap", "names");
  ir.constraints = InterpreterConstraintsOf(run, dist);
  ir.env = run.ws.env();
  BRAID_ASSIGN_OR_RETURN(InterpreterInfo py, SelectInterpreter(ir));

  std::string dir = dist.address.spec_path();
  char tmpl[] = "/tmp/braid-pep517-XXXXXX";
  if (::mkdtemp(tmpl) == nullptr) return EnvironmentError(where, "cannot create a sandbox");
  std::string sandbox = tmpl;
  auto cleanup = [&sandbox] {
    std::error_code ec;
    std::filesystem::remove_all(sandbox, ec);
  };
  // The sandbox holds the distribution directory's files (not BUILD files).
  bool has_project = false;
  for (const std::string& f : run.index->files()) {
    if (!fs::IsUnderDir(f, dir) || f == dir) continue;
    std::string base(fs::Basename(f));
    if (base == "BUILD" || absl::StartsWith(base, "BUILD.")) continue;
    std::string rel = dir.empty() ? f : f.substr(dir.size() + 1);
    if (rel == "pyproject.toml" || rel == "setup.py" || rel == "setup.cfg") has_project = true;
    absl::StatusOr<std::string> data = run.ws.fs().ReadFile(f);
    if (!data.ok()) continue;
    std::string dest = absl::StrCat(sandbox, "/src/", rel);
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(dest).parent_path(), ec);
    FILE* out = std::fopen(dest.c_str(), "wb");
    if (out == nullptr) {
      cleanup();
      return EnvironmentError(where, "cannot write to the build sandbox");
    }
    std::fwrite(data->data(), 1, data->size(), out);
    std::fclose(out);
  }
  if (!has_project) {
    cleanup();
    return UserError(where,
                     absl::StrCat(dist.address.Spec(), " has generate_setup=False but no "
                                  "pyproject.toml, setup.py or setup.cfg in ",
                                  dir.empty() ? "the build root" : dir));
  }
  std::vector<std::string> argv = {py.path, "-m", "build", "--no-isolation", "--outdir",
                                   absl::StrCat(sandbox, "/out")};
  if (wheel && !sdist) argv.push_back("--wheel");
  if (sdist && !wheel) argv.push_back("--sdist");
  argv.push_back(absl::StrCat(sandbox, "/src"));
  std::map<std::string, std::string> env = {
      {"HOME", sandbox}, {"SOURCE_DATE_EPOCH", absl::StrCat(run.time)},
      {"PYTHONDONTWRITEBYTECODE", "1"}, {"PIP_NO_INDEX", "1"}, {"LANG", "C.UTF-8"}};
  if (auto it = run.ws.env().find("PATH"); it != run.ws.env().end()) env["PATH"] = it->second;
  for (const std::string& kv : dist.StringListField("env_vars")) {
    size_t eq = kv.find('=');
    if (eq != std::string::npos) {
      env[kv.substr(0, eq)] = kv.substr(eq + 1);
    } else if (auto it = run.ws.env().find(kv); it != run.ws.env().end()) {
      env[kv] = it->second;
    }
  }
  absl::StatusOr<exec::SyncResult> r = exec::RunSync(argv, env, absl::Minutes(10));
  if (!r.ok() || r->exit_code != 0) {
    std::string detail = r.ok() ? absl::StrCat(r->stdout_bytes, r->stderr_bytes)
                                : std::string(r.status().message());
    cleanup();
    return UserError(where, absl::StrCat("the PEP 517 build backend failed for ",
                                         dist.address.Spec(), " (`", absl::StrJoin(argv, " "),
                                         "`):\n", detail),
                     "`python -m build` (Debian: python3-build) and the backend must be "
                     "installed for the interpreter; nothing is downloaded");
  }
  BRAID_ASSIGN_OR_RETURN(std::string outdir, DistOutputDir(dist));
  std::vector<std::string> built;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(sandbox + "/out", ec)) {
    built.push_back(e.path().filename().string());
  }
  std::sort(built.begin(), built.end(), [](const std::string& a, const std::string& b) {
    // Wheel first, like the native path.
    bool aw = absl::EndsWith(a, ".whl"), bw = absl::EndsWith(b, ".whl");
    return aw != bw ? aw : a < b;
  });
  absl::Status status;
  for (const std::string& name : built) {
    std::optional<std::string> bytes = ReadAbsolute(absl::StrCat(sandbox, "/out/", name));
    if (!bytes) {
      status = EnvironmentError(where, absl::StrCat("cannot read the built file ", name));
      break;
    }
    status = WriteOutput(run, fs::JoinPath(outdir, name), *bytes, false);
    if (!status.ok()) break;
  }
  cleanup();
  return status;
}

absl::Status PackageDistribution(Run& run, const graph::Target& dist) {
  bool wheel = dist.Field("wheel").Truthy();
  bool sdist = dist.Field("sdist").Truthy();
  if (!wheel && !sdist) {
    return UserError(dist.location, absl::StrCat(dist.address.Spec(),
                                                 " builds nothing: both wheel and sdist are "
                                                 "False"));
  }
  const build_file::Value& gs = dist.Field("generate_setup");
  bool generate = gs.kind() == build_file::Value::Kind::kBool
                      ? gs.bool_value()
                      : run.opts.GetBool("setup-py-generation", "generate_setup_default");
  // The project's own pyproject.toml / setup.py names the distribution, so Pants accepts
  // `provides=python_artifact()` there (Polylith repositories do that): no metadata needed.
  if (!generate) return BuildWithBackend(run, dist, wheel, sdist);
  // Metadata first (a bad python_artifact is the likeliest error).
  BRAID_ASSIGN_OR_RETURN(const DistributionMetadata* base, MetadataOf(run, dist));

  BRAID_ASSIGN_OR_RETURN(DistributionPlan plan, run.planner->Plan(dist));
  if (plan.files.empty()) {
    return UserError(dist.location,
                     absl::StrCat("python_distribution ", dist.address.Spec(),
                                  " has no sources to package"),
                     "add the python_sources it ships to its `dependencies`");
  }
  // The distribution metadata: python_artifact plus what the closure requires.
  DistributionMetadata m = *base;
  for (const std::string& r : plan.third_party) {
    absl::StatusOr<std::string> n = package::NormalizeRequirement(r);
    package::AddRequirement(m, n.ok() ? *n : r);
  }
  std::string scheme = run.opts.GetString("setup-py-generation",
                                          "first_party_dependency_version_scheme");
  for (const graph::Target* other : plan.first_party) {
    BRAID_ASSIGN_OR_RETURN(const DistributionMetadata* om, MetadataOf(run, *other));
    std::string op = scheme == "compatible" ? "~=" : scheme == "any" ? "" : "==";
    package::AddRequirement(m, op.empty() ? om->name : absl::StrCat(om->name, op, om->version));
  }
  // Sorted, as setuptools writes install_requires (so the native wheel and a
  // wheel built from the sdist list them alike).
  std::sort(m.requires_dist.begin(), m.requires_dist.end());
  BRAID_ASSIGN_OR_RETURN(std::vector<ArchiveEntry> files, ReadPlannedFiles(run, plan));
  BRAID_RETURN_IF_ERROR(AddGeneratedFiles(run, plan, files));
  BRAID_ASSIGN_OR_RETURN(std::string outdir, DistOutputDir(dist));
  if (wheel) {
    package::WheelOptions wo;
    BRAID_ASSIGN_OR_RETURN(wo.tag, WheelTag(run, plan));
    wo.generator = absl::StrCat("braid (", app::BraidVersion(), ")");
    wo.time = run.time;
    absl::StatusOr<BuiltFile> w = package::BuildWheel(m, files, wo);
    if (!w.ok()) return UserError(dist.location, w.status().message());
    BRAID_RETURN_IF_ERROR(WriteOutput(run, fs::JoinPath(outdir, w->file_name), w->bytes, false));
  }
  if (sdist) {
    absl::StatusOr<BuiltFile> s =
        package::BuildSdist(m, std::move(files), dist.address.Spec(), run.time);
    if (!s.ok()) return UserError(dist.location, s.status().message());
    BRAID_RETURN_IF_ERROR(WriteOutput(run, fs::JoinPath(outdir, s->file_name), s->bytes, false));
  }
  return absl::OkStatus();
}

// The pex's path under the dist dir: its `output_path` template expanded as Pants does
// (graph::ExpandOutputPath, with the ".pex" suffix).
absl::StatusOr<std::string> PexOutputPath(const graph::Target& pex) {
  const std::string tmpl = pex.StringField("output_path");
  absl::StatusOr<std::string> out = graph::ExpandOutputPath(pex.address, tmpl, ".pex");
  if (!out.ok()) {
    return UserError(pex.FieldLocation("output_path"),
                     absl::StrCat("invalid output_path '", tmpl, "' of pex_binary ",
                                  pex.address.Spec(), ": ", out.status().message(),
                                  " (it may use ${spec_path_normalized}, "
                                  "${target_name_normalized} and ${file_suffix})"));
  }
  return out;
}

// The bytes of pex_binary `pex`: what `package` writes and `run` executes.
absl::StatusOr<std::string> BuildPexBytes(Run& run, const graph::Target& pex) {
  const Location& where = pex.FieldLocation("entry_point");
  std::string ep = pex.StringField("entry_point");
  if (ep.empty()) {
    return UserError(pex.location,
                     absl::StrCat("pex_binary ", pex.address.Spec(),
                                  " needs an `entry_point` (braid does not support `script` or "
                                  "`executable` yet)"));
  }
  BRAID_ASSIGN_OR_RETURN(ep, ModuleEntryPoint(run, ep, pex.address.spec_path(), where));
  BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> closure,
                         run.deps->Transitive({&pex}, /*include_roots=*/false));
  std::map<std::string, std::string> by_path;
  package::PexOptions po;
  po.time = run.time;
  po.entry_point = ep;
  po.interpreter_constraints = InterpreterConstraintsOf(run, pex);
  if (std::string shebang = pex.StringField("shebang"); !shebang.empty()) {
    po.shebang = absl::StartsWith(shebang, "#!") ? shebang.substr(2) : shebang;
  }
  bool include_sources = pex.Field("include_sources").Truthy();
  bool include_reqs = pex.Field("include_requirements").Truthy();
  for (const graph::Target* t : closure) {
    if (t->alias() == "python_requirement") {
      if (!include_reqs) continue;
      for (const std::string& r : t->StringListField("requirements")) {
        if (std::find(po.requirements.begin(), po.requirements.end(), r) == po.requirements.end()) {
          po.requirements.push_back(r);
        }
      }
      continue;
    }
    if (!include_sources || (t->alias() != "python_source" && t->alias() != "resource")) continue;
    for (const std::string& f : t->sources) {
      std::optional<std::string> root = run.roots->FindForFile(f);
      if (!root) return UserError(t->location, absl::StrCat("No source root found for `", f, "`"));
      by_path.emplace(*root == "." ? f : f.substr(root->size() + 1), f);
    }
  }
  std::vector<ArchiveEntry> files;
  for (const auto& [path, source] : by_path) {
    absl::StatusOr<std::string> data = run.ws.fs().ReadFile(source);
    if (!data.ok()) return EnvironmentError(Location{source, 0, 0, ""}, "cannot read the file");
    files.push_back({path, std::move(*data)});
  }
  absl::StatusOr<std::string> bytes = package::BuildPex(std::move(files), po);
  if (!bytes.ok()) return UserError(pex.location, bytes.status().message());
  // Without this, the first sign is a ModuleNotFoundError at run time. With
  // include_requirements=False the user chose to leave them out: no warning.
  if (!po.requirements.empty()) {
    run.ws.WarnOnce(absl::StrCat(
        "pex_binary ", pex.address.Spec(),
        ": braid's pex does not bundle third-party packages; they are listed in PEX-INFO and "
        "must be importable by the interpreter that runs it: ",
        absl::StrJoin(po.requirements, ", ")));
  }
  return *std::move(bytes);
}

absl::Status PackagePex(Run& run, const graph::Target& pex) {
  BRAID_ASSIGN_OR_RETURN(std::string bytes, BuildPexBytes(run, pex));
  BRAID_ASSIGN_OR_RETURN(std::string out_path, PexOutputPath(pex));
  return WriteOutput(run, out_path, bytes, true);
}

// What every use of Run needs: the graph, dependencies, source roots and archive time.
absl::Status InitRun(Run& run, const app::Extensions* extensions) {
  app::Workspace& ws = run.ws;
  run.extensions = extensions;
  BRAID_ASSIGN_OR_RETURN(run.graph, ws.Graph());
  BRAID_ASSIGN_OR_RETURN(run.index, ws.Index());
  BRAID_ASSIGN_OR_RETURN(run.deps, ws.Dependencies());
  BRAID_ASSIGN_OR_RETURN(run.roots, ws.Roots());
  run.planner.emplace(*run.graph, *run.deps, *run.roots, *run.index);
  absl::StatusOr<int64_t> time = package::ArchiveTimeFromEnv(ws.env());
  if (!time.ok()) return UserError(Location{}, time.status().message());
  run.time = *time;
  return absl::OkStatus();
}

absl::StatusOr<int> RunPackage(app::GoalContext& ctx) {
  app::Workspace& ws = ctx.workspace;
  BRAID_ASSIGN_OR_RETURN(std::vector<const graph::Target*> selected, ws.SelectedTargets());
  BRAID_ASSIGN_OR_RETURN(const graph::TargetGraph* graph, ws.Graph());
  // As in Pants, a generator (pex_binaries) selects what it generates; each target once, in
  // address order.
  std::set<const graph::Target*> chosen;
  auto packageable = [](const graph::Target& t) {
    return package::IsDistribution(t) || t.alias() == "pex_binary";
  };
  for (const graph::Target* t : selected) {
    if (packageable(*t)) chosen.insert(t);
    for (uint32_t i : t->generated) {
      if (packageable(graph->targets()[i])) chosen.insert(&graph->targets()[i]);
    }
  }
  std::vector<const graph::Target*> targets(chosen.begin(), chosen.end());
  std::sort(targets.begin(), targets.end(),
            [](const graph::Target* a, const graph::Target* b) { return a->address < b->address; });
  if (targets.empty()) {
    ws.WarnOnce("No applicable files or targets matched. The `package` goal works with these "
                "target types: pex_binary, python_distribution");
    return 0;
  }
  Run run(ws, ctx.options);
  BRAID_RETURN_IF_ERROR(InitRun(run, ctx.extensions));
  run.distdir_abs = options::ExpandPathOption(ctx.options.GetString("GLOBAL", "pants_distdir"),
                                              ws.buildroot(), "");
  run.distdir_rel = run.distdir_abs;
  if (absl::StartsWith(run.distdir_abs, ws.buildroot() + "/")) {
    run.distdir_rel = run.distdir_abs.substr(ws.buildroot().size() + 1);
  }
  for (const graph::Target* t : targets) {
    if (package::IsDistribution(*t)) {
      BRAID_RETURN_IF_ERROR(PackageDistribution(run, *t));
    } else {
      BRAID_RETURN_IF_ERROR(PackagePex(run, *t));
    }
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::string> BuildPexBinary(app::GoalContext& ctx, const graph::Target& pex) {
  Run run(ctx.workspace, ctx.options);
  BRAID_RETURN_IF_ERROR(InitRun(run, ctx.extensions));
  return BuildPexBytes(run, pex);
}

absl::Status RegisterPackageGoal(app::Registries& registries) {
  using options::ScopeKind;
  options::OptionRegistry& r = registries.options;
  if (r.FindScope("package") == nullptr) {
    BRAID_RETURN_IF_ERROR(r.AddScope({"package", ScopeKind::kGoal,
                                      "Create a distributable package."}));
  }
  if (r.FindScope("setup-py-generation") == nullptr) {
    BRAID_RETURN_IF_ERROR(r.AddScope({"setup-py-generation", ScopeKind::kSubsystem,
                                      "Options to control how setup.py is generated from a "
                                      "`python_distribution` target."}));
    BRAID_RETURN_IF_ERROR(r.AddBool(
        "setup-py-generation", "generate_setup_default", true,
        "The default value for the `generate_setup` field on `python_distribution` targets: "
        "whether braid writes the distribution from the sources and dependencies (true) or "
        "runs the project's own build backend (false)."));
    BRAID_RETURN_IF_ERROR(r.AddEnum(
        "setup-py-generation", "first_party_dependency_version_scheme",
        {"exact", "compatible", "any"}, std::string("exact"),
        "What version to set in Requires-Dist for first-party distributions a distribution "
        "depends on: `exact` (==), `compatible` (~=) or `any` (no version)."));
  }
  // Pants still registers the pre-2.x name of python_artifact (example-python used it).
  registries.target_types.RegisterObjectAlias(
      "setup_py", "python_artifact",
      "Older name of `python_artifact`, which Pants still accepts: the setup() keyword "
      "arguments of a `python_distribution`, e.g. `provides=setup_py(name='my-dist', "
      "version='1.0')`.");
  registries.goals.Register(
      {"package", "Create a distributable package.", RunPackage, /*uses_dependencies=*/true});
  return absl::OkStatus();
}

}  // namespace braid::python
