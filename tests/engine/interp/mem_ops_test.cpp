// Guest memory: loads and stores of every size at any alignment, extending loads, alignment
// traps, accesses beyond mem_limit, precise faults on protected and unmapped pages, atomics,
// LL/SC, fences, and atomics under contention from several vCPUs.
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <thread>
#include <vector>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr uint64_t kAll = ~uint64_t{0};
const uint64_t kPage = static_cast<uint64_t>(getpagesize());

ir::Value Addr(BlockMaker& b, unsigned reg, uint64_t offset) {
  ir::Value base = b.ir.GetReg(Type::kI64, R(reg));
  return offset == 0 ? base : b.ir.Add(base, b.ir.I64(offset));
}

OP_TEST(MemOps, LoadStoreEverySize, Opcode::kLoad, Opcode::kStore) {
  const Type types[] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64,
                        Type::kI128, Type::kF32, Type::kF64, Type::kV128};
  for (bool opt : {false, true}) {
    Options o = NoOpt();
    o.optimize = opt;
    Machine m(o);
    uint64_t pc = 0x1000;
    for (Type t : types) {
      unsigned size = ir::ByteSize(t);
      // Three address forms: register + folded offset, register, and a computed address.
      for (int form = 0; form < 3; ++form) {
        pc += 0x100;
        BlockMaker b(pc);
        b.Insn(0);
        ir::Value la = form == 0   ? Addr(b, 1, 3)
                       : form == 1 ? b.ir.GetReg(Type::kI64, R(3))
                                   : b.ir.Add(b.ir.GetReg(Type::kI64, R(1)), b.ir.GetReg(Type::kI64, R(4)));
        ir::Value v = b.ir.Load(t, la);
        b.ir.SetReg(V(0), v);
        ir::Value sa = form == 0 ? Addr(b, 2, 1) : b.ir.GetReg(Type::kI64, R(5));
        b.ir.Store(sa, v);
        b.Halt(pc + 4, 1);
        m.Add(b.block);
        for (unsigned i = 0; i < 0x400; ++i) m.mem.base()[i] = static_cast<uint8_t>(i * 7 + 1);
        std::memset(m.st.v[0], 0xEE, 32);
        m.st.r[1] = 0x10;
        m.st.r[2] = 0x200;
        m.st.r[3] = 0x13;
        m.st.r[4] = 3;
        m.st.r[5] = 0x201;
        std::vector<uint8_t> before(m.mem.base(), m.mem.base() + 0x400);
        ASSERT_EQ(m.Run(pc).reason, core::ExitReason::kHalt);
        for (unsigned i = 0; i < size; ++i) {
          EXPECT_EQ(m.st.v[0][i], static_cast<uint8_t>((0x13 + i) * 7 + 1)) << i;  // little-endian
          EXPECT_EQ(m.mem.base()[0x201 + i], static_cast<uint8_t>((0x13 + i) * 7 + 1));
        }
        EXPECT_EQ(m.st.v[0][size], 0xEE);
        EXPECT_EQ(m.mem.base()[0x200], before[0x200]);
        EXPECT_EQ(m.mem.base()[0x201 + size], before[0x201 + size]);
      }
    }
  }
}

// Stores of constants (small ones ride in the instruction) and of state fields.
TEST(MemOps, StoreConstants) {
  Machine m;
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.Store(Addr(b, 1, 0), b.ir.I64(0xFFFFFFFFFFFFFFF0));  // sign-extended 32-bit immediate
  b.ir.Store(Addr(b, 1, 8), b.ir.I64(0x123456789));         // needs a slot
  b.ir.Store(Addr(b, 1, 16), b.ir.I32(0x80000000));
  b.ir.Store(Addr(b, 1, 20), b.ir.Const(Type::kI8, 0xAB));
  b.ir.Store(Addr(b, 1, 24), b.ir.Const(Type::kI128, 0xFFFFFFFF));
  b.ir.Store(Addr(b, 1, 40), b.ir.GetReg(Type::kI16, R(2)));
  b.Halt(0x1004, 1);
  m.Add(b.block);
  m.st.r[1] = 0x100;
  m.st.r[2] = 0xCAFE;
  ASSERT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  uint8_t* p = m.mem.base() + 0x100;
  EXPECT_EQ(Ld64(p), 0xFFFFFFFFFFFFFFF0);
  EXPECT_EQ(Ld64(p + 8), 0x123456789u);
  EXPECT_EQ(Ld64(p + 16) & 0xFFFFFFFF, 0x80000000u);
  EXPECT_EQ(p[20], 0xAB);
  EXPECT_EQ(Ld64(p + 24), 0xFFFFFFFFu);
  EXPECT_EQ(Ld64(p + 32), 0u);
  EXPECT_EQ(p[40] | p[41] << 8, 0xCAFE);
}

