// The code-page set behind the engines' CodeTracker in system mode (see code_pages.h).
#include "polyvm/engine/common/code_pages.h"

#include <algorithm>

namespace polyvm::engine {

bool CodePages::Add(uint64_t page) {
  std::lock_guard lock(mu_);
  if (pages_[page]++ != 0) return false;
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

void CodePages::Remove(uint64_t page) {
  std::lock_guard lock(mu_);
  auto it = pages_.find(page);
  if (it != pages_.end() && --it->second == 0) pages_.erase(it);
}

void CodePages::Clear() {
  std::lock_guard lock(mu_);
  pages_.clear();
}

bool CodePages::Contains(uint64_t page) const {
  std::lock_guard lock(mu_);
  return pages_.count(page & mem::kTlbPageMask) != 0;
}

bool CodePages::Overlaps(uint64_t paddr, uint64_t size) const {
  if (size == 0) return false;
  uint64_t first = paddr & mem::kTlbPageMask;
  uint64_t last = (paddr + size - 1) & mem::kTlbPageMask;
  std::lock_guard lock(mu_);
  if (pages_.empty()) return false;
  for (uint64_t p = first;; p += mem::kTlbPageSize) {
    if (pages_.count(p) != 0) return true;
    if (p == last) return false;
  }
}

void CodePages::MarkWriteTlbs(mem::SoftMmu& mmu, std::vector<uint64_t>* unmarked) const {
  std::lock_guard lock(mu_);
  for (unsigned ctx = 0; ctx < mem::SoftMmu::kMaxContexts; ++ctx) {
    for (mem::TlbEntry& e : mmu.tlb(ctx).entries[mem::kTlbWrite]) {
      if (e.tag == mem::kTlbInvalid || (e.tag & (mem::kTlbMmio | mem::kTlbCodeWrite)) != 0) {
        continue;
      }
      const uint64_t page = e.paddr & mem::kTlbPageMask;
      if (pages_.count(page) == 0) continue;
      e.tag |= mem::kTlbCodeWrite;
      if (unmarked != nullptr &&
          std::find(unmarked->begin(), unmarked->end(), page) == unmarked->end()) {
        unmarked->push_back(page);
      }
    }
  }
}

void CodePages::MarkOwnWrites(mem::SoftMmu& mmu, uint64_t page) {
  for (unsigned ctx = 0; ctx < mem::SoftMmu::kMaxContexts; ++ctx) {
    for (mem::TlbEntry& e : mmu.tlb(ctx).entries[mem::kTlbWrite]) {
      if (e.tag != mem::kTlbInvalid && (e.paddr & mem::kTlbPageMask) == page) {
        e.tag |= mem::kTlbCodeWrite;
      }
    }
  }
}

}  // namespace polyvm::engine
