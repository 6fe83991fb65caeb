// The hybrid engine on real RISC-V64 code (the programs of tests/engine/interp/riscv_programs.h):
// results and retired counts must be those of the mathematics whatever the tiering policy, and the
// statistics must show where the code ran: nothing in the JIT when nothing is hot, the hot loop in
// the JIT otherwise, each block handed over after its first run when every block is hot at once.
#include "polyvm/engine/hybrid/hybrid_engine.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/frontend/riscv64/state.h"
#include "riscv_env.h"
#include "riscv_hybrid_machine.h"
#include "riscv_programs.h"

namespace polyvm::engine::hybrid {
namespace {

using interp::test::GuestMemory;
using interp::test::MemCodeReader;
namespace rv = interp::test::rv;

constexpr unsigned kA0 = 10, kA1 = 11, kA2 = 12;
constexpr uint64_t kCodeBase = 0x1000;

enum class Policy { kCold, kEager, kLoop, kDefault };

Options OptionsFor(Policy p) {
  Options o;
  switch (p) {
    case Policy::kCold: o.hotness = {.threshold = 1e9, .alpha = 0.5, .period = 16384}; break;
    case Policy::kEager: o.hotness = {.threshold = 1, .alpha = 1, .period = 16384}; break;
    case Policy::kLoop: o.hotness = {.threshold = 16, .alpha = 1, .period = 1u << 30}; break;
    case Policy::kDefault: break;
  }
  return o;
}

struct Machine : test::RiscvHybridMachine {
  explicit Machine(Policy p)
      : test::RiscvHybridMachine(512, OptionsFor(p), kCodeBase, rv::kCode, sizeof rv::kCode) {}
  core::ExitInfo Run(uint64_t entry) { return test::RiscvHybridMachine::Run(kCodeBase + entry); }
};

class Hybrid : public ::testing::TestWithParam<Policy> {};

TEST_P(Hybrid, SumLoop) {
  Machine m(GetParam());
  const uint64_t n = 100000;
  m.st.x[kA2] = n;
  core::ExitInfo info = m.Run(rv::kSum);
  EXPECT_EQ(info.reason, core::ExitReason::kSyscall);
  EXPECT_EQ(info.pc, kCodeBase + rv::kSumEcall);
  EXPECT_EQ(m.st.hdr.pc, kCodeBase + rv::kSumEcall + 4);
  EXPECT_EQ(m.st.x[kA0], n * (n + 1) / 2);
  EXPECT_EQ(m.st.hdr.retired, 2 + 3 * n + 1);
  auto s = m.Stats();
  EXPECT_EQ(s["hybrid.insns_interp"] + s["hybrid.insns_jit"], 2 + 3 * n + 1);
  const uint64_t loop = kCodeBase + 8;  // the add/addi/bge loop's own block
  switch (GetParam()) {
    case Policy::kCold:
      EXPECT_EQ(s["hybrid.insns_jit"], 0);
      EXPECT_EQ(s["jit.blocks_translated"], 0);
      EXPECT_FALSE(m.engine.IsHot(loop));
      break;
    case Policy::kLoop:
      // Interpreted: the entry block (li, li and the first iteration: 5 instructions), the loop
      // block until it is hot (a report of 1 at its first run, of 15 more at its 16th: alpha *
      // 16 = 16 = T), and the cold ecall block at the end.
      EXPECT_TRUE(m.engine.IsHot(loop));
      EXPECT_EQ(s["hybrid.insns_interp"], 5 + 3 * 16 + 1);
      EXPECT_EQ(s["hybrid.blocks_promoted"], 1);
      break;
    default:
      EXPECT_TRUE(m.engine.IsHot(loop));
      EXPECT_GT(s["hybrid.insns_jit"], 0.9 * (3 * n));
      EXPECT_GE(s["jit.blocks_translated"], 1);
      break;
  }
}

TEST_P(Hybrid, Sieve) {
  Machine m(GetParam());
  const uint64_t flags = 0x20000, n = 10000;
  m.st.x[kA0] = flags;
  m.st.x[kA1] = n;
  EXPECT_EQ(m.Run(rv::kSieve).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.st.x[kA2], 1229u);  // pi(10000)
  EXPECT_EQ(m.mem.base()[flags + 9973], 0);
  EXPECT_EQ(m.mem.base()[flags + 9999], 1);
}

TEST_P(Hybrid, HarmonicSum) {
  Machine m(GetParam());
  const uint64_t n = 1000;
  m.st.x[kA1] = n;
  EXPECT_EQ(m.Run(rv::kHarmonic).reason, core::ExitReason::kSyscall);
  double expect = 0;  // the same additions in the same order, in host double arithmetic
  for (uint64_t k = 1; k <= n; ++k) expect += 1.0 / static_cast<double>(k);
  double got;
  std::memcpy(&got, &m.st.f[10], sizeof got);
  EXPECT_EQ(got, expect);
}

TEST_P(Hybrid, ChecksumWithCalls) {
  Machine m(GetParam());
  const uint64_t words = 0x30000, n = 500;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t w = 3 * i + 1;
    std::memcpy(m.mem.base() + words + 8 * i, &w, 8);
  }
  m.st.x[kA0] = words;
  m.st.x[kA1] = n;
  EXPECT_EQ(m.Run(rv::kChecksum).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.st.x[kA2], n * (n + 1) * (2 * n + 1) / 2 - n * (n + 1));
}

TEST_P(Hybrid, AtomicsFromFourThreads) {
  Machine m(GetParam());
  const uint64_t counter = 0x40000, iters = 20000;
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      frontend::riscv64::Riscv64State st;
      m.mem.Attach(st.hdr);
      st.x[kA0] = counter;
      st.x[kA1] = iters;
      st.hdr.pc = kCodeBase + rv::kAtomics;
      core::Vcpu vcpu;
      vcpu.state = &st.hdr;
      EXPECT_EQ(m.engine.Run(vcpu).reason, core::ExitReason::kSyscall);
    });
  }
  for (auto& t : threads) t.join();
  uint64_t v;
  std::memcpy(&v, m.mem.base() + counter, 8);
  EXPECT_EQ(v, 2 * kThreads * iters);
}

TEST(HybridHandOff, InvalidationReachesBothTiers) {
  // The sum loop runs hot in the JIT; its addi is then rewritten to add 2 (addi a1, a1, 2) and
  // the range invalidated: the next run must execute the new instruction.
  Machine m(Policy::kLoop);
  m.st.x[kA2] = 1000;
  m.Run(rv::kSum);
  EXPECT_EQ(m.st.x[kA0], 1000u * 1001 / 2);
  ASSERT_TRUE(m.engine.IsHot(kCodeBase + 8));
  const uint32_t addi2 = 0x00258593;  // riscv64-linux-gnu-as: addi a1, a1, 2
  std::memcpy(m.mem.base() + kCodeBase + 0xc, &addi2, 4);
  m.engine.InvalidateCode(kCodeBase + 0xc, 4);
  m.st.x[kA2] = 1000;
  m.Run(rv::kSum);
  EXPECT_EQ(m.st.x[kA0], 500u * 500);  // 1 + 3 + ... + 999
}

INSTANTIATE_TEST_SUITE_P(Policies, Hybrid,
                         ::testing::Values(Policy::kCold, Policy::kEager, Policy::kLoop,
                                           Policy::kDefault),
                         [](const auto& info) {
                           switch (info.param) {
                             case Policy::kCold: return "Cold";
                             case Policy::kEager: return "Eager";
                             case Policy::kLoop: return "Loop";
                             default: return "Default";
                           }
                         });

}  // namespace
}  // namespace polyvm::engine::hybrid
