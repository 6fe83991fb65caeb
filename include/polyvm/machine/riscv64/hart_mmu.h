// A RISC-V hart's soft MMU: the mem::SoftMmu with the hart's page-table walker behind it, and the
// mapping from the hart's privileged state to TLB contexts (M: physical; S; S with SUM; U). The
// machine's HartHost forwards TranslationChanged / FenceVma / ClassifyFault here.
#pragma once

#include <cstdint>

#include "polyvm/machine/riscv64/hart_state.h"
#include "polyvm/mem/soft_mmu.h"

namespace polyvm::machine::riscv64 {

enum MmuContext : unsigned {
  kCtxMachine = 0,        // M (and M with MPRV where MPP = M): no translation
  kCtxSupervisor = 1,     // S, SUM = 0
  kCtxSupervisorSum = 2,  // S data accesses with SUM = 1
  kCtxUser = 3,           // U, and M with MPRV where MPP = U
};

class HartMmu final : public mem::PageWalker {
 public:
  HartMmu(HartState& hart, const mem::PhysicalMap& phys) : hart_(hart), mmu_(phys, *this) {}

  mem::SoftMmu& mmu() { return mmu_; }

  // Selects the data and fetch contexts for the hart's privilege, MPRV/MPP and SUM; `flush`
  // drops every cached translation (satp or MXR changed).
  void Sync(bool flush);
  void Fence(bool has_addr, uint64_t vaddr, bool has_asid, uint32_t asid);
  // Re-translates an access that faulted, in the current context.
  mem::WalkFault Classify(uint64_t vaddr, core::MemAccess access);

  // The page-table walk for `context`, then PMP for the 4 KiB page reached (pmp.h): the page's
  // PTEs are checked as S-mode accesses, the page itself for the context's privilege.
  mem::WalkResult Walk(uint64_t vaddr, core::MemAccess access, unsigned context) override;
  mem::WalkFault CheckPhysical(uint64_t paddr, uint64_t size, core::MemAccess access,
                               unsigned context) override;

 private:
  HartState& hart_;
  mem::SoftMmu mmu_;
};

}  // namespace polyvm::machine::riscv64