TEST(MemOps, ExtendingLoads) {
  Machine m;
  struct Case {
    Type t;
    bool sx;
    uint64_t expect;
  };
  const Case cases[] = {{Type::kI8, false, 0x80},
                        {Type::kI8, true, 0xFFFFFFFFFFFFFF80},
                        {Type::kI16, false, 0x8180},
                        {Type::kI16, true, 0xFFFFFFFFFFFF8180},
                        {Type::kI32, false, 0x83828180},
                        {Type::kI32, true, 0xFFFFFFFF83828180}};
  for (unsigned i = 0; i < 8; ++i) m.mem.base()[0x40 + i] = static_cast<uint8_t>(0x80 + i);
  uint64_t pc = 0x1000;
  for (const Case& c : cases) {
    for (bool to_slot : {false, true}) {
      pc += 0x10;
      BlockMaker b(pc);
      b.Insn(0);
      ir::Value v = b.ir.Load(c.t, Addr(b, 1, 0x40));
      ir::Value x = c.sx ? b.ir.SExt(Type::kI64, v) : b.ir.ZExt(Type::kI64, v);
      b.ir.SetReg(R(2), x);
      if (to_slot) b.ir.SetReg(R(3), b.ir.Add(x, b.ir.I64(0)));  // a second reader
      b.Halt(pc + 4, 1);
      m.Add(b.block);
      m.st.r[1] = 0;
      m.st.r[2] = m.st.r[3] = 0x5555;
      ASSERT_EQ(m.Run(pc).reason, core::ExitReason::kHalt);
      EXPECT_EQ(m.st.r[2], c.expect) << ir::TypeName(c.t) << c.sx;
      if (to_slot) {
        EXPECT_EQ(m.st.r[3], c.expect);
      }
    }
  }
}

TEST(MemOps, AlignedAccessesTrapWhenMisaligned) {
  Machine m;
  ir::MemFlags aligned;
  aligned.aligned = true;
  BlockMaker b(0x1000, 2);
  b.Insn(0);
  b.ir.SetReg(R(5), b.ir.I64(1));
  b.Insn(1);
  b.ir.SetReg(R(2), b.ir.Load(Type::kI32, Addr(b, 1, 0), aligned));
  b.Halt(0x1008, 2);
  m.Add(b.block);
  m.st.r[1] = 0x102;
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kTrap);
  EXPECT_EQ(info.trap, core::TrapCode::kMisaligned);
  EXPECT_EQ(info.addr, 0x102u);
  EXPECT_EQ(info.pc, 0x1004u);
  EXPECT_EQ(m.st.hdr.pc, 0x1004u);
  EXPECT_EQ(m.st.hdr.retired, 1u);
  EXPECT_EQ(m.st.r[5], 1u);
  m.st.r[1] = 0x104;  // aligned: runs
  std::memcpy(m.mem.base() + 0x104, "\x11\x22\x33\x44", 4);
  EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[2], 0x44332211u);

  BlockMaker s(0x2000);
  s.Insn(0);
  s.ir.Store(Addr(s, 1, 0), s.ir.GetReg(Type::kI64, R(2)), aligned);
  s.Halt(0x2004, 1);
  m.Add(s.block);
  m.st.r[1] = 0x204;
  std::memset(m.mem.base() + 0x200, 0, 16);
  info = m.Run(0x2000);
  EXPECT_EQ(info.trap, core::TrapCode::kMisaligned);
  EXPECT_EQ(info.addr, 0x204u);
  for (int i = 0; i < 16; ++i) EXPECT_EQ(m.mem.base()[0x200 + i], 0);
}

