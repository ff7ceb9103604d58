// Test-only helpers shared by core/graph's tests: a string-list value and a small
// language-neutral schema (lib_sources generating lib_source, and `target`).
#ifndef BRAID_CORE_GRAPH_GRAPH_TEST_UTIL_H_
#define BRAID_CORE_GRAPH_GRAPH_TEST_UTIL_H_

#include <string>
#include <utility>
#include <vector>

#include "core/build_file/value.h"
#include "core/graph/target_type.h"

namespace braid::graph::test_util {

/// A list value of strings.
inline build_file::Value Strings(std::vector<std::string> items) {
  std::vector<build_file::Value> v;
  for (auto& s : items) v.push_back(build_file::Value::String(s));
  return build_file::Value::List(std::move(v));
}

/// lib_sources (sources default `*.src`, generates lib_source), lib_source and target, each
/// with dependencies and tags.
inline TargetTypeRegistry LibSourcesTypes() {
  TargetTypeRegistry reg;
  TargetType lib;
  lib.alias = "lib_sources";
  lib.fields = {{"sources", FieldType::kSources, Strings({"*.src"}), false, "", {}},
                DependenciesField(), TagsField()};
  lib.generated_alias = "lib_source";
  reg.Register(lib);
  TargetType one;
  one.alias = "lib_source";
  one.fields = {{"source", FieldType::kSource, build_file::Value(), true, "", {}},
                DependenciesField(), TagsField()};
  reg.Register(one);
  TargetType tgt;
  tgt.alias = "target";
  tgt.fields = {DependenciesField(), TagsField()};
  reg.Register(tgt);
  return reg;
}

}  // namespace braid::graph::test_util

#endif  // BRAID_CORE_GRAPH_GRAPH_TEST_UTIL_H_
