// Own test binary: TuneHeapForShortRun changes the whole process's malloc.
#include "core/base/heap_tuning.h"

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>

#include "gtest/gtest.h"

namespace braid {
namespace {

// The /proc/self/smaps block of the mapping that contains `addr`.
std::string SmapsEntryOf(const void* addr) {
  std::ifstream in("/proc/self/smaps");
  std::string line, block;
  bool inside = false;
  uintptr_t a = reinterpret_cast<uintptr_t>(addr);
  while (std::getline(in, line)) {
    uintptr_t lo = 0, hi = 0;
    char dash = 0;
    std::istringstream head(line);
    if (head >> std::hex >> lo >> dash >> hi && dash == '-' && line.find(':') > line.find(' ')) {
      if (inside) break;
      inside = a >= lo && a < hi;
    }
    if (inside) block += line + "\n";
  }
  return block;
}

bool TransparentHugePagesOff() {
  std::ifstream in("/sys/kernel/mm/transparent_hugepage/enabled");
  std::string mode((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return mode.empty() || mode.find("[never]") != std::string::npos;
}

constexpr size_t kReserve = size_t{64} << 20;

TEST(HeapTuning, ReservesAndAdvisesTheHeapOnce) {
  uintptr_t brk_before = reinterpret_cast<uintptr_t>(::sbrk(0));
  HeapTuning t = TuneHeapForShortRun(kReserve);
  ASSERT_TRUE(t.malloc_tuned);
  EXPECT_GE(t.advised_bytes, kReserve);
  EXPECT_GE(reinterpret_cast<uintptr_t>(::sbrk(0)), brk_before + kReserve);
  // Later calls change nothing and report the first result.
  uintptr_t brk_after = reinterpret_cast<uintptr_t>(::sbrk(0));
  HeapTuning again = TuneHeapForShortRun(kReserve * 2);
  EXPECT_EQ(again.advised_bytes, t.advised_bytes);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(::sbrk(0)), brk_after);
}

TEST(HeapTuning, LargeBlocksComeFromTheAdvisedHeap) {
  HeapTuning t = TuneHeapForShortRun(kReserve);
  ASSERT_GT(t.advised_bytes, 0u);
  // 4 MiB would be mmap'd on its own with glibc's default threshold. The
  // block may start below the advised part (in the heap's first pages).
  constexpr size_t kBig = size_t{4} << 20;
  std::unique_ptr<char[]> big(new char[kBig]);
  const char* big_end = big.get() + kBig - 1;
  EXPECT_NE(SmapsEntryOf(big.get()).find("[heap]"), std::string::npos);
  std::string smaps = SmapsEntryOf(big_end);
  EXPECT_NE(smaps.find("[heap]"), std::string::npos) << smaps;
  if (TransparentHugePagesOff()) GTEST_SKIP() << "transparent huge pages are off";
  size_t at = smaps.find("THPeligible:");
  ASSERT_NE(at, std::string::npos) << smaps;
  size_t value = smaps.find_first_not_of(' ', at + std::string("THPeligible:").size());
  EXPECT_EQ(smaps.substr(value, 1), "1") << smaps;  // VmFlags then shows "hg"
}

TEST(HeapTuning, AThreadCanAdviseItsOwnArena) {
  ASSERT_TRUE(TuneHeapForShortRun(kReserve).malloc_tuned);
  EXPECT_EQ(AdviseThreadHeap(), 0u);  // the main thread's heap is done already
  size_t advised = 0, again = 0;
  std::string smaps;
  std::thread([&] {
    advised = AdviseThreadHeap();
    again = AdviseThreadHeap();
    std::unique_ptr<char[]> block(new char[100000]);
    smaps = SmapsEntryOf(block.get());
  }).join();
  EXPECT_EQ(advised, size_t{64} << 20);
  EXPECT_EQ(again, 0u);  // once per thread
  EXPECT_EQ(smaps.find("[heap]"), std::string::npos) << smaps;  // its own arena
  if (TransparentHugePagesOff()) GTEST_SKIP() << "transparent huge pages are off";
  size_t at = smaps.find("THPeligible:");
  ASSERT_NE(at, std::string::npos) << smaps;
  size_t value = smaps.find_first_not_of(' ', at + std::string("THPeligible:").size());
  EXPECT_EQ(smaps.substr(value, 1), "1") << smaps;
}

}  // namespace
}  // namespace braid
