// Dead guest-register-write elimination: overwritten writes go unless something could observe
// the state in between (a read of the bytes, a helper, or an op that may leave the block).
#include "polyvm/ir/passes/dead_writes.h"

#include <gtest/gtest.h>

#include "pass_test_util.h"

namespace polyvm::ir::testing {
namespace {

using passes::EliminateDeadStateWrites;

TEST(EliminateDeadStateWrites, OverwrittenWriteIsRemoved) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  ir.SetReg(R(2), a);             // dead: r2 written again below
  ir.SetReg(R(3), a);             // live: another register
  ir.SetReg(R(2), ir.Add(a, a));  // live: last write of r2
  EXPECT_EQ(RunPass(EliminateDeadStateWrites, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                             "  SetReg r3, v0\n"
                                                             "  v2:i64 = Add v0, v0\n"
                                                             "  SetReg r2, v2\n"));
}

TEST(EliminateDeadStateWrites, CoverageByByteRanges) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  Value w = ir.Trunc(Type::kI32, a);
  ir.SetReg(R(2), a);  // live: only its low half is written again
  ir.SetReg(R(2), w);
  ir.SetReg(R(4), a);  // dead: both halves written again
  ir.SetReg(R(4) + 4, w);
  ir.SetReg(R(4), w);
  EXPECT_EQ(RunPass(EliminateDeadStateWrites, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                             "  v1:i32 = Trunc v0\n"
                                                             "  SetReg r2, v0\n"
                                                             "  SetReg r2, v1\n"
                                                             "  SetReg @0xa4, v1\n"
                                                             "  SetReg r4, v1\n"));
}

TEST(EliminateDeadStateWrites, ReadOfOverlappingBytesKeepsWrite) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  ir.SetReg(R(2), a);  // live: its high byte is read
  ir.SetReg(R(3), a);  // dead: the read of r2 does not touch r3
  Value hi = ir.GetReg(Type::kI8, R(2) + 7);
  ir.SetReg(R(2), a);
  ir.SetReg(R(3), a);
  ir.SetReg(R(5), hi);
  EXPECT_EQ(RunPass(EliminateDeadStateWrites, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                             "  SetReg r2, v0\n"
                                                             "  v2:i8 = GetReg @0x97\n"
                                                             "  SetReg r2, v0\n"
                                                             "  SetReg r3, v0\n"
                                                             "  SetReg r5, v2\n"));
}

// State must be exact wherever the block may leave: a fault or side exit sees every write before
// it.
TEST(EliminateDeadStateWrites, OpsThatMayLeaveKeepWrites) {
  static const HelperInfo kHelper{nullptr, "h"};
  struct Case {
    const char* name;
    void (*emit)(Builder&, Value);
  };
  const Case cases[] = {
      {"Load", [](Builder& ir, Value a) { ir.Load(Type::kI8, a); }},
      {"Store", [](Builder& ir, Value a) { ir.Store(a, a); }},
      {"AtomicRmw", [](Builder& ir, Value a) { ir.Emit(Opcode::kAtomicRmw, Type::kI64, a, a); }},
      {"StoreCond", [](Builder& ir, Value a) { ir.Emit(Opcode::kStoreCond, Type::kI1, a, a); }},
      {"ExitIf",
       [](Builder& ir, Value a) {
         ir.ExitIf(ir.Trunc(Type::kI1, a),
                   {.kind = ExitKind::kTrap, .trap = core::TrapCode::kBreakpoint});
       }},
      {"CallHelper",
       [](Builder& ir, Value a) {
         ir.Emit(Opcode::kCallHelper, Type::kVoid, a, {}, {},
                 reinterpret_cast<uintptr_t>(&kHelper));
       }},
  };
  for (const Case& c : cases) {
    TestBlock t;
    Value a = t.ir.GetReg(Type::kI64, R(1));
    t.ir.SetReg(R(2), a);
    c.emit(t.ir, a);
    t.ir.SetReg(R(2), a);
    Block out = EliminateDeadStateWrites(t.b);
    EXPECT_EQ(out.insts.size(), t.b.insts.size()) << c.name << " let an earlier write die:\n"
                                                  << Print(out, RName);
  }
}

TEST(EliminateDeadStateWrites, OpsThatStayInsideDoNotKeepWrites) {
  TestBlock t;
  Builder& ir = t.ir;
  Value a = ir.GetReg(Type::kI64, R(1));
  ir.SetReg(R(2), a);  // dead
  Value d = ir.Bitcast(Type::kF64, a);
  ir.Op(Opcode::kFSqrt, d, {}, {}, FpMode{}.Encode());  // FP flags are not guest state
  ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kFenceAll);
  ir.Emit(Opcode::kReadCounter, Type::kI64);
  ir.Emit(Opcode::kClearMonitor, Type::kVoid);
  ir.SetReg(R(2), a);
  EXPECT_EQ(RunPass(EliminateDeadStateWrites, t.b),
            Expected("  v0:i64 = GetReg r1\n"
                     "  v1:f64 = Bitcast v0\n"
                     "  v2:f64 = FSqrt v1 rm=dyn nan=canonical\n"
                     "  Fence rw,rw\n"
                     "  v4:i64 = ReadCounter cycles\n"
                     "  ClearMonitor\n"
                     "  SetReg r2, v0\n"));
}

TEST(EliminateDeadStateWrites, WritesAtTheEndStayLive) {
  TestBlock t;
  Value a = t.ir.GetReg(Type::kI64, R(1));
  t.ir.SetReg(R(2), a);
  t.ir.SetReg(R(3), a);
  std::string before = Print(t.b, RName);
  EXPECT_EQ(RunPass(EliminateDeadStateWrites, t.b), before);
}

}  // namespace
}  // namespace polyvm::ir::testing
