#include "rules/pants_backends/codegen_imports.h"

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/base/error.h"

namespace braid::pants_backends {

std::string PythonPatternForRe2(absl::string_view python_pattern) {
  std::string out;
  for (size_t i = 0; i < python_pattern.size(); ++i) {
    char c = python_pattern[i];
    if (c == '\\' && i + 1 < python_pattern.size()) {
      char next = python_pattern[++i];
      if (next == 's') {
        absl::StrAppend(&out, R"([\t\n\v\f\r \x{1c}-\x{1f}\x{85}\p{Z}])");
      } else {
        out.push_back(c);
        out.push_back(next);
      }
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::vector<CodegenImport> FindImports(const RE2& re, absl::string_view text) {
  std::vector<CodegenImport> out;
  std::set<std::string, std::less<>> seen;
  re2::StringPiece input(text.data(), text.size());
  size_t pos = 0;
  size_t counted = 0;  // text[0, counted) has `line - 1` newlines
  int line = 1;
  re2::StringPiece groups[2];
  while (pos <= text.size() && re.Match(input, pos, text.size(), RE2::UNANCHORED, groups, 2)) {
    size_t start = static_cast<size_t>(groups[0].data() - text.data());
    line += static_cast<int>(std::count(text.begin() + counted, text.begin() + start, '\n'));
    counted = start;
    std::string path(groups[1].data(), groups[1].size());
    if (seen.insert(path).second) out.push_back({std::move(path), line});
    pos = start + std::max<size_t>(groups[0].size(), 1);
  }
  return out;
}

ImportPathInferrer::ImportPathInferrer(CodegenLanguage language, const graph::TargetGraph& graph,
                                       const fs::FileIndex& index, const fs::FileSystem& fs,
                                       SourceRoots roots, bool enabled, WarnFn warn)
    : language_(language),
      graph_(graph),
      index_(index),
      fs_(fs),
      roots_(std::move(roots)),
      enabled_(enabled),
      warn_(std::move(warn)) {}

const ImportPathInferrer::Mapping& ImportPathInferrer::GetMapping() {
  if (mapping_) return *mapping_;
  mapping_.emplace();
  const std::vector<graph::Target>& all = graph_.targets();
  for (uint32_t i = 0; i < all.size(); ++i) {
    const graph::Target& t = all[i];
    if (t.alias() != language_.alias || t.sources.empty()) continue;
    const std::string& file = t.sources.front();
    std::optional<std::string> root = roots_.FindForFile(file);
    // Pants fails with NoSourceRootError here; braid leaves the file unmapped.
    if (!root) continue;
    std::string stripped =
        *root == "." ? file : std::string(absl::StripPrefix(file, absl::StrCat(*root, "/")));
    (*mapping_)[stripped].push_back(i);  // targets() is in address order
  }
  return *mapping_;
}

absl::StatusOr<std::vector<graph::Dependency>> ImportPathInferrer::Infer(
    const graph::Target& target) {
  std::vector<graph::Dependency> out;
  if (!enabled_ || target.alias() != language_.alias || target.sources.empty()) return out;
  const std::string& file = target.sources.front();
  absl::StatusOr<std::string> text = fs_.ReadFile(file);
  if (!text.ok()) return out;  // missing: Pants reports it when generating code
  const std::vector<CodegenImport> imports = language_.parse(*text);
  if (imports.empty()) return out;
  const Mapping& mapping = GetMapping();
  const std::vector<graph::Target>& all = graph_.targets();
  const std::string spec = target.address.Spec();

  // The target's explicit dependencies and `!` excludes, read on the first
  // ambiguous import.
  std::optional<graph::ExplicitlyProvided> explicitly;  // read on first ambiguity
  auto listed = [](const std::vector<Address>& in, const graph::Target& t) {
    if (std::find(in.begin(), in.end(), t.address) != in.end()) return true;
    std::optional<Address> generator = t.generator();
    return generator && std::find(in.begin(), in.end(), *generator) != in.end();
  };
  auto dependency = [&](uint32_t owner, const CodegenImport& import, Location origin) {
    graph::Dependency d;
    d.address = all[owner].address;
    d.rule = language_.rule;
    d.origin = std::move(origin);
    d.module = import.path;
    out.push_back(std::move(d));
  };

  std::vector<absl::string_view> lines;
  for (const CodegenImport& import : imports) {
    auto it = mapping.find(import.path);
    if (it == mapping.end()) continue;  // not a file of the repository: ignored, as in Pants
    if (lines.empty()) lines = absl::StrSplit(*text, '\n');
    std::string source_line;
    if (import.line >= 1 && static_cast<size_t>(import.line) <= lines.size()) {
      source_line = std::string(absl::StripSuffix(lines[import.line - 1], "\r"));
    }
    Location origin{file, import.line, 0, std::move(source_line)};
    const std::vector<uint32_t>& owners = it->second;
    if (owners.size() == 1) {
      dependency(owners[0], import, std::move(origin));
      continue;
    }
    // Ambiguous (Pants' maybe_warn_of_ambiguous_dependency_inference and
    // ExplicitlyProvidedDependencies.disambiguated).
    if (!explicitly) explicitly = graph::ExplicitlyProvided::Of(graph_, target, index_);
    std::vector<uint32_t> remaining;
    bool explicit_owner = false;
    for (uint32_t o : owners) {
      if (listed(explicitly->includes, all[o])) explicit_owner = true;
      if (!listed(explicitly->excludes, all[o])) remaining.push_back(o);
    }
    if (remaining.size() == 1) dependency(remaining[0], import, origin);
    if (explicit_owner || remaining.size() <= 1 || !warn_) continue;
    std::vector<std::string> specs;
    for (uint32_t o : owners) specs.push_back(all[o].address.Spec());
    warn_(graph::AmbiguousOwnersWarning(origin, language_.statement, import.path, spec, specs));
  }
  return out;
}

}  // namespace braid::pants_backends