TEST(MemOps, BeyondLimitFaultsWithoutTouchingHost) {
  Machine m;
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.SetReg(R(2), b.ir.Load(Type::kI64, Addr(b, 1, 0)));
  b.Halt(0x1004, 1);
  m.Add(b.block);
  BlockMaker s(0x2000);
  s.Insn(0);
  s.ir.Store(Addr(s, 1, 0), s.ir.GetReg(Type::kI16, R(3)));
  s.Halt(0x2004, 1);
  m.Add(s.block);
  m.st.hdr.mem_limit = 0x1000;  // the rest of the mapping is beyond the guest's limit
  const uint64_t bad[] = {0xFF9, 0x1000, kAll - 3, kAll, uint64_t{1} << 63};
  for (uint64_t a : bad) {
    m.st.r[1] = a;
    m.st.r[2] = 7;
    core::ExitInfo info = m.Run(0x1000);
    EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault) << a;
    EXPECT_EQ(info.addr, a);
    EXPECT_EQ(info.access, core::MemAccess::kRead);
    EXPECT_FALSE(info.mapped);
    EXPECT_EQ(info.pc, 0x1000u);
    EXPECT_EQ(m.st.r[2], 7u);
  }
  m.st.r[1] = 0xFF8;  // the last 8 bytes below the limit
  EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  m.mem.base()[0x1000] = 0x77;
  m.st.r[1] = 0xFFF;
  core::ExitInfo info = m.Run(0x2000);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.access, core::MemAccess::kWrite);
  EXPECT_EQ(m.mem.base()[0x1000], 0x77);
  m.st.hdr.mem_limit = 0;  // no memory at all
  m.st.r[1] = 0;
  EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kMemoryFault);
}

// The fault is precise: writes of earlier instructions (and of the faulting one's earlier ops)
// are visible, nothing after the faulting op is, and pc and retired name the instruction.
TEST(MemOps, PreciseFaultOnProtectedPage) {
  for (bool opt : {false, true}) {
    Options o = NoOpt();
    o.optimize = opt;
    Machine m(o);
    m.mem.Protect(3, PROT_NONE);
    BlockMaker b(0x1000, 4);
    b.Insn(0);
    b.ir.SetReg(R(1), b.ir.I64(1));
    ir::Value later = b.ir.Add(b.ir.GetReg(Type::kI64, R(6)), b.ir.I64(5));  // stored after
    b.Insn(1);
    b.ir.Store(Addr(b, 7, 0), b.ir.I64(0x1234));
    b.ir.SetReg(R(2), b.ir.Add(b.ir.GetReg(Type::kI64, R(2)), b.ir.I64(1)));
    b.Insn(2);
    b.ir.SetReg(R(4), b.ir.I64(44));  // same instruction, before the faulting load
    b.ir.SetReg(R(3), b.ir.Load(Type::kI64, Addr(b, 8, 8)));
    b.ir.SetReg(R(6), later);
    b.Insn(3);
    b.ir.SetReg(R(5), b.ir.I64(5));
    b.Halt(0x1010, 4);
    m.Add(b.block);
    m.st.r[2] = 10;
    m.st.r[3] = m.st.r[5] = 0x5555;
    m.st.r[6] = 100;
    m.st.r[7] = 2 * kPage;
    m.st.r[8] = 3 * kPage;
    m.st.hdr.retired = 50;
    core::ExitInfo info = m.Run(0x1000);
    EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
    EXPECT_EQ(info.pc, 0x1008u);
    EXPECT_EQ(info.addr, 3 * kPage + 8);
    EXPECT_EQ(info.access, core::MemAccess::kRead);
    EXPECT_TRUE(info.mapped);
    EXPECT_FALSE(info.bus_error);
    EXPECT_EQ(m.st.hdr.pc, 0x1008u);
    EXPECT_EQ(m.st.hdr.retired, 52u);
    EXPECT_EQ(m.st.r[1], 1u);
    EXPECT_EQ(m.st.r[2], 11u);
    EXPECT_EQ(m.st.r[4], 44u);
    EXPECT_EQ(m.st.r[3], 0x5555u);
    EXPECT_EQ(m.st.r[6], 100u);
    EXPECT_EQ(m.st.r[5], 0x5555u);
    EXPECT_EQ(Ld64(m.mem.base() + 2 * kPage), 0x1234u);
    // The same block runs to the end once the page is accessible.
    m.mem.Protect(3, PROT_READ | PROT_WRITE);
    EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
    EXPECT_EQ(m.st.r[5], 5u);
  }
}

