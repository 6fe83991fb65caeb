// Real RISC-V64 machine code (riscv_programs.h) lifted by the frontend and run by the
// interpreter, with and without the optimiser; results checked against the mathematics.
#include <bit>
#include <cstring>
#include <thread>
#include <vector>

#include "riscv_env.h"
#include "riscv_programs.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr unsigned kA0 = 10, kA1 = 11, kA2 = 12;

class Riscv : public ::testing::TestWithParam<bool> {
 protected:
  Options Opts() const {
    Options o;
    o.optimize = GetParam();
    return o;
  }
};

TEST_P(Riscv, SumLoop) {
  RiscvMachine m(Opts());
  const uint64_t n = 100000;
  m.X(kA2) = n;
  core::ExitInfo info = m.Run(rv::kSum);
  EXPECT_EQ(info.reason, core::ExitReason::kSyscall);
  EXPECT_EQ(info.pc, RiscvMachine::kCodeBase + rv::kSumEcall);
  EXPECT_EQ(m.st.hdr.pc, RiscvMachine::kCodeBase + rv::kSumEcall + 4);
  EXPECT_EQ(m.X(kA0), n * (n + 1) / 2);
  EXPECT_EQ(m.st.hdr.retired, 2 + 3 * n + 1);
}

TEST_P(Riscv, Sieve) {
  RiscvMachine m(Opts());
  const uint64_t flags = 0x20000, n = 10000;
  m.X(kA0) = flags;
  m.X(kA1) = n;
  EXPECT_EQ(m.Run(rv::kSieve).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.X(kA2), 1229u);  // pi(10000)
  EXPECT_EQ(m.mem.base()[flags + 9973], 0);  // the largest prime below 10000
  EXPECT_EQ(m.mem.base()[flags + 9999], 1);  // 3 * 3333
  EXPECT_EQ(m.mem.base()[flags + 91], 1);    // 7 * 13
}

TEST_P(Riscv, HarmonicSum) {
  RiscvMachine m(Opts());
  const int64_t n = 1000;
  m.X(kA1) = static_cast<uint64_t>(n);
  EXPECT_EQ(m.Run(rv::kHarmonic).reason, core::ExitReason::kSyscall);
  double expect = 0;  // the same IEEE operations in the same order, natively
  for (int64_t i = 1; i <= n; ++i) expect += 1.0 / static_cast<double>(i);
  EXPECT_EQ(m.st.f[10], std::bit_cast<uint64_t>(expect));
  EXPECT_NE(m.st.hdr.fp_flags & ir::kFpInexact, 0u);  // 1/3 is inexact
  EXPECT_EQ(m.st.hdr.fp_flags & ~ir::kFpInexact, 0u);
}

TEST_P(Riscv, ChecksumWithCalls) {
  RiscvMachine m(Opts());
  const uint64_t words = 0x30000, n = 500;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t w = 3 * i + 1;
    std::memcpy(m.mem.base() + words + 8 * i, &w, 8);
  }
  m.X(kA0) = words;
  m.X(kA1) = n;
  EXPECT_EQ(m.Run(rv::kChecksum).reason, core::ExitReason::kSyscall);
  // sum_{i<n} (3i + 1)(i + 1) = sum_{k=1..n} (3k - 2) k = 3 * n(n+1)(2n+1)/6 - n(n+1)
  EXPECT_EQ(m.X(kA2), n * (n + 1) * (2 * n + 1) / 2 - n * (n + 1));
}

TEST_P(Riscv, AtomicsFromFourThreads) {
  RiscvMachine m(Opts());
  const uint64_t counter = 0x40000, iters = 20000;
  constexpr int kThreads = 4;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      frontend::riscv64::Riscv64State st;
      m.mem.Attach(st.hdr);
      st.x[kA0] = counter;
      st.x[kA1] = iters;
      st.hdr.pc = RiscvMachine::kCodeBase + rv::kAtomics;
      core::Vcpu vcpu;
      vcpu.state = &st.hdr;
      EXPECT_EQ(m.interp->Run(vcpu).reason, core::ExitReason::kSyscall);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Ld64(m.mem.base() + counter), 2 * kThreads * iters);
}

INSTANTIATE_TEST_SUITE_P(Interp, Riscv, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Optimized" : "Unoptimized"; });

}  // namespace
}  // namespace polyvm::engine::interp::test
