// Tuning glibc's malloc for a short-lived process that builds a large graph.
//
//   int main(...) {
//     braid::TuneHeapForShortRun();  // first thing, before any thread starts
//
// A warm `dependencies ::` on a 10,000-file repository allocates ~55 MB in
// hundreds of thousands of small blocks and exits ~0.1 s later. With glibc's
// defaults that memory is first touched 4 KiB at a time (~13,700 page
// faults, each clearing one page), and the large blocks are mmap'd and
// unmapped one by one. glibc's own fix (GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
// is only read at start-up, so setting it would need a re-exec; this does the
// same for the main thread's heap (the main arena, which the graph and most
// other data live in) by hand:
//   - the heap grows by `reserve_bytes` at once (M_TOP_PAD) and is never
//     trimmed (M_TRIM_THRESHOLD): the process is short-lived;
//   - blocks up to 32 MiB come from the heap instead of their own mmap;
//   - the heap is grown now and madvise(MADV_HUGEPAGE)'d, so with transparent
//     huge pages in "madvise" (or "always") mode it is faulted in 2 MiB at a
//     time. Growth beyond the reserve still works, with normal pages.
// Memory is only reserved, not used: resident size grows as pages are touched
// (in 2 MiB steps where huge pages are granted).
//
// Other threads allocate from arenas of their own; a thread that allocates a
// lot calls AdviseThreadHeap to get the same. (M_ARENA_MAX=1, every thread in
// the main heap, was tried: with two threads really running at once they
// contend for the arena's lock and the batch inference took twice as long.)
//
// Caveat: a forked child that writes to the heap before exec copies 2 MiB
// pages instead of 4 KiB ones (braid spawns with posix_spawn, which shares
// the memory instead).
#ifndef BRAID_CORE_BASE_HEAP_TUNING_H_
#define BRAID_CORE_BASE_HEAP_TUNING_H_

#include <cstddef>

namespace braid {

/// What TuneHeapForShortRun did (for tests and -ldebug).
struct HeapTuning {
  /// The glibc mallopt calls succeeded.
  bool malloc_tuned = false;
  /// Bytes of heap advised for huge pages (0: madvise failed or unsupported).
  size_t advised_bytes = 0;
};

/// Applies the settings above. Call once, before starting threads; later
/// calls do nothing and return the first call's result. Never fails: on a
/// libc without these knobs it leaves malloc as it was.
HeapTuning TuneHeapForShortRun(size_t reserve_bytes = size_t{96} << 20);

/// For a thread that allocates a lot (a batch worker): advises the heap of
/// the calling thread's malloc arena for huge pages too, once per thread.
/// Only after TuneHeapForShortRun (which makes glibc map a thread arena's
/// whole 64 MiB heap at once); does nothing otherwise, in the main arena, or
/// when the block's header does not look like glibc's. Returns the bytes
/// advised by this call.
size_t AdviseThreadHeap();

}  // namespace braid

#endif  // BRAID_CORE_BASE_HEAP_TUNING_H_
