#include "plugins/api/internal/host.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/app/workspace.h"
#include "core/base/error.h"
#include "core/base/json.h"
#include "core/base/log.h"
#include "core/base/sha256.h"
#include "core/base/status_macros.h"
#include "core/build_file/value_json.h"
#include "core/exec/run_sync.h"
#include "core/options/global_options.h"
#include "core/options/options.h"
#include "core/store/store_options.h"
#include "plugins/api/internal/external.h"

namespace braid::plugin {

absl::Status PluginUserError(absl::string_view path, int line, absl::string_view message,
                             absl::string_view hint) {
  return UserError(Location{std::string(path), line, 0, ""}, message, hint);
}

namespace internal {

using build_file::Value;

namespace {

constexpr char kPluginsScope[] = "braid-plugins";

using build_file::ValueToJson;

std::string OneLine(const json::Value& v) {
  json::WriteOptions o;
  o.indent = -1;
  o.ensure_ascii = false;
  return json::Write(v, o);
}

// ---- Options ---------------------------------------------------------------

class OptionValuesImpl : public OptionValues {
 public:
  explicit OptionValuesImpl(const options::Options& o) : o_(o) {}
  std::string Json(absl::string_view scope, absl::string_view name) const override {
    const options::ResolvedOption* r = o_.Find(scope, name);
    return r == nullptr ? "null" : r->value.ToJson();
  }
  std::optional<std::string> String(absl::string_view scope,
                                    absl::string_view name) const override {
    if (o_.Find(scope, name) == nullptr) return std::nullopt;
    return o_.GetOptionalString(scope, name);
  }
  bool Bool(absl::string_view scope, absl::string_view name) const override {
    return o_.Find(scope, name) != nullptr && o_.GetBool(scope, name);
  }
  std::vector<std::string> StringList(absl::string_view scope,
                                      absl::string_view name) const override {
    if (o_.Find(scope, name) == nullptr) return {};
    return o_.GetStringList(scope, name);
  }

 private:
  const options::Options& o_;
};

RuleOptions OptionsForRule(const options::Options& o, const options::OptionRegistry& reg,
                           const std::vector<std::string>& scopes) {
  RuleOptions out;
  for (const std::string& scope : scopes) {
    for (const options::OptionInfo* info : reg.OptionsIn(scope)) {
      const options::ResolvedOption* r = o.Find(scope, info->name);
      out[absl::StrCat(scope, ".", info->name)] = r == nullptr ? "null" : r->value.ToJson();
    }
  }
  return out;
}

absl::Status AddOption(options::OptionRegistry& reg, const std::string& scope,
                       const OptionDef& def) {
  switch (def.kind) {
    case OptionKind::kBool:
      return reg.AddBool(scope, def.name, def.default_value.value_or("false") == "true", def.help);
    case OptionKind::kString:
      return reg.AddString(scope, def.name, def.default_value, def.help);
    case OptionKind::kEnum:
      return reg.AddEnum(scope, def.name, def.choices, def.default_value, def.help);
    case OptionKind::kStringList:
      return reg.AddStringList(scope, def.name, def.default_list, def.help);
    case OptionKind::kDict:
      return reg.AddDict(scope, def.name, {}, def.help);
  }
  return absl::InternalError("unknown option kind");
}

graph::FieldSpec ToFieldSpec(const FieldDef& def) {
  graph::FieldSpec spec;
  spec.name = def.name;
  spec.help = def.help;
  spec.required = def.required;
  switch (def.kind) {
    case FieldKind::kString:
      spec.type = graph::FieldType::kString;
      if (def.default_value) spec.default_value = Value::String(*def.default_value);
      break;
    case FieldKind::kBool:
      spec.type = graph::FieldType::kBool;
      spec.default_value = Value::Bool(def.default_value.value_or("false") == "true");
      break;
    case FieldKind::kStringList:
    case FieldKind::kSources: {
      spec.type = def.kind == FieldKind::kSources ? graph::FieldType::kSources
                                                  : graph::FieldType::kStringList;
      std::vector<Value> items;
      for (const std::string& s : def.default_list) items.push_back(Value::String(s));
      if (!items.empty() || def.kind == FieldKind::kStringList) {
        spec.default_value = Value::List(std::move(items));
      }
      break;
    }
    case FieldKind::kDict: spec.type = graph::FieldType::kDict; break;
    case FieldKind::kDependencies: spec.type = graph::FieldType::kDependencies; break;
  }
  return spec;
}

// ---- The host's state (one per process) ------------------------------------

struct Host {
  app::Registries* registries = nullptr;
  std::vector<InferDependenciesRule> infer_rules;
  // Per workspace (one per run): parsed external plugins, the store.
  app::Workspace* parsed_for = nullptr;
  std::vector<ExternalPlugin> external;
  std::unique_ptr<store::Store> store;
  ExternalCallEnv call_env;

