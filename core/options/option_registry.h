// The set of option scopes and options braid knows, registered by each layer.
//
// core/ registers the engine-level GLOBAL options (global_options.h); rules/
// registers goal scopes (`test`, `lint`) and subsystems (`python`, `pytest`).
// The registry is frozen once options are parsed: parsing only reads it.
//
// Usage:
//   OptionRegistry reg;
//   RETURN_IF_ERROR(RegisterGlobalOptions(reg));
//   RETURN_IF_ERROR(reg.AddScope({"test", ScopeKind::kGoal, "Run tests."}));
//   RETURN_IF_ERROR(reg.AddBool("test", "force", false, "Force the tests to run..."));
//   RETURN_IF_ERROR(reg.AddInt("test", "timeout_default", std::nullopt, "..."));
//
// Naming: scope names are as in pants.toml sections ("GLOBAL", "test",
// "python-infer"); option names are snake_case as in pants.toml
// ("local_store_dir"). Derived spellings:
//   flag     --<scope>-<name with _ -> -> (global: --<name>), e.g. --python-infer-imports
//   env var  PANTS_<SCOPE>_<NAME> upper-cased, - -> _ (global: PANTS_<NAME>,
//            also PANTS_GLOBAL_<NAME>)
//   config   [<scope>] <name>
//
// Registration errors (duplicates, unknown scope, default of the wrong type)
// are braid bugs and come back as absl::InternalError.
#ifndef BRAID_CORE_OPTIONS_OPTION_REGISTRY_H_
#define BRAID_CORE_OPTIONS_OPTION_REGISTRY_H_

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "core/options/option_value.h"

namespace braid::options {

/// The section name of global options in pants.toml.
inline constexpr absl::string_view kGlobalScope = "GLOBAL";

enum class ScopeKind { kGlobal, kGoal, kSubsystem };

struct ScopeInfo {
  std::string name;  // "GLOBAL", "test", "python-infer"
  ScopeKind kind = ScopeKind::kSubsystem;
  std::string help;  // first line is the summary shown in listings
};

enum class OptionType {
  kBool,
  kInt,
  kFloat,
  kString,
  kEnum,        // a string restricted to `choices`
  kStringList,  // list of strings, with Pants list-edit semantics
  kDict,        // string -> any OptionValue, with Pants "+{...}" merges
};

/// "bool", "int", "float", "str", "enum", "list of str", "dict".
const char* OptionTypeName(OptionType type);

struct OptionInfo {
  std::string scope;  // a registered scope name
  std::string name;   // snake_case, unique within the scope
  OptionType type = OptionType::kString;
  /// Matches `type` (a list for kStringList, a dict for kDict), or None for
  /// scalar options that are unset by default (e.g. [test].timeout_default).
  OptionValue default_value;
  std::string help;
  std::vector<std::string> choices;  // kEnum only, in display order
  /// A one-letter short flag ("l" for `-l`), or "". Only `-l` style
  /// (`-ldebug`, `-l=debug`) is parsed, as in Pants.
  std::string short_flag;
  bool advanced = false;  // shown only by `help-advanced`

  bool is_global() const { return scope == kGlobalScope; }
  /// "--test-timeout-default", "--level".
  std::string Flag() const;
  /// "PANTS_TEST_TIMEOUT_DEFAULT", "PANTS_LEVEL".
  std::string EnvVar() const;
  /// "[test].timeout_default".
  std::string ConfigKey() const;
};

class OptionRegistry {
 public:
  OptionRegistry() = default;
  OptionRegistry(const OptionRegistry&) = delete;
  OptionRegistry& operator=(const OptionRegistry&) = delete;

  absl::Status AddScope(ScopeInfo scope);
  /// Registers `option`; its scope must exist and its default must match its type.
  absl::Status Add(OptionInfo option);

  // Shorthands for Add(). Pass std::nullopt (scalars) for "no default".
  absl::Status AddBool(absl::string_view scope, absl::string_view name,
                       std::optional<bool> def, absl::string_view help);
  absl::Status AddInt(absl::string_view scope, absl::string_view name,
                      std::optional<int64_t> def, absl::string_view help);
  absl::Status AddFloat(absl::string_view scope, absl::string_view name,
                        std::optional<double> def, absl::string_view help);
  absl::Status AddString(absl::string_view scope, absl::string_view name,
                         std::optional<std::string> def, absl::string_view help);
  absl::Status AddEnum(absl::string_view scope, absl::string_view name,
                       std::vector<std::string> choices, std::optional<std::string> def,
                       absl::string_view help);
  absl::Status AddStringList(absl::string_view scope, absl::string_view name,
                             std::vector<std::string> def, absl::string_view help);
  absl::Status AddDict(absl::string_view scope, absl::string_view name, OptionValue::Dict def,
                       absl::string_view help);

  const ScopeInfo* FindScope(absl::string_view name) const;
  const OptionInfo* Find(absl::string_view scope, absl::string_view name) const;

  /// All scopes sorted by name, GLOBAL first.
  std::vector<const ScopeInfo*> Scopes() const;
  /// Goal scopes sorted by name.
  std::vector<std::string> GoalNames() const;
  /// Options of `scope` sorted by name (empty if the scope is unknown).
  std::vector<const OptionInfo*> OptionsIn(absl::string_view scope) const;
  /// Option names of `scope`, sorted, for did-you-mean hints.
  std::vector<std::string> OptionNamesIn(absl::string_view scope) const;

 private:
  std::map<std::string, ScopeInfo> scopes_;
  // scope -> name -> option. unique_ptr keeps OptionInfo* stable.
  std::map<std::string, std::map<std::string, std::unique_ptr<OptionInfo>>> options_;
};

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_OPTION_REGISTRY_H_
