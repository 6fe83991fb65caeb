// The block cache: translations reused, invalidated by range and by code-sync exits, shared by
// vCPUs running at once, and reclaimed safely while other vCPUs run (run under ASan, this is the
// use-after-free test). Also statistics and translation logs.
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

// r1 += k; then halt.
ir::Block AddBlock(uint64_t pc, uint64_t k) {
  BlockMaker b(pc);
  b.Insn(0);
  b.ir.SetReg(R(1), b.ir.Add(b.ir.GetReg(Type::kI64, R(1)), b.ir.I64(k)));
  b.Halt(pc + 4, 1);
  return b.block;
}

TEST(BlockCache, TranslatesOnce) {
  Machine m;
  m.Add(AddBlock(0x1000, 1));
  for (int i = 0; i < 5; ++i) m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 5u);
  EXPECT_EQ(m.lifter.lifts(), 1);
  EXPECT_EQ(StatOf(*m.interp, "interp.blocks_translated"), 1);
  EXPECT_EQ(StatOf(*m.interp, "interp.cached_blocks"), 1);
}

TEST(BlockCache, InvalidateCodeByRange) {
  Machine m;
  m.Add(AddBlock(0x1000, 1));
  m.Run(0x1000);
  m.Add(AddBlock(0x1000, 100));  // the guest rewrote its code
  m.interp->InvalidateCode(0x2000, 0x1000);  // elsewhere: the old translation stays
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 2u);
  m.interp->InvalidateCode(0x1003, 1);  // overlaps the block's last byte
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 102u);
  EXPECT_EQ(m.lifter.lifts(), 2);
  m.Add(AddBlock(0x1000, 1000));
  m.interp->InvalidateCode(0xF00, 0x101);  // overlaps the first byte
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 1102u);
  m.interp->InvalidateCode(0x1004, 0x100);  // just past the end
  m.Add(AddBlock(0x1000, 7));
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 2102u);
  m.interp->InvalidateAll();
  m.Run(0x1000);
  EXPECT_EQ(m.st.r[1], 2109u);
  EXPECT_EQ(StatOf(*m.interp, "interp.blocks_invalidated"), 3);
  EXPECT_EQ(StatOf(*m.interp, "interp.blocks_freed"), 3);  // no other vCPU holds them
}

// A code-sync exit (fence.i) invalidates and continues without returning from Run.
TEST(BlockCache, CodeSyncExit) {
  Machine m;
  m.Add(AddBlock(0x2000, 1));
  m.Run(0x2000);
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.SetReg(R(2), b.ir.I64(9));
  b.Exit(ir::ExitKind::kCodeSync, 0x2000, 1);
  m.Add(b.block);
  m.Add(AddBlock(0x2000, 50));  // new code at 0x2000, made visible by the code sync
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[2], 9u);
  EXPECT_EQ(m.st.r[1], 51u);
  EXPECT_EQ(m.st.hdr.pc, 0x2004u);
  EXPECT_EQ(m.st.hdr.retired, 3u);
}

// A loop of three blocks summing 1..n into r1 (r2 = n, r3 = counter).
void AddSumLoop(Machine& m, uint64_t pc) {
  BlockMaker a(pc);  // r3 += 1
  a.Insn(0);
  a.ir.SetReg(R(3), a.ir.Add(a.ir.GetReg(Type::kI64, R(3)), a.ir.I64(1)));
  a.Jump(pc + 0x100, 1);
  m.Add(a.block);
  BlockMaker b(pc + 0x100);  // r1 += r3
  b.Insn(0);
  b.ir.SetReg(R(1), b.ir.Add(b.ir.GetReg(Type::kI64, R(1)), b.ir.GetReg(Type::kI64, R(3))));
  ir::Exit e;
  e.kind = ir::ExitKind::kIndirect;  // through the jump cache, like a return
  e.value = b.ir.I64(pc + 0x200).id;
  e.insn_count = 1;
  b.ir.SetExit(e);
  m.Add(b.block);
  BlockMaker c(pc + 0x200);  // loop while r3 != r2
  c.Insn(0);
  ir::Exit br;
  br.kind = ir::ExitKind::kBranch;
  br.value = c.ir.Cmp(Opcode::kCmpNe, c.ir.GetReg(Type::kI64, R(3)), c.ir.GetReg(Type::kI64, R(2))).id;
  br.target = pc;
  br.fallthrough = pc + 0x300;
  br.insn_count = 1;
  c.ir.SetExit(br);
  m.Add(c.block);
  BlockMaker h(pc + 0x300);
  h.Halt(pc + 0x300, 0);
  m.Add(h.block);
}

struct Guest {
  TestState st;
  core::Vcpu vcpu;
  explicit Guest(Machine& m) {
    m.mem.Attach(st.hdr);
    vcpu.state = &st.hdr;
  }
};

