// RISC-V Sv39 and Sv48 page-table walks (privileged spec, "Virtual Address Translation Process"):
// permission checks (U, SUM, MXR, execute-only pages), misaligned superpages, reserved PTE bits,
// non-canonical addresses, and hardware A/D updates done with a compare-and-swap on the PTE.
#pragma once

#include <cstdint>

#include "polyvm/core/exit.h"
#include "polyvm/mem/page_walk.h"
#include "polyvm/mem/physical_map.h"

namespace polyvm::mem {

// satp.MODE values (RV64).
enum class RiscvPaging : uint8_t { kBare = 0, kSv39 = 8, kSv48 = 9, kSv57 = 10 };

// PTE bits.
inline constexpr uint64_t kPteV = 1 << 0, kPteR = 1 << 1, kPteW = 1 << 2, kPteX = 1 << 3,
                          kPteU = 1 << 4, kPteG = 1 << 5, kPteA = 1 << 6, kPteD = 1 << 7;

// Everything about the hart that a walk depends on.
struct RiscvTranslation {
  RiscvPaging mode = RiscvPaging::kBare;
  uint64_t root_ppn = 0;  // satp.PPN
  uint16_t asid = 0;      // satp.ASID
  bool user = false;      // effective privilege is U (else S; M never walks)
  bool sum = false;       // mstatus.SUM: S may load/store U pages
  bool mxr = false;       // mstatus.MXR: loads may read execute-only pages
  // The walk's own PTE reads and A/D writes are checked by this (RISC-V PMP checks them as
  // S-mode accesses); false: an access fault for the original access. Null: no check.
  bool (*pte_allowed)(const void* context, uint64_t paddr, core::MemAccess access) = nullptr;
  const void* pte_context = nullptr;
};

// Translates vaddr for `access`. Bare mode maps vaddr to itself. PTE reads and A/D writes go to
// RAM through `phys` (a PTE outside RAM is an access fault).
WalkResult RiscvWalk(const PhysicalMap& phys, const RiscvTranslation& t, uint64_t vaddr,
                     core::MemAccess access);

// The RISC-V exception cause of a failed translation or physical access: instruction/load/store
// page fault (12/13/15) or access fault (1/5/7). Atomics (AMO, SC) count as stores.
uint64_t RiscvFaultCause(WalkFault fault, core::MemAccess access);

}  // namespace polyvm::mem