  absl::Status Prepare(app::Workspace& ws);
  absl::StatusOr<pb::PluginResponse> Call(app::Workspace& ws, const ExternalPlugin& p,
                                          pb::PluginRequest request) {
    std::vector<std::string> warnings;
    absl::StatusOr<pb::PluginResponse> r = CallExternalPlugin(p, std::move(request), call_env,
                                                              &warnings);
    for (std::string& w : warnings) ws.WarnOnce(std::move(w));
    return r;
  }
};

Host& TheHost() {
  static Host* host = new Host();
  return *host;
}

absl::Status Host::Prepare(app::Workspace& ws) {
  if (parsed_for == &ws) return absl::OkStatus();
  parsed_for = &ws;
  external.clear();
  const options::Options& o = ws.options();
  const options::ResolvedOption* opt = o.Find(kPluginsScope, "external");
  if (opt != nullptr) {
    absl::StatusOr<std::vector<ExternalPlugin>> parsed =
        ParseExternalPlugins(opt->value, opt->source().ToString());
    if (!parsed.ok()) {
      parsed_for = nullptr;
      return parsed.status();
    }
    external = *std::move(parsed);
  }
  call_env.buildroot = ws.buildroot();
  call_env.path_env = ws.env().count("PATH") ? ws.env().at("PATH") : "/usr/bin:/bin";
  std::string home = ws.env().count("HOME") ? ws.env().at("HOME") : "";
  call_env.sandbox_root = options::ExpandPathOption(
      o.GetString("GLOBAL", "local_execution_root_dir"), ws.buildroot(), home);
  if (!external.empty() && store == nullptr) {
    absl::StatusOr<store::StoreSettings> settings =
        store::StoreSettingsFromOptions(o, ws.env(), ws.buildroot());
    if (settings.ok()) {
      absl::StatusOr<std::unique_ptr<store::Store>> s = store::Store::Open(settings->dir);
      if (s.ok()) store = *std::move(s);
    }
    if (store == nullptr) {
      BRAID_LOG(kDebug) << "plugin answers are not cached: no store";
    }
  }
  call_env.store = store.get();
  return absl::OkStatus();
}

bool Applies(const RuleScope& scope, const std::string& alias) {
  return scope.target_types.empty() ||
         std::find(scope.target_types.begin(), scope.target_types.end(), alias) !=
             scope.target_types.end();
}

// ---- infer_dependencies ------------------------------------------------------

// Runs every built-in inferrer, then hands the result to each plugin rule.
class PluginAwareInferrer : public graph::DependencyInferrer {
 public:
  PluginAwareInferrer(app::Workspace& ws,
                      std::vector<std::unique_ptr<graph::DependencyInferrer>> inner)
      : ws_(ws), inner_(std::move(inner)) {}

