#include "core/base/parallel.h"

#include <atomic>
#include <set>
#include <thread>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"

namespace braid {
namespace {

TEST(ParallelForTest, CallsEveryIndexExactlyOnce) {
  for (size_t n : {size_t{0}, size_t{1}, size_t{63}, size_t{64}, size_t{1000}}) {
    std::vector<std::atomic<int>> calls(n);
    ParallelFor(n, 4, [&](size_t i) { calls[i].fetch_add(1); });
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(calls[i].load(), 1) << "n=" << n << " i=" << i;
  }
}

TEST(ParallelForTest, SmallInputsRunOnTheCallingThread) {
  std::thread::id caller = std::this_thread::get_id();
  std::set<std::thread::id> seen;
  ParallelFor(kParallelForMinItems - 1, 8, [&](size_t) { seen.insert(std::this_thread::get_id()); });
  EXPECT_EQ(seen, std::set<std::thread::id>{caller});
}

TEST(ParallelForTest, UsesAtMostParallelismThreads) {
  absl::Mutex mu;
  std::set<std::thread::id> seen;
  ParallelFor(10000, 2, [&](size_t) {
    absl::MutexLock lock(&mu);
    seen.insert(std::this_thread::get_id());
  });
  EXPECT_GE(seen.size(), 1u);
  EXPECT_LE(seen.size(), 2u);
}

TEST(ParallelForTest, CoarseGrainSharesOutAFewLargeItems) {
  // Two items that each wait for the other to start: they can only finish
  // if they run on two threads at once (the default grain would run two
  // items inline on the caller).
  std::atomic<int> started{0};
  std::vector<std::atomic<int>> calls(2);
  ParallelFor(2, 2, [&](size_t i) {
    calls[i].fetch_add(1);
    started.fetch_add(1);
    while (started.load() < 2) std::this_thread::yield();
  }, ParallelGrain{1, 1});
  EXPECT_EQ(calls[0].load(), 1);
  EXPECT_EQ(calls[1].load(), 1);
  // Below min_items it stays on the calling thread.
  std::thread::id caller = std::this_thread::get_id();
  std::set<std::thread::id> seen;
  ParallelFor(3, 8, [&](size_t) { seen.insert(std::this_thread::get_id()); }, ParallelGrain{4, 1});
  EXPECT_EQ(seen, std::set<std::thread::id>{caller});
}

TEST(ParallelForTest, ParallelismOneIsSerialInOrder) {
  std::vector<size_t> order;
  ParallelFor(500, 1, [&](size_t i) { order.push_back(i); });
  ASSERT_EQ(order.size(), 500u);
  for (size_t i = 0; i < order.size(); ++i) EXPECT_EQ(order[i], i);
}

TEST(DefaultParallelismTest, IsAtLeastOneAndAtMostTheCores) {
  int p = DefaultParallelism();
  EXPECT_GE(p, 1);
  EXPECT_LE(p, std::max(1, static_cast<int>(std::thread::hardware_concurrency())));
}

}  // namespace
}  // namespace braid
