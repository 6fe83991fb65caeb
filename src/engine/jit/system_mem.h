// What system-mode JIT code calls out of line (docs/jit.md, "System mode"): the soft MMU's slow
// paths for loads and stores the inline TLB test did not take, and the out-of-line ops that touch
// guest memory (atomics, LL/SC) or may change the data TLB (helper calls). A guest fault returns
// Status::kMmuFault with JitHot::fault_addr, mmu_fault_access and mmu_access_fault set; the
// generated code then reports its access's site.
#pragma once

#include <cstdint>

#include "polyvm/core/cpu_header.h"
#include "records.h"

namespace polyvm::engine::jit {

// Two 64-bit fields: returned in rax (value) and rdx (status) by the SysV ABI.
struct SysLoadResult {
  uint64_t value;   // zero-extended
  uint64_t status;  // 0, or Status::kMmuFault
};

SysLoadResult SysLoad(JitHot* hot, uint64_t va, uint64_t size);
uint64_t SysStore(JitHot* hot, uint64_t va, uint64_t value, uint64_t size);
// 16-byte accesses (IR i128/v128), as two 8-byte halves; a store translates both first.
uint64_t SysLoad16(JitHot* hot, uint64_t va, uint8_t* out);
uint64_t SysStore16(JitHot* hot, uint64_t va, const uint8_t* in);

// ColdOp for system-mode blocks: atomics and LL/SC through the soft MMU (alignment always
// required, as the interpreter's system mode does), helper calls followed by a reload of the data
// TLB (a helper may change privilege or translation), everything else by ColdOp.
uint32_t SysColdOp(const ColdRec* rec, JitHot* hot, core::CpuHeader* st);

}  // namespace polyvm::engine::jit
