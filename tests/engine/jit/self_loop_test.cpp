// Blocks that loop to themselves keep guest registers in host registers across the back edge
// (codegen_loop.cpp): registers rotated through one another (cycles in the back edge's parallel
// move), an out-of-line op inside the loop (caller-saved registers saved around it), and an FP
// flag save/restore, and the lazy write-back of the state (faults inside such loops must still see
// every guest register and the retired count exact). Machine code assembled with
// riscv64-linux-gnu-as -march=rv64g; expected values computed natively by the same recurrences.
#include <bit>
#include <cstring>
#include <initializer_list>

#include <sys/mman.h>
#include <unistd.h>

#include "riscv_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr unsigned kT0 = 5, kA0 = 10, kA1 = 11, kA2 = 12, kA3 = 13, kA4 = 14, kA5 = 15, kA6 = 16,
                   kA7 = 17;
constexpr uint64_t kEntry = 0x4000;

void Put(RiscvMachine& m, std::initializer_list<uint32_t> words) {
  uint64_t at = RiscvMachine::kCodeBase + kEntry;
  for (uint32_t w : words) {
    std::memcpy(m.mem.base() + at, &w, 4);
    at += 4;
  }
}

// fib: add t0, a0, a1; mv a0, a1; mv a1, t0; addi a2, a2, -1; bnez a2, fib; ecall
TEST(JitSelfLoop, FibonacciSwapsThroughATemporary) {
  RiscvMachine m;
  Put(m, {0x00b502b3, 0x00058513, 0x00028593, 0xfff60613, 0xfe0618e3, 0x00000073});
  m.X(kA0) = 0;
  m.X(kA1) = 1;
  m.X(kA2) = 90;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  uint64_t a = 0, b = 1, t = 0;
  for (int i = 0; i < 90; ++i) {
    t = a + b;
    a = b;
    b = t;
  }
  EXPECT_EQ(m.X(kA0), a);  // F(90) = 2880067194370816120
  EXPECT_EQ(m.X(kA1), b);
  EXPECT_EQ(m.X(kT0), t);
  EXPECT_EQ(m.X(kA0), 2880067194370816120u);
  EXPECT_EQ(m.X(kA2), 0u);
  EXPECT_EQ(m.st.hdr.retired, 90u * 5 + 1);
}

// rot: a0 <- a1 <- a2 <- a0 (through t0); a4 += mulhsu(a0, a3) + a3 / a5 + remw(a0, a5);
//      addi a3, a3, -1; bnez a3, rot; ecall
TEST(JitSelfLoop, RotationWithOutOfLineOp) {
  RiscvMachine m;
  Put(m, {0x00050293, 0x00058513, 0x00060593, 0x00028613, 0x02d52333, 0x00670733, 0x02f6d3b3,
          0x00770733, 0x02f563bb, 0x00770733, 0xfff68693, 0xfc069ae3, 0x00000073});
  uint64_t r[3] = {0xfedcba9876543210u, 0x0123456789abcdefu, 0x8000000000000005u};
  uint64_t n = 1000, acc = 17, d = 7;
  m.X(kA0) = r[0];
  m.X(kA1) = r[1];
  m.X(kA2) = r[2];
  m.X(kA3) = n;
  m.X(kA4) = acc;
  m.X(kA5) = d;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  for (uint64_t k = n; k != 0; --k) {
    uint64_t t = r[0];
    r[0] = r[1];
    r[1] = r[2];
    r[2] = t;
    __int128 p = static_cast<__int128>(static_cast<int64_t>(r[0])) * static_cast<__int128>(k);
    acc += static_cast<uint64_t>(static_cast<unsigned __int128>(p) >> 64);
    acc += k / d;
    acc += static_cast<uint64_t>(
        static_cast<int64_t>(static_cast<int32_t>(r[0]) % static_cast<int32_t>(d)));
  }
  EXPECT_EQ(m.X(kA0), r[0]);
  EXPECT_EQ(m.X(kA1), r[1]);
  EXPECT_EQ(m.X(kA2), r[2]);
  EXPECT_EQ(m.X(kA3), 0u);
  EXPECT_EQ(m.X(kA4), acc);
}

// fl: fadd.d fa0, fa0, fa1; frflags a4; flt.d a5, fa0, fa2; fsflags a4;
//     fcvt.w.d a6, fa0, rtz; add a7, a7, a6; addi a2, a2, -1; bnez a2, fl; ecall
TEST(JitSelfLoop, FpFlagsSavedAndRestored) {
  RiscvMachine m;
  Put(m, {0x02b57553, 0x00102773, 0xa2c517d3, 0x00171073, 0xc2051853, 0x010888b3, 0xfff60613,
          0xfe0612e3, 0x00000073});
  const double step = 0.1, bound = 20.0;
  m.st.f[10] = std::bit_cast<uint64_t>(0.0);
  m.st.f[11] = std::bit_cast<uint64_t>(step);
  m.st.f[12] = std::bit_cast<uint64_t>(bound);
  m.X(kA2) = 300;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  double x = 0;
  uint64_t sum = 0;
  for (int i = 0; i < 300; ++i) {
    x += step;
    sum += static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(x)));
  }
  EXPECT_EQ(m.st.f[10], std::bit_cast<uint64_t>(x));
  EXPECT_EQ(m.X(kA4), 1u);  // fflags NX: 0.1 + 0.1 is inexact
  EXPECT_EQ(m.X(kA5), x < bound ? 1u : 0u);
  EXPECT_EQ(m.X(kA6), static_cast<uint64_t>(static_cast<int64_t>(static_cast<int32_t>(x))));
  EXPECT_EQ(m.X(kA7), sum);
  // flt on ordered operands raises nothing; the conversions raise inexact, as the adds do.
  EXPECT_EQ(m.st.hdr.fp_flags, static_cast<uint32_t>(ir::kFpInexact));
}

