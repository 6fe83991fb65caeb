// What both engines need to find and fetch guest code in system mode: the translation key
// (virtual pc, physical pc, fetch context), the inline fetch-TLB probe that resolves a pc to its
// physical address without a call, and the ir::CodeReader that lifts through a vCPU's soft MMU.
// docs/system-mode.md ("The engine interface") gives the rules.
#pragma once

#include <cstddef>
#include <cstdint>

#include "polyvm/ir/lifter.h"
#include "polyvm/mem/soft_mmu.h"
#include "polyvm/mem/tlb.h"

namespace polyvm::engine {

// A block that does not reach into a second page records this as its second page.
inline constexpr uint64_t kNoSecondPage = ~uint64_t{0};

// The physical address of the instruction at vpc if the current fetch TLB already translates its
// page (no walk, no call); false on a miss.
inline bool ProbeFetchPhysical(mem::SoftMmu& mmu, uint64_t vpc, uint64_t* ppc) {
  const mem::TlbEntry& e = mmu.fetch_tlb().entries[mem::kTlbFetch][mem::TlbSet::Index(vpc)];
  if (e.tag != (vpc & mem::kTlbPageMask)) return false;
  *ppc = e.paddr | (vpc & ~mem::kTlbPageMask);
  return true;
}

// Resolves vpc through the fetch TLB, refilling it on a miss. False, with *fault, when the pc
// cannot be fetched (the guest's instruction page or access fault).
inline bool ResolveFetchPhysical(mem::SoftMmu& mmu, uint64_t vpc, uint64_t* ppc,
                                 mem::MmuFault* fault) {
  return ProbeFetchPhysical(mmu, vpc, ppc) || mmu.FetchPhysical(vpc, ppc, fault);
}

// The physical page of the second page a block starting at vpc and covering `size` bytes reaches
// into, kNoSecondPage if it stays in one page, or false if that page cannot be fetched now.
inline bool SecondPagePhysical(mem::SoftMmu& mmu, uint64_t vpc, uint64_t size, uint64_t* page2) {
  uint64_t last = vpc + (size == 0 ? 0 : size - 1);
  if ((last & mem::kTlbPageMask) == (vpc & mem::kTlbPageMask)) {
    *page2 = kNoSecondPage;
    return true;
  }
  mem::MmuFault fault;
  uint64_t pa = 0;
  if (!ResolveFetchPhysical(mmu, last & mem::kTlbPageMask, &pa, &fault)) return false;
  *page2 = pa & mem::kTlbPageMask;
  return true;
}

// Whether a cached block starting at vpc, covering `size` bytes, whose second page was `page2`
// when it was translated, may run under the current translation.
inline bool SecondPageStillMaps(mem::SoftMmu& mmu, uint64_t vpc, uint64_t size, uint64_t page2) {
  if (page2 == kNoSecondPage) return true;
  uint64_t now = 0;
  return SecondPagePhysical(mmu, vpc, size, &now) && now == page2;
}

// The lifter's view of guest code in system mode: virtual addresses fetched through one vCPU's
// soft MMU (so the fetch context and the TLB are that vCPU's at the time of the translation).
class MmuCodeReader final : public ir::CodeReader {
 public:
  explicit MmuCodeReader(mem::SoftMmu& mmu) : mmu_(mmu) {}
  size_t Fetch(uint64_t pc, void* out, size_t size) const override {
    mem::MmuFault fault;
    return mmu_.Fetch(pc, out, size, &fault);
  }

 private:
  mem::SoftMmu& mmu_;
};

}  // namespace polyvm::engine
