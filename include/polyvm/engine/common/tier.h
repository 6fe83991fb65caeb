// The hooks through which engine/hybrid moves guest code between tiers (interpreter, JIT): an
// engine's RunTier stops where a tier decision is due and says why. docs/engines.md, "The hybrid
// engine", describes the protocol.
#pragma once

#include <cstdint>
#include <functional>

namespace polyvm::engine {

// Why RunTier returned to its caller without an ExitInfo to report (kNone: it has one).
enum class TierStop : uint8_t {
  kNone,
  kHot,        // on_count returned 0 for a block: state->pc is where execution continues
  kElsewhere,  // may_translate(state->pc) was false: another tier runs the code at state->pc
  kCodeSync,   // a kCodeSync exit (fence.i): state->pc is its target; nothing was invalidated
};

struct TierHooks {
  // Execution counting (the interpreter): an exit of the block at `block_pc` has run `count` times
  // since its last report (its first run reports 1). Returns how many runs until its next report;
  // 0 stops RunTier with kHot. Called from the vCPU's thread, outside any fault scope.
  std::function<uint32_t(uint64_t block_pc, uint32_t count)> on_count;
  // Asked before a block at `pc` is translated; false stops RunTier with kElsewhere.
  std::function<bool(uint64_t pc)> may_translate;
  // Chaining (the JIT): a direct exit of the translation at `block_pc` ran unchained to `target`
  // (`superblock`: that translation is a second-tier one). Returns whether to chain it now; false
  // leaves it unchained, so its next run asks again (the second tier's profile, engines.md).
  // Called from the vCPU's thread outside generated code and any lock; null: chain at once.
  std::function<bool(uint64_t block_pc, uint64_t target, bool superblock)> on_link;
};

}  // namespace polyvm::engine
