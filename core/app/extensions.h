// Extension points that rules and plugins hook into, and that goals call.
//
// core knows no language, so these are stated in neutral terms; rules/ call
// them at the right moment and plugins (through plugins/api) fill them in:
//
//   file generators   files a target contributes without being sources on
//                     disk ("generate sources/resources"): they enter every
//                     sandbox and package whose closure holds the target.
//   metadata hooks    adjust a distribution's core metadata (PEP 566 fields)
//                     before it is packaged ("distribution metadata").
//   platform hooks    the platform a closure is specific to (e.g. a wheel
//                     holding platform-specific resources): "" when any.
//
// Usage (a goal):
//   if (ctx.extensions) {
//     BRAID_ASSIGN_OR_RETURN(auto files, ctx.extensions->GeneratedFilesFor(ws, target));
//     BRAID_RETURN_IF_ERROR(ctx.extensions->ApplyMetadataHooks(ws, dist, closure, metadata));
//     BRAID_ASSIGN_OR_RETURN(ClosurePlatform p, ctx.extensions->PlatformOf(ws, closure));
//     std::string wheel_platform = p.package_tag.empty() ? "any" : p.package_tag;
//   }
#ifndef BRAID_CORE_APP_EXTENSIONS_H_
#define BRAID_CORE_APP_EXTENSIONS_H_

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/graph/target.h"

namespace braid::app {

class Workspace;

/// A file produced for a target. Invariant: `path` is relative to the build
/// root (where the file appears in sandboxes and packages), normalised.
struct GeneratedFile {
  std::string path;
  std::string content;
  bool executable = false;
};

/// Core metadata of a distribution, as ordered (name, value) pairs with PEP
/// 566 field names ("Version", "Classifier", "Requires-Python", ...).
/// Multi-use fields ("Classifier") appear once per value, in order.
struct PackageMetadata {
  std::vector<std::pair<std::string, std::string>> fields;

  /// The first value of `name`, or "".
  std::string Get(const std::string& name) const;
  /// Every value of `name`, in order.
  std::vector<std::string> GetAll(const std::string& name) const;
  /// Replaces every value of `name` by `value` (at the first one's position,
  /// else appended).
  void Set(const std::string& name, std::string value);
  /// Appends one more value of `name`.
  void Add(std::string name, std::string value);
  /// Removes every value of `name`.
  void Remove(const std::string& name);
};

using FileGenerator = std::function<absl::StatusOr<std::vector<GeneratedFile>>(
    Workspace& workspace, const graph::Target& target)>;
using MetadataHook = std::function<absl::Status(
    Workspace& workspace, const graph::Target& distribution,
    const std::vector<const graph::Target*>& closure, PackageMetadata& metadata)>;
/// The platform a closure is specific to. Both empty: any platform.
struct ClosurePlatform {
  std::string name;         // "linux_x86_64", "macos_arm64", ...
  std::string package_tag;  // for package names, e.g. wheel tag "manylinux2014_x86_64"
  bool operator==(const ClosurePlatform& o) const {
    return name == o.name && package_tag == o.package_tag;
  }
};
using PlatformHook = std::function<absl::StatusOr<ClosurePlatform>(
    Workspace& workspace, const std::vector<const graph::Target*>& closure)>;

struct Extensions {
  std::vector<FileGenerator> file_generators;
  std::vector<MetadataHook> metadata_hooks;
  std::vector<PlatformHook> platform_hooks;

  /// Every generator's files for `target`, sorted by path. Two generators
  /// producing the same path is an error naming the target.
  absl::StatusOr<std::vector<GeneratedFile>> GeneratedFilesFor(Workspace& workspace,
                                                              const graph::Target& target) const;
  /// Runs every metadata hook in registration order.
  absl::Status ApplyMetadataHooks(Workspace& workspace, const graph::Target& distribution,
                                  const std::vector<const graph::Target*>& closure,
                                  PackageMetadata& metadata) const;
  /// The one platform the hooks name for `closure` (empty if none does); two
  /// different platforms are a user error.
  absl::StatusOr<ClosurePlatform> PlatformOf(
      Workspace& workspace, const std::vector<const graph::Target*>& closure) const;
};

}  // namespace braid::app

#endif  // BRAID_CORE_APP_EXTENSIONS_H_
