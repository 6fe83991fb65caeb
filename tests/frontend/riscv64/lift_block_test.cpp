// Block formation: GuestInsn markers and instruction counts, how each kind of instruction ends a
// block (exits, targets, call/return hints), fetch faults, the instruction budget, x0, fences.
// Instruction words come from riscv64-linux-gnu-as (see the comments).
#include <gtest/gtest.h>

#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/ir/verifier.h"
#include "test_util.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::BranchHint;
using ir::ExitKind;
using ir::Opcode;
using test::BufferReader;
using test::Code;

ir::Block LiftAt(uint64_t pc, std::initializer_list<uint32_t> insns, uint32_t max_insns = 64) {
  Riscv64Lifter lifter;
  BufferReader code(pc, Code(insns));
  ir::LiftOptions options;
  options.max_insns = max_insns;
  ir::Block block;
  lifter.Lift(pc, code, options, block);
  for (const std::string& e : ir::Verify(block)) ADD_FAILURE() << e;
  return block;
}

std::vector<std::pair<uint64_t, uint32_t>> Markers(const ir::Block& b) {
  std::vector<std::pair<uint64_t, uint32_t>> out;
  for (const ir::Inst& inst : b.insts) {
    if (inst.op == Opcode::kGuestInsn) out.emplace_back(inst.imm, inst.aux);
  }
  return out;
}

size_t Count(const ir::Block& b, Opcode op) {
  size_t n = 0;
  for (const ir::Inst& inst : b.insts) n += inst.op == op;
  return n;
}

TEST(LiftBlock, StraightLineEndsAtJal) {
  ir::Block b =
      LiftAt(0x1000, {0x00158513 /* addi a0,a1,1 */, 0x0505 /* c.addi a0,1 */,
                      0x00c58533 /* add a0,a1,a2 */, 0x100000ef /* jal ra,.+0x100 */, 0x00158513});
  EXPECT_EQ(b.pc, 0x1000u);
  EXPECT_EQ(b.size, 14u);
  EXPECT_EQ(b.insn_count, 4u);
  using M = std::pair<uint64_t, uint32_t>;
  EXPECT_EQ(Markers(b), (std::vector<M>{{0x1000, 4}, {0x1004, 2}, {0x1006, 4}, {0x100a, 4}}));
  EXPECT_EQ(b.exit.kind, ExitKind::kJump);
  EXPECT_EQ(b.exit.target, 0x110au);
  EXPECT_EQ(b.exit.hint, BranchHint::kCall);
  EXPECT_EQ(b.exit.fallthrough, 0x100eu);
  EXPECT_EQ(b.exit.insn_count, 4u);
  EXPECT_TRUE(b.side_exits.empty());
}

TEST(LiftBlock, InstructionBudgetEndsTheBlock) {
  ir::Block b = LiftAt(0x1000, {0x00158513, 0x00158513, 0x00158513, 0x00158513}, 2);
  EXPECT_EQ(b.insn_count, 2u);
  EXPECT_EQ(b.size, 8u);
  EXPECT_EQ(b.exit.kind, ExitKind::kJump);
  EXPECT_EQ(b.exit.target, 0x1008u);
  EXPECT_EQ(b.exit.hint, BranchHint::kNone);
  EXPECT_EQ(b.exit.insn_count, 2u);
}

struct HintCase {
  uint32_t raw;
  const char* text;
  ExitKind kind;
  BranchHint hint;
  int64_t target;  // relative to pc, for direct jumps
};

