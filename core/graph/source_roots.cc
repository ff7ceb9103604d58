#include "core/graph/source_roots.h"

#include <algorithm>
#include <set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/fs/file_index.h"
#include "core/fs/path.h"
#include "core/fs/wildmatch.h"

namespace braid {
namespace {

constexpr absl::string_view kHint =
    " See https://www.pantsbuild.org/docs/source-roots for how to define source roots.";

std::vector<absl::string_view> Parts(absl::string_view path) {
  return absl::StrSplit(path, '/', absl::SkipEmpty());
}

// Python's PurePath("/" + dir).match(pattern), with '*' matching inside one
// part: an anchored pattern must match the whole path, an unanchored one its
// last parts. The build root ("") is matched only by "/".
bool PatternMatches(absl::string_view pattern, absl::string_view dir) {
  bool anchored = fs::IsAbsolutePath(pattern);
  std::vector<absl::string_view> pp = Parts(pattern);
  std::vector<absl::string_view> dp = Parts(dir);
  if (pp.empty()) return anchored && dp.empty();  // "/"
  if (anchored ? pp.size() != dp.size() : pp.size() > dp.size()) return false;
  size_t offset = dp.size() - pp.size();
  for (size_t i = 0; i < pp.size(); ++i) {
    if (!fs::WildMatch(pp[i], dp[offset + i])) return false;
  }
  return true;
}

}  // namespace

std::vector<std::string> SourceRootConfig::DefaultRootPatterns() {
  return {"/",          "src",          "src/python", "src/py",  "src/thrift",
          "src/protobuf", "src/protos", "src/scala",  "src/java"};
}

absl::StatusOr<SourceRoots> SourceRoots::Create(SourceRootConfig config,
                                                const fs::FileIndex& index) {
  for (const std::string& p : config.root_patterns) {
    if (p.empty()) {
      return absl::InvalidArgumentError(absl::StrCat("empty source root pattern.", kHint));
    }
    for (absl::string_view part : absl::StrSplit(p, '/')) {
      if (part == "..") {
        return absl::InvalidArgumentError(
            absl::StrCat("`..` disallowed in source root pattern: ", p, ".", kHint));
      }
    }
  }
  for (const std::string& m : config.marker_filenames) {
    if (m.empty() || fs::Basename(m) != m || absl::StrContains(m, '*') ||
        absl::StrContains(m, '!')) {
      return absl::InvalidArgumentError(
          absl::StrCat("marker filename must be a base name: ", m, ".", kHint));
    }
  }
  return SourceRoots(std::move(config), &index);
}

bool SourceRoots::MatchesRootPattern(absl::string_view dir) const {
  for (const std::string& p : config_.root_patterns) {
    if (PatternMatches(p, dir)) return true;
  }
  return false;
}

bool SourceRoots::IsRoot(absl::string_view dir) const {
  if (MatchesRootPattern(dir)) return true;
  for (const std::string& m : config_.marker_filenames) {
    if (index_->HasFile(fs::JoinPath(dir, m))) return true;
  }
  return false;
}

std::optional<std::string> SourceRoots::FindForDir(absl::string_view dir) const {
  while (true) {
    if (IsRoot(dir)) return dir.empty() ? std::string(".") : std::string(dir);
    if (dir.empty()) return std::nullopt;
    dir = fs::Dirname(dir);
  }
}

std::optional<std::string> SourceRoots::FindForFile(absl::string_view path) const {
  return FindForDir(fs::Dirname(path));
}

std::vector<std::string> SourceRoots::All() const {
  // Mirrors Pants' `all_roots`: "/" globs every directory ("**") and asks for
  // its root; other patterns glob the directories they name; each marker
  // file's directory is a root.
  std::set<std::string> roots;
  bool root_pattern = false;
  for (const std::string& p : config_.root_patterns) {
    if (Parts(p).empty()) root_pattern = true;
  }
  for (const std::string& d : index_->dirs()) {
    std::optional<std::string> r;
    if (root_pattern) {
      r = FindForDir(d);
    } else if (MatchesRootPattern(d)) {
      r = d;
    }
    if (r.has_value()) roots.insert(*std::move(r));
  }
  if (!config_.marker_filenames.empty()) {
    for (const std::string& f : index_->files()) {
      absl::string_view base = fs::Basename(f);
      if (std::find(config_.marker_filenames.begin(), config_.marker_filenames.end(), base) !=
          config_.marker_filenames.end()) {
        if (std::optional<std::string> r = FindForFile(f)) roots.insert(*std::move(r));
      }
    }
  }
  return std::vector<std::string>(roots.begin(), roots.end());
}

}  // namespace braid
