#include "core/graph/specs.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/fs/file_index.h"
#include "core/fs/glob.h"
#include "core/fs/path.h"

namespace braid {
namespace {

// Pants' `_normalize_spec_path`: "//x", "./x", "x/" and absolute paths inside
// the build root all become root-relative "x"; "" and "." become "".
absl::StatusOr<std::string> NormalizeSpecPath(absl::string_view path,
                                              const SpecParseOptions& options) {
  if (absl::StartsWith(path, "//")) {
    path.remove_prefix(2);
  } else if (fs::IsAbsolutePath(path)) {
    absl::string_view root = options.build_root;
    while (root.size() > 1 && root.back() == '/') root.remove_suffix(1);
    if (root.empty() || !fs::IsUnderDir(path, root)) {
      return absl::InvalidArgumentError(absl::StrCat("absolute spec path ", path,
                                                     " does not share build root ",
                                                     root.empty() ? "(unknown)" : root));
    }
    path.remove_prefix(root.size());
    while (!path.empty() && path[0] == '/') path.remove_prefix(1);
  }
  return fs::NormalizeRelativePath(path);
}

}  // namespace

std::string Spec::ToString() const {
  switch (kind) {
    case SpecKind::kDirGlob:
      return absl::StrCat(path, ":");
    case SpecKind::kRecursiveGlob:
      return absl::StrCat(path, "::");
    case SpecKind::kDirLiteral:
    case SpecKind::kFileLiteral:
    case SpecKind::kFileGlob:
      return path;
    case SpecKind::kAddressLiteral: {
      std::string out = path;
      if (target_component.has_value()) absl::StrAppend(&out, ":", *target_component);
      if (generated_component.has_value()) absl::StrAppend(&out, "#", *generated_component);
      if (!parameters.empty()) {
        absl::string_view sep = "@";
        for (const auto& [k, v] : parameters) {
          absl::StrAppend(&out, sep, k, "=", v);
          sep = ",";
        }
      }
      return out;
    }
  }
  return path;
}

absl::StatusOr<Spec> ParseSpec(absl::string_view text, const SpecParseOptions& options) {
  Spec spec;
  absl::string_view body = text;
  if (absl::StartsWith(body, "-")) {
    spec.ignore = true;
    body.remove_prefix(1);
  }
  absl::StatusOr<AddressSyntax> syntax = ParseAddressSyntax(body);
  if (!syntax.ok()) return syntax.status();

  auto normalized = [&](absl::string_view p) -> absl::StatusOr<std::string> {
    absl::StatusOr<std::string> n = NormalizeSpecPath(p, options);
    if (!n.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid spec '", text, "': ", n.status().message()));
    }
    return n;
  };

  if (!syntax->wildcard.empty()) {
    if (syntax->target || syntax->generated || !syntax->parameters.empty()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid spec '", text, "': a wildcard (':' or '::') cannot follow a target name"));
    }
    absl::StatusOr<std::string> dir = normalized(syntax->path);
    if (!dir.ok()) return dir.status();
    spec.kind = syntax->wildcard == "::" ? SpecKind::kRecursiveGlob : SpecKind::kDirGlob;
    spec.path = *std::move(dir);
    return spec;
  }
  if (syntax->target || syntax->generated || !syntax->parameters.empty()) {
    absl::StatusOr<std::string> path = normalized(syntax->path);
    if (!path.ok()) return path.status();
    spec.kind = SpecKind::kAddressLiteral;
    spec.path = *std::move(path);
    spec.target_component = std::move(syntax->target);
    spec.generated_component = std::move(syntax->generated);
    spec.parameters = std::move(syntax->parameters);
    return spec;
  }
  if (absl::StrContains(syntax->path, '*')) {
    absl::StatusOr<fs::ResolvedGlob> glob = fs::ResolveGlob("", body);
    if (!glob.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid spec '", text, "': ", glob.status().message()));
    }
    spec.kind = SpecKind::kFileGlob;
    spec.path = std::string(body);
    return spec;
  }
  absl::StatusOr<std::string> path = normalized(body);
  if (!path.ok()) return path.status();
  absl::string_view trimmed = body;
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.remove_suffix(1);
  bool has_suffix = !fs::Extension(trimmed).empty();
  // Extension-less files ("Dockerfile") are files only if they exist.
  bool is_file = has_suffix || (options.index != nullptr && options.index->HasFile(*path));
  spec.kind = is_file ? SpecKind::kFileLiteral : SpecKind::kDirLiteral;
  spec.path = *std::move(path);
  return spec;
}

absl::StatusOr<Specs> ParseSpecs(const std::vector<std::string>& args,
                                 const SpecParseOptions& options) {
  Specs out;
  for (const std::string& arg : args) {
    absl::StatusOr<Spec> spec = ParseSpec(arg, options);
    if (!spec.ok()) return spec.status();
    (spec->ignore ? out.ignores : out.includes).push_back(*std::move(spec));
  }
  return out;
}

std::vector<std::string> ReadSpecFile(absl::string_view contents) {
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(contents, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) out.emplace_back(line);
  }
  return out;
}

bool SpecMatchesResidenceDir(const Spec& spec, absl::string_view residence_dir) {
  switch (spec.kind) {
    case SpecKind::kDirLiteral:
    case SpecKind::kDirGlob:
      return residence_dir == spec.path;
    case SpecKind::kRecursiveGlob:
      return fs::IsUnderDir(residence_dir, spec.path);
    default:
      return false;
  }
}

bool SpecMatchesTargetGenerators(const Spec& spec) {
  return spec.kind == SpecKind::kDirGlob || spec.kind == SpecKind::kRecursiveGlob;
}

bool SpecMatchesFile(const Spec& spec, absl::string_view path) {
  if (spec.kind == SpecKind::kFileLiteral) return path == spec.path;
  if (spec.kind != SpecKind::kFileGlob) return false;
  absl::StatusOr<fs::ResolvedGlob> glob = fs::ResolveGlob("", spec.path);
  return glob.ok() && fs::GlobMatches(*glob, path);
}

absl::StatusOr<Address> SpecToAddress(const Spec& spec, const fs::FileIndex& index) {
  if (spec.kind != SpecKind::kAddressLiteral) {
    return absl::InternalError(absl::StrCat("spec '", spec.ToString(), "' is not an address"));
  }
  AddressInput in;
  in.original = spec.ToString();
  in.path_component = spec.path;
  in.target_component = spec.target_component;
  in.generated_component = spec.generated_component;
  in.parameters = spec.parameters;
  if (in.path_component.empty() && !in.target_component.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "address '", in.original,
        "' has no name part, but it's necessary because the path is the build root"));
  }
  return ResolveAddressInput(in, index);
}

std::vector<std::string> SpecMatchingFiles(const Spec& spec, const fs::FileIndex& index) {
  if (spec.kind == SpecKind::kFileLiteral) {
    if (index.HasFile(spec.path)) return {spec.path};
    return {};
  }
  if (spec.kind != SpecKind::kFileGlob) return {};
  absl::StatusOr<fs::PathGlobs> globs = fs::PathGlobs::Create("", {spec.path});
  if (!globs.ok()) return {};
  return globs->Expand(index);
}

}  // namespace braid
