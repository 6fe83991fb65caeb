// The JIT's code cache: reuse, invalidation by range, fence.i (kCodeSync), chaining and
// unchaining, the inline lookup table, arena flushes when the code cache is full, vCPUs sharing
// code while another thread invalidates and flushes it, and the --stats counters.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

// r1 += k, then jump to `next` (or halt at 0xdead0 when next is 0).
ir::Block AddBlock(uint64_t pc, uint64_t k, uint64_t next = 0) {
  BlockMaker b(pc);
  b.Insn(0);
  b.ir.SetReg(R(1), b.ir.Add(b.ir.GetReg(Type::kI64, R(1)), b.ir.I64(k)));
  if (next == 0) {
    b.Halt(0xdead0, 1);
  } else {
    b.Jump(next, 1);
  }
  return b.block;
}

struct Guest {
  TestState st;
  core::Vcpu vcpu;
  explicit Guest(const GuestMemory& mem) {
    mem.Attach(st.hdr);
    vcpu.state = &st.hdr;
  }
};

TEST(JitCache, InvalidateByRangeRetranslates) {
  Machine m;
  m.Add(AddBlock(0x1000, 1));
  EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[1], 1u);
  m.Add(AddBlock(0x1000, 10));  // the guest code "changed"
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 2u);  // still the cached translation
  m.interp->InvalidateCode(0x2000, 0x100);
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 3u);
  m.interp->InvalidateCode(0x1003, 1);  // overlaps the block's last byte
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 13u);
  EXPECT_EQ(StatOf(*m.interp, "jit.blocks_invalidated"), 1);
  EXPECT_EQ(StatOf(*m.interp, "jit.blocks_translated"), 2);
}

TEST(JitCache, CodeSyncExitDropsTranslations) {
  Machine m;
  BlockMaker b(0x1000);
  b.Insn(0);
  b.Exit(ir::ExitKind::kCodeSync, 0x2000, 1);
  m.Add(b.block);
  m.Add(AddBlock(0x2000, 5));
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[1], 5u);
  m.Add(AddBlock(0x2000, 7));
  EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[1], 12u);  // fence.i made the new code visible
  EXPECT_EQ(m.st.hdr.retired, 3u);
}

TEST(JitCache, ChainedExitIsUnchainedWhenItsTargetGoes) {
  Machine m;
  m.Add(AddBlock(0x1000, 1, 0x2000));
  m.Add(AddBlock(0x2000, 100));
  for (int i = 0; i < 3; ++i) m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 303u);
  EXPECT_EQ(StatOf(*m.interp, "jit.exits_chained"), 1);  // linked on the first pass
  m.Add(AddBlock(0x2000, 1000));
  m.interp->InvalidateCode(0x2000, 4);
  m.Run(0x1000);  // the patched jump in 0x1000 must no longer reach the old 0x2000
  EXPECT_EQ(m.st.r[1], 1304u);
}

TEST(JitCache, IndirectJumpsUseTheLookupTable) {
  Machine m;
  // r2 counts down; the block jumps indirectly to the address in r3 (itself) until r2 is 0.
  BlockMaker b(0x1000);
  b.Insn(0);
  ir::Value n = b.ir.Sub(b.ir.GetReg(Type::kI64, R(2)), b.ir.I64(1));
  b.ir.SetReg(R(2), n);
  ir::Value target = b.ir.Select(b.ir.Cmp(Opcode::kCmpEq, n, b.ir.I64(0)), b.ir.I64(0x3000),
                                 b.ir.GetReg(Type::kI64, R(3)));
  ir::Exit e;
  e.kind = ir::ExitKind::kIndirect;
  e.value = target.id;
  e.insn_count = 1;
  b.ir.SetExit(e);
  m.Add(b.block);
  BlockMaker h(0x3000);
  h.Halt(0x3000, 0);
  m.Add(h.block);
  m.st.r[2] = 1000;
  m.st.r[3] = 0x1000;
  EXPECT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[2], 0u);
  EXPECT_EQ(m.st.hdr.retired, 1000u);
  // Hits are not counted; 999 indirect jumps that missed at most 3 times were looked up inline.
  EXPECT_LE(StatOf(*m.interp, "jit.lookup_misses"), 3);
}

