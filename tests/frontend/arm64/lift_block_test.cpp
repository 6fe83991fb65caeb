// Block formation: where blocks end and how instructions that cannot complete are reported (the
// guest pc and the raw bits, never silently). Encodings from GNU as; the trap kinds are what Linux
// delivers for them on hardware (SIGILL for UNDEFINED, SIGTRAP for BRK, SIGBUS for a misaligned
// pc).
#include <gtest/gtest.h>

#include "polyvm/frontend/arm64/lifter.h"
#include "polyvm/ir/verifier.h"
#include "test_util.h"

namespace polyvm::frontend::arm64 {
namespace {

constexpr uint64_t kPc = 0x400000;
constexpr uint32_t kNop = 0xd503201f;

ir::Block Lift(std::initializer_list<uint32_t> insns, uint64_t pc = kPc, uint32_t max = 64) {
  Arm64Lifter lifter;
  test::BufferReader code(kPc, test::Code(insns));
  ir::LiftOptions options;
  options.max_insns = max;
  ir::Block block;
  lifter.Lift(pc, code, options, block);
  for (const std::string& e : ir::Verify(block)) ADD_FAILURE() << e;
  return block;
}

TEST(Arm64LiftBlock, UnallocatedWordTrapsAfterTheInstructionsBeforeIt) {
  ir::Block b = Lift({kNop, 0x00010000});  // udf space, not UDF: unallocated
  EXPECT_EQ(b.exit.kind, ir::ExitKind::kTrap);
  EXPECT_EQ(b.exit.trap, core::TrapCode::kIllegalInstruction);
  EXPECT_EQ(b.exit.target, kPc + 4);
  EXPECT_EQ(b.exit.info, 0x00010000u);
  EXPECT_EQ(b.exit.insn_count, 1u);
}

TEST(Arm64LiftBlock, UnknownSystemRegisterIsUndefined) {
  ir::Block b = Lift({0xd53bf203});  // mrs x3, s3_3_c15_c2_0
  EXPECT_EQ(b.exit.trap, core::TrapCode::kIllegalInstruction);
  EXPECT_EQ(b.exit.info, 0xd53bf203u);
  EXPECT_TRUE(b.insts.empty());
  ir::Block w = Lift({0xd51b0021});  // msr ctr_el0, x1: read-only
  EXPECT_EQ(w.exit.trap, core::TrapCode::kIllegalInstruction);
}

TEST(Arm64LiftBlock, BrkIsABreakpointUdfAndHltAreUndefined) {
  EXPECT_EQ(Lift({0xd4200020}).exit.trap, core::TrapCode::kBreakpoint);          // brk #1
  EXPECT_EQ(Lift({0x00000000}).exit.trap, core::TrapCode::kIllegalInstruction);  // udf #0
  EXPECT_EQ(Lift({0xd4400000}).exit.trap, core::TrapCode::kIllegalInstruction);  // hlt #0
}

TEST(Arm64LiftBlock, SvcEndsTheBlockWithASyscall) {
  ir::Block b = Lift({kNop, 0xd4000001, kNop});  // nop; svc #0; nop
  EXPECT_EQ(b.exit.kind, ir::ExitKind::kSyscall);
  EXPECT_EQ(b.exit.info, kPc + 4);
  EXPECT_EQ(b.exit.target, kPc + 8);
  EXPECT_EQ(b.insn_count, 2u);
}

TEST(Arm64LiftBlock, IcIvauIsACodeSyncIsbIsNot) {
  ir::Block b = Lift({0xd5033fdf, 0xd50b7520, kNop});  // isb; ic ivau, x0; nop
  EXPECT_EQ(b.exit.kind, ir::ExitKind::kCodeSync);
  EXPECT_EQ(b.exit.target, kPc + 8);
  EXPECT_EQ(b.insn_count, 2u);
}

TEST(Arm64LiftBlock, MisalignedPcTraps) {
  ir::Block b = Lift({kNop, kNop}, kPc + 2);
  EXPECT_EQ(b.exit.kind, ir::ExitKind::kTrap);
  EXPECT_EQ(b.exit.trap, core::TrapCode::kMisaligned);
  EXPECT_EQ(b.exit.target, kPc + 2);
  EXPECT_EQ(b.exit.info, kPc + 2);
}

TEST(Arm64LiftBlock, FetchFaultAndBudget) {
  ir::Block f = Lift({kNop});  // runs off the end of the code
  EXPECT_EQ(f.exit.trap, core::TrapCode::kFetchFault);
  EXPECT_EQ(f.exit.info, kPc + 4);
  ir::Block budget = Lift({kNop, kNop, kNop}, kPc, 2);
  EXPECT_EQ(budget.exit.kind, ir::ExitKind::kJump);
  EXPECT_EQ(budget.exit.target, kPc + 8);
  EXPECT_EQ(budget.insn_count, 2u);
}

TEST(Arm64LiftBlock, CallsAndReturnsCarryHints) {
  ir::Block bl = Lift({0x94000004});  // bl +16
  EXPECT_EQ(bl.exit.hint, ir::BranchHint::kCall);
  EXPECT_EQ(bl.exit.target, kPc + 16);
  EXPECT_EQ(bl.exit.fallthrough, kPc + 4);
  EXPECT_EQ(Lift({0xd65f03c0}).exit.hint, ir::BranchHint::kReturn);  // ret
  EXPECT_EQ(Lift({0xd63f0020}).exit.hint, ir::BranchHint::kCall);    // blr x1
}

TEST(Arm64LiftBlock, RegisterNames) {
  Arm64Lifter lifter;
  EXPECT_EQ(lifter.RegName(XOffset(0)), "x0");
  EXPECT_EQ(lifter.RegName(XOffset(30)), "x30");
  EXPECT_EQ(lifter.RegName(kSpOffset), "sp");
  EXPECT_EQ(lifter.RegName(QOffset(31)), "q31");
  EXPECT_EQ(lifter.RegName(kNOffset), "n");
  EXPECT_EQ(lifter.RegName(kTpidrOffset), "tpidr_el0");
}

}  // namespace
}  // namespace polyvm::frontend::arm64
