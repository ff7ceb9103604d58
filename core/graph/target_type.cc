#include "core/graph/target_type.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace braid::graph {

using build_file::Value;

std::string FieldTypeDescription(FieldType type) {
  switch (type) {
    case FieldType::kString: return "a string";
    case FieldType::kBool: return "a bool";
    case FieldType::kInt: return "an int";
    case FieldType::kStringList: return "a list of strings";
    case FieldType::kDict: return "a dict";
    case FieldType::kAny: return "any value";
    case FieldType::kDependencies: return "a list of address strings";
    case FieldType::kSources: return "a list of file globs";
    case FieldType::kSource: return "a file path string";
    case FieldType::kEnum: return "one of the allowed strings";
    case FieldType::kOverrides: return "a dict of paths to field dicts";
  }
  return "a value";
}

const FieldSpec* TargetType::FindField(absl::string_view name) const {
  int i = FieldIndex(name);
  return i < 0 ? nullptr : &fields[i];
}

int TargetType::FieldIndex(absl::string_view name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<std::string> TargetType::FieldNames() const {
  std::vector<std::string> out;
  for (const FieldSpec& f : fields) out.push_back(f.name);
  std::sort(out.begin(), out.end());
  return out;
}

void TargetTypeRegistry::Register(TargetType type) {
  std::string alias = type.alias;
  types_[alias] = std::make_unique<TargetType>(std::move(type));
}

const TargetType* TargetTypeRegistry::Find(absl::string_view alias) const {
  auto it = types_.find(std::string(alias));
  return it == types_.end() ? nullptr : it->second.get();
}

std::vector<std::string> TargetTypeRegistry::Aliases() const {
  std::vector<std::string> out;
  for (const auto& [alias, _] : types_) out.push_back(alias);
  return out;
}

void TargetTypeRegistry::RegisterObjectSymbol(std::string alias, std::string help) {
  object_symbols_[std::move(alias)] = std::move(help);
}

void TargetTypeRegistry::RegisterObjectAlias(std::string alias, std::string type_name,
                                             std::string help) {
  object_aliases_[alias] = std::move(type_name);
  object_symbols_[std::move(alias)] = std::move(help);
}

std::string TargetTypeRegistry::ObjectTypeName(const std::string& alias) const {
  auto it = object_aliases_.find(alias);
  return it == object_aliases_.end() ? alias : it->second;
}

FieldSpec TagsField() {
  return {"tags", FieldType::kStringList, Value(), false,
          "Arbitrary strings to describe a target.\n\nFor example, you may tag some test "
          "targets with 'integration_test' so that you could run `braid --tag='integration_test' "
          "test ::` to only run on targets with that tag.",
          {}};
}

FieldSpec DescriptionField() {
  return {"description", FieldType::kString, Value(), false,
          "A human-readable description of the target.\n\nUse `braid list --documented ::` to "
          "see descriptions.",
          {}};
}

FieldSpec DependenciesField() {
  return {"dependencies", FieldType::kDependencies, Value(), false,
          "Addresses to other targets that this target depends on, e.g. "
          "['helloworld/subdir:lib', 'helloworld/main.py:lib', '3rdparty:reqs#django'].\n\n"
          "This augments any dependencies inferred by braid, such as by analyzing your imports. "
          "If the target is in the same BUILD file, you can leave off the BUILD file path, e.g. "
          "`:tgt`. For generated first-party addresses, use `./` for the file path, e.g. "
          "`./main.py:tgt`; for all other generated targets, use `:tgt#generated_name`.\n\n"
          "You may exclude dependencies by prefixing with `!`, e.g. "
          "['!helloworld/subdir:lib', '!./sibling.txt']; `!!` excludes transitively.",
          {}};
}

namespace {

std::string Describe(const Value& v) {
  std::string repr = v.Repr();
  if (repr.size() > 60) repr = repr.substr(0, 57) + "...";
  return absl::StrCat(v.TypeName(), " ", repr);
}

absl::Status Mismatch(const FieldSpec& spec, const Value& v) {
  return absl::InvalidArgumentError(
      absl::StrCat("must be ", FieldTypeDescription(spec.type), ", got ", Describe(v)));
}

absl::StatusOr<Value> StringList(const FieldSpec& spec, const Value& v) {
  if (v.kind() == Value::Kind::kString) {
    // Pants rejects a bare string for a string-sequence field (a common typo:
    // sources="*.py"), since it would otherwise iterate characters.
    return absl::InvalidArgumentError(
        absl::StrCat("must be ", FieldTypeDescription(spec.type), ", got ", Describe(v),
                     " (wrap it in a list: [", v.Repr(), "])"));
  }
  if (!v.is_sequence()) return Mismatch(spec, v);
  for (const Value& item : v.items()) {
    if (!item.is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("must be ", FieldTypeDescription(spec.type), ", but it contains ",
                       Describe(item)));
    }
  }
  return Value::List(std::vector<Value>(v.items().begin(), v.items().end()));
}

}  // namespace

absl::StatusOr<Value> CheckFieldValue(const FieldSpec& spec, const Value& v) {
  if (v.is_none()) {
    if (spec.required) return absl::InvalidArgumentError("is required and may not be None");
    return v;
  }
  switch (spec.type) {
    case FieldType::kString:
    case FieldType::kSource:
      if (!v.is_string()) return Mismatch(spec, v);
      return v;
    case FieldType::kBool:
      if (v.kind() != Value::Kind::kBool) return Mismatch(spec, v);
      return v;
    case FieldType::kInt:
      if (v.kind() != Value::Kind::kInt) return Mismatch(spec, v);
      return v;
    case FieldType::kStringList:
    case FieldType::kDependencies:
    case FieldType::kSources:
      return StringList(spec, v);
    case FieldType::kDict:
    case FieldType::kOverrides:
      if (v.kind() != Value::Kind::kDict) return Mismatch(spec, v);
      return v;
    case FieldType::kEnum:
      if (!v.is_string()) return Mismatch(spec, v);
      if (std::find(spec.choices.begin(), spec.choices.end(), v.string_value()) ==
          spec.choices.end()) {
        return absl::InvalidArgumentError(absl::StrCat("must be one of ",
                                                       absl::StrJoin(spec.choices, ", "),
                                                       "; got ", v.Repr()));
      }
      return v;
    case FieldType::kAny:
      return v;
  }
  return v;
}

}  // namespace braid::graph
