// Guest state access, constants, block exits (jumps, branches, indirect jumps, syscalls, traps,
// halts, side exits), interrupt requests, retired-instruction counts, counters and helper calls.
#include <time.h>

#include <cstring>
#include <chrono>
#include <thread>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr uint64_t kAll = ~uint64_t{0};

OP_TEST(StateOps, ConstGetSetReg, Opcode::kConst, Opcode::kGetReg, Opcode::kSetReg,
        Opcode::kGuestInsn) {
  Machine m;
  BlockMaker b(0x1000, 2);
  b.Insn(0);
  b.ir.SetReg(R(1), b.ir.Const(Type::kI8, 0xAB));
  b.ir.SetReg(R(2) + 2, b.ir.Const(Type::kI16, 0xBEEF));  // an unaligned field inside r2
  b.ir.SetReg(R(3), b.ir.Const(Type::kI32, 0xFFFFFFFF));
  b.ir.SetReg(R(4), b.ir.Const(Type::kI64, 0x8000000000000001));
  b.ir.SetReg(R(5), b.ir.Const(Type::kI1, 1));
  b.ir.SetReg(V(1), b.ir.Const(Type::kI128, kAll));  // zero-extended to 128 bits
  b.ir.SetReg(V(2), b.ir.Const(Type::kV128, 7));
  b.ir.SetReg(R(6), b.ir.Const(Type::kF64, 0x3FF0000000000000));
  b.ir.SetReg(R(7), b.ir.Const(Type::kF32, 0x40490FDB));
  b.Insn(1);
  // Copies between fields, and a read after a write of the same field.
  b.ir.SetReg(R(8), b.ir.GetReg(Type::kI64, R(4)));
  b.ir.SetReg(R(9), b.ir.GetReg(Type::kI16, R(2) + 2));
  ir::Value x = b.ir.GetReg(Type::kI64, R(10));
  b.ir.SetReg(R(10), b.ir.Const(Type::kI64, 5));
  b.ir.SetReg(R(11), x);  // the old value of r10
  b.ir.SetReg(R(12), b.ir.GetReg(Type::kI64, R(10)));
  b.ir.SetReg(V(3), b.ir.GetReg(Type::kV128, V(1)));
  b.Halt(0x1008, 2);
  m.Add(b.block);
  std::memset(m.st.r, 0x55, sizeof m.st.r);
  std::memset(m.st.v, 0x55, sizeof m.st.v);
  m.st.r[10] = 99;
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[1], 0x55555555555555AB);  // one byte written
  EXPECT_EQ(m.st.r[2], 0x55555555BEEF5555);
  EXPECT_EQ(m.st.r[3], 0x55555555FFFFFFFF);
  EXPECT_EQ(m.st.r[4], 0x8000000000000001);
  EXPECT_EQ(m.st.r[5], 0x5555555555555501);
  EXPECT_EQ(m.st.r[6], 0x3FF0000000000000);
  EXPECT_EQ(m.st.r[7], 0x5555555540490FDB);
  EXPECT_EQ(m.st.r[8], 0x8000000000000001);
  EXPECT_EQ(m.st.r[9], 0x555555555555BEEF);
  EXPECT_EQ(m.st.r[10], 5u);
  EXPECT_EQ(m.st.r[11], 99u);
  EXPECT_EQ(m.st.r[12], 5u);
  uint64_t v1[2], v2[2], v3[2];
  std::memcpy(v1, m.st.v[1], 16);
  std::memcpy(v2, m.st.v[2], 16);
  std::memcpy(v3, m.st.v[3], 16);
  EXPECT_EQ(v1[0], kAll);
  EXPECT_EQ(v1[1], 0u);
  EXPECT_EQ(v2[0], 7u);
  EXPECT_EQ(v2[1], 0u);
  EXPECT_EQ(v3[0], kAll);
  EXPECT_EQ(v3[1], 0u);
  EXPECT_EQ(m.st.hdr.retired, 2u);
  EXPECT_EQ(info.pc, 0x1004u);  // the last guest instruction
}

