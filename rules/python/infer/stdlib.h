// The Python standard library's top-level module names: imports of these are
// never reported as unowned (they need no target).
#ifndef BRAID_RULES_PYTHON_INFER_STDLIB_H_
#define BRAID_RULES_PYTHON_INFER_STDLIB_H_

#include "absl/strings/string_view.h"

namespace braid::python {

/// True when the top-level package of `module` ("os" for "os.path") belongs
/// to the standard library of any CPython 2.7 or 3.x.
bool IsStdlibModule(absl::string_view module);

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INFER_STDLIB_H_
