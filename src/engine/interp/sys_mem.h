// Guest memory in system mode, for the dispatch loop's memory handlers: the inline TLB hit test
// of docs/system-mode.md ("The engine interface"), the out-of-line slow paths through the soft
// MMU, and the jump-cache check with the full system key. Included only by execute.cpp.
#pragma once

#include <cstdint>

#include "lowered.h"
#include "ops.h"
#include "polyvm/engine/common/system_code.h"
#include "polyvm/mem/soft_mmu.h"
#include "thread_data.h"

namespace polyvm::engine::interp {

// Host address of a `size`-byte data access of kind `kind` (mem::kTlbRead / kTlbWrite) at va if
// the current data TLB hits inline (RAM, not crossing the page, no flag bits), else null.
template <unsigned kKind>
inline uint8_t* TlbHost(mem::SoftMmu& mmu, uint64_t va, unsigned size) {
  const mem::TlbEntry& e = mmu.data_tlb().entries[kKind][mem::TlbSet::Index(va)];
  if (__builtin_expect(e.tag == (va & mem::kTlbPageMask) &&
                           (va & ~mem::kTlbPageMask) + size <= mem::kTlbPageSize,
                       1)) {
    return reinterpret_cast<uint8_t*>(va + e.addend);
  }
  return nullptr;
}

// The slow paths (miss, MMIO, code page, crossing a page). False with *fault on a guest fault.
// 16-byte accesses (IR i128; no RISC-V instruction makes one) go as two 8-byte halves; a store
// translates both halves first so that a fault writes nothing.
template <class C>
[[gnu::noinline]] bool SlowLoad(mem::SoftMmu& mmu, uint64_t va, C* out, mem::MmuFault* fault) {
  if constexpr (sizeof(C) == 16) {
    uint64_t lo = 0, hi = 0;
    if ((*fault = mmu.Load(va, 8, &lo)) || (*fault = mmu.Load(va + 8, 8, &hi))) return false;
    *out = static_cast<C>(lo) | (static_cast<C>(hi) << 64);
  } else {
    uint64_t v = 0;
    if ((*fault = mmu.Load(va, sizeof(C), &v))) return false;
    *out = static_cast<C>(v);
  }
  return true;
}

template <class C>
[[gnu::noinline]] bool SlowStore(mem::SoftMmu& mmu, uint64_t va, C v, mem::MmuFault* fault) {
  if constexpr (sizeof(C) == 16) {
    if (!mmu.Refill(va, core::MemAccess::kWrite, fault) ||
        !mmu.Refill(va + 15, core::MemAccess::kWrite, fault)) {
      return false;
    }
    if ((*fault = mmu.Store(va, 8, static_cast<uint64_t>(v))) ||
        (*fault = mmu.Store(va + 8, 8, static_cast<uint64_t>(v >> 64)))) {
      return false;
    }
  } else {
    if ((*fault = mmu.Store(va, sizeof(C), static_cast<uint64_t>(v)))) return false;
  }
  return true;
}

// Host pointer for an aligned atomic access (kWrite: AMOs, CAS, SC; kRead: LR), or null with
// *fault. The inline hit test first; AtomicPointer (which reports code-page writes) otherwise.
template <class C>
inline uint8_t* AtomicHost(mem::SoftMmu& mmu, uint64_t va, core::MemAccess access,
                           mem::MmuFault* fault) {
  uint8_t* h = access == core::MemAccess::kWrite ? TlbHost<mem::kTlbWrite>(mmu, va, sizeof(C))
                                                 : TlbHost<mem::kTlbRead>(mmu, va, sizeof(C));
  return h != nullptr ? h : mmu.AtomicPointer(va, sizeof(C), access, fault);
}

// A jump-cache entry is only a candidate in system mode: it is used if its block has the key the
// pc has now (physical pc through the fetch TLB, fetch context). Blocks reaching into a second
// page are never entered in the jump cache (Run checks that page on every lookup).
inline bool SysJcHit(const JcEntry& e, uint64_t pc, mem::SoftMmu& mmu) {
  if (e.pc != pc) return false;
  const LBlock* b = BlockOf(e.code);
  uint64_t ppc = 0;
  return ProbeFetchPhysical(mmu, pc, &ppc) && b->key.addr == ppc &&
         b->key.ctx == mmu.fetch_context() && b->page2 == kNoSecondPage;
}

}  // namespace polyvm::engine::interp
