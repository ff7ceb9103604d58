// The plugin host: connects plugins (plugin.h) and external plugins
// (plugin_protocol.proto) to the engine's registries. Not for plugins.
//
//   - each PluginDef becomes an app::Backend: its registration runs only when
//     the backend is enabled, through a Registrar that translates the API's
//     definitions into target types, option scopes and goals;
//   - "infer_dependencies" rules run after every built-in inferrer: the
//     host wraps the registered inferrer factories into one inferrer that
//     hands each target's inferred dependencies to the rules in order;
//   - "generate", "distribution_metadata" and "platform" rules fill the
//     app::Extensions hooks that goals call;
//   - [braid-plugins].external declares external plugins (external.h) that
//     join the same hooks.
#ifndef BRAID_PLUGINS_API_INTERNAL_HOST_H_
#define BRAID_PLUGINS_API_INTERNAL_HOST_H_

#include <vector>

#include "absl/status/status.h"
#include "core/app/app.h"
#include "core/graph/target.h"
#include "plugins/api/plugin.h"

namespace braid::plugin::internal {

/// Registers the [braid-plugins] scope, the plugin-aware inferrer and the
/// extension hooks in `registries`, and each of `plugins` as a backend (its
/// goals and target types listed for "enable the backend" hints).
absl::Status InstallPluginHost(app::Registries& registries, std::vector<PluginDef> plugins);

/// The protocol view of `target`: address, type, every field as JSON, tags,
/// sources (with contents when `with_contents`).
absl::StatusOr<pb::Target> TargetToProto(app::Workspace& workspace, const graph::Target& target,
                                         bool with_contents);

}  // namespace braid::plugin::internal

#endif  // BRAID_PLUGINS_API_INTERNAL_HOST_H_
