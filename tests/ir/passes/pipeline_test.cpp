// The standard pipeline on guest-shaped blocks: results derived by hand from the pass rules.
#include "polyvm/ir/passes/pipeline.h"

#include <gtest/gtest.h>

#include "pass_test_util.h"

namespace polyvm::ir::testing {
namespace {

using passes::Optimize;

TEST(Optimize, RiscvStyleSequence) {
  TestBlock t;
  Builder& ir = t.ir;
  ir.GuestInsn(0x1000, 4);  // addi a0, a0, 1   (a0 = r0, a1 = r1, a2 = r2)
  Value x = ir.GetReg(Type::kI64, R(0));
  Value one = ir.I64(1);
  ir.SetReg(R(0), ir.Add(x, one));
  ir.GuestInsn(0x1004, 4);  // addi a0, a0, 2
  Value a0 = ir.GetReg(Type::kI64, R(0));
  Value two = ir.I64(2);
  ir.SetReg(R(0), ir.Add(a0, two));
  ir.GuestInsn(0x1008, 4);  // mv a1, a0
  ir.SetReg(R(1), ir.GetReg(Type::kI64, R(0)));
  ir.GuestInsn(0x100c, 4);  // li a2, 5 = addi a2, x0, 5 (x0 is the constant 0)
  Value zero = ir.I64(0);
  Value five = ir.I64(5);
  ir.SetReg(R(2), ir.Add(zero, five));
  EXPECT_EQ(RunPass(Optimize, t.b), Expected("  ---- 0x1000 (4 bytes)\n"
                                             "  v1:i64 = GetReg r0\n"
                                             "  v2:i64 = Const 0x1\n"
                                             "  v3:i64 = Add v1, v2\n"
                                             "  ---- 0x1004 (4 bytes)\n"
                                             "  v5:i64 = Const 0x2\n"
                                             "  v6:i64 = Add v3, v5\n"
                                             "  SetReg r0, v6\n"
                                             "  ---- 0x1008 (4 bytes)\n"
                                             "  SetReg r1, v6\n"
                                             "  ---- 0x100c (4 bytes)\n"
                                             "  v11:i64 = Const 0x5\n"
                                             "  SetReg r2, v11\n"));
}

// AArch64 SUBS x0, x1, x2; ADDS x3, x0, x1; B.EQ: NZCV live in four i1 bytes. The SUBS flags are
// overwritten unread, so their writes and computations disappear; B.EQ reads Z from the ADDS.
TEST(Optimize, UnreadFlagsDisappear) {
  constexpr uint32_t kN = 160, kZ = 161, kC = 162, kV = 163;
  auto names = [](uint32_t off) -> std::string {
    if (off >= kN && off <= kV) return std::string(1, "nzcv"[off - kN]);
    return RName(off);
  };
  TestBlock t;
  Builder& ir = t.ir;
  auto set_nzcv = [&](Value r, Value c, Value v) {
    Value zero = ir.I64(0);
    ir.SetReg(kN, ir.Cmp(Opcode::kCmpLtS, r, zero));
    ir.SetReg(kZ, ir.Cmp(Opcode::kCmpEq, r, zero));
    ir.SetReg(kC, c);
    ir.SetReg(kV, v);
  };
  ir.GuestInsn(0x1000, 4);
  Value x1 = ir.GetReg(Type::kI64, R(1));
  Value x2 = ir.GetReg(Type::kI64, R(2));
  Value d = ir.Sub(x1, x2);
  ir.SetReg(R(0), d);
  Value borrow = ir.Op(Opcode::kSubBorrow, x1, x2);
  Value carry = ir.Not(borrow);  // AArch64 C after a subtraction is NOT borrow
  set_nzcv(d, carry, ir.Op(Opcode::kSubOverflow, x1, x2));
  ir.GuestInsn(0x1004, 4);
  Value a = ir.GetReg(Type::kI64, R(0));
  Value b = ir.GetReg(Type::kI64, R(1));
  Value s = ir.Add(a, b);
  ir.SetReg(R(3), s);
  Value c2 = ir.Op(Opcode::kAddCarry, a, b);
  set_nzcv(s, c2, ir.Op(Opcode::kAddOverflow, a, b));
  ir.GuestInsn(0x1008, 4);
  Value z = ir.GetReg(Type::kI1, kZ);
  t.b.exit = {.kind = ExitKind::kBranch,
              .value = z.id,
              .target = 0x2000,
              .fallthrough = 0x100c,
              .insn_count = 3};
  Block out = Optimize(t.b);
  EXPECT_EQ(Verify(out), std::vector<std::string>{});
  EXPECT_EQ(Print(out, names),
            "block 0x1000 size=16 insns=4\n"
            "  ---- 0x1000 (4 bytes)\n"
            "  v1:i64 = GetReg r1\n"
            "  v2:i64 = GetReg r2\n"
            "  v3:i64 = Sub v1, v2\n"
            "  SetReg r0, v3\n"
            "  ---- 0x1004 (4 bytes)\n"
            "  v6:i64 = Add v3, v1\n"
            "  SetReg r3, v6\n"
            "  v8:i1 = AddCarry v3, v1\n"
            "  v9:i1 = AddOverflow v3, v1\n"
            "  v10:i64 = Const 0x0\n"
            "  v11:i1 = CmpLtS v6, v10\n"
            "  SetReg n, v11\n"
            "  v13:i1 = CmpEq v6, v10\n"
            "  SetReg z, v13\n"
            "  SetReg c, v8\n"
            "  SetReg v, v9\n"
            "  ---- 0x1008 (4 bytes)\n"
            "  exit: branch v13 ? 0x2000 : 0x100c insns=3\n");
}

// A write before an op that may fault stays, so the fault sees exact guest state.
TEST(Optimize, WritesBeforeFaultingOpsStay) {
  TestBlock t;
  Builder& ir = t.ir;
  Value p = ir.GetReg(Type::kI64, R(1));
  ir.SetReg(R(0), ir.I64(1));
  Value v = ir.Load(Type::kI64, p);
  ir.SetReg(R(0), v);
  EXPECT_EQ(RunPass(Optimize, t.b), Expected("  v0:i64 = GetReg r1\n"
                                             "  v1:i64 = Const 0x1\n"
                                             "  SetReg r0, v1\n"
                                             "  v3:i64 = Load v0\n"
                                             "  SetReg r0, v3\n"));
}

// x86 DIV r/m64 with a divisor known to be zero: the #DE side exit stays, folded to a constant
// test.
TEST(Optimize, ConstantSideExitConditionStays) {
  TestBlock t;
  Builder& ir = t.ir;
  Value divisor = ir.I64(0);
  Value zero = ir.I64(0);
  Value is_zero = ir.Cmp(Opcode::kCmpEq, divisor, zero);
  ir.ExitIf(is_zero,
            {.kind = ExitKind::kTrap, .trap = core::TrapCode::kDivideError, .target = 0x1000});
  ir.SetReg(R(0), ir.Op(Opcode::kDivU, ir.GetReg(Type::kI64, R(0)), divisor));
  EXPECT_EQ(RunPass(Optimize, t.b),
            "block 0x1000 size=16 insns=4\n"
            "  v0:i64 = Const 0x0\n"
            "  v1:i1 = Const 0x1\n"
            "  ExitIf v1 -> #0\n"
            "  v3:i64 = GetReg r0\n"
            "  v4:i64 = DivU v3, v0\n"
            "  SetReg r0, v4\n"
            "  exit: jump 0x1010 insns=4\n"
            "  side exit #0: trap divide-error at 0x1000 insns=0\n");
}

}  // namespace
}  // namespace polyvm::ir::testing