TEST(MemOps, WriteToReadOnlyAndUnmappedPages) {
  Machine m;
  m.mem.Protect(2, PROT_READ);
  munmap(m.mem.base() + 5 * kPage, kPage);
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.Store(Addr(b, 1, 0), b.ir.GetReg(Type::kI32, R(2)));
  b.Halt(0x1004, 1);
  m.Add(b.block);
  m.st.r[1] = 2 * kPage + 4;
  m.st.r[2] = 0xFFFFFFFF;
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.access, core::MemAccess::kWrite);
  EXPECT_TRUE(info.mapped);
  EXPECT_EQ(info.addr, 2 * kPage + 4);
  EXPECT_EQ(Ld64(m.mem.base() + 2 * kPage), 0u);
  // A store straddling into the read-only page from below: nothing is written.
  m.st.r[1] = 2 * kPage - 2;
  info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(m.mem.base()[2 * kPage - 2], 0);
  m.st.r[1] = 5 * kPage + 8;
  info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_FALSE(info.mapped);
  EXPECT_EQ(info.addr, 5 * kPage + 8);
}

// mem[r1] = op(mem[r1], r2); r3 = old value.
uint64_t RunRmw(Machine& m, Type t, ir::RmwOp op, uint64_t mem, uint64_t operand) {
  static uint64_t pc = 0x40000;
  pc += 0x10;
  BlockMaker b(pc);
  b.Insn(0);
  ir::MemFlags f;
  f.order = ir::MemOrder::kSeqCst;
  f.aligned = true;
  f.rmw = op;
  ir::Value old = b.ir.Emit(Opcode::kAtomicRmw, t, b.ir.GetReg(Type::kI64, R(1)),
                            b.ir.GetReg(t, R(2)), {}, 0, f.Encode());
  b.ir.SetReg(R(3), b.ir.ZExt(Type::kI64, old));
  b.Halt(pc + 4, 1);
  m.Add(b.block);
  m.st.r[1] = 0x100;
  m.st.r[2] = operand;
  std::memset(m.mem.base() + 0x100, 0xCC, 16);
  std::memcpy(m.mem.base() + 0x100, &mem, ir::ByteSize(t));
  EXPECT_EQ(m.Run(pc).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[3], mem & ir::WidthMask(t));
  EXPECT_EQ(m.mem.base()[0x100 + ir::ByteSize(t)], 0xCC);
  uint64_t now = 0;
  std::memcpy(&now, m.mem.base() + 0x100, ir::ByteSize(t));
  return now;
}

OP_TEST(AtomicOps, AtomicRmw, Opcode::kAtomicRmw) {
  Machine m;
  using ir::RmwOp;
  EXPECT_EQ(RunRmw(m, Type::kI32, RmwOp::kAdd, 0x10, 3), 0x13u);
  EXPECT_EQ(RunRmw(m, Type::kI32, RmwOp::kAdd, 0xFFFFFFFF, 2), 1u);
  EXPECT_EQ(RunRmw(m, Type::kI64, RmwOp::kAnd, 0xF0F0, 0xFF00), 0xF000u);
  EXPECT_EQ(RunRmw(m, Type::kI64, RmwOp::kOr, 0xF0F0, 0x0F0F), 0xFFFFu);
  EXPECT_EQ(RunRmw(m, Type::kI16, RmwOp::kXor, 0xFFFF, 0x00FF), 0xFF00u);
  EXPECT_EQ(RunRmw(m, Type::kI8, RmwOp::kSwap, 0x12, 0x34), 0x34u);
  EXPECT_EQ(RunRmw(m, Type::kI32, RmwOp::kMinS, 0xFFFFFFFB, 3), 0xFFFFFFFBu);  // -5 < 3
  EXPECT_EQ(RunRmw(m, Type::kI32, RmwOp::kMaxS, 0xFFFFFFFB, 3), 3u);
  EXPECT_EQ(RunRmw(m, Type::kI32, RmwOp::kMinU, 0xFFFFFFFB, 3), 3u);
  EXPECT_EQ(RunRmw(m, Type::kI32, RmwOp::kMaxU, 0xFFFFFFFB, 3), 0xFFFFFFFBu);
  EXPECT_EQ(RunRmw(m, Type::kI64, RmwOp::kMinS, kAll, 0), kAll);
  EXPECT_EQ(RunRmw(m, Type::kI64, RmwOp::kMaxU, kAll, 0), kAll);
  EXPECT_EQ(RunRmw(m, Type::kI8, RmwOp::kMaxS, 0x80, 0x7F), 0x7Fu);
  EXPECT_EQ(RunRmw(m, Type::kI16, RmwOp::kMinU, 0x8000, 0x7FFF), 0x7FFFu);
}

