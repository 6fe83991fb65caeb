// pvpanic on MMIO, as Linux's pvpanic-mmio driver uses it (drivers/misc/pvpanic): it reads the
// supported events at offset 0, then writes PANICKED (1) from its panic notifier.
#include "polyvm/device/pvpanic.h"

#include <gtest/gtest.h>

namespace polyvm::device {
namespace {

TEST(PvPanic, ReadsTheSupportedEvents) {
  PvPanic p;
  EXPECT_EQ(p.Read(0, 1), 3u);  // PANICKED | CRASH_LOADED
  EXPECT_EQ(p.Read(1, 1), 0u);
  EXPECT_EQ(p.events(), 0u);
}

TEST(PvPanic, KeepsTheReportedEventsUntilReset) {
  PvPanic p;
  p.Write(0, 1, PvPanic::kCrashLoaded);
  EXPECT_EQ(p.events(), PvPanic::kCrashLoaded);
  p.Write(0, 1, PvPanic::kPanicked);
  EXPECT_EQ(p.events(), PvPanic::kPanicked | PvPanic::kCrashLoaded);
  p.Reset();
  EXPECT_EQ(p.events(), 0u);
}

TEST(PvPanic, IgnoresUnsupportedBitsAndOtherOffsets) {
  PvPanic p;
  p.Write(0, 1, 0xfc);
  p.Write(4, 1, PvPanic::kPanicked);
  EXPECT_EQ(p.events(), 0u);
  p.Write(0, 4, 0xffffff01);
  EXPECT_EQ(p.events(), PvPanic::kPanicked);
}

}  // namespace
}  // namespace polyvm::device
