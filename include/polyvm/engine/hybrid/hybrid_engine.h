// The hybrid engine: cold guest code runs in the interpreter, which counts block runs; blocks whose
// EWMA of runs (EwmaHotness) reaches a threshold move to the JIT and from then on run as chained
// host code; JIT blocks that keep running are recompiled as superblocks (SuperblockProfile,
// FormSuperblock). docs/engines.md, "The hybrid engine", describes the policy and the hand-off.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string_view>

#include "polyvm/core/engine.h"
#include "polyvm/engine/hybrid/ewma_hotness.h"
#include "polyvm/engine/hybrid/superblock_profile.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::hybrid {

// The second tier (docs/engines.md, "Superblocks").
struct SuperblockOptions {
  // Runs of a first-tier JIT block (counted at its unchained direct exits) after which it is
  // recompiled as a superblock; 0 disables the second tier.
  uint32_t threshold = 32;
  uint32_t max_insns = 256;  // guest instructions in a superblock at most
};

struct Options {
  HotnessOptions hotness;
  SuperblockOptions superblock;
  // The tiers' own options (logs, block length, code cache size). Their `tier` hooks are the
  // hybrid engine's and are overwritten.
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
  // The JIT's unchained exits: the second tier's profile and trigger.
  bool OnLink(uint64_t block_pc, uint64_t target, bool superblock);

  const ir::Lifter& lifter_;
  const ir::CodeReader& code_;
  const SuperblockOptions sb_options_;
  const uint32_t block_insns_;  // the JIT's block length, for the superblocks' parts
  EwmaHotness hotness_;
  SuperblockProfile sb_profile_;
  std::atomic<uint64_t> clock_{0};  // interpreted block runs reported, all vCPUs
  std::unique_ptr<interp::Interpreter> interp_;
  std::unique_ptr<jit::JitEngine> jit_;

  std::atomic<uint64_t> reports_{0}, promotions_{0}, to_interp_{0}, to_jit_{0};
  std::atomic<uint64_t> insns_interp_{0}, insns_jit_{0}, code_syncs_{0};
  std::atomic<uint64_t> sb_built_{0}, sb_declined_{0}, sb_insns_{0}, sb_parts_{0};
};

}  // namespace polyvm::engine::hybrid
