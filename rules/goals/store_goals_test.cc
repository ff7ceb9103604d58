#include "rules/goals/store_goals.h"

#include "gtest/gtest.h"

namespace braid::rules {
namespace {

TEST(FormatGcReport, SaysWhatWasRemoved) {
  store::GcStats s;
  s.ran = true;
  s.bytes_before = 5000;
  s.bytes_after = 1200;
  s.entries_removed = 3;
  s.temp_files_removed = 1;
  EXPECT_EQ(FormatGcReport("/c/braid/v1", 2000, s),
            "Pruned the local store /c/braid/v1 to 2000 bytes: removed 3 entries (3800 bytes) "
            "and 1 stale temporary file; 5000 -> 1200 bytes.");
  s.entries_removed = 1;
  s.temp_files_removed = 0;
  EXPECT_EQ(FormatGcReport("/c/braid/v1", 2000, s),
            "Pruned the local store /c/braid/v1 to 2000 bytes: removed 1 entry (3800 bytes) "
            "and 0 stale temporary files; 5000 -> 1200 bytes.");
}

TEST(FormatGcReport, UnderTheTargetAndLockedStores) {
  store::GcStats s;
  s.ran = true;
  s.bytes_before = s.bytes_after = 900;
  EXPECT_EQ(FormatGcReport("/c/braid/v1", 2000, s),
            "The local store /c/braid/v1 holds 900 bytes, within the target of 2000 bytes: "
            "nothing to remove (0 stale temporary files removed).");
  store::GcStats locked;
  EXPECT_EQ(FormatGcReport("/c/braid/v1", 2000, locked),
            "Another braid process is pruning the local store /c/braid/v1; nothing done.");
}

}  // namespace
}  // namespace braid::rules
