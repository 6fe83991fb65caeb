// PLIC behaviour per the RISC-V PLIC specification 1.0.0 (register map of the SiFive/QEMU virt
// layout): gateway, priorities, thresholds, per-context enables, claim/complete.
#include "polyvm/device/plic.h"

#include <gtest/gtest.h>

#include "test_irq.h"

namespace polyvm::device {
namespace {

constexpr uint64_t Priority(uint32_t id) { return 4 * id; }
constexpr uint64_t kPending = 0x1000;
constexpr uint64_t Enable(uint32_t ctx) { return 0x2000 + 0x80 * ctx; }
constexpr uint64_t Threshold(uint32_t ctx) { return 0x200000 + 0x1000 * ctx; }
constexpr uint64_t Claim(uint32_t ctx) { return 0x200004 + 0x1000 * ctx; }

class PlicTest : public ::testing::Test {
 protected:
  uint32_t R(uint64_t off) { return static_cast<uint32_t>(plic.Read(off, 4)); }
  void W(uint64_t off, uint32_t v) { plic.Write(off, 4, v); }

  testing::TestIrq out0, out1;
  Plic plic{40, {&out0, &out1}};
};

TEST_F(PlicTest, Geometry) {
  EXPECT_EQ(plic.num_sources(), 40u);
  EXPECT_EQ(plic.num_contexts(), 2u);
  EXPECT_EQ(Plic::WindowSize(2), 0x202000u);
}

TEST_F(PlicTest, PriorityZeroNeverInterrupts) {
  W(Enable(0), 1u << 5);
  plic.Source(5).Set(true);
  EXPECT_EQ(R(kPending), 1u << 5);
  EXPECT_FALSE(out0.level());
  EXPECT_EQ(R(Claim(0)), 0u);
}

TEST_F(PlicTest, ClaimCompleteCycle) {
  W(Priority(5), 1);
  W(Enable(0), 1u << 5);
  plic.Source(5).Set(true);
  EXPECT_TRUE(out0.level());
  EXPECT_FALSE(out1.level());  // not enabled for context 1
  EXPECT_EQ(R(Claim(0)), 5u);
  EXPECT_FALSE(out0.level());
  EXPECT_EQ(R(kPending), 0u);
  EXPECT_EQ(R(Claim(0)), 0u);  // nothing else pending
  plic.Source(5).Set(true);    // still high, but the gateway is closed until completion
  EXPECT_FALSE(out0.level());
  W(Claim(0), 5);  // complete: line still high, so pending again
  EXPECT_TRUE(out0.level());
  EXPECT_EQ(R(Claim(0)), 5u);
  plic.Source(5).Set(false);
  W(Claim(0), 5);
  EXPECT_FALSE(out0.level());
  EXPECT_EQ(R(kPending), 0u);
}

TEST_F(PlicTest, HighestPriorityFirstThenLowestId) {
  for (uint32_t id : {3u, 7u, 33u}) W(Priority(id), id == 33 ? 6 : 2);
  W(Enable(0), (1u << 3) | (1u << 7));
  W(Enable(0) + 4, 1u << 1);  // source 33
  for (uint32_t id : {3u, 7u, 33u}) plic.Source(id).Set(true);
  EXPECT_EQ(R(kPending + 4), 1u << 1);
  EXPECT_EQ(R(Claim(0)), 33u);
  EXPECT_EQ(R(Claim(0)), 3u);  // tie at priority 2: lower id wins
  EXPECT_EQ(R(Claim(0)), 7u);
  EXPECT_EQ(R(Claim(0)), 0u);
}

TEST_F(PlicTest, Threshold) {
  W(Priority(2), 3);
  W(Enable(1), 1u << 2);
  W(Threshold(1), 3);  // only priorities strictly above 3 interrupt
  plic.Source(2).Set(true);
  EXPECT_FALSE(out1.level());
  EXPECT_EQ(R(Claim(1)), 0u);
  W(Threshold(1), 2);
  EXPECT_TRUE(out1.level());
  EXPECT_EQ(R(Threshold(1)), 2u);
  EXPECT_EQ(R(Claim(1)), 2u);
}

TEST_F(PlicTest, PerContextEnables) {
  W(Priority(9), 1);
  W(Enable(0), 1u << 9);
  W(Enable(1), 1u << 9);
  plic.Source(9).Set(true);
  EXPECT_TRUE(out0.level());
  EXPECT_TRUE(out1.level());
  EXPECT_EQ(R(Claim(1)), 9u);  // one claim serves both contexts
  EXPECT_FALSE(out0.level());
  EXPECT_EQ(R(Claim(0)), 0u);
}

TEST_F(PlicTest, CompletionOfSourceNotEnabledIsIgnored) {
  W(Priority(4), 1);
  W(Enable(0), 1u << 4);
  plic.Source(4).Set(true);
  EXPECT_EQ(R(Claim(0)), 4u);
  W(Claim(1), 4);  // context 1 does not have source 4 enabled
  EXPECT_FALSE(out0.level());
  W(Claim(0), 4);
  EXPECT_TRUE(out0.level());
}

TEST_F(PlicTest, RegistersHoldOnlyWhatExists) {
  W(Priority(1), 0xffffffff);
  EXPECT_EQ(R(Priority(1)), Plic::kMaxPriority);
  W(Enable(0), 0xffffffff);
  EXPECT_EQ(R(Enable(0)), 0xfffffffeu);  // source 0 does not exist
  W(Enable(0) + 4, 0xffffffff);
  EXPECT_EQ(R(Enable(0) + 4), 0x1ffu);  // sources 32..40
  EXPECT_EQ(R(Priority(41)), 0u);
}

TEST_F(PlicTest, BadAccessesAreHarmless) {
  EXPECT_EQ(plic.Read(Claim(5), 4), 0u);  // no context 5
  EXPECT_EQ(plic.Read(Priority(1), 1), 0u);
  EXPECT_EQ(plic.Read(Priority(1) + 2, 4), 0u);
  plic.Write(Enable(7), 4, 1);
  plic.Write(0x3fffffc, 4, 1);
  plic.Source(0).Set(true);
  plic.Source(41).Set(true);
  EXPECT_EQ(R(kPending), 0u);
}

}  // namespace
}  // namespace polyvm::device
