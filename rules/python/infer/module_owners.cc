#include "rules/python/infer/module_owners.h"

#include <algorithm>

#include "absl/strings/match.h"

namespace braid::python {

std::optional<std::string> ModuleForStrippedPath(absl::string_view stripped) {
  if (absl::EndsWith(stripped, ".py")) {
    stripped.remove_suffix(3);
  } else if (absl::EndsWith(stripped, ".pyi")) {
    stripped.remove_suffix(4);
  } else {
    return std::nullopt;
  }
  if (stripped == "__init__") return std::nullopt;  // a file at the source root itself
  if (absl::EndsWith(stripped, "/__init__")) stripped.remove_suffix(9);
  std::string module(stripped);
  std::replace(module.begin(), module.end(), '/', '.');
  return module;
}

void ModuleOwners::AddFirstParty(std::string module, uint32_t target, ProviderKind kind,
                                 std::string root) {
  Providers& v = first_party_[std::move(module)];
  ModuleProvider p{target, kind, false, std::move(root)};
  if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(std::move(p));
}

void ModuleOwners::AddThirdParty(std::string module, uint32_t target, ProviderKind kind,
                                 std::string resolve) {
  third_party_tops_.emplace(absl::string_view(module).substr(0, module.find('.')));
  Providers& v = third_party_[std::move(module)];
  ModuleProvider p{target, kind, true, std::move(resolve)};
  if (std::find(v.begin(), v.end(), p) == v.end()) v.push_back(std::move(p));
}

ModuleProviders ModuleOwners::Lookup(absl::string_view module) const {
  ModuleProviders out;
  // First party: the module, else its parent.
  auto it = first_party_.find(module);
  if (it == first_party_.end()) {
    size_t dot = module.rfind('.');
    if (dot != absl::string_view::npos) it = first_party_.find(module.substr(0, dot));
  }
  if (it != first_party_.end()) {
    for (const ModuleProvider& p : it->second) out.push_back(&p);
  }
  // Third party: the longest ancestor with providers.
  absl::string_view m = module;
  if (!third_party_tops_.contains(module.substr(0, module.find('.')))) m = {};
  while (!m.empty()) {
    auto tp = third_party_.find(m);
    if (tp != third_party_.end()) {
      for (const ModuleProvider& p : tp->second) out.push_back(&p);
      break;
    }
    size_t dot = m.rfind('.');
    if (dot == absl::string_view::npos) break;
    m = m.substr(0, dot);
  }
  if (out.size() > 1) {
    std::stable_sort(out.begin(), out.end(), [](const ModuleProvider* a, const ModuleProvider* b) {
      return a->target < b->target;
    });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const ModuleProvider* a, const ModuleProvider* b) {
                            return a->target == b->target;
                          }),
              out.end());
  }
  return out;
}

}  // namespace braid::python
