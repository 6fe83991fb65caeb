// Interrupt state and trap entry (privileged spec 1.12, sections 3.1.6.1, 3.1.9, 3.1.12, 4.1.1):
// which interrupt is taken when, where a trap goes (delegation never lowers the privilege), and
// what trap entry writes.
#include "polyvm/core/os/wake_word.h"
#include "polyvm/machine/riscv64/hart.h"

namespace polyvm::machine::riscv64 {
namespace {

namespace ms = mstatus;

// Decreasing priority within one privilege level (spec 3.1.9).
constexpr unsigned kInterruptPriority[] = {kIrqMei, kIrqMsi, kIrqMti, kIrqSei, kIrqSsi, kIrqSti};

int Highest(uint64_t pending) {
  for (unsigned irq : kInterruptPriority) {
    if (pending & (uint64_t{1} << irq)) return static_cast<int>(irq);
  }
  return -1;
}

uint64_t Vector(uint64_t tvec, bool interrupt, uint64_t code) {
  uint64_t base = tvec & ~uint64_t{3};
  return (tvec & 3) == 1 && interrupt ? base + 4 * code : base;
}

}  // namespace

uint64_t DefaultMisa() {
  uint64_t misa = uint64_t{2} << 62;  // MXL = 64
  for (char ext : {'A', 'C', 'D', 'F', 'I', 'M', 'S', 'U'}) misa |= uint64_t{1} << (ext - 'A');
  return misa;
}

void ResetHart(HartState& h, uint64_t hartid, uint64_t pc, HartHost* host) {
  h.csr = HartCsrs{};
  h.csr.misa = DefaultMisa();
  h.csr.mhartid = hartid;
  h.priv = Priv::kMachine;
  h.waiting = false;
  h.mip_sw = 0;
  h.host = host;
  h.cpu.hdr.pc = pc;
  if (host) host->TranslationChanged(h, true);
}

uint64_t ReadMip(HartState& h) {
  bool sstc = h.csr.menvcfg & kMenvcfgStce;
  uint64_t mip = h.mip_lines.load(std::memory_order_acquire) | (h.mip_sw & ~(sstc ? kMipStip : 0));
  if (sstc && h.host && h.host->ReadTime() >= h.csr.stimecmp) mip |= kMipStip;
  return mip;
}

void SetInterruptLine(HartState& h, unsigned irq, bool level) {
  uint64_t bit = uint64_t{1} << irq;
  if (level) {
    h.mip_lines.fetch_or(bit, std::memory_order_seq_cst);
  } else {
    h.mip_lines.fetch_and(~bit, std::memory_order_seq_cst);
  }
  // seq_cst pairs with HandleExit's clear-then-look (a Dekker pattern): the hart either sees the
  // new wire or finds this request set.
  h.cpu.hdr.interrupt_request.store(1, std::memory_order_seq_cst);
  core::os::WakeWordAll(h.cpu.hdr.interrupt_request);  // a hart sleeping in wfi waits on this word
}

int PendingInterrupt(HartState& h) {
  uint64_t pending = ReadMip(h) & h.csr.mie;
  if (pending == 0) return -1;
  uint64_t status = h.csr.mstatus;
  // M-level interrupts: taken below M always, in M when MIE is set.
  bool m_enabled = h.priv != Priv::kMachine || (status & ms::kMie);
  int m = m_enabled ? Highest(pending & ~h.csr.mideleg) : -1;
  if (m >= 0) return m;
  // Delegated (S-level) interrupts: never in M; in S when SIE is set; always in U.
  bool s_enabled = h.priv == Priv::kUser || (h.priv == Priv::kSupervisor && (status & ms::kSie));
  return s_enabled ? Highest(pending & h.csr.mideleg) : -1;
}

bool WfiWakeup(HartState& h) { return (ReadMip(h) & h.csr.mie) != 0; }

uint64_t TakeTrap(HartState& h, uint64_t cause, uint64_t tval, uint64_t epc) {
  bool interrupt = cause & kCauseInterrupt;
  uint64_t code = cause & ~kCauseInterrupt;
  uint64_t deleg = interrupt ? h.csr.mideleg : h.csr.medeleg;
  bool to_s = h.priv != Priv::kMachine && code < 64 && ((deleg >> code) & 1);
  uint64_t& status = h.csr.mstatus;
  uint64_t target;
  if (to_s) {
    h.csr.scause = cause;
    h.csr.sepc = epc & ~uint64_t{1};
    h.csr.stval = tval;
    status = (status & ~ms::kSpp) | (h.priv == Priv::kSupervisor ? ms::kSpp : 0);
    status = (status & ~ms::kSpie) | ((status & ms::kSie) ? ms::kSpie : 0);
    status &= ~ms::kSie;
    h.priv = Priv::kSupervisor;
    target = Vector(h.csr.stvec, interrupt, code);
  } else {
    h.csr.mcause = cause;
    h.csr.mepc = epc & ~uint64_t{1};
    h.csr.mtval = tval;
    status = (status & ~ms::kMpp) | static_cast<uint64_t>(h.priv) << ms::kMppShift;
    status = (status & ~ms::kMpie) | ((status & ms::kMie) ? ms::kMpie : 0);
    status &= ~ms::kMie;
    h.priv = Priv::kMachine;
    target = Vector(h.csr.mtvec, interrupt, code);
  }
  h.waiting = false;
  // A trap may drop the LR reservation (spec: an SC after a trap may fail); dropping it makes
  // a reservation never survive a context switch.
  h.cpu.hdr.excl_addr = core::kNoReservation;
  if (h.host) h.host->TranslationChanged(h, false);
  h.cpu.hdr.pc = target;
  return target;
}

}  // namespace polyvm::machine::riscv64
