// FP lifting rules: the dynamic rounding-mode check, NaN boxing, the fflags/fcsr bit mapping and
// the counters. Mappings are checked by folding the lifted IR to constants (ir::passes::Optimize)
// and comparing with the values the manual gives.
#include <gtest/gtest.h>

#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/ir/passes/pipeline.h"
#include "polyvm/ir/verifier.h"
#include "test_util.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using test::BufferReader;
using test::Code;

constexpr uint32_t kAddiA0 = 0x00158513;     // addi a0,a1,1
constexpr uint32_t kFaddSDyn = 0x00c5f553;   // fadd.s fa0,fa1,fa2
constexpr uint32_t kFaddSRtz = 0x00c59553;   // fadd.s fa0,fa1,fa2,rtz
constexpr uint32_t kFmulDDyn = 0x12c5f553;   // fmul.d fa0,fa1,fa2
constexpr uint32_t kFsqrtDDyn = 0x5a057553;  // fsqrt.d fa0,fa0
constexpr uint32_t kWriteFrm = 0x00251073;   // csrrw zero,frm,a0
constexpr uint32_t kWriteFcsr = 0x00359573;  // csrrw a0,fcsr,a1
constexpr uint32_t kReadFrm = 0x00202573;    // csrrs a0,frm,zero

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

std::vector<size_t> Find(const ir::Block& b, Opcode op) {
  std::vector<size_t> out;
  for (size_t i = 0; i < b.insts.size(); ++i) {
    if (b.insts[i].op == op) out.push_back(i);
  }
  return out;
}

// The index of the GuestInsn marker of the instruction at pc.
size_t MarkerOf(const ir::Block& b, uint64_t pc) {
  for (size_t i = 0; i < b.insts.size(); ++i) {
    if (b.insts[i].op == Opcode::kGuestInsn && b.insts[i].imm == pc) return i;
  }
  ADD_FAILURE() << "no marker for 0x" << std::hex << pc;
  return 0;
}

TEST(LiftFp, DynamicRoundingChecksFrmOncePerBlock) {
  ir::Block b = LiftAt(0x5000, {kAddiA0, kFaddSDyn, kFmulDDyn, kFaddSRtz});
  ASSERT_EQ(b.side_exits.size(), 1u);
  const ir::Exit& e = b.side_exits[0];
  EXPECT_EQ(e.kind, ir::ExitKind::kTrap);
  EXPECT_EQ(e.trap, core::TrapCode::kIllegalInstruction);
  EXPECT_EQ(e.target, 0x5004u);
  EXPECT_EQ(e.info, kFaddSDyn);
  EXPECT_EQ(e.insn_count, 1u);
  // The check sits inside fadd.s, before its arithmetic, and tests frm > 4.
  std::vector<size_t> exit_if = Find(b, Opcode::kExitIf);
  ASSERT_EQ(exit_if.size(), 1u);
  EXPECT_GT(exit_if[0], MarkerOf(b, 0x5004));
  EXPECT_LT(exit_if[0], Find(b, Opcode::kFAdd)[0]);
  const ir::Inst& cond = b.insts[b.insts[exit_if[0]].args[0]];
  EXPECT_EQ(cond.op, Opcode::kCmpLtU);
  EXPECT_EQ(b.insts[cond.args[0]].imm, 4u);
  EXPECT_EQ(b.insts[cond.args[1]].op, Opcode::kGetReg);
  EXPECT_EQ(b.insts[cond.args[1]].imm, kFrmOffset);
  // Static rounding modes are encoded in the op; dynamic ones say kDynamic.
  std::vector<size_t> adds = Find(b, Opcode::kFAdd);
  ASSERT_EQ(adds.size(), 2u);
  EXPECT_EQ(ir::FpMode::Decode(b.insts[adds[0]].aux).rm, ir::RoundingMode::kDynamic);
  EXPECT_EQ(ir::FpMode::Decode(b.insts[adds[1]].aux).rm, ir::RoundingMode::kTowardZero);
  EXPECT_EQ(ir::FpMode::Decode(b.insts[adds[1]].aux).nan, ir::NanRule::kCanonical);
}

