// Engine exits become the guest's traps (privileged spec, mcause table): ecall by privilege,
// ebreak, illegal instructions with their bits, page and access faults by access kind, misaligned
// atomics; interrupts at block boundaries; wfi sleeping until mip & mie.
#include <gtest/gtest.h>

#include "test_hart.h"

namespace polyvm::machine::riscv64 {
namespace {

using testing::TestHart;

core::ExitInfo Exit(core::ExitReason reason, uint64_t pc) {
  core::ExitInfo e;
  e.reason = reason;
  e.pc = pc;
  return e;
}

TEST(Exit, EcallCauseFollowsPrivilege) {
  TestHart h;
  std::string msg;
  struct Case {
    Priv priv;
    uint64_t cause;
  };
  for (Case c : {Case{Priv::kUser, 8}, Case{Priv::kSupervisor, 9}, Case{Priv::kMachine, 11}}) {
    h->priv = c.priv;
    ASSERT_EQ(HandleExit(*h, Exit(core::ExitReason::kSyscall, 0x1000), &msg),
              ExitAction::kContinue);
    EXPECT_EQ(h->csr.mcause, c.cause);
    EXPECT_EQ(h->csr.mepc, 0x1000u) << "epc is the ecall itself";
  }
}

TEST(Exit, TrapsCarryTheirValues) {
  TestHart h;
  std::string msg;
  core::ExitInfo e = Exit(core::ExitReason::kTrap, 0x2000);
  e.trap = core::TrapCode::kIllegalInstruction;
  e.info = 0xffffffff;
  HandleExit(*h, e, &msg);
  EXPECT_EQ(h->csr.mcause, 2u);
  EXPECT_EQ(h->csr.mtval, 0xffffffffu);
  e.trap = core::TrapCode::kBreakpoint;
  HandleExit(*h, e, &msg);
  EXPECT_EQ(h->csr.mcause, 3u);
  EXPECT_EQ(h->csr.mtval, 0x2000u);
  e.trap = core::TrapCode::kMisaligned;
  e.access = core::MemAccess::kWrite;
  e.addr = 0x3003;
  HandleExit(*h, e, &msg);
  EXPECT_EQ(h->csr.mcause, 6u);  // store/AMO address misaligned
  EXPECT_EQ(h->csr.mtval, 0x3003u);
  e.trap = core::TrapCode::kUnsupported;
  EXPECT_EQ(HandleExit(*h, e, &msg), ExitAction::kStop);
  EXPECT_NE(msg.find("0x2000"), std::string::npos) << msg;
}

TEST(Exit, MemoryFaultsAreClassifiedByTheMmu) {
  TestHart h;
  std::string msg;
  core::ExitInfo e = Exit(core::ExitReason::kMemoryFault, 0x4000);
  e.addr = 0x5000;
  e.access = core::MemAccess::kWrite;
  h.host.fault = mem::WalkFault::kPageFault;
  HandleExit(*h, e, &msg);
  EXPECT_EQ(h->csr.mcause, 15u);
  EXPECT_EQ(h->csr.mtval, 0x5000u);
  e.access = core::MemAccess::kFetch;
  h.host.fault = mem::WalkFault::kAccessFault;
  HandleExit(*h, e, &msg);
  EXPECT_EQ(h->csr.mcause, 1u);
  // A fault that no longer happens is retried, not delivered.
  h->csr.mcause = 0;
  h.host.fault = mem::WalkFault::kNone;
  EXPECT_EQ(HandleExit(*h, e, &msg), ExitAction::kContinue);
  EXPECT_EQ(h->csr.mcause, 0u);
  EXPECT_EQ(h->cpu.hdr.pc, 0x4000u);
}

// An AMO on a device window translates fine, so re-walking cannot classify it: the engine marks
// it as an access fault (spec 3.6: store/AMO access fault, cause 7) and it must not be retried.
TEST(Exit, AccessFaultsReportedByTheEngineAreNotRetried) {
  TestHart h;
  std::string msg;
  core::ExitInfo e = Exit(core::ExitReason::kMemoryFault, 0x4000);
  e.addr = 0x10000000;
  e.access = core::MemAccess::kWrite;
  e.bus_error = true;
  h.host.fault = mem::WalkFault::kNone;  // the walk itself succeeds
  EXPECT_EQ(HandleExit(*h, e, &msg), ExitAction::kContinue);
  EXPECT_EQ(h->csr.mcause, 7u);
  EXPECT_EQ(h->csr.mtval, 0x10000000u);
  EXPECT_EQ(h->csr.mepc, 0x4000u);
}

TEST(Exit, InterruptExitTakesThePendingInterrupt) {
  TestHart h;
  std::string msg;
  h->csr.mtvec = 0x80000000;
  h->csr.mie = kMipMtip;
  h->priv = Priv::kSupervisor;
  h->cpu.hdr.pc = 0x80200040;
  SetInterruptLine(*h, kIrqMti, true);
  EXPECT_EQ(HandleExit(*h, Exit(core::ExitReason::kInterrupt, 0x80200040), &msg),
            ExitAction::kContinue);
  EXPECT_EQ(h->csr.mcause, kCauseInterrupt | 7);
  EXPECT_EQ(h->csr.mepc, 0x80200040u);
  EXPECT_EQ(h->cpu.hdr.interrupt_request.load(), 0u);
}

TEST(Exit, WfiWaitsUntilAnInterruptIsPendingInMie) {
  TestHart h;
  std::string msg;
  h->csr.mtvec = 0x80000000;
  h->csr.mie = kMipMsip;
  h->waiting = true;
  h->cpu.hdr.pc = 0x80000104;
  EXPECT_EQ(HandleExit(*h, Exit(core::ExitReason::kInterrupt, 0x80000104), &msg),
            ExitAction::kWait);
  SetInterruptLine(*h, kIrqMsi, true);  // MIE = 0 in M: wakes, but is not taken
  EXPECT_EQ(HandleExit(*h, Exit(core::ExitReason::kInterrupt, 0x80000104), &msg),
            ExitAction::kContinue);
  EXPECT_FALSE(h->waiting);
  EXPECT_EQ(h->cpu.hdr.pc, 0x80000104u);
  EXPECT_EQ(h->csr.mcause, 0u);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
