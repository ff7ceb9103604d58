// `braid help ...`: combines the option help of core/options with goal and
// target-type help from the other registries.
#ifndef BRAID_CORE_APP_HELP_H_
#define BRAID_CORE_APP_HELP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/app/app.h"
#include "core/options/options.h"

namespace braid::app {

/// Renders `braid help [topic...]`. An unknown topic is a usage error
/// ("unknown help topic 'pyhton_sources' (did you mean 'python_sources'?)").
absl::StatusOr<std::string> RenderHelp(const Registries& registries,
                                       const options::Options& options,
                                       const std::vector<std::string>& topics, bool advanced);

/// The help block of one target type, modelled on Pants' `help <target>`.
std::string RenderTargetTypeHelp(const graph::TargetType& type);

}  // namespace braid::app

#endif  // BRAID_CORE_APP_HELP_H_
