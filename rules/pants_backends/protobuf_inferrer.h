// Dependency inference between Protobuf files, as Pants' protobuf backends do
// it (pants/backend/codegen/protobuf/protobuf_dependency_inference.py).
//
// Every protobuf_source target maps its file's path with its source root
// stripped (`[source] root_patterns` / `marker_filenames`; a file at the "/"
// root keeps its path; a file with no source root is left out) to its
// address. A path two or more targets map is ambiguous: it is in no mapping.
//
// A protobuf_source depends, with rule "protobuf import", on the owner of each
// path its .proto file imports. Imports are found exactly as Pants finds them:
// every match, in order, deduplicated, of
//   import\s*(?:\spublic|\sweak)?\s*(?:'|")(.+?\.proto)(?:'|")\s*;
// over the whole text (comments are NOT skipped: a commented-out import
// counts, as in Pants). The origin is the .proto file and the line of the
// first match for that path. Paths no target owns (google/protobuf/*.proto,
// ...) are ignored silently.
//
// An ambiguous import warns (the Python inferrer's wording) and infers
// nothing, unless the target's `dependencies` disambiguate it: `!` excludes
// leaving exactly one owner give that owner; an owner listed explicitly
// silences the warning (the explicit dependency is there anyway).
//
// `[protoc] dependency_inference = false` turns all of it off.
// Not done: Pants partitions the mapping by resolve when a language backend
// enables resolves (python_resolve, jvm_resolve); braid keeps one mapping.
#ifndef BRAID_RULES_PANTS_BACKENDS_PROTOBUF_INFERRER_H_
#define BRAID_RULES_PANTS_BACKENDS_PROTOBUF_INFERRER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/fs/file_index.h"
#include "core/fs/file_system.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/source_roots.h"
#include "core/graph/target_graph.h"

namespace braid::pants_backends {

/// Rule name of the dependencies ProtobufInferrer infers.
inline constexpr char kRuleProtobufImport[] = "protobuf import";

/// One import of a .proto file: the imported path and the 1-based line where
/// its first match starts.
struct ProtoImport {
  std::string path;
  int line = 0;
};

/// The imports of .proto text `text`, as Pants' parse_proto_imports finds
/// them (see the top of this file): in order of first match, no duplicates.
std::vector<ProtoImport> ParseProtoImports(absl::string_view text);

class ProtobufInferrer : public graph::DependencyInferrer {
 public:
  using WarnFn = std::function<void(std::string)>;

  /// `graph`, `index` and `fs` (the workspace's, so reads are declared) must
  /// outlive the inferrer. `enabled` is `[protoc] dependency_inference`.
  /// `warn` reports ambiguous imports.
  ProtobufInferrer(const graph::TargetGraph& graph, const fs::FileIndex& index,
                   const fs::FileSystem& fs, SourceRoots roots, bool enabled, WarnFn warn);

  absl::StatusOr<std::vector<graph::Dependency>> Infer(const graph::Target& target) override;

 private:
  // Stripped path -> owners (positions in graph_.targets(), in address
  // order). One owner: unambiguous; more: ambiguous.
  using Mapping = std::map<std::string, std::vector<uint32_t>, std::less<>>;
  const Mapping& GetMapping();

  const graph::TargetGraph& graph_;
  const fs::FileIndex& index_;
  const fs::FileSystem& fs_;
  SourceRoots roots_;
  bool enabled_;
  WarnFn warn_;
  std::optional<Mapping> mapping_;  // built on first use
};

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_PROTOBUF_INFERRER_H_
