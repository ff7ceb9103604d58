#include "rules/python/infer/python_inferrer.h"

#include <fnmatch.h>
#include <xxhash.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "re2/re2.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "core/base/log.h"
#include "core/base/status_macros.h"
#include "core/fs/path.h"
#include "rules/python/infer/asset_strings.h"
#include "rules/python/infer/module_mapping.h"
#include "rules/python/infer/stdlib.h"
#include "rules/python/requirements.h"

namespace braid::python {

using graph::Dependency;
using graph::Target;

namespace {

constexpr char kRuleImport[] = "import";
constexpr char kRuleWeakImport[] = "weak import";
constexpr char kRuleStringImport[] = "string import";
constexpr char kRuleConftest[] = "conftest";
constexpr char kRuleInitFile[] = "init file";
constexpr char kRuleAsset[] = "asset";
constexpr char kRuleEntryPoint[] = "entry point";
constexpr char kRuleCodegenRuntime[] = "codegen runtime";
constexpr char kRulePragma[] = "pragma";

bool IsPythonSourceTarget(const Target& t) {
  return !t.is_generator() && (t.alias() == "python_source" || t.alias() == "python_test");
}

// The Python modules protoc generates from root-stripped `stripped_proto`
// (Pants' proto_path_to_py_module: every ".proto" becomes the suffix, every
// "/" a dot).
std::string ProtobufModule(absl::string_view stripped_proto, absl::string_view suffix) {
  return absl::StrReplaceAll(stripped_proto, {{".proto", suffix}, {"/", "."}});
}

// The package the Apache Thrift compiler writes a .thrift file's Python code
// to: its last `namespace py X` (Pants' thrift_parser regex; the value is the
// rest of the line, trailing blanks dropped), else the file's name without
// its extension (Pants' thrift_path_to_py_modules).
std::string ThriftPythonPackage(absl::string_view path, absl::string_view content) {
  static const RE2* const kNamespace = new RE2(R"(namespace\s+([a-z]+)\s+(.+)\s*)");
  std::string package;
  re2::StringPiece input(content.data(), content.size());
  std::string lang, value;
  while (RE2::FindAndConsume(&input, *kNamespace, &lang, &value)) {
    if (lang == "py") package = std::string(absl::StripTrailingAsciiWhitespace(value));
  }
  if (!package.empty()) return package;
  absl::string_view name = fs::Basename(path);
  size_t dot = name.rfind('.');
  return std::string(dot == absl::string_view::npos || dot == 0 ? name : name.substr(0, dot));
}

}  // namespace

bool IsPythonFile(absl::string_view path) {
  return absl::EndsWith(path, ".py") || absl::EndsWith(path, ".pyi");
}

PythonInferOptions PythonInferOptions::FromOptions(const options::Options& o) {
  PythonInferOptions p;
  p.imports = o.GetBool("python-infer", "imports");
  p.scan.string_imports = o.GetBool("python-infer", "string_imports");
  p.scan.string_imports_min_dots = static_cast<int>(o.GetInt("python-infer", "string_imports_min_dots"));
  p.scan.string_import_ignore = o.GetStringList("python-infer", "string_import_ignore");
  p.assets = o.GetBool("python-infer", "assets");
  p.assets_min_slashes = static_cast<int>(o.GetInt("python-infer", "assets_min_slashes"));
  std::string init = o.GetString("python-infer", "init_files");
  p.init_files = init == "always"  ? InitFiles::kAlways
                 : init == "never" ? InitFiles::kNever
                                   : InitFiles::kContentOnly;
  p.conftests = o.GetBool("python-infer", "conftests");
  p.entry_points = o.GetBool("python-infer", "entry_points");
  std::string unowned = o.GetString("python-infer", "unowned_dependency_behavior");
  p.unowned = unowned == "error"    ? Unowned::kError
              : unowned == "ignore" ? Unowned::kIgnore
                                    : Unowned::kWarning;
  p.ignored_unowned_imports = o.GetStringList("python-infer", "ignored_unowned_imports");
  p.ambiguity_by_source_root = o.GetString("python-infer", "ambiguity_resolution") == "by_source_root";
  p.enable_resolves = o.GetBool("python", "enable_resolves");
  p.default_resolve = o.GetString("python", "default_resolve");
  std::vector<std::string> backends = o.GetStringList("GLOBAL", "backend_packages");
  p.protobuf = std::find(backends.begin(), backends.end(),
                         "pants.backend.codegen.protobuf.python") != backends.end();
  p.protobuf_grpcio = o.GetBool("python-protobuf", "grpcio_plugin");
  p.protobuf_grpclib = o.GetBool("python-protobuf", "grpclib_plugin");
  p.protobuf_runtime_dependency = o.GetBool("python-protobuf", "infer_runtime_dependency");
  p.thrift = std::find(backends.begin(), backends.end(),
                       "pants.backend.codegen.thrift.apache.python") != backends.end();
  p.thrift_runtime_dependency = o.GetBool("python-thrift", "infer_runtime_dependency");
  return p;
}

uint64_t PythonInferOptions::ScanConfigKey() const {
  std::string s = absl::StrCat("string_imports=", scan.string_imports,
                               ";min_dots=", scan.string_imports_min_dots, ";ignore=",
                               absl::StrJoin(scan.string_import_ignore, "\x1f"),
                               ";assets=", assets, ";min_slashes=", assets_min_slashes);
  return XXH3_64bits(s.data(), s.size());
}

struct PythonInferrer::TargetState {
  const Target& target;
  bool lean = false;  // InferTargets: only `lean_out` is filled, not `out`
  std::string resolve;
  std::vector<Dependency> out;
  std::vector<const Target*> lean_out;
  std::vector<Unowned> unowned;
  std::vector<std::string> warnings;
  // Filled on first ambiguity: the target's explicit dependencies and `!`s.
  std::optional<graph::ExplicitlyProvided> explicitly;

