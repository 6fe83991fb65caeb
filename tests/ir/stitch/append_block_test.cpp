// AppendBlock: golden seams (jump dropped, branch turned into a side exit with the compare
// inverted, counts shifted), and random pairs of blocks whose stitched form must do what running
// the first block and then, if it continued there, the second does — judged by the reference
// evaluator of the pass tests (tests/ir/passes/ref_eval.*), also after ir::passes::Optimize.
#include <gtest/gtest.h>

#include <string>

#include "../passes/random_block.h"
#include "../passes/ref_eval.h"
#include "polyvm/ir/builder.h"
#include "polyvm/ir/passes/pipeline.h"
#include "polyvm/ir/printer.h"
#include "polyvm/ir/stitch.h"
#include "polyvm/ir/verifier.h"

namespace polyvm::ir::testing {
namespace {

constexpr uint64_t kHead = 0x10000, kNext = 0x20000, kCold = 0x30000;

std::string Errors(const Block& b) {
  std::string s;
  for (const std::string& e : Verify(b)) s += e + "\n";
  return s;
}

// A block of `insns` 4-byte instructions at pc: r0 += 1 per instruction.
Block Counting(uint64_t pc, uint32_t insns) {
  Block b;
  b.pc = pc;
  b.size = 4 * insns;
  b.insn_count = insns;
  Builder ir(b);
  for (uint32_t k = 0; k < insns; ++k) {
    ir.GuestInsn(pc + 4 * k, 4);
    ir.SetReg(kRegBase, ir.Add(ir.GetReg(Type::kI64, kRegBase), ir.I64(1)));
  }
  return b;
}

TEST(AppendBlock, JumpSeamIsDropped) {
  Block head = Counting(kHead, 2);
  head.exit = {.kind = ExitKind::kJump, .target = kNext, .insn_count = 2};
  Block next = Counting(kNext, 3);
  next.exit = {.kind = ExitKind::kJump, .target = kCold, .insn_count = 3};
  ASSERT_TRUE(AppendBlock(head, next));
  EXPECT_EQ(Errors(head), "");
  EXPECT_TRUE(head.side_exits.empty());
  EXPECT_EQ(head.exit.kind, ExitKind::kJump);
  EXPECT_EQ(head.exit.target, kCold);
  EXPECT_EQ(head.exit.insn_count, 5u);
  EXPECT_EQ(head.insn_count, 5u);
  EXPECT_EQ(head.size, 0u);  // not one range any more
  // Optimised across the seam, the five increments read r0 once and write it once.
  Block opt = passes::Optimize(head);
  int gets = 0, sets = 0;
  for (const Inst& inst : opt.insts) {
    gets += inst.op == Opcode::kGetReg;
    sets += inst.op == Opcode::kSetReg;
  }
  EXPECT_EQ(gets, 1);
  EXPECT_EQ(sets, 1);
}

TEST(AppendBlock, OtherExitsAreRefused) {
  Block head = Counting(kHead, 1);
  const size_t insts = head.insts.size();
  head.exit = {.kind = ExitKind::kJump, .target = kCold, .insn_count = 1};
  const Block next = Counting(kNext, 1);
  EXPECT_FALSE(AppendBlock(head, next));
  head.exit = {.kind = ExitKind::kSyscall, .target = kNext, .insn_count = 1};
  EXPECT_FALSE(AppendBlock(head, next));
  EXPECT_EQ(head.insts.size(), insts);  // untouched
  EXPECT_EQ(head.size, 4u);
}

// r0 < r1 (signed) branches to `target`, else falls through to `fallthrough`.
Block CompareAndBranch(uint64_t target, uint64_t fallthrough) {
  Block b;
  b.pc = kHead;
  b.size = 4;
  b.insn_count = 1;
  Builder ir(b);
  ir.GuestInsn(kHead, 4);
  Value r0 = ir.GetReg(Type::kI64, kRegBase);      // v1
  Value r1 = ir.GetReg(Type::kI64, kRegBase + 8);  // v2
  Value c = ir.Cmp(Opcode::kCmpLtS, r0, r1);
  b.exit = {.kind = ExitKind::kBranch,
            .value = c.id,
            .target = target,
            .fallthrough = fallthrough,
            .insn_count = 1};
  return b;
}

TEST(AppendBlock, BranchToNextLeavesWhenTheInverseHolds) {
  Block head = CompareAndBranch(kNext, kCold);
  Block next = Counting(kNext, 1);
  next.exit = {.kind = ExitKind::kJump, .target = kHead, .insn_count = 1};
  ASSERT_TRUE(AppendBlock(head, next));
  ASSERT_EQ(Errors(head), "");
  ASSERT_EQ(head.side_exits.size(), 1u);
  EXPECT_EQ(head.side_exits[0].kind, ExitKind::kJump);
  EXPECT_EQ(head.side_exits[0].target, kCold);
  EXPECT_EQ(head.side_exits[0].insn_count, 1u);
  // !(r0 < r1) is r1 <= r0: a fresh compare with swapped operands feeds the ExitIf.
  const Inst& exit_if = head.insts[5];  // after the marker, two GetRegs, both compares
  ASSERT_EQ(exit_if.op, Opcode::kExitIf);
  const Inst& cmp = head.insts[exit_if.args[0]];
  EXPECT_EQ(cmp.op, Opcode::kCmpLeS);
  EXPECT_EQ(cmp.args[0], 2u);
  EXPECT_EQ(cmp.args[1], 1u);
  EXPECT_EQ(head.exit.target, kHead);
  EXPECT_EQ(head.exit.insn_count, 2u);
}

TEST(AppendBlock, BranchFallingThroughToNextLeavesWhenTaken) {
  Block head = CompareAndBranch(kCold, kNext);
  Block next = Counting(kNext, 1);
  next.exit = {.kind = ExitKind::kJump, .target = kHead, .insn_count = 1};
  ASSERT_TRUE(AppendBlock(head, next));
  ASSERT_EQ(Errors(head), "");
  ASSERT_EQ(head.side_exits.size(), 1u);
  EXPECT_EQ(head.side_exits[0].target, kCold);
  EXPECT_EQ(head.insts[4].op, Opcode::kExitIf);
  EXPECT_EQ(head.insts[4].args[0], 3u);  // the branch's own compare
}

TEST(AppendBlock, RetiredCounterAndSideExitsOfNextAreShifted) {
  Block head = Counting(kHead, 3);
  head.exit = {.kind = ExitKind::kJump, .target = kNext, .insn_count = 3};
  Block next;
  next.pc = kNext;
  next.size = 8;
  next.insn_count = 2;
  Builder ir(next);
  ir.GuestInsn(kNext, 4);
  Value r = ir.Emit(Opcode::kReadCounter, Type::kI64, {}, {}, {}, 0,
                    static_cast<uint32_t>(Counter::kRetired));
  ir.SetReg(kRegBase + 8, ir.Add(r, ir.I64(0)));  // what a frontend adds for instruction 0
  ir.ExitIf(ir.Bool(true), {.kind = ExitKind::kTrap,
                            .trap = core::TrapCode::kIllegalInstruction,
                            .target = kNext,
                            .insn_count = 0});
  ir.GuestInsn(kNext + 4, 4);
  next.exit = {.kind = ExitKind::kJump, .target = kCold, .insn_count = 2};
  ASSERT_TRUE(AppendBlock(head, next));
  ASSERT_EQ(Errors(head), "");
  ASSERT_EQ(head.side_exits.size(), 1u);
  EXPECT_EQ(head.side_exits[0].insn_count, 3u);
  EXPECT_EQ(head.exit.insn_count, 5u);
  // The SetReg's value is (ReadCounter + 3) + 0.
  const Inst* set = nullptr;
  for (const Inst& inst : head.insts) {
    if (inst.op == Opcode::kSetReg && inst.imm == kRegBase + 8) set = &inst;
  }
  ASSERT_NE(set, nullptr);
  const Inst& add0 = head.insts[set->args[0]];
  const Inst& add3 = head.insts[add0.args[0]];
  ASSERT_EQ(add3.op, Opcode::kAdd);
  EXPECT_EQ(head.insts[add3.args[0]].op, Opcode::kReadCounter);
  EXPECT_EQ(head.insts[add3.args[1]].imm, 3u);
}

// ---- random pairs ----

// Moves a random block (all at 0x10000) to `pc`.
Block Relocated(Block b, uint64_t pc) {
  for (Inst& inst : b.insts) {
    if (inst.op == Opcode::kGuestInsn) inst.imm = inst.imm - b.pc + pc;
  }
  b.pc = pc;
  return b;
}

// Gives `head` an exit to kNext: a branch on one of its i1 values (or a fresh compare read only
// by the exit), either direction, or a jump.
void AimAtNext(Block& head, Rng& rng) {
  Builder ir(head);
  Exit e;
  e.insn_count = static_cast<uint32_t>(rng.Below(head.insn_count + 1));
  std::vector<ValueId> bools, ints;
  for (ValueId i = 0; i < head.insts.size(); ++i) {
    if (head.insts[i].type == Type::kI1) bools.push_back(i);
    if (head.insts[i].type == Type::kI64) ints.push_back(i);
  }
  const unsigned shape = static_cast<unsigned>(rng.Below(3));
  if (shape == 0 || (bools.empty() && ints.empty())) {
    e.kind = ExitKind::kJump;
    e.target = kNext;
  } else {
    e.kind = ExitKind::kBranch;
    if (!ints.empty() && (bools.empty() || shape == 1)) {
      static constexpr Opcode kCmps[] = {Opcode::kCmpEq,  Opcode::kCmpNe,  Opcode::kCmpLtS,
                                         Opcode::kCmpLtU, Opcode::kCmpLeS, Opcode::kCmpLeU};
      Value a = ir.ValueOf(ints[rng.Below(ints.size())]);
      Value b = ir.ValueOf(ints[rng.Below(ints.size())]);
      e.value = ir.Cmp(kCmps[rng.Below(6)], a, b).id;
    } else {
      e.value = bools[rng.Below(bools.size())];
    }
    const bool taken = rng.Chance(50);
    e.target = taken ? kNext : kCold;
    e.fallthrough = taken ? kCold : kNext;
  }
  head.exit = e;
}

// What running `head` and then, if it went to kNext, `next` gives, as the superblock reports it.
Outcome RunBoth(const Block& head, const Block& next, const std::vector<uint8_t>& state,
                const std::vector<uint8_t>& memory) {
  Outcome a = Evaluate(head, state, memory);
  if (a.how != Outcome::How::kExit) return a;
  const bool to_next =
      head.exit.kind == ExitKind::kJump ||
      ((a.exit_value & 1) ? head.exit.target == kNext : head.exit.fallthrough == kNext);
  if (!to_next) {  // the superblock's side exit, appended after head's own
    a.how = Outcome::How::kSideExit;
    a.side_exit = head.side_exits.size();
    Exit side;
    side.kind = ExitKind::kJump;
    side.target = kCold;
    side.insn_count = head.exit.insn_count;
    a.exit = side;
    a.exit_value = 0;
    return a;
  }
  Outcome b = Evaluate(next, a.state, a.memory);
  if (b.guest_pc == 0) b.guest_pc = a.guest_pc;
  // next's side exits follow head's and the seam's.
  if (b.how == Outcome::How::kSideExit)
    b.side_exit += head.side_exits.size() + (head.exit.kind == ExitKind::kBranch ? 1 : 0);
  if (b.how == Outcome::How::kExit || b.how == Outcome::How::kSideExit)
    b.exit.insn_count += head.exit.insn_count;
  return b;
}

TEST(AppendBlock, RandomPairsBehaveAsBothBlocksInSequence) {
  constexpr uint64_t kPairs = 2000;
  int checked_side = 0, checked_next = 0;
  for (uint64_t seed = 0; seed < kPairs; ++seed) {
    Rng rng(seed * 104729 + 7);
    Block head = RandomBlock(2 * seed);
    AimAtNext(head, rng);
    const Block next = Relocated(RandomBlock(2 * seed + 1), kNext);
    ASSERT_EQ(Errors(head), "") << seed;
    Block sb = head;
    ASSERT_TRUE(AppendBlock(sb, next)) << seed;
    ASSERT_EQ(Errors(sb), "") << seed << "\n" << Print(sb);
    const Block opt = passes::Optimize(sb);
    ASSERT_EQ(Errors(opt), "") << seed << "\n" << Print(opt);
    for (int k = 0; k < 3; ++k) {
      std::vector<uint8_t> state = RandomState(rng), memory = RandomMemory(rng);
      Outcome want = RunBoth(head, next, state, memory);
      ASSERT_NE(want.how, Outcome::How::kUnsupported) << want.unsupported;
      Outcome got = Evaluate(sb, state, memory);
      ASSERT_TRUE(got == want) << "seed " << seed << "\nhead:\n"
                               << Print(head) << "next:\n"
                               << Print(next) << "stitched:\n"
                               << Print(sb) << "expected: " << want.Describe()
                               << "\ngot: " << got.Describe();
      Outcome got_opt = Evaluate(opt, state, memory);
      ASSERT_TRUE(got_opt == want)
          << "seed " << seed << " optimised:\n"
          << Print(opt) << "expected: " << want.Describe() << "\ngot: " << got_opt.Describe();
      checked_side +=
          want.how == Outcome::How::kSideExit && want.side_exit == head.side_exits.size();
      checked_next += want.exit.target == next.exit.target && want.how == Outcome::How::kExit;
    }
  }
  // The pairs exercise both ways out of the seam.
  EXPECT_GT(checked_side, 100);
  EXPECT_GT(checked_next, 100);
}

}  // namespace
}  // namespace polyvm::ir::testing
