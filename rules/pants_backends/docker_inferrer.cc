#include "rules/pants_backends/docker_inferrer.h"

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "core/fs/path.h"
#include "core/graph/output_path.h"
#include "rules/pants_backends/dockerfile.h"

namespace braid::pants_backends {
namespace {

// The target types with a `package` implementation in Pants (its
// PackageFieldSets) that braid knows the schema of.
constexpr absl::string_view kPackageable[] = {
    "archive",          "deploy_jar",          "docker_image",
    "helm_chart",       "pex_binary",          "pyoxidizer_binary",
    "python_aws_lambda_function", "python_aws_lambda_layer", "python_awslambda",
    "python_distribution", "python_google_cloud_function",
};

// PurePath(path).suffix without its dot, or "" (none): the final component's
// text from its last '.', unless that dot starts or ends the name.
std::string FileEnding(absl::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  size_t slash = path.rfind('/');
  absl::string_view name = slash == absl::string_view::npos ? path : path.substr(slash + 1);
  if (name == "." || name == "..") return "";
  size_t dot = name.rfind('.');
  if (dot == absl::string_view::npos || dot == 0 || dot + 1 == name.size()) return "";
  return std::string(name.substr(dot + 1));
}

// Pants' `target.get(OutputPathField).value_or_default(file_ending)` for a
// packageable target; nullopt when the template does not expand.
std::optional<std::string> OutputPathOf(const graph::Target& target, absl::string_view ending) {
  std::string value = target.StringField("output_path");
  if (target.alias() == "helm_chart") {
    // Its field names the chart's directory (HelmChartOutputPathField).
    if (!value.empty()) return value;
    return absl::StrReplaceAll(target.address.spec_path(), {{"/", "."}});
  }
  // python_distribution's `output_path` is a directory, another field than
  // OutputPathField: Pants reads the default for it.
  if (value.empty() || target.alias() == "python_distribution") {
    value = graph::kDefaultOutputPathTemplate;
  }
  absl::StatusOr<std::string> out = graph::ExpandOutputPath(
      target.address, value, ending.empty() ? "" : absl::StrCat(".", ending));
  if (!out.ok()) return std::nullopt;
  return *std::move(out);
}

// An address-like value with where it was read.
struct Putative {
  Address address;
  const DockerfileRef* ref;  // what and where (outlives the Putative)
};

}  // namespace

bool IsPackageableType(absl::string_view alias) {
  return std::find(std::begin(kPackageable), std::end(kPackageable), alias) !=
         std::end(kPackageable);
}

DockerInferrer::DockerInferrer(const graph::TargetGraph& graph, const fs::FileIndex& index,
                               const fs::FileSystem& fs)
    : graph_(graph), index_(index), fs_(fs) {}

absl::StatusOr<std::vector<graph::Dependency>> DockerInferrer::Infer(const graph::Target& target) {
  std::vector<graph::Dependency> out;
  if (target.alias() != "docker_image") return out;

  // The Dockerfile's text, and where its lines are reported.
  std::string text, file;
  int line_offset = 0;
  bool lines_are_file = true;
  std::vector<std::string> instructions = target.StringListField("instructions");
  if (!instructions.empty()) {
    text = absl::StrJoin(instructions, "\n");
    const Location& where = target.FieldLocation("instructions");
    file = where.file;
    line_offset = where.line;
    lines_are_file = false;
  } else {
    std::string source = target.StringField("source");
    if (source.empty()) return out;
    file = fs::JoinPath(target.address.spec_path(), source);
    absl::StatusOr<std::string> read = fs_.ReadFile(file);
    if (!read.ok()) return out;  // missing: Pants reports it when building the image
    text = *std::move(read);
  }
  std::vector<absl::string_view> physical = absl::StrSplit(text, '\n');
  auto origin = [&](int line) {
    if (!lines_are_file) return Location{file, line_offset, 0, ""};
    std::string source_line;
    if (line >= 1 && static_cast<size_t>(line) <= physical.size()) {
      source_line = std::string(absl::StripSuffix(physical[line - 1], "\r"));
    }
    return Location{file, line, 0, std::move(source_line)};
  };
  auto add = [&](const Address& address, const char* rule, const DockerfileRef& ref) {
    graph::Dependency d;
    d.address = address;
    d.rule = rule;
    d.origin = origin(ref.line);
    d.module = ref.value;
    out.push_back(std::move(d));
  };

  const DockerfileInfo info = AnalyzeDockerfile(ParseDockerfile(text));

  // FROM build args, overridden by the target's `extra_build_args`.
  std::map<std::string, std::optional<std::string>, std::less<>> overrides;
  for (const std::string& entry : target.StringListField("extra_build_args")) {
    size_t eq = entry.find('=');
    overrides[entry.substr(0, eq)] =
        eq == std::string::npos ? std::nullopt : std::optional(entry.substr(eq + 1));
  }
  std::vector<DockerfileRef> image_refs, copy_refs;
  std::set<std::string, std::less<>> seen;  // Pants keys them by name: the first FROM's line
  for (const DockerBuildArgUse& use : info.from_image_build_args) {
    std::optional<std::string> value = use.value;
    auto o = overrides.find(use.name);
    if (o != overrides.end()) value = o->second;
    if (seen.insert(use.name).second) {
      image_refs.push_back({value.value_or(""), use.line});
    }
  }
  image_refs.erase(std::remove_if(image_refs.begin(), image_refs.end(),
                                  [](const DockerfileRef& r) { return r.value.empty(); }),
                   image_refs.end());
  for (const DockerBuildArgUse& use : info.copy_build_args) {
    copy_refs.push_back({use.value, use.line});
  }

  auto parse = [&](const std::vector<DockerfileRef>& refs) {
    std::vector<Putative> addresses;
    for (const DockerfileRef& ref : refs) {
      absl::StatusOr<AddressInput> input =
          ParseAddressInput(ref.value, target.address.spec_path());
      if (!input.ok()) continue;  // not an address: skipped, as in Pants
      absl::StatusOr<Address> address = ResolveAddressInput(*input, index_);
      if (address.ok()) addresses.push_back({*std::move(address), &ref});
    }
    return addresses;
  };
  const std::vector<Putative> images = parse(image_refs);
  const std::vector<Putative> copied = parse(copy_refs);
  auto find = [](const std::vector<Putative>& in, const Address& a) -> const DockerfileRef* {
    for (const Putative& p : in) {
      if (p.address == a) return p.ref;
    }
    return nullptr;
  };

  // The paths a packaged target may be copied from, and their endings.
  std::vector<DockerfileRef> maybe_outputs = info.copy_source_paths;
  for (const DockerfileRef& ref : copy_refs) maybe_outputs.push_back(ref);
  std::vector<std::string> endings;
  for (const DockerfileRef& ref : maybe_outputs) endings.push_back(FileEnding(ref.value));
  std::sort(endings.begin(), endings.end());
  endings.erase(std::unique(endings.begin(), endings.end()), endings.end());

  if (!packageable_) {
    packageable_.emplace();
    for (const graph::Target& t : graph_.targets()) {
      if (!t.is_generator() && IsPackageableType(t.alias())) packageable_->push_back(&t);
    }
  }
  if (!maybe_outputs.empty() || !images.empty()) {
    for (const graph::Target* t : *packageable_) {
      if (const DockerfileRef* ref = find(images, t->address)) {
        add(t->address, kRuleDockerfile, *ref);
        continue;
      }
      const DockerfileRef* copied_as = nullptr;
      for (const std::string& ending : endings) {
        std::optional<std::string> path = OutputPathOf(*t, ending);
        if (!path) continue;
        for (const DockerfileRef& ref : maybe_outputs) {
          if (ref.value == *path) {
            copied_as = &ref;
            break;
          }
        }
        if (copied_as != nullptr) break;
      }
      if (copied_as != nullptr) add(t->address, kRuleDockerfile, *copied_as);
      if (const DockerfileRef* ref = find(copied, t->address)) {
        add(t->address, kRuleDockerfile, *ref);
      }
    }
  }

  // COPY sources that are files of the workspace: their owners.
  for (const DockerfileRef& ref : maybe_outputs) {
    absl::StatusOr<std::string> path = fs::NormalizeRelativePath(ref.value);
    if (!path.ok() || path->empty() || !index_.HasFile(*path)) continue;
    for (const graph::Target* owner : graph_.OwnersOf(*path)) {
      add(owner->address, kRuleDockerfileFile, ref);
    }
  }
  return out;
}

}  // namespace braid::pants_backends
