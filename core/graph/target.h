// A target: one node of the build graph, as declared in a BUILD file (or
// generated from one), with its fields checked and defaults applied.
#ifndef BRAID_CORE_GRAPH_TARGET_H_
#define BRAID_CORE_GRAPH_TARGET_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/build_file/value.h"
#include "core/graph/address.h"
#include "core/graph/target_type.h"

namespace braid::graph {

/// Invariants: `fields` holds exactly the fields of `type` (absent ones with
/// their default); field values are normalised by CheckFieldValue. `sources`
/// is sorted and only set for targets with a kSources/kSource field.
struct Target {
  Address address;
  const TargetType* type = nullptr;
  std::map<std::string, build_file::Value> fields;
  /// The names of fields that were given explicitly (in the BUILD file, by
  /// __defaults__, or copied from a generator), as opposed to type defaults.
  std::vector<std::string> explicit_fields;
  /// The call that declared the target (for generated targets: the generator's).
  Location location;
  /// Where each field given in the BUILD file was written, when that was in
  /// the BUILD file itself (not in a prelude macro). Used to point errors at
  /// the field rather than the call.
  std::map<std::string, Location> field_locations;
  /// Files owned by this target, relative to the build root, sorted.
  std::vector<std::string> sources;
  /// For generated targets: the generator's address.
  std::optional<Address> generator;
  /// For generators: the addresses of the targets they generated, sorted.
  std::vector<Address> generated;

  const std::string& alias() const { return type->alias; }
  bool is_generator() const { return type->is_generator(); }
  /// The value of field `name` (None if the type has no such field).
  const build_file::Value& Field(absl::string_view name) const;
  /// The field as a list of strings (empty for None or a missing field).
  std::vector<std::string> StringListField(absl::string_view name) const;
  /// The field as a string ("" for None or a missing field).
  std::string StringField(absl::string_view name) const;
  bool HasTag(absl::string_view tag) const;
  /// Where field `name` was written, else the target's location.
  const Location& FieldLocation(absl::string_view name) const;
};

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_TARGET_H_