  absl::StatusOr<std::vector<graph::Dependency>> Infer(const graph::Target& target) override {
    std::vector<graph::Dependency> deps;
    for (auto& inferrer : inner_) {
      absl::StatusOr<std::vector<graph::Dependency>> d = inferrer->Infer(target);
      if (!d.ok()) return d.status();
      if (deps.empty()) {
        deps = *std::move(d);
      } else {
        for (graph::Dependency& dep : *d) deps.push_back(std::move(dep));
      }
    }
    Host& host = TheHost();
    const std::string& alias = target.alias();
    for (const InferDependenciesRule& rule : host.infer_rules) {
      if (!Applies(rule, alias)) continue;
      absl::StatusOr<pb::InferDependenciesRequest> req =
          Request(target, deps, rule.wants_source_contents);
      if (!req.ok()) return req.status();
      absl::StatusOr<pb::InferDependenciesResponse> resp =
          rule.run(*req, OptionsForRule(ws_.options(), host.registries->options,
                                        rule.option_scopes));
      if (!resp.ok()) return resp.status();
      absl::Status s = Apply(target, *resp, rule.name, &deps);
      if (!s.ok()) return s;
    }
    for (const ExternalPlugin& p : host.external) {
      if (!p.Handles(kHookInferDependencies, alias)) continue;
      absl::StatusOr<pb::InferDependenciesRequest> req = Request(target, deps, false);
      if (!req.ok()) return req.status();
      pb::PluginRequest request;
      *request.mutable_infer_dependencies() = *std::move(req);
      absl::StatusOr<pb::PluginResponse> resp = host.Call(ws_, p, std::move(request));
      if (!resp.ok()) return resp.status();
      absl::Status s = Apply(target, resp->infer_dependencies(), p.name, &deps);
      if (!s.ok()) return s;
    }
    return deps;
  }

  // Plugin rules see (and may drop) the dependencies by address, so only
  // without any does the lean answer of the built-in inferrers go through.
  absl::StatusOr<std::vector<const graph::Target*>> InferTargets(
      const graph::Target& target, const graph::TargetGraph& graph) override {
    if (PluginsInfer()) return DependencyInferrer::InferTargets(target, graph);
    std::vector<const graph::Target*> out;
    for (auto& inferrer : inner_) {
      absl::StatusOr<std::vector<const graph::Target*>> d = inferrer->InferTargets(target, graph);
      if (!d.ok()) return d.status();
      out.insert(out.end(), d->begin(), d->end());
    }
    return out;
  }

  absl::Status Flush() override {
    absl::Status first;
    for (auto& inferrer : inner_) {
      absl::Status s = inferrer->Flush();
      if (first.ok()) first = s;
    }
    return first;
  }

  // Batches: forwarded to the wrapped inferrers. Concurrency only when they
  // all allow it and no plugin rule runs (rules and external plugins are
  // called one target at a time).
  void Prepare(absl::Span<const graph::Target* const> targets, int parallelism) override {
    for (auto& inferrer : inner_) inferrer->Prepare(targets, parallelism);
  }
  bool SupportsConcurrentInfer() const override {
    if (PluginsInfer()) return false;
    for (const auto& inferrer : inner_) {
      if (!inferrer->SupportsConcurrentInfer()) return false;
    }
    return true;
  }
  void BeginConcurrent(absl::Span<const graph::Target* const> targets) override {
    for (auto& inferrer : inner_) inferrer->BeginConcurrent(targets);
  }
  void EndConcurrent(absl::Span<const graph::Target* const> targets, size_t count) override {
    for (auto& inferrer : inner_) inferrer->EndConcurrent(targets, count);
  }

 private:
  // Whether any plugin rule or external plugin infers dependencies.
  static bool PluginsInfer() {
    Host& host = TheHost();
    if (!host.infer_rules.empty()) return true;
    for (const ExternalPlugin& p : host.external) {
      if (p.hooks.count(kHookInferDependencies) > 0) return true;
    }
    return false;
  }

  absl::StatusOr<pb::InferDependenciesRequest> Request(const graph::Target& target,
                                                       std::vector<graph::Dependency>& deps,
                                                       bool contents) {
    pb::InferDependenciesRequest req;
    absl::StatusOr<pb::Target> t = TargetToProto(ws_, target, contents);
    if (!t.ok()) return t.status();
    *req.mutable_target() = *std::move(t);
    std::sort(deps.begin(), deps.end(), [](const graph::Dependency& a, const graph::Dependency& b) {
      return a.address < b.address;
    });
    for (const graph::Dependency& d : deps) {
      pb::Dependency* pd = req.add_inferred();
      pd->set_address(d.address.Spec());
      pd->set_reason(d.rule);
      pd->set_detail(d.module);
    }
    return req;
  }

