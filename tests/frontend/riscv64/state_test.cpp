// The state helpers the runtime uses for fcsr (signal frames, ptrace): the manual's fflags bit
// order against the IR's FpFlags, and frm mirrored into the FP environment only when valid.
#include "polyvm/frontend/riscv64/state.h"

#include <gtest/gtest.h>

#include "polyvm/ir/opcode.h"

namespace polyvm::frontend::riscv64 {
namespace {

TEST(State, FflagsBitOrder) {
  EXPECT_EQ(ReverseFflags(16), ir::kFpInvalid);   // NV
  EXPECT_EQ(ReverseFflags(8), ir::kFpDivByZero);  // DZ
  EXPECT_EQ(ReverseFflags(4), ir::kFpOverflow);   // OF
  EXPECT_EQ(ReverseFflags(2), ir::kFpUnderflow);  // UF
  EXPECT_EQ(ReverseFflags(1), ir::kFpInexact);    // NX
  EXPECT_EQ(ReverseFflags(ir::kFpInvalid | ir::kFpInexact), 17u);
}

TEST(State, FcsrReadAndWrite) {
  Riscv64State s;
  SetFcsr(s, 0x41);  // frm = rdn (2), NX
  EXPECT_EQ(s.frm, 2u);
  EXPECT_EQ(s.hdr.fp_round, static_cast<uint32_t>(ir::RoundingMode::kDown));
  EXPECT_EQ(s.hdr.fp_flags, ir::kFpInexact);
  EXPECT_EQ(GetFcsr(s), 0x41u);
  SetFcsr(s, 0xff);  // frm = 7 (invalid as a static value: reserved here), all flags
  EXPECT_EQ(s.frm, 7u);
  EXPECT_EQ(s.hdr.fp_round, 0u);
  EXPECT_EQ(GetFcsr(s), 0xffu);
  s.hdr.fp_flags |= ir::kFpDenormalInput;  // x86-only flag: not visible in fcsr
  EXPECT_EQ(GetFcsr(s), 0xffu);
}

TEST(State, Layout) {
  // Documented in docs/riscv64.md.
  EXPECT_EQ(XOffset(0), 128u);
  EXPECT_EQ(FOffset(0), 384u);
  EXPECT_EQ(kFrmOffset, 640u);
}

}  // namespace
}  // namespace polyvm::frontend::riscv64
