// RunStats: what one scheduler run did, for `--stats-log` / `--stats` and the summary.
#ifndef BRAID_CORE_ENGINE_RUN_STATS_H_
#define BRAID_CORE_ENGINE_RUN_STATS_H_

#include <cstdint>

#include "absl/time/time.h"

namespace braid::engine {

/// Counters of one run. Invariants: cache_hits + cache_misses = cache lookups (none when the run
/// has no store, is forced, or the action is not cacheable); every process action that reached a
/// result is exactly one of processes_run, cache_hits or memoized.
struct RunStats {
  int64_t cache_hits = 0;
  int64_t cache_misses = 0;
  /// Actions answered by an identical action earlier in the same run.
  int64_t memoized = 0;
  /// Processes started (including failed and interrupted ones, and every retry).
  int64_t processes_run = 0;
  /// Processes started again because an earlier attempt failed (ActionRequest::attempts).
  int64_t retries = 0;
  /// Sum of the processes' wall times (what parallelism overlapped).
  absl::Duration process_time;
  /// Sum of the ORIGINAL durations of cache hits: the time the cache saved.
  absl::Duration time_saved;
  /// From Start() to the last node's end.
  absl::Duration wall_time;
};

}  // namespace braid::engine

#endif  // BRAID_CORE_ENGINE_RUN_STATS_H_
