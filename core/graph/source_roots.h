// Source roots: the directories that import paths are relative to
// (`[source] root_patterns` and `[source] marker_filenames`, Pants 2.x).
//
// A directory is a source root when
//   * it matches a root pattern:
//       "/"            the build root itself
//       "/src/python"  anchored: exactly <root>/src/python
//       "src/python"   unanchored: any directory whose path ends with these
//                      parts (<root>/src/python, <root>/p1/src/python, ...)
//       "*"  "src/*"   '*', '?', '[..]' match within one path part
//   * or it directly contains a file named in marker_filenames.
// The source root of a file is its DEEPEST ancestor directory that is a
// source root (Pants walks up from the file's directory and stops at the
// first match); a file with none has no source root.
// The build root is reported as ".", like `pants roots`.
//
// Usage:
//   auto roots = SourceRoots::Create(config, index);   // validates the config
//   std::optional<std::string> r = roots->FindForFile("src/python/a/b.py");  // "src/python"
//   std::vector<std::string> all = roots->All();       // what `braid roots` prints
#ifndef BRAID_CORE_GRAPH_SOURCE_ROOTS_H_
#define BRAID_CORE_GRAPH_SOURCE_ROOTS_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace braid {
namespace fs {
class FileIndex;
}  // namespace fs

/// The `[source]` options.
struct SourceRootConfig {
  /// Pants 2.x default: "/", "src", "src/python", "src/py", "src/thrift",
  /// "src/protobuf", "src/protos", "src/scala", "src/java".
  std::vector<std::string> root_patterns = DefaultRootPatterns();
  std::vector<std::string> marker_filenames;  // default: none

  static std::vector<std::string> DefaultRootPatterns();
};

/// Answers source-root questions for one configuration and workspace.
/// Holds a pointer to the index, which must outlive it. Thread-compatible.
class SourceRoots {
 public:
  /// Validates the config: a pattern may not be empty or contain a ".." part
  /// ("`..` disallowed in source root pattern: x"); a marker filename must be a
  /// plain base name without '*' or '!'. kInvalidArgument, no location.
  static absl::StatusOr<SourceRoots> Create(SourceRootConfig config, const fs::FileIndex& index);

  /// The source root of directory `dir` ("" = build root): `dir` itself or its
  /// deepest ancestor that is a root. "." for the build root; nullopt if none.
  std::optional<std::string> FindForDir(absl::string_view dir) const;
  /// The source root of root-relative file `path` (search starts at its directory).
  std::optional<std::string> FindForFile(absl::string_view path) const;

  /// Every source root that exists in the workspace, sorted by string (as
  /// `pants roots` prints them).
  std::vector<std::string> All() const;

  /// True when directory `dir` matches a root pattern (markers not considered).
  bool MatchesRootPattern(absl::string_view dir) const;

  const SourceRootConfig& config() const { return config_; }

 private:
  SourceRoots(SourceRootConfig config, const fs::FileIndex* index)
      : config_(std::move(config)), index_(index) {}
  bool IsRoot(absl::string_view dir) const;
  SourceRootConfig config_;
  const fs::FileIndex* index_;
};

}  // namespace braid

#endif  // BRAID_CORE_GRAPH_SOURCE_ROOTS_H_
