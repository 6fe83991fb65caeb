// The privileged instructions as the per-hart model runs them for lifted code (SystemHooks::priv):
// csrrw/csrrs/csrrc and their immediate forms on the privileged CSRs, mret, sret, wfi and
// sfence.vma, with the checks the spec makes at run time (privilege, TVM, TW, TSR). A failing
// check enters the illegal-instruction trap, with the instruction bits in xtval.
#include <fmt/format.h>

#include "polyvm/machine/riscv64/hart.h"

namespace polyvm::machine::riscv64 {
namespace {

namespace ms = mstatus;

constexpr uint32_t kMret = 0x30200073, kSret = 0x10200073, kWfi = 0x10500073;
constexpr uint32_t kSfenceVmaMask = 0xfe007fff, kSfenceVma = 0x12000073;
constexpr uint16_t kCsrMip = 0x344;  // its row in hart_csrs.def

uint64_t Illegal(HartState& h, uint32_t raw, uint64_t pc) {
  return TakeTrap(h, cause::kIllegalInstruction, raw, pc);
}

void AfterModeChange(HartState& h) {
  if (h.host) h.host->TranslationChanged(h, false);
  if (PendingInterrupt(h) >= 0) h.cpu.hdr.interrupt_request.store(1, std::memory_order_relaxed);
}

// mret (spec 3.3.2): privilege from MPP, MIE from MPIE, MPIE = 1, MPP = U; leaving M clears MPRV.
uint64_t Mret(HartState& h, uint32_t raw, uint64_t pc) {
  if (h.priv != Priv::kMachine) return Illegal(h, raw, pc);
  uint64_t& s = h.csr.mstatus;
  Priv next = static_cast<Priv>((s & ms::kMpp) >> ms::kMppShift);
  s = (s & ~ms::kMie) | ((s & ms::kMpie) ? ms::kMie : 0);
  s |= ms::kMpie;
  s &= ~ms::kMpp;
  if (next != Priv::kMachine) s &= ~ms::kMprv;
  h.priv = next;
  AfterModeChange(h);
  return h.csr.mepc;
}

// sret: illegal in U, and in S when TSR is set; privilege from SPP, SIE from SPIE, SPIE = 1,
// SPP = U, MPRV = 0.
uint64_t Sret(HartState& h, uint32_t raw, uint64_t pc) {
  if (h.priv == Priv::kUser || (h.priv == Priv::kSupervisor && (h.csr.mstatus & ms::kTsr))) {
    return Illegal(h, raw, pc);
  }
  uint64_t& s = h.csr.mstatus;
  Priv next = (s & ms::kSpp) ? Priv::kSupervisor : Priv::kUser;
  s = (s & ~ms::kSie) | ((s & ms::kSpie) ? ms::kSie : 0);
  s |= ms::kSpie;
  s &= ~ms::kSpp;
  s &= ~ms::kMprv;
  h.priv = next;
  AfterModeChange(h);
  return h.csr.sepc;
}

// wfi: illegal in U (S-mode exists) and in S with TW (the "bounded time" is zero). Otherwise the
// hart waits: the engine stops at the block boundary and the run loop sleeps until an interrupt
// is pending in mip & mie.
uint64_t Wfi(HartState& h, uint32_t raw, uint64_t pc) {
  if (h.priv == Priv::kUser || (h.priv == Priv::kSupervisor && (h.csr.mstatus & ms::kTw))) {
    return Illegal(h, raw, pc);
  }
  h.waiting = true;
  h.cpu.hdr.interrupt_request.store(1, std::memory_order_relaxed);
  return pc + 4;
}

uint64_t SfenceVma(HartState& h, uint32_t raw, uint64_t pc) {
  if (h.priv == Priv::kUser || (h.priv == Priv::kSupervisor && (h.csr.mstatus & ms::kTvm))) {
    return Illegal(h, raw, pc);
  }
  unsigned rs1 = (raw >> 15) & 31, rs2 = (raw >> 20) & 31;
  uint64_t vaddr = rs1 ? h.cpu.x[rs1] : 0;
  uint32_t asid = rs2 ? static_cast<uint32_t>(h.cpu.x[rs2] & 0xffff) : 0;
  if (h.host) h.host->FenceVma(h, rs1 != 0, vaddr, rs2 != 0, asid);
  return pc + 4;
}

// Zicsr: csrrw with rd = x0 does not read; csrrs/csrrc with rs1 = x0 (uimm = 0) do not write.
uint64_t Csr(HartState& h, uint32_t raw, uint64_t pc) {
  unsigned funct3 = (raw >> 12) & 7, op = funct3 & 3;
  unsigned rd = (raw >> 7) & 31, rs1 = (raw >> 15) & 31;
  uint16_t csr = static_cast<uint16_t>(raw >> 20);
  bool immediate = funct3 & 4;
  uint64_t src = immediate ? rs1 : h.cpu.x[rs1];
  bool writes = op == 1 || rs1 != 0;
  bool reads = op != 1 || rd != 0;
  uint64_t old = 0;
  if (reads && ReadCsr(h, csr, &old) != CsrStatus::kOk) return Illegal(h, raw, pc);
  if (writes) {
    // Only mip's software-written SEIP takes part in csrrs/csrrc (privileged spec 3.1.9): the
    // PLIC's wire is ORed into the value read but must not be latched by the write, or the
    // interrupt stays pending forever once the PLIC drops it (an SEI storm on a 2-hart boot).
    const uint64_t base = csr == kCsrMip ? (old & ~kMipSeip) | (h.mip_sw & kMipSeip) : old;
    uint64_t value = op == 1 ? src : op == 2 ? base | src : base & ~src;
    if (!reads) {
      // The write must still be allowed as an access (privilege) although nothing is read.
      uint64_t ignored;
      if (ReadCsr(h, csr, &ignored) != CsrStatus::kOk) return Illegal(h, raw, pc);
    }
    if (WriteCsr(h, csr, value) != CsrStatus::kOk) return Illegal(h, raw, pc);
  }
  if (rd != 0 && reads) h.cpu.x[rd] = old;
  return pc + 4;
}

uint64_t PrivilegedHelperFn(void* state, uint64_t raw, uint64_t pc, uint64_t completed) {
  return ExecutePrivileged(HartOf(state), static_cast<uint32_t>(raw), pc, completed);
}

constexpr ir::HelperInfo kPrivilegedHelper = {PrivilegedHelperFn, "riscv_privileged"};

}  // namespace

uint64_t ExecutePrivileged(HartState& h, uint32_t raw, uint64_t pc, uint64_t completed) {
  // The header's retired count is brought up to date at block exits; instructions of this block
  // before this one count for instret/minstret reads and writes made here.
  h.cpu.hdr.retired += completed;
  uint64_t next;
  if ((raw & 0x7f) != 0x73) {
    next = Illegal(h, raw, pc);
  } else if (((raw >> 12) & 7) != 0) {
    next = Csr(h, raw, pc);
  } else if (raw == kMret) {
    next = Mret(h, raw, pc);
  } else if (raw == kSret) {
    next = Sret(h, raw, pc);
  } else if (raw == kWfi) {
    next = Wfi(h, raw, pc);
  } else if ((raw & kSfenceVmaMask) == kSfenceVma) {
    next = SfenceVma(h, raw, pc);
  } else {
    next = Illegal(h, raw, pc);
  }
  h.cpu.hdr.retired -= completed;
  return next;
}

const ir::HelperInfo* PrivilegedHelper() { return &kPrivilegedHelper; }

}  // namespace polyvm::machine::riscv64
