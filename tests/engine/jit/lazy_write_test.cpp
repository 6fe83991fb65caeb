// Elided guest register writes (codegen_lazy.cpp): a SetReg that a later one overwrites, with
// only memory accesses in between, is not stored; a fault at one of those accesses must still
// find the register's value in the state. Machine code assembled with riscv64-linux-gnu-as
// -march=rv64g; expected values follow from the RISC-V rule that a faulting instruction has no
// effect and all before it have completed.
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <initializer_list>

#include "riscv_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr unsigned kA0 = 10, kA2 = 12, kA3 = 13, kA4 = 14, kA5 = 15, kS0 = 8, kS1 = 9;
constexpr uint64_t kEntry = 0x4000;
constexpr uint64_t kPc = RiscvMachine::kCodeBase + kEntry;

void Put(RiscvMachine& m, std::initializer_list<uint32_t> words) {
  uint64_t at = kPc;
  for (uint32_t w : words) {
    std::memcpy(m.mem.base() + at, &w, 4);
    at += 4;
  }
}

// add a5, a5, s1; ld a5, 0(a5); ecall
constexpr std::initializer_list<uint32_t> kAddLd = {0x009787b3, 0x0007b783, 0x00000073};

uint64_t PageSize() { return static_cast<uint64_t>(getpagesize()); }

TEST(JitLazyWrites, LoadIntoItsAddressRegister) {
  RiscvMachine m;
  Put(m, kAddLd);
  const uint64_t addr = 20 * PageSize() + 40;
  const uint64_t value = 0x1122334455667788u;
  std::memcpy(m.mem.base() + addr, &value, 8);
  m.X(kA5) = addr - 1000;
  m.X(kS1) = 1000;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.X(kA5), value);
  EXPECT_EQ(m.st.hdr.retired, 3u);
}

TEST(JitLazyWrites, HostFaultSeesTheAddress) {
  RiscvMachine m;
  Put(m, kAddLd);
  const uint64_t addr = 21 * PageSize() + 16;
  m.mem.Protect(21, PROT_NONE);
  m.X(kA5) = addr - 8;
  m.X(kS1) = 8;
  const core::ExitInfo info = m.Run(kEntry);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.pc, kPc + 4);
  EXPECT_EQ(info.addr, addr);
  EXPECT_EQ(m.X(kA5), addr);  // the add completed; the load did not
  EXPECT_EQ(m.st.hdr.retired, 1u);
  m.mem.Protect(21, PROT_READ | PROT_WRITE);
}

TEST(JitLazyWrites, OutOfRangeSeesTheAddress) {
  RiscvMachine m;
  Put(m, kAddLd);
  const uint64_t addr = m.mem.size() + 4096;
  m.X(kA5) = 5;
  m.X(kS1) = addr - 5;
  const core::ExitInfo info = m.Run(kEntry);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.pc, kPc + 4);
  EXPECT_EQ(m.X(kA5), addr);
  EXPECT_EQ(m.st.hdr.retired, 1u);
}

// slli a5, a4, 3; add a5, a5, a0; sd a2, 0(a5); ld a5, 8(a5); ecall
// The store faults (a read-only page): a5 holds the address through two accesses.
TEST(JitLazyWrites, StoreFaultBetweenTheWrites) {
  RiscvMachine m;
  Put(m, {0x00371793, 0x00a787b3, 0x00c7b023, 0x0087b783, 0x00000073});
  const uint64_t base = 22 * PageSize();
  m.mem.Protect(22, PROT_READ);
  m.X(kA4) = 3;
  m.X(kA0) = base;
  m.X(kA2) = 77;
  const core::ExitInfo info = m.Run(kEntry);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.pc, kPc + 8);
  EXPECT_EQ(info.addr, base + 24);
  EXPECT_EQ(m.X(kA5), base + 24);
  EXPECT_EQ(m.st.hdr.retired, 2u);
  // Writable again: the same block runs through.
  m.mem.Protect(22, PROT_READ | PROT_WRITE);
  const uint64_t next = 0xabcdef;
  std::memcpy(m.mem.base() + base + 32, &next, 8);
  m.st.hdr.retired = 0;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.X(kA5), next);
  uint64_t stored = 0;
  std::memcpy(&stored, m.mem.base() + base + 24, 8);
  EXPECT_EQ(stored, 77u);
  EXPECT_EQ(m.st.hdr.retired, 5u);
}

// fill: add a3, s1, a5; sb a2, 0(a3); add a5, a5, a4; bltu a5, s0, fill; ecall
// A self-loop that only writes a3 (codegen_loop.cpp: WithEntryReadsOfWrittenFields): a3 is
// carried in a register and stored at the loop's exits, not in every iteration.
constexpr std::initializer_list<uint32_t> kFill = {0x00f486b3, 0x00c68023, 0x00e787b3, 0xfe87eae3,
                                                   0x00000073};

TEST(JitLazyWrites, WriteOnlyRegisterOfASelfLoopAtItsExit) {
  RiscvMachine m;
  Put(m, kFill);
  const uint64_t base = 23 * PageSize();
  m.X(kS1) = base;
  m.X(kA5) = 0;
  m.X(kA4) = 3;
  m.X(kS0) = 30;
  m.X(kA2) = 0x5a;
  m.X(kA3) = 0xdead;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  EXPECT_EQ(m.X(kA3), base + 27);  // the last iteration's address
  EXPECT_EQ(m.X(kA5), 30u);
  EXPECT_EQ(m.st.hdr.retired, 4u * 10 + 1);
  for (uint64_t k = 0; k < 30; ++k) {
    EXPECT_EQ(m.mem.base()[base + k], k % 3 == 0 ? 0x5a : 0) << k;
  }
}

