// TLB flushes. A flush by address or ASID walks the few entries that could hold it; superpages are
// cached as 4 KiB entries, so a flush inside a cached superpage's range drops everything.
#include "polyvm/mem/tlb.h"

namespace polyvm::mem {

void TlbSet::FlushAll() {
  for (auto& kind : entries) {
    for (TlbEntry& e : kind) e = TlbEntry{};
  }
  large_begin = ~uint64_t{0};
  large_end = 0;
}

void TlbSet::FlushPage(uint64_t vaddr, int64_t asid) {
  if (vaddr >= large_begin && vaddr < large_end) {
    FlushAll();
    return;
  }
  uint64_t page = vaddr & kTlbPageMask;
  unsigned i = Index(vaddr);
  for (auto& kind : entries) {
    TlbEntry& e = kind[i];
    if ((e.tag & kTlbPageMask) != page || e.tag == kTlbInvalid) continue;
    if (asid >= 0 && (e.global || e.asid != static_cast<uint64_t>(asid))) continue;
    e = TlbEntry{};
  }
}

void TlbSet::FlushAsid(uint32_t asid) {
  for (auto& kind : entries) {
    for (TlbEntry& e : kind) {
      if (e.tag != kTlbInvalid && !e.global && e.asid == asid) e = TlbEntry{};
    }
  }
}

}  // namespace polyvm::mem
