// Hart state -> TLB context, and the walk for each context (RiscvWalk with satp, SUM, MXR).
// satp is written only through WriteSatp, which flushes, so entries never outlive their root.
#include "polyvm/machine/riscv64/hart_mmu.h"

#include "polyvm/machine/riscv64/pmp.h"
#include "polyvm/mem/riscv_page_walk.h"

namespace polyvm::machine::riscv64 {
namespace {

namespace ms = mstatus;

MmuContext ContextFor(Priv p, bool sum) {
  switch (p) {
    case Priv::kMachine: return kCtxMachine;
    case Priv::kSupervisor: return sum ? kCtxSupervisorSum : kCtxSupervisor;
    case Priv::kUser: return kCtxUser;
  }
  return kCtxMachine;
}

Priv PrivilegeOf(unsigned context) {
  switch (context) {
    case kCtxSupervisor:
    case kCtxSupervisorSum: return Priv::kSupervisor;
    case kCtxUser: return Priv::kUser;
    default: return Priv::kMachine;
  }
}

// Page-table accesses are implicit S-mode accesses for PMP (spec 3.7.1).
bool PteAllowed(const void* csrs, uint64_t paddr, core::MemAccess access) {
  return PmpCheck(*static_cast<const HartCsrs*>(csrs), Priv::kSupervisor, paddr, 8, access) ==
         PmpResult::kAllow;
}

}  // namespace

void HartMmu::Sync(bool flush) {
  uint64_t status = hart_.csr.mstatus;
  Priv data_priv = hart_.priv;
  if (data_priv == Priv::kMachine && (status & ms::kMprv)) {
    data_priv = static_cast<Priv>((status & ms::kMpp) >> ms::kMppShift);
  }
  mmu_.SelectContexts(ContextFor(data_priv, status & ms::kSum), ContextFor(hart_.priv, false));
  if (flush) mmu_.FlushAll();
}

void HartMmu::Fence(bool has_addr, uint64_t vaddr, bool has_asid, uint32_t asid) {
  if (has_addr && has_asid) {
    mmu_.FlushPageAsid(vaddr, asid);
  } else if (has_addr) {
    mmu_.FlushPage(vaddr);
  } else if (has_asid) {
    mmu_.FlushAsid(asid);
  } else {
    mmu_.FlushAll();
  }
}

mem::WalkFault HartMmu::Classify(uint64_t vaddr, core::MemAccess access) {
  mem::MmuFault fault;
  return mmu_.Refill(vaddr, access, &fault) ? mem::WalkFault::kNone : fault.kind;
}

mem::WalkResult HartMmu::Walk(uint64_t vaddr, core::MemAccess access, unsigned context) {
  mem::RiscvTranslation t;
  uint64_t satp = hart_.csr.satp;
  if (context != kCtxMachine) {
    t.mode = static_cast<mem::RiscvPaging>(satp >> 60);
    t.root_ppn = satp & ((uint64_t{1} << 44) - 1);
    t.asid = static_cast<uint16_t>(satp >> 44);
    t.user = context == kCtxUser;
    t.sum = context == kCtxSupervisorSum;
    t.mxr = hart_.csr.mstatus & ms::kMxr;
    t.pte_allowed = PteAllowed;
    t.pte_context = &hart_.csr;
  }
  mem::WalkResult r = mem::RiscvWalk(mmu_.phys(), t, vaddr, access);
  if (r.fault != mem::WalkFault::kNone) return r;
  // The TLB caches whole pages: one answer for the page, or a check per access when PMP splits it
  // (then the byte asked for must at least be allowed).
  const Priv priv = PrivilegeOf(context);
  const uint64_t page = r.paddr & mem::kTlbPageMask;
  switch (PmpCheck(hart_.csr, priv, page, mem::kTlbPageSize, access)) {
    case PmpResult::kAllow: break;
    case PmpResult::kDeny: r.fault = mem::WalkFault::kAccessFault; break;
    case PmpResult::kSplit:
      if (PmpCheck(hart_.csr, priv, r.paddr, 1, access) != PmpResult::kAllow) {
        r.fault = mem::WalkFault::kAccessFault;
      }
      r.check_each = true;
      break;
  }
  return r;
}

mem::WalkFault HartMmu::CheckPhysical(uint64_t paddr, uint64_t size, core::MemAccess access,
                                      unsigned context) {
  return PmpCheck(hart_.csr, PrivilegeOf(context), paddr, size, access) == PmpResult::kAllow
             ? mem::WalkFault::kNone
             : mem::WalkFault::kAccessFault;
}

}  // namespace polyvm::machine::riscv64
