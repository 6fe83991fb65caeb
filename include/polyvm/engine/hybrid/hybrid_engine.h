// The hybrid engine: cold guest code runs in the interpreter, which counts block runs; blocks whose
// EWMA of runs (EwmaHotness) reaches a threshold move to the JIT and from then on run as chained
// host code; JIT blocks that keep running are recompiled as superblocks (the JIT's second tier:
// jit::SuperblockProfile, jit::FormSuperblock). docs/engines.md, "The hybrid engine", describes the policy and the hand-off.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

#include "polyvm/core/engine.h"
#include "polyvm/engine/hybrid/ewma_hotness.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::hybrid {

// The JIT's second tier (docs/engines.md, "Superblocks"), on by default in the hybrid engine.
struct SuperblockOptions : jit::SuperblockOptions {
  SuperblockOptions() { threshold = 32; }
};

struct Options {
  HotnessOptions hotness;
  SuperblockOptions superblock;
  // The tiers' own options (logs, block length, code cache size). Their `tier` hooks are the
  // hybrid engine's and are overwritten, and so is jit.superblock (by `superblock`).
  interp::Options interp;
  jit::Options jit;
};

class HybridEngine final : public core::ExecutionEngine {
 public:
  // `lifter` and `code` must outlive the engine and every Run.
  HybridEngine(const ir::Lifter& lifter, const ir::CodeReader& code, Options options = {});
  ~HybridEngine() override;
  HybridEngine(const HybridEngine&) = delete;
  HybridEngine& operator=(const HybridEngine&) = delete;

  std::string_view Name() const override { return "hybrid"; }
  core::ExitInfo Run(core::Vcpu& vcpu) override;
  void InvalidateCode(uint64_t addr, uint64_t size) override;
  void CollectStats(core::Stats& out) const override;

  // Whether the block at `pc` has moved to the JIT (for tests and tools).
  bool IsHot(uint64_t pc) const { return hotness_.IsHot(pc); }
  // Whether the JIT's translation at `pc` is a superblock.
  bool HasSuperblock(uint64_t pc) const { return jit_->HasSuperblock(pc); }

 private:
  uint32_t OnCount(uint64_t block_pc, uint32_t runs);

  EwmaHotness hotness_;
  std::atomic<uint64_t> clock_{0};  // interpreted block runs reported, all vCPUs
  std::unique_ptr<interp::Interpreter> interp_;
  std::unique_ptr<jit::JitEngine> jit_;

  std::atomic<uint64_t> reports_{0}, promotions_{0}, to_interp_{0}, to_jit_{0};
  std::atomic<uint64_t> insns_interp_{0}, insns_jit_{0}, code_syncs_{0};
};

}  // namespace polyvm::engine::hybrid
