// braid.plugins.platform_resources: one resource dependency per platform.
//
//   platform_resources(
//       name="native",
//       dependency_map={"linux_x86_64": ":lib_linux_x86_64", "macos_arm64": ":lib_macos_arm64"},
//   )
//
// The dependency for the platform chosen by `[platform-specific-resources]
// target` (default: the machine braid runs on) is inferred, so it enters
// sandboxes and packages like any dependency; the others are not
// dependencies at all. A closure holding a platform_resources target is
// specific to that platform (the "platform" hook; the package goal turns it
// into the wheel's platform tag, see WheelPlatformTag).
#ifndef BRAID_PLUGINS_PLATFORM_RESOURCES_PLATFORM_RESOURCES_H_
#define BRAID_PLUGINS_PLATFORM_RESOURCES_PLATFORM_RESOURCES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "plugins/api/plugin.h"

namespace braid::plugin::platform_resources {

/// The platforms, in help order.
const std::vector<std::string>& Platforms();

/// The platform of `sysname` / `machine` as uname(2) reports them
/// ("Linux"/"x86_64" -> "linux_x86_64", "Darwin"/"arm64" -> "macos_arm64");
/// "linux_x86_64" for anything else.
std::string PlatformOf(absl::string_view sysname, absl::string_view machine);

/// The wheel platform tag for a platform: linux_x86_64 ->
/// manylinux2014_x86_64, linux_arm64 -> manylinux2014_aarch64, macos_x86_64 ->
/// macosx_10_9_x86_64, macos_arm64 -> macosx_11_0_arm64; "" if unknown.
std::string WheelPlatformTag(absl::string_view platform);

/// The infer_dependencies rule (exposed for tests).
absl::StatusOr<pb::InferDependenciesResponse> InferChosenDependency(
    const pb::InferDependenciesRequest& request, const RuleOptions& options);

}  // namespace braid::plugin::platform_resources

#endif  // BRAID_PLUGINS_PLATFORM_RESOURCES_PLATFORM_RESOURCES_H_