  absl::Status Apply(const graph::Target& target, const pb::InferDependenciesResponse& resp,
                     const std::string& who, std::vector<graph::Dependency>* deps) {
    std::set<std::string> exclude(resp.exclude().begin(), resp.exclude().end());
    if (!exclude.empty()) {
      deps->erase(std::remove_if(deps->begin(), deps->end(),
                                 [&](const graph::Dependency& d) {
                                   return exclude.count(d.address.Spec()) > 0;
                                 }),
                  deps->end());
    }
    absl::StatusOr<const fs::FileIndex*> index = ws_.Index();
    if (!index.ok()) return index.status();
    absl::StatusOr<const graph::TargetGraph*> g = ws_.Graph();
    if (!g.ok()) return g.status();
    for (const pb::Dependency& add : resp.add()) {
      absl::StatusOr<Address> a =
          ParseAddress(add.address(), target.address.spec_path(), **index);
      if (a.ok() && (*g)->Find(*a) == nullptr) {
        a = absl::NotFoundError(absl::StrCat("no target at '", a->Spec(), "'"));
      }
      if (!a.ok()) {
        return UserError(target.location,
                         absl::StrCat("the plugin '", who, "' added the dependency '",
                                      add.address(), "' to ", target.address.Spec(), ": ",
                                      a.status().message()));
      }
      graph::Dependency dep;
      dep.address = *a;
      dep.rule = add.reason().empty() ? absl::StrCat("plugin ", who) : add.reason();
      dep.module = add.detail();
      dep.origin = target.location;
      deps->push_back(std::move(dep));
    }
    return absl::OkStatus();
  }

