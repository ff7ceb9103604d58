// A built-in table of Pants 2.x option scopes and option names.
//
// Real pants.toml files configure backends braid does not implement yet
// ([black], [mypy], remote caching in [GLOBAL] ...). This table lets options.cc
// tell "a real Pants setting braid ignores" (a warning) from "a typo" (an
// error with did-you-mean). See docs/options.md for the rule.
//
// The table lists scope names broadly (every scope of the Pants 2.x
// distribution's built-in backends) and option names for the scopes braid
// implements or is likely to implement. For a known scope without an option
// list, KnownPantsOptions returns nullptr.
#ifndef BRAID_CORE_OPTIONS_KNOWN_PANTS_OPTIONS_H_
#define BRAID_CORE_OPTIONS_KNOWN_PANTS_OPTIONS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"

namespace braid::options {

/// True if `scope` names a Pants 2.x scope ("GLOBAL", "black", "python-infer").
bool IsKnownPantsScope(absl::string_view scope);

/// All known Pants scope names, sorted (for did-you-mean).
const std::vector<std::string>& KnownPantsScopes();

/// The known option names of `scope` (sorted), or nullptr if the table has no
/// option list for it.
const std::vector<std::string>* KnownPantsOptions(absl::string_view scope);

}  // namespace braid::options

#endif  // BRAID_CORE_OPTIONS_KNOWN_PANTS_OPTIONS_H_
