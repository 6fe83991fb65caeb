// The RISC-V privileged spec's translation algorithm (section "Virtual Address Translation
// Process"), step by step, for Sv39 (3 levels) and Sv48 (4 levels) with 4 KiB pages and 8-byte
// PTEs. Svnapot and Svpbmt are not implemented, so PTE bits 63:54 are reserved: a leaf or pointer
// with any of them set is a page fault. A and D are set by the walk itself (Svadu behaviour, like
// QEMU): with a compare-and-swap, so a PTE another hart changed in between is walked again.
#include "polyvm/mem/riscv_page_walk.h"

#include <atomic>

namespace polyvm::mem {
namespace {

constexpr unsigned kPageBits = 12;
constexpr uint64_t kPpnMask = (uint64_t{1} << 44) - 1;  // PTE bits 53:10
constexpr uint64_t kPteReserved = ~((uint64_t{1} << 54) - 1);

WalkResult Fault(WalkFault kind) {
  WalkResult r;
  r.fault = kind;
  return r;
}

unsigned Levels(RiscvPaging mode) { return mode == RiscvPaging::kSv48 ? 4 : 3; }

}  // namespace

uint64_t RiscvFaultCause(WalkFault fault, core::MemAccess access) {
  bool page = fault == WalkFault::kPageFault;
  switch (access) {
    case core::MemAccess::kFetch: return page ? 12 : 1;
    case core::MemAccess::kRead: return page ? 13 : 5;
    case core::MemAccess::kWrite: return page ? 15 : 7;
  }
  return 0;
}

WalkResult RiscvWalk(const PhysicalMap& phys, const RiscvTranslation& t, uint64_t vaddr,
                     core::MemAccess access) {
  if (t.mode == RiscvPaging::kBare) {
    WalkResult r;
    r.paddr = vaddr;
    r.page_size = uint64_t{1} << kPageBits;
    r.global = true;
    return r;
  }
  const unsigned levels = Levels(t.mode);
  const unsigned va_bits = kPageBits + 9 * levels;
  // The address must be the sign extension of its low va_bits bits.
  int64_t canonical = static_cast<int64_t>(vaddr << (64 - va_bits)) >> (64 - va_bits);
  if (static_cast<uint64_t>(canonical) != vaddr) return Fault(WalkFault::kPageFault);

restart:
  uint64_t table = t.root_ppn << kPageBits;
  bool global = false;  // G on a pointer makes everything below it global
  for (int level = static_cast<int>(levels) - 1; level >= 0; --level) {
    uint64_t vpn = (vaddr >> (kPageBits + 9 * level)) & 511;
    const uint64_t pte_addr = table + vpn * 8;
    uint8_t* slot = phys.RamPointer(pte_addr, 8);
    if (slot == nullptr) return Fault(WalkFault::kAccessFault);
    if (t.pte_allowed && !t.pte_allowed(t.pte_context, pte_addr, core::MemAccess::kRead)) {
      return Fault(WalkFault::kAccessFault);
    }
    std::atomic_ref<uint64_t> pte_ref(*reinterpret_cast<uint64_t*>(slot));
    uint64_t pte = pte_ref.load(std::memory_order_acquire);

    if (!(pte & kPteV) || (!(pte & kPteR) && (pte & kPteW)) || (pte & kPteReserved)) {
      return Fault(WalkFault::kPageFault);
    }
    uint64_t ppn = (pte >> 10) & kPpnMask;
    global |= (pte & kPteG) != 0;
    if (!(pte & (kPteR | kPteX))) {  // a pointer to the next level
      table = ppn << kPageBits;
      continue;
    }

    // A leaf: permissions for the effective privilege.
    if (t.user) {
      if (!(pte & kPteU)) return Fault(WalkFault::kPageFault);
    } else if (pte & kPteU) {
      // S may never execute U pages, and may load/store them only with SUM.
      if (access == core::MemAccess::kFetch || !t.sum) return Fault(WalkFault::kPageFault);
    }
    bool allowed = false;
    switch (access) {
      case core::MemAccess::kFetch: allowed = pte & kPteX; break;
      case core::MemAccess::kRead: allowed = (pte & kPteR) || (t.mxr && (pte & kPteX)); break;
      case core::MemAccess::kWrite: allowed = pte & kPteW; break;
    }
    if (!allowed) return Fault(WalkFault::kPageFault);
    // A superpage's PPN must be aligned to its size.
    uint64_t low_ppn_mask = (uint64_t{1} << (9 * level)) - 1;
    if (ppn & low_ppn_mask) return Fault(WalkFault::kPageFault);

    uint64_t wanted = pte | kPteA | (access == core::MemAccess::kWrite ? kPteD : 0);
    if (wanted != pte && t.pte_allowed &&
        !t.pte_allowed(t.pte_context, pte_addr, core::MemAccess::kWrite)) {
      return Fault(WalkFault::kAccessFault);
    }
    if (wanted != pte && !pte_ref.compare_exchange_strong(pte, wanted, std::memory_order_acq_rel)) {
      goto restart;  // the PTE changed under us: translate again from the root
    }

    WalkResult r;
    r.page_size = uint64_t{1} << (kPageBits + 9 * level);
    r.paddr = (ppn << kPageBits) | (vaddr & (r.page_size - 1));
    r.global = global;
    r.asid = t.asid;
    return r;
  }
  return Fault(WalkFault::kPageFault);  // a pointer at the last level
}

}  // namespace polyvm::mem
