// Dependency inference between Thrift files, as Pants' thrift backends do it
// (pants/backend/codegen/thrift/dependency_inference.py, thrift_parser.py).
//
// A thrift_source depends, with rule "thrift include", on the thrift_source
// owning each path its .thrift file includes, looked up by path with the
// source root stripped (the mapping, ambiguity and disambiguation:
// codegen_imports.h); never relative to the including file's directory (the
// Thrift compiler also searches there; Pants does not). Includes are found
// exactly as Pants finds them: every match, in order, deduplicated, of
//   include\s+(?:'|")(.+?\.thrift)(?:'|")\s*
// over the whole text: comments are NOT skipped (a commented-out include
// counts) and, with no word boundary, `cpp_include "x.thrift"` counts too, as
// in Pants. Paths no target owns are ignored silently.
//
// `[thrift] dependency_inference = false` turns all of it off.
#ifndef BRAID_RULES_PANTS_BACKENDS_THRIFT_INFERRER_H_
#define BRAID_RULES_PANTS_BACKENDS_THRIFT_INFERRER_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "rules/pants_backends/codegen_imports.h"

namespace braid::pants_backends {

/// Rule name of the dependencies ThriftInferrer infers.
inline constexpr char kRuleThriftInclude[] = "thrift include";

/// The includes of .thrift text `text`, as Pants' parse_thrift_file finds
/// them (see the top of this file): in order of first match, no duplicates.
std::vector<CodegenImport> ParseThriftIncludes(absl::string_view text);

inline constexpr CodegenLanguage kThriftLanguage = {
    "thrift_source", kRuleThriftInclude, "include", "thrift", ParseThriftIncludes};

using ThriftInferrer = LanguageInferrer<kThriftLanguage>;

}  // namespace braid::pants_backends

#endif  // BRAID_RULES_PANTS_BACKENDS_THRIFT_INFERRER_H_
