#include "core/graph/target_graph.h"

#include <algorithm>
#include <set>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/synchronization/mutex.h"
#include "core/base/error.h"
#include "core/base/parallel.h"
#include "core/build_file/evaluator.h"
#include "core/build_file/parser.h"
#include "core/fs/glob.h"
#include "core/fs/ignore.h"
#include "core/fs/path.h"
#include "core/fs/wildmatch.h"

namespace braid::graph {

using build_file::CallArgs;
using build_file::CallContext;
using build_file::Value;

const Target* TargetGraph::Find(const Address& address) const {
  auto range = dir_ranges_.find(address.spec_path());
  if (range == dir_ranges_.end()) return nullptr;
  auto begin = targets_.begin() + range->second.first;
  auto end = targets_.begin() + range->second.second;
  auto it = std::lower_bound(begin, end, address,
                             [](const Target& t, const Address& a) { return t.address < a; });
  return it != end && it->address == address ? &*it : nullptr;
}

std::vector<const Target*> TargetGraph::OwnersOf(absl::string_view file) const {
  auto file_of = [this](const std::pair<uint32_t, uint32_t>& o) -> absl::string_view {
    return targets_[o.first].sources[o.second];
  };
  auto it = std::lower_bound(owners_.begin(), owners_.end(), file,
                             [&](const auto& o, absl::string_view f) { return file_of(o) < f; });
  std::vector<const Target*> out;
  for (; it != owners_.end() && file_of(*it) == file; ++it) out.push_back(&targets_[it->first]);
  return out;
}

std::vector<std::string> TargetGraph::AddressesIn(absl::string_view spec_path) const {
  std::vector<std::string> out;
  auto range = dir_ranges_.find(spec_path);
  if (range == dir_ranges_.end()) return out;
  for (uint32_t i = range->second.first; i < range->second.second; ++i) {
    out.push_back(targets_[i].address.Spec());
  }
  return out;
}

bool IsBuildFileName(absl::string_view basename, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (fs::WildMatch(p, basename)) return true;
  }
  return false;
}

// Keyword-argument names under which `**parametrize(...)` groups reach a
// target call; never a valid field name.
constexpr absl::string_view kParametrizeGroupPrefix = "parametrize:";

namespace {

// Splits a dependencies entry into its exclusion prefix and address text.
struct DepEntry {
  int bangs = 0;  // 0 include, 1 `!` exclude, 2 `!!` transitive exclude
  std::string text;
};

DepEntry SplitDep(const std::string& raw) {
  DepEntry e;
  if (absl::StartsWith(raw, "!!")) {
    e.bangs = 2;
    e.text = raw.substr(2);
  } else if (absl::StartsWith(raw, "!")) {
    e.bangs = 1;
    e.text = raw.substr(1);
  } else {
    e.text = raw;
  }
  return e;
}

}  // namespace

