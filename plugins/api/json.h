// JSON for plugins: the protocol carries field and option values as JSON
// text (plugin_protocol.proto); this is braid's reader/writer for them.
//
//   absl::StatusOr<JsonValue> v = ParseJson(target.fields_json().at("dependency_map"));
//   if (v.ok() && v->kind() == JsonValue::Kind::kObject) ...
#ifndef BRAID_PLUGINS_API_JSON_H_
#define BRAID_PLUGINS_API_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/base/json.h"

namespace braid::plugin {

using JsonValue = ::braid::json::Value;

/// Parses one JSON document; `what` names it in errors.
inline absl::StatusOr<JsonValue> ParseJson(absl::string_view text,
                                           absl::string_view what = "<json>") {
  return ::braid::json::Parse(text, what);
}

/// One-line JSON text of `value` (UTF-8 kept as is).
inline std::string WriteJson(const JsonValue& value) {
  ::braid::json::WriteOptions o;
  o.indent = -1;
  o.ensure_ascii = false;
  return ::braid::json::Write(value, o);
}

}  // namespace braid::plugin

#endif  // BRAID_PLUGINS_API_JSON_H_