OP_TEST(AtomicOps, AtomicCas, Opcode::kAtomicCas) {
  Machine m;
  for (Type t : {Type::kI8, Type::kI16, Type::kI32, Type::kI64, Type::kI128}) {
    for (bool match : {true, false}) {
      static uint64_t pc = 0x50000;
      pc += 0x10;
      BlockMaker b(pc);
      b.Insn(0);
      ir::MemFlags f;
      f.aligned = true;
      ir::Value old = b.ir.Emit(Opcode::kAtomicCas, t, b.ir.GetReg(Type::kI64, R(1)),
                                b.ir.GetReg(t, V(1)), b.ir.GetReg(t, V(2)), 0, f.Encode());
      b.ir.SetReg(V(3), old);
      b.Halt(pc + 4, 1);
      m.Add(b.block);
      unsigned size = ir::ByteSize(t);
      U128 cur = (U128{0x0102030405060708} << 64) | 0x1112131415161718;
      U128 desired = ~cur;
      m.st.r[1] = 0x100;
      std::memset(m.mem.base() + 0x100, 0, 32);
      std::memcpy(m.mem.base() + 0x100, &cur, size);
      U128 expected = match ? cur : cur ^ 1;
      std::memcpy(m.st.v[1], &expected, 16);
      std::memcpy(m.st.v[2], &desired, 16);
      std::memset(m.st.v[3], 0, 16);
      ASSERT_EQ(m.Run(pc).reason, core::ExitReason::kHalt);
      EXPECT_EQ(std::memcmp(m.st.v[3], &cur, size), 0) << "old value, size " << size;
      EXPECT_EQ(std::memcmp(m.mem.base() + 0x100, match ? &desired : &cur, size), 0) << size;
      EXPECT_EQ(m.mem.base()[0x100 + size], 0);
    }
  }
  // 16-byte atomics need 16-byte alignment on the host: a misaligned one traps.
  BlockMaker b(0x60000);
  b.Insn(0);
  b.ir.SetReg(V(3), b.ir.Emit(Opcode::kAtomicCas, Type::kI128, b.ir.GetReg(Type::kI64, R(1)),
                              b.ir.GetReg(Type::kI128, V(1)), b.ir.GetReg(Type::kI128, V(2))));
  b.Halt(0x60004, 1);
  m.Add(b.block);
  m.st.r[1] = 0x108;
  core::ExitInfo info = m.Run(0x60000);
  EXPECT_EQ(info.reason, core::ExitReason::kTrap);
  EXPECT_EQ(info.trap, core::TrapCode::kMisaligned);
  EXPECT_EQ(info.addr, 0x108u);
}

TEST(AtomicOps, MisalignedAtomicsTrap) {
  Machine m;
  ir::MemFlags f;
  f.aligned = true;
  f.rmw = ir::RmwOp::kAdd;
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.SetReg(R(3), b.ir.Emit(Opcode::kAtomicRmw, Type::kI32, b.ir.GetReg(Type::kI64, R(1)),
                              b.ir.I32(1), {}, 0, f.Encode()));
  b.Halt(0x1004, 1);
  m.Add(b.block);
  m.st.r[1] = 0x102;
  m.st.r[3] = 77;
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kTrap);
  EXPECT_EQ(info.trap, core::TrapCode::kMisaligned);
  EXPECT_EQ(info.addr, 0x102u);
  EXPECT_EQ(info.pc, 0x1000u);
  EXPECT_EQ(m.st.r[3], 77u);
  EXPECT_EQ(Ld64(m.mem.base() + 0x100), 0u);
  // Without the aligned flag (an x86 guest's lock add) a misaligned atomic runs.
  ir::MemFlags g;
  g.rmw = ir::RmwOp::kAdd;
  BlockMaker u(0x2000);
  u.Insn(0);
  u.ir.SetReg(R(3), u.ir.Emit(Opcode::kAtomicRmw, Type::kI32, u.ir.GetReg(Type::kI64, R(1)),
                              u.ir.I32(1), {}, 0, g.Encode()));
  u.Halt(0x2004, 1);
  m.Add(u.block);
  EXPECT_EQ(m.Run(0x2000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(Ld64(m.mem.base() + 0x100), 0x10000u);
  // Atomics report writes, also on read-only pages.
  m.mem.Protect(1, PROT_READ);
  m.st.r[1] = kPage;
  info = m.Run(0x2000);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.access, core::MemAccess::kWrite);
  EXPECT_TRUE(info.mapped);
}

