// Backends: optional rule sets a repository turns on with
// `[GLOBAL] backend_packages` (Pants' mechanism for the same thing).
//
// A backend registers its goals, subsystems, target types and rules only when
// enabled, so a repository that does not list it sees none of them (and gets
// an "unknown goal" / "name is not defined" error with a hint naming the
// backend to enable).
//
// Names:
//   braid.*   braid's own backends (the built-in plugins, plugins/); an
//             unknown braid.* name is a user error with a did-you-mean hint.
//   pants.*   Pants backends. braid's Python support is always on; the rules
//             layer registers the other Pants backends whose target types
//             braid knows (rules/pants_backends), and every other pants.*
//             name is accepted and ignored (a repository's pants.toml keeps
//             working unchanged).
//   others    Pants in-repo plugins (e.g. "internal_plugins.foo"): braid cannot
//             load Python Pants plugins; a warning says so and the name is
//             ignored.
//
// Start-up (rules/main.cc): register the always-on rules, then
// RegisterLinkedPlugins (the plugin layer linked into the binary registers its
// backends here), then EnableBackends reads backend_packages with a bootstrap
// parse of the options and enables the listed backends, then app::Run.
#ifndef BRAID_CORE_APP_BACKENDS_H_
#define BRAID_CORE_APP_BACKENDS_H_

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace braid::app {

struct Registries;
struct RunInput;

/// One optional backend.
struct Backend {
  std::string name;  // "braid.plugins.changelog"
  std::string help;  // one line, for `braid help backends`
  /// Registers the backend's goals, scopes, target types and rules.
  std::function<absl::Status(Registries&)> enable;
  /// What the backend provides, for the hint when it is used but not enabled
  /// (filled in by whoever registers it; may be empty).
  std::vector<std::string> goals;
  std::vector<std::string> target_types;
};

class BackendRegistry {
 public:
  void Register(Backend backend) { backends_[backend.name] = std::move(backend); }
  const Backend* Find(const std::string& name) const {
    auto it = backends_.find(name);
    return it == backends_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, Backend>& backends() const { return backends_; }
  const std::set<std::string>& enabled() const { return enabled_; }
  void MarkEnabled(const std::string& name) { enabled_.insert(name); }

 private:
  std::map<std::string, Backend> backends_;
  std::set<std::string> enabled_;
};

/// Registers the backends of the plugin layer linked into this binary.
/// Declared here, defined by the composition root of the binary
/// (plugins/builtin_plugins.cc, linked only into the `braid` executable): core
/// and rules never include plugins/, yet main() must reach them. Binaries
/// that do not call it need not link it.
absl::Status RegisterLinkedPlugins(Registries& registries);

/// Reads [GLOBAL].backend_packages from `input` (a bootstrap parse: sections
/// of not-yet-enabled backends are skipped) and enables every registered
/// backend it lists, in the order listed. Appends warnings for names braid
/// ignores. A user error for an unknown braid.* backend. When the options do
/// not parse, does nothing (app::Run reports the error).
absl::Status EnableBackends(Registries& registries, const RunInput& input,
                            std::vector<std::string>* warnings);

/// `status` plus a hint when it is an "unknown goal 'x'" or "name 'x' is not
/// defined" error about something a registered but disabled backend provides.
absl::Status AddBackendHint(const absl::Status& status, const Registries& registries);

}  // namespace braid::app

#endif  // BRAID_CORE_APP_BACKENDS_H_
