#include "core/graph/output_path.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "core/fs/path.h"

namespace braid::graph {

absl::StatusOr<std::string> ExpandOutputPath(const Address& address,
                                             absl::string_view tmpl,
                                             absl::string_view file_suffix) {
  std::string spec = address.spec_path().empty()
                         ? "."
                         : absl::StrReplaceAll(address.spec_path(), {{"/", "."}});
  std::string name = address.generated_name().empty()
                         ? std::string(address.target_name())
                         : absl::StrReplaceAll(address.generated_name(), {{".", "_"}});
  absl::StrAppend(&name, absl::StrReplaceAll(address.ParametersRepr(), {{".", "_"}}));
  auto param = [&](absl::string_view key) -> const std::string* {
    if (key == "spec_path_normalized") return &spec;
    if (key == "target_name_normalized") return &name;
    return nullptr;
  };
  const std::string suffix(file_suffix);
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] != '$') {
      out.push_back(tmpl[i]);
      continue;
    }
    if (i + 1 < tmpl.size() && tmpl[i + 1] == '$') {
      out.push_back('$');
      ++i;
      continue;
    }
    size_t begin = i + 1, end = begin;
    bool braced = begin < tmpl.size() && tmpl[begin] == '{';
    if (braced) ++begin, end = begin;
    while (end < tmpl.size() && (absl::ascii_isalnum(tmpl[end]) || tmpl[end] == '_')) ++end;
    absl::string_view key = tmpl.substr(begin, end - begin);
    if (key.empty() || absl::ascii_isdigit(key[0]) ||
        (braced && (end >= tmpl.size() || tmpl[end] != '}'))) {
      return absl::InvalidArgumentError(
          "a `$` must start a placeholder (write `$$` for a literal `$`)");
    }
    if (key == "file_suffix") {
      out += suffix;
    } else if (const std::string* value = param(key)) {
      out += *value;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown placeholder '", key, "'"));
    }
    i = braced ? end : end - 1;
  }
  absl::string_view rel = out;
  while (absl::StartsWith(rel, "/")) rel.remove_prefix(1);
  absl::StatusOr<std::string> normal = fs::NormalizeRelativePath(rel);
  if (!normal.ok() || normal->empty()) {
    return absl::InvalidArgumentError("it leaves the dist dir");
  }
  return *normal;
}

}  // namespace braid::graph
