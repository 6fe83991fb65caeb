// What all vCPUs of one JitEngine share: the translation map by guest pc, the code arena, chaining,
// the epoch and retired-arena list behind safe reclamation, the registry of per-vCPU data,
// statistics and the translation log. Thread-safe; vCPUs reach it on jump-cache misses, link
// requests, epoch changes and when they enter or leave Run.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "block.h"
#include "code_arena.h"
#include "polyvm/core/stats.h"
#include "polyvm/engine/common/code_pages.h"
#include "polyvm/engine/common/translation_stats.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/ir/lifter.h"
#include "polyvm/mem/soft_mmu.h"

namespace polyvm::engine::jit {

class ThreadData;

namespace detail {

// System mode: where a translation is filed (docs/system-mode.md, "Translated code"): physical pc
// first, so invalidation by physical range is a range of the map, then virtual pc and fetch
// context.
struct SysKey {
  uint64_t addr = 0;  // physical pc
  uint64_t vpc = 0;
  uint32_t ctx = 0;
  auto operator<=>(const SysKey&) const = default;
};

// In system mode it is also the CodeTracker of every vCPU's soft MMU (system_state.cpp).
class JitState final : public mem::CodeTracker {
 public:
  JitState(const ir::Lifter& lifter, const ir::CodeReader& code, Options options);
  ~JitState();

  const JBlock* Find(uint64_t pc) const;
  // Translates the block at pc and publishes it, unless an invalidation ran meanwhile (then it
  // runs this once, unpublished: *published = false). Returns the cached block if another vCPU
  // published one first.
  const JBlock* Translate(uint64_t pc, bool* published);
  // Chains direction `dir` of exit `e` to `dst` if both blocks are still published; true if it
  // did.
  bool Link(ExitRec* e, unsigned dir, const JBlock* dst);
  void Invalidate(uint64_t addr, uint64_t size);
  void InvalidateAll();
  EnterFn enter() const;
  // The site of the inline guest memory access at host pc `host_pc` (in any arena not yet freed),
  // or null.
  const SiteRec* SiteAt(uintptr_t host_pc) const;

  void Enter(ThreadData& td);
  void Leave(ThreadData& td);
  void SyncEpoch(ThreadData& td);
  void Reclaim();
  void Register(ThreadData* td);
  void Unregister(ThreadData* td);

  void CollectStats(core::Stats& out) const;
  const Options& options() const { return options_; }
  const ir::Lifter& lifter() const { return lifter_; }
  const ir::CodeReader& code() const { return code_; }
  // The block at pc compiled to run while fp_round is a mode MXCSR lacks (Status::
  // kRoundingVariant: RISC-V's RMM): its FP ops check the mode each and run out of line. Cached,
  // never published: its exits always return to Run, which checks the mode again.
  const JBlock* RoundingVariant(uint64_t pc);

  // ---- the second tier (jit_superblock.cpp) ----
  bool InstallSuperblock(const JitEngine::SuperblockBuilder& build);
  bool IsSuperblock(const JBlock* b) const;
  // Whether `b` is the translation the map holds for its pc (user mode).
  bool IsCurrent(const JBlock* b) const;
  void CollectSuperblockStats(core::Stats& out) const;  // jit.superblock* (nothing if none)
  // Asks tier.on_link whether to chain exit `e` (of a current translation) to `target` now.
  bool MayLink(const TierHooks& tier, const ExitRec& e, uint64_t target) const;

  // ---- system mode (system_state.cpp) ----
  const JBlock* FindSystem(const SysKey& key) const;
  // Translates the block with `key`, lifting through `mmu` (the running vCPU's), and publishes it
  // unless it ends in a fetch fault, its second page no longer translates, or an invalidation ran
  // meanwhile (*published = false: run it once). A published block with the same key but another
  // second page is replaced.
  const JBlock* TranslateSystem(const SysKey& key, mem::SoftMmu& mmu, bool* published);
  bool HasCode(uint64_t paddr_page) const override;
  void OnCodeWrite(uint64_t paddr, unsigned size) override;
  const CodePages& code_pages() const { return code_pages_; }
  // A vCPU may have stored into this code page unseen (system_run.cpp, SyncCodePages).
  void InvalidateWrittenPage(uint64_t page);
  void CountCodeSync() { code_syncs_.fetch_add(1, std::memory_order_relaxed); }
  // Calls forget(pc, block) for each block retired in the epochs after `after` up to `upto`, so
  // that a vCPU's run-loop caches drop just those (system_run.cpp); false if the log no longer
  // reaches back that far (an arena flush, or a long-absent vCPU): then forget everything.
  template <typename F>
  bool ForgetRetired(uint64_t after, uint64_t upto, F forget) const {
    std::lock_guard lock(retired_log_mu_);
    if (after < retired_log_floor_) return false;
    for (const RetiredBlock& r : retired_log_) {
      if (r.epoch > after && r.epoch <= upto) forget(r.pc, r.blk);
    }
    return true;
  }
  void CollectSystemStats(core::Stats& out) const;  // mmu.*
  // A vCPU leaving Run adds what its MMU counted since it last did.
  void AddMmuCounts(uint64_t accesses, uint64_t refills, uint64_t mmio) {
    mmu_accesses_.fetch_add(accesses, std::memory_order_relaxed);
    mmu_refills_.fetch_add(refills, std::memory_order_relaxed);
    mmu_mmio_.fetch_add(mmio, std::memory_order_relaxed);
  }
  void Log(std::string_view text) const;

