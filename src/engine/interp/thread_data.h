// Per-vCPU data of the interpreter: the direct-mapped jump cache that makes most block lookups
// lock-free, the slot frame lowered code computes in, the epoch this vCPU has announced for safe
// reclamation of retired blocks, fault-recovery state and cheap statistics counters.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "lowered.h"
#include "polyvm/core/engine.h"
#include "polyvm/mem/soft_mmu.h"

namespace polyvm::engine::interp {

namespace detail {
class EngineState;
}

// A statistics counter written by one thread and read by others: a relaxed load and store, not a
// locked increment.
struct Counter {
  std::atomic<uint64_t> v{0};
  void Inc(uint64_t n = 1) { v.store(v.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }
  uint64_t Get() const { return v.load(std::memory_order_relaxed); }
};

struct JcEntry {
  uint64_t pc;
  const LInst* code;  // the block's first instruction (BlockOf finds the block)
};

inline constexpr unsigned kJcBits = 12;
inline constexpr unsigned kFrameBytes = 65536;  // operand offsets are 16-bit

// Guest instructions are at least 2-byte aligned on most guests; nearby blocks get distinct
// entries.
inline unsigned JcIndex(uint64_t pc) {
  return static_cast<unsigned>(pc >> 1) & ((1u << kJcBits) - 1);
}

// The per-vCPU fields the dispatch loop touches, laid out right before the slot frame: handlers
// reach them at a constant offset from the frame pointer, the one register they all use anyway,
// instead of keeping a second pointer live across the whole loop.
struct VcpuHot {
  // The lowered memory op or helper call in progress: a host fault resumes in Run, which finds
  // the guest pc through it.
  const LInst* cur_ip = nullptr;
  // Set by whoever retires blocks (after bumping the epoch): Execute then leaves the block loop at
  // the next boundary so Run can flush the jump cache and announce the new epoch.
  std::atomic<uint32_t> attention{0};
  uint32_t profile = 0;  // nonzero: exits count their runs (ExitRec::countdown) for RunTier
  Counter jc_hits, jc_misses, chained;
  Counter mmu_accesses;  // system mode: guest data accesses (inline hits and slow paths)
  JcEntry jc[1u << kJcBits];
};

struct VcpuArea {
  VcpuHot hot;
  alignas(64) char frame[kFrameBytes];
};
static_assert(std::is_standard_layout_v<VcpuArea>);

inline VcpuHot& HotOfFrame(char* frame) {
  return *reinterpret_cast<VcpuHot*>(reinterpret_cast<uintptr_t>(frame) -
                                     offsetof(VcpuArea, frame));
}

class ThreadData final : public core::EngineThreadData {
 public:
  explicit ThreadData(std::shared_ptr<detail::EngineState> engine);
  ~ThreadData() override;
  ThreadData(const ThreadData&) = delete;
  ThreadData& operator=(const ThreadData&) = delete;

  VcpuHot& hot() { return area.hot; }
  const VcpuHot& hot() const { return area.hot; }
  // An empty entry holds a pc that does not map to it, so no lookup (of any guest pc) matches.
  void FlushJumpCache() {
    constexpr unsigned kLast = (1u << kJcBits) - 1;
    for (unsigned i = 0; i < kLast; ++i) area.hot.jc[i] = {~uint64_t{0}, nullptr};  // maps to kLast
    area.hot.jc[kLast] = {0, nullptr};                                             // maps to 0
  }

  // The epoch the jump cache is valid for.
  uint64_t jc_epoch = 0;
  // What reclamation reads: 0 while outside Run, else an epoch this vCPU has seen, and so no
  // block retired before it can still be reached from here.
  std::atomic<uint64_t> announced{0};
  Counter run_blocks;

  // System mode: the vCPU's soft MMU (null in user mode), the code-page generation its write TLBs
  // were last marked for, and snapshots of the MMU's own counters taken when Run returns.
  mem::SoftMmu* mmu = nullptr;
  uint64_t code_generation = 0;
  Counter mmu_refills, mmu_mmio;

  const std::shared_ptr<detail::EngineState> engine;

  alignas(64) VcpuArea area;
};

}  // namespace polyvm::engine::interp