  // Records a dependency on `dep`, why (`rule`) and where (`origin`), and
  // what was looked up (`module`).
  void Add(const Target& dep, const char* rule, const Location& origin,
           const std::string& module) {
    if (lean) {
      lean_out.push_back(&dep);
    } else {
      out.emplace_back(dep.address, rule, origin, module, &dep);
    }
  }
};

PythonInferrer::PythonInferrer(const graph::TargetGraph& graph, const fs::FileIndex& index,
                               const fs::FileSystem& fs, std::string buildroot, SourceRoots roots,
                               PythonInferOptions options, std::unique_ptr<ImportScanCache> cache,
                               WarnFn warn)
    : graph_(graph),
      index_(index),
      fs_(fs),
      buildroot_(std::move(buildroot)),
      roots_(std::move(roots)),
      options_(std::move(options)),
      cache_(std::move(cache)),
      warn_(std::move(warn)) {}

const std::optional<std::string>& PythonInferrer::RootOf(absl::string_view file) {
  absl::string_view dir = fs::Dirname(file);
  if (concurrent_) {
    absl::ReaderMutexLock lock(&memo_mu_);
    auto it = root_of_dir_.find(dir);
    if (it != root_of_dir_.end()) return it->second;
  }
  absl::MutexLock lock(&memo_mu_);
  auto it = root_of_dir_.find(dir);
  if (it != root_of_dir_.end()) return it->second;
  return root_of_dir_.emplace(std::string(dir), roots_.FindForDir(dir)).first->second;
}

// RootOf over files that come grouped by directory (targets in address
// order): asks only when the directory changes.
class PythonInferrer::RootCursor {
 public:
  explicit RootCursor(PythonInferrer& inferrer) : inferrer_(inferrer) {}
  const std::optional<std::string>& RootOf(absl::string_view file) {
    absl::string_view dir = fs::Dirname(file);
    if (root_ == nullptr || dir != dir_) {
      root_ = &inferrer_.RootOf(file);
      dir_ = dir;
    }
    return *root_;
  }

