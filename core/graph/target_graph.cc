#include "core/graph/target_graph.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "core/base/error.h"
#include "core/build_file/evaluator.h"
#include "core/fs/glob.h"
#include "core/fs/ignore.h"
#include "core/fs/path.h"
#include "core/fs/wildmatch.h"

namespace braid::graph {

using build_file::CallArgs;
using build_file::CallContext;
using build_file::Value;

const Target* TargetGraph::Find(const Address& address) const {
  auto it = by_address_.find(address);
  return it == by_address_.end() ? nullptr : &targets_[it->second];
}

std::vector<const Target*> TargetGraph::OwnersOf(absl::string_view file) const {
  std::vector<const Target*> out;
  auto it = owners_.find(std::string(file));
  if (it == owners_.end()) return out;
  for (size_t i : it->second) out.push_back(&targets_[i]);
  return out;
}

std::vector<std::string> TargetGraph::AddressesIn(absl::string_view spec_path) const {
  std::vector<std::string> out;
  for (const Target& t : targets_) {
    if (t.address.spec_path() == spec_path) out.push_back(t.address.Spec());
  }
  return out;
}

bool IsBuildFileName(absl::string_view basename, const std::vector<std::string>& patterns) {
  for (const std::string& p : patterns) {
    if (fs::WildMatch(p, basename)) return true;
  }
  return false;
}

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
  std::set<Address> included;
  std::set<Address> excluded;
  for (const std::string& raw : target.StringListField("dependencies")) {
    DepEntry e = SplitDep(raw);
    if (e.bangs == 2) continue;
    absl::StatusOr<Address> addr = ParseAddress(e.text, target.address.spec_path(), index);
    if (!addr.ok()) {
      return UserError(target.FieldLocation("dependencies"),
                       absl::StrCat("invalid address '", raw, "' in the dependencies of ",
                                    target.address.Spec(), ": ", addr.status().message()));
    }
    const Target* dep = Find(*addr);
    if (dep == nullptr) {
      std::vector<std::string> candidates = AddressesIn(addr->spec_path());
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
    for (const Address& g : dep->generated) into.insert(g);
    if (dep->is_generator() && e.bangs == 0) {
      // Depending on a generator means depending on what it generates.
      included.erase(dep->address);
    }
  }
  for (const Address& g : target.generated) included.insert(g);
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

  build_file::Symbols MakeSymbols();
  absl::Status CallDefaults(const CallContext& ctx, const CallArgs& args);
  absl::Status AddDefaultsEntry(const CallContext& ctx, const std::string& alias,
                                const Value& fields, bool from_all, Defaults* out);
  const Defaults& InheritedDefaults(const std::string& dir) const;
  absl::Status BuildTargets(const FileState& file, const Defaults& defaults);
  absl::Status AddTarget(const FileState& file, const PendingTarget& pending,
                         const std::string& name, AddressParameters params,
                         std::map<std::string, Value> values);
  absl::Status CheckAndFill(const TargetType& type, const std::string& what,
                            const Location& loc, std::map<std::string, Value> values,
                            Target* target);
  absl::Status ExpandSources(const std::string& dir, Target* target);
  absl::Status GenerateFileTargets(const Target& generator, std::vector<Target>* out);
  absl::Status GenerateCustomTargets(const Target& generator, std::vector<Target>* out);
  absl::Status Insert(Target target);
  void Unmatched(const Target& t, const std::string& field, const std::vector<std::string>& globs);

  const fs::FileSystem& fs_;
  const fs::FileIndex& index_;
  const TargetTypeRegistry& types_;
  const GraphOptions& options_;
  std::vector<std::string>* warnings_;

  FileState* current_ = nullptr;
  std::map<std::string, Defaults> defaults_by_dir_;
  TargetGraph graph_;
  // Targets in creation order, before sorting into graph_.
  std::vector<Target> pending_targets_;
  absl::flat_hash_map<Address, size_t> by_address_pending_;
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
    std::string name = alias;
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
                            const std::vector<std::string>& globs) {
  if (globs.empty() || options_.unmatched_globs == UnmatchedGlobBehavior::kIgnore) return;
  std::vector<std::string> quoted;
  for (const std::string& g : globs) quoted.push_back(absl::StrCat("\"", g, "\""));
  std::string msg = FormatLocated(
      Location{t.location.file, t.location.line, 0, ""},
      absl::StrCat("unmatched glob", globs.size() > 1 ? "s" : "", " from ", t.address.Spec(),
                   "'s `", field, "` field: ", absl::StrJoin(quoted, ", ")));
  warnings_->push_back(msg);
}

absl::Status GraphLoader::ExpandSources(const std::string& dir, Target* target) {
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
    std::vector<std::string> unmatched = pg->UnmatchedIncludes(index_);
    // Defaults that match nothing are normal (an empty package); only globs the
    // user wrote are reported, as Pants does.
    bool explicit_field = std::find(target->explicit_fields.begin(), target->explicit_fields.end(),
                                    "sources") != target->explicit_fields.end();
    if (explicit_field && !unmatched.empty()) {
      if (options_.unmatched_globs == UnmatchedGlobBehavior::kError) {
        return UserError(target->FieldLocation("sources"),
                         absl::StrCat("unmatched glob from ", target->address.Spec(),
                                      "'s `sources` field: \"", unmatched[0], "\""),
                         "fix the glob, or set [GLOBAL] unmatched_build_file_globs = \"warn\"");
      }
      Unmatched(*target, "sources", unmatched);
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
    } else if (!target->generator.has_value()) {
      if (options_.unmatched_globs == UnmatchedGlobBehavior::kError) {
        return UserError(target->location,
                         absl::StrCat("unmatched glob from ", target->address.Spec(),
                                      "'s `source` field: \"", src, "\""));
      }
      Unmatched(*target, "source", {src});
    }
  }
  return absl::OkStatus();
}

