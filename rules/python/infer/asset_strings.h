// String literals that look like file paths, for `[python-infer] assets`:
// `open("data/config.json")`, `pkgutil.get_data(__name__, "tpl/page.html")`.
//
// A candidate is a plain string literal (not bytes, not an f-string, no
// escape sequences) whose text has at least `min_slashes` '/', only the
// characters [A-Za-z0-9_.-/], does not start with '/', has no empty, "." or
// ".." part, and ends in a file name with an extension ("a/b" is not one).
// The caller looks the path up as a file, first relative to the build root,
// then relative to the importing file's source root.
#ifndef BRAID_RULES_PYTHON_INFER_ASSET_STRINGS_H_
#define BRAID_RULES_PYTHON_INFER_ASSET_STRINGS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "rules/python/infer/scan_cache.h"

namespace braid::python {

/// The asset candidates of `source`, in source order, one per distinct path
/// (the first line it appears on).
std::vector<AssetString> FindAssetStrings(absl::string_view source, int min_slashes);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INFER_ASSET_STRINGS_H_
