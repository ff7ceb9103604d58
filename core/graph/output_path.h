// Where a packageable target's artifact goes under the dist dir: Pants'
// OutputPathField.value_or_default. The field is a string.Template:
//
//   ${spec_path_normalized}   the BUILD directory with '/' -> '.' ("." at the root)
//   ${target_name_normalized} the generated name (e.g. pex_binaries) or else the
//                             target name, then the parameters, with '.' -> '_'
//   ${file_suffix}            ".<ending>", or "" without one
//
// `$$` is a literal `$`; the result is normalised (os.path.normpath) and made
// relative. Used by `package` (pex_binary) and by dependency inference (a
// Dockerfile COPY of `src.python.app/main.pex` names the pex_binary
// src/python/app:main).
#ifndef BRAID_CORE_GRAPH_OUTPUT_PATH_H_
#define BRAID_CORE_GRAPH_OUTPUT_PATH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/graph/address.h"

namespace braid::graph {

/// The default `output_path` template.
inline constexpr char kDefaultOutputPathTemplate[] =
    "${spec_path_normalized}/${target_name_normalized}${file_suffix}";

/// Expands `output_path_template` for `address`. `file_suffix` includes its
/// dot (".pex") or is empty. Errors (kInvalidArgument, the message says why,
/// without a place: the caller adds the field's): a `$` starting no
/// placeholder, an unknown placeholder, a result outside the dist dir.
absl::StatusOr<std::string> ExpandOutputPath(const Address& address,
                                             absl::string_view output_path_template,
                                             absl::string_view file_suffix);

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_OUTPUT_PATH_H_
