// The plugins built into braid. Each is defined in its own directory
// (plugins/<name>/) against this API only; the list lives here so the
// composition root (builtin_plugins.cc) needs no header outside plugins/api/.
#ifndef BRAID_PLUGINS_API_BUILTIN_PLUGINS_H_
#define BRAID_PLUGINS_API_BUILTIN_PLUGINS_H_

#include <vector>

#include "plugins/api/plugin.h"

namespace braid::plugin {

/// braid.plugins.changelog (plugins/changelog/).
PluginDef ChangelogPlugin();
/// braid.plugins.platform_resources (plugins/platform_resources/).
PluginDef PlatformResourcesPlugin();

/// braid.plugins.setupgen (plugins/setupgen/).
PluginDef SetupgenPlugin();

/// Every built-in plugin, sorted by name.
std::vector<PluginDef> BuiltinPlugins();

}  // namespace braid::plugin

#endif  // BRAID_PLUGINS_API_BUILTIN_PLUGINS_H_
