#include "rules/pants_backends/thrift_inferrer.h"

#include <vector>

#include "re2/re2.h"

namespace braid::pants_backends {

std::vector<CodegenImport> ParseThriftIncludes(absl::string_view text) {
  // Pants' _IMPORT_REGEX.
  static const RE2* const kInclude =
      new RE2(PythonPatternForRe2(R"*(include\s+(?:'|")(.+?\.thrift)(?:'|")\s*)*"));
  return FindImports(*kInclude, text);
}

}  // namespace braid::pants_backends