absl::Status GraphLoader::CheckAndFill(const TargetType& type, const std::string& what,
                                       const Location& loc, std::map<std::string, Value> values,
                                       Target* target) {
  target->type = &type;
  target->location = loc;
  for (auto& [name, v] : values) {
    const FieldSpec* spec = type.FindField(name);
    if (spec == nullptr) {
      return UserError(target->FieldLocation(name),
                       absl::StrCat("unknown field '", name, "' in ", type.alias, " target ",
                                    what),
                       DidYouMean(name, type.FieldNames()));
    }
    absl::StatusOr<Value> checked = CheckFieldValue(*spec, v);
    if (!checked.ok()) {
      return UserError(target->FieldLocation(name),
                       absl::StrCat("field '", name, "' of ", type.alias, " target ", what, " ",
                                    checked.status().message()));
    }
    target->fields[name] = *checked;
    target->explicit_fields.push_back(name);
  }
  for (const FieldSpec& spec : type.fields) {
    if (target->fields.count(spec.name)) continue;
    if (spec.required) {
      return UserError(loc, absl::StrCat(type.alias, " target ", what,
                                         " is missing the required field '", spec.name, "'"));
    }
    target->fields[spec.name] = spec.default_value;
  }
  return absl::OkStatus();
}

absl::Status GraphLoader::Insert(Target target) {
  if (by_address_pending_.count(target.address)) {
    const Target& other = pending_targets_[by_address_pending_[target.address]];
    return UserError(target.location,
                     absl::StrCat("a target already exists at '", target.address.Spec(),
                                  "' (", other.alias(), " declared at ",
                                  other.location.ToString(), "); the ", target.alias(),
                                  " target cannot use the same name"),
                     "give one of them a different `name=`");
  }
  by_address_pending_[target.address] = pending_targets_.size();
  pending_targets_.push_back(std::move(target));
  return absl::OkStatus();
}


// Expands parametrize(...) field values into the cartesian product of
// variants: each variant is (parameters, field values).
struct Variant {
  AddressParameters params;
  std::map<std::string, Value> values;
};

static absl::StatusOr<std::vector<Variant>> ExpandParametrize(
    const std::map<std::string, Value>& values, const Location& loc) {
  std::vector<Variant> out = {Variant{{}, {}}};
  for (const auto& [field, v] : values) {
    bool is_param = v.kind() == Value::Kind::kObject && v.object()->type_name == "parametrize";
    if (!is_param) {
      for (Variant& var : out) var.values[field] = v;
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
      // parametrize("name", **fields) is a named group setting several fields.
      if (!p.kwargs.empty()) {
        if (p.args.size() != 1 || !p.args[0].is_string()) {
          return UserError(p.location.file.empty() ? loc : p.location,
                           "parametrize() with keyword fields takes exactly one name string");
        }
        next.pop_back();
        Variant var = base;
        var.params["parametrize"] = p.args[0].string_value();
        for (const auto& [k, kv] : p.kwargs) var.values[k] = kv;
        next.push_back(std::move(var));
      }
    }
    out = std::move(next);
  }
  return out;
}

