// Dead code elimination: unused removable values go, values are renumbered, and everything with
// an effect (or a marker) stays in order.
#include "polyvm/ir/passes/dce.h"

#include <gtest/gtest.h>

#include "pass_test_util.h"

namespace polyvm::ir::testing {
namespace {

using passes::EliminateDeadCode;

TEST(EliminateDeadCode, RemovesUnusedValuesAndRenumbers) {
  TestBlock t;
  Builder& ir = t.ir;
  ir.GuestInsn(0x1000, 4);
  Value a = ir.GetReg(Type::kI64, R(1));
  Value unused_read = ir.GetReg(Type::kI64, R(2));
  Value dead = ir.Add(a, unused_read);
  ir.Not(dead);  // dead, and keeps `dead` alive only if itself live
  Value b = ir.Add(a, ir.I64(4));
  ir.GuestInsn(0x1004, 4);
  ir.SetReg(R(3), b);
  EXPECT_EQ(RunPass(EliminateDeadCode, t.b), Expected("  ---- 0x1000 (4 bytes)\n"
                                                      "  v1:i64 = GetReg r1\n"
                                                      "  v2:i64 = Const 0x4\n"
                                                      "  v3:i64 = Add v1, v2\n"
                                                      "  ---- 0x1004 (4 bytes)\n"
                                                      "  SetReg r3, v3\n"));
}

TEST(EliminateDeadCode, KeepsEffectsEvenWhenUnused) {
  static const HelperInfo kHelper{nullptr, "h"};
  TestBlock t;
  Builder& ir = t.ir;
  Value addr = ir.I64(0x40);
  ir.Load(Type::kI32, addr);  // may fault
  Value d = ir.Const(Type::kF64, 0);
  ir.Op(Opcode::kFDiv, d, d, {}, FpMode{}.Encode());  // raises invalid
  ir.Emit(Opcode::kFpGetFlags, Type::kI32);
  ir.Emit(Opcode::kReadCounter, Type::kI64);
  ir.Emit(Opcode::kLoadLinked, Type::kI64, addr);
  ir.Emit(Opcode::kCallHelper, Type::kI64, {}, {}, {}, reinterpret_cast<uintptr_t>(&kHelper));
  ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kFenceStoreStore);
  std::string before = Print(t.b, RName);
  EXPECT_EQ(RunPass(EliminateDeadCode, t.b), before);
}

TEST(EliminateDeadCode, ExitsKeepTheirValues) {
  TestBlock t;
  Builder& ir = t.ir;
  ir.GetReg(Type::kI64, R(0));  // dead
  Value target = ir.GetReg(Type::kI64, R(1));
  Value cond = ir.Cmp(Opcode::kCmpNe, target, ir.I64(0));
  ir.I64(7);  // dead
  ir.ExitIf(cond, {.kind = ExitKind::kIndirect, .value = target.id});
  Value next = ir.Add(target, ir.I64(8));
  t.b.exit = {.kind = ExitKind::kIndirect, .value = next.id};
  EXPECT_EQ(RunPass(EliminateDeadCode, t.b),
            "block 0x1000 size=16 insns=4\n"
            "  v0:i64 = GetReg r1\n"
            "  v1:i64 = Const 0x0\n"
            "  v2:i1 = CmpNe v0, v1\n"
            "  ExitIf v2 -> #0\n"
            "  v4:i64 = Const 0x8\n"
            "  v5:i64 = Add v0, v4\n"
            "  exit: indirect v5 insns=0\n"
            "  side exit #0: indirect v0 insns=0\n");
}

}  // namespace
}  // namespace polyvm::ir::testing
