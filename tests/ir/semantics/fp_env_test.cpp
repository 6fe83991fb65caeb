// The FP environment contract: EnterGuestFp/LeaveGuestFp/GetFpFlags/SetFpFlags/SetFpRound move
// the guest's rounding mode and flags into and out of the host MXCSR. Checked against the C
// library's own view of the host FPU (fetestexcept) and raw MXCSR reads.
#include "fp_test_util.h"

namespace polyvm::ir::sem::testing {
namespace {

// MXCSR.RC per the Intel SDM: 00 nearest, 01 down, 10 up, 11 toward zero. (glibc's fegetround
// reads the x87 control word, not MXCSR, so it cannot check this.)
constexpr uint32_t kRcNearest = 0, kRcDown = 1, kRcUp = 2, kRcZero = 3;
uint32_t MxcsrRc() { return (TestReadMxcsr() >> 13) & 3; }

struct ModeCase {
  uint32_t rm;
  uint32_t rc;
};
// RMM has no x86 encoding: MXCSR holds RNE. Reserved encodings also run as RNE.
constexpr ModeCase kModes[] = {{0, kRcNearest}, {1, kRcZero},    {2, kRcDown},    {3, kRcUp},
                               {4, kRcNearest}, {5, kRcNearest}, {6, kRcNearest}, {7, kRcNearest}};

constexpr struct {
  uint32_t ir;
  int fe;
} kFlagBits[] = {{kNV, FE_INVALID},
                 {kDZ, FE_DIVBYZERO},
                 {kOF, FE_OVERFLOW},
                 {kUF, FE_UNDERFLOW},
                 {kNX, FE_INEXACT}};

TEST(FpEnv, EnterLoadsRoundingModeAndLeaveRestoresHost) {
  for (const ModeCase& m : kModes) {
    // A host state unlike any guest state: RTZ, FTZ and DAZ on, one flag set.
    uint32_t host = 0x1F80u | (3u << 13) | 0x8040u | 0x20u;
    TestWriteMxcsr(host);
    core::CpuHeader cpu;
    cpu.fp_round = m.rm;
    EnterGuestFp(cpu);
    uint32_t rc = MxcsrRc();
    uint32_t inside = TestReadMxcsr();
    LeaveGuestFp(cpu);
    uint32_t after = TestReadMxcsr();
    TestWriteMxcsr(0x1F80);
    EXPECT_EQ(rc, m.rc) << "rm " << m.rm;
    EXPECT_EQ(inside & 0xFFC0u & ~(3u << 13), 0x1F80u) << "all masked, FTZ/DAZ off";
    EXPECT_EQ(inside & 0x3Fu, 0u) << "no flags";
    EXPECT_EQ(after, host) << "host MXCSR restored";
    EXPECT_EQ(cpu.fp_flags, 0u);
  }
}

TEST(FpEnv, EachFlagTravelsBothWays) {
  for (const auto& f : kFlagBits) {
    core::CpuHeader cpu;
    cpu.fp_flags = f.ir;
    EnterGuestFp(cpu);
    int fe = fetestexcept(FE_ALL_EXCEPT);
    uint32_t got = GetFpFlags();
    LeaveGuestFp(cpu);
    EXPECT_EQ(fe, f.fe) << "flag " << f.ir;
    EXPECT_EQ(got, f.ir);
    EXPECT_EQ(cpu.fp_flags, f.ir);
  }
  // The x86 denormal-operand flag is MXCSR bit 1.
  core::CpuHeader cpu;
  cpu.fp_flags = kDE;
  EnterGuestFp(cpu);
  uint32_t raw = TestReadMxcsr() & 0x3F;
  LeaveGuestFp(cpu);
  EXPECT_EQ(raw, 0x02u);
  EXPECT_EQ(cpu.fp_flags, kDE);
}

TEST(FpEnv, SetFpFlagsReplacesAndGetFpFlagsReads) {
  core::CpuHeader cpu;
  cpu.fp_flags = kNV | kNX;
  EnterGuestFp(cpu);
  SetFpFlags(kOF | kDZ);
  int fe = fetestexcept(FE_ALL_EXCEPT);
  uint32_t got = GetFpFlags();
  SetFpFlags(0);
  uint32_t cleared = GetFpFlags();
  SetFpFlags(kUF | kDE);
  LeaveGuestFp(cpu);
  EXPECT_EQ(fe, FE_OVERFLOW | FE_DIVBYZERO);
  EXPECT_EQ(got, kOF | kDZ);
  EXPECT_EQ(cleared, 0u);
  EXPECT_EQ(cpu.fp_flags, kUF | kDE);
}

TEST(FpEnv, SetFpRoundUpdatesHeaderAndMxcsr) {
  for (const ModeCase& m : kModes) {
    core::CpuHeader cpu;
    cpu.fp_flags = kNX;
    EnterGuestFp(cpu);
    SetFpRound(cpu, m.rm);
    uint32_t rc = MxcsrRc();
    uint32_t flags = GetFpFlags();
    LeaveGuestFp(cpu);
    EXPECT_EQ(cpu.fp_round, m.rm);
    EXPECT_EQ(rc, m.rc) << "rm " << m.rm;
    EXPECT_EQ(flags, kNX) << "flags kept";
  }
}

TEST(FpEnv, GuestOpsAccumulateStickyFlags) {
  core::CpuHeader cpu;
  EnterGuestFp(cpu);
  const uint32_t aux = Aux(kDYN);
  double r1 = FAdd<double>(1.0, F64(0x3C30000000000000), aux, kRNE);  // 1 + 2^-60: inexact
  uint32_t after_first = GetFpFlags();
  double r2 = FMul<double>(F64(0x7FEFFFFFFFFFFFFF), 2.0, aux, kRNE);  // overflow
  uint32_t after_second = GetFpFlags();
  double r3 = FAdd<double>(1.0, 2.0, aux, kRNE);  // exact: adds nothing
  LeaveGuestFp(cpu);
  EXPECT_EQ(Bits(r1), 0x3FF0000000000000u);
  EXPECT_EQ(Bits(r2), 0x7FF0000000000000u);
  EXPECT_EQ(Bits(r3), 0x4008000000000000u);
  EXPECT_EQ(after_first, kNX);
  EXPECT_EQ(after_second, kNX | kOF);
  EXPECT_EQ(cpu.fp_flags, kNX | kOF);
}

// A static rounding mode different from the dynamic one is applied to its op only.
TEST(FpEnv, StaticModeDoesNotLeak) {
  core::CpuHeader cpu;
  cpu.fp_round = 0;
  EnterGuestFp(cpu);
  double up = FAdd<double>(1.0, F64(0x3C30000000000000), Aux(kRUP), kRNE);
  uint32_t rc = MxcsrRc();
  double dyn = FAdd<double>(1.0, F64(0x3C30000000000000), Aux(kDYN), kRNE);
  LeaveGuestFp(cpu);
  EXPECT_EQ(Bits(up), 0x3FF0000000000001u);
  EXPECT_EQ(Bits(dyn), 0x3FF0000000000000u);
  EXPECT_EQ(rc, kRcNearest);
  EXPECT_EQ(cpu.fp_flags, kNX);
}

}  // namespace
}  // namespace polyvm::ir::sem::testing
