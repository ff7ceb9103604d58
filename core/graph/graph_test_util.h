// Test-only helpers shared by graph and inferrer tests: a string-list value, a small
// language-neutral schema (lib_sources generating lib_source, and `target`), and a printable
// form of inferred dependencies. Include only from gtest targets.
#ifndef BRAID_CORE_GRAPH_GRAPH_TEST_UTIL_H_
#define BRAID_CORE_GRAPH_GRAPH_TEST_UTIL_H_

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "core/build_file/value.h"
#include "core/graph/dependency_resolver.h"
#include "core/graph/target_type.h"
#include "gtest/gtest.h"

namespace braid::graph::test_util {

/// A list value of strings.
inline build_file::Value Strings(std::vector<std::string> items) {
  std::vector<build_file::Value> v;
  for (auto& s : items) v.push_back(build_file::Value::String(s));
  return build_file::Value::List(std::move(v));
}

/// An inferrer's answer as sorted "address <- rule 'module' origin" lines ({} after a
/// failed expectation when it is an error).
inline std::vector<std::string> DescribeInferred(
    const absl::StatusOr<std::vector<Dependency>>& deps) {
  std::vector<std::string> out;
  if (!deps.ok()) {
    ADD_FAILURE() << deps.status();
    return out;
  }
  for (const Dependency& d : *deps) {
    out.push_back(absl::StrCat(d.address.Spec(), " <- ", d.rule, " '", d.module, "' ",
                               d.origin.ToString()));
  }
  std::sort(out.begin(), out.end());
  return out;
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