// Blocks for LL/SC tests: LL i64 [r1] -> r2 at 0x1000, SC i64 [r1] = r3 -> r4 at 0x2000,
// SC i32 at 0x3000, ClearMonitor at 0x4000.
void AddLlScBlocks(Machine& m) {
  ir::MemFlags f;
  f.aligned = true;
  BlockMaker ll(0x1000);
  ll.Insn(0);
  ll.ir.SetReg(R(2), ll.ir.Emit(Opcode::kLoadLinked, Type::kI64, ll.ir.GetReg(Type::kI64, R(1)),
                                {}, {}, 0, f.Encode()));
  ll.Halt(0x1004, 1);
  m.Add(ll.block);
  for (Type t : {Type::kI64, Type::kI32}) {
    uint64_t pc = t == Type::kI64 ? 0x2000 : 0x3000;
    BlockMaker sc(pc);
    sc.Insn(0);
    ir::Value ok = sc.ir.Emit(Opcode::kStoreCond, Type::kI1, sc.ir.GetReg(Type::kI64, R(1)),
                              sc.ir.GetReg(t, R(3)), {}, 0, f.Encode());
    sc.ir.SetReg(R(4), sc.ir.ZExt(Type::kI64, ok));
    sc.Halt(pc + 4, 1);
    m.Add(sc.block);
  }
  BlockMaker clr(0x4000);
  clr.Insn(0);
  clr.ir.Emit(Opcode::kClearMonitor, Type::kVoid);
  clr.Halt(0x4004, 1);
  m.Add(clr.block);
}

OP_TEST(AtomicOps, LoadLinkedStoreConditional, Opcode::kLoadLinked, Opcode::kStoreCond,
        Opcode::kClearMonitor) {
  Machine m;
  AddLlScBlocks(m);
  auto mem64 = [&](uint64_t a) { return Ld64(m.mem.base() + a); };
  auto set64 = [&](uint64_t a, uint64_t v) { std::memcpy(m.mem.base() + a, &v, 8); };
  set64(0x100, 7);
  m.st.r[1] = 0x100;
  m.st.r[3] = 8;
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[2], 7u);
  EXPECT_EQ(m.st.hdr.excl_addr, 0x100u);
  EXPECT_EQ(m.st.hdr.excl_size, 8u);
  EXPECT_EQ(m.st.hdr.excl_value[0], 7u);
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[4], 1u);  // success
  EXPECT_EQ(mem64(0x100), 8u);
  EXPECT_EQ(m.st.hdr.excl_addr, core::kNoReservation);
  // A second SC without a new LL fails: the first one disarmed the monitor.
  m.st.r[3] = 9;
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[4], 0u);
  EXPECT_EQ(mem64(0x100), 8u);
  // Address mismatch: fails, and disarms.
  m.Run(0x1000);
  m.st.r[1] = 0x108;
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[4], 0u);
  EXPECT_EQ(mem64(0x108), 0u);
  m.st.r[1] = 0x100;
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[4], 0u);
  EXPECT_EQ(mem64(0x100), 8u);
  // Size mismatch.
  m.Run(0x1000);
  m.Run(0x3000);
  EXPECT_EQ(m.st.r[4], 0u);
  EXPECT_EQ(mem64(0x100), 8u);
  // The value changed behind the monitor's back (another thread's store): fails.
  m.Run(0x1000);
  set64(0x100, 100);
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[4], 0u);
  EXPECT_EQ(mem64(0x100), 100u);
  // Changed and changed back: the compare-and-swap cannot tell, so it succeeds (documented).
  m.Run(0x1000);
  set64(0x100, 5);
  set64(0x100, 100);
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[4], 1u);
  EXPECT_EQ(mem64(0x100), 9u);
  // ClearMonitor disarms.
  m.Run(0x1000);
  m.Run(0x4000);
  EXPECT_EQ(m.st.hdr.excl_addr, core::kNoReservation);
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[4], 0u);
  // Misaligned LL traps.
  m.st.r[1] = 0x104;
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.trap, core::TrapCode::kMisaligned);
}

