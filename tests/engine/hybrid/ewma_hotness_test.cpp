// The EWMA policy driven with synthetic counts and clock values. Expected values are worked out by
// hand from the formula of docs/engines.md ("The hybrid engine"):
//   closing period k:  ewma = alpha * count_k + (1 - alpha) * ewma
//   estimate now:      alpha * count_open + (1 - alpha) * ewma;  hot when estimate >= threshold.
#include "polyvm/engine/hybrid/ewma_hotness.h"

#include <gtest/gtest.h>

#include <random>

namespace polyvm::engine::hybrid {
namespace {

TEST(EwmaHotness, AlphaOneCountsOnePeriod) {
  EwmaHotness h({.threshold = 10, .alpha = 1, .period = 100});
  EwmaHotness::Verdict v = h.Report(0x1000, 9, 9);
  EXPECT_FALSE(v.hot);
  EXPECT_DOUBLE_EQ(v.estimate, 9);
  EXPECT_EQ(v.next_report, 1u);  // one more run reaches 10
  v = h.Report(0x1000, 1, 10);
  EXPECT_TRUE(v.hot);
  EXPECT_TRUE(v.became_hot);
  EXPECT_TRUE(h.IsHot(0x1000));
  EXPECT_FALSE(h.IsHot(0x1004));
  v = h.Report(0x1000, 1, 11);
  EXPECT_TRUE(v.hot);
  EXPECT_FALSE(v.became_hot);
  EXPECT_EQ(h.HotCount(), 1u);
}

TEST(EwmaHotness, CountsOfAClosedPeriodAreForgottenAtAlphaOne) {
  EwmaHotness h({.threshold = 10, .alpha = 1, .period = 100});
  EXPECT_FALSE(h.Report(0x40, 9, 99).hot);          // period 0
  EwmaHotness::Verdict v = h.Report(0x40, 1, 100);  // period 1: only this run counts
  EXPECT_FALSE(v.hot);
  EXPECT_DOUBLE_EQ(v.estimate, 1);
  EXPECT_EQ(v.next_report, 9u);
}

TEST(EwmaHotness, FirstPeriodNeedsThresholdOverAlphaRuns) {
  EwmaHotness h({.threshold = 64, .alpha = 0.5, .period = 16384});
  EwmaHotness::Verdict v = h.Report(0x2000, 1, 1);
  EXPECT_DOUBLE_EQ(v.estimate, 0.5);
  EXPECT_EQ(v.next_report, 127u);  // ceil((64 - 0.5) / 0.5)
  v = h.Report(0x2000, 126, 127);
  EXPECT_FALSE(v.hot);
  EXPECT_DOUBLE_EQ(v.estimate, 63.5);
  EXPECT_EQ(v.next_report, 1u);
  EXPECT_TRUE(h.Report(0x2000, 1, 128).hot);  // 128 runs: 0.5 * 128 = 64
}

TEST(EwmaHotness, DecaysAcrossEmptyPeriods) {
  EwmaHotness h({.threshold = 1000, .alpha = 0.5, .period = 100});
  EXPECT_DOUBLE_EQ(h.Report(0x10, 100, 50).estimate, 50);  // period 0: 0.5 * 100
  // Period 1: ewma = 0.5 * 100 = 50; estimate = 0.5 * 1 + 0.5 * 50.
  EXPECT_DOUBLE_EQ(h.Report(0x10, 1, 150).estimate, 25.5);
  // Period 4: closing period 1 gives 0.5 * 1 + 0.5 * 50 = 25.5, periods 2 and 3 had no runs:
  // 25.5 * 0.25 = 6.375; estimate = 0.5 * 2 + 0.5 * 6.375.
  EXPECT_DOUBLE_EQ(h.Report(0x10, 2, 450).estimate, 4.1875);
}

TEST(EwmaHotness, SteadyRateBelowThresholdNeverTurnsHot) {
  // A block run r times in every period converges to an estimate of r.
  EwmaHotness h({.threshold = 64, .alpha = 0.25, .period = 1000});
  for (uint64_t p = 0; p < 200; ++p) EXPECT_FALSE(h.Report(0x80, 60, p * 1000 + 999).hot) << p;
  EwmaHotness h2({.threshold = 64, .alpha = 0.25, .period = 1000});
  bool hot = false;
  for (uint64_t p = 0; p < 200 && !hot; ++p) hot = h2.Report(0x80, 70, p * 1000 + 999).hot;
  EXPECT_TRUE(hot);
}

TEST(EwmaHotness, NextReportIsExactlyWhenTheThresholdIsReached) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 2000; ++i) {
    HotnessOptions o;
    o.alpha = std::uniform_real_distribution<double>(0.05, 1.0)(rng);
    o.threshold = std::uniform_real_distribution<double>(1.0, 500.0)(rng);
    o.period = 1u << 30;
    EwmaHotness h(o);
    uint64_t now = 0;
    uint32_t runs = 1;
    uint64_t total = 0;
    for (;;) {
      now += runs;
      total += runs;
      EwmaHotness::Verdict v = h.Report(7, runs, now);
      if (v.hot) break;
      ASSERT_GE(v.next_report, 1u);
      runs = v.next_report;
    }
    // Within one period, hot exactly at the first count c with alpha * c >= threshold.
    EXPECT_GE(o.alpha * static_cast<double>(total), o.threshold) << i;
    EXPECT_LT(o.alpha * static_cast<double>(total - 1), o.threshold) << i;
  }
}

TEST(EwmaHotness, ForgetDropsBlocksInTheRange) {
  EwmaHotness h({.threshold = 1, .alpha = 1, .period = 100});
  for (uint64_t pc : {0x100, 0x200, 0x300}) EXPECT_TRUE(h.Report(pc, 1, 1).hot);
  h.Forget(0x200, 0x100);
  EXPECT_TRUE(h.IsHot(0x100));
  EXPECT_FALSE(h.IsHot(0x200));
  EXPECT_TRUE(h.IsHot(0x300));
  EXPECT_EQ(h.HotCount(), 2u);
  EXPECT_FALSE(h.Report(0x200, 0, 2).hot);  // starts again from nothing
}

}  // namespace
}  // namespace polyvm::engine::hybrid