// 400 blocks in a chain (each 0x40 bytes apart), run round after round through a code cache that
// holds only part of them: the arena is flushed again and again, and results stay exact.
TEST(JitCache, FullCodeCacheIsFlushedAndReclaimed) {
  FakeLifter lifter;
  FakeCode code;
  GuestMemory mem(4);
  constexpr int kBlocks = 400;
  for (int i = 0; i < kBlocks; ++i) {
    uint64_t pc = 0x10000 + 0x40 * static_cast<uint64_t>(i);
    lifter.Add(AddBlock(pc, static_cast<uint64_t>(i), i + 1 < kBlocks ? pc + 0x40 : 0));
  }
  jit::Options o;
  o.optimize = false;
  o.code_cache_bytes = 32 << 10;
  o.lift_through_jumps = false;  // one translation per block: the flushes counted below
  jit::JitEngine engine(lifter, code, o);
  Guest g(mem);
  for (int round = 0; round < 5; ++round) {
    g.st.r[1] = 0;
    g.st.hdr.pc = 0x10000;
    EXPECT_EQ(engine.Run(g.vcpu).reason, core::ExitReason::kHalt);
    EXPECT_EQ(g.st.r[1], uint64_t{kBlocks} * (kBlocks - 1) / 2);
  }
  EXPECT_GT(StatOf(engine, "jit.code_cache_flushes"), 4);
  // This vCPU is outside Run: every retired arena has been freed.
  EXPECT_EQ(StatOf(engine, "jit.code_arenas_freed"), StatOf(engine, "jit.code_cache_flushes"));
  EXPECT_LE(StatOf(engine, "jit.code_cache_used"), 32 << 10);
}

// vCPUs keep running chained and looked-up code while another thread invalidates it and the
// small code cache flushes: code must stay mapped until every vCPU has left it (a crash or ASan
// report if not), and every result exact.
TEST(JitCache, InvalidateAndFlushWhileRunning) {
  FakeLifter lifter;
  FakeCode code;
  GuestMemory mem(4);
  constexpr int kBlocks = 64;
  for (int i = 0; i < kBlocks; ++i) {
    uint64_t pc = 0x10000 + 0x40 * static_cast<uint64_t>(i);
    lifter.Add(AddBlock(pc, 1, i + 1 < kBlocks ? pc + 0x40 : 0));
  }
  jit::Options o;
  o.code_cache_bytes = 24 << 10;
  jit::JitEngine engine(lifter, code, o);
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&] {
      Guest g(mem);
      for (int round = 0; round < 50 || !stop.load(); ++round) {
        g.st.r[1] = 0;
        g.st.hdr.pc = 0x10000;
        EXPECT_EQ(engine.Run(g.vcpu).reason, core::ExitReason::kHalt);
        EXPECT_EQ(g.st.r[1], uint64_t{kBlocks});
      }
    });
  }
  for (int i = 0; i < 300; ++i) {
    if (i % 4 == 0) {
      engine.InvalidateAll();
    } else {
      engine.InvalidateCode(0x10000 + 0x40 * static_cast<uint64_t>(i % kBlocks), 4);
    }
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  stop.store(true);
  for (auto& t : threads) t.join();
  EXPECT_GT(StatOf(engine, "jit.blocks_invalidated"), 0);
}

TEST(JitCache, Statistics) {
  Machine m;
  m.Add(AddBlock(0x1000, 1, 0x2000));
  m.Add(AddBlock(0x2000, 2));
  m.Run(0x1000);
  EXPECT_EQ(StatOf(*m.interp, "jit.blocks_translated"), 2);
  EXPECT_GT(StatOf(*m.interp, "jit.translate_time_mean"), 0);
  EXPECT_GE(StatOf(*m.interp, "jit.translate_time_p99"),
            StatOf(*m.interp, "jit.translate_time_mean"));
  EXPECT_GT(StatOf(*m.interp, "jit.code_cache_used"), 0);
  EXPECT_EQ(StatOf(*m.interp, "jit.code_cache_size"), 64 << 20);
  EXPECT_EQ(StatOf(*m.interp, "jit.cached_blocks"), 2);
  EXPECT_EQ(StatOf(*m.interp, "jit.ir_insts_lifted"), 2 * 5);  // marker, get, const, add, set
}

}  // namespace
}  // namespace polyvm::engine::interp::test
