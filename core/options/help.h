// Rendering `braid help` text for option scopes and options, modelled on
// Pants' `help` output. Goals' and target types' own help come from other
// registries; the CLI combines those with these pieces.
//
// Scope help (`braid help test`):
//
//   `test` goal options
//   -------------------
//
//   Run tests.
//
//   Config section: [test]
//
//     --[no-]test-debug
//     PANTS_TEST_DEBUG
//     debug
//         default: False
//         current value: True (from flag --test-debug)
//         Run tests sequentially in an interactive process.
//
// Each option block: the flag (with `=<int>`, `=<str>`, `="['<str>', '<str>', ...]"`,
// `="{'key1': val1, ...}"` or `=<choice>` placeholders), the env var, the config
// key, `default:`, `current value:` with its source when not the default,
// `one of:` for enums, then the help text indented. Lists and dicts with more
// than one item are rendered as indented JSON over several lines.
#ifndef BRAID_CORE_OPTIONS_HELP_H_
#define BRAID_CORE_OPTIONS_HELP_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"
#include "core/options/option_registry.h"
#include "core/options/options.h"

namespace braid::options {

/// `braid help` with no topic: usage lines.
std::string RenderHelpOverview(absl::string_view bin_name, absl::string_view version);

/// `braid help <scope>` ("global" and "GLOBAL" both mean the global scope).
/// `options` may be null (then no current values are shown). `advanced`
/// includes advanced options (`help-advanced`). "" if the scope is unknown.
std::string RenderScopeHelp(const OptionRegistry& registry, const Options* options,
                            absl::string_view scope, bool advanced);

/// The block for one option (as inside RenderScopeHelp, without indentation).
std::string RenderOptionHelp(const OptionInfo& option, const Options* options);

/// `braid help subsystems` / `help goals`-style listing of scopes of `kind`:
/// "  name  summary" aligned, sorted by name.
std::string RenderScopeList(const OptionRegistry& registry, ScopeKind kind);

/// What `braid help <thing>` refers to among options and scopes.
struct HelpTopic {
  const ScopeInfo* scope = nullptr;    // set for a scope topic
  const OptionInfo* option = nullptr;  // set for an option topic
};

/// Resolves `thing`: a scope name ("test", "global"), a flag ("--test-force",
/// "--level", "-l"), a config key ("[test].force", "test.force") or a global
/// option name ("level"). nullopt if none matches.
std::optional<HelpTopic> FindHelpTopic(const OptionRegistry& registry, absl::string_view thing);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_HELP_H_
