#include "core/options/option_registry.h"

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace braid::options {
namespace {

bool ValidName(absl::string_view name, bool allow_dash) {
  if (name.empty() || !absl::ascii_islower(name[0])) return false;
  for (char c : name) {
    if (!(absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || (allow_dash && c == '-'))) {
      return false;
    }
  }
  return true;
}

bool DefaultMatches(const OptionInfo& o) {
  using K = OptionValue::Kind;
  K k = o.default_value.kind();
  switch (o.type) {
    case OptionType::kBool: return k == K::kBool || k == K::kNone;
    case OptionType::kInt: return k == K::kInt || k == K::kNone;
    case OptionType::kFloat: return k == K::kFloat || k == K::kNone;
    case OptionType::kString: return k == K::kString || k == K::kNone;
    case OptionType::kEnum:
      return k == K::kNone ||
             (k == K::kString && std::find(o.choices.begin(), o.choices.end(),
                                           o.default_value.string()) != o.choices.end());
    case OptionType::kStringList:
      if (k != K::kList) return false;
      for (const OptionValue& v : o.default_value.list()) {
        if (v.kind() != K::kString) return false;
      }
      return true;
    case OptionType::kDict: return k == K::kDict;
  }
  return false;
}

}  // namespace

const char* OptionTypeName(OptionType type) {
  switch (type) {
    case OptionType::kBool: return "bool";
    case OptionType::kInt: return "int";
    case OptionType::kFloat: return "float";
    case OptionType::kString: return "str";
    case OptionType::kEnum: return "enum";
    case OptionType::kStringList: return "list of str";
    case OptionType::kDict: return "dict";
  }
  return "?";
}

std::string OptionInfo::Flag() const {
  std::string dashed = absl::StrReplaceAll(name, {{"_", "-"}});
  if (is_global()) return absl::StrCat("--", dashed);
  return absl::StrCat("--", scope, "-", dashed);
}

std::string OptionInfo::EnvVar() const {
  std::string n = absl::AsciiStrToUpper(absl::StrReplaceAll(name, {{"-", "_"}}));
  if (is_global()) return absl::StrCat("PANTS_", n);
  return absl::StrCat("PANTS_", absl::AsciiStrToUpper(absl::StrReplaceAll(scope, {{"-", "_"}})), "_",
                      n);
}

std::string OptionInfo::ConfigKey() const { return absl::StrCat("[", scope, "].", name); }

absl::Status OptionRegistry::AddScope(ScopeInfo scope) {
  bool is_global = scope.name == kGlobalScope;
  if (is_global != (scope.kind == ScopeKind::kGlobal)) {
    return absl::InternalError(
        absl::StrCat("scope '", scope.name, "': only GLOBAL may (and must) have kind kGlobal"));
  }
  if (!is_global && !ValidName(scope.name, /*allow_dash=*/true)) {
    return absl::InternalError(absl::StrCat("invalid scope name '", scope.name, "'"));
  }
  if (scopes_.count(scope.name)) {
    return absl::InternalError(absl::StrCat("scope '", scope.name, "' registered twice"));
  }
  std::string name = scope.name;
  scopes_.emplace(name, std::move(scope));
  options_[name];
  return absl::OkStatus();
}

absl::Status OptionRegistry::Add(OptionInfo option) {
  auto it = options_.find(option.scope);
  if (it == options_.end()) {
    return absl::InternalError(absl::StrCat("option '", option.name, "' registered in unknown scope '",
                                            option.scope, "'"));
  }
  if (!ValidName(option.name, /*allow_dash=*/false)) {
    return absl::InternalError(absl::StrCat("invalid option name '", option.name, "' in [",
                                            option.scope, "] (use snake_case)"));
  }
  if (it->second.count(option.name)) {
    return absl::InternalError(
        absl::StrCat("option '", option.name, "' registered twice in [", option.scope, "]"));
  }
  if (option.type == OptionType::kEnum && option.choices.empty()) {
    return absl::InternalError(absl::StrCat("enum option ", option.ConfigKey(), " has no choices"));
  }
  if (!DefaultMatches(option)) {
    return absl::InternalError(absl::StrCat("default of ", option.ConfigKey(), " is ",
                                            option.default_value.ToPython(true), ", not a ",
                                            OptionTypeName(option.type)));
  }
  if (option.short_flag.size() > 1) {
    return absl::InternalError(absl::StrCat("short flag of ", option.ConfigKey(), " must be one letter"));
  }
  if (!option.short_flag.empty()) {
    for (const auto& [scope, opts] : options_) {
      for (const auto& [name, o] : opts) {
        if (o->short_flag == option.short_flag) {
          return absl::InternalError(absl::StrCat("short flag -", option.short_flag,
                                                  " registered twice"));
        }
      }
    }
  }
  std::string name = option.name;
  it->second.emplace(name, std::make_unique<OptionInfo>(std::move(option)));
  return absl::OkStatus();
}

namespace {
OptionInfo Make(absl::string_view scope, absl::string_view name, OptionType type, OptionValue def,
                absl::string_view help) {
  OptionInfo o;
  o.scope = std::string(scope);
  o.name = std::string(name);
  o.type = type;
  o.default_value = std::move(def);
  o.help = std::string(help);
  return o;
}
}  // namespace

absl::Status OptionRegistry::AddBool(absl::string_view scope, absl::string_view name,
                                     std::optional<bool> def, absl::string_view help) {
  return Add(Make(scope, name, OptionType::kBool, def ? OptionValue::Bool(*def) : OptionValue(), help));
}
absl::Status OptionRegistry::AddInt(absl::string_view scope, absl::string_view name,
                                    std::optional<int64_t> def, absl::string_view help) {
  return Add(Make(scope, name, OptionType::kInt, def ? OptionValue::Int(*def) : OptionValue(), help));
}
absl::Status OptionRegistry::AddFloat(absl::string_view scope, absl::string_view name,
                                      std::optional<double> def, absl::string_view help) {
  return Add(
      Make(scope, name, OptionType::kFloat, def ? OptionValue::Float(*def) : OptionValue(), help));
}
absl::Status OptionRegistry::AddString(absl::string_view scope, absl::string_view name,
                                       std::optional<std::string> def, absl::string_view help) {
  return Add(Make(scope, name, OptionType::kString,
                  def ? OptionValue::String(*std::move(def)) : OptionValue(), help));
}
absl::Status OptionRegistry::AddEnum(absl::string_view scope, absl::string_view name,
                                     std::vector<std::string> choices,
                                     std::optional<std::string> def, absl::string_view help) {
  OptionInfo o = Make(scope, name, OptionType::kEnum,
                      def ? OptionValue::String(*std::move(def)) : OptionValue(), help);
  o.choices = std::move(choices);
  return Add(std::move(o));
}
absl::Status OptionRegistry::AddStringList(absl::string_view scope, absl::string_view name,
                                           std::vector<std::string> def, absl::string_view help) {
  return Add(Make(scope, name, OptionType::kStringList, OptionValue::StringList(def), help));
}
absl::Status OptionRegistry::AddDict(absl::string_view scope, absl::string_view name,
                                     OptionValue::Dict def, absl::string_view help) {
  return Add(Make(scope, name, OptionType::kDict, OptionValue::OfDict(std::move(def)), help));
}

const ScopeInfo* OptionRegistry::FindScope(absl::string_view name) const {
  auto it = scopes_.find(std::string(name));
  return it == scopes_.end() ? nullptr : &it->second;
}

const OptionInfo* OptionRegistry::Find(absl::string_view scope, absl::string_view name) const {
  auto it = options_.find(std::string(scope));
  if (it == options_.end()) return nullptr;
  auto jt = it->second.find(std::string(name));
  return jt == it->second.end() ? nullptr : jt->second.get();
}

std::vector<const ScopeInfo*> OptionRegistry::Scopes() const {
  std::vector<const ScopeInfo*> out;
  if (const ScopeInfo* g = FindScope(kGlobalScope)) out.push_back(g);
  for (const auto& [name, s] : scopes_) {
    if (name != kGlobalScope) out.push_back(&s);
  }
  return out;
}

std::vector<std::string> OptionRegistry::GoalNames() const {
  std::vector<std::string> out;
  for (const auto& [name, s] : scopes_) {
    if (s.kind == ScopeKind::kGoal) out.push_back(name);
  }
  return out;
}

std::vector<const OptionInfo*> OptionRegistry::OptionsIn(absl::string_view scope) const {
  std::vector<const OptionInfo*> out;
  auto it = options_.find(std::string(scope));
  if (it == options_.end()) return out;
  for (const auto& [name, o] : it->second) out.push_back(o.get());
  return out;
}

std::vector<std::string> OptionRegistry::OptionNamesIn(absl::string_view scope) const {
  std::vector<std::string> out;
  for (const OptionInfo* o : OptionsIn(scope)) out.push_back(o->name);
  return out;
}

}  // namespace braid::options