 private:
  PythonInferrer& inferrer_;
  absl::string_view dir_;  // of a file that outlives the cursor
  const std::optional<std::string>* root_ = nullptr;
};

void PythonInferrer::BuildOwners() {
  if (owners_built_) return;
  owners_built_ = true;
  absl::Time start = absl::Now();
  const std::vector<Target>& all = graph_.targets();
  size_t files = 0;
  for (const Target& t : all) {
    if (IsPythonSourceTarget(t)) files += t.sources.size();
  }
  owners_.ReserveFirstParty(files);
  RootCursor roots(*this);
  for (uint32_t i = 0; i < all.size(); ++i) {
    const Target& t = all[i];
    if (IsPythonSourceTarget(t)) {
      for (const std::string& f : t.sources) {
        if (!IsPythonFile(f)) continue;
        const std::optional<std::string>& root = roots.RootOf(f);
        if (!root) continue;  // reported when the file itself is inferred
        absl::string_view stripped = *root == "." ? absl::string_view(f)
                                                  : absl::string_view(f).substr(root->size() + 1);
        std::optional<std::string> module = ModuleForStrippedPath(stripped);
        if (!module) continue;
        owners_.AddFirstParty(*std::move(module), i,
                              absl::EndsWith(f, ".pyi") ? ProviderKind::kStub : ProviderKind::kImpl,
                              *root);
      }
    } else if (options_.protobuf && t.alias() == "protobuf_source") {
      // Generated code is mapped through the .proto file's own source root
      // (python_source_root only says where protoc writes it).
      for (const std::string& f : t.sources) {
        const std::optional<std::string>& root = roots.RootOf(f);
        if (!root || !absl::EndsWith(f, ".proto")) continue;
        absl::string_view stripped = *root == "." ? absl::string_view(f)
                                                  : absl::string_view(f).substr(root->size() + 1);
        owners_.AddFirstParty(ProtobufModule(stripped, "_pb2"), i, ProviderKind::kImpl, *root);
        const build_file::Value& grpc = t.Field("grpc");
        if (grpc.kind() == build_file::Value::Kind::kBool && grpc.bool_value()) {
          if (options_.protobuf_grpcio) {
            owners_.AddFirstParty(ProtobufModule(stripped, "_pb2_grpc"), i, ProviderKind::kImpl,
                                  *root);
          }
          if (options_.protobuf_grpclib) {
            owners_.AddFirstParty(ProtobufModule(stripped, "_grpc"), i, ProviderKind::kImpl,
                                  *root);
          }
        }
      }
    } else if (options_.thrift && t.alias() == "thrift_source") {
      for (const std::string& f : t.sources) {
        if (!absl::EndsWith(f, ".thrift")) continue;
        absl::StatusOr<std::string> content = fs_.ReadFile(f);
        if (!content.ok()) continue;  // reported when the file is used
        const std::optional<std::string>& root = roots.RootOf(f);
        std::string package = ThriftPythonPackage(f, *content);
        std::string scope = root ? *root : std::string(".");
        owners_.AddFirstParty(absl::StrCat(package, ".ttypes"), i, ProviderKind::kImpl, scope);
        owners_.AddFirstParty(absl::StrCat(package, ".constants"), i, ProviderKind::kImpl, scope);
      }
    } else if (t.alias() == "python_requirement") {
      std::string resolve = t.StringField("resolve");
      if (resolve.empty()) resolve = options_.default_resolve;
      std::vector<std::string> modules = t.StringListField("modules");
      std::vector<std::string> stubs = t.StringListField("type_stub_modules");
      if (!modules.empty()) {
        for (std::string& m : modules) owners_.AddThirdParty(std::move(m), i, ProviderKind::kImpl, resolve);
      } else if (!stubs.empty()) {
        for (std::string& m : stubs) owners_.AddThirdParty(std::move(m), i, ProviderKind::kStub, resolve);
      } else {
        for (const std::string& req : t.StringListField("requirements")) {
          absl::StatusOr<Requirement> parsed = ParseRequirement(req);
          if (!parsed.ok()) continue;  // reported when the requirements were loaded
          ProvidedModules provided = DefaultModulesForProject(parsed->name);
          for (std::string& m : provided.modules) {
            owners_.AddThirdParty(std::move(m), i,
                                  provided.type_stubs ? ProviderKind::kStub : ProviderKind::kImpl,
                                  resolve);
          }
        }
      }
    }
  }
  BRAID_LOG(kDebug) << "mapped " << owners_.first_party_size() << " first-party modules in "
                    << absl::ToDoubleMilliseconds(absl::Now() - start) << " ms";
}

bool PythonInferrer::IsIgnoredUnowned(absl::string_view module) const {
  for (const std::string& pattern : options_.ignored_unowned_imports) {
    absl::string_view p = pattern;
    if (absl::ConsumeSuffix(&p, ".*")) {
      if (module == p || (absl::StartsWith(module, p) && module.size() > p.size() &&
                          module[p.size()] == '.')) {
        return true;
      }
    } else if (module == p) {
      return true;
    }
  }
  return false;
}

FileScan ScanPythonFile(absl::string_view content, const PythonInferOptions& options) {
  FileScan s;
  ImportScan is = ScanImports(content, options.scan);
  s.imports = std::move(is.imports);
  s.infer_deps = std::move(is.infer_deps);
  if (options.assets) s.assets = FindAssetStrings(content, options.assets_min_slashes);
  // Pants' content_only: a file of only whitespace counts as empty.
  s.blank = absl::StripAsciiWhitespace(content).empty();
  return s;
}

ImportScanCache::ScanFn PythonInferrer::ScanFunction() const {
  // Pure: safe to run on several threads at once (ImportScanCache::GetMany).
  return [this](absl::string_view content) { return ScanPythonFile(content, options_); };
}

absl::StatusOr<const FileScan*> PythonInferrer::Scan(const std::string& file) {
  // prefetched_ only changes in Prepare, never during a concurrent batch.
  auto it = prefetched_.find(file);
  if (it != prefetched_.end()) return it->second;
  absl::MutexLock lock(&cache_mu_);
  return cache_->Get(buildroot_, file, ScanFunction());
}

void PythonInferrer::Prepare(absl::Span<const Target* const> targets, int parallelism) {
  BuildOwners();
  bool needs_scan = options_.imports || options_.scan.string_imports || options_.assets;
  std::vector<std::string> files;
  RootCursor roots(*this);
  for (const Target* t : targets) {
    if (!IsPythonSourceTarget(*t)) continue;
    for (const std::string& f : t->sources) {
      if (!IsPythonFile(f)) continue;
      if (needs_scan && roots.RootOf(f) && !prefetched_.contains(f)) files.push_back(f);
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  std::vector<absl::StatusOr<const FileScan*>> scans =
      cache_->GetMany(buildroot_, files, ScanFunction(), parallelism);
  // Failures stay out: Infer meets them again, for the target concerned.
  for (size_t i = 0; i < files.size(); ++i) {
    if (scans[i].ok()) prefetched_.emplace(std::move(files[i]), *scans[i]);
  }
  // The per-directory tables (ancestors may read __init__.py scans, now
  // prefetched).
  absl::string_view last_dir;
  bool first = true;
  for (const Target* t : targets) {
    if (!IsPythonSourceTarget(*t)) continue;
    for (const std::string& f : t->sources) {
      if (!IsPythonFile(f)) continue;
      absl::string_view dir = fs::Dirname(f);
      if (first || dir != last_dir) AncestorsOf(dir);  // memoized; skip the lookup
      first = false;
      last_dir = dir;
    }
  }
}

void PythonInferrer::BeginConcurrent(absl::Span<const Target* const> targets) {
  // A slot for each target's warnings: Infer then only writes its own.
  for (const Target* t : targets) held_warnings_[t];
  concurrent_ = true;
}

void PythonInferrer::EndConcurrent(absl::Span<const Target* const> targets, size_t count) {
  concurrent_ = false;
  for (size_t i = 0; i < targets.size(); ++i) {
    auto it = held_warnings_.find(targets[i]);
    if (it == held_warnings_.end()) continue;
    if (i < count) {
      for (std::string& w : it->second) warn_(std::move(w));
    }
    held_warnings_.erase(it);
  }
}

void PythonInferrer::Warn(TargetState& st, std::string warning) {
  st.warnings.push_back(std::move(warning));
}

bool PythonInferrer::HasContent(const std::string& file) {
  // From the scan cache: an __init__.py is scanned for its own target anyway,
  // and a warm run then need not open it.
  absl::StatusOr<const FileScan*> scan = Scan(file);
  return scan.ok() && !(*scan)->blank;
}

void PythonInferrer::AddFileOwners(TargetState& st, const std::string& file, const char* rule,
                                   const Location& origin) {
  for (const Target* owner : graph_.OwnersOf(file)) {
    if (owner->is_generator()) continue;
    st.Add(*owner, rule, origin, file);
  }
}

bool PythonInferrer::AddModuleOwners(TargetState& st, const std::string& module, const char* rule,
                                     const Location& origin,
                                     const std::optional<std::string>& importer_root) {
  ModuleProviders providers = owners_.Lookup(module);
  if (options_.enable_resolves) {
    providers.erase(std::remove_if(providers.begin(), providers.end(),
                                   [&](const ModuleProvider* p) {
                                     return p->third_party && p->scope != st.resolve;
                                   }),
                    providers.end());
  }
  if (providers.empty()) return false;
  auto well_formed = [](const auto& ps) {
    int impl = 0, stub = 0;
    for (const ModuleProvider* p : ps) (p->kind == ProviderKind::kStub ? stub : impl)++;
    return impl <= 1 && stub <= 1;
  };
  const std::vector<Target>& all = graph_.targets();
  auto add_all = [&](const auto& ps) {
    for (const ModuleProvider* p : ps) {
      st.Add(all[p->target], rule, origin, module);
    }
  };
  if (well_formed(providers)) {
    add_all(providers);
    return true;
  }
  // Ambiguous. 1) by_source_root: the owners in the importer's source root.
  if (options_.ambiguity_by_source_root && importer_root) {
    ModuleProviders same;
    for (const ModuleProvider* p : providers) {
      if (!p->third_party && p->scope == *importer_root) same.push_back(p);
    }
    if (!same.empty() && well_formed(same)) {
      add_all(same);
      return true;
    }
  }
  // 2) The user's own disambiguation: `!` exclusions, or an explicit dependency.
  if (!st.explicitly) st.explicitly = graph::ExplicitlyProvided::Of(graph_, st.target, index_);
  const std::vector<Address>& includes = st.explicitly->includes;
  const std::vector<Address>& excludes = st.explicitly->excludes;
  ModuleProviders remaining;
  bool explicit_owner = false;
  for (const ModuleProvider* p : providers) {
    const Address& a = all[p->target].address;
    if (std::find(includes.begin(), includes.end(), a) != includes.end()) explicit_owner = true;
    if (std::find(excludes.begin(), excludes.end(), a) == excludes.end()) remaining.push_back(p);
  }
  if (remaining.size() < providers.size() && well_formed(remaining)) {
    add_all(remaining);
    return true;
  }
  if (explicit_owner) return true;
  std::vector<std::string> specs;
  for (const ModuleProvider* p : providers) specs.push_back(all[p->target].address.Spec());
  Warn(st, graph::AmbiguousOwnersWarning(origin, "import", module, st.target.address.Spec(),
                                         specs));
  return true;
}

absl::Status PythonInferrer::InferFile(TargetState& st, const std::string& file) {
  const Target& target = st.target;
  bool python = IsPythonFile(file);
  static const std::optional<std::string> kNoRoot;
  const std::optional<std::string>& root = python ? RootOf(file) : kNoRoot;
  bool needs_scan = python && (options_.imports || options_.scan.string_imports || options_.assets);
  if (needs_scan && !root) {
    return UserError(Location{file, 0, 0, ""},
                     "no source root found for this file, so its imports cannot be resolved",
                     "add a pattern matching one of its parent directories to [source] "
                     "root_patterns (or a marker file to [source] marker_filenames)");
  }
  if (needs_scan) {
    absl::string_view stripped =
        *root == "." ? absl::string_view(file) : absl::string_view(file).substr(root->size() + 1);
    BRAID_ASSIGN_OR_RETURN(const FileScan* scan, Scan(file));
    // One per file (its line set per import): a Location copies the path.
    Location import_origin{file, 0, 0, ""};
    if (st.out.empty()) {
      st.out.reserve(scan->imports.size() + scan->infer_deps.size() + scan->assets.size() + 4);
    }
    for (const ImportRecord& rec : scan->imports) {
      bool string_import = rec.kind == ImportKind::kStringImport;
      if (string_import ? !options_.scan.string_imports : !options_.imports) continue;
      const char* rule = string_import ? kRuleStringImport : rec.weak ? kRuleWeakImport : kRuleImport;
      import_origin.line = rec.line;
      std::optional<std::string> module = ResolveRelativeImport(rec, stripped);
      if (!module) {
        if (!rec.weak) st.unowned.push_back(Unowned{rec.Key(), file, rec.line});
        continue;
      }
      if (AddModuleOwners(st, *module, rule, import_origin, root)) continue;
      if (rec.weak || string_import || IsStdlibModule(*module) || IsIgnoredUnowned(*module)) continue;
      st.unowned.push_back(Unowned{*module, file, rec.line});
    }
    for (const InferDepPragma& p : scan->infer_deps) {
      Location origin{file, p.line, 0, SourceLine(file, p.line)};
      absl::StatusOr<Address> a = ParseAddress(p.address, target.address.spec_path(), index_);
      if (!a.ok()) {
        return UserError(origin, absl::StrCat("invalid address '", p.address,
                                              "' in a `# pants: infer-dep(...)` pragma: ",
                                              a.status().message()));
      }
      const Target* dep = graph_.Find(*a);
      if (dep == nullptr) {
        return UserError(origin, absl::StrCat("the address '", a->Spec(),
                                              "' in a `# pants: infer-dep(...)` pragma does not "
                                              "exist"));
      }
      // A generator stands for what it generated, as in `dependencies`.
      if (dep->is_generator()) {
        for (uint32_t g : dep->generated) {
          const Target& gen = graph_.targets()[g];
          st.Add(gen, kRulePragma, origin, p.address);
        }
      } else {
        st.Add(*dep, kRulePragma, origin, p.address);
      }
    }
    for (const AssetString& asset : scan->assets) {
      Location origin{file, asset.line, 0, ""};
      if (index_.HasFile(asset.path)) {
        AddFileOwners(st, asset.path, kRuleAsset, origin);
      } else if (*root != ".") {
        std::string under_root = fs::JoinPath(*root, asset.path);
        if (index_.HasFile(under_root)) AddFileOwners(st, under_root, kRuleAsset, origin);
      }
    }
  }
  // Ancestor __init__.py files and (for tests) conftest.py files, from the
  // file's own directory up to the build root.
  bool init = python && options_.init_files != PythonInferOptions::InitFiles::kNever;
  bool conftest = python && options_.conftests && target.alias() == "python_test";
  if (init || conftest) {
    const AncestorFiles& ancestors = AncestorsOf(fs::Dirname(file));
    Location origin{file, 0, 0, ""};
    if (init) {
      for (const std::string& f : ancestors.init_files) {
        if (f != file) AddFileOwners(st, f, kRuleInitFile, origin);
      }
    }
    if (conftest) {
      for (const std::string& f : ancestors.conftests) {
        if (f != file) AddFileOwners(st, f, kRuleConftest, origin);
      }
    }
  }
  return absl::OkStatus();
}

const PythonInferrer::AncestorFiles& PythonInferrer::AncestorsOf(absl::string_view dir) {
  if (concurrent_) {
    // Prepare filled the table for the batch's files; a miss (not expected)
    // is computed under the writer lock, which the recursion below then holds.
    {
      absl::ReaderMutexLock lock(&memo_mu_);
      auto it = ancestors_.find(dir);
      if (it != ancestors_.end()) return *it->second;
    }
    absl::MutexLock lock(&memo_mu_);
    return AncestorsOfLocked(dir);
  }
  return AncestorsOfLocked(dir);
}

const PythonInferrer::AncestorFiles& PythonInferrer::AncestorsOfLocked(absl::string_view dir) {
  auto it = ancestors_.find(dir);
  if (it != ancestors_.end()) return *it->second;
  auto files = std::make_unique<AncestorFiles>();
  for (const char* name : {"__init__.py", "__init__.pyi"}) {
    std::string f = fs::JoinPath(dir, name);
    if (!index_.HasFile(f)) continue;
    if (options_.init_files == PythonInferOptions::InitFiles::kContentOnly && !HasContent(f)) {
      continue;
    }
    files->init_files.push_back(std::move(f));
  }
  std::string conftest = fs::JoinPath(dir, "conftest.py");
  if (index_.HasFile(conftest)) files->conftests.push_back(std::move(conftest));
  if (!dir.empty()) {
    const AncestorFiles& parent = AncestorsOfLocked(fs::Dirname(dir));
    files->init_files.insert(files->init_files.end(), parent.init_files.begin(),
                             parent.init_files.end());
    files->conftests.insert(files->conftests.end(), parent.conftests.begin(),
                            parent.conftests.end());
  }
  const AncestorFiles& out = *files;
  ancestors_.emplace(std::string(dir), std::move(files));
  return out;
}

absl::Status PythonInferrer::InferEntryPoint(TargetState& st, const std::string& entry_point,
                                             const Location& origin, bool file_form_allowed) {
  absl::string_view ep = absl::StripAsciiWhitespace(entry_point);
  if (ep.empty() || ep == "<none>") return absl::OkStatus();
  absl::string_view module = ep.substr(0, ep.find(':'));
  if (module.empty()) return absl::OkStatus();
  if (file_form_allowed && absl::EndsWith(module, ".py")) {
    // `app.py:main` is relative to the BUILD file's directory (Pants).
    std::string file = fs::JoinPath(st.target.address.spec_path(), module);
    AddFileOwners(st, file, kRuleEntryPoint, origin);
    for (Dependency& d : st.out) {
      if (d.rule == kRuleEntryPoint && d.module == file) d.module = std::string(ep);
    }
    return absl::OkStatus();
  }
  // An entry point nothing owns (e.g. a module of an undeclared distribution)
  // is not inferred and not reported, as in Pants.
  AddModuleOwners(st, std::string(module), kRuleEntryPoint, origin, std::nullopt);
  return absl::OkStatus();
}

absl::Status PythonInferrer::InferCodegenRuntime(TargetState& st, const std::string& module,
                                                 absl::string_view project,
                                                 absl::string_view project_url,
                                                 absl::string_view disable_option) {
  std::vector<const ModuleProvider*> found;
  for (const ModuleProvider* p : owners_.Lookup(module)) {
    if (!p->third_party || p->kind != ProviderKind::kImpl) continue;
    if (options_.enable_resolves && p->scope != st.resolve) continue;
    found.push_back(p);
  }
  const std::vector<Target>& all = graph_.targets();
  const Target& target = st.target;
  if (found.empty()) {
    return UserError(
        target.location,
        absl::StrCat("no `python_requirement` target was found with the module `", module, "`",
                     options_.enable_resolves ? absl::StrCat(" in the resolve '", st.resolve, "'")
                                              : std::string(),
                     ", so the Python code generated from the target ", target.address.Spec(),
                     " will not work properly"),
        absl::StrCat("add a requirement for the `", project, "` project (", project_url,
                     "), e.g. to requirements.txt, or set `", disable_option,
                     " = false` in pants.toml to ignore this"));
  }
  if (found.size() > 1) {
    std::vector<std::string> specs;
    for (const ModuleProvider* p : found) specs.push_back(all[p->target].address.Spec());
    std::sort(specs.begin(), specs.end());
    return UserError(
        target.location,
        absl::StrCat("multiple `python_requirement` targets provide the module `", module,
                     "`, so it is ambiguous which one is the runtime library of the Python code "
                     "generated from the target ", target.address.Spec(), ": ",
                     absl::StrJoin(specs, ", ")),
        absl::StrCat("remove all but one of them, or set `", disable_option,
                     " = false` in pants.toml and add the dependency by hand to the targets "
                     "that use the generated code"));
  }
  st.Add(all[found.front()->target], kRuleCodegenRuntime, target.location, module);
  return absl::OkStatus();
}

std::string PythonInferrer::SourceLine(const std::string& file, int line) const {
  absl::StatusOr<std::string> text = fs_.ReadFile(file);
  return text.ok() ? std::string(LineOf(*text, line)) : "";
}

absl::Status PythonInferrer::ReportUnowned(TargetState& st, std::vector<Unowned> unowned) {
  const Target& target = st.target;
  if (unowned.empty() || options_.unowned == PythonInferOptions::Unowned::kIgnore) {
    return absl::OkStatus();
  }
  std::sort(unowned.begin(), unowned.end(), [](const Unowned& a, const Unowned& b) {
    return std::tie(a.file, a.line, a.module) < std::tie(b.file, b.line, b.module);
  });
  auto hint = [](const std::string& module) {
    return absl::StrCat(
        "declare a target that provides it (a python_requirement, with `modules=[\"", module,
        "\"]` if its project name differs, or a source file under a source root), add "
        "`# pants: no-infer-dep` to the import line, or add '", module,
        "' to [python-infer].ignored_unowned_imports");
  };
  if (options_.unowned == PythonInferOptions::Unowned::kWarning) {
    for (const Unowned& u : unowned) {
      Warn(st, FormatLocated(Location{u.file, u.line, 0, ""},
                          absl::StrCat("cannot infer an owner for the import '", u.module,
                                       "' (in ", target.address.Spec(), ")"),
                          hint(u.module)));
    }
    return absl::OkStatus();
  }
  const Unowned& first = unowned.front();
  std::string more;
  if (unowned.size() > 1) {
    std::vector<std::string> rest;
    for (size_t i = 1; i < unowned.size(); ++i) {
      rest.push_back(absl::StrCat("'", unowned[i].module, "' (", unowned[i].file, ":",
                                  unowned[i].line, ")"));
    }
    more = absl::StrCat("\n  also unowned: ", absl::StrJoin(rest, ", "));
  }
  return UserError(Location{first.file, first.line, 0, SourceLine(first.file, first.line)},
                   absl::StrCat("cannot infer an owner for the import '", first.module, "'"),
                   absl::StrCat(hint(first.module), more));
}

absl::StatusOr<std::vector<Dependency>> PythonInferrer::Infer(const Target& target) {
  std::vector<Dependency> out;
  BRAID_RETURN_IF_ERROR(InferImpl(target, &out, nullptr));
  return out;
}

absl::StatusOr<std::vector<const Target*>> PythonInferrer::InferTargets(
    const Target& target, const graph::TargetGraph& graph) {
  (void)graph;  // every entry's target is known: the inferrer's own graph
  std::vector<const Target*> out;
  BRAID_RETURN_IF_ERROR(InferImpl(target, nullptr, &out));
  return out;
}

absl::Status PythonInferrer::InferImpl(const Target& target, std::vector<Dependency>* out,
                                       std::vector<const Target*>* lean_out) {
  bool source = IsPythonSourceTarget(target);
  bool pex = target.alias() == "pex_binary";
  bool dist = target.alias() == "python_distribution";
  bool codegen = (options_.protobuf && options_.protobuf_runtime_dependency &&
                  target.alias() == "protobuf_source") ||
                 (options_.thrift && options_.thrift_runtime_dependency &&
                  target.alias() == "thrift_source");
  if (!source && !pex && !dist && !codegen) return absl::OkStatus();
  if (!concurrent_) BuildOwners();
  TargetState st{target, lean_out != nullptr, "", {}, {}, {}, {}, std::nullopt};
  absl::Status status = InferInto(st);
  // Warnings come out even when the target fails (as they would have one by
  // one): during a batch they wait for EndConcurrent, in target order.
  if (concurrent_) {
    auto it = held_warnings_.find(&target);
    if (it != held_warnings_.end()) {
      it->second = std::move(st.warnings);  // this target's own slot
    } else {
      absl::MutexLock lock(&memo_mu_);
      for (std::string& w : st.warnings) warn_(std::move(w));
    }
  } else {
    for (std::string& w : st.warnings) warn_(std::move(w));
  }
  if (!status.ok()) return status;
  if (out != nullptr) *out = std::move(st.out);
  if (lean_out != nullptr) *lean_out = std::move(st.lean_out);
  return absl::OkStatus();
}

absl::Status PythonInferrer::InferInto(TargetState& st) {
  const Target& target = st.target;
  bool source = IsPythonSourceTarget(target);
  bool pex = !source && target.alias() == "pex_binary";
  bool dist = !source && target.alias() == "python_distribution";
  if (options_.enable_resolves) {
    st.resolve = target.StringField("resolve");
    if (st.resolve.empty()) st.resolve = options_.default_resolve;
  }
  if (source) {
    for (const std::string& f : target.sources) BRAID_RETURN_IF_ERROR(InferFile(st, f));
    BRAID_RETURN_IF_ERROR(ReportUnowned(st, std::move(st.unowned)));
  } else if (pex && options_.entry_points) {
    BRAID_RETURN_IF_ERROR(InferEntryPoint(st, target.StringField("entry_point"),
                                          target.FieldLocation("entry_point"), true));
  } else if (target.alias() == "protobuf_source" || target.alias() == "thrift_source") {
    if (options_.enable_resolves) {
      st.resolve = target.StringField("python_resolve");
      if (st.resolve.empty()) st.resolve = options_.default_resolve;
    }
    if (target.alias() == "thrift_source") {
      return InferCodegenRuntime(st, "thrift", "thrift", "https://pypi.org/project/thrift/",
                                 "[python-thrift].infer_runtime_dependency");
    }
    constexpr char kDisable[] = "[python-protobuf].infer_runtime_dependency";
    BRAID_RETURN_IF_ERROR(InferCodegenRuntime(st, "google.protobuf", "protobuf",
                                              "https://pypi.org/project/protobuf/", kDisable));
    const build_file::Value& grpc = target.Field("grpc");
    if (grpc.kind() == build_file::Value::Kind::kBool && grpc.bool_value()) {
      BRAID_RETURN_IF_ERROR(InferCodegenRuntime(st, "grpc", "grpcio",
                                                "https://pypi.org/project/grpcio/", kDisable));
    }
  } else if (dist && options_.entry_points) {
    const build_file::Value& eps = target.Field("entry_points");
    if (eps.kind() == build_file::Value::Kind::kDict) {
      for (const auto& [group, entries] : eps.dict_items()) {
        if (entries.kind() != build_file::Value::Kind::kDict) continue;
        for (const auto& [name, value] : entries.dict_items()) {
          if (!value.is_string()) continue;
          BRAID_RETURN_IF_ERROR(InferEntryPoint(st, value.string_value(),
                                                target.FieldLocation("entry_points"), false));
        }
      }
    }
  }
  return absl::OkStatus();
}

absl::Status PythonInferrer::Flush() {
  BRAID_LOG(kDebug) << "import scans: " << cache_->stats().stat_hits << " unchanged, "
                    << cache_->stats().content_hits << " found by content, "
                    << cache_->stats().scans << " scanned";
  return cache_->Save([this](absl::string_view path) { return index_.HasFile(path); });
}

}  // namespace braid::python
