// braid's plugin API: the only header a built-in plugin includes (with the
// generated "plugins/api/plugin_protocol.pb.h" it re-exports).
//
// A plugin is a PluginDef: a backend name for `[GLOBAL] backend_packages`
// and a function that registers, through a Registrar, what the plugin adds:
//
//   target types    TargetTypeDef (tags, description, dependencies are added)
//   subsystems      SubsystemDef: a pants.toml section with options
//   goals           GoalDef: a new command, run with a GoalContext
//   rules           at named extension points, each a pure function of a
//                   protocol request (plugin_protocol.proto) to its response:
//                     "infer_dependencies"     add/exclude inferred deps
//                     "generate"               files for sandboxes/packages
//                     "distribution_metadata"  adjust a python_distribution
//                     "platform"               the platform of a closure
//
// Nothing is registered unless the backend is enabled, so the goals, options
// and target types of a plugin exist only in repositories that list it.
//
// Rules see only their request (the target, its fields, the files they asked
// for, the options of the scopes they declared): that is their whole input,
// so braid can cache a rule's answer under the digest of the request. Rules
// that produce files ("generate") are cached in the store like any action.
// Rules must be deterministic and must not touch the disk.
//
// Example (plugins/platform_resources/platform_resources.cc, abridged):
//
//   PluginDef PlatformResourcesPlugin() {
//     return {"braid.plugins.platform_resources", "Platform-specific resources.",
//             [](Registrar& r) -> absl::Status {
//               BRAID_PLUGIN_RETURN_IF_ERROR(r.AddTargetType({...}));
//               return r.AddInferDependenciesRule({.name = "platform_resources",
//                                                  .target_types = {"platform_resources"},
//                                                  .option_scopes = {"platform-specific-resources"},
//                                                  .run = &InferChosenDependency});
//             }};
//   }
#ifndef BRAID_PLUGINS_API_PLUGIN_H_
#define BRAID_PLUGINS_API_PLUGIN_H_

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "plugins/api/plugin_protocol.pb.h"

/// Returns early from a function returning absl::Status(Or) when `expr` fails.
#define BRAID_PLUGIN_RETURN_IF_ERROR(expr)       \
  do {                                           \
    ::absl::Status braid_plugin_status_ = (expr); \
    if (!braid_plugin_status_.ok()) return braid_plugin_status_; \
  } while (0)

