#include "core/base/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace braid {

void ParallelFor(size_t n, int parallelism, const std::function<void(size_t)>& fn,
                 ParallelGrain grain) {
  const size_t min_items = std::max<size_t>(1, grain.min_items);
  const size_t chunk = std::max<size_t>(1, grain.chunk);
  size_t threads = parallelism < 1 ? 1 : static_cast<size_t>(parallelism);
  threads = std::min(threads, (n + min_items - 1) / min_items);
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto work = [&] {
    // Small chunks keep the tail short; a chunk amortises the atomic.
    for (;;) {
      size_t begin = next.fetch_add(chunk, std::memory_order_relaxed);
      if (begin >= n) return;
      size_t end = std::min(n, begin + chunk);
      for (size_t i = begin; i < end; ++i) fn(i);
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (std::thread& t : pool) t.join();
}

int DefaultParallelism() {
  int cores = static_cast<int>(std::thread::hardware_concurrency());
  if (cores < 1) cores = 1;
  return std::min(cores, std::max(2, cores / 2));
}

}  // namespace braid