// fill: addi a3, a3, 1; sb a2, 0(a5); addi a5, a5, 1; bne a5, a4, fill; ecall
// a3 and a5 are written back only when the loop is left; the store faults in the iteration that
// reaches `stop`, after a3's increment and before a5's.
constexpr std::initializer_list<uint32_t> kFill = {0x00168693, 0x00c78023, 0x00178793, 0xfee79ae3,
                                                   0x00000073};

void ExpectFillStoppedAt(RiscvMachine& m, const core::ExitInfo& info, uint64_t start,
                         uint64_t stop) {
  const uint64_t done = stop - start;  // iterations completed before the faulting one
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.pc, RiscvMachine::kCodeBase + kEntry + 4);  // the sb
  EXPECT_EQ(info.addr, stop);
  EXPECT_EQ(m.st.hdr.pc, RiscvMachine::kCodeBase + kEntry + 4);
  EXPECT_EQ(m.X(kA3), 1000 + done + 1);
  EXPECT_EQ(m.X(kA5), stop);
  EXPECT_EQ(m.st.hdr.retired, 4 * done + 1);  // the addi of the faulting iteration completed
  for (uint64_t a = start; a < stop; ++a) ASSERT_EQ(m.mem.base()[a], 0x5a) << a;
}

// Runs kFill from `start`, its bound past `stop`, where it must stop.
core::ExitInfo RunFill(RiscvMachine& m, uint64_t start, uint64_t stop) {
  Put(m, kFill);
  m.X(kA2) = 0x5a;
  m.X(kA3) = 1000;
  m.X(kA4) = stop + 64;
  m.X(kA5) = start;
  return m.Run(kEntry);
}

// A host fault (a read-only page) in the store: the state comes from the fault's registers.
TEST(JitSelfLoop, HostFaultSeesLazilyWrittenRegisters) {
  RiscvMachine m;
  const uint64_t ps = static_cast<uint64_t>(getpagesize());
  const uint64_t stop = 40 * ps, start = stop - 777;
  m.mem.Protect(40, PROT_READ);
  const core::ExitInfo info = RunFill(m, start, stop);
  ExpectFillStoppedAt(m, info, start, stop);
  m.mem.Protect(40, PROT_READ | PROT_WRITE);
}

// An address past guest memory: the out-of-line bound failure path stores the state itself.
TEST(JitSelfLoop, OutOfRangeSeesLazilyWrittenRegisters) {
  RiscvMachine m;
  const uint64_t stop = m.mem.size(), start = stop - 300;
  const core::ExitInfo info = RunFill(m, start, stop);
  ExpectFillStoppedAt(m, info, start, stop);
}

// sum: lbu t0, 0(a5); add a3, a3, t0; addi a5, a5, 8; bltu a5, a4, sum; ecall
// The load faults (an unreadable page) before either lazily written register's write.
TEST(JitSelfLoop, LoadFaultBeforeTheWrites) {
  RiscvMachine m;
  Put(m, {0x0007c283, 0x005686b3, 0x00878793, 0xfee7eae3, 0x00000073});
  const uint64_t ps = static_cast<uint64_t>(getpagesize());
  const uint64_t start = 30 * ps + 3;
  uint64_t sum = 0, a = start;
  for (; a < 31 * ps; a += 8) {
    m.mem.base()[a] = static_cast<uint8_t>(a * 7);
    sum += static_cast<uint8_t>(a * 7);
  }
  m.mem.Protect(31, PROT_NONE);
  m.X(kA3) = 5;
  m.X(kA4) = 40 * ps;
  m.X(kA5) = start;
  const core::ExitInfo info = m.Run(kEntry);
  const uint64_t done = (a - start) / 8;
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.pc, RiscvMachine::kCodeBase + kEntry);
  EXPECT_EQ(info.addr, a);
  EXPECT_EQ(m.X(kA5), a);
  EXPECT_EQ(m.X(kA3), 5 + sum);
  EXPECT_EQ(m.X(kT0), static_cast<uint8_t>((a - 8) * 7));
  EXPECT_EQ(m.st.hdr.retired, 4 * done);
  m.mem.Protect(31, PROT_READ | PROT_WRITE);
}

// entry: j test; body: addi a0, a0, 3; addi a2, a2, 1; j test; test: bltu a0, a1, body; ecall
// The body's block continues through its jump into the test (JitState::LiftThroughJumps) and so
// loops to itself. Rewriting the test (the second part) must drop that translation.
TEST(JitSelfLoop, LoopThroughAJumpAndItsInvalidation) {
  RiscvMachine m;
  Put(m, {0x0100006f, 0x00350513, 0x00160613, 0x0040006f, 0xfeb56ae3, 0x00000073});
  m.X(kA1) = 3000;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.X(kA0), 3000u);
  EXPECT_EQ(m.X(kA2), 1000u);
  EXPECT_EQ(m.st.hdr.retired, 1 + 1000 * 4 + 2u);
  // Entry, the extended body and the ecall's block: the loop never went back to Run.
  EXPECT_EQ(StatOf(*m.interp, "jit.blocks_translated"), 3);
  // bltu a0, a3, body in place of the test.
  const uint32_t test2 = 0xfed56ae3;
  std::memcpy(m.mem.base() + RiscvMachine::kCodeBase + kEntry + 0x10, &test2, 4);
  m.interp->InvalidateCode(RiscvMachine::kCodeBase + kEntry + 0x10, 4);
  m.X(kA0) = 0;
  m.X(kA2) = 0;
  m.X(kA3) = 300;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.X(kA0), 300u);
  EXPECT_EQ(m.X(kA2), 100u);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