TEST(LiftBlock, JumpsCarryCallAndReturnHints) {
  const HintCase cases[] = {
      {0x100000ef, "jal ra,.+0x100", ExitKind::kJump, BranchHint::kCall, 0x100},
      {0xff9ff2ef, "jal t0,.-8", ExitKind::kJump, BranchHint::kCall, -8},
      {0x0100006f, "jal zero,.+16", ExitKind::kJump, BranchHint::kNone, 16},
      {0xbff5, "c.j .-4", ExitKind::kJump, BranchHint::kNone, -4},
      {0x00008067, "jalr zero,0(ra)", ExitKind::kIndirect, BranchHint::kReturn, 0},
      {0x00028067, "jalr zero,0(t0)", ExitKind::kIndirect, BranchHint::kReturn, 0},
      {0x00408067, "jalr zero,4(ra)", ExitKind::kIndirect, BranchHint::kNone, 0},
      {0x008500e7, "jalr ra,8(a0)", ExitKind::kIndirect, BranchHint::kCall, 0},
      {0x000082e7, "jalr t0,0(ra)", ExitKind::kIndirect, BranchHint::kCall, 0},
      {0x00050567, "jalr a0,0(a0)", ExitKind::kIndirect, BranchHint::kNone, 0},
      {0x8082, "c.jr ra", ExitKind::kIndirect, BranchHint::kReturn, 0},
      {0x8282, "c.jr t0", ExitKind::kIndirect, BranchHint::kReturn, 0},
      {0x9502, "c.jalr a0", ExitKind::kIndirect, BranchHint::kCall, 0},
  };
  const uint64_t pc = 0x40000;
  for (const HintCase& c : cases) {
    SCOPED_TRACE(c.text);
    ir::Block b = LiftAt(pc, {c.raw});
    unsigned len = (c.raw & 3) == 3 ? 4 : 2;
    EXPECT_EQ(b.insn_count, 1u);
    EXPECT_EQ(b.exit.insn_count, 1u);
    EXPECT_EQ(b.exit.kind, c.kind);
    EXPECT_EQ(b.exit.hint, c.hint);
    if (c.kind == ExitKind::kJump) {
      EXPECT_EQ(b.exit.target, pc + c.target);
    }
    if (c.hint == BranchHint::kCall) {
      EXPECT_EQ(b.exit.fallthrough, pc + len);
    }
  }
}

TEST(LiftBlock, JalrMasksBitZeroAndReadsRs1BeforeWritingRd) {
  ir::Block b = LiftAt(0x1000, {0x00050567 /* jalr a0,0(a0) */});
  ASSERT_EQ(b.exit.kind, ExitKind::kIndirect);
  const ir::Inst& target = b.insts[b.exit.value];
  ASSERT_EQ(target.op, Opcode::kAnd);
  EXPECT_EQ(b.insts[target.args[1]].op, Opcode::kConst);
  EXPECT_EQ(b.insts[target.args[1]].imm, ~uint64_t{1});
  const ir::Inst& base = b.insts[target.args[0]];
  EXPECT_EQ(base.op, Opcode::kGetReg);
  EXPECT_EQ(base.imm, XOffset(10));
  size_t set = 0;
  for (size_t i = 0; i < b.insts.size(); ++i) {
    if (b.insts[i].op == Opcode::kSetReg && b.insts[i].imm == XOffset(10)) set = i;
  }
  ASSERT_NE(set, 0u);
  EXPECT_GT(set, static_cast<size_t>(target.args[0]));
  EXPECT_EQ(b.insts[b.insts[set].args[0]].imm, 0x1004u);  // the return address
}

TEST(LiftBlock, ConditionalBranches) {
  ir::Block beq = LiftAt(0x2000, {0xfeb508e3 /* beq a0,a1,.-16 */});
  EXPECT_EQ(beq.exit.kind, ExitKind::kBranch);
  EXPECT_EQ(beq.exit.target, 0x1ff0u);
  EXPECT_EQ(beq.exit.fallthrough, 0x2004u);
  EXPECT_EQ(beq.insts[beq.exit.value].op, Opcode::kCmpEq);

  // bgeu a1, a0 is a0 <= a1 (unsigned).
  ir::Block bgeu = LiftAt(0x2000, {0x02a5f063 /* bgeu a1,a0,.+32 */});
  EXPECT_EQ(bgeu.exit.target, 0x2020u);
  const ir::Inst& cmp = bgeu.insts[bgeu.exit.value];
  EXPECT_EQ(cmp.op, Opcode::kCmpLeU);
  EXPECT_EQ(bgeu.insts[cmp.args[0]].imm, XOffset(10));
  EXPECT_EQ(bgeu.insts[cmp.args[1]].imm, XOffset(11));

  ir::Block beqz = LiftAt(0x2000, {0xc501 /* c.beqz a0,.+8 */});
  EXPECT_EQ(beqz.exit.kind, ExitKind::kBranch);
  EXPECT_EQ(beqz.exit.target, 0x2008u);
  EXPECT_EQ(beqz.exit.fallthrough, 0x2002u);
  EXPECT_EQ(beqz.size, 2u);
}

