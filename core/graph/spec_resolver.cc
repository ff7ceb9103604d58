#include "core/graph/spec_resolver.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/base/error.h"
#include "core/fs/path.h"

namespace braid::graph {

void ParseTagFilters(const std::vector<std::string>& raw, std::vector<std::string>* include,
                     std::vector<std::string>* exclude) {
  for (const std::string& value : raw) {
    for (absl::string_view part : absl::StrSplit(value, ',', absl::SkipWhitespace())) {
      if (absl::ConsumePrefix(&part, "-")) {
        exclude->emplace_back(part);
      } else {
        absl::ConsumePrefix(&part, "+");
        include->emplace_back(part);
      }
    }
  }
}

namespace {

// The directory a target resides in; `buf` holds it when it is computed.
absl::string_view ResidenceDir(const Target& t, std::string* buf) {
  if (!t.address.is_file_target() ||
      t.address.relative_file_path().find('/') == std::string::npos) {
    return t.address.spec_path();  // also a file target's dir for a plain file name
  }
  *buf = std::string(fs::Dirname(t.address.Filename()));
  return *buf;
}

// The targets selected so far, by position in graph.targets(); `count` says
// how many are set, so Match can tell whether a spec added any.
struct Selection {
  std::vector<bool> selected;
  size_t count = 0;

  explicit Selection(size_t n) : selected(n, false) {}
  void Add(const TargetGraph& graph, const Target* t) {
    size_t i = static_cast<size_t>(t - graph.targets().data());
    if (!selected[i]) {
      selected[i] = true;
      ++count;
    }
  }
};

// Adds to `out` the targets matched by `spec`; returns false if it added none.
absl::StatusOr<bool> Match(const Spec& spec, const TargetGraph& graph, const fs::FileIndex& index,
                           Selection* out) {
  size_t before = out->count;
  switch (spec.kind) {
    case SpecKind::kRecursiveGlob:
    case SpecKind::kDirGlob:
    case SpecKind::kDirLiteral: {
      bool generators = SpecMatchesTargetGenerators(spec);
      std::string buf;
      for (const Target& t : graph.targets()) {
        if (!generators && t.is_generator()) continue;
        if (SpecMatchesResidenceDir(spec, ResidenceDir(t, &buf))) out->Add(graph, &t);
      }
      break;
    }
    case SpecKind::kAddressLiteral: {
      absl::StatusOr<Address> addr = SpecToAddress(spec, index);
      if (!addr.ok()) return addr.status();
      const Target* t = graph.Find(*addr);
      if (t == nullptr) {
        std::vector<std::string> candidates = graph.AddressesIn(addr->spec_path());
        return absl::NotFoundError(
            absl::StrCat("no target at address '", addr->Spec(), "'",
                         candidates.empty() ? "" : "\n  hint: ",
                         candidates.empty()
                             ? ""
                             : (DidYouMean(addr->Spec(), candidates).empty()
                                    ? absl::StrCat("targets in '", addr->spec_path(),
                                                   "': ", absl::StrJoin(candidates, ", "))
                                    : DidYouMean(addr->Spec(), candidates))));
      }
      out->Add(graph, t);
      break;
    }
    case SpecKind::kFileLiteral:
    case SpecKind::kFileGlob: {
      for (const std::string& file : SpecMatchingFiles(spec, index)) {
        for (const Target* t : graph.OwnersOf(file)) out->Add(graph, t);
      }
      break;
    }
  }
  return out->count > before;
}

std::string UnmatchedHint(const Spec& spec, const fs::FileIndex& index) {
  std::string path = spec.path;
  if (spec.kind == SpecKind::kFileGlob) return "";
  // Suggest the closest existing directory or file with the same parent.
  std::string parent(fs::Dirname(path));
  std::vector<std::string> siblings;
  for (const std::string& d : index.DirsUnder(parent)) {
    if (fs::Dirname(d) == parent) siblings.push_back(d);
  }
  for (absl::string_view f : index.FilesIn(parent)) siblings.emplace_back(f);
  std::string best = ClosestMatch(path, siblings);
  if (best.empty()) return "";
  std::string suggestion = spec.ToString();
  suggestion.replace(0, path.size(), best);
  return absl::StrCat("did you mean '", suggestion, "'?");
}

}  // namespace

absl::StatusOr<std::vector<const Target*>> ResolveSpecs(const Specs& specs,
                                                        const TargetGraph& graph,
                                                        const fs::FileIndex& index,
                                                        const SpecResolveOptions& options,
                                                        std::vector<std::string>* warnings) {
  Selection selected(graph.targets().size());
  for (const Spec& spec : specs.includes) {
    absl::StatusOr<bool> matched = Match(spec, graph, index, &selected);
    if (!matched.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(spec.ToString(), ": ", matched.status().message()));
    }
    if (*matched || options.unmatched == UnmatchedSpecBehavior::kIgnore) continue;
    bool is_dir_spec = spec.kind == SpecKind::kRecursiveGlob || spec.kind == SpecKind::kDirGlob ||
                       spec.kind == SpecKind::kDirLiteral;
    std::string what;
    if (is_dir_spec && !index.HasDir(spec.path)) {
      what = absl::StrCat("the directory '", spec.path, "' does not exist");
    } else if (is_dir_spec) {
      // An existing directory without targets is not an error in Pants.
      continue;
    } else if (spec.kind == SpecKind::kFileLiteral && !index.HasFile(spec.path)) {
      what = absl::StrCat("the file '", spec.path, "' does not exist");
    } else if (spec.kind == SpecKind::kFileLiteral) {
      what = absl::StrCat("no target owns the file '", spec.path, "'");
    } else {
      what = "the glob matches no file owned by a target";
    }
    std::string msg = absl::StrCat("unmatched spec '", spec.ToString(), "' from the command line: ",
                                   what);
    std::string hint = UnmatchedHint(spec, index);
    if (options.unmatched == UnmatchedSpecBehavior::kError) {
      return absl::InvalidArgumentError(
          hint.empty() ? msg : absl::StrCat(msg, "\n  hint: ", hint));
    }
    warnings->push_back(msg);
  }
  Selection ignored(graph.targets().size());
  for (const Spec& spec : specs.ignores) {
    absl::StatusOr<bool> matched = Match(spec, graph, index, &ignored);
    if (!matched.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("-", spec.ToString(), ": ", matched.status().message()));
    }
  }
  std::vector<std::string> want, unwanted;
  ParseTagFilters(options.tags, &want, &unwanted);
  std::vector<const Target*> out;
  out.reserve(selected.count);
  for (size_t i = 0; i < graph.targets().size(); ++i) {
    if (!selected.selected[i] || ignored.selected[i]) continue;
    const Target* t = &graph.targets()[i];
    if (!want.empty() &&
        std::none_of(want.begin(), want.end(), [&](const std::string& g) { return t->HasTag(g); }))
      continue;
    if (std::any_of(unwanted.begin(), unwanted.end(),
                    [&](const std::string& g) { return t->HasTag(g); }))
      continue;
    out.push_back(t);
  }
  // graph.targets() is sorted by address, so position order is address order.
  return out;
}

}  // namespace braid::graph