// A block r1 += 1 that loops to itself while r1 != r2: jumps stay inside Run.
TEST(Exits, LoopsStayInsideRun) {
  for (bool opt : {false, true}) {
    Options o;
    o.optimize = opt;
    Machine m(o);
    BlockMaker b(0x2000, 2);
    b.Insn(0);
    ir::Value r1 = b.ir.Add(b.ir.GetReg(Type::kI64, R(1)), b.ir.I64(1));
    b.ir.SetReg(R(1), r1);
    b.Insn(1);
    ir::Exit e;
    e.kind = ir::ExitKind::kBranch;
    e.value = b.ir.Cmp(Opcode::kCmpNe, r1, b.ir.GetReg(Type::kI64, R(2))).id;
    e.target = 0x2000;
    e.fallthrough = 0x3000;
    e.insn_count = 2;
    b.ir.SetExit(e);
    m.Add(b.block);
    BlockMaker h(0x3000);
    h.Insn(0);
    h.Halt(0x3004, 1);
    m.Add(h.block);
    m.st.r[2] = 100000;
    core::ExitInfo info = m.Run(0x2000);
    EXPECT_EQ(info.reason, core::ExitReason::kHalt);
    EXPECT_EQ(m.st.r[1], 100000u);
    EXPECT_EQ(m.st.hdr.retired, 200001u);
    EXPECT_EQ(m.st.hdr.pc, 0x3004u);
    EXPECT_EQ(m.lifter.lifts(), 2);
  }
}

// Branch conditions of every kind and operand placement, fused with the exit or not.
TEST(Exits, BranchConditions) {
  struct Case {
    Opcode op;
    Type t;
    uint64_t a, b;
    bool taken;
  };
  const Case cases[] = {
      {Opcode::kCmpEq, Type::kI64, 5, 5, true},        {Opcode::kCmpEq, Type::kI64, 5, 6, false},
      {Opcode::kCmpNe, Type::kI64, 5, 6, true},        {Opcode::kCmpNe, Type::kI32, 7, 7, false},
      {Opcode::kCmpLtS, Type::kI64, kAll, 0, true},    {Opcode::kCmpLtS, Type::kI64, 0, kAll, false},
      {Opcode::kCmpLtU, Type::kI64, 0, kAll, true},    {Opcode::kCmpLtU, Type::kI64, kAll, 0, false},
      {Opcode::kCmpLeS, Type::kI32, 0xFFFFFFFF, 0xFFFFFFFF, true},
      {Opcode::kCmpLeS, Type::kI32, 1, 0xFFFFFFFF, false},
      {Opcode::kCmpLeU, Type::kI32, 1, 0xFFFFFFFF, true},
      {Opcode::kCmpLeU, Type::kI64, 2, 1, false},      {Opcode::kCmpLtS, Type::kI8, 0x80, 0x7F, true},
      {Opcode::kCmpLeU, Type::kI16, 0x8000, 0x7FFF, false},
  };
  Machine m;
  uint64_t pc = 0x10000;
  for (const Case& c : cases) {
    // a and b from state or constants, on either side.
    for (int shape = 0; shape < 4; ++shape) {
      for (bool fused : {true, false}) {
        pc += 0x100;
        BlockMaker b(pc);
        b.Insn(0);
        ir::Value a = (shape & 1) ? b.ir.Const(c.t, c.a) : b.ir.GetReg(c.t, R(1));
        ir::Value bb = (shape & 2) ? b.ir.Const(c.t, c.b) : b.ir.GetReg(c.t, R(2));
        ir::Value cond = b.ir.Cmp(c.op, a, bb);
        if (!fused) b.ir.SetReg(R(3), b.ir.ZExt(Type::kI64, cond));  // a second reader
        ir::Exit e;
        e.kind = ir::ExitKind::kBranch;
        e.value = cond.id;
        e.target = pc + 0x10;
        e.fallthrough = pc + 0x20;
        e.insn_count = 1;
        b.ir.SetExit(e);
        m.Add(b.block);
        for (uint64_t t : {pc + 0x10, pc + 0x20}) {
          BlockMaker h(t);
          h.Halt(t, 0);
          m.Add(h.block);
        }
        m.st.r[1] = c.a;
        m.st.r[2] = c.b;
        core::ExitInfo info = m.Run(pc);
        EXPECT_EQ(info.reason, core::ExitReason::kHalt);
        EXPECT_EQ(m.st.hdr.pc, c.taken ? pc + 0x10 : pc + 0x20)
            << ir::OpName(c.op) << " " << ir::TypeName(c.t) << " shape " << shape << " fused "
            << fused;
      }
    }
  }
}

