// The x86-64 JIT: translates IR blocks to host code with Xbyak, chains blocks through patchable
// jumps and looks indirect targets up in a per-vCPU table from the generated code itself.
// docs/jit.md explains the design (registers, code cache, fault recovery, what runs out of line).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "polyvm/core/engine.h"
#include "polyvm/engine/common/tier.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::jit {

namespace detail {
class JitState;
}
class SuperblockProfile;

// The second tier (docs/engines.md, "Superblocks"): a translation whose direct exits ran
// `threshold` times (counted while they are left unchained) is recompiled together with its hotter
// successors as one superblock.
struct SuperblockOptions {
  uint32_t threshold = 0;  // 0: no second tier (polyvm run's --engine=jit and hybrid use 32)
  uint32_t max_insns = 256;  // guest instructions in a superblock at most
};

struct Options {
  uint32_t max_insns = 64;  // guest instructions per block at most
  bool optimize = true;     // run ir::passes::Optimize on every block before code generation
  // User mode: a block ending in a direct jump continues with the block at its target, up to four
  // parts and max_insns (docs/jit.md, "Blocks through jumps").
  bool lift_through_jumps = true;
  // System mode: every Run needs vcpu.mmu; code is fetched and data accessed through the soft MMU
  // and translations are keyed by (virtual pc, physical pc, fetch context) (docs/system-mode.md).
  // The CodeReader given to the constructor is not used then.
  bool system_mode = false;
  // System mode: count guest data accesses for the `mmu.accesses` statistic (and the TLB hit rate
  // derived from it): an add to memory in every block that accesses memory, on every run of it.
  // `polyvm boot` counts only with --stats.
  bool count_mmu_accesses = true;
  // Bytes of the code arena (generated code and the records it points to). When it is full, every
  // translation is dropped and a fresh arena is started (the old one is freed once no vCPU can be
  // running in it).
  size_t code_cache_bytes = size_t{64} << 20;

  // Logging of each newly translated block (like qemu's -d in_asm,op,op_opt).
  bool log_in_asm = false;
  bool log_op = false;
  bool log_op_opt = false;
  // Where log text goes: `log_sink` if set, else `log_file` (stderr if null). Calls are serialised.
  std::function<void(std::string_view)> log_sink;
  FILE* log_file = nullptr;

  // User mode: the second tier (ignored in system mode).
  SuperblockOptions superblock;
  // Tiering (engine/hybrid): may_translate is asked by RunTier only; on_count is not called by
  // the JIT; on_link is the JIT's own when `superblock.threshold` is not 0.
  TierHooks tier;
  // Called after each translation, serialised (under the translation lock), e.g. for
  // /tmp/perf-PID.map and -d out_asm. The code stays valid until the next call may flush the
  // arena; `host_size` covers the block's code and the records that follow it in the arena.
  struct Translation {
    const uint8_t* host = nullptr;
    size_t host_size = 0;
    size_t body_size = 0;  // the straight-line body from `host` (before out-of-line stubs)
    uint64_t guest_pc = 0;
    uint32_t guest_size = 0;
    // Set for the arena's shared code (entry trampoline, epilogue, shared stubs), reported once
    // per code arena: its name; the guest fields are then 0.
    const char* shared = nullptr;
  };
  std::function<void(const Translation&)> on_translation;
};

class JitEngine final : public core::ExecutionEngine {
 public:
  // `lifter` and `code` must outlive the engine and every Run.
  JitEngine(const ir::Lifter& lifter, const ir::CodeReader& code, Options options = {});
  ~JitEngine() override;
  JitEngine(const JitEngine&) = delete;
  JitEngine& operator=(const JitEngine&) = delete;

  std::string_view Name() const override { return "jit"; }
  core::ExitInfo Run(core::Vcpu& vcpu) override;
  // Run for engine/hybrid: also stops where Options::tier asks (*stop says why; kNone: the
  // returned ExitInfo is an exit to report).
  core::ExitInfo RunTier(core::Vcpu& vcpu, TierStop* stop);
  void InvalidateCode(uint64_t addr, uint64_t size) override;
  void CollectStats(core::Stats& out) const override;

  // Forgets every translation (what a kCodeSync exit does).
  void InvalidateAll();

  // The host code of the block at `pc` (translated if needed) from its entry to the end of its
  // straight-line body, without the out-of-line stubs; empty if it cannot be translated. The
  // golden tests disassemble it with GNU objdump to pin instruction counts.
  std::vector<uint8_t> HostCode(uint64_t pc);

  // ---- the second tier (docs/engines.md "Superblocks") ----
  // Guest code a translation was built from: invalidating any byte of it drops the translation.
  struct CodeRange {
    uint64_t pc = 0;
    uint32_t size = 0;
  };
  // Fills `block` with a superblock's IR (lifted and stitched, not yet optimised) and `ranges`
  // with the guest code of its parts; false gives up.
  using SuperblockBuilder = std::function<bool(ir::Block& block, std::vector<CodeRange>& ranges)>;
  // Runs `build` under the translation lock, optimises and compiles its block, and makes it the
  // translation at its pc, replacing the one there (exits chained into that one are unchained and
  // link to the new one when they next run). An invalidation of any of `ranges` drops it. Returns
  // false, changing nothing, if `build` gives up, the block needs more frame slots than there
  // are, or an invalidation ran meanwhile (the bytes read may be stale).
  bool InstallSuperblock(const SuperblockBuilder& build);
  // Whether the translation at `pc` is one InstallSuperblock made (for tests and tools).
  bool HasSuperblock(uint64_t pc) const;

 private:
  // A direct exit of the translation at `block_pc` ran unchained to `target` (TierHooks::on_link):
  // counts it, and forms the block's superblock when its count is reached.
  bool OnLink(uint64_t block_pc, uint64_t target, bool superblock);
  void CollectSuperblockStats(core::Stats& out) const;

  const SuperblockOptions sb_options_;
  std::unique_ptr<SuperblockProfile> sb_profile_;  // null: no second tier
  std::atomic<uint64_t> sb_built_{0}, sb_declined_{0}, sb_insns_{0}, sb_parts_{0};
  std::shared_ptr<detail::JitState> state_;
};

}  // namespace polyvm::engine::jit
