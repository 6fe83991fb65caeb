// RISC-V's RMM (round to nearest, ties away from zero), a dynamic rounding mode x86 lacks. A JIT
// block with FP ops of dynamic mode checks fp_round once at its entry; under RMM it leaves before
// doing anything and Run runs the block's rounding variant, whose ops go to the reference
// (codegen_fp_env.cpp, JitState::RoundingVariant). Expected values from IEEE 754: 1 + 2^-53 lies
// halfway between 1 and 1 + 2^-52; ties-to-even gives 1, ties-away 1 + 2^-52.
#include <cstring>
#include <initializer_list>

#include "riscv_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr unsigned kA0 = 10, kFa0 = 10, kFa1 = 11, kFa2 = 12;
constexpr uint32_t kRne = 0, kRmm = 4;

// Assembled with riscv64-linux-gnu-as -march=rv64g.
constexpr uint64_t kSum = 0x4000;   // fadd.d fa0, fa1, fa2; ecall
constexpr uint64_t kLoop = 0x4100;  // loop: fadd.d fa0, fa0, fa2; addi a0, a0, -1; bnez a0, loop; ecall
constexpr uint64_t kSetThenSum = 0x4200;  // fsrm a1; fadd.d fa0, fa1, fa2; ecall
constexpr unsigned kA1 = 11;

void Put(RiscvMachine& m, uint64_t entry, std::initializer_list<uint32_t> words) {
  uint64_t at = RiscvMachine::kCodeBase + entry;
  for (uint32_t w : words) {
    std::memcpy(m.mem.base() + at, &w, 4);
    at += 4;
  }
}

uint64_t Bits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}

void SetFrm(RiscvMachine& m, uint32_t frm) {
  m.st.frm = frm;
  m.st.hdr.fp_round = frm;  // what csrw frm sets (FpSetRound)
}

RiscvMachine& Loaded(RiscvMachine& m) {
  Put(m, kSum, {0x02c5f553, 0x00000073});
  Put(m, kLoop, {0x02c57553, 0xfff50513, 0xfe051ce3, 0x00000073});
  Put(m, kSetThenSum, {0x00259073, 0x02c5f553, 0x00000073});
  return m;
}

TEST(JitRoundingVariant, TieUnderEachMode) {
  RiscvMachine m;
  Loaded(m);
  const double half_ulp = 0x1p-53;
  for (uint32_t frm : {kRne, kRmm, kRne, kRmm}) {  // the same translation, then its variant
    SetFrm(m, frm);
    m.st.f[kFa1] = Bits(1.0);
    m.st.f[kFa2] = Bits(half_ulp);
    ASSERT_EQ(m.Run(kSum).reason, core::ExitReason::kSyscall);
    EXPECT_EQ(m.st.f[kFa0], Bits(frm == kRmm ? 1.0 + 0x1p-52 : 1.0)) << "frm " << frm;
  }
}

// A self-loop: under RNE each sum ties back to 1; under RMM each rounds away, adding 2^-52.
TEST(JitRoundingVariant, SelfLoopUnderEachMode) {
  RiscvMachine m;
  Loaded(m);
  for (uint32_t frm : {kRne, kRmm, kRne}) {
    SetFrm(m, frm);
    m.st.f[kFa0] = Bits(1.0);
    m.st.f[kFa2] = Bits(0x1p-53);
    m.X(kA0) = 100;
    m.st.hdr.retired = 0;
    ASSERT_EQ(m.Run(kLoop).reason, core::ExitReason::kSyscall);
    EXPECT_EQ(m.st.f[kFa0], Bits(frm == kRmm ? 1.0 + 100 * 0x1p-52 : 1.0)) << "frm " << frm;
    EXPECT_EQ(m.X(kA0), 0u);
    EXPECT_EQ(m.st.hdr.retired, 3u * 100 + 1);
  }
}

// The mode changes inside the block, after its entry check: the op after the change checks again.
TEST(JitRoundingVariant, ModeSetInTheBlock) {
  RiscvMachine m;
  Loaded(m);
  for (uint32_t frm : {kRmm, kRne, kRmm}) {
    SetFrm(m, kRne);
    m.X(kA1) = frm;
    m.st.f[kFa1] = Bits(1.0);
    m.st.f[kFa2] = Bits(0x1p-53);
    ASSERT_EQ(m.Run(kSetThenSum).reason, core::ExitReason::kSyscall);
    EXPECT_EQ(m.st.f[kFa0], Bits(frm == kRmm ? 1.0 + 0x1p-52 : 1.0)) << "frm " << frm;
    EXPECT_EQ(m.st.frm, frm);
  }
}

}  // namespace
}  // namespace polyvm::engine::interp::test
