// The [filter] subsystem: narrowing the targets the specs select, for every
// goal, as Pants 2.x does (`pants --filter-target-type=python_test test ::`).
//
// Usage:
//   TargetFilterOptions o;
//   o.target_types = {"python_test,python_tests"};   // one filter
//   o.address_regexes = {"-^3rdparty/"};             // another filter
//   BRAID_ASSIGN_OR_RETURN(TargetFilter f, TargetFilter::Create(o, types));
//   if (f.Matches(target)) ...
//
// Semantics (pants/backend/project_info/filter_targets.py, pants/util/filtering.py):
//   * each option VALUE is one filter: a comma-separated list of criteria, OR
//     between them; a leading '-' negates the whole list (the target passes
//     only if it matches none), a leading '+' is ignored;
//   * every filter of every option must pass (AND), as must granularity;
//   * target_type: the target's alias equals the criterion; an alias that is
//     not a registered target type is a user error (as Pants'
//     UnrecognizedTargetTypeException);
//   * address_regex: Python `re.search` on the address spec (`src/a/f.py:lib`,
//     `//:root`); braid uses RE2 (unanchored PartialMatch), which has the same
//     syntax except for backreferences and lookaround (rejected as invalid)
//     and `\Z` (RE2 spells it `\z`);
//   * tag_regex: some tag of the target matches (a target without tags
//     matches nothing);
//   * granularity: all | file (only file targets, `src/a/f.py:lib`) | BUILD
//     (everything else: targets written in BUILD files and non-file generated
//     targets such as `3rdparty#requests`), as Pants' Address.is_file_target.
// Values are split at every ',' even inside a regex, exactly as Pants does.
#ifndef BRAID_CORE_GRAPH_TARGET_FILTER_H_
#define BRAID_CORE_GRAPH_TARGET_FILTER_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/graph/target.h"
#include "core/graph/target_type.h"

namespace re2 {
class RE2;
}

namespace braid::graph {

/// [filter] granularity.
enum class TargetGranularity { kAll, kFile, kBuild };

/// The raw [filter] option values (each entry one filter, as given).
struct TargetFilterOptions {
  std::vector<std::string> target_types;
  std::vector<std::string> address_regexes;
  std::vector<std::string> tag_regexes;
  TargetGranularity granularity = TargetGranularity::kAll;
};

/// Parses "all" | "file" | "BUILD"; nullopt for anything else.
std::optional<TargetGranularity> ParseTargetGranularity(absl::string_view text);

/// A compiled [filter]: immutable, cheap to test per target.
class TargetFilter {
 public:
  /// Validates target types against `types` and compiles the regexes.
  /// Errors (kInvalidArgument) name the option: "--filter-target-type: ...".
  static absl::StatusOr<TargetFilter> Create(const TargetFilterOptions& options,
                                             const TargetTypeRegistry& types);

  TargetFilter(TargetFilter&&) noexcept;
  TargetFilter& operator=(TargetFilter&&) noexcept;
  ~TargetFilter();

  /// True when no option narrows anything (every target matches).
  bool empty() const { return filters_.empty() && granularity_ == TargetGranularity::kAll; }
  bool Matches(const Target& target) const;
  /// `targets` without those that do not match, order kept.
  std::vector<const Target*> Apply(std::vector<const Target*> targets) const;

 private:
  enum class Kind { kTargetType, kAddressRegex, kTagRegex };
  /// One option value: OR of `types` (kTargetType) or `regexes`, negated
  /// when `exclude`.
  struct Filter {
    Kind kind = Kind::kTargetType;
    bool exclude = false;
    std::vector<const TargetType*> types;  // kTargetType: registered, never null
    std::vector<std::unique_ptr<re2::RE2>> regexes;
  };
  TargetFilter() = default;
  static bool MatchesAny(const Filter& f, const Target& target);

  std::vector<Filter> filters_;
  TargetGranularity granularity_ = TargetGranularity::kAll;
};

}  // namespace braid::graph

#endif  // BRAID_CORE_GRAPH_TARGET_FILTER_H_
