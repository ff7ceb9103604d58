// Conversion of targets to the JSON that `peek` prints (Pants' format):
// one object per target with "address" and "target_type" first, then every
// field sorted by name; sources/dependencies fields appear as "sources_raw" /
// "source_raw" / "dependencies_raw", next to the expanded "sources",
// "sources_fingerprint" and "dependencies".
#ifndef BRAID_RULES_GOALS_PEEK_JSON_H_
#define BRAID_RULES_GOALS_PEEK_JSON_H_

#include <string>
#include <vector>

#include "core/base/json.h"
#include "core/build_file/value.h"
#include "core/graph/target.h"

namespace braid::rules {

/// The peek object of `target`. `dependencies` are the resolved addresses;
/// `fingerprint` the digest of its sources ("" when it has no sources field).
json::Value TargetToPeekJson(const graph::Target& target, const std::vector<std::string>& dependencies,
                             const std::string& fingerprint, bool exclude_defaults);

}  // namespace braid::rules

#endif  // BRAID_RULES_GOALS_PEEK_JSON_H_
