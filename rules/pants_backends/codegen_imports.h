// What the Protobuf and Thrift dependency inferrers share (protobuf_inferrer.h,
// thrift_inferrer.h), as Pants' two backends do the same thing
// (pants/backend/codegen/{protobuf/protobuf_dependency_inference,
// thrift/dependency_inference}.py):
//
// Every target of one alias (protobuf_source, thrift_source) maps its file's
// path with its source root stripped (`[source] root_patterns` /
// `marker_filenames`; a file at the "/" root keeps its path; a file with no
// source root is left out) to its address. A path two or more targets map is
// ambiguous: it is in no mapping.
//
// A target of that alias depends, with the language's rule name, on the owner
// of each path its file names in an import statement (found by the language's
// parser, see FindImports). The origin is the file and the line of the first
// statement naming that path. Paths no target owns are ignored silently.
// Paths are looked up in the mapping only, never relative to the importing
// file's directory (as in Pants).
//
// An ambiguous path warns (the Python inferrer's wording) and infers nothing,
// unless the target's `dependencies` disambiguate it: `!` excludes leaving
// exactly one owner give that owner; an owner listed explicitly silences the
// warning (the explicit dependency is there anyway).
//
// Not done: Pants partitions the Protobuf mapping by resolve when a language
// backend enables resolves (python_resolve, jvm_resolve); braid keeps one.
#ifndef BRAID_RULES_PANTS_BACKENDS_CODEGEN_IMPORTS_H_
#define BRAID_RULES_PANTS_BACKENDS_CODEGEN_IMPORTS_H_

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"
#include "core/fs/file_index.h"
#include "core/fs/file_system.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/source_roots.h"
#include "core/graph/target_graph.h"
#include "re2/re2.h"

namespace braid::pants_backends {

/// One import (include) of a codegen file: the imported path and the 1-based
/// line where its first match starts.
struct CodegenImport {
  std::string path;
  int line = 0;
};

/// `python_pattern` (a Python `re` pattern, str flavour) for RE2: each `\s`
/// becomes Python's str whitespace (str.isspace()), which RE2's `\s`
/// ([\t\n\f\r ]) does not fully cover. `.` needs nothing: it matches anything
/// but '\n' in both.
std::string PythonPatternForRe2(absl::string_view python_pattern);

/// What Python's `re.findall` gives for `re` (one capturing group: the path)
/// over the whole of `text`, in order of first match, without duplicates
/// (Pants keeps them in a FrozenOrderedSet), each with the line where its
/// first match starts.
std::vector<CodegenImport> FindImports(const RE2& re, absl::string_view text);

/// The language an ImportPathInferrer works for.
struct CodegenLanguage {
  const char* alias;         // the file target's alias: "protobuf_source"
  const char* rule;          // rule name of what it infers: "protobuf import"
  const char* statement;     // the statement, in warnings: "import"
  const char* option_scope;  // whose `dependency_inference` turns it on: "protoc"
  std::vector<CodegenImport> (*parse)(absl::string_view text);
};

/// Infers the dependencies of `language.alias` targets (see the top of this file).
class ImportPathInferrer : public graph::DependencyInferrer {
 public:
  using WarnFn = std::function<void(std::string)>;

  /// `graph`, `index` and `fs` (the workspace's, so reads are declared) must
  /// outlive the inferrer. `enabled` is the language's
  /// `dependency_inference` option. `warn` reports ambiguous paths.
  ImportPathInferrer(CodegenLanguage language, const graph::TargetGraph& graph,
                     const fs::FileIndex& index, const fs::FileSystem& fs, SourceRoots roots,
                     bool enabled, WarnFn warn);

  absl::StatusOr<std::vector<graph::Dependency>> Infer(const graph::Target& target) override;

 private:
  // Stripped path -> owners (positions in graph_.targets(), in address
  // order). One owner: unambiguous; more: ambiguous.
  using Mapping = std::map<std::string, std::vector<uint32_t>, std::less<>>;
  const Mapping& GetMapping();

  CodegenLanguage language_;
  const graph::TargetGraph& graph_;
  const fs::FileIndex& index_;
  const fs::FileSystem& fs_;
  SourceRoots roots_;
  bool enabled_;
  WarnFn warn_;
  std::optional<Mapping> mapping_;  // built on first use
};

/// The ImportPathInferrer of one language (ProtobufInferrer, ThriftInferrer).
template <const CodegenLanguage& kLanguage>
class LanguageInferrer : public ImportPathInferrer {
 public:
  /// `enabled` is `[kLanguage.option_scope] dependency_inference`.
  LanguageInferrer(const graph::TargetGraph& graph, const fs::FileIndex& index,
                   const fs::FileSystem& fs, SourceRoots roots, bool enabled, WarnFn warn)
      : ImportPathInferrer(kLanguage, graph, index, fs, std::move(roots), enabled,
                           std::move(warn)) {}
};

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_CODEGEN_IMPORTS_H_
