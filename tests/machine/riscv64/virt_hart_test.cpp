// A virt hart end to end without an engine: the boot registers, CSR writes reaching its soft MMU
// (satp flushes, sfence.vma, SUM switching contexts), the CLINT's wires reaching mip, and time.
#include "polyvm/machine/riscv64/virt_hart.h"

#include <gtest/gtest.h>

#include <vector>

#include "polyvm/mem/riscv_page_walk.h"
#include "test_hart.h"

namespace polyvm::machine::riscv64 {
namespace {

using testing::Csrrs;
using testing::Csrrw;

constexpr uint64_t kRoot = kVirtRamBase + 0x10000, kL1 = kRoot + 0x1000, kL0 = kRoot + 0x2000;

class VirtHartTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ram_.assign(1 << 20, 0);
    std::string error;
    ASSERT_TRUE(phys_.AddRam(kVirtRamBase, ram_.data(), ram_.size(), &error));
    // va 0x40000000 -> pa kVirtRamBase + 0x20000 (S page).
    Slot(kRoot + 8) = Pte(kL1, mem::kPteV);
    Slot(kL1) = Pte(kL0, mem::kPteV);
    Slot(kL0) =
        Pte(kVirtRamBase + 0x20000, mem::kPteV | mem::kPteR | mem::kPteW | mem::kPteA | mem::kPteD);
  }
  uint64_t& Slot(uint64_t pa) { return *reinterpret_cast<uint64_t*>(&ram_[pa - kVirtRamBase]); }
  static uint64_t Pte(uint64_t pa, uint64_t f) { return (pa >> 12) << 10 | f; }
  bool Cached(uint64_t va) {
    const mem::TlbEntry& e =
        hart_.mmu().mmu().data_tlb().entries[mem::kTlbRead][mem::TlbSet::Index(va)];
    return e.tag == (va & mem::kTlbPageMask);
  }
  uint64_t Exec(uint32_t insn) {
    uint64_t pc = hart_.state().cpu.hdr.pc;
    uint64_t next = ExecutePrivileged(hart_.state(), insn, pc, 0);
    hart_.state().cpu.hdr.pc = next;
    return next;
  }

  std::vector<uint8_t> ram_;
  mem::PhysicalMap phys_;
  MachineClock clock_;
  VirtHart hart_{1, phys_, clock_};
};

TEST_F(VirtHartTest, ResetFollowsFwDynamic) {
  VirtBootPlan plan;
  plan.fdt = 0x8fe00000;
  plan.fw_dynamic_info = kVirtRomBase;
  hart_.Reset(plan);
  HartState& s = hart_.state();
  EXPECT_EQ(s.cpu.hdr.pc, 0x80000000u);
  EXPECT_EQ(s.priv, Priv::kMachine);
  EXPECT_EQ(s.cpu.x[10], 1u);
  EXPECT_EQ(s.cpu.x[11], 0x8fe00000u);
  EXPECT_EQ(s.cpu.x[12], kVirtRomBase);
  EXPECT_EQ(s.csr.mhartid, 1u);
}

