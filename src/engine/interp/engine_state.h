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
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::interp {

class ThreadData;

namespace detail {

class EngineState {
 public:
  EngineState(const ir::Lifter& lifter, const ir::CodeReader& code, Options options);
  ~EngineState();  // frees every block; no vCPU can be running (they hold a reference)

  // ---- the block cache ----
  const LBlock* Find(uint64_t pc) const;
  // Lifts, optimises and lowers the block at pc and publishes it, unless an invalidation ran
  // meanwhile (the guest bytes read may be stale): then it is retired at once, still returned for
  // this one run, and *published is false. Returns the cached block if another vCPU published one
  // first.
  const LBlock* Translate(uint64_t pc, bool* published);
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

  void Register(ThreadData* td);
  void Unregister(ThreadData* td);

  void CollectStats(core::Stats& out) const;
  const Options& options() const { return options_; }
  void Log(std::string_view text) const;

 private:
  std::unique_ptr<LBlock> LiftAndLower(uint64_t pc, uint32_t* ir_before, uint32_t* ir_after);
  // map_mu_ held exclusively; takes retire_mu_ and reg_mu_ (lock order: map_mu_ first).
  void RetireLocked(std::vector<LBlock*>& blocks);

  const ir::Lifter& lifter_;
  const ir::CodeReader& code_;
  const Options options_;

  mutable std::shared_mutex map_mu_;
  std::map<uint64_t, LBlock*> blocks_;
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

  mutable std::mutex stats_mu_;
  uint64_t blocks_translated_ = 0;
  uint64_t translate_ns_ = 0;
  std::vector<uint32_t> translate_ns_samples_;
  uint64_t ir_before_ = 0, ir_after_ = 0, lowered_insts_ = 0;
  mutable std::atomic<uint64_t> find_calls_{0};
  uint64_t invalidate_calls_ = 0, blocks_invalidated_ = 0, blocks_freed_ = 0;
  uint64_t stale_translations_ = 0, lower_retries_ = 0;

  mutable std::mutex log_mu_;
};

}  // namespace detail
}  // namespace polyvm::engine::interp
