// The JIT's run loop in system mode (docs/jit.md, "System mode"; docs/system-mode.md, "The engine
// interface"): blocks found by (physical pc, virtual pc, fetch context), chaining only inside the
// source block's virtual page, the vCPU's soft MMU as the JIT's CodeTracker.
#pragma once

#include <cstdint>
#include <memory>

#include "block.h"
#include "polyvm/core/engine.h"
#include "polyvm/engine/common/tier.h"
#include "polyvm/mem/soft_mmu.h"
#include "records.h"

namespace polyvm::engine::jit {

class ThreadData;
namespace detail {
class JitState;
}

// A vCPU's system-mode data. Its jump cache (by virtual pc) is used, by Run and by the inline
// lookup of indirect exits, only when its block's key matches the pc's key now: physical page
// through the fetch TLB and fetch context.
struct SystemThreadData {
  // Read by generated code (codegen_mmu.cpp, EmitSysIndirect): keep the layout.
  struct JcEntry {
    uint64_t vpc = 1;  // odd: matches no pc
    const uint8_t* code = nullptr;
    uint64_t key = 0;  // the block's physical page | its fetch context
    const JBlock* blk = nullptr;
  };
  mem::SoftMmu* mmu = nullptr;
  uint64_t code_generation = 0;  // the code-page generation the write TLBs were marked for
  uint64_t jc_epoch = 0;         // the epoch `jc` is valid for
  uint64_t refills_seen = 0, mmio_seen = 0;  // mmu.stats() when last added to the engine's counts
  std::unique_ptr<JcEntry[]> jc = std::make_unique<JcEntry[]>(kJcMask + 1);
};

core::ExitInfo RunSystem(detail::JitState& js, ThreadData& td, core::Vcpu& vcpu);

}  // namespace polyvm::engine::jit