  app::Workspace& ws_;
  std::vector<std::unique_ptr<graph::DependencyInferrer>> inner_;
};

// ---- Goals ---------------------------------------------------------------------

class GoalContextImpl : public GoalContext {
 public:
  explicit GoalContextImpl(app::GoalContext& ctx)
      : ctx_(ctx), options_(ctx.options) {}
  const std::string& buildroot() const override { return ctx_.workspace.buildroot(); }
  const OptionValues& options() const override { return options_; }
  const std::vector<std::string>& passthrough() const override { return ctx_.passthrough; }
  absl::StatusOr<std::string> ReadFile(absl::string_view path) const override {
    return options::ReadFileFromDisk(Abs(path));
  }
  absl::StatusOr<std::vector<std::string>> ListFiles(absl::string_view dir) override {
    absl::StatusOr<const fs::FileIndex*> index = ctx_.workspace.Index();
    if (!index.ok()) return index.status();
    std::string prefix = dir.empty() ? "" : absl::StrCat(dir, "/");
    std::vector<std::string> out;
    for (const std::string& f : (*index)->files()) {
      if (absl::StartsWith(f, prefix)) out.push_back(f);
    }
    std::sort(out.begin(), out.end());
    return out;
  }
  absl::Status WriteFile(absl::string_view path, absl::string_view content) override {
    std::string abs = Abs(path);
    std::string tmp = absl::StrCat(abs, ".braid-tmp");
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) return EnvironmentError(Location{std::string(path), 0, 0, ""},
                                              "cannot write the file");
    bool ok = std::fwrite(content.data(), 1, content.size(), f) == content.size();
    ok = std::fclose(f) == 0 && ok;
    if (!ok || std::rename(tmp.c_str(), abs.c_str()) != 0) {
      std::remove(tmp.c_str());
      return EnvironmentError(Location{std::string(path), 0, 0, ""}, "cannot write the file");
    }
    return absl::OkStatus();
  }
  absl::Status RemoveFile(absl::string_view path) override {
    if (std::remove(Abs(path).c_str()) != 0) {
      return EnvironmentError(Location{std::string(path), 0, 0, ""}, "cannot remove the file");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> ChangedFiles(absl::string_view since) override {
    std::map<std::string, std::string> env = {{"PATH", ctx_.workspace.env().count("PATH")
                                                           ? ctx_.workspace.env().at("PATH")
                                                           : "/usr/bin:/bin"},
                                              {"LANG", "C.UTF-8"}};
    std::set<std::string> files;
    std::vector<std::vector<std::string>> commands = {
        {"/usr/bin/git", "-C", buildroot(), "diff", "--name-only", "--no-renames",
         std::string(since)},
        {"/usr/bin/git", "-C", buildroot(), "ls-files", "--others", "--exclude-standard"}};
    for (const auto& argv : commands) {
      absl::StatusOr<exec::SyncResult> r = exec::RunSync(argv, env);
      if (!r.ok()) return r.status();
      if (r->exit_code != 0) {
        return UserError(Location{}, absl::StrCat("`", absl::StrJoin(argv, " "),
                                                  "` failed: ", r->stderr_bytes));
      }
      for (absl::string_view line : absl::StrSplit(r->stdout_bytes, '\n', absl::SkipEmpty())) {
        files.insert(std::string(line));
      }
    }
    return std::vector<std::string>(files.begin(), files.end());
  }
  absl::StatusOr<std::vector<pb::Target>> SelectedTargets() override {
    absl::StatusOr<std::vector<const graph::Target*>> targets =
        ctx_.workspace.SelectedTargets();
    if (!targets.ok()) return targets.status();
    std::vector<pb::Target> out;
    for (const graph::Target* t : *targets) {
      absl::StatusOr<pb::Target> p = TargetToProto(ctx_.workspace, *t, false);
      if (!p.ok()) return p.status();
      out.push_back(*std::move(p));
    }
    return out;
  }
  std::ostream& out() override { return ctx_.out; }
  std::ostream& err() override { return ctx_.err; }

 private:
  std::string Abs(absl::string_view path) const {
    return absl::StrCat(ctx_.workspace.buildroot(), "/", path);
  }
  app::GoalContext& ctx_;
  OptionValuesImpl options_;
};

// ---- The registrar -------------------------------------------------------------

// Registers into the engine (the backend is being enabled).
class EngineRegistrar : public Registrar {
 public:
  explicit EngineRegistrar(app::Registries& r) : r_(r) {}

  absl::Status AddTargetType(TargetTypeDef def) override {
    graph::TargetType t;
    t.alias = def.alias;
    t.help = def.help;
    for (const FieldDef& f : def.fields) t.fields.push_back(ToFieldSpec(f));
    for (graph::FieldSpec common :
         {graph::DependenciesField(), graph::TagsField(), graph::DescriptionField()}) {
      if (t.FindField(common.name) == nullptr) t.fields.push_back(std::move(common));
    }
    r_.target_types.Register(std::move(t));
    return absl::OkStatus();
  }

  absl::Status AddSubsystem(SubsystemDef def) override {
    BRAID_RETURN_IF_ERROR(
        r_.options.AddScope({def.scope, options::ScopeKind::kSubsystem, def.help}));
    for (const OptionDef& o : def.options) BRAID_RETURN_IF_ERROR(AddOption(r_.options, def.scope, o));
    return absl::OkStatus();
  }

  absl::Status AddGoal(GoalDef def) override {
    BRAID_RETURN_IF_ERROR(r_.options.AddScope({def.name, options::ScopeKind::kGoal, def.help}));
    for (const OptionDef& o : def.options) BRAID_RETURN_IF_ERROR(AddOption(r_.options, def.name, o));
    auto run = def.run;
    r_.goals.Register({def.name, def.help, [run](app::GoalContext& ctx) -> absl::StatusOr<int> {
                         GoalContextImpl pctx(ctx);
                         return run(pctx);
                       }});
    return absl::OkStatus();
  }

  absl::Status AddInferDependenciesRule(InferDependenciesRule rule) override {
    TheHost().infer_rules.push_back(std::move(rule));
    return absl::OkStatus();
  }

  absl::Status AddGenerateRule(GenerateRule rule) override {
    app::Registries* regs = &r_;
    r_.extensions.file_generators.push_back(
        [rule, regs](app::Workspace& ws,
                     const graph::Target& target) -> absl::StatusOr<std::vector<app::GeneratedFile>> {
          if (!Applies(rule, target.alias())) return std::vector<app::GeneratedFile>{};
          pb::GenerateRequest req;
          absl::StatusOr<pb::Target> t = TargetToProto(ws, target, rule.wants_source_contents);
          if (!t.ok()) return t.status();
          *req.mutable_target() = *std::move(t);
          absl::StatusOr<pb::GenerateResponse> resp =
              rule.run(req, OptionsForRule(ws.options(), regs->options, rule.option_scopes));
          if (!resp.ok()) return resp.status();
          std::vector<app::GeneratedFile> out;
          for (const pb::File& f : resp->files()) {
            out.push_back({f.path(), f.content(), f.is_executable()});
          }
          return out;
        });
    return absl::OkStatus();
  }

  absl::Status AddDistributionMetadataRule(DistributionMetadataRule rule) override {
    app::Registries* regs = &r_;
    r_.extensions.metadata_hooks.push_back(
        [rule, regs](app::Workspace& ws, const graph::Target& dist,
                     const std::vector<const graph::Target*>& /*closure*/,
                     app::PackageMetadata& md) -> absl::Status {
          if (!Applies(rule, dist.alias())) return absl::OkStatus();
          pb::DistributionMetadataRequest req;
          absl::StatusOr<pb::Target> t = TargetToProto(ws, dist, false);
          if (!t.ok()) return t.status();
          *req.mutable_distribution() = *std::move(t);
          for (const auto& [k, v] : md.fields) {
            pb::MetadataField* f = req.add_metadata();
            f->set_name(k);
            f->set_value(v);
          }
          std::vector<std::string> paths;
          for (const std::string& name : rule.files) {
            paths.push_back(dist.address.spec_path().empty()
                                ? name
                                : absl::StrCat(dist.address.spec_path(), "/", name));
          }
          for (const std::string& opt : rule.file_options) {
            size_t dot = opt.find('.');
            if (dot == std::string::npos) continue;
            std::optional<std::string> v =
                OptionValuesImpl(ws.options()).String(opt.substr(0, dot), opt.substr(dot + 1));
            if (v && !v->empty() &&
                std::find(paths.begin(), paths.end(), *v) == paths.end()) {
              paths.push_back(*v);
            }
          }
          for (const std::string& rel : paths) {
            absl::StatusOr<std::string> c = ws.fs().ReadFile(rel);
            if (!c.ok()) continue;
            pb::File* f = req.add_files();
            f->set_path(rel);
            f->set_sha256(Sha256Hex(*c));
            f->set_content(*std::move(c));
          }
          absl::StatusOr<pb::DistributionMetadataResponse> resp =
              rule.run(req, OptionsForRule(ws.options(), regs->options, rule.option_scopes));
          if (!resp.ok()) return resp.status();
          ApplyMetadata(*resp, md);
          return absl::OkStatus();
        });
    return absl::OkStatus();
  }

  absl::Status AddPlatformRule(PlatformRule rule) override {
    app::Registries* regs = &r_;
    r_.extensions.platform_hooks.push_back(
        [rule, regs](app::Workspace& ws, const std::vector<const graph::Target*>& closure)
            -> absl::StatusOr<app::ClosurePlatform> {
          pb::PlatformRequest req;
          bool any = false;
          for (const graph::Target* t : closure) {
            if (!Applies(rule, t->alias())) continue;
            any = true;
            absl::StatusOr<pb::Target> p = TargetToProto(ws, *t, false);
            if (!p.ok()) return p.status();
            *req.add_closure() = *std::move(p);
          }
          if (!any) return app::ClosurePlatform{};
          absl::StatusOr<pb::PlatformResponse> resp =
              rule.run(req, OptionsForRule(ws.options(), regs->options, rule.option_scopes));
          if (!resp.ok()) return resp.status();
          return app::ClosurePlatform{resp->platform(), resp->package_tag()};
        });
    return absl::OkStatus();
  }

  static void ApplyMetadata(const pb::DistributionMetadataResponse& resp,
                            app::PackageMetadata& md) {
    for (const std::string& name : resp.remove()) md.Remove(name);
    std::set<std::string> set_names;
    for (const pb::MetadataField& f : resp.set()) {
      if (set_names.insert(f.name()).second) {
        md.Set(f.name(), f.value());
      } else {
        md.Add(f.name(), f.value());
      }
    }
    for (const pb::MetadataField& f : resp.add()) md.Add(f.name(), f.value());
  }

 private:
  app::Registries& r_;
};

// Records only the names a plugin registers (for "enable the backend" hints).
class CatalogRegistrar : public Registrar {
 public:
  std::vector<std::string> goals, target_types;
  absl::Status AddTargetType(TargetTypeDef def) override {
    target_types.push_back(def.alias);
    return absl::OkStatus();
  }
  absl::Status AddSubsystem(SubsystemDef) override { return absl::OkStatus(); }
  absl::Status AddGoal(GoalDef def) override {
    goals.push_back(def.name);
    return absl::OkStatus();
  }
  absl::Status AddInferDependenciesRule(InferDependenciesRule) override { return absl::OkStatus(); }
  absl::Status AddGenerateRule(GenerateRule) override { return absl::OkStatus(); }
  absl::Status AddDistributionMetadataRule(DistributionMetadataRule) override {
    return absl::OkStatus();
  }
  absl::Status AddPlatformRule(PlatformRule) override { return absl::OkStatus(); }
};

}  // namespace

absl::StatusOr<pb::Target> TargetToProto(app::Workspace& ws, const graph::Target& target,
                                         bool with_contents) {
  pb::Target out;
  out.set_address(target.address.Spec());
  out.set_type(target.alias());
  for (size_t i = 0; i < target.type->fields.size(); ++i) {
    (*out.mutable_fields_json())[target.type->fields[i].name] =
        OneLine(ValueToJson(target.FieldAt(i)));
  }
  for (const std::string& tag : target.StringListField("tags")) out.add_tags(tag);
  out.set_build_file(target.location.file);
  out.set_line(target.location.line);
  for (const std::string& src : target.sources) {
    pb::File* f = out.add_sources();
    f->set_path(src);
    absl::StatusOr<std::string> content = ws.fs().ReadFile(src);
    if (!content.ok()) return content.status();
    f->set_sha256(Sha256Hex(*content));
    if (with_contents) f->set_content(*std::move(content));
  }
  return out;
}

absl::Status InstallPluginHost(app::Registries& registries, std::vector<PluginDef> plugins) {
  Host& host = TheHost();
  host.registries = &registries;
  BRAID_RETURN_IF_ERROR(registries.options.AddScope(
      {kPluginsScope, options::ScopeKind::kSubsystem,
       "External plugins: executables that speak braid's plugin protocol (docs/plugins.md)."}));
  BRAID_RETURN_IF_ERROR(registries.options.AddDict(
      kPluginsScope, "external", {},
      "External plugins by name: { name = { command = [...], hooks = [...], target_types = "
      "[...], inputs = [...], options = {...}, timeout_seconds = 60 } }. See docs/plugins.md."));

  // Plugin rules see what every built-in inferrer found, so one factory
  // builds them all and wraps them.
  std::vector<app::InferrerFactory> inner = std::move(registries.inferrer_factories);
  registries.inferrer_factories.clear();
  registries.inferrer_factories.push_back(
      [inner](app::Workspace& ws) -> absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>> {
        BRAID_RETURN_IF_ERROR(TheHost().Prepare(ws));
        std::vector<std::unique_ptr<graph::DependencyInferrer>> built;
        for (const app::InferrerFactory& make : inner) {
          absl::StatusOr<std::unique_ptr<graph::DependencyInferrer>> i = make(ws);
          if (!i.ok()) return i.status();
          if (*i) built.push_back(*std::move(i));
        }
        return std::make_unique<PluginAwareInferrer>(ws, std::move(built));
      });

  // External plugins' other hooks.
  registries.extensions.file_generators.push_back(
      [](app::Workspace& ws,
         const graph::Target& target) -> absl::StatusOr<std::vector<app::GeneratedFile>> {
        Host& h = TheHost();
        BRAID_RETURN_IF_ERROR(h.Prepare(ws));
        std::vector<app::GeneratedFile> out;
        for (const ExternalPlugin& p : h.external) {
          if (!p.Handles(kHookGenerate, target.alias())) continue;
          pb::PluginRequest req;
          absl::StatusOr<pb::Target> t = TargetToProto(ws, target, true);
          if (!t.ok()) return t.status();
          *req.mutable_generate()->mutable_target() = *std::move(t);
          absl::StatusOr<pb::PluginResponse> resp = h.Call(ws, p, std::move(req));
          if (!resp.ok()) return resp.status();
          for (const pb::File& f : resp->generate().files()) {
            out.push_back({f.path(), f.content(), f.is_executable()});
          }
        }
        return out;
      });
  registries.extensions.metadata_hooks.push_back(
      [](app::Workspace& ws, const graph::Target& dist, const std::vector<const graph::Target*>&,
         app::PackageMetadata& md) -> absl::Status {
        Host& h = TheHost();
        BRAID_RETURN_IF_ERROR(h.Prepare(ws));
        for (const ExternalPlugin& p : h.external) {
          if (!p.Handles(kHookDistributionMetadata, dist.alias())) continue;
          pb::PluginRequest req;
          pb::DistributionMetadataRequest* dm = req.mutable_distribution_metadata();
          absl::StatusOr<pb::Target> t = TargetToProto(ws, dist, false);
          if (!t.ok()) return t.status();
          *dm->mutable_distribution() = *std::move(t);
          for (const auto& [k, v] : md.fields) {
            pb::MetadataField* f = dm->add_metadata();
            f->set_name(k);
            f->set_value(v);
          }
          absl::StatusOr<pb::PluginResponse> resp = h.Call(ws, p, std::move(req));
          if (!resp.ok()) return resp.status();
          EngineRegistrar::ApplyMetadata(resp->distribution_metadata(), md);
        }
        return absl::OkStatus();
      });

  registries.extensions.platform_hooks.push_back(
      [](app::Workspace& ws, const std::vector<const graph::Target*>& closure)
          -> absl::StatusOr<app::ClosurePlatform> {
        Host& h = TheHost();
        BRAID_RETURN_IF_ERROR(h.Prepare(ws));
        app::ClosurePlatform out;
        for (const ExternalPlugin& p : h.external) {
          if (!p.hooks.count(kHookPlatform)) continue;
          pb::PluginRequest req;
          pb::PlatformRequest* pr = req.mutable_platform();
          for (const graph::Target* t : closure) {
            if (!p.Handles(kHookPlatform, t->alias())) continue;
            absl::StatusOr<pb::Target> pt = TargetToProto(ws, *t, false);
            if (!pt.ok()) return pt.status();
            *pr->add_closure() = *std::move(pt);
          }
          if (pr->closure_size() == 0) continue;
          absl::StatusOr<pb::PluginResponse> resp = h.Call(ws, p, std::move(req));
          if (!resp.ok()) return resp.status();
          if (resp->platform().platform().empty()) continue;
          app::ClosurePlatform mine{resp->platform().platform(), resp->platform().package_tag()};
          if (!out.name.empty() && !(out == mine)) {
            return UserError(Location{}, absl::StrCat("external plugins disagree on the platform: '",
                                                      out.name, "' and '", mine.name, "'"));
          }
          out = mine;
        }
        return out;
      });

  for (PluginDef& plugin : plugins) {
    CatalogRegistrar catalog;
    BRAID_RETURN_IF_ERROR(plugin.register_fn(catalog));
    app::Backend backend;
    backend.name = plugin.name;
    backend.help = plugin.help;
    backend.goals = catalog.goals;
    backend.target_types = catalog.target_types;
    auto register_fn = plugin.register_fn;
    backend.enable = [register_fn](app::Registries& r) -> absl::Status {
      EngineRegistrar registrar(r);
      return register_fn(registrar);
    };
    registries.backends.Register(std::move(backend));
  }
  return absl::OkStatus();
}

}  // namespace internal
}  // namespace braid::plugin
