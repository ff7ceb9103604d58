#include "core/graph/target.h"

#include <algorithm>

namespace braid::graph {

const build_file::Value& Target::Field(absl::string_view name) const {
  static const build_file::Value* kNone = new build_file::Value();
  auto it = fields.find(std::string(name));
  return it == fields.end() ? *kNone : it->second;
}

std::vector<std::string> Target::StringListField(absl::string_view name) const {
  std::vector<std::string> out;
  const build_file::Value& v = Field(name);
  if (!v.is_sequence()) return out;
  for (const build_file::Value& item : v.items()) {
    if (item.is_string()) out.push_back(item.string_value());
  }
  return out;
}

std::string Target::StringField(absl::string_view name) const {
  const build_file::Value& v = Field(name);
  return v.is_string() ? v.string_value() : std::string();
}

bool Target::HasTag(absl::string_view tag) const {
  std::vector<std::string> tags = StringListField("tags");
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

const Location& Target::FieldLocation(absl::string_view name) const {
  auto it = field_locations.find(std::string(name));
  return it == field_locations.end() ? location : it->second;
}

}  // namespace braid::graph