TEST(LiftBlock, EcallIsASyscallExitAfterTheInstruction) {
  ir::Block b = LiftAt(0x3000, {0x00158513, 0x00000073 /* ecall */, 0x00158513});
  EXPECT_EQ(b.exit.kind, ExitKind::kSyscall);
  EXPECT_EQ(b.exit.target, 0x3008u);
  EXPECT_EQ(b.exit.info, 0x3004u);
  EXPECT_EQ(b.exit.insn_count, 2u);
  EXPECT_EQ(b.insn_count, 2u);
  EXPECT_EQ(b.size, 8u);
}

TEST(LiftBlock, EbreakTrapsAtItsOwnPc) {
  ir::Block b = LiftAt(0x3000, {0x00158513, 0x00100073 /* ebreak */});
  EXPECT_EQ(b.exit.kind, ExitKind::kTrap);
  EXPECT_EQ(b.exit.trap, core::TrapCode::kBreakpoint);
  EXPECT_EQ(b.exit.target, 0x3004u);
  EXPECT_EQ(b.exit.info, 0x00100073u);
  EXPECT_EQ(b.exit.insn_count, 1u);
  EXPECT_EQ(b.insn_count, 1u);
  EXPECT_EQ(b.size, 8u);
  EXPECT_EQ(Markers(b).size(), 1u);

  ir::Block c = LiftAt(0x3000, {0x9002 /* c.ebreak */});
  EXPECT_EQ(c.exit.trap, core::TrapCode::kBreakpoint);
  EXPECT_EQ(c.exit.info, 0x9002u);
  EXPECT_TRUE(c.insts.empty());
  EXPECT_EQ(c.size, 2u);
}

TEST(LiftBlock, FenceIIsACodeSyncExit) {
  ir::Block b = LiftAt(0x3000, {0x0000100f /* fence.i */});
  EXPECT_EQ(b.exit.kind, ExitKind::kCodeSync);
  EXPECT_EQ(b.exit.target, 0x3004u);
  EXPECT_EQ(b.exit.insn_count, 1u);
}

TEST(LiftBlock, FetchFaults) {
  Riscv64Lifter lifter;
  ir::Block b;
  // Nothing mapped at pc.
  BufferReader none(0x9000, {});
  lifter.Lift(0x4000, none, {}, b);
  EXPECT_EQ(b.exit.kind, ExitKind::kTrap);
  EXPECT_EQ(b.exit.trap, core::TrapCode::kFetchFault);
  EXPECT_EQ(b.exit.target, 0x4000u);
  EXPECT_EQ(b.exit.info, 0x4000u);
  EXPECT_TRUE(b.insts.empty());
  EXPECT_EQ(b.size, 0u);

  // A 32-bit instruction whose second half is not mapped: the fault is at its third byte.
  BufferReader half(0x4000, {0x13, 0x85, 0x15, 0x00, 0x13, 0x85});
  lifter.Lift(0x4000, half, {}, b);
  EXPECT_TRUE(ir::Verify(b).empty());
  EXPECT_EQ(b.exit.trap, core::TrapCode::kFetchFault);
  EXPECT_EQ(b.exit.target, 0x4004u);
  EXPECT_EQ(b.exit.info, 0x4006u);
  EXPECT_EQ(b.exit.insn_count, 1u);
  EXPECT_EQ(b.insn_count, 1u);
  EXPECT_EQ(b.size, 6u);

  // A compressed instruction needs only its two bytes; the next one faults.
  BufferReader rvc(0x4000, Code({0x0505 /* c.addi a0,1 */}));
  lifter.Lift(0x4000, rvc, {}, b);
  EXPECT_EQ(b.exit.trap, core::TrapCode::kFetchFault);
  EXPECT_EQ(b.exit.target, 0x4002u);
  EXPECT_EQ(b.exit.info, 0x4002u);
  EXPECT_EQ(b.insn_count, 1u);

  // A block ending in a jump does not fetch past it.
  BufferReader jump(0x4000, Code({0x0100006f /* jal zero,.+16 */}));
  lifter.Lift(0x4000, jump, {}, b);
  EXPECT_EQ(b.exit.kind, ExitKind::kJump);
}

