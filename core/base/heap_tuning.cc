#include "core/base/heap_tuning.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace braid {
namespace {

constexpr size_t kMaxFromHeap = size_t{32} << 20;
constexpr uintptr_t kPage = 4096;

HeapTuning Tune(size_t reserve_bytes) {
  HeapTuning out;
#if defined(__GLIBC__)
  out.malloc_tuned = ::mallopt(M_MMAP_THRESHOLD, static_cast<int>(kMaxFromHeap)) == 1 &&
                     ::mallopt(M_TRIM_THRESHOLD, 1 << 30) == 1 &&
                     ::mallopt(M_TOP_PAD, static_cast<int>(reserve_bytes)) == 1;
  if (!out.malloc_tuned) return out;
  // Make the heap grow now: allocate blocks until the break moves (the first
  // growth adds M_TOP_PAD), then give them back to the top chunk, which is
  // never trimmed.
  uintptr_t before = reinterpret_cast<uintptr_t>(::sbrk(0));
  void* blocks[8] = {};
  int n = 0;
  while (n < 8 && reinterpret_cast<uintptr_t>(::sbrk(0)) == before) {
    blocks[n++] = std::malloc(size_t{1} << 20);
  }
  for (int i = n - 1; i >= 0; --i) std::free(blocks[i]);
  uintptr_t end = reinterpret_cast<uintptr_t>(::sbrk(0));
  uintptr_t start = before & ~(kPage - 1);
  if (end > start && ::madvise(reinterpret_cast<void*>(start), end - start, MADV_HUGEPAGE) == 0) {
    out.advised_bytes = end - start;
  }
#else
  (void)reserve_bytes;
#endif
  return out;
}

// glibc's layout (malloc/arena.c, malloc.c; unchanged for many years): a
// thread arena's heap is HEAP_MAX_SIZE-aligned, 64 MiB on 64-bit; a chunk's
// size word sits just before the block, with NON_MAIN_ARENA (4) and
// IS_MMAPPED (2) in its low bits.
constexpr uintptr_t kThreadHeapBytes = uintptr_t{64} << 20;
constexpr size_t kNonMainArena = 4;
constexpr size_t kIsMmapped = 2;

bool tuned = false;

}  // namespace

HeapTuning TuneHeapForShortRun(size_t reserve_bytes) {
  static const HeapTuning done = [&] {
    HeapTuning t = Tune(reserve_bytes);
    tuned = t.malloc_tuned;
    return t;
  }();
  return done;
}

size_t AdviseThreadHeap() {
#if defined(__GLIBC__) && UINTPTR_MAX == UINT64_MAX
  thread_local bool advised = false;
  if (advised || !tuned) return 0;
  advised = true;
  void* probe = std::malloc(2048);  // beyond the tcache: from this arena itself
  if (probe == nullptr) return 0;
  // Through an integer: the header is outside the block as far as C++ knows.
  uintptr_t at = reinterpret_cast<uintptr_t>(probe);
  size_t size_word;
  std::memcpy(&size_word, reinterpret_cast<const void*>(at - sizeof(size_t)), sizeof(size_t));
  std::free(probe);
  uintptr_t base = at & ~(kThreadHeapBytes - 1);
  if ((size_word & kNonMainArena) == 0 || (size_word & kIsMmapped) != 0) return 0;
  if (::madvise(reinterpret_cast<void*>(base), kThreadHeapBytes, MADV_HUGEPAGE) != 0) return 0;
  return kThreadHeapBytes;
#else
  return 0;
#endif
}

}  // namespace braid
