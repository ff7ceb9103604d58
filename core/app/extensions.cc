#include "core/app/extensions.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "core/base/error.h"

namespace braid::app {

std::string PackageMetadata::Get(const std::string& name) const {
  for (const auto& [k, v] : fields) {
    if (k == name) return v;
  }
  return "";
}

std::vector<std::string> PackageMetadata::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields) {
    if (k == name) out.push_back(v);
  }
  return out;
}

void PackageMetadata::Set(const std::string& name, std::string value) {
  auto first = std::find_if(fields.begin(), fields.end(),
                            [&](const auto& f) { return f.first == name; });
  if (first == fields.end()) {
    fields.emplace_back(name, std::move(value));
    return;
  }
  first->second = std::move(value);
  // Drop the other values of the same name after the first.
  auto rest = std::remove_if(first + 1, fields.end(),
                             [&](const auto& f) { return f.first == name; });
  fields.erase(rest, fields.end());
}

void PackageMetadata::Add(std::string name, std::string value) {
  fields.emplace_back(std::move(name), std::move(value));
}

void PackageMetadata::Remove(const std::string& name) {
  fields.erase(std::remove_if(fields.begin(), fields.end(),
                              [&](const auto& f) { return f.first == name; }),
               fields.end());
}

absl::StatusOr<std::vector<GeneratedFile>> Extensions::GeneratedFilesFor(
    Workspace& workspace, const graph::Target& target) const {
  std::vector<GeneratedFile> out;
  for (const FileGenerator& gen : file_generators) {
    absl::StatusOr<std::vector<GeneratedFile>> files = gen(workspace, target);
    if (!files.ok()) return files.status();
    for (GeneratedFile& f : *files) out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const GeneratedFile& a, const GeneratedFile& b) { return a.path < b.path; });
  for (size_t i = 1; i < out.size(); ++i) {
    if (out[i].path == out[i - 1].path) {
      return UserError(target.location,
                       absl::StrCat("two rules generate the file '", out[i].path, "' for ",
                                    target.address.Spec()));
    }
  }
  return out;
}

absl::Status Extensions::ApplyMetadataHooks(Workspace& workspace,
                                            const graph::Target& distribution,
                                            const std::vector<const graph::Target*>& closure,
                                            PackageMetadata& metadata) const {
  for (const MetadataHook& hook : metadata_hooks) {
    absl::Status s = hook(workspace, distribution, closure, metadata);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::StatusOr<ClosurePlatform> Extensions::PlatformOf(
    Workspace& workspace, const std::vector<const graph::Target*>& closure) const {
  ClosurePlatform platform;
  for (const PlatformHook& hook : platform_hooks) {
    absl::StatusOr<ClosurePlatform> p = hook(workspace, closure);
    if (!p.ok()) return p.status();
    if (p->name.empty()) continue;
    if (!platform.name.empty() && !(platform == *p)) {
      return UserError(Location{}, absl::StrCat("the closure is specific to two platforms: '",
                                                platform.name, "' and '", p->name, "'"));
    }
    platform = *p;
  }
  return platform;
}

}  // namespace braid::app
