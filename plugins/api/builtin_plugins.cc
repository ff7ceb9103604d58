// The composition root of the plugin layer: defines
// app::RegisterLinkedPlugins (core/app/backends.h) for the braid binary.
#include "plugins/api/builtin_plugins.h"

#include "core/app/backends.h"
#include "plugins/api/internal/host.h"

namespace braid::plugin {

std::vector<PluginDef> BuiltinPlugins() {
  return {ChangelogPlugin(), PlatformResourcesPlugin(), SetupgenPlugin()};
}

}  // namespace braid::plugin

namespace braid::app {

absl::Status RegisterLinkedPlugins(Registries& registries) {
  return plugin::internal::InstallPluginHost(registries, plugin::BuiltinPlugins());
}

}  // namespace braid::app
