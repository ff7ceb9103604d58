#include "core/graph/target_filter.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "core/base/error.h"
#include "re2/re2.h"

namespace braid::graph {

std::optional<TargetGranularity> ParseTargetGranularity(absl::string_view text) {
  if (text == "all") return TargetGranularity::kAll;
  if (text == "file") return TargetGranularity::kFile;
  if (text == "BUILD") return TargetGranularity::kBuild;
  return std::nullopt;
}

TargetFilter::TargetFilter(TargetFilter&&) noexcept = default;
TargetFilter& TargetFilter::operator=(TargetFilter&&) noexcept = default;
TargetFilter::~TargetFilter() = default;

namespace {

// Pants' _extract_modifier: '-' negates the whole list, '+' is decoration.
std::pair<bool, std::string> SplitModifier(const std::string& value) {
  if (!value.empty() && value[0] == '-') return {true, value.substr(1)};
  if (!value.empty() && value[0] == '+') return {false, value.substr(1)};
  return {false, value};
}

}  // namespace

absl::StatusOr<TargetFilter> TargetFilter::Create(const TargetFilterOptions& options,
                                                  const TargetTypeRegistry& types) {
  TargetFilter out;
  out.granularity_ = options.granularity;
  for (const std::string& value : options.target_types) {
    Filter f;
    f.kind = Kind::kTargetType;
    std::string list;
    std::tie(f.exclude, list) = SplitModifier(value);
    for (absl::string_view alias : absl::StrSplit(list, ',')) {
      const TargetType* type = types.Find(alias);
      if (type == nullptr) {
        std::vector<std::string> all = types.Aliases();
        std::string hint = DidYouMean(alias, all);
        if (hint.empty()) hint = absl::StrCat("all valid target types: ", absl::StrJoin(all, ", "));
        return UserError(Location{"--filter-target-type", 0, 0, ""},
                         absl::StrCat("target type '", alias, "' is not registered"), hint);
      }
      f.types.push_back(type);
    }
    out.filters_.push_back(std::move(f));
  }
  auto add_regexes = [&](const std::vector<std::string>& values, Kind kind,
                         const char* flag) -> absl::Status {
    for (const std::string& value : values) {
      Filter f;
      f.kind = kind;
      std::string list;
      std::tie(f.exclude, list) = SplitModifier(value);
      for (absl::string_view pattern : absl::StrSplit(list, ',')) {
        RE2::Options ro;
        ro.set_log_errors(false);
        auto re = std::make_unique<RE2>(re2::StringPiece(pattern.data(), pattern.size()), ro);
        if (!re->ok()) {
          return UserError(Location{flag, 0, 0, ""},
                           absl::StrCat("invalid regular expression '", pattern, "': ",
                                        re->error()));
        }
        f.regexes.push_back(std::move(re));
      }
      out.filters_.push_back(std::move(f));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = add_regexes(options.address_regexes, Kind::kAddressRegex,
                                   "--filter-address-regex");
      !s.ok()) {
    return s;
  }
  if (absl::Status s = add_regexes(options.tag_regexes, Kind::kTagRegex, "--filter-tag-regex");
      !s.ok()) {
    return s;
  }
  return out;
}

bool TargetFilter::MatchesAny(const Filter& f, const Target& target) {
  switch (f.kind) {
    case Kind::kTargetType:
      // The pointer catches an older alias registered for the same type.
      return std::any_of(f.types.begin(), f.types.end(), [&](const TargetType* t) {
        return t == target.type || t->alias == target.alias();
      });
    case Kind::kAddressRegex: {
      std::string spec = target.address.Spec();
      return std::any_of(f.regexes.begin(), f.regexes.end(),
                         [&](const auto& re) { return RE2::PartialMatch(spec, *re); });
    }
    case Kind::kTagRegex: {
      const build_file::Value& tags = target.Field("tags");
      if (!tags.is_sequence()) return false;
      for (const build_file::Value& tag : tags.items()) {
        if (!tag.is_string()) continue;
        for (const auto& re : f.regexes) {
          if (RE2::PartialMatch(tag.string_value(), *re)) return true;
        }
      }
      return false;
    }
  }
  return false;
}

bool TargetFilter::Matches(const Target& target) const {
  switch (granularity_) {
    case TargetGranularity::kAll:
      break;
    case TargetGranularity::kFile:
      if (!target.address.is_file_target()) return false;
      break;
    case TargetGranularity::kBuild:
      if (target.address.is_file_target()) return false;
      break;
  }
  for (const Filter& f : filters_) {
    if (MatchesAny(f, target) == f.exclude) return false;
  }
  return true;
}

std::vector<const Target*> TargetFilter::Apply(std::vector<const Target*> targets) const {
  if (empty()) return targets;
  targets.erase(std::remove_if(targets.begin(), targets.end(),
                               [&](const Target* t) { return !Matches(*t); }),
                targets.end());
  return targets;
}

}  // namespace braid::graph
