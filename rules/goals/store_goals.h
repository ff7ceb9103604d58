// `braid gc`: prune the local store on demand (a braid extension; Pants has no such goal).
//
//   $ braid gc --gc-target-size=1000000000
//   Pruned the local store /home/me/.cache/braid/v1 to 1000000000 bytes: removed 1542
//   entries (2381920311 bytes) and 2 stale temporary files; 3381920311 -> 999988102 bytes.
//
// What it does: Store::Gc (core/store/store.h) with the cap and the target both set to the
// target size — `[gc] target_size` when given, else `[GLOBAL] local_store_max_size` — so the
// least recently used entries (blobs and action results, by mtime) go until the store holds at
// most that many bytes, and temp files left by crashed writers (older than an hour) go too.
// `--gc-target-size=0` empties the store. A store already under the target is untouched
// ("nothing to remove"). When another braid process is collecting at the same moment
// (gc.lock), this one does nothing and says so; the exit code is 0 either way.
//
// Automatic pruning is separate: after every `braid test`, Store::MaybeGc prunes to 80% of
// local_store_max_size when the store is over it, at most once an hour.
#ifndef BRAID_RULES_GOALS_STORE_GOALS_H_
#define BRAID_RULES_GOALS_STORE_GOALS_H_

#include <string>

#include "absl/status/status.h"
#include "core/app/app.h"
#include "core/store/store.h"

namespace braid::rules {

/// Registers the `gc` goal and its `[gc] target_size` option.
absl::Status RegisterStoreGoals(app::Registries& registries);

/// The report line of one collection in `store_root` down to `target_bytes` (see the header
/// comment; one line, no trailing newline).
std::string FormatGcReport(const std::string& store_root, int64_t target_bytes,
                           const store::GcStats& stats);

}  // namespace braid::rules

#endif  // BRAID_RULES_GOALS_STORE_GOALS_H_
