// Dependency inference between Protobuf files, as Pants' protobuf backends do
// it (pants/backend/codegen/protobuf/protobuf_dependency_inference.py).
//
// A protobuf_source depends, with rule "protobuf import", on the protobuf_source
// owning each path its .proto file imports, looked up by path with the source
// root stripped (the mapping, ambiguity and disambiguation: codegen_imports.h).
// Imports are found exactly as Pants finds them: every match, in order,
// deduplicated, of
//   import\s*(?:\spublic|\sweak)?\s*(?:'|")(.+?\.proto)(?:'|")\s*;
// over the whole text (comments are NOT skipped: a commented-out import
// counts, as in Pants). Paths no target owns (google/protobuf/*.proto, ...)
// are ignored silently.
//
// `[protoc] dependency_inference = false` turns all of it off.
#ifndef BRAID_RULES_PANTS_BACKENDS_PROTOBUF_INFERRER_H_
#define BRAID_RULES_PANTS_BACKENDS_PROTOBUF_INFERRER_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "rules/pants_backends/codegen_imports.h"

namespace braid::pants_backends {

/// Rule name of the dependencies ProtobufInferrer infers.
inline constexpr char kRuleProtobufImport[] = "protobuf import";

/// The imports of .proto text `text`, as Pants' parse_proto_imports finds
/// them (see the top of this file): in order of first match, no duplicates.
std::vector<CodegenImport> ParseProtoImports(absl::string_view text);

inline constexpr CodegenLanguage kProtobufLanguage = {
    "protobuf_source", kRuleProtobufImport, "import", "protoc", ParseProtoImports};

using ProtobufInferrer = LanguageInferrer<kProtobufLanguage>;

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_PROTOBUF_INFERRER_H_
