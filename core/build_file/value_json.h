// BUILD values as JSON (what `peek` prints and what plugins receive).
//
//   None -> null, bool/int/float/str as themselves, list/tuple/set -> array,
//   dict -> object (keys as their Python str()), a host object such as
//   python_artifact(...) -> object of its keyword arguments, a function -> its str().
#ifndef BRAID_CORE_BUILD_FILE_VALUE_JSON_H_
#define BRAID_CORE_BUILD_FILE_VALUE_JSON_H_

#include "core/base/json.h"
#include "core/build_file/value.h"

namespace braid::build_file {

/// `value` as JSON (see the top of this file).
json::Value ValueToJson(const Value& value);

}  // namespace braid::build_file

#endif  // BRAID_CORE_BUILD_FILE_VALUE_JSON_H_
