// CSR reads and writes of a system-mode hart: the WARL rules of each field (privileged spec 1.12,
// chapters 3 and 4), the access checks (privilege in bits 9:8, read-only in bits 11:10, TVM,
// counter enables, Sstc's STCE) and the side effects a write has on the MMU and on interrupts.
#include <array>

#include "polyvm/machine/riscv64/hart.h"
#include "polyvm/machine/riscv64/pmp.h"

namespace polyvm::machine::riscv64 {
namespace {

namespace ms = mstatus;

// mstatus bits software can write (MPP and FS handled apart). UBE/SBE/MBE stay 0: little-endian
// only. VS and XS stay 0: no V, no custom state.
constexpr uint64_t kMstatusWritable = ms::kSie | ms::kMie | ms::kSpie | ms::kMpie | ms::kSpp |
                                      ms::kMprv | ms::kSum | ms::kMxr | ms::kTvm | ms::kTw |
                                      ms::kTsr;
constexpr uint64_t kSstatusWritable = ms::kSie | ms::kSpie | ms::kSpp | ms::kSum | ms::kMxr;
// Bits whose change alters translation (contexts or cached entries).
constexpr uint64_t kTranslationBits = ms::kMprv | ms::kMpp | ms::kSum | ms::kMxr;
// Exceptions M may delegate: all defined ones but ecall from M (11), which can never reach S.
constexpr uint64_t kDelegableExceptions = 0xb3ff;  // causes 0-9, 12, 13, 15
constexpr uint64_t kPmpAddrMask = (uint64_t{1} << 54) - 1;

Priv LegalMpp(uint64_t mpp, Priv old) {
  return mpp == 2 ? old : static_cast<Priv>(mpp);  // 2 is reserved (no H): keep the old value
}

void UpdateInterrupts(HartState& h) {
  if (PendingInterrupt(h) >= 0) {
    h.cpu.hdr.interrupt_request.store(1, std::memory_order_relaxed);
  }
}

// FS: a hart that does not track FP writes may report Dirty whenever FS is not Off (spec
// 3.1.6.6); Linux then saves the FP registers on every switch, which is always correct.
uint64_t WithFs(uint64_t status, uint64_t fs) {
  status = (status & ~ms::kFs & ~ms::kSd) | (fs != 0 ? ms::kFs | ms::kSd : 0);
  return status;
}

void SetMstatus(HartState& h, uint64_t value, uint64_t writable) {
  uint64_t old = h.csr.mstatus;
  uint64_t next = (old & ~writable) | (value & writable);
  if (writable & ms::kMpp) {
    Priv old_mpp = static_cast<Priv>((old & ms::kMpp) >> ms::kMppShift);
    Priv mpp = LegalMpp((value & ms::kMpp) >> ms::kMppShift, old_mpp);
    next = (next & ~ms::kMpp) | static_cast<uint64_t>(mpp) << ms::kMppShift;
  }
  next = WithFs(next, (value & ms::kFs) >> ms::kFsShift);
  h.csr.mstatus = next;
  uint64_t changed = old ^ next;
  if ((changed & kTranslationBits) && h.host) h.host->TranslationChanged(h, changed & ms::kMxr);
  UpdateInterrupts(h);
}

uint64_t ReadZero(HartState&) { return 0; }
void WriteIgnored(HartState&, uint64_t) {}

uint64_t ReadMstatus(HartState& h) { return h.csr.mstatus; }
void WriteMstatus(HartState& h, uint64_t v) { SetMstatus(h, v, kMstatusWritable | ms::kMpp); }
uint64_t ReadSstatus(HartState& h) { return h.csr.mstatus & ms::kSstatusMask; }
void WriteSstatus(HartState& h, uint64_t v) {
  SetMstatus(h, (h.csr.mstatus & ~kSstatusWritable & ~ms::kFs) | (v & (kSstatusWritable | ms::kFs)),
             kSstatusWritable);
}

uint64_t ReadMisa(HartState& h) { return h.csr.misa; }
uint64_t ReadMedeleg(HartState& h) { return h.csr.medeleg; }
void WriteMedeleg(HartState& h, uint64_t v) { h.csr.medeleg = v & kDelegableExceptions; }
uint64_t ReadMideleg(HartState& h) { return h.csr.mideleg; }
void WriteMideleg(HartState& h, uint64_t v) {
  h.csr.mideleg = v & kSupervisorInterrupts;
  UpdateInterrupts(h);
}
uint64_t ReadMie(HartState& h) { return h.csr.mie; }
void WriteMie(HartState& h, uint64_t v) {
  h.csr.mie = v & kAllInterrupts;
  UpdateInterrupts(h);
}
uint64_t ReadSie(HartState& h) { return h.csr.mie & h.csr.mideleg; }
void WriteSie(HartState& h, uint64_t v) {
  h.csr.mie = (h.csr.mie & ~h.csr.mideleg) | (v & h.csr.mideleg);
  UpdateInterrupts(h);
}

uint64_t ReadMipCsr(HartState& h) { return ReadMip(h); }
// M writes SSIP, SEIP (ORed with the PLIC's wire), and STIP unless Sstc drives it.
void WriteMip(HartState& h, uint64_t v) {
  uint64_t writable = kMipSsip | kMipSeip;
  if (!(h.csr.menvcfg & kMenvcfgStce)) writable |= kMipStip;
  h.mip_sw = (h.mip_sw & ~writable) | (v & writable);
  UpdateInterrupts(h);
}
uint64_t ReadSip(HartState& h) { return ReadMip(h) & h.csr.mideleg; }
// S writes only SSIP, and only when delegated.
void WriteSip(HartState& h, uint64_t v) {
  uint64_t writable = kMipSsip & h.csr.mideleg;
  h.mip_sw = (h.mip_sw & ~writable) | (v & writable);
  UpdateInterrupts(h);
}

// xtvec: MODE 0 (direct) and 1 (vectored); a reserved mode leaves the register unchanged (WARL).
bool LegalTvec(uint64_t v) { return (v & 3) < 2; }
uint64_t ReadMtvec(HartState& h) { return h.csr.mtvec; }
void WriteMtvec(HartState& h, uint64_t v) {
  if (LegalTvec(v)) h.csr.mtvec = v;
}
uint64_t ReadStvec(HartState& h) { return h.csr.stvec; }
void WriteStvec(HartState& h, uint64_t v) {
  if (LegalTvec(v)) h.csr.stvec = v;
}

// xepc: bit 0 is always zero; bit 1 is writable because C is implemented.
uint64_t ReadMepc(HartState& h) { return h.csr.mepc; }
void WriteMepc(HartState& h, uint64_t v) { h.csr.mepc = v & ~uint64_t{1}; }
uint64_t ReadSepc(HartState& h) { return h.csr.sepc; }
void WriteSepc(HartState& h, uint64_t v) { h.csr.sepc = v & ~uint64_t{1}; }

uint64_t ReadMcause(HartState& h) { return h.csr.mcause; }
void WriteMcause(HartState& h, uint64_t v) { h.csr.mcause = v; }
uint64_t ReadScause(HartState& h) { return h.csr.scause; }
void WriteScause(HartState& h, uint64_t v) { h.csr.scause = v; }
uint64_t ReadMtval(HartState& h) { return h.csr.mtval; }
void WriteMtval(HartState& h, uint64_t v) { h.csr.mtval = v; }
uint64_t ReadStval(HartState& h) { return h.csr.stval; }
void WriteStval(HartState& h, uint64_t v) { h.csr.stval = v; }
uint64_t ReadMscratch(HartState& h) { return h.csr.mscratch; }
void WriteMscratch(HartState& h, uint64_t v) { h.csr.mscratch = v; }
uint64_t ReadSscratch(HartState& h) { return h.csr.sscratch; }
void WriteSscratch(HartState& h, uint64_t v) { h.csr.sscratch = v; }

// Counter enables: CY, TM, IR only (the hpm counters are hardwired to zero and stay disabled).
uint64_t ReadMcounteren(HartState& h) { return h.csr.mcounteren; }
void WriteMcounteren(HartState& h, uint64_t v) { h.csr.mcounteren = v & 7; }
uint64_t ReadScounteren(HartState& h) { return h.csr.scounteren; }
void WriteScounteren(HartState& h, uint64_t v) { h.csr.scounteren = v & 7; }

uint64_t ReadMenvcfg(HartState& h) { return h.csr.menvcfg; }
void WriteMenvcfg(HartState& h, uint64_t v) {
  uint64_t old = h.csr.menvcfg;
  h.csr.menvcfg = v & (kEnvcfgFiom | kMenvcfgStce);
  if ((old ^ h.csr.menvcfg) & kMenvcfgStce) {
    if (h.host) h.host->TimerChanged(h);
    UpdateInterrupts(h);
  }
}
uint64_t ReadSenvcfg(HartState& h) { return h.csr.senvcfg; }
void WriteSenvcfg(HartState& h, uint64_t v) { h.csr.senvcfg = v & kEnvcfgFiom; }

// satp: Bare, Sv39 and Sv48. A write selecting another mode (Linux probes Sv57 first) has no
// effect at all (spec 4.1.11). All 16 ASID bits are implemented.
uint64_t ReadSatp(HartState& h) { return h.csr.satp; }
void WriteSatp(HartState& h, uint64_t v) {
  uint64_t mode = v >> 60;
  if (mode != 0 && mode != 8 && mode != 9) return;
  uint64_t old = h.csr.satp;
  h.csr.satp = v;  // every field of a supported mode is writable
  if (old != h.csr.satp && h.host) h.host->TranslationChanged(h, true);
}
bool SatpAllowed(HartState& h) {
  return !(h.priv == Priv::kSupervisor && (h.csr.mstatus & ms::kTvm));
}

uint64_t ReadStimecmp(HartState& h) { return h.csr.stimecmp; }
void WriteStimecmp(HartState& h, uint64_t v) {
  h.csr.stimecmp = v;
  if (h.host) h.host->TimerChanged(h);
  UpdateInterrupts(h);
}
// Sstc: S-mode needs menvcfg.STCE and mcounteren.TM.
bool StimecmpAllowed(HartState& h) {
  return h.priv == Priv::kMachine ||
         ((h.csr.menvcfg & kMenvcfgStce) && (h.csr.mcounteren & kCounterTm));
}

// mcycle and minstret both count retired instructions (polyvm has no cycle model); writes set
// the counter from then on.
uint64_t ReadInstretCsr(HartState& h) { return h.cpu.hdr.retired + h.csr.minstret_offset; }
void WriteMinstret(HartState& h, uint64_t v) { h.csr.minstret_offset = v - h.cpu.hdr.retired; }
uint64_t ReadMhartid(HartState& h) { return h.csr.mhartid; }
uint64_t ReadTime(HartState& h) { return h.host ? h.host->ReadTime() : 0; }

bool CounterAllowed(HartState& h, uint64_t bit) {
  if (h.priv == Priv::kMachine) return true;
  if (!(h.csr.mcounteren & bit)) return false;
  return h.priv == Priv::kSupervisor || (h.csr.scounteren & bit);
}
bool CycleAllowed(HartState& h) { return CounterAllowed(h, kCounterCy); }
bool TimeAllowed(HartState& h) { return CounterAllowed(h, kCounterTm); }
bool InstretAllowed(HartState& h) { return CounterAllowed(h, kCounterIr); }

struct HartCsrDef {
  uint16_t number;
  const char* name;
  uint64_t (*read)(HartState&);
  void (*write)(HartState&, uint64_t);
  bool (*allowed)(HartState&);
};

constexpr HartCsrDef kHartCsrs[] = {
#define HCSR(number, name, read, write, allowed) {number, name, read, write, allowed},
#include "hart_csrs.def"
#undef HCSR
};

const HartCsrDef* FindHartCsr(uint16_t number) {
  static const std::array<int16_t, 4096> kIndex = [] {
    std::array<int16_t, 4096> index;
    index.fill(-1);
    for (size_t i = 0; i < std::size(kHartCsrs); ++i) {
      index[kHartCsrs[i].number] = static_cast<int16_t>(i);
    }
    return index;
  }();
  int16_t i = number < 4096 ? kIndex[number] : -1;
  return i < 0 ? nullptr : &kHartCsrs[i];
}

// PMP (spec 3.7): 16 entries; pmpcfg0 and pmpcfg2 hold 8 entries each (odd numbers do not exist
// on RV64); entries 16-63 are hardwired to zero. A locked entry (L) ignores writes to its
// configuration and address, and an entry locked in TOR mode also locks the address below it.
// Accesses are checked against it by the hart's soft MMU (pmp.h, hart_mmu.cpp), which caches the
// answers in its TLBs: every change flushes them.

bool PmpAddrLocked(const HartState& h, unsigned i) {
  if (h.csr.pmpcfg[i] & kPmpL) return true;
  return i + 1 < kPmpEntries && (h.csr.pmpcfg[i + 1] & kPmpL) &&
         (h.csr.pmpcfg[i + 1] & kPmpA) == kPmpTor;
}

bool PmpRead(HartState& h, uint16_t csr, uint64_t* value) {
  if (csr >= 0x3a0 && csr <= 0x3af) {
    unsigned n = csr - 0x3a0;
    if (n & 1) return false;
    uint64_t v = 0;
    for (unsigned b = 0; b < 8; ++b) {
      unsigned i = n * 4 + b;
      if (i < kPmpEntries) v |= uint64_t{h.csr.pmpcfg[i]} << (8 * b);
    }
    *value = v;
    return true;
  }
  if (csr >= 0x3b0 && csr <= 0x3ef) {
    unsigned i = csr - 0x3b0;
    *value = i < kPmpEntries ? h.csr.pmpaddr[i] : 0;
    return true;
  }
  return false;
}

bool PmpWrite(HartState& h, uint16_t csr, uint64_t value) {
  if (csr >= 0x3a0 && csr <= 0x3af) {
    unsigned n = csr - 0x3a0;
    if (n & 1) return false;
    for (unsigned b = 0; b < 8; ++b) {
      unsigned i = n * 4 + b;
      if (i >= kPmpEntries || (h.csr.pmpcfg[i] & kPmpL)) continue;
      uint8_t cfg = static_cast<uint8_t>(value >> (8 * b)) & 0x9f;  // bits 6:5 are reserved
      if ((cfg & (kPmpR | kPmpW)) == kPmpW) cfg &= static_cast<uint8_t>(~kPmpW);  // W without R
      h.csr.pmpcfg[i] = cfg;
    }
    if (h.host) h.host->TranslationChanged(h, true);
    return true;
  }
  if (csr >= 0x3b0 && csr <= 0x3ef) {
    unsigned i = csr - 0x3b0;
    if (i < kPmpEntries && !PmpAddrLocked(h, i)) {
      h.csr.pmpaddr[i] = value & kPmpAddrMask;
      if (h.host) h.host->TranslationChanged(h, true);
    }
    return true;
  }
  return false;
}

// The hpm counters and events that exist as hardwired zeros (spec 3.1.10).
bool IsZeroHpm(uint16_t csr) {
  return (csr >= 0xb03 && csr <= 0xb1f) || (csr >= 0x323 && csr <= 0x33f);
}

bool PrivilegeAllows(const HartState& h, uint16_t csr) {
  unsigned needed = (csr >> 8) & 3;
  if (needed == 2) return false;  // hypervisor CSRs: no H extension
  return static_cast<unsigned>(h.priv) >= needed;
}

}  // namespace

CsrStatus ReadCsr(HartState& h, uint16_t csr, uint64_t* value) {
  if (!PrivilegeAllows(h, csr)) return CsrStatus::kIllegal;
  if (const HartCsrDef* def = FindHartCsr(csr)) {
    if (def->allowed && !def->allowed(h)) return CsrStatus::kIllegal;
    *value = def->read(h);
    return CsrStatus::kOk;
  }
  if (PmpRead(h, csr, value)) return CsrStatus::kOk;
  if (IsZeroHpm(csr)) {
    *value = 0;
    return CsrStatus::kOk;
  }
  return CsrStatus::kIllegal;
}

CsrStatus WriteCsr(HartState& h, uint16_t csr, uint64_t value) {
  if (!PrivilegeAllows(h, csr) || (csr >> 10) == 3) return CsrStatus::kIllegal;
  if (const HartCsrDef* def = FindHartCsr(csr)) {
    if (!def->write || (def->allowed && !def->allowed(h))) return CsrStatus::kIllegal;
    def->write(h, value);
    return CsrStatus::kOk;
  }
  if (PmpWrite(h, csr, value)) return CsrStatus::kOk;
  if (IsZeroHpm(csr)) return CsrStatus::kOk;
  return CsrStatus::kIllegal;
}

}  // namespace polyvm::machine::riscv64
