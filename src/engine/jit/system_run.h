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
  // The system jump cache is larger than user mode's: a kernel's indirect targets (returns
  // above all) are tens of thousands, and a miss costs a trip through Run.
  static constexpr unsigned kJcBits = 14;
  static constexpr uint64_t kJcMask = (uint64_t{1} << kJcBits) - 1;
  static unsigned JcIndex(uint64_t pc) { return static_cast<unsigned>((pc >> 1) & kJcMask); }
  struct JcEntry {
    uint64_t vpc = 1;  // odd: matches no pc
    const uint8_t* code = nullptr;
    uint64_t key = 0;  // the block's physical page | its fetch context
    const JBlock* blk = nullptr;
  };
  // The run loop's second-level cache, behind `jc` (which generated code probes): a boot's indirect
  // targets (returns above all) outgrow `jc` and miss there by conflict; the JitState's map is ten
  // times slower to ask. Retired blocks leave both (RunSystem asks the JitState which); when that
  // cannot be told, `jc` is cleared and `l2_generation` moves on, which every L2 entry must match.
  struct L2Entry {
    uint64_t vpc = 1;  // odd: matches no pc
    uint64_t key = 0;  // as JcEntry::key
    uint64_t generation = 0;
    const JBlock* blk = nullptr;
  };
  static constexpr unsigned kL2Bits = 14;
  static unsigned L2Index(uint64_t pc) {
    return static_cast<unsigned>(((pc >> 1) ^ (pc >> (1 + kL2Bits))) & ((1u << kL2Bits) - 1));
  }
  mem::SoftMmu* mmu = nullptr;
  uint64_t code_generation = 0;  // the code-page generation the write TLBs were marked for
  uint64_t jc_epoch = 0;         // the epoch `jc` and `l2` are valid for
  uint64_t l2_generation = 1;
  uint64_t refills_seen = 0, mmio_seen = 0;  // mmu.stats() when last added to the engine's counts
  std::unique_ptr<JcEntry[]> jc = std::make_unique<JcEntry[]>(kJcMask + 1);
  std::unique_ptr<L2Entry[]> l2 = std::make_unique<L2Entry[]>(size_t{1} << kL2Bits);
};

core::ExitInfo RunSystem(detail::JitState& js, ThreadData& td, core::Vcpu& vcpu);

}  // namespace polyvm::engine::jit
