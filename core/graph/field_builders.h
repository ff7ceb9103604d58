// Short builders for FieldSpecs, shared by every rule set that declares target
// types (rules/python, rules/pants_backends):
//
//   t.fields = {Field("timeout", FieldType::kInt, Value(), "..."),
//               Required(Field("source", FieldType::kSource, Value(), "...")),
//               BoolField("skip_tests", false, "..."), TriBoolField("restartable", "...")};
#ifndef BRAID_CORE_GRAPH_FIELD_BUILDERS_H_
#define BRAID_CORE_GRAPH_FIELD_BUILDERS_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "core/build_file/value.h"
#include "core/graph/target_type.h"

namespace braid::graph {

/// A list value of strings (a field default such as `["*.py"]`).
inline build_file::Value StringList(std::initializer_list<const char*> items) {
  std::vector<build_file::Value> out;
  for (const char* s : items) out.push_back(build_file::Value::String(s));
  return build_file::Value::List(std::move(out));
}

/// An optional field. `default_value` must already have the normalised shape of `type`.
inline FieldSpec Field(std::string name, FieldType type, build_file::Value default_value,
                       std::string help, std::vector<std::string> choices = {}) {
  return FieldSpec{std::move(name),   type, std::move(default_value), false, std::move(help),
                   std::move(choices)};
}

/// `spec`, made required.
inline FieldSpec Required(FieldSpec spec) {
  spec.required = true;
  return spec;
}

/// A bool field with a default.
inline FieldSpec BoolField(std::string name, bool default_value, std::string help) {
  return Field(std::move(name), FieldType::kBool, build_file::Value::Bool(default_value),
               std::move(help));
}

/// A bool that may stay unset (Pants' TriBoolField): None means "the option's default".
inline FieldSpec TriBoolField(std::string name, std::string help) {
  return Field(std::move(name), FieldType::kBool, build_file::Value(), std::move(help));
}

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_FIELD_BUILDERS_H_
