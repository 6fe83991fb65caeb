// CLINT registers at QEMU virt's offsets (msip 0x0, mtimecmp 0x4000, mtime 0xbff8) driving MSIP
// and MTIP wires; the sifive,test0 finisher's codes.
#include "polyvm/machine/riscv64/clint.h"

#include <gtest/gtest.h>

#include "polyvm/machine/riscv64/syscon_test.h"

namespace polyvm::machine::riscv64 {
namespace {

struct Wire final : core::IrqLine {
  void Set(bool l) override { level = l; }
  bool level = false;
};

TEST(Clint, MsipDrivesTheSoftwareInterruptWire) {
  MachineClock clock;
  Wire msip0, mtip0, msip1, mtip1;
  Clint clint(clock, {{&msip0, &mtip0}, {&msip1, &mtip1}});
  clint.Write(4, 4, 0xffffffff);  // hart 1: only bit 0 exists
  EXPECT_TRUE(msip1.level);
  EXPECT_FALSE(msip0.level);
  EXPECT_EQ(clint.Read(4, 4), 1u);
  clint.Write(4, 4, 0);
  EXPECT_FALSE(msip1.level);
}

TEST(Clint, MtimecmpComparesWithMtime) {
  MachineClock clock;
  Wire msip, mtip;
  Clint clint(clock, {{&msip, &mtip}});
  clint.Write(Clint::kMtime, 8, 1000);
  uint64_t now = clint.Read(Clint::kMtime, 8);
  EXPECT_GE(now, 1000u);
  EXPECT_LT(now, 1000u + MachineClock::kTimebaseHz * 60) << "mtime follows the write";
  clint.Write(Clint::kMtimecmpBase, 8, now + MachineClock::kTimebaseHz * 3600);
  EXPECT_FALSE(mtip.level);
  EXPECT_EQ(clint.Poll(), now + MachineClock::kTimebaseHz * 3600);
  // 32-bit halves, as RV32 software writes them: high word first to avoid a spurious match.
  clint.Write(Clint::kMtimecmpBase + 4, 4, 0);
  clint.Write(Clint::kMtimecmpBase, 4, 5);
  EXPECT_EQ(clint.Read(Clint::kMtimecmpBase, 8), 5u);
  EXPECT_TRUE(mtip.level) << "mtime >= mtimecmp";
  clint.Write(Clint::kMtimecmpBase, 8, ~uint64_t{0});
  EXPECT_FALSE(mtip.level);
  EXPECT_EQ(clint.Read(0x8000, 4), 0u) << "unknown offsets read zero";
}

TEST(SysconTest, FinisherCodes) {
  SysconTest t;
  t.Write(0, 4, 0x1234);
  EXPECT_EQ(t.request(), SysconTest::Request::kNone);
  t.Write(0, 4, 0x5555);
  EXPECT_EQ(t.request(), SysconTest::Request::kPowerOff);
  EXPECT_EQ(t.exit_code(), 0u);
  SysconTest fail;
  fail.Write(0, 4, 7 << 16 | 0x3333);
  EXPECT_EQ(fail.request(), SysconTest::Request::kPowerOff);
  EXPECT_EQ(fail.exit_code(), 7u);
  SysconTest reset;
  reset.Write(0, 4, 0x7777);
  EXPECT_EQ(reset.request(), SysconTest::Request::kReset);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
