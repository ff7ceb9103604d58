#include "rules/pants_backends/protobuf_inferrer.h"

#include <string>
#include <vector>

#include "re2/re2.h"

namespace braid::pants_backends {

std::vector<CodegenImport> ParseProtoImports(absl::string_view text) {
  // Pants' IMPORT_REGEX.
  static const RE2* const kImport = new RE2(PythonPatternForRe2(
      R"*(import\s*(?:\spublic|\sweak)?\s*(?:'|")(.+?\.proto)(?:'|")\s*;)*"));
  return FindImports(*kImport, text);
}

}  // namespace braid::pants_backends
