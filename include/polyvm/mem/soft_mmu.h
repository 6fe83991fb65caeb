// One vCPU's soft MMU for system mode: software TLBs in front of the guest's page-table walker,
// and the slow paths an engine calls when the inline TLB test misses: translation refill, loads
// and stores that cross a page or hit MMIO, instruction fetch. docs/system-mode.md describes the
// contract with the engines; it is used only by the vCPU thread that owns it, except the Flush*
// calls, which another thread may make only while this vCPU is stopped.
#pragma once

#include <cstddef>
#include <cstdint>

#include "polyvm/core/exit.h"
#include "polyvm/mem/page_walk.h"
#include "polyvm/mem/physical_map.h"
#include "polyvm/mem/tlb.h"

namespace polyvm::mem {

// Told about guest writes to physical pages that hold translated code (the engine implements it).
class CodeTracker {
 public:
  virtual ~CodeTracker() = default;
  virtual bool HasCode(uint64_t paddr_page) const = 0;
  virtual void OnCodeWrite(uint64_t paddr, unsigned size) = 0;
};

// A failed access: what the guest's trap needs (the machine turns it into its cause code).
struct MmuFault {
  WalkFault kind = WalkFault::kNone;
  core::MemAccess access = core::MemAccess::kRead;
  uint64_t vaddr = 0;  // the first byte of the access that could not be done (RISC-V xtval)
  explicit operator bool() const { return kind != WalkFault::kNone; }
};

struct MmuStats {
  uint64_t refills = 0;     // TLB misses that walked (or resolved bare) and filled an entry
  uint64_t faults = 0;      // walks that ended in a fault
  uint64_t mmio = 0;        // accesses dispatched to devices
  uint64_t slow_loads = 0;  // loads and stores that came through the slow path
  uint64_t slow_stores = 0;
};

class SoftMmu {
 public:
  static constexpr unsigned kMaxContexts = 4;

  SoftMmu(const PhysicalMap& phys, PageWalker& walker) : phys_(phys), walker_(walker) {}
  SoftMmu(const SoftMmu&) = delete;
  SoftMmu& operator=(const SoftMmu&) = delete;

  // The TLB contexts data accesses and fetches use now (the machine sets them when privilege,
  // MPRV or SUM change; e.g. RISC-V: 0 = M, 1 = S, 2 = S with SUM, 3 = U).
  void SelectContexts(unsigned data_ctx, unsigned fetch_ctx);
  TlbSet& data_tlb() { return tlbs_[data_ctx_]; }
  TlbSet& fetch_tlb() { return tlbs_[fetch_ctx_]; }
  TlbSet& tlb(unsigned ctx) { return tlbs_[ctx]; }
  unsigned data_context() const { return data_ctx_; }
  unsigned fetch_context() const { return fetch_ctx_; }

  // Translates the page of vaddr for `access` in the current context and fills the TLB entry.
  // Returns the entry (its tag may carry kTlbMmio / kTlbCodeWrite / kTlbCheckEach), or null with
  // *fault set. The slow paths below ask the walker's CheckPhysical about every access to a
  // kTlbCheckEach page.
  const TlbEntry* Refill(uint64_t vaddr, core::MemAccess access, MmuFault* fault);

  // Slow paths. size is 1, 2, 4 or 8; any alignment (an access crossing a page is split, after
  // both pages are translated, so a fault leaves memory untouched). value zero-extended.
  MmuFault Load(uint64_t vaddr, unsigned size, uint64_t* value);
  MmuFault Store(uint64_t vaddr, unsigned size, uint64_t value);
  // Host pointer for an atomic access of `size` bytes that must be naturally aligned, in RAM and
  // allowed for `access` (kWrite for AMOs and SC, which need store permission; kRead for LR).
  uint8_t* AtomicPointer(uint64_t vaddr, unsigned size, core::MemAccess access, MmuFault* fault);
  // Copies up to size bytes of code at vaddr; returns how many were fetched (fewer: *fault says
  // why the next byte could not be). Code must be in RAM (fetching from MMIO is an access fault).
  size_t Fetch(uint64_t vaddr, void* out, size_t size, MmuFault* fault);
  // Physical address of the instruction at vaddr (the code cache key), or fault.
  bool FetchPhysical(uint64_t vaddr, uint64_t* paddr, MmuFault* fault);

  void FlushAll();
  void FlushPage(uint64_t vaddr);  // any ASID
  void FlushPageAsid(uint64_t vaddr, uint32_t asid);
  void FlushAsid(uint32_t asid);

  void set_code_tracker(CodeTracker* t) { code_ = t; }
  const MmuStats& stats() const { return stats_; }
  const PhysicalMap& phys() const { return phys_; }

 private:
  const TlbEntry* Lookup(uint64_t vaddr, core::MemAccess access, MmuFault* fault);
  MmuFault AccessPage(uint64_t vaddr, unsigned size, core::MemAccess access, uint64_t* value);
  // For an entry marked kTlbCheckEach, asks the walker about [vaddr, vaddr + size) of its page.
  MmuFault CheckEach(const TlbEntry& e, uint64_t vaddr, uint64_t size, core::MemAccess access);
  // Translates both pages of an access crossing a page and checks each part.
  MmuFault CheckBothPages(uint64_t vaddr, unsigned size, core::MemAccess access);

  const PhysicalMap& phys_;
  PageWalker& walker_;
  CodeTracker* code_ = nullptr;
  TlbSet tlbs_[kMaxContexts];
  unsigned data_ctx_ = 0;
  unsigned fetch_ctx_ = 0;
  MmuStats stats_;
};

}  // namespace polyvm::mem