TEST(Exits, IndirectJump) {
  Machine m;
  BlockMaker b(0x4000);
  b.Insn(0);
  ir::Exit e;
  e.kind = ir::ExitKind::kIndirect;
  e.value = b.ir.And(b.ir.GetReg(Type::kI64, R(1)), b.ir.I64(~uint64_t{1})).id;
  e.insn_count = 1;
  b.ir.SetExit(e);
  m.Add(b.block);
  BlockMaker b2(0x4100);
  b2.Insn(0);
  ir::Exit e2;
  e2.kind = ir::ExitKind::kIndirect;
  e2.value = b2.ir.GetReg(Type::kI64, R(2)).id;  // straight from the state field
  e2.insn_count = 1;
  b2.ir.SetExit(e2);
  m.Add(b2.block);
  BlockMaker h(0x5000);
  h.Halt(0x5000, 0);
  m.Add(h.block);
  m.st.r[1] = 0x4101;
  m.st.r[2] = 0x5000;
  EXPECT_EQ(m.Run(0x4000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.hdr.pc, 0x5000u);
  EXPECT_EQ(m.st.hdr.retired, 2u);
}

// Jumps to addresses that could be mistaken for empty jump-cache entries reach the lifter (which
// reports a fetch fault for them here) instead of an empty entry.
TEST(Exits, JumpToExtremeAddresses) {
  Machine m;
  for (uint64_t target : {~uint64_t{0}, uint64_t{0}, ~uint64_t{0} - 1, uint64_t{0x1FFE}}) {
    BlockMaker b(0x4000);
    b.Insn(0);
    ir::Exit e;
    e.kind = ir::ExitKind::kIndirect;
    e.value = b.ir.GetReg(Type::kI64, R(1)).id;
    e.insn_count = 1;
    b.ir.SetExit(e);
    m.Add(b.block);
    m.st.r[1] = target;
    core::ExitInfo info = m.Run(0x4000);
    EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault) << target;
    EXPECT_EQ(info.access, core::MemAccess::kFetch);
    EXPECT_EQ(info.addr, target);
    EXPECT_EQ(m.st.hdr.pc, target);
  }
}

TEST(Exits, SyscallTrapHalt) {
  Machine m;
  {
    BlockMaker b(0x6000, 3);
    for (unsigned i = 0; i < 3; ++i) b.Insn(i);
    ir::Exit e;
    e.kind = ir::ExitKind::kSyscall;
    e.target = 0x600C;
    e.info = 0x6008;
    e.insn_count = 3;
    b.ir.SetExit(e);
    m.Add(b.block);
  }
  core::ExitInfo info = m.Run(0x6000);
  EXPECT_EQ(info.reason, core::ExitReason::kSyscall);
  EXPECT_EQ(info.pc, 0x6008u);
  EXPECT_EQ(m.st.hdr.pc, 0x600Cu);
  EXPECT_EQ(m.st.hdr.retired, 3u);
  {
    BlockMaker b(0x7000, 2);
    b.Insn(0);
    b.Insn(1);
    ir::Exit e;
    e.kind = ir::ExitKind::kTrap;
    e.trap = core::TrapCode::kIllegalInstruction;
    e.target = 0x7004;
    e.info = 0xDEADBEEF;
    e.insn_count = 1;  // the trapping instruction did not complete
    b.ir.SetExit(e);
    m.Add(b.block);
  }
  info = m.Run(0x7000);
  EXPECT_EQ(info.reason, core::ExitReason::kTrap);
  EXPECT_EQ(info.trap, core::TrapCode::kIllegalInstruction);
  EXPECT_EQ(info.pc, 0x7004u);
  EXPECT_EQ(info.info, 0xDEADBEEFu);
  EXPECT_EQ(m.st.hdr.pc, 0x7004u);
  EXPECT_EQ(m.st.hdr.retired, 4u);
  // A pc the lifter cannot fetch: its kFetchFault trap becomes a fetch memory fault.
  info = m.Run(0xBAD000);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.access, core::MemAccess::kFetch);
  EXPECT_EQ(info.addr, 0xBAD000u);
  EXPECT_EQ(info.pc, 0xBAD000u);
  EXPECT_EQ(m.st.hdr.pc, 0xBAD000u);
  {
    BlockMaker b(0x8000, 1);
    b.Insn(0);
    b.Halt(0x8004, 1);
    m.Add(b.block);
  }
  info = m.Run(0x8000);
  EXPECT_EQ(info.reason, core::ExitReason::kHalt);
  EXPECT_EQ(info.pc, 0x8000u);
  EXPECT_EQ(m.st.hdr.pc, 0x8004u);
  EXPECT_EQ(m.st.hdr.retired, 5u);
}

