// The [GLOBAL] options that place and size the store, and how they resolve.
//
// Usage (main, after RegisterGlobalOptions):
//   RETURN_IF_ERROR(RegisterStoreOptions(registry));
//   ... ParseOptions ...
//   absl::StatusOr<StoreSettings> s = StoreSettingsFromOptions(opts, env, buildroot);
//   absl::StatusOr<std::unique_ptr<Store>> store = Store::Open(s->dir);
//
// [GLOBAL] local_store_dir is registered by core/options/global_options.cc
// (with Pants' spelling of its default). braid does not share Pants' LMDB
// store, so while the option is at its default the store lives in braid's own
// cache directory (DefaultStoreDir: $XDG_CACHE_HOME/braid or ~/.cache/braid);
// a value set in pants.toml, the environment or a flag is used as given ("~"
// and "%(buildroot)s" expanded, relative paths under the build root). The
// layout lives in a v1/ subdirectory, so pointing it at a directory Pants
// also uses does not mix the two.
//
// [GLOBAL] local_store_max_size is braid's own (Pants splits its cap into
// local_store_{files,directories,processes}_max_size_bytes): the size cap in
// bytes for everything in the store, enforced by LRU GC (store.h).
#ifndef BRAID_CORE_STORE_STORE_OPTIONS_H_
#define BRAID_CORE_STORE_STORE_OPTIONS_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "core/options/option_registry.h"
#include "core/options/options.h"

namespace braid::store {

/// 16 GB, Pants' default for its largest store (local_store_files_max_size_bytes).
inline constexpr int64_t kDefaultLocalStoreMaxSize = 16'000'000'000;

/// Registers [GLOBAL] local_store_max_size (GLOBAL must already exist).
absl::Status RegisterStoreOptions(options::OptionRegistry& registry);

struct StoreSettings {
  std::string dir;        // absolute
  int64_t max_bytes = 0;  // > 0
};

/// Resolves the store directory and cap (see the header comment).
/// kInvalidArgument (naming where the value came from) for a cap <= 0.
absl::StatusOr<StoreSettings> StoreSettingsFromOptions(
    const options::Options& options, const std::map<std::string, std::string>& env,
    absl::string_view buildroot);

}  // namespace braid::store

#endif  // BRAID_CORE_STORE_STORE_OPTIONS_H_