absl::Status GraphLoader::BuildTargets(const FileState& file, const Defaults& defaults) {
  for (const PendingTarget& p : file.pending) {
    std::string name;
    std::map<std::string, Value> values;
    auto d = defaults.find(p.type->alias);
    if (d != defaults.end()) values = d->second;
    bool has_name = false;
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
    absl::StatusOr<std::vector<Variant>> variants = ExpandParametrize(values, p.location);
    if (!variants.ok()) return variants.status();
    for (Variant& var : *variants) {
      absl::Status s = AddTarget(file, p, name, std::move(var.params), std::move(var.values));
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

absl::Status GraphLoader::AddTarget(const FileState& file, const PendingTarget& pending,
                                    const std::string& name, AddressParameters params,
                                    std::map<std::string, Value> values) {
  absl::StatusOr<Address> addr = Address::Create(file.dir, name, params);
  if (!addr.ok()) {
    return UserError(pending.location, absl::StrCat("invalid target name '", name, "': ",
                                                    addr.status().message()));
  }
  Target target;
  target.address = *addr;
  target.field_locations = pending.field_locations;
  std::string what = addr->Spec();
  absl::Status s = CheckAndFill(*pending.type, what, pending.location, std::move(values), &target);
  if (!s.ok()) return s;
  // Fields set by __defaults__ count as explicit only when the BUILD call set
  // them; keep the list to what the call wrote for unmatched-glob reporting.
  s = ExpandSources(file.dir, &target);
  if (!s.ok()) return s;
  std::vector<Target> generated;
  if (target.type->is_file_generator()) {
    s = GenerateFileTargets(target, &generated);
  } else if (target.type->custom_generator) {
    s = GenerateCustomTargets(target, &generated);
  }
  if (!s.ok()) return s;
  for (const Target& g : generated) target.generated.push_back(g.address);
  std::sort(target.generated.begin(), target.generated.end());
  s = Insert(std::move(target));
  if (!s.ok()) return s;
  for (Target& g : generated) {
    s = Insert(std::move(g));
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

// Copies the generator's fields that the generated type also has.
static std::map<std::string, Value> CopiedFields(const Target& generator,
                                                 const TargetType& generated_type) {
  std::map<std::string, Value> out;
  for (const std::string& name : generator.explicit_fields) {
    if (name == "sources" || name == "overrides" || name == "source") continue;
    if (generated_type.FindField(name) == nullptr) continue;
    out[name] = generator.Field(name);
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
  std::set<std::string> used;
  for (const std::string& file : generator.sources) {
    std::string rel = fs::RelativePath(dir, file);
    std::map<std::string, Value> values = CopiedFields(generator, *gen_type);
    absl::Status s = ApplyOverrides(generator, rel, &values, &used);
    if (!s.ok()) return s;
    values["source"] = Value::String(rel);
    Target t;
    t.address = generator.address.WithRelativeFilePath(rel);
    t.generator = generator.address;
    s = CheckAndFill(*gen_type, t.address.Spec(), generator.location, std::move(values), &t);
    if (!s.ok()) return s;
    t.sources = {file};
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
    t.generator = generator.address;
    absl::Status s =
        CheckAndFill(*gen_type, t.address.Spec(), generator.location, std::move(values), &t);
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

  // Evaluate all files of one directory together: they form one namespace of
  // target names and share __defaults__.
  size_t i = 0;
  while (i < build_files.size()) {
    std::string dir(fs::Dirname(build_files[i]));
    std::vector<FileState> states;
    size_t j = i;
    for (; j < build_files.size() && fs::Dirname(build_files[j]) == dir; ++j) {
      FileState st;
      st.path = build_files[j];
      st.dir = dir;
      states.push_back(std::move(st));
    }
    Defaults dir_defaults;
    bool dir_has_defaults = false;
    for (FileState& st : states) {
      absl::StatusOr<std::string> text = fs_.ReadFile(st.path);
      if (!text.ok()) return text.status();
      current_ = &st;
      absl::Status s = build_file::EvaluateBuildFile({st.path, *std::move(text)}, symbols,
                                                     &*prelude);
      if (!s.ok()) return s;
      if (st.has_defaults) {
        dir_defaults = st.defaults;
        dir_has_defaults = true;
      }
    }
    current_ = nullptr;
    if (dir_has_defaults) defaults_by_dir_[dir] = dir_defaults;
    const Defaults& effective = dir_has_defaults ? defaults_by_dir_[dir] : InheritedDefaults(dir);
    for (const FileState& st : states) {
      absl::Status s = BuildTargets(st, effective);
      if (!s.ok()) return s;
    }
    i = j;
  }

  std::sort(build_files.begin(), build_files.end());
  graph_.build_files_ = std::move(build_files);
  // Sort indices, then move each target once (Targets are large).
  std::vector<size_t> order(pending_targets_.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [this](size_t a, size_t b) {
    return pending_targets_[a].address < pending_targets_[b].address;
  });
  graph_.targets_.reserve(order.size());
  for (size_t k : order) graph_.targets_.push_back(std::move(pending_targets_[k]));
  pending_targets_.clear();
  for (size_t k = 0; k < graph_.targets_.size(); ++k) {
    const Target& t = graph_.targets_[k];
    graph_.by_address_[t.address] = k;
    if (t.is_generator()) continue;
    for (const std::string& f : t.sources) graph_.owners_[f].push_back(k);
  }
  return std::move(graph_);
}

absl::StatusOr<TargetGraph> LoadTargetGraph(const fs::FileSystem& fs, const fs::FileIndex& index,
                                            const TargetTypeRegistry& types,
                                            const GraphOptions& options,
                                            std::vector<std::string>* warnings) {
  GraphLoader loader(fs, index, types, options, warnings);
  return loader.Load();
}

}  // namespace braid::graph
