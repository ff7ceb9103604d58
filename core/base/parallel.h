// Data parallelism for CPU- and syscall-bound loops (scanning files,
// inferring dependencies): a plain fork/join over an index range.
//
//   ParallelFor(paths.size(), 2, [&](size_t i) { results[i] = Probe(paths[i]); });
//
// Workers take indices from a shared counter, so uneven items balance out;
// the calling thread works too. `fn` must be safe to call concurrently for
// distinct indices; results go into per-index slots, which keeps the output
// independent of scheduling (callers then merge in index order).
#ifndef BRAID_CORE_BASE_PARALLEL_H_
#define BRAID_CORE_BASE_PARALLEL_H_

#include <cstddef>
#include <functional>

namespace braid {

/// Below this many items ParallelFor runs inline: starting a thread costs
/// more than the work.
inline constexpr size_t kParallelForMinItems = 64;

/// How ParallelFor shares out the items: with fewer than `min_items` items
/// per thread it uses fewer threads (inline below `min_items`), and a worker
/// takes `chunk` consecutive indices at a time. The default suits many small
/// items; a few large ones (whole directory trees) want {1, 1}.
struct ParallelGrain {
  size_t min_items = kParallelForMinItems;  // >= 1
  size_t chunk = 16;                        // >= 1
};

/// Calls fn(i) for every i in [0, n), on up to `parallelism` threads
/// (including the caller). Returns when all calls have returned.
void ParallelFor(size_t n, int parallelism, const std::function<void(size_t)>& fn,
                 ParallelGrain grain = {});

/// The default number of threads for such loops: Pants' `rule_threads_core`
/// default, max(2, cores / 2), capped at the number of cores.
int DefaultParallelism();

}  // namespace braid

#endif  // BRAID_CORE_BASE_PARALLEL_H_
