// A few lifted blocks in the IR's text form, each the example docs/ir.md ("AArch64") gives for the
// instruction (checked there against the Arm ARM's pseudocode): NZCV from a compare and its
// readers, SDIV's division by zero, exclusives and LSE, and MSR FPCR.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "polyvm/frontend/arm64/lifter.h"
#include "polyvm/ir/printer.h"
#include "test_util.h"

namespace polyvm::frontend::arm64 {
namespace {

std::string LiftText(uint64_t pc, std::initializer_list<uint32_t> insns) {
  Arm64Lifter lifter;
  test::BufferReader code(pc, test::Code(insns));
  ir::Block block;
  ir::LiftOptions options;
  options.max_insns = static_cast<uint32_t>(insns.size());  // end with a jump, not a fetch fault
  lifter.Lift(pc, code, options, block);
  return ir::Print(block, lifter);
}

// cmp x1, x2; csel x0, x3, x4, ge; b.hi 0x400100 (GNU as: eb02003f 9a84a060 540007c8). The
// flags are written (C as x2 <= x1 unsigned, V as SubOverflow), and the conditions in the same
// block compare the operands: GE is x2 <= x1 signed, HI is x2 < x1 unsigned (lift_cond.cpp).
TEST(Arm64LiftGolden, CompareSelectBranch) {
  EXPECT_EQ(LiftText(0x400000, {0xeb02003f, 0x9a84a060, 0x540007c8}),
            "block 0x400000 size=12 insns=3\n"
            "  ---- 0x400000 (4 bytes)\n"
            "  v1:i64 = GetReg x1\n"
            "  v2:i64 = GetReg x2\n"
            "  v3:i64 = Sub v1, v2\n"
            "  v4:i1 = CmpLeU v2, v1\n"
            "  v5:i1 = SubOverflow v1, v2\n"
            "  v6:i64 = Const 0x0\n"
            "  v7:i1 = CmpLtS v3, v6\n"
            "  SetReg n, v7\n"
            "  v9:i1 = CmpEq v3, v6\n"
            "  SetReg z, v9\n"
            "  SetReg c, v4\n"
            "  SetReg v, v5\n"
            "  ---- 0x400004 (4 bytes)\n"
            "  v14:i1 = CmpLeS v2, v1\n"
            "  v15:i64 = GetReg x3\n"
            "  v16:i64 = GetReg x4\n"
            "  v17:i64 = Select v14, v15, v16\n"
            "  SetReg x0, v17\n"
            "  ---- 0x400008 (4 bytes)\n"
            "  v20:i1 = CmpLtU v2, v1\n"
            "  exit: branch v20 ? 0x400100 : 0x40000c insns=3\n");
}

// sdiv x0, x1, x2 (9ac20c20): division by zero gives 0.
TEST(Arm64LiftGolden, SdivByZeroGivesZero) {
  EXPECT_EQ(LiftText(0x400200, {0x9ac20c20}),
            "block 0x400200 size=4 insns=1\n"
            "  ---- 0x400200 (4 bytes)\n"
            "  v1:i64 = GetReg x1\n"
            "  v2:i64 = GetReg x2\n"
            "  v3:i64 = DivS v1, v2\n"
            "  v4:i64 = Const 0x0\n"
            "  v5:i1 = CmpEq v2, v4\n"
            "  v6:i64 = Select v5, v4, v3\n"
            "  SetReg x0, v6\n"
            "  exit: jump 0x400204 insns=1\n");
}

// ldaxr x1, [x0]; stlxr w3, x2, [x0]; ldclral w1, w2, [x0]; casal x4, x5, [x0]
// (GNU as: c85ffc01 c803fc02 b8e11002 c8e0fc05).
TEST(Arm64LiftGolden, ExclusivesAndLse) {
  EXPECT_EQ(LiftText(0x400400, {0xc85ffc01, 0xc803fc02, 0xb8e11002, 0xc8e4fc05}),
            "block 0x400400 size=16 insns=4\n"
            "  ---- 0x400400 (4 bytes)\n"
            "  v1:i64 = GetReg x0\n"
            "  v2:i64 = LoadLinked v1 acquire aligned\n"
            "  SetReg x1, v2\n"
            "  ---- 0x400404 (4 bytes)\n"
            "  v5:i64 = GetReg x0\n"
            "  v6:i64 = GetReg x2\n"
            "  v7:i1 = StoreCond v5, v6 release aligned\n"
            "  v8:i1 = Not v7\n"
            "  v9:i64 = ZExt v8\n"
            "  SetReg x3, v9\n"
            "  ---- 0x400408 (4 bytes)\n"
            "  v12:i64 = GetReg x0\n"
            "  v13:i64 = GetReg x1\n"
            "  v14:i32 = Trunc v13\n"
            "  v15:i32 = Not v14\n"
            "  v16:i32 = AtomicRmw and v12, v15 acqrel aligned\n"
            "  v17:i64 = ZExt v16\n"
            "  SetReg x2, v17\n"
            "  ---- 0x40040c (4 bytes)\n"
            "  v20:i64 = GetReg x0\n"
            "  v21:i64 = GetReg x4\n"
            "  v22:i64 = GetReg x5\n"
            "  v23:i64 = AtomicCas v20, v21, v22 acqrel aligned\n"
            "  SetReg x4, v23\n"
            "  exit: jump 0x400410 insns=4\n");
}

// msr fpcr, x0 (d51b4400): FPCR kept as written, RMode mirrored into the FP environment, IDC
// gathered under FZ moved (not under FZ = 0: the denormal-input flag is cleared), the lifter told
// the new FZ/DN, and the block ended by a code-sync side exit when they differ from its own.
TEST(Arm64LiftGolden, MsrFpcr) {
  Arm64Lifter lifter;
  test::BufferReader code(0x400300, test::Code({0xd51b4400, 0xd4000001}));
  ir::Block block;
  lifter.Lift(0x400300, code, ir::LiftOptions{2}, block);
  std::string text = ir::Print(block, lifter);
  const std::string self = fmt::format("0x{:x}", reinterpret_cast<uint64_t>(&lifter));
  text.replace(text.find(self), self.size(), "<lifter>");
  EXPECT_EQ(text.substr(0, text.find("  ---- 0x400304")),
            "block 0x400300 size=8 insns=2\n"
            "  ---- 0x400300 (4 bytes)\n"
            "  v1:i64 = GetReg x0\n"
            "  v2:i32 = Trunc v1\n"
            "  v3:i32 = Const 0x4080002\n"
            "  v4:i32 = And v2, v3\n"
            "  v5:i32 = Const 0x0\n"
            "  v6:i1 = CmpNe v4, v5\n"
            "  ExitIf v6 -> #0\n"
            "  SetReg fpcr, v2\n"
            "  v9:i8 = Extract v2 at=22\n"
            "  v10:i8 = Const 0x3\n"
            "  v11:i8 = And v9, v10\n"
            "  v12:i8 = Const 0x2\n"
            "  v13:i8 = Shl v11, v12\n"
            "  v14:i32 = Const 0x1230\n"
            "  v15:i32 = LShr v14, v13\n"
            "  v16:i32 = Const 0xf\n"
            "  v17:i32 = And v15, v16\n"
            "  FpSetRound v17\n"
            "  v19:i32 = FpGetFlags\n"
            "  v20:i32 = Const 0x1f\n"
            "  v21:i32 = And v19, v20\n"
            "  FpSetFlags v21\n"
            "  v23:i64 = ZExt v2\n"
            "  v24:i64 = Const <lifter>\n"
            "  v25:i64 = CallHelper arm64_assume_fpcr v24, v23\n"
            "  v26:i32 = Const 0x3000000\n"
            "  v27:i32 = And v2, v26\n"
            "  v28:i32 = Const 0x0\n"
            "  v29:i1 = CmpNe v27, v28\n"
            "  ExitIf v29 -> #1\n");
  ASSERT_EQ(block.side_exits.size(), 2u);
  EXPECT_EQ(block.side_exits[1].kind, ir::ExitKind::kCodeSync);
  EXPECT_EQ(block.side_exits[1].target, 0x400304u);
  EXPECT_EQ(block.side_exits[1].insn_count, 1u);
}

// fadd s0, s1, s2 (1e222820) lifted while FZ and DN are assumed: the op carries ftz and dn, and
// the first FP instruction of the block checks that the vCPU's FPCR agrees.
TEST(Arm64LiftGolden, FaddUnderFzDn) {
  Arm64Lifter lifter;
  lifter.AssumeFpcr(Arm64Lifter::kFpcrFz | Arm64Lifter::kFpcrDn);
  test::BufferReader code(0x400400, test::Code({0x1e222820}));
  ir::Block block;
  lifter.Lift(0x400400, code, ir::LiftOptions{1}, block);
  EXPECT_EQ(ir::Print(block, lifter),
            "block 0x400400 size=4 insns=1\n"
            "  ---- 0x400400 (4 bytes)\n"
            "  v1:i32 = GetReg fpcr\n"
            "  v2:i32 = Const 0x3000000\n"
            "  v3:i32 = And v1, v2\n"
            "  v4:i32 = Const 0x3000000\n"
            "  v5:i1 = CmpNe v3, v4\n"
            "  ExitIf v5 -> #0\n"
            "  v7:f32 = GetReg q1\n"
            "  v8:f32 = GetReg q2\n"
            "  v9:f32 = FAdd v7, v8 rm=dyn nan=arm ftz dn\n"
            "  v10:i32 = Bitcast v9\n"
            "  v11:i128 = ZExt v10\n"
            "  v12:v128 = Bitcast v11\n"
            "  SetReg q0, v12\n"
            "  exit: jump 0x400404 insns=1\n"
            "  side exit #0: trap unsupported-instruction at 0x400400 bits=0x1e222820 insns=0\n");
}

}  // namespace
}  // namespace polyvm::frontend::arm64