TEST(BlockCache, VcpusShareBlocks) {
  Machine m;
  AddSumLoop(m, 0x1000);
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m, t] {
      Guest g(m);
      uint64_t n = 20000 + static_cast<uint64_t>(t);
      g.st.r[2] = n;
      g.st.hdr.pc = 0x1000;
      core::ExitInfo info = m.interp->Run(g.vcpu);
      EXPECT_EQ(info.reason, core::ExitReason::kHalt);
      EXPECT_EQ(g.st.r[1], n * (n + 1) / 2);
      EXPECT_EQ(g.st.hdr.retired, 3 * n);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(StatOf(*m.interp, "interp.cached_blocks"), 4);
  EXPECT_GE(StatOf(*m.interp, "interp.blocks_executed"), kThreads * 3 * 20000.0);
  // The jump and the branch are chained after their first pass; the indirect jump always looks
  // its target up in the jump cache.
  EXPECT_GE(StatOf(*m.interp, "interp.chained_exits"), kThreads * 2 * 20000.0 - 32);
  EXPECT_GE(StatOf(*m.interp, "interp.jump_cache_lookups"), kThreads * 20000.0);
  EXPECT_LE(StatOf(*m.interp, "interp.jump_cache_lookups"), kThreads * 20100.0);
  EXPECT_LE(StatOf(*m.interp, "interp.jump_cache_misses"), kThreads * 8.0);
}

// vCPUs keep running while another thread invalidates their blocks over and over: the retired
// blocks must stay alive until every vCPU has left them (ASan reports a use after free if not).
TEST(BlockCache, InvalidateWhileRunning) {
  Machine m;
  AddSumLoop(m, 0x1000);
  constexpr int kThreads = 3;
  constexpr int kInvalidations = 200;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      Guest g(m);
      for (int round = 0; round < 20 || !stop.load(); ++round) {
        uint64_t n = 3000;
        g.st.r[1] = g.st.r[3] = 0;
        g.st.r[2] = n;
        g.st.hdr.pc = 0x1000;
        core::ExitInfo info = m.interp->Run(g.vcpu);
        EXPECT_EQ(info.reason, core::ExitReason::kHalt);
        EXPECT_EQ(g.st.r[1], n * (n + 1) / 2);
      }
    });
  }
  int lifts = m.lifter.lifts();
  for (int i = 0; i < kInvalidations; ++i) {
    // Wait (a little) for a vCPU to translate again, so that invalidations retire blocks in use.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(5);
    while (m.lifter.lifts() == lifts && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    lifts = m.lifter.lifts();
    if (i % 3 == 0) {
      m.interp->InvalidateAll();
    } else {
      m.interp->InvalidateCode(0x1000 + 0x100 * (i % 3), 4);
    }
    std::this_thread::yield();
  }
  stop.store(true);
  for (auto& t : threads) t.join();
  EXPECT_GT(StatOf(*m.interp, "interp.blocks_invalidated"), 0);
  RecordProperty("blocks_invalidated",
                 static_cast<int>(StatOf(*m.interp, "interp.blocks_invalidated")));
  m.interp->InvalidateAll();
  // With every vCPU outside Run, everything retired can be and is freed.
  EXPECT_EQ(StatOf(*m.interp, "interp.blocks_freed"),
            StatOf(*m.interp, "interp.blocks_invalidated") +
                StatOf(*m.interp, "interp.stale_translations"));
}

TEST(BlockCache, VcpuOutlivesInterpreterAndSwitchesEngines) {
  FakeLifter lifter;
  FakeCode code;
  lifter.Add(AddBlock(0x1000, 1));
  TestState st;
  core::Vcpu vcpu;
  vcpu.state = &st.hdr;
  {
    Interpreter a(lifter, code, NoOpt());
    Interpreter b(lifter, code, NoOpt());
    st.hdr.pc = 0x1000;
    a.Run(vcpu);
    st.hdr.pc = 0x1000;
    b.Run(vcpu);
    st.hdr.pc = 0x1000;
    a.Run(vcpu);
  }
  EXPECT_EQ(st.r[1], 3u);
  vcpu.engine_data.reset();  // the engine's shared state outlives the Interpreter objects
}

TEST(BlockCache, TranslationLog) {
  std::string log;
  Options o;
  o.log_in_asm = o.log_op = o.log_op_opt = o.log_lowered = true;
  o.log_sink = [&](std::string_view s) { log += s; };
  Machine m(o);
  m.Add(AddBlock(0x1000, 3));
  m.Run(0x1000);
  EXPECT_NE(log.find("IN: test block at 0x1000"), std::string::npos) << log;
  EXPECT_NE(log.find("insn@4096"), std::string::npos) << log;
  EXPECT_NE(log.find("OP:"), std::string::npos) << log;
  EXPECT_NE(log.find("OP after passes:"), std::string::npos) << log;
  EXPECT_NE(log.find("LOWERED:"), std::string::npos) << log;
  EXPECT_NE(log.find("Add_I64_Void_SSIN"), std::string::npos) << log;
}

TEST(BlockCache, TranslationStatistics) {
  Machine m;
  m.Add(AddBlock(0x1000, 1));
  m.Add(AddBlock(0x2000, 1));
  m.Run(0x1000);
  m.Run(0x2000);
  EXPECT_EQ(StatOf(*m.interp, "interp.blocks_translated"), 2);
  EXPECT_GT(StatOf(*m.interp, "interp.translate_time"), 0);
  EXPECT_GT(StatOf(*m.interp, "interp.translate_time_mean"), 0);
  EXPECT_GE(StatOf(*m.interp, "interp.translate_time_p99"),
            StatOf(*m.interp, "interp.translate_time_mean"));
  EXPECT_EQ(StatOf(*m.interp, "interp.ir_insts_lifted"), 2 * 5);  // marker, get, const, add, set
  EXPECT_EQ(StatOf(*m.interp, "interp.ir_insts_optimized"), 2 * 5);  // not optimised
  EXPECT_EQ(StatOf(*m.interp, "interp.blocks_executed"), 2);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