namespace braid::plugin {

namespace pb = ::braid::plugin::v1;

/// The protocol version this API speaks (plugin_protocol.proto).
inline constexpr uint32_t kProtocolVersion = 1;

// ---- Target types -----------------------------------------------------------

enum class FieldKind {
  kString,        // str or None
  kBool,          // bool
  kStringList,    // list of str
  kDict,          // dict (values unchecked)
  kDependencies,  // addresses, with `!` exclusions
  kSources,       // globs relative to the BUILD file's directory
};

struct FieldDef {
  std::string name;
  FieldKind kind = FieldKind::kString;
  std::string help;
  bool required = false;
  /// kString / kBool ("true"/"false") default; unset: None.
  std::optional<std::string> default_value;
  /// kStringList / kSources default.
  std::vector<std::string> default_list;
};

/// A target type. `tags`, `description` and `dependencies` are added to
/// `fields` unless a field of that name is given.
struct TargetTypeDef {
  std::string alias;
  std::string help;
  std::vector<FieldDef> fields;
};

// ---- Options ----------------------------------------------------------------

enum class OptionKind { kBool, kString, kEnum, kStringList, kDict };

struct OptionDef {
  std::string name;  // snake_case: flag --<scope>-<name-with-dashes>
  OptionKind kind = OptionKind::kString;
  std::string help;
  /// kString/kEnum default (unset: None); kBool: "true"/"false".
  std::optional<std::string> default_value;
  std::vector<std::string> default_list;  // kStringList
  std::vector<std::string> choices;       // kEnum
};

/// A pants.toml section with options ([<scope>], --<scope>-<option>).
struct SubsystemDef {
  std::string scope;
  std::string help;
  std::vector<OptionDef> options;
};

/// Option values as a rule or goal sees them.
class OptionValues {
 public:
  virtual ~OptionValues() = default;
  /// The option as JSON text ("null" if the option does not exist).
  virtual std::string Json(absl::string_view scope, absl::string_view name) const = 0;
  virtual std::optional<std::string> String(absl::string_view scope,
                                            absl::string_view name) const = 0;
  virtual bool Bool(absl::string_view scope, absl::string_view name) const = 0;
  virtual std::vector<std::string> StringList(absl::string_view scope,
                                              absl::string_view name) const = 0;
};

// ---- Goals ------------------------------------------------------------------

/// What a goal may do. Paths are relative to the build root. A goal is the
/// non-hermetic edge of a plugin: it reads and writes the workspace.
class GoalContext {
 public:
  virtual ~GoalContext() = default;
  virtual const std::string& buildroot() const = 0;
  virtual const OptionValues& options() const = 0;
  /// Arguments after `--`.
  virtual const std::vector<std::string>& passthrough() const = 0;
  /// kNotFound when missing.
  virtual absl::StatusOr<std::string> ReadFile(absl::string_view path) const = 0;
  /// Files under `dir` ("" = everywhere) that braid does not ignore, sorted.
  virtual absl::StatusOr<std::vector<std::string>> ListFiles(absl::string_view dir) = 0;
  /// Writes atomically (a temp file renamed over `path`), creating parents.
  virtual absl::Status WriteFile(absl::string_view path, absl::string_view content) = 0;
  virtual absl::Status RemoveFile(absl::string_view path) = 0;
  /// Files changed since the git ref `since` (committed, staged, unstaged and
  /// untracked), sorted. Runs git: not hermetic by nature.
  virtual absl::StatusOr<std::vector<std::string>> ChangedFiles(absl::string_view since) = 0;
  /// The targets the command line selects, sorted by address.
  virtual absl::StatusOr<std::vector<pb::Target>> SelectedTargets() = 0;
  virtual std::ostream& out() = 0;
  virtual std::ostream& err() = 0;
};

struct GoalDef {
  std::string name;
  std::string help;
  /// Options of the goal's own scope (`[<name>]`, `--<name>-<option>`; right
  /// after the goal on the command line also `--<option>`).
  std::vector<OptionDef> options;
  /// Returns the exit code (0 success, 1 failure); an error status prints
  /// and counts as 1.
  std::function<absl::StatusOr<int>(GoalContext& ctx)> run;
};

// ---- Rules ------------------------------------------------------------------

/// Which targets a rule sees and what of them it is sent.
struct RuleScope {
  /// Rule name, for messages and cache keys ("platform_resources").
  std::string name;
  /// Target types the rule applies to; empty: every target.
  std::vector<std::string> target_types;
  /// Scopes whose options are sent in `options` (the rule's declared inputs).
  std::vector<std::string> option_scopes;
  /// Send the contents of the target's sources (else only paths and digests).
  bool wants_source_contents = false;
};

/// Options of a rule's declared scopes, "<scope>.<name>" -> JSON text.
using RuleOptions = std::map<std::string, std::string>;

struct InferDependenciesRule : RuleScope {
  std::function<absl::StatusOr<pb::InferDependenciesResponse>(
      const pb::InferDependenciesRequest& request, const RuleOptions& options)>
      run;
};

struct GenerateRule : RuleScope {
  std::function<absl::StatusOr<pb::GenerateResponse>(const pb::GenerateRequest& request,
                                                     const RuleOptions& options)>
      run;
};

struct DistributionMetadataRule : RuleScope {
  /// Files of the distribution's directory the rule reads (e.g. "VERSION",
  /// "README.md"); the ones that exist are sent in the request.
  std::vector<std::string> files;
  /// String options ("scope.option") naming a file relative to the build
  /// root (e.g. a shared VERSION file); the file is sent when it exists.
  std::vector<std::string> file_options;
  std::function<absl::StatusOr<pb::DistributionMetadataResponse>(
      const pb::DistributionMetadataRequest& request, const RuleOptions& options)>
      run;
};

struct PlatformRule : RuleScope {
  std::function<absl::StatusOr<pb::PlatformResponse>(const pb::PlatformRequest& request,
                                                     const RuleOptions& options)>
      run;
};

// ---- Registration -------------------------------------------------------------

/// Where a plugin registers what it adds. Errors are braid or plugin bugs
/// (duplicate names and the like).
class Registrar {
 public:
  virtual ~Registrar() = default;
  virtual absl::Status AddTargetType(TargetTypeDef type) = 0;
  virtual absl::Status AddSubsystem(SubsystemDef subsystem) = 0;
  virtual absl::Status AddGoal(GoalDef goal) = 0;
  virtual absl::Status AddInferDependenciesRule(InferDependenciesRule rule) = 0;
  virtual absl::Status AddGenerateRule(GenerateRule rule) = 0;
  virtual absl::Status AddDistributionMetadataRule(DistributionMetadataRule rule) = 0;
  virtual absl::Status AddPlatformRule(PlatformRule rule) = 0;
};

struct PluginDef {
  /// The backend name users list in [GLOBAL].backend_packages.
  std::string name;
  std::string help;
  std::function<absl::Status(Registrar& registrar)> register_fn;
};

/// A user error in a plugin's input, with a place ("path:line: message" +
/// hint), formatted like braid's own errors.
absl::Status PluginUserError(absl::string_view path, int line, absl::string_view message,
                             absl::string_view hint = "");

}  // namespace braid::plugin

#endif  // BRAID_PLUGINS_API_PLUGIN_H_
