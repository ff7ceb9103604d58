#include "core/graph/target.h"

#include <algorithm>

namespace braid::graph {

using build_file::Value;

std::optional<Address> Target::generator() const {
  if (!address.is_generated_target()) return std::nullopt;
  return address.GeneratorAddress().WithParameters(address.parameters());
}

void Target::InitFields(const TargetType* target_type) {
  type = target_type;
  explicit_values.clear();
}

bool Target::SetField(absl::string_view name, Value value) {
  int i = type->FieldIndex(name);
  if (i < 0) return false;
  SetFieldAt(static_cast<uint32_t>(i), std::move(value));
  return true;
}

void Target::SetFieldAt(uint32_t index, Value value) {
  auto it = std::lower_bound(explicit_values.begin(), explicit_values.end(), index,
                             [](const auto& entry, uint32_t i) { return entry.first < i; });
  if (it != explicit_values.end() && it->first == index) {
    it->second = std::move(value);
  } else {
    explicit_values.emplace(it, index, std::move(value));
  }
}

const Value* Target::FindExplicit(size_t index) const {
  // Few entries (a handful per target): a linear scan beats anything fancier.
  for (const auto& [i, v] : explicit_values) {
    if (i == index) return &v;
    if (i > index) break;
  }
  return nullptr;
}

const Value& Target::FieldAt(size_t index) const {
  const Value* v = FindExplicit(index);
  return v != nullptr ? *v : type->fields[index].default_value;
}

const Value& Target::Field(absl::string_view name) const {
  static const Value* kNone = new Value();
  int i = type == nullptr ? -1 : type->FieldIndex(name);
  return i < 0 ? *kNone : FieldAt(static_cast<size_t>(i));
}

bool Target::IsExplicitAt(size_t index) const { return FindExplicit(index) != nullptr; }

bool Target::IsExplicit(absl::string_view name) const {
  int i = type == nullptr ? -1 : type->FieldIndex(name);
  return i >= 0 && IsExplicitAt(static_cast<size_t>(i));
}

std::vector<std::string> Target::StringListField(absl::string_view name) const {
  std::vector<std::string> out;
  const Value& v = Field(name);
  if (!v.is_sequence()) return out;
  for (const Value& item : v.items()) {
    if (item.is_string()) out.push_back(item.string_value());
  }
  return out;
}

std::string Target::StringField(absl::string_view name) const {
  const Value& v = Field(name);
  return v.is_string() ? v.string_value() : std::string();
}

bool Target::HasTag(absl::string_view tag) const {
  const Value& tags = Field("tags");
  if (!tags.is_sequence()) return false;
  return std::any_of(tags.items().begin(), tags.items().end(),
                     [&](const Value& v) { return v.is_string() && v.string_value() == tag; });
}

const Location& Target::FieldLocation(absl::string_view name) const {
  if (field_locations.empty()) return location;
  auto it = field_locations.find(std::string(name));
  return it == field_locations.end() ? location : it->second;
}

}  // namespace braid::graph
