// FP results kept in xmm4-xmm15 for later FP ops (codegen_fp_env.cpp, KeepFpResultInXmm): an op
// in between that runs out of line (a NaN result goes to the reference) clobbers the XMM
// registers, and its slow path must load the cached values again before the code goes on.
// Expected values from IEEE 754 double arithmetic on the host; RISC-V's NaN results are the
// canonical NaN 0x7ff8000000000000.
#include <cmath>
#include <cstring>

#include "riscv_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr unsigned kFa0 = 10, kFa1 = 11, kFa2 = 12, kFa3 = 13, kFa4 = 14, kFa5 = 15, kFa6 = 16,
                   kFa7 = 17;
constexpr uint64_t kEntry = 0x4000;

uint64_t Bits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}

// fmul.d fa0, fa1, fa2; fadd.d fa3, fa4, fa5; fadd.d fa6, fa0, fa1; fmul.d fa7, fa6, fa0; ecall
// (assembled with riscv64-linux-gnu-as -march=rv64g): fa0 is read from its cache register by
// the last two ops, after the fadd between them, which takes its slow path when fa4 + fa5 is a
// NaN.
TEST(JitXmmCache, CachedValuesSurviveASlowPath) {
  RiscvMachine m;
  const uint32_t code[] = {0x12c5f553, 0x02f776d3, 0x02b57853, 0x12a878d3, 0x00000073};
  std::memcpy(m.mem.base() + RiscvMachine::kCodeBase + kEntry, code, sizeof code);
  const double a = 1.5, b = -2.25;
  for (bool nan : {false, true, false, true}) {
    m.st.f[kFa1] = Bits(a);
    m.st.f[kFa2] = Bits(b);
    m.st.f[kFa4] = Bits(nan ? INFINITY : 3.0);
    m.st.f[kFa5] = Bits(nan ? -INFINITY : 0.5);
    ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
    const double p = a * b, s = p + a;
    EXPECT_EQ(m.st.f[kFa0], Bits(p));
    EXPECT_EQ(m.st.f[kFa3], nan ? uint64_t{0x7ff8000000000000} : Bits(3.5));
    EXPECT_EQ(m.st.f[kFa6], Bits(s)) << "nan " << nan;
    EXPECT_EQ(m.st.f[kFa7], Bits(s * p)) << "nan " << nan;
  }
}

}  // namespace
}  // namespace polyvm::engine::interp::test
