// What all vCPUs of one Interpreter share: the block cache (translations by guest pc), the epoch
// and retired-block list behind safe reclamation, the registry of per-vCPU data, translation
// statistics and the translation log. Thread-safe; vCPUs reach it only on jump-cache misses, at
// epoch changes and when they enter or leave Run.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "lowered.h"
#include "polyvm/core/stats.h"
#include "polyvm/engine/common/code_pages.h"
#include "polyvm/engine/common/translation_stats.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/ir/lifter.h"
#include "polyvm/mem/soft_mmu.h"

namespace polyvm::engine::interp {

class ThreadData;

namespace detail {

// In system mode it is also the CodeTracker of every vCPU's soft MMU: stores to physical pages
// holding translations invalidate them.
class EngineState final : public mem::CodeTracker {
 public:
  EngineState(const ir::Lifter& lifter, const ir::CodeReader& code, Options options);
  ~EngineState() override;  // frees every block; no vCPU can be running (they hold a reference)

  // ---- the block cache ----
  const LBlock* Find(uint64_t pc) const { return Find(BlockKey{pc, pc, 0}); }
  const LBlock* Find(const BlockKey& key) const;
  // Lifts, optimises and lowers the block at pc and publishes it, unless an invalidation ran
  // meanwhile (the guest bytes read may be stale): then it is retired at once, still returned for
  // this one run, and *published is false. Returns the cached block if another vCPU published one
  // first.
  const LBlock* Translate(uint64_t pc, bool* published);
  // System mode: the same for `key` = {physical pc, virtual pc, fetch context}, lifting through
  // `mmu` (the running vCPU's). A block ending in a fetch fault is never published (the page may
  // be mapped by the time the guest comes back). A published block with the same key but another
  // second page is replaced.
  const LBlock* TranslateSystem(const BlockKey& key, mem::SoftMmu& mmu, bool* published);
  void Invalidate(uint64_t addr, uint64_t size);
  void InvalidateAll();
  // Chains exit `er` (direction dir) of block `src` to the block starting at `target_code` if both
  // are still published, so later passes skip the jump-cache lookup.
  void Link(const LBlock* src, const ExitRec* er, unsigned dir, const LInst* target_code);

  // ---- epochs and reclamation ----
  // Bumped whenever blocks are retired; a vCPU that has seen epoch e has flushed its jump cache
  // since, so it cannot reach blocks retired before e.
  const std::atomic<uint64_t>& epoch() const { return epoch_; }
  void Enter(ThreadData& td);      // a vCPU enters Run
  void Leave(ThreadData& td);      // ... and leaves it
  void SyncEpoch(ThreadData& td);  // flushes td's jump cache if the epoch moved, announces it
  void Reclaim();                  // frees retired blocks no vCPU can reach

  // ---- system mode: the code tracker ----
  bool HasCode(uint64_t paddr_page) const override;
  void OnCodeWrite(uint64_t paddr, unsigned size) override;
  // Before td's next block: marks its write-TLB entries of pages that got code since last time.
  // An entry found unmarked may have stored into its page after another vCPU translated it,
  // unseen by the tracker: that page's translations are dropped. So every store reaches the
  // translations before the storing vCPU can tell anyone (a remote fence.i is an SBI call, which
  // leaves Run), and fence.i keeps them all (docs/engines.md).
  void SyncCodePages(ThreadData& td);
  // After td translated `blk`: its write-TLB entries of the block's pages get the code flag (its
  // stores there came before the translation read them), when pages got code since its last sync.
  void MarkOwnCodePages(ThreadData& td, const LBlock* blk);
  void CountCodeSync() { code_syncs_.fetch_add(1, std::memory_order_relaxed); }

  void Register(ThreadData* td);
  void Unregister(ThreadData* td);

  void CollectStats(core::Stats& out) const;
  const Options& options() const { return options_; }
  void Log(std::string_view text) const;

 private:
  std::unique_ptr<LBlock> LiftAndLower(uint64_t pc, const ir::CodeReader& code, uint32_t* ir_before,
                                       uint32_t* ir_after);
  // Lifts and lowers outside the lock; records statistics.
  std::unique_ptr<LBlock> TranslateUnlocked(uint64_t pc, const ir::CodeReader& code);
  // map_mu_ held exclusively: files a new block and (system mode) counts its code pages.
  void PublishLocked(LBlock* blk);
  // map_mu_ held exclusively; takes retire_mu_ and reg_mu_ (lock order: map_mu_ first).
  void RetireLocked(std::vector<LBlock*>& blocks);

  const ir::Lifter& lifter_;
  const ir::CodeReader& code_;
  const Options options_;

  mutable std::shared_mutex map_mu_;
  std::map<BlockKey, LBlock*> blocks_;
  std::multimap<uint64_t, LBlock*> by_page2_;  // system mode: blocks by their second page
  CodePages code_pages_;
  uint32_t max_block_bytes_ = 1;
  std::mutex chain_mu_;  // ExitRec::chain / chained_to and LBlock::incoming; after map_mu_
  std::atomic<uint64_t> inval_seq_{0};  // bumped by every invalidation, even of nothing

  std::atomic<uint64_t> epoch_{1};
  std::mutex retire_mu_;
  std::vector<std::pair<uint64_t, LBlock*>> retired_;  // (epoch when retired, block)
  std::atomic<size_t> retired_count_{0};

  mutable std::mutex reg_mu_;
  std::vector<ThreadData*> threads_;
  uint64_t gone_jc_hits_ = 0, gone_jc_misses_ = 0, gone_chained_ = 0, gone_run_blocks_ = 0;
  uint64_t gone_mmu_accesses_ = 0, gone_mmu_refills_ = 0, gone_mmu_mmio_ = 0;

  mutable std::mutex stats_mu_;
  common::TranslationStats translations_;
  uint64_t lowered_insts_ = 0;
  mutable std::atomic<uint64_t> find_calls_{0};
  uint64_t invalidate_calls_ = 0, blocks_invalidated_ = 0, blocks_freed_ = 0;
  uint64_t stale_translations_ = 0, lower_retries_ = 0;
  std::atomic<uint64_t> code_writes_{0}, code_invalidations_{0};
  std::atomic<uint64_t> code_syncs_{0}, unseen_write_pages_{0};

  mutable std::mutex log_mu_;
};

}  // namespace detail
}  // namespace polyvm::engine::interp
