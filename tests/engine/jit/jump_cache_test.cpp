// The user-mode jump cache (records.h, JcSet): an indirect exit that alternates between two
// targets of one set finds both in the cache, so neither leaves to Run after the first time. The
// expected accumulator comes from the same loop written in C++ below, never from an engine.
#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr unsigned kN = 1;    // iterations left
constexpr unsigned kAcc = 2;  // an order-sensitive hash of the targets run

constexpr uint64_t kDispatch = 0x100, kHalt = 0x180;
// Two targets 4 KiB apart: they differ only in pc bit 12, which the set index leaves out.
constexpr uint64_t kA = 0x2000, kB = 0x3000;

// acc = acc * 3 + k, then a jump back to the dispatcher.
ir::Block TargetBlock(uint64_t pc, uint64_t k) {
  BlockMaker b(pc);
  b.Insn(0);
  b.ir.SetReg(
      R(kAcc),
      b.ir.Add(b.ir.Op(Opcode::kMul, b.ir.GetReg(Type::kI64, R(kAcc)), b.ir.I64(3)), b.ir.I64(k)));
  b.Jump(kDispatch, 1);
  return b.block;
}

// n -= 1; an indirect jump to the halt block when n is 0, else to A when n is odd, B when even.
ir::Block DispatchBlock() {
  BlockMaker b(kDispatch);
  b.Insn(0);
  ir::Value n = b.ir.Sub(b.ir.GetReg(Type::kI64, R(kN)), b.ir.I64(1));
  b.ir.SetReg(R(kN), n);
  ir::Value odd = b.ir.Cmp(Opcode::kCmpNe, b.ir.And(n, b.ir.I64(1)), b.ir.I64(0));
  ir::Value ab = b.ir.Select(odd, b.ir.I64(kA), b.ir.I64(kB));
  ir::Value done = b.ir.Cmp(Opcode::kCmpEq, n, b.ir.I64(0));
  ir::Exit e;
  e.kind = ir::ExitKind::kIndirect;
  e.value = b.ir.Select(done, b.ir.I64(kHalt), ab).id;
  e.insn_count = 1;
  b.ir.SetExit(e);
  return b.block;
}

TEST(JitJumpCache, TwoTargetsOfOneSetBothHit) {
  Machine m;
  m.Add(DispatchBlock());
  m.Add(TargetBlock(kA, 1));
  m.Add(TargetBlock(kB, 2));
  BlockMaker halt(kHalt);
  halt.Insn(0);
  halt.Halt(kHalt + 4, 1);
  m.Add(halt.block);
  constexpr uint64_t kIterations = 1000;
  m.st.r[kN] = kIterations + 1;
  m.st.r[kAcc] = 0;
  ASSERT_EQ(m.Run(kDispatch).reason, core::ExitReason::kHalt);
  uint64_t acc = 0;
  for (uint64_t n = kIterations; n > 0; --n) acc = acc * 3 + ((n & 1) != 0 ? 1 : 2);
  EXPECT_EQ(m.st.r[kAcc], acc);
  // A miss per target and the halt block's at most (cold), not one per jump.
  EXPECT_LE(StatOf(*m.interp, "jit.lookup_misses"), 3.0);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
