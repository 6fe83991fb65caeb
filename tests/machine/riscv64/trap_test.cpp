// Trap entry, delegation, interrupt priority and xRET, checked against the privileged spec 1.12
// (3.1.6.1 privilege stack, 3.1.7 mtvec, 3.1.8 delegation, 3.1.9 interrupt priority, 3.3.2 xRET).
#include <gtest/gtest.h>

#include "test_hart.h"

namespace polyvm::machine::riscv64 {
namespace {

using testing::Csrrw;
using testing::TestHart;
namespace ms = mstatus;

constexpr uint32_t kMretBits = 0x30200073, kSretBits = 0x10200073, kWfiBits = 0x10500073;

TEST(Trap, ExceptionFromSGoesToMAndStacksPrivilege) {
  TestHart h;
  h->csr.mtvec = 0x80000100;
  h->priv = Priv::kSupervisor;
  h->csr.mstatus |= ms::kMie;
  uint64_t pc = TakeTrap(*h, cause::kLoadPageFault, 0xdead000, 0x80200010);
  EXPECT_EQ(pc, 0x80000100u);
  EXPECT_EQ(h->cpu.hdr.pc, 0x80000100u);
  EXPECT_EQ(h->priv, Priv::kMachine);
  EXPECT_EQ(h->csr.mcause, 13u);
  EXPECT_EQ(h->csr.mepc, 0x80200010u);
  EXPECT_EQ(h->csr.mtval, 0xdead000u);
  EXPECT_EQ((h->csr.mstatus & ms::kMpp) >> ms::kMppShift, 1u);  // MPP = S
  EXPECT_TRUE(h->csr.mstatus & ms::kMpie);                      // MPIE = old MIE
  EXPECT_FALSE(h->csr.mstatus & ms::kMie);
}

TEST(Trap, DelegatedExceptionFromUGoesToS) {
  TestHart h;
  h->csr.stvec = 0xffffffff80001000;
  h->csr.medeleg = 1u << cause::kEcallU;
  h->priv = Priv::kUser;
  h->csr.mstatus |= ms::kSie | ms::kSpp;
  TakeTrap(*h, cause::kEcallU, 0, 0x10078);
  EXPECT_EQ(h->priv, Priv::kSupervisor);
  EXPECT_EQ(h->cpu.hdr.pc, 0xffffffff80001000u);
  EXPECT_EQ(h->csr.scause, 8u);
  EXPECT_EQ(h->csr.sepc, 0x10078u);
  EXPECT_FALSE(h->csr.mstatus & ms::kSpp);  // SPP = U
  EXPECT_TRUE(h->csr.mstatus & ms::kSpie);
  EXPECT_FALSE(h->csr.mstatus & ms::kSie);
  EXPECT_EQ(h->csr.mcause, 0u) << "M's registers untouched";
}

TEST(Trap, DelegationNeverLowersPrivilege) {
  TestHart h;
  h->csr.mtvec = 0x80000000;
  h->csr.medeleg = 0xb3ff;
  TakeTrap(*h, cause::kIllegalInstruction, 0x13, 0x80000040);  // in M
  EXPECT_EQ(h->priv, Priv::kMachine);
  EXPECT_EQ(h->csr.mcause, 2u);
  EXPECT_EQ(h->csr.mtval, 0x13u);
}

TEST(Trap, VectoredModeOffsetsInterruptsOnly) {
  TestHart h;
  h->csr.mtvec = 0x80000101;  // base 0x80000100, vectored
  h->priv = Priv::kUser;
  TakeTrap(*h, kCauseInterrupt | kIrqMti, 0, 0x1000);
  EXPECT_EQ(h->cpu.hdr.pc, 0x80000100u + 4 * 7);
  EXPECT_EQ(h->csr.mcause, 0x8000000000000007u);
  h->priv = Priv::kUser;
  TakeTrap(*h, cause::kBreakpoint, 0x1000, 0x1000);
  EXPECT_EQ(h->cpu.hdr.pc, 0x80000100u) << "synchronous exceptions use the base";
}

TEST(Trap, InterruptPriorityWithinM) {
  TestHart h;
  h->csr.mie = kAllInterrupts;
  h->csr.mstatus |= ms::kMie;
  SetInterruptLine(*h, kIrqSei, true);
  SetInterruptLine(*h, kIrqMti, true);
  EXPECT_EQ(PendingInterrupt(*h), static_cast<int>(kIrqMti));
  SetInterruptLine(*h, kIrqMsi, true);
  EXPECT_EQ(PendingInterrupt(*h), static_cast<int>(kIrqMsi));
  SetInterruptLine(*h, kIrqMei, true);
  EXPECT_EQ(PendingInterrupt(*h), static_cast<int>(kIrqMei));
  for (unsigned irq : {kIrqMei, kIrqMsi, kIrqMti}) SetInterruptLine(*h, irq, false);
  EXPECT_EQ(PendingInterrupt(*h), static_cast<int>(kIrqSei));  // not delegated: an M interrupt
  h->mip_sw = kMipSsip | kMipStip;
  SetInterruptLine(*h, kIrqSei, false);
  EXPECT_EQ(PendingInterrupt(*h), static_cast<int>(kIrqSsi));  // SSI before STI
  EXPECT_EQ(h->cpu.hdr.interrupt_request.load(), 1u) << "a wire change requests a look";
}

TEST(Trap, GlobalEnablesDependOnPrivilege) {
  TestHart h;
  h->csr.mie = kMipMtip | kMipStip;
  h->csr.mideleg = kMipStip;
  SetInterruptLine(*h, kIrqMti, true);
  EXPECT_EQ(PendingInterrupt(*h), -1) << "in M with MIE = 0";
  h->priv = Priv::kSupervisor;
  EXPECT_EQ(PendingInterrupt(*h), static_cast<int>(kIrqMti)) << "M interrupts are on below M";
  SetInterruptLine(*h, kIrqMti, false);
  h->mip_sw = kMipStip;
  EXPECT_EQ(PendingInterrupt(*h), -1) << "delegated, in S with SIE = 0";
  h->priv = Priv::kUser;
  EXPECT_EQ(PendingInterrupt(*h), static_cast<int>(kIrqSti)) << "S interrupts are on in U";
  h->priv = Priv::kMachine;
  h->csr.mstatus |= ms::kMie | ms::kSie;
  EXPECT_EQ(PendingInterrupt(*h), -1) << "delegated interrupts are never taken in M";
  EXPECT_TRUE(WfiWakeup(*h)) << "but they end wfi";
}

TEST(Trap, MretRestoresTheStackAndClearsMprv) {
  TestHart h;
  h->csr.mepc = 0x80200000;
  h->csr.mstatus |= ms::kMpie | ms::kMprv | (1ull << ms::kMppShift);
  uint64_t next = ExecutePrivileged(*h, kMretBits, 0x80000050, 0);
  EXPECT_EQ(next, 0x80200000u);
  EXPECT_EQ(h->priv, Priv::kSupervisor);
  EXPECT_TRUE(h->csr.mstatus & ms::kMie);
  EXPECT_TRUE(h->csr.mstatus & ms::kMpie);
  EXPECT_EQ(h->csr.mstatus & ms::kMpp, 0u);  // MPP = U
  EXPECT_FALSE(h->csr.mstatus & ms::kMprv);
}

TEST(Trap, MretOutsideMIsIllegal) {
  TestHart h;
  h->csr.mtvec = 0x80000000;
  h->priv = Priv::kSupervisor;
  uint64_t next = ExecutePrivileged(*h, kMretBits, 0x80200000, 0);
  EXPECT_EQ(next, 0x80000000u);
  EXPECT_EQ(h->csr.mcause, 2u);
  EXPECT_EQ(h->csr.mtval, kMretBits);
  EXPECT_EQ(h->csr.mepc, 0x80200000u);
}

TEST(Trap, SretReturnsToUAndHonoursTsr) {
  TestHart h;
  h->priv = Priv::kSupervisor;
  h->csr.sepc = 0x10000;
  h->csr.mstatus |= ms::kSpie;
  EXPECT_EQ(ExecutePrivileged(*h, kSretBits, 0x80200100, 0), 0x10000u);
  EXPECT_EQ(h->priv, Priv::kUser);
  EXPECT_TRUE(h->csr.mstatus & ms::kSie);
  EXPECT_TRUE(h->csr.mstatus & ms::kSpie);
  // TSR: sret in S traps to M.
  h->priv = Priv::kSupervisor;
  h->csr.mstatus |= ms::kTsr;
  h->csr.mtvec = 0x80000000;
  EXPECT_EQ(ExecutePrivileged(*h, kSretBits, 0x80200100, 0), 0x80000000u);
  EXPECT_EQ(h->csr.mcause, 2u);
  // In U it is illegal, trapping to S when illegal instructions are delegated.
  h->priv = Priv::kUser;
  h->csr.medeleg = 1u << cause::kIllegalInstruction;
  h->csr.stvec = 0x80201000;
  EXPECT_EQ(ExecutePrivileged(*h, kSretBits, 0x10000, 0), 0x80201000u);
  EXPECT_EQ(h->csr.scause, 2u);
}

TEST(Trap, WfiChecksTwAndPrivilegeThenWaits) {
  TestHart h;
  h->csr.mtvec = 0x80000000;
  h->priv = Priv::kSupervisor;
  EXPECT_EQ(ExecutePrivileged(*h, kWfiBits, 0x80200000, 0), 0x80200004u);
  EXPECT_TRUE(h->waiting);
  EXPECT_EQ(h->cpu.hdr.interrupt_request.load(), 1u);
  h->waiting = false;
  h->csr.mstatus |= ms::kTw;
  EXPECT_EQ(ExecutePrivileged(*h, kWfiBits, 0x80200000, 0), 0x80000000u);
  EXPECT_EQ(h->csr.mcause, 2u);
  h->priv = Priv::kUser;
  h->csr.mstatus &= ~ms::kTw;
  EXPECT_EQ(ExecutePrivileged(*h, kWfiBits, 0x1000, 0), 0x80000000u);
}

TEST(Trap, SfenceVmaPassesOperandsAndHonoursTvm) {
  TestHart h;
  h->priv = Priv::kSupervisor;
  h->cpu.x[10] = 0x40001234;
  h->cpu.x[11] = 0x10005;  // ASID is the low 16 bits
  uint32_t sfence_a0_a1 = 0x12000073 | 11 << 20 | 10 << 15;
  EXPECT_EQ(ExecutePrivileged(*h, sfence_a0_a1, 0x80200000, 0), 0x80200004u);
  EXPECT_EQ(h.host.fences, 1u);
  EXPECT_TRUE(h.host.has_addr && h.host.has_asid);
  EXPECT_EQ(h.host.vaddr, 0x40001234u);
  EXPECT_EQ(h.host.asid, 5u);
  ExecutePrivileged(*h, 0x12000073, 0x80200004, 0);  // sfence.vma zero, zero
  EXPECT_FALSE(h.host.has_addr || h.host.has_asid);
  h->csr.mstatus |= ms::kTvm;
  h->csr.mtvec = 0x80000000;
  EXPECT_EQ(ExecutePrivileged(*h, 0x12000073, 0x80200008, 0), 0x80000000u);
  EXPECT_EQ(h.host.fences, 2u);
}

TEST(Trap, CsrInstructionsReadWriteAndTrap) {
  TestHart h;
  h->cpu.x[11] = 0x1234;
  EXPECT_EQ(ExecutePrivileged(*h, Csrrw(10, 0x340, 11), 0x80000000, 0), 0x80000004u);
  EXPECT_EQ(h->csr.mscratch, 0x1234u);
  EXPECT_EQ(h->cpu.x[10], 0u);
  h->cpu.x[11] = 0x5678;
  ExecutePrivileged(*h, Csrrw(10, 0x340, 11), 0x80000004, 0);
  EXPECT_EQ(h->cpu.x[10], 0x1234u);
  // csrrs rd, mhartid, x0 reads a read-only CSR; csrrw to it traps and leaves rd alone.
  h->csr.mhartid = 3;
  ExecutePrivileged(*h, testing::Csrrs(12, 0xf14, 0), 0x80000008, 0);
  EXPECT_EQ(h->cpu.x[12], 3u);
  h->csr.mtvec = 0x80000400;
  h->cpu.x[13] = 77;
  EXPECT_EQ(ExecutePrivileged(*h, Csrrw(13, 0xf14, 11), 0x8000000c, 0), 0x80000400u);
  EXPECT_EQ(h->cpu.x[13], 77u);
  EXPECT_EQ(h->csr.mtval, Csrrw(13, 0xf14, 11));
  // csrrci clears bits named by the immediate.
  h->csr.mscratch = 0xff;
  ExecutePrivileged(*h, testing::CsrInsn(7, 0, 5, 0x340), 0x80000010, 0);
  EXPECT_EQ(h->csr.mscratch, 0xfau);
  // instret seen mid-block counts the block's earlier instructions.
  h->cpu.hdr.retired = 10;
  ExecutePrivileged(*h, testing::Csrrs(14, 0xb02, 0), 0x80000014, 3);
  EXPECT_EQ(h->cpu.x[14], 13u);
  EXPECT_EQ(h->cpu.hdr.retired, 10u);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
