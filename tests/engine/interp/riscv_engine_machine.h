// One riscv64 vCPU run by any engine (interpreter, JIT, hybrid) over test guest memory: the test's
// code is copied in at `code_at`; Stats() gives the engine's --stats by name. Also the two-page
// loop the superblock tests of the JIT and of the hybrid engine both run.
#pragma once

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <string>

#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/frontend/riscv64/state.h"
#include "riscv_env.h"

namespace polyvm::engine::interp::test {

template <typename Engine>
struct RiscvEngineMachine {
  template <typename Options>
  RiscvEngineMachine(size_t pages, const Options& o, uint64_t code_at, const void* code_bytes,
                     size_t code_size)
      : mem(pages), engine(lifter, code, o) {
    std::memcpy(mem.base() + code_at, code_bytes, code_size);
    mem.Attach(st.hdr);
    vcpu.state = &st.hdr;
  }
  core::ExitInfo Run(uint64_t pc) {
    st.hdr.pc = pc;
    return engine.Run(vcpu);
  }
  std::map<std::string, double> Stats() const {
    core::Stats s;
    engine.CollectStats(s);
    std::map<std::string, double> m;
    for (const auto& e : s.entries) m[e.name] = e.value;
    return m;
  }

  GuestMemory mem;
  MemCodeReader code{mem};
  frontend::riscv64::Riscv64Lifter lifter;
  Engine engine;
  frontend::riscv64::Riscv64State st;
  core::Vcpu vcpu;
};

// Assembled with riscv64-linux-gnu-as -march=rv64gc (.option norvc): a loop whose head block
// ends a page and whose second block starts the next one.
//   0x1ff8 head: addi a0, a0, 1
//   0x1ffc       j    next
//   0x2000 next: addi a1, a1, -1
//   0x2004       bnez a1, head
//   0x2008       ecall
struct TwoPageLoop {
  static constexpr unsigned kA0 = 10, kA1 = 11;
  static constexpr uint64_t kHead = 0x1ff8, kNext = 0x2000, kEcall = 0x2008;
  static constexpr uint32_t kCode[] = {0x00150513, 0x0040006f, 0xfff58593, 0xfe059ae3,
                                       0x00000073};
  static constexpr uint32_t kAddiA1Minus2 = 0xffe58593;  // addi a1, a1, -2

  // Runs the loop 1000 times from the head to the ecall: exact registers and retired count, and
  // the head's translation is a superblock.
  template <typename Machine>
  static void RunAThousandTimes(Machine& m) {
    m.st.x[kA1] = 1000;
    core::ExitInfo info = m.Run(kHead);
    EXPECT_EQ(info.reason, core::ExitReason::kSyscall);
    EXPECT_EQ(info.pc, kEcall);
    EXPECT_EQ(m.st.x[kA0], 1000u);
    EXPECT_EQ(m.st.x[kA1], 0u);
    EXPECT_EQ(m.st.hdr.retired, 4 * 1000u + 1);
    EXPECT_TRUE(m.engine.HasSuperblock(kHead));
  }

  // Runs the loop 100 times with superblocks built, rewrites only the second block's instruction
  // (addi a1, a1, -1 becomes -2), invalidates it and runs again: the superblock at the head is
  // dropped, the new code runs (a0 = 50), and a superblock is built anew.
  template <typename Machine>
  static void RewriteTheSecondPage(Machine& m) {
    m.st.x[kA1] = 100;
    m.Run(kHead);
    EXPECT_EQ(m.st.x[kA0], 100u);
    ASSERT_TRUE(m.engine.HasSuperblock(kHead));
    std::memcpy(m.mem.base() + kNext, &kAddiA1Minus2, 4);
    m.engine.InvalidateCode(kNext, 4);
    EXPECT_FALSE(m.engine.HasSuperblock(kHead));
    m.st.x[kA0] = 0;
    m.st.x[kA1] = 100;
    m.Run(kHead);
    EXPECT_EQ(m.st.x[kA0], 50u);  // two off a1 per iteration
    EXPECT_EQ(m.st.x[kA1], 0u);
    EXPECT_TRUE(m.engine.HasSuperblock(kHead));  // profiled anew and rebuilt
  }
};

}  // namespace polyvm::engine::interp::test