OP_TEST(AtomicOps, Fences, Opcode::kFence) {
  Machine m;
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.Store(Addr(b, 1, 0), b.ir.I64(1));
  b.ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, ir::kFenceAll);
  b.ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, ir::kFenceLoadLoad | ir::kFenceLoadStore);
  b.ir.SetReg(R(2), b.ir.Load(Type::kI64, Addr(b, 1, 0)));
  ir::MemFlags sc;
  sc.order = ir::MemOrder::kSeqCst;
  b.ir.Store(Addr(b, 1, 8), b.ir.I64(2), sc);
  b.Halt(0x1004, 1);
  m.Add(b.block);
  m.st.r[1] = 0x100;
  EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[2], 1u);
  EXPECT_EQ(Ld64(m.mem.base() + 0x108), 2u);
}

// A loop of `iters` atomic increments of mem[r1], counting r2 down.
void AddIncrementLoop(Machine& m, uint64_t pc, bool llsc) {
  ir::MemFlags f;
  f.aligned = true;
  f.order = ir::MemOrder::kSeqCst;
  BlockMaker b(pc, 2);
  b.Insn(0);
  ir::Value addr = b.ir.GetReg(Type::kI64, R(1));
  if (llsc) {
    // Retry until the SC succeeds: count down only on success.
    ir::Value v = b.ir.Emit(Opcode::kLoadLinked, Type::kI64, addr, {}, {}, 0, f.Encode());
    ir::Value ok = b.ir.Emit(Opcode::kStoreCond, Type::kI1, addr, b.ir.Add(v, b.ir.I64(1)), {}, 0,
                             f.Encode());
    ir::Value n = b.ir.Sub(b.ir.GetReg(Type::kI64, R(2)), b.ir.ZExt(Type::kI64, ok));
    b.ir.SetReg(R(2), n);
    b.Insn(1);
    ir::Exit e;
    e.kind = ir::ExitKind::kBranch;
    e.value = b.ir.Cmp(Opcode::kCmpNe, n, b.ir.I64(0)).id;
    e.target = pc;
    e.fallthrough = pc + 8;
    e.insn_count = 2;
    b.ir.SetExit(e);
  } else {
    f.rmw = ir::RmwOp::kAdd;
    b.ir.Emit(Opcode::kAtomicRmw, Type::kI64, addr, b.ir.I64(1), {}, 0, f.Encode());
    ir::Value n = b.ir.Sub(b.ir.GetReg(Type::kI64, R(2)), b.ir.I64(1));
    b.ir.SetReg(R(2), n);
    b.Insn(1);
    ir::Exit e;
    e.kind = ir::ExitKind::kBranch;
    e.value = b.ir.Cmp(Opcode::kCmpNe, n, b.ir.I64(0)).id;
    e.target = pc;
    e.fallthrough = pc + 8;
    e.insn_count = 2;
    b.ir.SetExit(e);
  }
  m.Add(b.block);
  BlockMaker h(pc + 8);
  h.Halt(pc + 8, 0);
  m.Add(h.block);
}

TEST(AtomicOps, ContentionFromFourVcpus) {
  Machine m;
  AddIncrementLoop(m, 0x1000, false);
  AddIncrementLoop(m, 0x2000, true);
  constexpr int kThreads = 4;
  constexpr uint64_t kIters = 100000;
  for (uint64_t pc : {0x1000, 0x2000}) {
    uint64_t iters = pc == 0x1000 ? kIters : kIters / 5;
    std::memset(m.mem.base() + 0x100, 0, 8);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, iters] {
        TestState st;
        m.mem.Attach(st.hdr);
        st.r[1] = 0x100;
        st.r[2] = iters;
        st.hdr.pc = pc;
        core::Vcpu vcpu;
        vcpu.state = &st.hdr;
        core::ExitInfo info = m.interp->Run(vcpu);
        EXPECT_EQ(info.reason, core::ExitReason::kHalt);
        EXPECT_EQ(st.r[2], 0u);
      });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(Ld64(m.mem.base() + 0x100), kThreads * iters) << (pc == 0x1000 ? "rmw" : "llsc");
  }
}

}  // namespace
}  // namespace polyvm::engine::interp::test