// Side exits of every kind, taken and not taken; state written before the ExitIf stays written.
OP_TEST(Exits, SideExits, Opcode::kExitIf) {
  const ir::ExitKind kinds[] = {ir::ExitKind::kJump, ir::ExitKind::kBranch,
                                ir::ExitKind::kIndirect, ir::ExitKind::kSyscall,
                                ir::ExitKind::kHalt};
  Machine m;
  BlockMaker h(0x9900);
  h.Halt(0x9900, 0);
  m.Add(h.block);
  BlockMaker h2(0x9A00);
  h2.Halt(0x9A00, 0);
  m.Add(h2.block);
  uint64_t pc = 0x9000;
  for (ir::ExitKind kind : kinds) {
    for (bool take : {true, false}) {
      pc += 0x10;
      BlockMaker b(pc, 3);
      b.Insn(0);
      b.ir.SetReg(R(1), b.ir.Const(Type::kI64, 11));
      b.Insn(1);
      ir::Exit side;
      side.kind = kind;
      side.insn_count = 1;
      side.target = 0x9900;
      side.fallthrough = 0x9A00;
      side.info = pc + 4;
      if (kind == ir::ExitKind::kBranch) side.value = b.ir.Bool(false).id;
      if (kind == ir::ExitKind::kIndirect) side.value = b.ir.GetReg(Type::kI64, R(5)).id;
      ir::Value cond = b.ir.Trunc(Type::kI1, b.ir.GetReg(Type::kI64, R(4)));
      b.ir.ExitIf(cond, side);
      b.ir.SetReg(R(2), b.ir.Const(Type::kI64, 22));
      b.Insn(2);
      b.Halt(pc + 12, 3);
      m.Add(b.block);
      m.st.r[1] = m.st.r[2] = 0;
      m.st.r[4] = take ? 1 : 0;
      m.st.r[5] = 0x9900;
      uint64_t retired = m.st.hdr.retired;
      core::ExitInfo info = m.Run(pc);
      EXPECT_EQ(m.st.r[1], 11u);
      if (!take) {
        EXPECT_EQ(info.reason, core::ExitReason::kHalt);
        EXPECT_EQ(m.st.r[2], 22u);
        EXPECT_EQ(m.st.hdr.retired, retired + 3);
        continue;
      }
      EXPECT_EQ(m.st.r[2], 0u) << static_cast<int>(kind);
      EXPECT_EQ(m.st.hdr.retired, retired + 1);
      if (kind == ir::ExitKind::kSyscall) {
        EXPECT_EQ(info.reason, core::ExitReason::kSyscall);
        EXPECT_EQ(info.pc, pc + 4);
        EXPECT_EQ(m.st.hdr.pc, 0x9900u);
      } else {
        EXPECT_EQ(info.reason, core::ExitReason::kHalt);
        uint64_t expect = kind == ir::ExitKind::kBranch ? 0x9A00 : 0x9900;
        EXPECT_EQ(m.st.hdr.pc, expect) << static_cast<int>(kind);
      }
    }
  }
}

