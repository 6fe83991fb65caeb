// Copy propagation through guest state: which GetRegs are replaced, and what makes the pass
// forget what it knew.
#include "polyvm/ir/passes/copy_prop.h"

#include <gtest/gtest.h>

#include "pass_test_util.h"

namespace polyvm::ir::testing {
namespace {

using passes::PropagateCopies;

TEST(PropagateCopies, ReadAfterWriteAndReadAfterRead) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  Value b = ir.GetReg(Type::kI64, R(1));  // -> a
  ir.SetReg(R(2), ir.Add(a, b));
  Value c = ir.GetReg(Type::kI64, R(2));  // -> the Add
  ir.SetReg(R(3), c);
  EXPECT_EQ(RunPass(PropagateCopies, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                    "  v1:i64 = GetReg r1\n"
                                                    "  v2:i64 = Add v0, v0\n"
                                                    "  SetReg r2, v2\n"
                                                    "  v4:i64 = GetReg r2\n"
                                                    "  SetReg r3, v2\n"));
}

TEST(PropagateCopies, OnlySameOffsetAndType) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  Value w = ir.GetReg(Type::kI32, R(1));      // same offset, other type: a new reading
  Value d = ir.GetReg(Type::kF64, R(1));      // ditto
  Value h = ir.GetReg(Type::kI32, R(1) + 4);  // other offset
  ir.SetReg(R(2), a);
  ir.SetReg(R(3), w);
  ir.SetReg(R(4), d);
  ir.SetReg(R(5), h);
  Value w2 = ir.GetReg(Type::kI32, R(1));  // -> w
  ir.SetReg(R(6), w2);
  EXPECT_EQ(RunPass(PropagateCopies, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                    "  v1:i32 = GetReg r1\n"
                                                    "  v2:f64 = GetReg r1\n"
                                                    "  v3:i32 = GetReg @0x8c\n"
                                                    "  SetReg r2, v0\n"
                                                    "  SetReg r3, v1\n"
                                                    "  SetReg r4, v2\n"
                                                    "  SetReg r5, v3\n"
                                                    "  v8:i32 = GetReg r1\n"
                                                    "  SetReg r6, v1\n"));
}

TEST(PropagateCopies, OverlappingWriteForgets) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  ir.SetReg(R(1) + 4, ir.I32(0));             // overwrites the high half of r1
  Value b = ir.GetReg(Type::kI64, R(1));      // must read again
  Value c = ir.GetReg(Type::kI32, R(1) + 4);  // -> the constant just written
  ir.SetReg(R(2), ir.Add(a, b));
  ir.SetReg(R(3), c);
  EXPECT_EQ(RunPass(PropagateCopies, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                    "  v1:i32 = Const 0x0\n"
                                                    "  SetReg @0x8c, v1\n"
                                                    "  v3:i64 = GetReg r1\n"
                                                    "  v4:i32 = GetReg @0x8c\n"
                                                    "  v5:i64 = Add v0, v3\n"
                                                    "  SetReg r2, v5\n"
                                                    "  SetReg r3, v1\n"));
}

TEST(PropagateCopies, DisjointWritesAndMemoryKeepKnowledge) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  ir.SetReg(R(2), a);
  ir.Store(a, a);  // guest memory is not guest state
  ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kFenceAll);
  Value b = ir.GetReg(Type::kI64, R(1));  // -> a
  Value c = ir.GetReg(Type::kI64, R(2));  // -> a
  ir.SetReg(R(3), ir.Add(b, c));
  EXPECT_EQ(RunPass(PropagateCopies, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                    "  SetReg r2, v0\n"
                                                    "  Store v0, v0\n"
                                                    "  Fence rw,rw\n"
                                                    "  v4:i64 = GetReg r1\n"
                                                    "  v5:i64 = GetReg r2\n"
                                                    "  v6:i64 = Add v0, v0\n"
                                                    "  SetReg r3, v6\n"));
}

TEST(PropagateCopies, HelpersAndStateWritersForget) {
  static const HelperInfo kHelper{nullptr, "h"};
  for (Opcode barrier : {Opcode::kCallHelper, Opcode::kClearMonitor}) {
    TestBlock t;
    Builder& ir = t.ir;
    Value a = ir.GetReg(Type::kI64, R(1));
    ir.SetReg(R(2), a);
    ir.Emit(barrier, Type::kVoid, {}, {}, {},
            barrier == Opcode::kCallHelper ? reinterpret_cast<uintptr_t>(&kHelper) : 0);
    Value b = ir.GetReg(Type::kI64, R(1));
    Value c = ir.GetReg(Type::kI64, R(2));
    ir.SetReg(R(3), ir.Add(b, c));
    Block out = PropagateCopies(t.b);
    EXPECT_EQ(out.insts[5].args[0], b.id) << OpName(barrier);
    EXPECT_EQ(out.insts[5].args[1], c.id) << OpName(barrier);
  }
}

TEST(PropagateCopies, I1StateIsForwardedAsI1Only) {
  TestBlock t;
  Builder& ir = t.ir;
  Value x = ir.GetReg(Type::kI64, R(1));
  Value zero = ir.I64(0);
  Value f = ir.Cmp(Opcode::kCmpEq, x, zero);
  ir.SetReg(R(2), f);
  Value b = ir.GetReg(Type::kI1, R(2));  // -> f
  Value c = ir.GetReg(Type::kI8, R(2));  // a byte reading: not f
  ir.SetReg(R(3), ir.Select(b, c, c));
  Block out = PropagateCopies(t.b);
  EXPECT_EQ(out.insts[6].args[0], f.id);
  EXPECT_EQ(out.insts[6].args[1], c.id);
}

TEST(PropagateCopies, ExitValuesFollowReplacements) {
  TestBlock t;
  Value a = t.ir.GetReg(Type::kI64, R(1));
  Value b = t.ir.GetReg(Type::kI64, R(1));
  t.ir.ExitIf(t.ir.Cmp(Opcode::kCmpEq, a, b), {.kind = ExitKind::kIndirect, .value = b.id});
  t.b.exit = {.kind = ExitKind::kIndirect, .value = b.id};
  Block out = PropagateCopies(t.b);
  EXPECT_EQ(out.exit.value, a.id);
  EXPECT_EQ(out.side_exits[0].value, a.id);
  EXPECT_EQ(out.insts[2].args[1], a.id);
}

}  // namespace
}  // namespace polyvm::ir::testing
