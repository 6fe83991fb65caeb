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
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::jit {

class ThreadData;

namespace detail {

class JitState {
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
  void Log(std::string_view text) const;

 private:
  // translate_mu_ held. Lifts and compiles, flushing the arena when full and shortening the block
  // when it needs more frame slots than there are.
  JBlock* Compile(uint64_t pc, uint32_t* ir_before, uint32_t* ir_after);
  // map_mu_ held exclusively.
  void UnchainLocked(const std::vector<JBlock*>& blocks);
  void BumpEpochLocked();
  void FlushArenaLocked();  // translate_mu_ and map_mu_ (exclusive) held

  const ir::Lifter& lifter_;
  const ir::CodeReader& code_;
  const Options options_;

  std::mutex translate_mu_;           // one translator at a time (it owns the arena's top)
  mutable std::shared_mutex map_mu_;  // blocks_, arena_ pointer
  std::map<uint64_t, JBlock*> blocks_;
  uint32_t max_block_bytes_ = 1;
  std::unique_ptr<CodeArena> arena_;
  std::mutex chain_mu_;  // ExitRec::chained_to, JBlock::incoming, patches
  std::atomic<uint64_t> inval_seq_{0};

  std::atomic<uint64_t> epoch_{1};
  mutable std::mutex retire_mu_;
  std::vector<std::pair<uint64_t, std::unique_ptr<CodeArena>>> retired_;
  std::atomic<size_t> retired_count_{0};

  mutable std::mutex reg_mu_;
  std::vector<ThreadData*> threads_;
  uint64_t gone_chained_ = 0, gone_hits_ = 0, gone_misses_ = 0, gone_run_blocks_ = 0;

  mutable std::mutex stats_mu_;
  uint64_t blocks_translated_ = 0, translate_ns_ = 0;
  std::vector<uint32_t> translate_ns_samples_;
  uint64_t ir_before_ = 0, ir_after_ = 0, code_bytes_ = 0;
  uint64_t invalidate_calls_ = 0, blocks_invalidated_ = 0, flushes_ = 0, arenas_freed_ = 0;
  uint64_t stale_translations_ = 0, retries_ = 0;

  mutable std::mutex log_mu_;
};

}  // namespace detail
}  // namespace polyvm::engine::jit