TEST(JitLazyWrites, WriteOnlyRegisterOfASelfLoopAtAFault) {
  RiscvMachine m;
  Put(m, kFill);
  const uint64_t base = 24 * PageSize();
  m.mem.Protect(25, PROT_READ);  // the fifth iteration's store (base + 4 * 1024) faults
  m.X(kS1) = base;
  m.X(kA5) = 0;
  m.X(kA4) = PageSize() / 4;
  m.X(kS0) = 2 * PageSize();
  m.X(kA2) = 0x5a;
  m.X(kA3) = 0xdead;
  const core::ExitInfo info = m.Run(kEntry);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.pc, kPc + 4);
  EXPECT_EQ(info.addr, base + PageSize());
  EXPECT_EQ(m.X(kA3), base + PageSize());  // this iteration's add completed; its store did not
  EXPECT_EQ(m.X(kA5), PageSize());
  EXPECT_EQ(m.st.hdr.retired, 4u * 4 + 1);
  m.mem.Protect(25, PROT_READ | PROT_WRITE);
}

// axpy: fld fa4, 0(a4); fld fa5, 0(a5); addi a5, a5, 8; fmul.d fa4, fa3, fa4; addi a4, a4, 8;
// fadd.d fa5, fa5, fa4; fsd fa5, -8(a5); bne s0, a5, axpy; ecall
// (matmul's inner loop). FP ops do not make a block write-through: fa4, fa5, a4 and a5 are
// carried in registers and stored at the exits, and at a fault from the StateFix records.
constexpr std::initializer_list<uint32_t> kAxpy = {0x00073707, 0x0007b787, 0x00878793,
                                                   0x12e6f753, 0x00870713, 0x02e7f7d3,
                                                   0xfef7bc27, 0xfef412e3, 0x00000073};

uint64_t Bits(double d) {
  uint64_t u;
  std::memcpy(&u, &d, 8);
  return u;
}

// x[k] = k + 0.5, y[k] = 2k: every product and sum is exact.
void FillAxpy(RiscvMachine& m, uint64_t x, uint64_t y, unsigned n) {
  for (unsigned k = 0; k < n; ++k) {
    const double xv = k + 0.5, yv = 2.0 * k;
    std::memcpy(m.mem.base() + x + 8 * k, &xv, 8);
    std::memcpy(m.mem.base() + y + 8 * k, &yv, 8);
  }
}

TEST(JitLazyWrites, FpSelfLoopAtItsExit) {
  RiscvMachine m;
  Put(m, kAxpy);
  const uint64_t x = 26 * PageSize(), y = 27 * PageSize();
  constexpr unsigned kN = 40;
  FillAxpy(m, x, y, kN);
  constexpr unsigned kFa3 = 13, kFa4 = 14, kFa5 = 15;
  m.st.f[kFa3] = Bits(3.0);
  m.X(kA4) = x;
  m.X(kA5) = y;
  m.X(kS0) = y + 8 * kN;
  ASSERT_EQ(m.Run(kEntry).reason, core::ExitReason::kSyscall);
  for (unsigned k = 0; k < kN; ++k) {
    double got;
    std::memcpy(&got, m.mem.base() + y + 8 * k, 8);
    EXPECT_EQ(got, 2.0 * k + 3.0 * (k + 0.5)) << k;
  }
  EXPECT_EQ(m.st.f[kFa4], Bits(3.0 * (kN - 0.5)));
  EXPECT_EQ(m.st.f[kFa5], Bits(2.0 * (kN - 1) + 3.0 * (kN - 0.5)));
  EXPECT_EQ(m.X(kA4), x + 8 * kN);
  EXPECT_EQ(m.X(kA5), y + 8 * kN);
  EXPECT_EQ(m.st.hdr.retired, 8u * kN + 1);
}

TEST(JitLazyWrites, FpSelfLoopAtAFault) {
  RiscvMachine m;
  Put(m, kAxpy);
  // y's last 5 elements are on a read-only page: the store of element kN - 5 faults.
  constexpr unsigned kN = 40, kAt = kN - 5;
  const uint64_t x = 28 * PageSize(), y = 30 * PageSize() - 8 * kAt;
  FillAxpy(m, x, y, kN);
  m.mem.Protect(30, PROT_READ);
  constexpr unsigned kFa3 = 13, kFa4 = 14, kFa5 = 15;
  m.st.f[kFa3] = Bits(3.0);
  m.X(kA4) = x;
  m.X(kA5) = y;
  m.X(kS0) = y + 8 * kN;
  const core::ExitInfo info = m.Run(kEntry);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(info.pc, kPc + 0x18);
  EXPECT_EQ(info.addr, y + 8 * kAt);
  // The faulting iteration's loads, adds, fmul and fadd completed; its fsd did not.
  EXPECT_EQ(m.st.f[kFa4], Bits(3.0 * (kAt + 0.5)));
  EXPECT_EQ(m.st.f[kFa5], Bits(2.0 * kAt + 3.0 * (kAt + 0.5)));
  EXPECT_EQ(m.X(kA4), x + 8 * (kAt + 1));
  EXPECT_EQ(m.X(kA5), y + 8 * (kAt + 1));
  EXPECT_EQ(m.st.hdr.retired, 8u * kAt + 6);
  m.mem.Protect(30, PROT_READ | PROT_WRITE);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
