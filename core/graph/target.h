// A target: one node of the build graph, as declared in a BUILD file (or
// generated from one), with its fields checked and defaults applied.
#ifndef BRAID_CORE_GRAPH_TARGET_H_
#define BRAID_CORE_GRAPH_TARGET_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/base/error.h"
#include "core/build_file/value.h"
#include "core/graph/address.h"
#include "core/graph/target_type.h"

namespace braid::graph {

/// Only explicitly given field values are stored, by field position in
/// `type->fields`; every other field reads as its FieldSpec::default_value.
/// Loading builds ~10 fields for each of 10k+ targets, most of them defaults,
/// and a std::map by name (a node plus a key string per field) dominated load
/// time and memory.
///
/// Invariants: `explicit_values` is sorted by field index, indices are unique
/// and < type->fields.size(), values are normalised by CheckFieldValue.
/// `sources` is sorted and only set for targets with a kSources/kSource field.
struct Target {
  Address address;
  const TargetType* type = nullptr;
  /// (index in type->fields, value) of the fields given explicitly: in the
  /// BUILD file, by __defaults__, or copied from a generator.
  std::vector<std::pair<uint32_t, build_file::Value>> explicit_values;
  /// The call that declared the target (for generated targets: the generator's).
  Location location;
  /// Where each field given in the BUILD file was written, when that was in
  /// the BUILD file itself (not in a prelude macro). Used to point errors at
  /// the field rather than the call.
  std::map<std::string, Location> field_locations;
  /// Files owned by this target, relative to the build root, sorted.
  std::vector<std::string> sources;
  /// For generators: the positions in TargetGraph::targets() of the targets
  /// they generated, ascending (so in address order).
  std::vector<uint32_t> generated;

  const std::string& alias() const { return type->alias; }
  bool is_generator() const { return type->is_generator(); }
  /// For generated targets: the generator's address (the same address without
  /// the file or generated name); nullopt for others.
  std::optional<Address> generator() const;

  /// Sets `type`, with every field at its default.
  void InitFields(const TargetType* target_type);
  /// Sets field `name` explicitly (no checking: for generators' tests and
  /// hand-built targets). False if the type has no such field.
  bool SetField(absl::string_view name, build_file::Value value);
  /// Sets field `index` explicitly (no checking).
  void SetFieldAt(uint32_t index, build_file::Value value);

  /// The value of type->fields[index]: explicit, else the default.
  const build_file::Value& FieldAt(size_t index) const;
  /// The value of field `name` (None if the type has no such field).
  const build_file::Value& Field(absl::string_view name) const;
  /// True when field `name` exists and was given explicitly.
  bool IsExplicit(absl::string_view name) const;
  bool IsExplicitAt(size_t index) const;
  /// The field as a list of strings (empty for None or a missing field).
  std::vector<std::string> StringListField(absl::string_view name) const;
  /// The field as a string ("" for None or a missing field).
  std::string StringField(absl::string_view name) const;
  bool HasTag(absl::string_view tag) const;
  /// Where field `name` was written, else the target's location.
  const Location& FieldLocation(absl::string_view name) const;

 private:
  const build_file::Value* FindExplicit(size_t index) const;
};

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_TARGET_H_