TEST_F(VirtHartTest, CsrWritesReachTheSoftMmu) {
  HartState& s = hart_.state();
  s.cpu.x[5] = 8ull << 60 | (kRoot >> 12);  // Sv39
  Exec(Csrrw(0, 0x180, 5));                 // csrw satp, t0 (in M)
  s.csr.mepc = 0x80000100;
  s.csr.mstatus |= 1ull << mstatus::kMppShift;
  Exec(0x30200073);  // mret to S
  ASSERT_EQ(s.priv, Priv::kSupervisor);
  uint64_t v;
  ASSERT_FALSE(hart_.mmu().mmu().Load(0x40000000, 8, &v));
  EXPECT_TRUE(Cached(0x40000000));
  // sfence.vma t1 (rs1 = t1) drops the page.
  s.cpu.x[6] = 0x40000000;
  Exec(0x12000073 | 6 << 15);
  EXPECT_FALSE(Cached(0x40000000));
  ASSERT_FALSE(hart_.mmu().mmu().Load(0x40000000, 8, &v));
  // Writing satp (same mode, new ASID) flushes everything.
  s.cpu.x[5] = 8ull << 60 | 7ull << 44 | (kRoot >> 12);
  Exec(Csrrw(0, 0x180, 5));
  EXPECT_FALSE(Cached(0x40000000));
  // Setting SUM moves data accesses to the SUM context.
  EXPECT_EQ(hart_.mmu().mmu().data_context(), kCtxSupervisor);
  s.cpu.x[5] = mstatus::kSum;
  Exec(Csrrs(0, 0x100, 5));  // csrs sstatus, t0
  EXPECT_EQ(hart_.mmu().mmu().data_context(), kCtxSupervisorSum);
}

TEST_F(VirtHartTest, ClintWiresReachMip) {
  HartIrqLine msip(hart_.state(), kIrqMsi), mtip(hart_.state(), kIrqMti);
  Clint clint(clock_, {{nullptr, nullptr}, {&msip, &mtip}});
  clint.Write(4, 4, 1);  // hart 1's msip
  EXPECT_TRUE(ReadMip(hart_.state()) & kMipMsip);
  hart_.state().csr.mie = kMipMsip;
  hart_.state().csr.mstatus |= mstatus::kMie;
  EXPECT_EQ(PendingInterrupt(hart_.state()), static_cast<int>(kIrqMsi));
  clint.Write(Clint::kMtimecmpBase + 8, 8, 0);  // hart 1: already due
  EXPECT_TRUE(ReadMip(hart_.state()) & kMipMtip);
}

TEST_F(VirtHartTest, TimeComesFromTheMachineClock) {
  clock_.SetTicks(1'000'000);
  uint64_t t = 0;
  ASSERT_EQ(ReadCsr(hart_.state(), 0xc01, &t), CsrStatus::kOk);
  EXPECT_GE(t, 1'000'000u);
  EXPECT_LT(t, 1'000'000u + 60 * MachineClock::kTimebaseHz);
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), ~uint64_t{0});
  ASSERT_EQ(WriteCsr(hart_.state(), 0x30a, kMenvcfgStce), CsrStatus::kOk);
  ASSERT_EQ(WriteCsr(hart_.state(), 0x14d, 5'000'000), CsrStatus::kOk);
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), 5'000'000u);
}

// The timer thread reads the deadline while the hart runs: it reads a copy the hart publishes
// (an atomic), which must follow every way stimecmp and STCE change, including a reset.
TEST_F(VirtHartTest, SupervisorTimerDeadlineFollowsTheCsrsAndReset) {
  ASSERT_EQ(WriteCsr(hart_.state(), 0x14d, 7'000'000), CsrStatus::kOk);
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), ~uint64_t{0}) << "STCE off: not armed";
  ASSERT_EQ(WriteCsr(hart_.state(), 0x30a, kMenvcfgStce), CsrStatus::kOk);
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), 7'000'000u) << "STCE on arms the stored compare";
  ASSERT_EQ(WriteCsr(hart_.state(), 0x14d, 9'000'000), CsrStatus::kOk);
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), 9'000'000u);
  ASSERT_EQ(WriteCsr(hart_.state(), 0x30a, 0), CsrStatus::kOk);
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), ~uint64_t{0});
  ASSERT_EQ(WriteCsr(hart_.state(), 0x30a, kMenvcfgStce), CsrStatus::kOk);
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), 9'000'000u);
  hart_.Reset(VirtBootPlan{});
  EXPECT_EQ(hart_.SupervisorTimerDeadline(), ~uint64_t{0}) << "reset clears menvcfg";
}

}  // namespace
}  // namespace polyvm::machine::riscv64