TEST(LiftBlock, X0ReadsAsZeroAndIsNeverWritten) {
  ir::Block w = LiftAt(0x1000, {0x00150013 /* addi zero,a0,1 */}, 1);
  EXPECT_EQ(Count(w, Opcode::kSetReg), 0u);
  ir::Block r = LiftAt(0x1000, {0x00000533 /* add a0,zero,zero */}, 1);
  EXPECT_EQ(Count(r, Opcode::kGetReg), 0u);
  ASSERT_EQ(Count(r, Opcode::kSetReg), 1u);
  // A load into x0 still accesses memory (it may fault).
  ir::Block l = LiftAt(0x1000, {0x00012003 /* lw zero,0(sp) */}, 1);
  EXPECT_EQ(Count(l, Opcode::kLoad), 1u);
  EXPECT_EQ(Count(l, Opcode::kSetReg), 0u);
}

TEST(LiftBlock, FenceKindsFromPredecessorAndSuccessorSets) {
  struct Case {
    uint32_t raw;
    const char* text;
    int kind;  // -1: no Fence op
  };
  const Case cases[] = {
      {0x0ff0000f, "fence iorw,iorw", ir::kFenceAll},
      {0x0330000f, "fence rw,rw", ir::kFenceAll},
      {0x0220000f, "fence r,r", ir::kFenceLoadLoad},
      {0x0110000f, "fence w,w", ir::kFenceStoreStore},
      {0x0210000f, "fence r,w", ir::kFenceLoadStore},
      {0x0120000f, "fence w,r", ir::kFenceStoreLoad},
      {0x0840000f, "fence i,o", ir::kFenceLoadStore},
      {0x8330000f, "fence.tso", ir::kFenceLoadLoad | ir::kFenceLoadStore | ir::kFenceStoreStore},
      {0x0100000f, "fence w,0 (pause)", -1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ir::Block b = LiftAt(0x1000, {c.raw}, 1);
    ASSERT_EQ(Count(b, Opcode::kFence), c.kind < 0 ? 0u : 1u);
    for (const ir::Inst& inst : b.insts) {
      if (inst.op == Opcode::kFence) {
        EXPECT_EQ(inst.aux, static_cast<uint32_t>(c.kind));
      }
    }
  }
}

TEST(LiftBlock, AtomicsAreAlignedWithOrderFromAqRl) {
  struct Case {
    uint32_t raw;
    const char* text;
    Opcode op;
    ir::MemOrder order;
    ir::Type type;
  };
  const Case cases[] = {
      {0x18b6252f, "sc.w a0,a1,(a2)", Opcode::kStoreCond, ir::MemOrder::kPlain, ir::Type::kI1},
      {0x06b6252f, "amoadd.w.aqrl a0,a1,(a2)", Opcode::kAtomicRmw, ir::MemOrder::kSeqCst,
       ir::Type::kI32},
      {0x1405b52f, "lr.d.aq a0,(a1)", Opcode::kLoadLinked, ir::MemOrder::kAcquire, ir::Type::kI64},
      {0x0ab6352f, "amoswap.d.rl a0,a1,(a2)", Opcode::kAtomicRmw, ir::MemOrder::kRelease,
       ir::Type::kI64},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ir::Block b = LiftAt(0x1000, {c.raw}, 1);
    ASSERT_EQ(Count(b, c.op), 1u);
    for (const ir::Inst& inst : b.insts) {
      if (inst.op != c.op) continue;
      ir::MemFlags f = ir::MemFlags::Decode(inst.aux);
      EXPECT_TRUE(f.aligned);
      EXPECT_EQ(f.order, c.order);
      EXPECT_EQ(inst.type, c.type);
    }
  }
}

TEST(LiftBlock, RegNames) {
  Riscv64Lifter lifter;
  EXPECT_EQ(lifter.RegName(XOffset(0)), "zero");
  EXPECT_EQ(lifter.RegName(XOffset(2)), "sp");
  EXPECT_EQ(lifter.RegName(XOffset(8)), "s0");
  EXPECT_EQ(lifter.RegName(XOffset(31)), "t6");
  EXPECT_EQ(lifter.RegName(FOffset(0)), "ft0");
  EXPECT_EQ(lifter.RegName(FOffset(10)), "fa0");
  EXPECT_EQ(lifter.RegName(FOffset(27)), "fs11");
  EXPECT_EQ(lifter.RegName(kFrmOffset), "frm");
  EXPECT_EQ(lifter.RegName(XOffset(1) + 4), "");
  EXPECT_EQ(lifter.ArchName(), "riscv64");
  EXPECT_EQ(lifter.StateSize(), sizeof(Riscv64State));
}

}  // namespace
}  // namespace polyvm::frontend::riscv64