absl::StatusOr<std::vector<Address>> TargetGraph::ExplicitDependencies(
    const Target& target, const fs::FileIndex& index) const {
  std::vector<std::string> raw_deps = target.StringListField("dependencies");
  if (raw_deps.empty()) {
    // The common case (most generated targets): only what the target generates.
    std::vector<Address> out;
    out.reserve(target.generated.size());
    for (uint32_t g : target.generated) {
      if (targets_[g].address != target.address) out.push_back(targets_[g].address);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  std::set<Address> included;
  std::set<Address> excluded;
  for (const std::string& raw : raw_deps) {
    DepEntry e = SplitDep(raw);
    if (e.bangs == 2) continue;
    absl::StatusOr<AddressInput> input = ParseAddressInput(e.text, target.address.spec_path());
    if (!input.ok()) {
      return UserError(target.FieldLocation("dependencies"),
                       absl::StrCat("invalid address '", raw, "' in the dependencies of ",
                                    target.address.Spec(), ": ", input.status().message()));
    }
    if (!index.Exists(input->path_component)) {
      return UserError(target.FieldLocation("dependencies"),
                       absl::StrCat("the address '", e.text, "' from the dependencies of ",
                                    target.address.Spec(), " does not exist"),
                       absl::StrCat("there is no directory '", input->path_component,
                                    "' in the workspace"));
    }
    absl::StatusOr<Address> addr = ParseAddress(e.text, target.address.spec_path(), index);
    if (!addr.ok()) {
      return UserError(target.FieldLocation("dependencies"),
                       absl::StrCat("invalid address '", raw, "' in the dependencies of ",
                                    target.address.Spec(), ": ", addr.status().message()));
    }
    const Target* dep = Find(*addr);
    if (dep == nullptr) {
      std::vector<std::string> candidates = AddressesIn(addr->spec_path());
      if (candidates.empty()) {
        return UserError(target.FieldLocation("dependencies"),
                         absl::StrCat("the address '", addr->Spec(), "' from the dependencies of ",
                                      target.address.Spec(), " does not exist"),
                         absl::StrCat("there is no BUILD target in '", addr->spec_path(), "'"));
      }
      std::string hint = DidYouMean(addr->Spec(), candidates);
      if (hint.empty() && !candidates.empty()) {
        hint = absl::StrCat("targets in '", addr->spec_path(), "': ",
                            absl::StrJoin(candidates.size() > 8
                                              ? std::vector<std::string>(candidates.begin(),
                                                                         candidates.begin() + 8)
                                              : candidates,
                                          ", "));
      }
      return UserError(target.FieldLocation("dependencies"),
                       absl::StrCat("the address '", addr->Spec(), "' from the dependencies of ",
                                    target.address.Spec(), " does not exist"),
                       hint);
    }
    std::set<Address>& into = e.bangs == 0 ? included : excluded;
    into.insert(dep->address);
    for (uint32_t g : dep->generated) into.insert(targets_[g].address);
    if (dep->is_generator() && e.bangs == 0) {
      // Depending on a generator means depending on what it generates.
      included.erase(dep->address);
    }
  }
  for (uint32_t g : target.generated) included.insert(targets_[g].address);
  std::vector<Address> out;
  for (const Address& a : included) {
    if (!excluded.count(a) && a != target.address) out.push_back(a);
  }
  return out;
}

absl::StatusOr<std::vector<Address>> TargetGraph::TransitiveExcludes(
    const Target& target, const fs::FileIndex& index) const {
  std::vector<Address> out;
  for (const std::string& raw : target.StringListField("dependencies")) {
    DepEntry e = SplitDep(raw);
    if (e.bangs != 2) continue;
    absl::StatusOr<Address> addr = ParseAddress(e.text, target.address.spec_path(), index);
    if (!addr.ok()) {
      return UserError(target.location, absl::StrCat("invalid address '", raw, "': ",
                                                     addr.status().message()));
    }
    out.push_back(*addr);
  }
  return out;
}

// Evaluates BUILD files and turns the recorded calls into targets.
class GraphLoader {
 public:
  GraphLoader(const fs::FileSystem& fs, const fs::FileIndex& index,
              const TargetTypeRegistry& types, const GraphOptions& options,
              std::vector<std::string>* warnings)
      : fs_(fs), index_(index), types_(types), options_(options), warnings_(warnings) {}

  absl::StatusOr<TargetGraph> Load();

 private:
  // A target call recorded while evaluating one BUILD file.
  struct PendingTarget {
    const TargetType* type;
    std::vector<std::pair<std::string, Value>> kwargs;
    Location location;
    std::map<std::string, Location> field_locations;  // only those inside the BUILD file
  };
  // Field defaults per target alias, from __defaults__.
  using Defaults = std::map<std::string, std::map<std::string, Value>>;
  struct FileState {
    std::string path;
    std::string dir;
    std::vector<PendingTarget> pending;
    bool has_defaults = false;
    Defaults defaults;
  };

  // One directory's BUILD files: evaluated in order on the loading thread,
  // then turned into targets by BuildDir on any thread.
  struct DirWork {
    std::string dir;
    std::vector<FileState> files;
    const Defaults* defaults = nullptr;  // the effective __defaults__; never null
    // Filled by BuildDir: the directory's targets sorted by address (each
    // `generated` holds positions in this vector), its warnings in order, and
    // the first error.
    std::vector<Target> targets;
    std::vector<std::string> warnings;
    absl::Status status;
  };
  // Indices into one directory's targets, hashed and compared by their
  // address: the duplicate check without a copy of every Address as a key.
  // (Addresses of different directories never collide: spec_path differs.)
  struct PendingAddressHash {
    const std::vector<Target>* targets;
    size_t operator()(uint32_t i) const { return absl::Hash<Address>()((*targets)[i].address); }
  };
  struct PendingAddressEq {
    const std::vector<Target>* targets;
    bool operator()(uint32_t a, uint32_t b) const {
      return (*targets)[a].address == (*targets)[b].address;
    }
  };
  using AddressSet = absl::flat_hash_set<uint32_t, PendingAddressHash, PendingAddressEq>;
  // Where BuildTargets puts what it makes: one directory's DirWork.
  struct TargetSink {
    std::vector<Target>* targets;
    AddressSet* by_address;
    std::vector<std::string>* warnings;
  };

  build_file::Symbols MakeSymbols();
  absl::Status CallDefaults(const CallContext& ctx, const CallArgs& args);
  absl::Status AddDefaultsEntry(const CallContext& ctx, const std::string& alias,
                                const Value& fields, bool from_all, Defaults* out);
  const Defaults& InheritedDefaults(const std::string& dir) const;
  // Builds, checks and sorts the targets of `d` (thread-safe for distinct
  // DirWorks: it reads the loader's inputs and locks copy_plans_).
  void BuildDir(DirWork* d);
  absl::Status BuildTargets(const FileState& file, const Defaults& defaults, TargetSink* sink);
  absl::Status AddTarget(const FileState& file, const PendingTarget& pending,
                         const std::string& name, AddressParameters params,
                         const std::map<std::string, Value>& values, TargetSink* sink);
  absl::Status CheckAndFill(const TargetType& type, const Location& loc,
                            const std::map<std::string, Value>& values, Target* target);
  // How a file generator's explicit fields carry over to its per-file type.
  struct CopyPlan {
    // Generator field index -> generated field index, or -1 when not copied.
    std::vector<int> target_of;
    // Every copied pair has the same spec, so values checked for the generator
    // need no re-check; false sends targets down the generic (map) path.
    bool exact = true;
    int source_index = -1;  // the generated type's `source` field
  };
  const CopyPlan& PlanFor(const TargetType& generator, const TargetType& generated);
  absl::Status ExpandSources(const std::string& dir, Target* target,
                             std::vector<std::string>* warnings);
  absl::Status GenerateFileTargets(const Target& generator, std::vector<Target>* out);
  absl::Status GenerateCustomTargets(const Target& generator, std::vector<Target>* out);
  absl::Status Insert(Target target, TargetSink* sink);
  void Unmatched(const Target& t, const std::string& field, const std::vector<std::string>& globs,
                 std::vector<std::string>* warnings);
  // Concatenates the directories' targets in address order into `graph`.
  void SortInto(std::vector<DirWork>& dirs, TargetGraph* graph);

  const fs::FileSystem& fs_;
  const fs::FileIndex& index_;
  const TargetTypeRegistry& types_;
  const GraphOptions& options_;
  std::vector<std::string>* warnings_;

  FileState* current_ = nullptr;
  std::map<std::string, Defaults> defaults_by_dir_;  // node-based: DirWork points into it
  TargetGraph graph_;
  absl::Mutex plans_mu_;
  std::map<std::pair<const TargetType*, const TargetType*>, CopyPlan> copy_plans_
      ABSL_GUARDED_BY(plans_mu_);
};

build_file::Symbols GraphLoader::MakeSymbols() {
  build_file::Symbols symbols;
  for (const auto& [alias, type] : types_.types()) {
    const TargetType* t = type.get();
    symbols[alias] = Value::Native(alias, [this, t](const CallContext& ctx,
                                                    CallArgs args) -> absl::StatusOr<Value> {
      if (!args.positional.empty()) {
        return UserError(ctx.location,
                         absl::StrCat(t->alias, "() takes only keyword arguments (field=value)"));
      }
      PendingTarget p{t, std::move(args.keyword), ctx.build_file_location, {}};
      for (size_t i = 0; i < p.kwargs.size(); ++i) {
        const Location& loc = args.KeywordLocation(i, ctx.build_file_location);
        if (loc.file == ctx.build_file) p.field_locations[p.kwargs[i].first] = loc;
      }
      current_->pending.push_back(std::move(p));
      return Value::None();
    });
  }
  for (const auto& [alias, help] : types_.object_symbols()) {
    std::string name = types_.ObjectTypeName(alias);
    symbols[alias] = Value::Native(alias, [name](const CallContext& ctx,
                                                 CallArgs args) -> absl::StatusOr<Value> {
      auto obj = std::make_shared<build_file::HostObject>();
      obj->type_name = name;
      obj->args = std::move(args.positional);
      obj->kwargs = std::move(args.keyword);
      obj->location = ctx.location;
      return Value::Object(std::move(obj));
    });
  }
  symbols["parametrize"] = Value::Native(
      "parametrize", [](const CallContext& ctx, CallArgs args) -> absl::StatusOr<Value> {
        if (args.positional.empty() && args.keyword.empty()) {
          return UserError(ctx.location, "parametrize() needs at least one value");
        }
        auto obj = std::make_shared<build_file::HostObject>();
        obj->type_name = "parametrize";
        obj->args = std::move(args.positional);
        obj->kwargs = std::move(args.keyword);
        obj->location = ctx.location;
        // `**parametrize("name", field=value, ...)` splats into the target
        // call as a parametrize group (one variant setting several fields).
        static int next_group = 0;
        obj->splat_key = absl::StrCat(kParametrizeGroupPrefix, next_group++);
        return Value::Object(std::move(obj));
      });
  symbols["env"] = Value::Native(
      "env", [this](const CallContext& ctx, CallArgs args) -> absl::StatusOr<Value> {
        if (args.positional.empty() || !args.positional[0].is_string() ||
            args.positional.size() > 2) {
          return UserError(ctx.location, "env() takes a variable name and an optional default");
        }
        auto it = options_.env.find(args.positional[0].string_value());
        if (it != options_.env.end()) return Value::String(it->second);
        if (args.positional.size() == 2) return args.positional[1];
        if (const Value* d = args.Find("default")) return *d;
        return Value::None();
      });
  symbols["build_file_dir"] = Value::Native(
      "build_file_dir", [this](const CallContext&, CallArgs) -> absl::StatusOr<Value> {
        return Value::String(current_->dir);
      });
  symbols["__defaults__"] = Value::Native(
      "__defaults__", [this](const CallContext& ctx, CallArgs args) -> absl::StatusOr<Value> {
        absl::Status s = CallDefaults(ctx, args);
        if (!s.ok()) return s;
        return Value::None();
      });
  for (const char* rules : {"__dependencies_rules__", "__dependents_rules__"}) {
    bool deps = std::string(rules) == "__dependencies_rules__";
    symbols[rules] = Value::Native(
        rules, [this, deps](const CallContext& ctx, CallArgs args) -> absl::StatusOr<Value> {
          DependencyRules r{current_->path, ctx.build_file_location, std::move(args.positional)};
          (deps ? graph_.dependency_rules_ : graph_.dependents_rules_).push_back(std::move(r));
          return Value::None();
        });
  }
  return symbols;
}

// Resolves a __defaults__ key (a target type symbol, its name, or a tuple of
// those) to aliases.
static absl::Status DefaultsKeyAliases(const Value& key, const TargetTypeRegistry& types,
                                       const Location& loc, std::vector<std::string>* out) {
  if (key.kind() == Value::Kind::kTuple || key.kind() == Value::Kind::kList) {
    for (const Value& k : key.items()) {
      absl::Status s = DefaultsKeyAliases(k, types, loc, out);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  std::string alias;
  if (key.kind() == Value::Kind::kFunction) {
    alias = key.callable()->name();
  } else if (key.is_string()) {
    alias = key.string_value();
  } else {
    return UserError(loc, absl::StrCat("__defaults__ keys must be target types, got ",
                                       key.TypeName()));
  }
  if (types.Find(alias) == nullptr) {
    return UserError(loc, absl::StrCat("unknown target type '", alias, "' in __defaults__"),
                     DidYouMean(alias, types.Aliases()));
  }
  out->push_back(alias);
  return absl::OkStatus();
}

absl::Status GraphLoader::AddDefaultsEntry(const CallContext& ctx, const std::string& alias,
                                           const Value& fields, bool from_all, Defaults* out) {
  const TargetType* type = types_.Find(alias);
  for (const auto& [k, v] : fields.dict_items()) {
    if (!k.is_string()) {
      return UserError(ctx.location, "__defaults__ field names must be strings");
    }
    const std::string& field = k.string_value();
    const FieldSpec* spec = type->FindField(field);
    if (spec == nullptr) {
      if (from_all) continue;  // `all=` applies only where the field exists
      return UserError(ctx.location,
                       absl::StrCat("unknown field '", field, "' for target type '", alias,
                                    "' in __defaults__"),
                       DidYouMean(field, type->FieldNames()));
    }
    if (field == "name") continue;
    absl::StatusOr<Value> checked = CheckFieldValue(*spec, v);
    if (!checked.ok()) {
      return UserError(ctx.location, absl::StrCat("__defaults__ for field '", field, "' of ",
                                                   alias, " ", checked.status().message()));
    }
    (*out)[alias][field] = *checked;
  }
  return absl::OkStatus();
}

absl::Status GraphLoader::CallDefaults(const CallContext& ctx, const CallArgs& args) {
  Defaults mine;
  bool extend = false;
  if (const Value* e = args.Find("extend")) extend = e->Truthy();
  if (args.positional.size() > 1) {
    return UserError(ctx.location, "__defaults__() takes one positional dict argument");
  }
  // `all=` first so per-type entries override it.
  if (const Value* all = args.Find("all")) {
    if (all->kind() != Value::Kind::kDict) {
      return UserError(ctx.location, "__defaults__(all=...) must be a dict of field values");
    }
    for (const std::string& alias : types_.Aliases()) {
      absl::Status s = AddDefaultsEntry(ctx, alias, *all, /*from_all=*/true, &mine);
      if (!s.ok()) return s;
    }
  }
  if (!args.positional.empty()) {
    const Value& d = args.positional[0];
    if (d.kind() != Value::Kind::kDict) {
      return UserError(ctx.location, "__defaults__() expects a dict of target type -> fields");
    }
    for (const auto& [key, fields] : d.dict_items()) {
      std::vector<std::string> aliases;
      absl::Status s = DefaultsKeyAliases(key, types_, ctx.location, &aliases);
      if (!s.ok()) return s;
      if (fields.kind() != Value::Kind::kDict) {
        return UserError(ctx.location, "__defaults__ values must be dicts of field values");
      }
      for (const std::string& alias : aliases) {
        s = AddDefaultsEntry(ctx, alias, fields, /*from_all=*/false, &mine);
        if (!s.ok()) return s;
      }
    }
  }
  for (const auto& [k, _] : args.keyword) {
    if (k != "all" && k != "extend") {
      return UserError(ctx.location, absl::StrCat("__defaults__() got an unexpected keyword '",
                                                  k, "'"),
                       "valid keywords: all, extend");
    }
  }
  // Start from the inherited defaults (or this file's earlier call), then
  // replace per type, or merge with extend=True.
  if (!current_->has_defaults) {
    current_->defaults = InheritedDefaults(std::string(fs::Dirname(current_->path)));
    current_->has_defaults = true;
  }
  for (auto& [alias, fields] : mine) {
    if (extend) {
      for (auto& [f, v] : fields) current_->defaults[alias][f] = v;
    } else {
      current_->defaults[alias] = fields;
    }
  }
  return absl::OkStatus();
}

const GraphLoader::Defaults& GraphLoader::InheritedDefaults(const std::string& dir) const {
  static const Defaults* kEmpty = new Defaults();
  std::string d = dir;
  while (true) {
    auto it = defaults_by_dir_.find(d);
    if (it != defaults_by_dir_.end()) return it->second;
    if (d.empty()) return *kEmpty;
    d = std::string(fs::Dirname(d));
  }
}

void GraphLoader::Unmatched(const Target& t, const std::string& field,
                            const std::vector<std::string>& globs,
                            std::vector<std::string>* warnings) {
  if (globs.empty() || options_.unmatched_globs == UnmatchedGlobBehavior::kIgnore) return;
  std::vector<std::string> quoted;
  for (const std::string& g : globs) quoted.push_back(absl::StrCat("\"", g, "\""));
  std::string msg = FormatLocated(
      Location{t.location.file, t.location.line, 0, ""},
      absl::StrCat("unmatched glob", globs.size() > 1 ? "s" : "", " from ", t.address.Spec(),
                   "'s `", field, "` field: ", absl::StrJoin(quoted, ", ")));
  warnings->push_back(msg);
}

absl::Status GraphLoader::ExpandSources(const std::string& dir, Target* target,
                                        std::vector<std::string>* warnings) {
  if (const FieldSpec* spec = target->type->FindField("sources");
      spec != nullptr && spec->type == FieldType::kSources) {
    std::vector<std::string> globs = target->StringListField("sources");
    absl::StatusOr<fs::PathGlobs> pg = fs::PathGlobs::Create(dir, globs);
    if (!pg.ok()) {
      return UserError(target->FieldLocation("sources"), absl::StrCat("invalid `sources` of ",
                                                      target->address.Spec(), ": ",
                                                      pg.status().message()));
    }
    target->sources = pg->Expand(index_);
    // Defaults that match nothing are normal (an empty package); only globs the
    // user wrote are reported, as Pants does.
    std::vector<std::string> unmatched;
    if (target->IsExplicit("sources")) unmatched = pg->UnmatchedIncludes(index_);
    if (!unmatched.empty()) {
      if (options_.unmatched_globs == UnmatchedGlobBehavior::kError) {
        return UserError(target->FieldLocation("sources"),
                         absl::StrCat("unmatched glob from ", target->address.Spec(),
                                      "'s `sources` field: \"", unmatched[0], "\""),
                         "fix the glob, or set [GLOBAL] unmatched_build_file_globs = \"warn\"");
      }
      Unmatched(*target, "sources", unmatched, warnings);
    }
  } else if (const FieldSpec* one = target->type->FindField("source");
             one != nullptr && one->type == FieldType::kSource) {
    std::string src = target->StringField("source");
    if (src.empty()) return absl::OkStatus();
    if (fs::IsAbsolutePath(src) || fs::EscapesRoot(fs::JoinPath(dir, src))) {
      return UserError(target->location,
                       absl::StrCat("invalid `source` of ", target->address.Spec(), ": path '",
                                    src, "' escapes the build root"));
    }
    absl::StatusOr<std::string> path = fs::NormalizeRelativePath(fs::JoinPath(dir, src));
    if (!path.ok()) {
      return UserError(target->location, absl::StrCat("invalid `source` of ",
                                                      target->address.Spec(), ": ",
                                                      path.status().message()));
    }
    if (index_.HasFile(*path)) {
      target->sources = {*path};
    } else if (!target->address.is_generated_target() && target->IsExplicit("source")) {
      // As for `sources`, a default that matches nothing is not reported
      // (e.g. docker_image's default `Dockerfile` when `instructions` is used).
      if (options_.unmatched_globs == UnmatchedGlobBehavior::kError) {
        return UserError(target->location,
                         absl::StrCat("unmatched glob from ", target->address.Spec(),
                                      "'s `source` field: \"", src, "\""));
      }
      Unmatched(*target, "source", {src}, warnings);
    }
  }
  return absl::OkStatus();
}

// The error for a required field of `target` that was not given.
static absl::Status CheckRequired(const Target& target) {
  const TargetType& type = *target.type;
  for (size_t i = 0; i < type.fields.size(); ++i) {
    if (type.fields[i].required && !target.IsExplicitAt(i)) {
      return UserError(target.location,
                       absl::StrCat(type.alias, " target ", target.address.Spec(),
                                    " is missing the required field '", type.fields[i].name,
                                    "'"));
    }
  }
  return absl::OkStatus();
}

// `values` are the explicitly given fields; checked in name order so the
// first error reported does not depend on how the call was written.
absl::Status GraphLoader::CheckAndFill(const TargetType& type, const Location& loc,
                                       const std::map<std::string, Value>& values,
                                       Target* target) {
  target->InitFields(&type);
  target->location = loc;
  for (const auto& [name, v] : values) {
    int i = type.FieldIndex(name);
    if (i < 0) {
      return UserError(target->FieldLocation(name),
                       absl::StrCat("unknown field '", name, "' in ", type.alias, " target ",
                                    target->address.Spec()),
                       DidYouMean(name, type.FieldNames()));
    }
    absl::StatusOr<Value> checked = CheckFieldValue(type.fields[i], v);
    if (!checked.ok()) {
      return UserError(target->FieldLocation(name),
                       absl::StrCat("field '", name, "' of ", type.alias, " target ",
                                    target->address.Spec(), " ", checked.status().message()));
    }
    target->SetFieldAt(static_cast<uint32_t>(i), *std::move(checked));
  }
  return CheckRequired(*target);
}

absl::Status GraphLoader::Insert(Target new_target, TargetSink* sink) {
  std::vector<Target>& targets = *sink->targets;
  uint32_t index = static_cast<uint32_t>(targets.size());
  targets.push_back(std::move(new_target));
  auto [it, inserted] = sink->by_address->insert(index);
  if (!inserted) {
    const Target& other = targets[*it];
    const Target& target = targets[index];
    return UserError(target.location,
                     absl::StrCat("a target already exists at '", target.address.Spec(),
                                  "' (", other.alias(), " declared at ",
                                  other.location.ToString(), "); the ", target.alias(),
                                  " target cannot use the same name"),
                     "give one of them a different `name=`");
  }
  return absl::OkStatus();
}


// Expands parametrize(...) field values into the cartesian product of
// variants: each variant is (parameters, field values).
struct Variant {
  AddressParameters params;
  std::map<std::string, Value> values;
};

static bool IsParametrize(const Value& v) {
  return v.kind() == Value::Kind::kObject && v.object()->type_name == "parametrize";
}

// Expands parametrize(...) into the cartesian product of variants, with
// Pants' semantics:
//   field=parametrize("a", "b")          one variant per value, `@field=a`
//   field=parametrize(x=v1, y=v2)        named values, `@field=x` with value v1
//   **parametrize("g", f1=v1, f2=v2)     a group: `@parametrize=g` setting f1 and f2;
//                                        several groups are alternatives to each other
static absl::StatusOr<std::vector<Variant>> ExpandParametrize(
    std::map<std::string, Value> values, std::vector<Value> groups, const Location& loc) {
  std::vector<Variant> out;
  if (groups.empty() && std::none_of(values.begin(), values.end(), [](const auto& kv) {
        return IsParametrize(kv.second);
      })) {
    out.push_back(Variant{{}, std::move(values)});
    return out;
  }
  out.push_back(Variant{{}, {}});
  if (!groups.empty()) {
    std::vector<Variant> next;
    for (const Value& g : groups) {
      const build_file::HostObject& p = *g.object();
      if (p.args.size() != 1 || !p.args[0].is_string() || p.kwargs.empty()) {
        return UserError(p.location.file.empty() ? loc : p.location,
                         "a parametrize group (**parametrize(...)) takes one name string and "
                         "the fields it sets, e.g. **parametrize(\"py39\", resolve=\"a\")");
      }
      Variant var;
      var.params["parametrize"] = p.args[0].string_value();
      for (const auto& [k, kv] : p.kwargs) var.values[k] = kv;
      next.push_back(std::move(var));
    }
    out = std::move(next);
  }
  for (const auto& [field, v] : values) {
    if (!IsParametrize(v)) {
      for (Variant& var : out) {
        if (!var.values.count(field)) var.values[field] = v;
      }
      continue;
    }
    const build_file::HostObject& p = *v.object();
    std::vector<Variant> next;
    for (const Variant& base : out) {
      for (const Value& option : p.args) {
        Variant var = base;
        var.params[field] = option.Str();
        var.values[field] = option;
        next.push_back(std::move(var));
      }
      for (const auto& [name, option] : p.kwargs) {
        Variant var = base;
        var.params[field] = name;
        var.values[field] = option;
        next.push_back(std::move(var));
      }
    }
    out = std::move(next);
  }
  return out;
}

absl::Status GraphLoader::BuildTargets(const FileState& file, const Defaults& defaults,
                                       TargetSink* sink) {
  for (const PendingTarget& p : file.pending) {
    std::string name;
    std::map<std::string, Value> values;
    auto d = defaults.find(p.type->alias);
    if (d != defaults.end()) values = d->second;
    bool has_name = false;
    std::vector<Value> groups;  // **parametrize(...) groups, in call order
    std::set<std::string> seen;
    for (const auto& [k, v] : p.kwargs) {
      if (!seen.insert(k).second) {
        return UserError(p.location, absl::StrCat("field '", k, "' given twice"));
      }
      if (k == "name") {
        if (!v.is_string() || v.string_value().empty()) {
          return UserError(p.location, absl::StrCat("the `name` of a ", p.type->alias,
                                                    " target must be a non-empty string, got ",
                                                    v.TypeName(), " ", v.Repr()));
        }
        name = v.string_value();
        has_name = true;
        continue;
      }
      if (absl::StartsWith(k, kParametrizeGroupPrefix) && IsParametrize(v)) {
        groups.push_back(v);
        continue;
      }
      values[k] = v;
    }
    if (!has_name) {
      if (file.dir.empty()) {
        return UserError(p.location, absl::StrCat("targets in root-level BUILD files must be "
                                                  "named explicitly (", p.type->alias,
                                                  " has no `name=`)"));
      }
      name = std::string(fs::Basename(file.dir));
    }
    absl::StatusOr<std::vector<Variant>> variants =
        ExpandParametrize(std::move(values), std::move(groups), p.location);
    if (!variants.ok()) return variants.status();
    for (Variant& var : *variants) {
      absl::Status s = AddTarget(file, p, name, std::move(var.params), var.values, sink);
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status GraphLoader::AddTarget(const FileState& file, const PendingTarget& pending,
                                    const std::string& name, AddressParameters params,
                                    const std::map<std::string, Value>& values,
                                    TargetSink* sink) {
  absl::StatusOr<Address> addr = Address::Create(file.dir, name, params);
  if (!addr.ok()) {
    return UserError(pending.location, absl::StrCat("invalid target name '", name, "': ",
                                                    addr.status().message()));
  }
  Target target;
  target.address = *addr;
  target.field_locations = pending.field_locations;
  absl::Status s = CheckAndFill(*pending.type, pending.location, values, &target);
  if (!s.ok()) return s;
  // Fields set by __defaults__ count as explicit only when the BUILD call set
  // them; keep the list to what the call wrote for unmatched-glob reporting.
  s = ExpandSources(file.dir, &target, sink->warnings);
  if (!s.ok()) return s;
  std::vector<Target> generated;
  if (target.type->is_file_generator()) {
    s = GenerateFileTargets(target, &generated);
  } else if (target.type->custom_generator) {
    s = GenerateCustomTargets(target, &generated);
  }
  if (!s.ok()) return s;
  // Positions in the directory's targets (the generated targets follow the
  // generator); BuildDir maps them to sorted positions.
  uint32_t first = static_cast<uint32_t>(sink->targets->size()) + 1;
  for (uint32_t k = 0; k < generated.size(); ++k) target.generated.push_back(first + k);
  s = Insert(std::move(target), sink);
  if (!s.ok()) return s;
  for (Target& g : generated) {
    s = Insert(std::move(g), sink);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// Whether a generated field given `from`'s value passes the same check: then
// a generator's already-checked value can be copied as is.
static bool SameCheck(const FieldSpec& from, const FieldSpec& to) {
  return from.type == to.type && from.required == to.required && from.choices == to.choices;
}

// Fields never copied from a file generator to its generated targets.
static bool NotCopied(const std::string& name) {
  return name == "sources" || name == "overrides" || name == "source";
}

const GraphLoader::CopyPlan& GraphLoader::PlanFor(const TargetType& generator,
                                                  const TargetType& generated) {
  absl::MutexLock lock(&plans_mu_);
  auto [it, inserted] = copy_plans_.try_emplace({&generator, &generated});
  CopyPlan& plan = it->second;
  if (!inserted) return plan;
  plan.target_of.assign(generator.fields.size(), -1);
  for (size_t i = 0; i < generator.fields.size(); ++i) {
    const FieldSpec& from = generator.fields[i];
    if (NotCopied(from.name)) continue;
    int j = generated.FieldIndex(from.name);
    if (j < 0) continue;
    plan.target_of[i] = j;
    if (!SameCheck(from, generated.fields[j])) plan.exact = false;
  }
  plan.source_index = generated.FieldIndex("source");
  if (plan.source_index < 0 || generated.fields[plan.source_index].type != FieldType::kSource) {
    plan.exact = false;
  }
  return plan;
}

// Copies the generator's fields that the generated type also has.
static std::map<std::string, Value> CopiedFields(const Target& generator,
                                                 const TargetType& generated_type) {
  std::map<std::string, Value> out;
  for (const auto& [i, value] : generator.explicit_values) {
    const std::string& name = generator.type->fields[i].name;
    if (NotCopied(name) || generated_type.FindField(name) == nullptr) continue;
    out[name] = value;
  }
  return out;
}

// Matches an overrides key (a path/glob relative to the generator's dir, or a
// generated name) against a candidate.
static bool OverrideKeyMatches(const std::string& key, const std::string& candidate) {
  return key == candidate || (fs::HasWildcard(key) && fs::WildMatch(key, candidate));
}

// Applies the generator's `overrides` entries that match `candidate`.
static absl::Status ApplyOverrides(const Target& generator, const std::string& candidate,
                                   std::map<std::string, Value>* values,
                                   std::set<std::string>* used_keys) {
  const Value& overrides = generator.Field("overrides");
  if (overrides.kind() != Value::Kind::kDict) return absl::OkStatus();
  for (const auto& [key, fields] : overrides.dict_items()) {
    std::vector<std::string> keys;
    if (key.is_string()) {
      keys.push_back(key.string_value());
    } else if (key.kind() == Value::Kind::kTuple || key.kind() == Value::Kind::kList) {
      for (const Value& k : key.items()) {
        if (k.is_string()) keys.push_back(k.string_value());
      }
    } else {
      return UserError(generator.location, absl::StrCat("the keys of `overrides` in ",
                                                        generator.address.Spec(),
                                                        " must be strings or tuples of strings"));
    }
    if (fields.kind() != Value::Kind::kDict) {
      return UserError(generator.location,
                       absl::StrCat("the values of `overrides` in ", generator.address.Spec(),
                                    " must be dicts of field values, got ", fields.TypeName()));
    }
    for (const std::string& k : keys) {
      if (!OverrideKeyMatches(k, candidate)) continue;
      used_keys->insert(k);
      for (const auto& [fk, fv] : fields.dict_items()) {
        if (!fk.is_string()) continue;
        (*values)[fk.string_value()] = fv;
      }
    }
  }
  return absl::OkStatus();
}

static absl::Status CheckUnusedOverrides(const Target& generator,
                                         const std::set<std::string>& used) {
  const Value& overrides = generator.Field("overrides");
  if (overrides.kind() != Value::Kind::kDict) return absl::OkStatus();
  std::vector<std::string> unused;
  for (const auto& [key, _] : overrides.dict_items()) {
    std::vector<Value> ks = key.is_string() ? std::vector<Value>{key} : key.items();
    for (const Value& k : ks) {
      if (k.is_string() && !used.count(k.string_value())) unused.push_back(k.string_value());
    }
  }
  if (unused.empty()) return absl::OkStatus();
  return UserError(generator.location,
                   absl::StrCat("unused key", unused.size() > 1 ? "s" : "", " in the `overrides` "
                                "field of ", generator.address.Spec(), ": ",
                                absl::StrJoin(unused, ", ")),
                   "each key must match a file (or generated name) this target generates");
}

absl::Status GraphLoader::GenerateFileTargets(const Target& generator, std::vector<Target>* out) {
  const TargetType* gen_type = types_.Find(generator.type->generated_alias);
  if (gen_type == nullptr) {
    return absl::InternalError(absl::StrCat("target type ", generator.alias(),
                                            " generates unknown type ",
                                            generator.type->generated_alias));
  }
  const std::string& dir = generator.address.spec_path();
  const CopyPlan& plan = PlanFor(*generator.type, *gen_type);
  // Fast path (the common case): no overrides, and copied values need no
  // re-check, so fields are copied by index. Otherwise the generic path
  // builds the values by name and checks them all.
  bool fast = plan.exact && generator.Field("overrides").is_none();
  std::set<std::string> used;
  out->reserve(out->size() + generator.sources.size());
  for (const std::string& file : generator.sources) {
    // Sources below the generator's directory (all of them, unless a glob
    // used "..") need no general relative-path computation.
    std::string rel = !dir.empty() && absl::StartsWith(file, dir) && file.size() > dir.size() &&
                              file[dir.size()] == '/'
                          ? file.substr(dir.size() + 1)
                          : fs::RelativePath(dir, file);
    Target t;
    t.address = generator.address.WithRelativeFilePath(rel);
    absl::Status s;
    if (fast) {
      t.InitFields(gen_type);
      t.location = generator.location;
      t.explicit_values.reserve(generator.explicit_values.size() + 1);
      for (const auto& [from, value] : generator.explicit_values) {
        int to = plan.target_of[from];
        if (to >= 0) t.explicit_values.emplace_back(static_cast<uint32_t>(to), value);
      }
      t.explicit_values.emplace_back(static_cast<uint32_t>(plan.source_index),
                                     Value::String(std::move(rel)));
      std::sort(t.explicit_values.begin(), t.explicit_values.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      s = CheckRequired(t);
    } else {
      std::map<std::string, Value> values = CopiedFields(generator, *gen_type);
      s = ApplyOverrides(generator, rel, &values, &used);
      if (!s.ok()) return s;
      values["source"] = Value::String(rel);
      s = CheckAndFill(*gen_type, generator.location, values, &t);
    }
    if (!s.ok()) return s;
    t.sources.push_back(file);
    out->push_back(std::move(t));
  }
  return CheckUnusedOverrides(generator, used);
}

namespace {
class IndexGeneratorContext : public GeneratorContext {
 public:
  explicit IndexGeneratorContext(const fs::FileSystem& fs) : fs_(fs) {}
  absl::StatusOr<std::string> ReadFile(const std::string& path) const override {
    return fs_.ReadFile(path);
  }

 private:
  const fs::FileSystem& fs_;
};
}  // namespace

absl::Status GraphLoader::GenerateCustomTargets(const Target& generator,
                                                std::vector<Target>* out) {
  IndexGeneratorContext ctx(fs_);
  absl::StatusOr<std::vector<GeneratedTargetSpec>> specs =
      generator.type->custom_generator(ctx, generator);
  if (!specs.ok()) return specs.status();
  // Custom generators apply `overrides` themselves (their keys are
  // generator-specific, e.g. canonical project names); fields are still checked.
  for (GeneratedTargetSpec& spec : *specs) {
    const std::string& alias =
        spec.alias.empty() ? generator.type->custom_generated_alias : spec.alias;
    const TargetType* gen_type = types_.Find(alias);
    if (gen_type == nullptr) {
      return absl::InternalError(absl::StrCat("target type ", generator.alias(),
                                              " generates unknown type ", alias));
    }
    std::map<std::string, Value> values;
    for (auto& [k, v] : spec.fields) values[k] = std::move(v);
    Target t;
    t.address = spec.file.empty()
                    ? generator.address.WithGeneratedName(spec.generated_name)
                    : generator.address.WithRelativeFilePath(
                          fs::RelativePath(generator.address.spec_path(), spec.file));
    absl::Status s = CheckAndFill(*gen_type, generator.location, values, &t);
    if (!s.ok()) return s;
    if (!spec.file.empty()) t.sources = {spec.file};
    out->push_back(std::move(t));
  }
  return absl::OkStatus();
}

absl::StatusOr<TargetGraph> GraphLoader::Load() {
  build_file::Symbols symbols = MakeSymbols();

  // Prelude files: evaluated once; their symbols are visible in every BUILD file.
  std::vector<build_file::SourceFile> prelude_files;
  if (!options_.prelude_globs.empty()) {
    absl::StatusOr<fs::PathGlobs> pg = fs::PathGlobs::Create("", options_.prelude_globs);
    if (!pg.ok()) {
      return UserError(Location{"[GLOBAL].build_file_prelude_globs", 0, 0, ""},
                       pg.status().message());
    }
    for (const std::string& path : pg->Expand(index_)) {
      absl::StatusOr<std::string> text = fs_.ReadFile(path);
      if (!text.ok()) return text.status();
      prelude_files.push_back({path, *std::move(text)});
    }
  }
  FileState prelude_state;
  prelude_state.path = "<prelude>";
  current_ = &prelude_state;
  absl::StatusOr<build_file::Prelude> prelude = build_file::EvaluatePrelude(prelude_files, symbols);
  if (!prelude.ok()) return prelude.status();
  if (!prelude_state.pending.empty()) {
    return UserError(prelude_state.pending[0].location,
                     "prelude files may define macros but not declare targets at top level");
  }

  // BUILD files, parents before children so __defaults__ inherit.
  fs::IgnoreRules build_ignore = fs::IgnoreRules::FromLines(
      fs::IgnoreSource::kPantsIgnore, "", options_.build_ignore, "[GLOBAL].build_ignore");
  std::vector<std::string> build_files;
  for (const std::string& f : index_.files()) {
    if (!IsBuildFileName(fs::Basename(f), options_.build_patterns)) continue;
    if (build_ignore.Check(f, false) == fs::IgnoreVerdict::kIgnored) continue;
    bool parent_ignored = false;
    for (absl::string_view d = fs::Dirname(f); !d.empty(); d = fs::Dirname(d)) {
      if (build_ignore.Check(d, true) == fs::IgnoreVerdict::kIgnored) {
        parent_ignored = true;
        break;
      }
    }
    if (!parent_ignored) build_files.push_back(f);
  }
  auto depth = [](const std::string& p) { return std::count(p.begin(), p.end(), '/'); };
  std::stable_sort(build_files.begin(), build_files.end(),
                   [&](const std::string& a, const std::string& b) {
                     auto da = depth(a), db = depth(b);
                     return da != db ? da < db : a < b;
                   });

  // 1. Read and parse every BUILD file, in parallel: parsing is pure.
  std::vector<absl::StatusOr<std::shared_ptr<const build_file::Module>>> parsed(
      build_files.size());
  ParallelFor(
      build_files.size(), options_.parallelism,
      [&](size_t k) {
        absl::StatusOr<std::string> text = fs_.ReadFile(build_files[k]);
        if (!text.ok()) {
          parsed[k] = text.status();
          return;
        }
        parsed[k] = build_file::ParseFile(build_files[k], *std::move(text));
      },
      ParallelGrain{16, 4});

  // 2. Evaluate them in order, parents before children so __defaults__
  // inherit, all files of one directory together: they form one namespace of
  // target names and share __defaults__. (The files of one directory are
  // adjacent in build_files, which is sorted by depth, then path.) The first
  // error stops evaluation; the directories before it are still built, so
  // the error reported is the first in this order, as if each directory were
  // built right after its evaluation.
  std::vector<DirWork> dirs;
  absl::Status eval_error;
  size_t i = 0;
  while (i < build_files.size() && eval_error.ok()) {
    DirWork work;
    work.dir = std::string(fs::Dirname(build_files[i]));
    size_t j = i;
    for (; j < build_files.size() && fs::Dirname(build_files[j]) == work.dir; ++j) {
      FileState st;
      st.path = build_files[j];
      st.dir = work.dir;
      work.files.push_back(std::move(st));
    }
    Defaults dir_defaults;
    bool dir_has_defaults = false;
    for (size_t k = 0; k < work.files.size(); ++k) {
      FileState& st = work.files[k];
      const auto& module = parsed[i + k];
      if (!module.ok()) {
        eval_error = module.status();
        break;
      }
      current_ = &st;
      absl::Status s = build_file::EvaluateParsedBuildFile(*module, symbols, &*prelude);
      if (!s.ok()) {
        eval_error = s;
        break;
      }
      if (st.has_defaults) {
        dir_defaults = st.defaults;
        dir_has_defaults = true;
      }
    }
    current_ = nullptr;
    if (!eval_error.ok()) break;
    if (dir_has_defaults) defaults_by_dir_[work.dir] = dir_defaults;
    work.defaults = dir_has_defaults ? &defaults_by_dir_[work.dir] : &InheritedDefaults(work.dir);
    dirs.push_back(std::move(work));
    i = j;
  }
  parsed.clear();

  // 3. Build each directory's targets, in parallel: a directory's targets
  // depend only on its own calls and effective defaults.
  ParallelFor(
      dirs.size(), options_.parallelism, [&](size_t k) { BuildDir(&dirs[k]); },
      ParallelGrain{16, 4});
  for (DirWork& d : dirs) {
    if (!d.status.ok()) return d.status;
  }
  if (!eval_error.ok()) return eval_error;
  for (DirWork& d : dirs) {
    for (std::string& w : d.warnings) warnings_->push_back(std::move(w));
  }

  std::sort(build_files.begin(), build_files.end());
  graph_.build_files_ = std::move(build_files);
  SortInto(dirs, &graph_);
  return std::move(graph_);
}

// Sorts [begin, end) when it is made of a few ascending runs, as the files
// owned by targets in address order are (address order is file order except
// where a directory's own files sort among its sub-directories'). Merging the
// runs pairwise costs O(n log runs) instead of O(n log n).
template <typename It, typename Less>
static void MergeSortedRuns(It begin, It end, Less less) {
  std::vector<It> bounds = {begin};  // starts of runs, then `end`
  for (It it = begin; it != end; ++it) {
    if (it != begin && less(*it, *(it - 1))) bounds.push_back(it);
  }
  bounds.push_back(end);
  while (bounds.size() > 2) {
    std::vector<It> merged = {begin};
    size_t runs = bounds.size() - 1;
    for (size_t i = 0; i + 1 < runs; i += 2) {
      std::inplace_merge(bounds[i], bounds[i + 1], bounds[i + 2], less);
      merged.push_back(bounds[i + 2]);
    }
    if (runs % 2 == 1) merged.push_back(end);
    bounds = std::move(merged);
  }
}

void GraphLoader::BuildDir(DirWork* d) {
  AddressSet by_address(0, PendingAddressHash{&d->targets}, PendingAddressEq{&d->targets});
  TargetSink sink{&d->targets, &by_address, &d->warnings};
  for (const FileState& st : d->files) {
    d->status = BuildTargets(st, *d->defaults, &sink);
    if (!d->status.ok()) return;
  }
  // Sort by address; `generated` follows the targets to their new positions.
  const size_t n = d->targets.size();
  std::vector<uint32_t> order(n);  // sorted position -> creation position
  for (uint32_t k = 0; k < n; ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [d](uint32_t a, uint32_t b) {
    return d->targets[a].address < d->targets[b].address;
  });
  std::vector<uint32_t> position(n);  // creation position -> sorted position
  for (uint32_t k = 0; k < n; ++k) position[order[k]] = k;
  std::vector<Target> sorted;
  sorted.reserve(n);
  for (uint32_t k = 0; k < n; ++k) sorted.push_back(std::move(d->targets[order[k]]));
  for (Target& t : sorted) {
    for (uint32_t& g : t.generated) g = position[g];
    std::sort(t.generated.begin(), t.generated.end());
  }
  d->targets = std::move(sorted);
}

void GraphLoader::SortInto(std::vector<DirWork>& dirs, TargetGraph* graph) {
  // Addresses order by spec_path first, and each directory's targets are
  // already sorted: order the directories and concatenate.
  std::vector<DirWork*> by_dir;
  size_t n = 0;
  for (DirWork& d : dirs) {
    if (d.targets.empty()) continue;
    by_dir.push_back(&d);
    n += d.targets.size();
  }
  std::sort(by_dir.begin(), by_dir.end(), [](const DirWork* a, const DirWork* b) {
    return fs::ComparePaths(a->dir, b->dir) < 0;
  });
  graph->targets_.reserve(n);
  for (DirWork* d : by_dir) {
    const uint32_t first = static_cast<uint32_t>(graph->targets_.size());
    for (Target& t : d->targets) {
      for (uint32_t& g : t.generated) g += first;
      graph->targets_.push_back(std::move(t));
    }
    d->targets.clear();
    graph->dir_ranges_[d->dir] = {first, static_cast<uint32_t>(graph->targets_.size())};
  }

  std::vector<Target>& targets = graph->targets_;
  graph->owners_.reserve(n);
  for (uint32_t k = 0; k < n; ++k) {
    const Target& t = targets[k];
    if (t.is_generator()) continue;
    for (uint32_t s = 0; s < t.sources.size(); ++s) graph->owners_.emplace_back(k, s);
  }
  MergeSortedRuns(graph->owners_.begin(), graph->owners_.end(),
                  [&](const auto& a, const auto& b) {
                    int c = targets[a.first].sources[a.second].compare(
                        targets[b.first].sources[b.second]);
                    return c != 0 ? c < 0 : a.first < b.first;
                  });
}

absl::StatusOr<TargetGraph> LoadTargetGraph(const fs::FileSystem& fs, const fs::FileIndex& index,
                                            const TargetTypeRegistry& types,
                                            const GraphOptions& options,
                                            std::vector<std::string>* warnings) {
  GraphLoader loader(fs, index, types, options, warnings);
  return loader.Load();
}

}  // namespace braid::graph
