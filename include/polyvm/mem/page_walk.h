// The outcome of translating one guest virtual address, shared by the page-table walkers of every
// guest (RISC-V Sv39/Sv48 now; AArch64 and x86-64 later) and the soft MMU that caches their
// answers.
#pragma once

#include <cstdint>

#include "polyvm/core/exit.h"

namespace polyvm::mem {

enum class WalkFault : uint8_t {
  kNone,
  kPageFault,    // the page tables forbid the access (RISC-V causes 12/13/15)
  kAccessFault,  // a page-table entry or the target is outside RAM/MMIO (RISC-V causes 1/5/7)
};

struct WalkResult {
  WalkFault fault = WalkFault::kNone;
  uint64_t paddr = 0;      // physical address of the byte asked for
  uint64_t page_size = 0;  // bytes mapped by the leaf (4 KiB, 2 MiB, 1 GiB, 512 GiB)
  bool global = false;     // the mapping is in every address space (RISC-V PTE.G)
  uint16_t asid = 0;       // the address space it was found in
  // The machine's physical protection (RISC-V PMP) does not give one answer for the whole 4 KiB
  // page: the soft MMU must ask CheckPhysical for each access to it.
  bool check_each = false;
};

// Walks a guest's page tables. Implemented by each guest's walker; the soft MMU calls it on a TLB
// miss, from the vCPU thread that owns the MMU. `context` is the TLB context the miss happened in
// (the machine defines what each index means, e.g. RISC-V U, S, S+SUM, M).
class PageWalker {
 public:
  virtual ~PageWalker() = default;
  virtual WalkResult Walk(uint64_t vaddr, core::MemAccess access, unsigned context) = 0;
  // For pages a walk marked check_each: may `context` do `access` on every byte of
  // [paddr, paddr + size)? kAccessFault if not.
  virtual WalkFault CheckPhysical(uint64_t /*paddr*/, uint64_t /*size*/, core::MemAccess /*access*/,
                                  unsigned /*context*/) {
    return WalkFault::kNone;
  }
};

}  // namespace polyvm::mem
