// What a RISC-V hart in system mode does with each engine exit: every guest-visible event becomes
// a trap (privileged spec, table "Machine cause register values"), interrupts are taken at block
// boundaries, wfi sleeps. Only things polyvm does not implement stop the machine, and say so.
#include <fmt/format.h>

#include <atomic>

#include "polyvm/machine/riscv64/hart.h"
#include "polyvm/mem/riscv_page_walk.h"

namespace polyvm::machine::riscv64 {
namespace {

uint64_t EcallCause(Priv p) {
  switch (p) {
    case Priv::kUser: return cause::kEcallU;
    case Priv::kSupervisor: return cause::kEcallS;
    case Priv::kMachine: return cause::kEcallM;
  }
  return cause::kEcallM;
}

// `access_fault`: the engine already knows the translation succeeded and the access itself is not
// allowed there (an atomic on a device window): re-walking would succeed and retry forever.
ExitAction MemoryFault(HartState& h, uint64_t pc, uint64_t addr, core::MemAccess access,
                       bool access_fault = false) {
  mem::WalkFault kind = access_fault || h.host == nullptr
                            ? mem::WalkFault::kAccessFault
                            : h.host->ClassifyFault(h, addr, access);
  if (kind == mem::WalkFault::kNone) {
    h.cpu.hdr.pc = pc;  // the translation works now (another hart fixed the PTE): retry
    return ExitAction::kContinue;
  }
  TakeTrap(h, mem::RiscvFaultCause(kind, access), addr, pc);
  return ExitAction::kContinue;
}

}  // namespace

ExitAction HandleExit(HartState& h, const core::ExitInfo& e, std::string* message) {
  switch (e.reason) {
    case core::ExitReason::kSyscall:  // ecall: epc is the ecall itself
      TakeTrap(h, EcallCause(h.priv), 0, e.pc);
      return ExitAction::kContinue;

    case core::ExitReason::kMemoryFault:
      return MemoryFault(h, e.pc, e.addr, e.access, e.bus_error);

    case core::ExitReason::kTrap:
      switch (e.trap) {
        case core::TrapCode::kIllegalInstruction:
          TakeTrap(h, cause::kIllegalInstruction, e.info, e.pc);
          return ExitAction::kContinue;
        case core::TrapCode::kBreakpoint:
          TakeTrap(h, cause::kBreakpoint, e.pc, e.pc);
          return ExitAction::kContinue;
        case core::TrapCode::kMisaligned:  // only atomics must be aligned (others are emulated)
          TakeTrap(
              h,
              e.access == core::MemAccess::kRead ? cause::kLoadMisaligned : cause::kStoreMisaligned,
              e.addr, e.pc);
          return ExitAction::kContinue;
        case core::TrapCode::kFetchFault:
          return MemoryFault(h, e.pc, e.info, core::MemAccess::kFetch);
        default:
          *message = fmt::format("riscv64 hart {}: {} at pc {:#x} (bits {:#x})", h.csr.mhartid,
                                 core::TrapCodeName(e.trap), e.pc, e.info);
          return ExitAction::kStop;
      }

    case core::ExitReason::kInterrupt:
    case core::ExitReason::kHalt: {
      // The request is cleared before looking, so a line raised from now on requests again. The
      // clear must be visible before the wires and the time are read (a full fence: with a plain
      // store, x86 may read mip first and let this 0 overwrite a concurrent SetInterruptLine's 1,
      // and a hart in wfi then sleeps through its wake-up — seen as a hung 2-hart boot).
      h.cpu.hdr.interrupt_request.exchange(0, std::memory_order_seq_cst);
      std::atomic_thread_fence(std::memory_order_seq_cst);
      if (e.reason == core::ExitReason::kHalt) h.waiting = true;
      if (h.waiting) {
        if (!WfiWakeup(h)) return ExitAction::kWait;
        h.waiting = false;
      }
      int irq = PendingInterrupt(h);
      if (irq >= 0) TakeTrap(h, kCauseInterrupt | static_cast<uint64_t>(irq), 0, h.cpu.hdr.pc);
      return ExitAction::kContinue;
    }
  }
  *message = fmt::format("riscv64 hart {}: unknown engine exit {} at pc {:#x}", h.csr.mhartid,
                         static_cast<int>(e.reason), e.pc);
  return ExitAction::kStop;
}

}  // namespace polyvm::machine::riscv64