TEST(LiftFp, StaticRoundingNeedsNoCheck) {
  ir::Block b = LiftAt(0x5000, {kFaddSRtz, kAddiA0});
  EXPECT_TRUE(b.side_exits.empty());
}

TEST(LiftFp, FrmAndFcsrWritesRequireANewCheck) {
  ir::Block b = LiftAt(
      0x5000, {kFaddSDyn, kWriteFrm, kFmulDDyn, kReadFrm, kFsqrtDDyn, kWriteFcsr, kFaddSDyn});
  ASSERT_EQ(b.side_exits.size(), 3u);
  EXPECT_EQ(b.side_exits[0].target, 0x5000u);
  EXPECT_EQ(b.side_exits[0].insn_count, 0u);
  EXPECT_EQ(b.side_exits[1].target, 0x5008u);  // fmul.d after the frm write
  EXPECT_EQ(b.side_exits[1].insn_count, 2u);
  EXPECT_EQ(b.side_exits[2].target, 0x5018u);  // fadd.s after the fcsr write
  EXPECT_EQ(b.side_exits[2].insn_count, 6u);
}

// A guest value written to frm: stored as written (masked to 3 bits) and mirrored into the FP
// environment only when it is a valid rounding mode.
TEST(LiftFp, FrmWriteMirrorsValidModes) {
  struct Case {
    uint32_t raw;
    const char* text;
    uint64_t stored;
    uint64_t env;
  };
  const Case cases[] = {
      {0x0021d073, "csrrwi zero,frm,3", 3, 3},
      {0x00235073, "csrrwi zero,frm,6", 6, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ir::Block b = ir::passes::Optimize(LiftAt(0x1000, {c.raw}, 1));
    std::vector<size_t> round = Find(b, Opcode::kFpSetRound);
    ASSERT_EQ(round.size(), 1u);
    const ir::Inst& env = b.insts[b.insts[round[0]].args[0]];
    ASSERT_EQ(env.op, Opcode::kConst);
    EXPECT_EQ(env.imm, c.env);
    bool stored = false;
    for (const ir::Inst& inst : b.insts) {
      if (inst.op == Opcode::kSetReg && inst.imm == kFrmOffset) {
        EXPECT_EQ(b.insts[inst.args[0]].op, Opcode::kConst);
        EXPECT_EQ(b.insts[inst.args[0]].imm, c.stored);
        stored = true;
      }
    }
    EXPECT_TRUE(stored);
  }
}

// fflags NV DZ OF UF NX = 16 8 4 2 1 (manual, "Accrued Exception Flags") onto the IR's FpFlags.
TEST(LiftFp, FflagsWritesMapToIrFlags) {
  struct Case {
    uint32_t raw;
    const char* text;
    uint32_t ir_flags;
  };
  const Case cases[] = {
      {0x00185073, "csrrwi zero,fflags,16 (NV)", ir::kFpInvalid},
      {0x00145073, "csrrwi zero,fflags,8 (DZ)", ir::kFpDivByZero},
      {0x0010d073, "csrrwi zero,fflags,1 (NX)", ir::kFpInexact},
      {0x003fd073, "csrrwi zero,fcsr,31",
       ir::kFpInvalid | ir::kFpDivByZero | ir::kFpOverflow | ir::kFpUnderflow | ir::kFpInexact},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    ir::Block b = ir::passes::Optimize(LiftAt(0x1000, {c.raw}, 1));
    std::vector<size_t> set = Find(b, Opcode::kFpSetFlags);
    ASSERT_EQ(set.size(), 1u);
    const ir::Inst& v = b.insts[b.insts[set[0]].args[0]];
    ASSERT_EQ(v.op, Opcode::kConst);
    EXPECT_EQ(v.imm, c.ir_flags);
  }
}

// Replaces the first `op` of the block (a read of the environment) with a constant, folds, and
// returns the constant written to a0.
uint64_t FoldWithConstant(ir::Block b, Opcode op, ir::Type type, uint64_t value) {
  std::vector<size_t> at = Find(b, op);
  EXPECT_EQ(at.size(), 1u);
  if (at.empty()) return ~uint64_t{0};
  ir::Inst& inst = b.insts[at[0]];
  inst = ir::Inst{};
  inst.op = Opcode::kConst;
  inst.type = type;
  inst.imm = value;
  b = ir::passes::Optimize(b);
  for (const ir::Inst& i : b.insts) {
    if (i.op == Opcode::kSetReg && i.imm == XOffset(10)) {
      EXPECT_EQ(b.insts[i.args[0]].op, Opcode::kConst);
      return b.insts[i.args[0]].imm;
    }
  }
  ADD_FAILURE() << "no write to a0";
  return ~uint64_t{0};
}

TEST(LiftFp, FflagsAndFcsrReadsMapFromIrFlags) {
  ir::Block fflags = LiftAt(0x1000, {0x00102573 /* csrrs a0,fflags,zero */}, 1);
  EXPECT_EQ(FoldWithConstant(fflags, Opcode::kFpGetFlags, ir::Type::kI32, ir::kFpInvalid), 16u);
  EXPECT_EQ(FoldWithConstant(fflags, Opcode::kFpGetFlags, ir::Type::kI32, ir::kFpUnderflow), 2u);
  // x86's denormal-input flag has no RISC-V counterpart.
  EXPECT_EQ(FoldWithConstant(fflags, Opcode::kFpGetFlags, ir::Type::kI32,
                             ir::kFpDenormalInput | ir::kFpOverflow),
            4u);
  // fcsr = frm << 5 | fflags; frm here is whatever the state holds, so fold it too.
  ir::Block fcsr = LiftAt(0x1000, {0x00302573 /* csrrs a0,fcsr,zero */}, 1);
  std::vector<size_t> frm = Find(fcsr, Opcode::kGetReg);
  ASSERT_EQ(frm.size(), 1u);
  fcsr.insts[frm[0]] = ir::Inst{};
  fcsr.insts[frm[0]].op = Opcode::kConst;
  fcsr.insts[frm[0]].type = ir::Type::kI32;
  fcsr.insts[frm[0]].imm = 2;  // rdn
  EXPECT_EQ(FoldWithConstant(fcsr, Opcode::kFpGetFlags, ir::Type::kI32, ir::kFpDivByZero), 0x48u);
}

TEST(LiftFp, CountersReadHostCounters) {
  // time: a 10 MHz timebase from nanoseconds.
  ir::Block time = LiftAt(0x1000, {0xc0102573 /* csrrs a0,time,zero */}, 1);
  ASSERT_EQ(Find(time, Opcode::kReadCounter).size(), 1u);
  EXPECT_EQ(time.insts[Find(time, Opcode::kReadCounter)[0]].aux,
            static_cast<uint32_t>(ir::Counter::kNanos));
  EXPECT_EQ(FoldWithConstant(time, Opcode::kReadCounter, ir::Type::kI64, 1'000'000'000),
            10'000'000u);
  // instret: the retired count at block entry plus this block's completed instructions.
  ir::Block instret = LiftAt(0x1000, {kAddiA0, kAddiA0, 0xc0202573 /* csrrs a0,instret,zero */}, 3);
  EXPECT_EQ(instret.insts[Find(instret, Opcode::kReadCounter)[0]].aux,
            static_cast<uint32_t>(ir::Counter::kRetired));
  EXPECT_EQ(FoldWithConstant(instret, Opcode::kReadCounter, ir::Type::kI64, 100), 102u);
  ir::Block cycle = LiftAt(0x1000, {0xc0002573 /* csrrs a0,cycle,zero */}, 1);
  EXPECT_EQ(cycle.insts[Find(cycle, Opcode::kReadCounter)[0]].aux,
            static_cast<uint32_t>(ir::Counter::kCycles));
}

// NaN boxing, evaluated on constant register contents.
uint64_t FoldF32Move(uint32_t raw, uint64_t source_bits, uint32_t dest_offset) {
  ir::Block b = LiftAt(0x1000, {raw}, 1);
  for (ir::Inst& inst : b.insts) {
    if (inst.op == Opcode::kGetReg) {
      uint32_t offset = static_cast<uint32_t>(inst.imm);
      ir::Type t = inst.type;
      inst = ir::Inst{};
      inst.op = Opcode::kConst;
      inst.type = t;
      inst.imm = offset == FOffset(12) ? 0xffffffff80000000 : source_bits;  // fa2 = boxed -0.0f
    }
  }
  b = ir::passes::Optimize(b);
  for (const ir::Inst& inst : b.insts) {
    if (inst.op == Opcode::kSetReg && inst.imm == dest_offset) {
      EXPECT_EQ(b.insts[inst.args[0]].op, Opcode::kConst);
      return b.insts[inst.args[0]].imm;
    }
  }
  ADD_FAILURE() << "no write";
  return 0;
}

TEST(LiftFp, NanBoxing) {
  constexpr uint32_t kFmvXW = 0xe0058553;   // fmv.x.w a0,fa1
  constexpr uint32_t kFmvWX = 0xf0058553;   // fmv.w.x fa0,a1
  constexpr uint32_t kFsgnjS = 0x20c58553;  // fsgnj.s fa0,fa1,fa2
  // fmv.x.w moves the low 32 bits, boxed or not, sign-extended.
  EXPECT_EQ(FoldF32Move(kFmvXW, 0xffffffff3f800000, XOffset(10)), 0x3f800000u);
  EXPECT_EQ(FoldF32Move(kFmvXW, 0x00000000bf800000, XOffset(10)), 0xffffffffbf800000u);
  // fmv.w.x boxes.
  EXPECT_EQ(FoldF32Move(kFmvWX, 0x123456783f800000, FOffset(10)), 0xffffffff3f800000u);
  // fsgnj.s with fa2 = -0.0f: a boxed 1.0f becomes -1.0f; an unboxed value reads as the canonical
  // NaN, which takes the sign.
  EXPECT_EQ(FoldF32Move(kFsgnjS, 0xffffffff3f800000, FOffset(10)), 0xffffffffbf800000u);
  EXPECT_EQ(FoldF32Move(kFsgnjS, 0x000000003f800000, FOffset(10)), 0xffffffffffc00000u);
}

TEST(LiftFp, FmaddFamilyNegatesTheRightOperands) {
  // fnmadd.d = -(a*b) - c: rs1 and rs3 negated.
  ir::Block b = LiftAt(0x1000, {0x6ac5854f /* fnmadd.d fa0,fa1,fa2,fa3,rne */}, 1);
  std::vector<size_t> fma = Find(b, Opcode::kFMulAdd);
  ASSERT_EQ(fma.size(), 1u);
  const ir::Inst& op = b.insts[fma[0]];
  EXPECT_EQ(b.insts[op.args[0]].op, Opcode::kFNeg);
  EXPECT_NE(b.insts[op.args[1]].op, Opcode::kFNeg);
  EXPECT_EQ(b.insts[op.args[2]].op, Opcode::kFNeg);
  EXPECT_EQ(ir::FpMode::Decode(op.aux).rm, ir::RoundingMode::kNearestEven);
}

TEST(LiftFp, ConversionsToWordsAreSignExtended) {
  ir::Block b = LiftAt(0x1000, {0xc0159553 /* fcvt.wu.s a0,fa1,rtz */}, 1);
  std::vector<size_t> cvt = Find(b, Opcode::kFToUInt);
  ASSERT_EQ(cvt.size(), 1u);
  EXPECT_EQ(b.insts[cvt[0]].type, ir::Type::kI32);
  ir::FpMode mode = ir::FpMode::Decode(b.insts[cvt[0]].aux);
  EXPECT_EQ(mode.rm, ir::RoundingMode::kTowardZero);
  EXPECT_EQ(mode.rule, static_cast<uint8_t>(ir::CvtRule::kSaturateNanMax));
  EXPECT_EQ(Find(b, Opcode::kSExt).size(), 1u);
}

}  // namespace
}  // namespace polyvm::frontend::riscv64