 private:
  // translate_mu_ held. Lifts and compiles, flushing the arena when full and shortening the block
  // when it needs more frame slots than there are.
  JBlock* Compile(uint64_t pc, const ir::CodeReader& code, bool system, uint32_t* ir_before,
                  uint32_t* ir_after, std::vector<JitEngine::CodeRange>* parts = nullptr,
                  bool rounding_variant = false);
  // Appends the blocks at the targets of direct jumps ending b (user mode; Compile).
  void LiftThroughJumps(const ir::CodeReader& code, uint32_t max_insns, ir::Block& b,
                        std::vector<JitEngine::CodeRange>& parts) const;
  // map_mu_ held exclusively.
  void UnchainLocked(const std::vector<JBlock*>& blocks);
  // A new epoch retiring `gone` (null: every block), which jump caches must forget; in system
  // mode the blocks are noted first for ForgetRetired.
  void BumpEpochLocked(const std::vector<JBlock*>* gone);
  void LogRetiredLocked(const std::vector<JBlock*>* gone);
  void FlushArenaLocked();  // translate_mu_ and map_mu_ (exclusive) held
  void ReportSharedCode() const;  // the new arena's shared code to Options::on_translation
  // Translation statistics of one compiled block.
  void CountTranslation(const JBlock* blk, common::TranslationStats::Clock::time_point t0,
                        uint32_t before, uint32_t after);
  // map_mu_ held: b is the block filed under its key (either map).
  bool PublishedLocked(const JBlock* b) const;
  // map_mu_ held exclusively (system mode): files b and counts its code pages; forgets them.
  void PublishSystemLocked(const SysKey& key, JBlock* b);
  void UnregisterPagesLocked(JBlock* b);
  // map_mu_ held exclusively: unpublishes the system blocks with code in physical [addr, end).
  void InvalidateSystemLocked(uint64_t addr, uint64_t end, std::vector<JBlock*>* gone);

  const ir::Lifter& lifter_;
  const ir::CodeReader& code_;
  const Options options_;

  std::mutex translate_mu_;           // one translator at a time (it owns the arena's top)
  mutable std::shared_mutex map_mu_;  // blocks_, arena_ pointer
  std::map<uint64_t, JBlock*> blocks_;
  // Rounding variants by pc (RoundingVariant), dropped with every invalidation and flush.
  std::map<uint64_t, JBlock*> rounding_variants_;
  std::map<SysKey, JBlock*> sys_blocks_;       // system mode: blocks by key
  std::multimap<uint64_t, JBlock*> by_page2_;  // system mode: blocks by their second page
  CodePages code_pages_;
  std::atomic<uint64_t> code_writes_{0}, code_invalidations_{0};
  std::atomic<uint64_t> mmu_accesses_{0}, mmu_refills_{0}, mmu_mmio_{0};
  std::atomic<uint64_t> code_syncs_{0}, unseen_write_pages_{0};
  uint32_t max_block_bytes_ = 1;
  std::unique_ptr<CodeArena> arena_;
  // arena_->enter(), read without map_mu_ at every entry from Run: a vCPU that reads the retired
  // arena's still runs it safely (its announced epoch keeps that arena mapped).
  std::atomic<EnterFn> enter_fn_{nullptr};
  std::mutex chain_mu_;  // ExitRec::chained_to, JBlock::incoming, patches
  std::atomic<uint64_t> inval_seq_{0};

  std::atomic<uint64_t> epoch_{1};
  mutable std::mutex retire_mu_;
  std::vector<std::pair<uint64_t, std::unique_ptr<CodeArena>>> retired_;
  std::atomic<size_t> retired_count_{0};
  struct RetiredBlock {
    uint64_t epoch;  // the epoch whose bump retired it
    uint64_t pc;
    const JBlock* blk;
  };
  mutable std::mutex retired_log_mu_;
  std::vector<RetiredBlock> retired_log_;
  uint64_t retired_log_floor_ = 0;  // the log lacks the blocks of epochs up to this one

  mutable std::mutex reg_mu_;
  std::vector<ThreadData*> threads_;
  uint64_t gone_chained_ = 0, gone_ret_misses_ = 0, gone_misses_ = 0, gone_run_blocks_ = 0;

  mutable std::mutex stats_mu_;
  common::TranslationStats translations_;
  uint64_t code_bytes_ = 0;
  uint64_t invalidate_calls_ = 0, blocks_invalidated_ = 0, flushes_ = 0, arenas_freed_ = 0;
  uint64_t stale_translations_ = 0, retries_ = 0;

  mutable std::mutex log_mu_;

  // ---- the second tier (jit_superblock.cpp) ----
  // map_mu_ held exclusively: unpublishes the superblocks with code in [addr, end).
  void InvalidateSuperblocksLocked(uint64_t addr, uint64_t end, std::vector<JBlock*>* gone);
  // The published superblocks and the guest code of their parts (map_mu_).
  std::map<const JBlock*, std::vector<JitEngine::CodeRange>> superblocks_;
  uint64_t superblocks_translated_ = 0, superblock_ns_ = 0;  // stats_mu_
  uint64_t superblocks_refused_ = 0;                         // stats_mu_
};

}  // namespace detail
}  // namespace polyvm::engine::jit
