// PEP 427 wheels written natively (no setuptools run).
//
// Layout of `{name}-{version}-{tag}.whl` ({name} = FileNameComponent, tag
// py3-none-any or e.g. py3-none-manylinux2014_x86_64, WheelOptions):
//   <package files, sorted by path>          e.g. acme/agent/__init__.py
//   {name}-{version}.dist-info/METADATA      RenderCoreMetadata
//   {name}-{version}.dist-info/WHEEL         Wheel-Version 1.0, Generator,
//                                            Root-Is-Purelib: true, Tag
//   {name}-{version}.dist-info/entry_points.txt   only when there are entry points
//   {name}-{version}.dist-info/top_level.txt      top-level packages/modules
//   {name}-{version}.dist-info/RECORD        last
// RECORD is CSV (Python's csv module quoting: fields holding ',', '"' or a
// newline are double-quoted) with one line per file:
//   path,sha256=<urlsafe base64 of the digest, no '=' padding>,<size>
// and `{name}-{version}.dist-info/RECORD,,` for itself.
#ifndef BRAID_RULES_PYTHON_PACKAGE_WHEEL_H_
#define BRAID_RULES_PYTHON_PACKAGE_WHEEL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "rules/python/package/archive.h"
#include "rules/python/package/metadata.h"

namespace braid::python::package {

/// A file written to dist/.
struct BuiltFile {
  std::string file_name;  // base name, e.g. "acme_agent-1.4.0-py3-none-any.whl"
  std::string bytes;
};

struct WheelOptions {
  /// "{python}-{abi}-{platform}": py3-none-any, or py3-none-<platform tag>
  /// for a pure-Python wheel holding platform-specific data files.
  std::string tag = "py3-none-any";
  /// WHEEL's Root-Is-Purelib. braid writes pure-Python wheels only, so it
  /// stays true with a platform tag too, as setuptools' `bdist_wheel
  /// --plat-name` writes for a distribution without extension modules.
  bool root_is_purelib = true;
  std::string generator = "braid";  // WHEEL's Generator line
  int64_t time = kDefaultArchiveTime;
};

/// "{FileNameComponent(name)}-{version}".
std::string DistInfoStem(const DistributionMetadata& m);

/// The RECORD text for `files` (which must not include RECORD itself) in
/// their order, followed by the line for `record_path`.
std::string RenderRecord(const std::vector<ArchiveEntry>& files, const std::string& record_path);

/// top_level.txt: the sorted distinct first path parts of `files` that are
/// packages (directories holding .py files) or modules (top-level .py).
std::string RenderTopLevel(const std::vector<ArchiveEntry>& files);

/// The wheel of `m` holding `files` (paths inside the wheel, i.e. relative
/// to the source root). A file under a .dist-info directory is an error.
absl::StatusOr<BuiltFile> BuildWheel(const DistributionMetadata& m,
                                     std::vector<ArchiveEntry> files, const WheelOptions& options);

}  // namespace braid::python::package

#endif  // BRAID_RULES_PYTHON_PACKAGE_WHEEL_H_
