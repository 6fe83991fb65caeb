// PMP address matching and the decision rules, against the privileged spec 3.7.1: the NAPOT
// encoding table (pmpaddr = y...y0 -> 8 bytes, y...y01 -> 16 bytes, ...), TOR bounds from the
// previous entry (0 below entry 0), NA4, priority of the lowest-numbered entry, partial matches,
// M-mode and the L bit, and the no-match default.
#include "polyvm/machine/riscv64/pmp.h"

#include <gtest/gtest.h>

namespace polyvm::machine::riscv64 {
namespace {

using core::MemAccess;

uint64_t Begin(const HartCsrs& c, unsigned i) {
  uint64_t b, e;
  PmpRange(c, i, &b, &e);
  return b;
}
uint64_t End(const HartCsrs& c, unsigned i) {
  uint64_t b, e;
  PmpRange(c, i, &b, &e);
  return e;
}

TEST(Pmp, NapotEncoding) {
  HartCsrs c;
  c.pmpcfg[0] = kPmpNapot;
  c.pmpaddr[0] = 0x20000000;  // ...0: 8 bytes at 0x80000000
  EXPECT_EQ(Begin(c, 0), 0x80000000u);
  EXPECT_EQ(End(c, 0), 0x80000008u);
  c.pmpaddr[0] = 0x20000001;  // ...01: 16 bytes
  EXPECT_EQ(Begin(c, 0), 0x80000000u);
  EXPECT_EQ(End(c, 0), 0x80000010u);
  c.pmpaddr[0] = 0x200001ff;  // nine ones: 4 KiB
  EXPECT_EQ(Begin(c, 0), 0x80000000u);
  EXPECT_EQ(End(c, 0), 0x80001000u);
  c.pmpaddr[0] = (uint64_t{1} << 54) - 1;  // all 54 bits: the whole physical address space
  EXPECT_EQ(Begin(c, 0), 0u);
  EXPECT_EQ(End(c, 0), uint64_t{1} << 57);
}

TEST(Pmp, TorAndNa4) {
  HartCsrs c;
  c.pmpcfg[0] = kPmpTor;
  c.pmpaddr[0] = 0x1000 >> 2;  // entry 0: [0, 0x1000)
  c.pmpcfg[1] = kPmpTor;
  c.pmpaddr[1] = 0x1800 >> 2;  // entry 1: [0x1000, 0x1800)
  c.pmpcfg[2] = kPmpTor;
  c.pmpaddr[2] = 0x1000 >> 2;  // entry 2: upper bound below its lower bound: matches nothing
  c.pmpcfg[3] = kPmpNa4;
  c.pmpaddr[3] = 0x2004 >> 2;
  EXPECT_EQ(Begin(c, 0), 0u);
  EXPECT_EQ(End(c, 0), 0x1000u);
  EXPECT_EQ(Begin(c, 1), 0x1000u);
  EXPECT_EQ(End(c, 1), 0x1800u);
  EXPECT_EQ(Begin(c, 2), End(c, 2));
  EXPECT_EQ(Begin(c, 3), 0x2004u);
  EXPECT_EQ(End(c, 3), 0x2008u);
}

TEST(Pmp, LowestEntryDecidesAndPartialMatchesFail) {
  HartCsrs c;
  c.pmpcfg[0] = kPmpNa4;  // 4 bytes at 0x80000100, no permission
  c.pmpaddr[0] = 0x80000100 >> 2;
  c.pmpcfg[1] = kPmpNapot | kPmpR | kPmpW | kPmpX;  // 4 KiB at 0x80000000, everything
  c.pmpaddr[1] = (0x80000000 >> 2) | 0x1ff;
  const Priv s = Priv::kSupervisor;
  EXPECT_EQ(PmpCheck(c, s, 0x80000000, 8, MemAccess::kWrite), PmpResult::kAllow);
  EXPECT_EQ(PmpCheck(c, s, 0x80000100, 4, MemAccess::kRead), PmpResult::kDeny) << "entry 0 first";
  EXPECT_EQ(PmpCheck(c, s, 0x800000fc, 8, MemAccess::kRead), PmpResult::kSplit)
      << "entry 0 matches only half the bytes: the access fails whatever the permissions";
  EXPECT_EQ(PmpCheck(c, s, 0x80000000, 4096, MemAccess::kRead), PmpResult::kSplit);
  EXPECT_EQ(PmpCheck(c, s, 0x80000ffc, 8, MemAccess::kRead), PmpResult::kSplit)
      << "entry 1 covers only the first 4 bytes";
  EXPECT_EQ(PmpCheck(c, s, 0x80001000, 4, MemAccess::kRead), PmpResult::kDeny)
      << "no entry matches an S access while entries are active";
  EXPECT_EQ(PmpCheck(c, Priv::kUser, 0x80000200, 4, MemAccess::kFetch), PmpResult::kAllow);
}

TEST(Pmp, MachineModeIsCheckedOnlyByLockedEntries) {
  HartCsrs c;
  c.pmpcfg[0] = kPmpNapot | kPmpR;  // unlocked, read-only
  c.pmpaddr[0] = (0x80000000 >> 2) | 0x1ff;
  c.pmpcfg[1] = kPmpNapot | kPmpR | kPmpL;  // locked, read-only
  c.pmpaddr[1] = (0x80001000 >> 2) | 0x1ff;
  const Priv m = Priv::kMachine;
  EXPECT_EQ(PmpCheck(c, m, 0x80000000, 8, MemAccess::kWrite), PmpResult::kAllow);
  EXPECT_EQ(PmpCheck(c, m, 0x80001000, 8, MemAccess::kWrite), PmpResult::kDeny);
  EXPECT_EQ(PmpCheck(c, m, 0x80001000, 8, MemAccess::kFetch), PmpResult::kDeny);
  EXPECT_EQ(PmpCheck(c, m, 0x80001000, 8, MemAccess::kRead), PmpResult::kAllow);
  EXPECT_EQ(PmpCheck(c, m, 0x90000000, 8, MemAccess::kWrite), PmpResult::kAllow)
      << "no match: M succeeds";
  EXPECT_EQ(PmpCheck(c, m, 0x80000ffc, 8, MemAccess::kRead), PmpResult::kSplit)
      << "a partial match fails even in M";
}

TEST(Pmp, NoActiveEntryAllowsEveryone) {
  HartCsrs c;
  c.pmpaddr[0] = ~uint64_t{0};  // an address without a mode is not an entry
  EXPECT_EQ(PmpCheck(c, Priv::kUser, 0x80000000, 8, MemAccess::kWrite), PmpResult::kAllow);
  EXPECT_EQ(PmpCheck(c, Priv::kSupervisor, 0x10000000, 4, MemAccess::kRead), PmpResult::kAllow);
  EXPECT_EQ(PmpCheck(c, Priv::kSupervisor, ~uint64_t{0} - 7, 8, MemAccess::kRead),
            PmpResult::kAllow);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
