// Module -> owning targets, for first-party files and third-party
// requirements, with Pants' lookup rules.
//
//   first-party  a file's path minus its source root, without `.py`/`.pyi`,
//                '/' -> '.'; `pkg/__init__.py` is `pkg`. A lookup of `a.b.C`
//                tries `a.b.C`, then its parent `a.b` (so `from a.b import C`
//                finds a/b.py whether C is a module or a class).
//   third-party  the modules a python_requirement provides; a lookup tries
//                `a.b.c`, `a.b`, `a` and stops at the first that has any
//                provider (so `import google.protobuf.message` finds protobuf).
// A lookup returns the first-party and third-party providers together; the
// caller decides about ambiguity (more than one implementation or more than
// one stub provider).
//
// Usage:
//   ModuleOwners owners;
//   owners.AddFirstParty("acme.cli.main", /*target=*/12, ProviderKind::kImpl, "src");
//   owners.AddThirdParty("yaml", 3, ProviderKind::kImpl, "python-default");
//   ModuleProviders p = owners.Lookup("acme.cli.main.run");  // target 12
#ifndef BRAID_RULES_PYTHON_INFER_MODULE_OWNERS_H_
#define BRAID_RULES_PYTHON_INFER_MODULE_OWNERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"

namespace braid::python {

enum class ProviderKind : uint8_t { kImpl, kStub };

/// One target providing a module.
struct ModuleProvider {
  uint32_t target = 0;  // position in TargetGraph::targets()
  ProviderKind kind = ProviderKind::kImpl;
  bool third_party = false;
  /// First-party: the file's source root ("." for the build root).
  /// Third-party: the requirement's resolve.
  std::string scope;
  friend bool operator==(const ModuleProvider&, const ModuleProvider&) = default;
};

/// The module of root-stripped path `stripped` ("pkg/mod.py" -> "pkg.mod",
/// "pkg/__init__.pyi" -> "pkg"); nullopt unless it ends in .py or .pyi.
std::optional<std::string> ModuleForStrippedPath(absl::string_view stripped);

/// What Lookup returns: nearly always 0 or 1 provider, kept inline.
using ModuleProviders = absl::InlinedVector<const ModuleProvider*, 4>;

class ModuleOwners {
 public:
  /// Room for `first_party` modules (AddFirstParty then never rehashes).
  void ReserveFirstParty(size_t first_party) { first_party_.reserve(first_party); }
  void AddFirstParty(std::string module, uint32_t target, ProviderKind kind, std::string root);
  void AddThirdParty(std::string module, uint32_t target, ProviderKind kind, std::string resolve);

  /// Providers of absolute module `module` by the rules at the top, sorted by
  /// target position (so in address order), without duplicate targets. The
  /// pointers stay valid until the next Add.
  ModuleProviders Lookup(absl::string_view module) const;

  size_t first_party_size() const { return first_party_.size(); }

 private:
  // Nearly every module has one provider: kept inline, no allocation.
  using Providers = absl::InlinedVector<ModuleProvider, 1>;
  absl::flat_hash_map<std::string, Providers> first_party_;
  absl::flat_hash_map<std::string, Providers> third_party_;
  // The first component of every key of third_party_: a lookup whose first
  // component is not here has no third-party ancestor (one probe, not one
  // per component).
  absl::flat_hash_set<std::string> third_party_tops_;
};

}  // namespace braid::python

#endif  // BRAID_RULES_PYTHON_INFER_MODULE_OWNERS_H_
