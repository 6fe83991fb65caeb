// The RISC-V privileged architecture of one hart (privileged spec 1.12, M/S/U): CSR reads and
// writes with their WARL rules and access checks, trap entry with delegation, interrupt
// priorities, mret/sret, and the glue between an engine and the hart: the helper lifted code calls
// for privileged instructions, and the handling of every engine exit in system mode.
// docs/system-mode.md describes the model and what it leaves out.
#pragma once

#include <cstdint>
#include <string>

#include "polyvm/core/exit.h"
#include "polyvm/ir/opcode.h"
#include "polyvm/machine/riscv64/hart_state.h"
#include "polyvm/mem/page_walk.h"

namespace polyvm::machine::riscv64 {

// What a hart needs from the machine around it. Called on the hart's own thread.
class HartHost {
 public:
  virtual ~HartHost() = default;
  // The platform timer (CLINT mtime), in timebase ticks: time CSR, Sstc comparisons.
  virtual uint64_t ReadTime() = 0;
  // Privilege, MPRV/MPP, SUM, MXR or satp changed: the MMU must select its TLB contexts again;
  // `flush`: cached translations are no longer valid (satp mode/ASID/root, MXR).
  virtual void TranslationChanged(HartState& hart, bool flush) = 0;
  // sfence.vma: rs1 != x0 gives an address, rs2 != x0 an ASID.
  virtual void FenceVma(HartState& hart, bool has_addr, uint64_t vaddr, bool has_asid,
                        uint32_t asid) = 0;
  // stimecmp or menvcfg.STCE changed: the machine re-arms the hart's supervisor timer.
  virtual void TimerChanged(HartState& hart) = 0;
  // Why an access the engine reported as a memory fault failed (re-walked in the current
  // context): a page fault, an access fault, or kNone if it now succeeds (retry).
  virtual mem::WalkFault ClassifyFault(HartState& hart, uint64_t vaddr, core::MemAccess access) = 0;
};

// misa of the harts polyvm models: RV64 IMAFDC, S and U modes.
uint64_t DefaultMisa();

// Power-on state (spec 3.4 "Reset"): M-mode, MIE = 0, MPRV = 0, mcause = 0, pc = reset vector.
void ResetHart(HartState& hart, uint64_t hartid, uint64_t pc, HartHost* host);

enum class CsrStatus : uint8_t { kOk, kIllegal };
// CSR access as the csr* instructions do it at the hart's current privilege (the read and the
// write checks are separate because csrrs/csrrc with x0 do not write).
CsrStatus ReadCsr(HartState& hart, uint16_t csr, uint64_t* value);
CsrStatus WriteCsr(HartState& hart, uint16_t csr, uint64_t value);

// mip as the hart sees it: wires, software bits, and STIP from stimecmp under Sstc.
uint64_t ReadMip(HartState& hart);
// Drives an interrupt wire (kIrqMsi, kIrqMti, kIrqMei, kIrqSei) from any thread; wakes the hart
// (interrupt_request) so it looks at its interrupts at the next block boundary.
void SetInterruptLine(HartState& hart, unsigned irq, bool level);
// The interrupt the hart would take now (spec 3.1.9: M-level before S-level; within a level MEI,
// MSI, MTI, SEI, SSI, STI), or -1.
int PendingInterrupt(HartState& hart);
// Some interrupt is pending and enabled in mie, whatever the global enables: ends wfi.
bool WfiWakeup(HartState& hart);

// Trap entry (spec 3.1.6.1, 4.1.1): to S if delegated and the hart is not in M, else to M.
// cause includes kCauseInterrupt for interrupts. Sets cpu.hdr.pc to the handler and returns it.
uint64_t TakeTrap(HartState& hart, uint64_t cause, uint64_t tval, uint64_t epc);

// Executes one privileged instruction (csr*, mret, sret, wfi, sfence.vma) at pc, or enters the
// trap it raises. `completed`: instructions of the block before it (for instret). Returns the pc
// to continue at.
uint64_t ExecutePrivileged(HartState& hart, uint32_t raw, uint64_t pc, uint64_t completed);
// ExecutePrivileged as an IR helper, for frontend::riscv64::SystemHooks::priv.
const ir::HelperInfo* PrivilegedHelper();

// What the run loop does after an engine exit has been handled.
enum class ExitAction : uint8_t {
  kContinue,  // run the engine again from cpu.hdr.pc
  kWait,      // wfi: sleep until WfiWakeup (or an interrupt line changes), then continue
  kStop,      // something polyvm does not implement: `message` says what (with pc and bits)
};
// Turns an engine exit into what the guest sees: ecall, ebreak, illegal instructions, page and
// access faults, misaligned atomics become traps; interrupts are taken when pending.
ExitAction HandleExit(HartState& hart, const core::ExitInfo& exit, std::string* message);

}  // namespace polyvm::machine::riscv64
