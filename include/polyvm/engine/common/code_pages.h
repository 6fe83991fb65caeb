// The set of guest physical pages that hold translated code, for an engine's mem::CodeTracker in
// system mode. A page joins when its first translation is published and leaves when its last one
// is retired. Every time a page joins, a generation counter moves: each vCPU compares it before
// running its next block and marks its write-TLB entries of code pages with kTlbCodeWrite
// (MarkWriteTlbs), so a store to a page that got code since the entry was filled takes the slow
// path and reaches CodeTracker::OnCodeWrite. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "polyvm/mem/soft_mmu.h"

namespace polyvm::engine {

class CodePages {
 public:
  // One more translation covers the physical page `page`; true if the page is new (the
  // generation moved).
  bool Add(uint64_t page);
  // One translation of `page` went away.
  void Remove(uint64_t page);
  void Clear();
  bool Contains(uint64_t page) const;
  // True if some page in [paddr, paddr + size) holds code.
  bool Overlaps(uint64_t paddr, uint64_t size) const;

  uint64_t generation() const { return generation_.load(std::memory_order_acquire); }

  // Adds kTlbCodeWrite to every write-TLB entry of `mmu` (all contexts) that maps a code page.
  // An entry found unmarked may have been used to store into its page after the code there was
  // read, unseen by the tracker: with `unmarked`, each such page is listed once, for the engine
  // to drop its translations. Only the thread that owns the mmu may call it.
  void MarkWriteTlbs(mem::SoftMmu& mmu, std::vector<uint64_t>* unmarked = nullptr) const;

  // Marks `mmu`'s write-TLB entries of `page` (all contexts) after its owner translated code
  // there: its stores to the page so far came before that translation read it.
  static void MarkOwnWrites(mem::SoftMmu& mmu, uint64_t page);

 private:
  mutable std::mutex mu_;
  std::unordered_map<uint64_t, uint32_t> pages_;  // physical page -> translations covering it
  std::atomic<uint64_t> generation_{1};
};

}  // namespace polyvm::engine
