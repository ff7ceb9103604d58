// External plugins: executables declared in pants.toml that speak
// plugin_protocol.proto on stdin/stdout.
//
// Declaration (docs/plugins.md):
//
//   [braid-plugins]
//   external = { exclude_tagged = { command = ["/usr/bin/python3", "tools/exclude_tagged.py"], hooks = ["infer_dependencies"], target_types = ["python_source"], inputs = ["tools/exclude_tagged.py", "tools/plugin_protocol_pb2.py"], options = { tag = "no-infer" } } }
//
// keys: command (required; argv; paths relative to the build root are files
// copied into the sandbox, so they must also be `inputs`, or absolute),
// hooks (required; among infer_dependencies, generate,
// distribution_metadata, platform), target_types (optional filter), inputs
// (files copied into the sandbox, relative to the build root), options (a
// table sent as options_json), timeout_seconds (default 60).
//
// Each call runs the command once in a fresh sandbox directory (cwd) holding
// the inputs, with the environment PATH (braid's), HOME and TMPDIR (the
// sandbox), LANG=C.UTF-8, PYTHONDONTWRITEBYTECODE=1. The answer is cached in
// the store's action cache under the digest of: protocol version, command,
// the inputs' paths and contents, and the serialized request.
#ifndef BRAID_PLUGINS_API_INTERNAL_EXTERNAL_H_
#define BRAID_PLUGINS_API_INTERNAL_EXTERNAL_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/options/option_value.h"
#include "core/store/store.h"
#include "plugins/api/plugin.h"

namespace braid::plugin::internal {

inline constexpr char kHookInferDependencies[] = "infer_dependencies";
inline constexpr char kHookGenerate[] = "generate";
inline constexpr char kHookDistributionMetadata[] = "distribution_metadata";
inline constexpr char kHookPlatform[] = "platform";

/// One declared external plugin. Invariant: command non-empty, hooks valid.
struct ExternalPlugin {
  std::string name;
  std::vector<std::string> command;
  std::set<std::string> hooks;
  std::vector<std::string> target_types;  // empty: every target
  std::vector<std::string> inputs;        // relative to the build root
  std::map<std::string, std::string> options_json;
  int timeout_seconds = 60;

  bool Handles(const std::string& hook, const std::string& target_type) const;
};

/// Parses [braid-plugins].external. `where` names the option's source for
/// errors ("pants.toml:12").
absl::StatusOr<std::vector<ExternalPlugin>> ParseExternalPlugins(
    const options::OptionValue& value, const std::string& where);

/// Where and how calls run.
struct ExternalCallEnv {
  std::string buildroot;  // absolute
  std::string path_env;   // PATH for the plugin
  std::string sandbox_root;  // parent of the per-call sandboxes
  store::Store* store = nullptr;  // null: no caching
};

/// Runs `plugin` on `request` (protocol_version, plugin name, options and
/// buildroot are filled in here) or replays the cached answer. An answer
/// with `error` set, an ERROR diagnostic, a failed process or an undecodable
/// answer is an error naming the plugin. WARNING diagnostics are appended
/// to `warnings`.
absl::StatusOr<pb::PluginResponse> CallExternalPlugin(const ExternalPlugin& plugin,
                                                      pb::PluginRequest request,
                                                      const ExternalCallEnv& env,
                                                      std::vector<std::string>* warnings);

}  // namespace braid::plugin::internal

#endif  // BRAID_PLUGINS_API_INTERNAL_EXTERNAL_H_
