#include "rules/goals/peek_json.h"

#include "core/build_file/value_json.h"

#include <algorithm>

namespace braid::rules {

using build_file::Value;

using build_file::ValueToJson;

json::Value TargetToPeekJson(const graph::Target& target,
                             const std::vector<std::string>& dependencies,
                             const std::string& fingerprint, bool exclude_defaults) {
  json::Value fields = json::Value::MakeObject();
  // Field order does not matter here: the members are sorted below.
  for (size_t i = 0; i < target.type->fields.size(); ++i) {
    const graph::FieldSpec& spec = target.type->fields[i];
    const Value& value = target.FieldAt(i);
    if (exclude_defaults && value.Equals(spec.default_value)) continue;
    bool raw = spec.type == graph::FieldType::kSources || spec.type == graph::FieldType::kSource ||
               spec.type == graph::FieldType::kDependencies;
    fields.Set(raw ? spec.name + "_raw" : spec.name, ValueToJson(value));
  }
  json::Value deps = json::Value::MakeArray();
  for (const std::string& d : dependencies) deps.Append(json::Value(d));
  fields.Set("dependencies", std::move(deps));
  if (!fingerprint.empty()) {
    json::Value sources = json::Value::MakeArray();
    for (const std::string& s : target.sources) sources.Append(json::Value(s));
    fields.Set("sources", std::move(sources));
    fields.Set("sources_fingerprint", json::Value(fingerprint));
  }
  // Only the top level is sorted (nested dicts keep the order written), as
  // Pants does with dict(sorted(fields.items())).
  std::sort(fields.members().begin(), fields.members().end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  json::Value out = json::Value::MakeObject();
  out.Set("address", json::Value(target.address.Spec()));
  out.Set("target_type", json::Value(target.alias()));
  for (auto& [k, v] : fields.members()) out.Set(k, std::move(v));
  return out;
}

}  // namespace braid::rules