// Side exits on an integer comparison (fused into the ExitIf), in every operand placement.
TEST(Exits, SideExitOnComparison) {
  struct Case {
    Opcode op;
    Type t;
    uint64_t a, b;
    bool taken;
  };
  const Case cases[] = {
      {Opcode::kCmpEq, Type::kI64, 5, 5, true},      {Opcode::kCmpNe, Type::kI64, 5, 5, false},
      {Opcode::kCmpLtS, Type::kI64, kAll, 0, true},  {Opcode::kCmpLtU, Type::kI64, kAll, 0, false},
      {Opcode::kCmpLeS, Type::kI32, 0xFFFFFFFF, 0xFFFFFFFF, true},
      {Opcode::kCmpLeU, Type::kI32, 5, 4, false},    {Opcode::kCmpLtU, Type::kI32, 4, 7, true},
      {Opcode::kCmpLeS, Type::kI64, 3, kAll, false},
  };
  Machine m;
  BlockMaker h(0xF000);
  h.Halt(0xF000, 0);
  m.Add(h.block);
  uint64_t pc = 0x20000;
  for (const Case& c : cases) {
    for (int shape = 0; shape < 3; ++shape) {
      pc += 0x100;
      BlockMaker b(pc, 2);
      b.Insn(0);
      ir::Value a = shape == 1 ? b.ir.Const(c.t, c.a) : b.ir.GetReg(c.t, R(1));
      ir::Value bb = shape == 2 ? b.ir.Const(c.t, c.b) : b.ir.GetReg(c.t, R(2));
      ir::Exit side;
      side.kind = ir::ExitKind::kJump;
      side.target = 0xF000;
      b.ir.ExitIf(b.ir.Cmp(c.op, a, bb), side);
      b.Insn(1);
      b.ir.SetReg(R(3), b.ir.I64(1));
      b.Halt(pc + 8, 2);
      m.Add(b.block);
      m.st.r[1] = c.a;
      m.st.r[2] = c.b;
      m.st.r[3] = 0;
      m.Run(pc);
      EXPECT_EQ(m.st.hdr.pc, c.taken ? 0xF000 : pc + 8)
          << ir::OpName(c.op) << " " << ir::TypeName(c.t) << " shape " << shape;
      EXPECT_EQ(m.st.r[3], c.taken ? 0u : 1u);
    }
  }
}

TEST(Exits, InterruptRequest) {
  Machine m;
  BlockMaker b(0xA000, 1);
  b.Insn(0);
  b.ir.SetReg(R(1), b.ir.Add(b.ir.GetReg(Type::kI64, R(1)), b.ir.I64(1)));
  b.Jump(0xA000, 1);  // an endless loop
  m.Add(b.block);
  // Set before Run: returns at once.
  m.st.hdr.interrupt_request.store(1);
  core::ExitInfo info = m.Run(0xA000);
  EXPECT_EQ(info.reason, core::ExitReason::kInterrupt);
  EXPECT_EQ(info.pc, 0xA000u);
  EXPECT_EQ(m.st.r[1], 0u);
  // Set by another thread while the loop runs. (It waits a while rather than watching r1: the
  // JIT keeps a loop's registers in host registers and writes them back only when it leaves. A
  // thread scheduled late may interrupt before the loop starts: then the loop goes on once more.)
  for (int attempt = 0; attempt < 20 && m.st.r[1] == 0; ++attempt) {
    m.st.hdr.interrupt_request.store(0);
    std::thread t([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      m.st.hdr.interrupt_request.store(1);
    });
    info = m.Run(0xA000);
    t.join();
    EXPECT_EQ(info.reason, core::ExitReason::kInterrupt);
    EXPECT_EQ(m.st.hdr.pc, 0xA000u);
  }
  EXPECT_GE(m.st.r[1], 1u);
  EXPECT_EQ(m.st.hdr.retired, m.st.r[1]);  // every completed block counted
}

