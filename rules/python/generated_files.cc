#include "rules/python/generated_files.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "core/fs/path.h"

namespace braid::python {

absl::StatusOr<std::vector<app::GeneratedFile>> MergeGeneratedFiles(
    const std::vector<TargetGeneratedFiles>& per_target) {
  // path -> (file, index of the target that generated it first)
  std::map<std::string, std::pair<app::GeneratedFile, size_t>> by_path;
  for (size_t i = 0; i < per_target.size(); ++i) {
    const TargetGeneratedFiles& t = per_target[i];
    for (const app::GeneratedFile& f : t.files) {
      absl::StatusOr<std::string> norm = fs::NormalizeRelativePath(f.path);
      if (!norm.ok() || norm->empty() || *norm != f.path) {
        return UserError(t.location,
                         absl::StrCat("a plugin generated the file '", f.path, "' for ",
                                      t.address, ": ",
                                      norm.ok() ? "the path is not normalised"
                                                : std::string(norm.status().message())),
                         "generated paths are relative to the build root, e.g. "
                         "src/app/_version.py");
      }
      auto [it, inserted] = by_path.emplace(f.path, std::make_pair(f, i));
      if (inserted) continue;
      const app::GeneratedFile& old = it->second.first;
      if (old.content == f.content && old.executable == f.executable) continue;
      return UserError(t.location,
                       absl::StrCat("the generated file '", f.path, "' differs between ",
                                    per_target[it->second.second].address, " and ", t.address));
    }
  }
  std::vector<app::GeneratedFile> out;
  out.reserve(by_path.size());
  for (auto& [path, entry] : by_path) out.push_back(std::move(entry.first));
  return out;
}

absl::StatusOr<std::vector<app::GeneratedFile>> GeneratedFilesOf(
    app::Workspace& workspace, const app::Extensions* extensions,
    const std::vector<const graph::Target*>& targets) {
  if (extensions == nullptr || extensions->file_generators.empty()) {
    return std::vector<app::GeneratedFile>{};
  }
  std::vector<TargetGeneratedFiles> per_target;
  for (const graph::Target* t : targets) {
    absl::StatusOr<std::vector<app::GeneratedFile>> files =
        extensions->GeneratedFilesFor(workspace, *t);
    if (!files.ok()) return files.status();
    if (files->empty()) continue;
    per_target.push_back({t->address.Spec(), t->location, *std::move(files)});
  }
  return MergeGeneratedFiles(per_target);
}

absl::Status AddGeneratedInputs(const std::vector<app::GeneratedFile>& files,
                                std::vector<exec::SandboxEntry>& inputs) {
  if (files.empty()) return absl::OkStatus();
  std::set<std::string> taken;
  for (const exec::SandboxEntry& e : inputs) taken.insert(e.path);
  for (const app::GeneratedFile& f : files) {
    if (taken.count(f.path) != 0) {
      return UserError(Location{f.path, 0, 0, ""},
                       "a plugin generated this file, but it is also a source file of the "
                       "sandbox; a generated file cannot replace a source");
    }
    inputs.push_back({f.path, exec::FileBytes{f.content}, f.executable});
  }
  return absl::OkStatus();
}

}  // namespace braid::python