OP_TEST(EnvOps, ReadCounter, Opcode::kReadCounter) {
  Machine m;
  BlockMaker b(0xB000, 3);
  b.Insn(0);
  b.Insn(1);
  auto counter = [&](ir::Counter c) {
    return b.ir.Emit(Opcode::kReadCounter, Type::kI64, {}, {}, {}, 0, static_cast<uint32_t>(c));
  };
  b.ir.SetReg(R(1), counter(ir::Counter::kRetired));  // as of the block's entry
  b.ir.SetReg(R(2), counter(ir::Counter::kCycles));
  b.ir.SetReg(R(3), counter(ir::Counter::kNanos));
  b.Insn(2);
  b.ir.SetReg(R(4), counter(ir::Counter::kRetired));
  b.ir.SetReg(R(5), counter(ir::Counter::kCycles));
  b.Halt(0xB00C, 3);
  m.Add(b.block);
  m.st.hdr.retired = 1000;
  timespec before, after;
  clock_gettime(CLOCK_MONOTONIC, &before);
  m.Run(0xB000);
  clock_gettime(CLOCK_MONOTONIC, &after);
  EXPECT_EQ(m.st.r[1], 1000u);  // the frontend adds what completed inside the block
  EXPECT_EQ(m.st.r[4], 1000u);
  EXPECT_GT(m.st.r[5], m.st.r[2]);
  uint64_t b_ns = static_cast<uint64_t>(before.tv_sec) * 1000000000 + before.tv_nsec;
  uint64_t a_ns = static_cast<uint64_t>(after.tv_sec) * 1000000000 + after.tv_nsec;
  EXPECT_GE(m.st.r[3], b_ns);
  EXPECT_LE(m.st.r[3], a_ns);
  EXPECT_EQ(m.st.hdr.retired, 1003u);
}

uint64_t HelperSum(void* state, uint64_t a, uint64_t b, uint64_t c) {
  auto* st = static_cast<TestState*>(state);
  st->r[20] += 1;  // helpers may write guest state
  return a + 2 * b + 3 * c + st->r[21];
}
uint64_t HelperNone(void* state, uint64_t a, uint64_t b, uint64_t c) {
  static_cast<TestState*>(state)->r[22] = a | b | c | 0x100;
  return 0xFFFFFFFFFFFFFFFF;
}
const ir::HelperInfo kSum{HelperSum, "sum"};
const ir::HelperInfo kNone{HelperNone, "none"};

OP_TEST(EnvOps, CallHelper, Opcode::kCallHelper) {
  Machine m;
  BlockMaker b(0xC000);
  b.Insn(0);
  ir::Value a = b.ir.GetReg(Type::kI64, R(1));
  ir::Value i8 = b.ir.GetReg(Type::kI8, R(2));  // zero-extended to 64 bits for the call
  ir::Value r = b.ir.Emit(Opcode::kCallHelper, Type::kI64, a, i8, b.ir.I32(0xFFFFFFFF),
                          reinterpret_cast<uint64_t>(&kSum));
  b.ir.SetReg(R(3), r);
  // The helper's write to r21 is seen by a GetReg after the call.
  b.ir.SetReg(R(4), b.ir.GetReg(Type::kI64, R(20)));
  ir::Value r8 = b.ir.Emit(Opcode::kCallHelper, Type::kI16, a, {}, {},
                           reinterpret_cast<uint64_t>(&kSum));  // truncated to i16
  b.ir.SetReg(R(5), r8);
  ir::Value r1 = b.ir.Emit(Opcode::kCallHelper, Type::kI1, {}, {}, {},
                           reinterpret_cast<uint64_t>(&kNone));
  b.ir.SetReg(R(6), r1);
  b.ir.Emit(Opcode::kCallHelper, Type::kVoid, b.ir.Const(Type::kI64, 0x5000), {}, {},
            reinterpret_cast<uint64_t>(&kNone));
  b.Halt(0xC004, 1);
  m.Add(b.block);
  m.st.r[1] = 10;
  m.st.r[2] = 0xFFFFFFFFFFFFFF80;  // i8 0x80
  m.st.r[3] = m.st.r[5] = m.st.r[6] = kAll;
  m.st.r[21] = 1000;
  m.Run(0xC000);
  EXPECT_EQ(m.st.r[3], 10u + 2 * 0x80 + 3 * 0xFFFFFFFFull + 1000);
  EXPECT_EQ(m.st.r[4], 1u);
  EXPECT_EQ(m.st.r[5], 0xFFFFFFFFFFFF0000ull | ((10 + 1000) & 0xFFFF));  // 2 bytes written
  EXPECT_EQ(m.st.r[6], 0xFFFFFFFFFFFFFF01ull);                          // i1: the low bit
  EXPECT_EQ(m.st.r[20], 2u);
  EXPECT_EQ(m.st.r[22], 0x5100u);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
