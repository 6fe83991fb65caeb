// The shared block cache, epoch-based reclamation and statistics (see engine_state.h).
//
// Reclamation protocol: a block is removed from the map and appended to `retired_` tagged with
// the current epoch e, then the epoch becomes e + 1. A vCPU announces an epoch only after it has
// flushed its jump cache at that epoch (or 0 while outside Run), so a vCPU announcing a > e can no
// longer reach the block. It is freed once every active vCPU announces more than e. Entering Run
// announces with a sequentially consistent store before re-reading the epoch, so a reclaimer
// either sees the announcement or the vCPU sees the new epoch and flushes.
#include "engine_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>

#include "polyvm/engine/common/system_code.h"
#include "thread_data.h"

namespace polyvm::engine::interp::detail {

EngineState::EngineState(const ir::Lifter& lifter, const ir::CodeReader& code, Options options)
    : lifter_(lifter), code_(code), options_(std::move(options)) {}

EngineState::~EngineState() {
  for (auto& [pc, blk] : blocks_) delete blk;
  for (auto& [epoch, blk] : retired_) delete blk;
}

const LBlock* EngineState::Find(const BlockKey& key) const {
  find_calls_.fetch_add(1, std::memory_order_relaxed);
  std::shared_lock lock(map_mu_);
  auto it = blocks_.find(key);
  return it == blocks_.end() ? nullptr : it->second;
}

std::unique_ptr<LBlock> EngineState::TranslateUnlocked(uint64_t pc, const ir::CodeReader& code) {
  const auto t0 = common::TranslationStats::Clock::now();
  uint32_t before = 0, after = 0;
  std::unique_ptr<LBlock> blk = LiftAndLower(pc, code, &before, &after);
  std::lock_guard lock(stats_mu_);
  translations_.Record(t0, before, after);
  lowered_insts_ += blk->code_size;
  return blk;
}

void EngineState::PublishLocked(LBlock* raw) {
  blocks_.emplace(raw->key, raw);
  max_block_bytes_ = std::max(max_block_bytes_, std::max<uint32_t>(raw->size, 1));
  if (!options_.system_mode) return;
  raw->pages_registered = true;
  bool fresh = code_pages_.Add(raw->key.addr & mem::kTlbPageMask);
  if (raw->page2 != kNoSecondPage) {
    by_page2_.emplace(raw->page2, raw);
    fresh |= code_pages_.Add(raw->page2);
  }
  if (fresh) {
    // Other vCPUs leave chained code at their next block boundary and mark their write TLBs.
    std::lock_guard lock(reg_mu_);
    for (ThreadData* td : threads_) td->hot().attention.store(1, std::memory_order_seq_cst);
  }
}

const LBlock* EngineState::Translate(uint64_t pc, bool* published) {
  *published = true;
  uint64_t seq = inval_seq_.load(std::memory_order_acquire);
  std::unique_ptr<LBlock> blk = TranslateUnlocked(pc, code_);
  blk->key = BlockKey{pc, pc, 0};

  std::unique_lock lock(map_mu_);
  if (auto it = blocks_.find(blk->key); it != blocks_.end()) return it->second;  // another vCPU won
  LBlock* raw = blk.release();
  if (inval_seq_.load(std::memory_order_acquire) != seq) {
    std::vector<LBlock*> stale{raw};
    RetireLocked(stale);
    *published = false;
    std::lock_guard slock(stats_mu_);
    ++stale_translations_;
    return raw;
  }
  PublishLocked(raw);
  return raw;
}

const LBlock* EngineState::TranslateSystem(const BlockKey& key, mem::SoftMmu& mmu,
                                           bool* published) {
  *published = true;
  uint64_t seq = inval_seq_.load(std::memory_order_acquire);
  MmuCodeReader reader(mmu);
  std::unique_ptr<LBlock> blk = TranslateUnlocked(key.vpc, reader);
  blk->key = key;
  const ExitRec& last = blk->exits[0];
  bool fetch_fault = last.kind == ir::ExitKind::kTrap && last.trap == core::TrapCode::kFetchFault;
  // The lifter fetched every byte, so the second page translates (unless the block ends in a
  // fetch fault, which is never published).
  bool second_ok = SecondPagePhysical(mmu, key.vpc, blk->size, &blk->page2);

  std::unique_lock lock(map_mu_);
  std::vector<LBlock*> gone;
  if (auto it = blocks_.find(key); it != blocks_.end()) {
    if (it->second->page2 == blk->page2 && !fetch_fault) return it->second;  // another vCPU won
    gone.push_back(it->second);  // lifted when its second page mapped elsewhere
    blocks_.erase(it);
  }
  LBlock* raw = blk.release();
  if (fetch_fault || !second_ok || inval_seq_.load(std::memory_order_acquire) != seq) {
    gone.push_back(raw);
    RetireLocked(gone);
    *published = false;
    std::lock_guard slock(stats_mu_);
    if (!fetch_fault) ++stale_translations_;
    return raw;
  }
  if (!gone.empty()) RetireLocked(gone);
  PublishLocked(raw);
  return raw;
}

void EngineState::Link(const LBlock* src, const ExitRec* er, unsigned dir,
                       const LInst* target_code) {
  const LBlock* dst = BlockOf(target_code);
  std::shared_lock map_lock(map_mu_);
  std::lock_guard chain_lock(chain_mu_);
  auto published = [&](const LBlock* b) {
    auto it = blocks_.find(b->key);
    return it != blocks_.end() && it->second == b;
  };
  // Retiring either block unlinks under these locks, so a link made here cannot outlive them.
  if (!published(src) || !published(dst) || er->chain[dir].load() != nullptr) return;
  er->chained_to[dir] = dst;
  dst->incoming.emplace_back(er, dir);
  er->chain[dir].store(target_code, std::memory_order_release);
}

void EngineState::RetireLocked(std::vector<LBlock*>& blocks) {
  for (LBlock* b : blocks) {
    if (!b->pages_registered) continue;
    b->pages_registered = false;
    code_pages_.Remove(b->key.addr & mem::kTlbPageMask);
    if (b->page2 == kNoSecondPage) continue;
    code_pages_.Remove(b->page2);
    auto [lo, hi] = by_page2_.equal_range(b->page2);
    for (auto it = lo; it != hi; ++it) {
      if (it->second == b) {
        by_page2_.erase(it);
        break;
      }
    }
  }
  {
    // Unchain: exits leading into the retired blocks stop doing so (a vCPU that already read a
    // chain still runs the retired block safely: it has not announced a newer epoch), and the
    // retired blocks' own links leave their successors' lists.
    std::lock_guard chain_lock(chain_mu_);
    for (LBlock* b : blocks) {
      for (auto [e, dir] : b->incoming) {
        e->chain[dir].store(nullptr, std::memory_order_relaxed);
        e->chained_to[dir] = nullptr;
      }
      b->incoming.clear();
      for (uint32_t i = 0; i < b->num_exits; ++i) {
        const ExitRec* e = &b->exits[i];
        for (unsigned dir = 0; dir < 2; ++dir) {
          const LBlock* t = e->chained_to[dir];
          if (t == nullptr) continue;
          auto& in = t->incoming;
          in.erase(std::remove(in.begin(), in.end(), std::pair<const ExitRec*, unsigned>(e, dir)),
                   in.end());
          e->chained_to[dir] = nullptr;
        }
      }
    }
  }
  {
    std::lock_guard lock(retire_mu_);
    uint64_t e = epoch_.load(std::memory_order_seq_cst);
    for (LBlock* b : blocks) retired_.emplace_back(e, b);
    retired_count_.fetch_add(blocks.size(), std::memory_order_seq_cst);
  }
  epoch_.fetch_add(1, std::memory_order_seq_cst);
  std::lock_guard lock(reg_mu_);
  for (ThreadData* td : threads_) td->hot().attention.store(1, std::memory_order_seq_cst);
}

void EngineState::Invalidate(uint64_t addr, uint64_t size) {
  if (size == 0) return;
  std::vector<LBlock*> gone;
  {
    std::unique_lock lock(map_mu_);
    inval_seq_.fetch_add(1, std::memory_order_seq_cst);
    uint64_t end = addr + size < addr ? std::numeric_limits<uint64_t>::max() : addr + size;
    uint64_t lo = addr >= max_block_bytes_ ? addr - max_block_bytes_ + 1 : 0;
    for (auto it = blocks_.lower_bound(BlockKey{lo, 0, 0});
         it != blocks_.end() && it->first.addr < end;) {
      uint64_t bsize = std::max<uint32_t>(it->second->size, 1);
      if (it->first.addr + bsize > addr) {
        gone.push_back(it->second);
        it = blocks_.erase(it);
      } else {
        ++it;
      }
    }
    // System mode: blocks whose second page overlaps the range (their key is the first page).
    for (auto it = by_page2_.lower_bound(addr & mem::kTlbPageMask);
         it != by_page2_.end() && it->first < end; ++it) {
      auto b = blocks_.find(it->second->key);
      if (b == blocks_.end() || b->second != it->second) continue;
      gone.push_back(it->second);
      blocks_.erase(b);
    }
    if (!gone.empty()) RetireLocked(gone);
  }
  {
    std::lock_guard lock(stats_mu_);
    ++invalidate_calls_;
    blocks_invalidated_ += gone.size();
  }
  Reclaim();
}

void EngineState::InvalidateAll() {
  std::vector<LBlock*> gone;
  {
    std::unique_lock lock(map_mu_);
    inval_seq_.fetch_add(1, std::memory_order_seq_cst);
    for (auto& [pc, blk] : blocks_) gone.push_back(blk);
    blocks_.clear();
    if (!gone.empty()) RetireLocked(gone);
  }
  {
    std::lock_guard lock(stats_mu_);
    ++invalidate_calls_;
    blocks_invalidated_ += gone.size();
  }
  Reclaim();
}

bool EngineState::HasCode(uint64_t paddr_page) const { return code_pages_.Contains(paddr_page); }

void EngineState::OnCodeWrite(uint64_t paddr, unsigned size) {
  code_writes_.fetch_add(1, std::memory_order_relaxed);
  if (!code_pages_.Overlaps(paddr, size)) return;  // the page's translations are gone already
  code_invalidations_.fetch_add(1, std::memory_order_relaxed);
  Invalidate(paddr, size);
}

void EngineState::SyncCodePages(ThreadData& td) {
  uint64_t g = code_pages_.generation();
  if (g == td.code_generation || td.mmu == nullptr) return;
  td.code_generation = g;
  std::vector<uint64_t> written;
  code_pages_.MarkWriteTlbs(*td.mmu, &written);
  for (uint64_t page : written) {
    unseen_write_pages_.fetch_add(1, std::memory_order_relaxed);
    Invalidate(page, mem::kTlbPageSize);
  }
}

void EngineState::MarkOwnCodePages(ThreadData& td, const LBlock* blk) {
  if (td.mmu == nullptr || code_pages_.generation() == td.code_generation) return;
  CodePages::MarkOwnWrites(*td.mmu, blk->key.addr & mem::kTlbPageMask);
  if (blk->page2 != kNoSecondPage) CodePages::MarkOwnWrites(*td.mmu, blk->page2);
}

void EngineState::Enter(ThreadData& td) {
  td.announced.store(epoch_.load(std::memory_order_seq_cst), std::memory_order_seq_cst);
  SyncEpoch(td);
}

void EngineState::Leave(ThreadData& td) {
  td.announced.store(0, std::memory_order_seq_cst);
  if (retired_count_.load(std::memory_order_relaxed) != 0) Reclaim();
}

void EngineState::SyncEpoch(ThreadData& td) {
  // Cleared before reading the epoch: a retirement after the read sets it again.
  if (td.hot().attention.load(std::memory_order_relaxed) != 0) {
    td.hot().attention.store(0, std::memory_order_seq_cst);
  }
  uint64_t e = epoch_.load(std::memory_order_seq_cst);
  if (e == td.jc_epoch) return;
  td.FlushJumpCache();
  td.jc_epoch = e;
  td.announced.store(e, std::memory_order_seq_cst);
  if (retired_count_.load(std::memory_order_relaxed) != 0) Reclaim();
}

void EngineState::Reclaim() {
  if (retired_count_.load(std::memory_order_seq_cst) == 0) return;
  uint64_t min_active = std::numeric_limits<uint64_t>::max();
  {
    std::lock_guard lock(reg_mu_);
    for (const ThreadData* td : threads_) {
      uint64_t a = td->announced.load(std::memory_order_seq_cst);
      if (a != 0) min_active = std::min(min_active, a);
    }
  }
  std::vector<LBlock*> dead;
  {
    std::lock_guard lock(retire_mu_);
    auto keep = std::partition(retired_.begin(), retired_.end(),
                               [&](const auto& r) { return r.first >= min_active; });
    for (auto it = keep; it != retired_.end(); ++it) dead.push_back(it->second);
    retired_.erase(keep, retired_.end());
    retired_count_.store(retired_.size(), std::memory_order_seq_cst);
  }
  for (LBlock* b : dead) delete b;
  if (!dead.empty()) {
    std::lock_guard lock(stats_mu_);
    blocks_freed_ += dead.size();
  }
}

void EngineState::Register(ThreadData* td) {
  std::lock_guard lock(reg_mu_);
  threads_.push_back(td);
}

void EngineState::Unregister(ThreadData* td) {
  std::lock_guard lock(reg_mu_);
  threads_.erase(std::remove(threads_.begin(), threads_.end(), td), threads_.end());
  gone_jc_hits_ += td->hot().jc_hits.Get();
  gone_jc_misses_ += td->hot().jc_misses.Get();
  gone_chained_ += td->hot().chained.Get();
  gone_run_blocks_ += td->run_blocks.Get();
  gone_mmu_accesses_ += td->hot().mmu_accesses.Get();
  gone_mmu_refills_ += td->mmu_refills.Get();
  gone_mmu_mmio_ += td->mmu_mmio.Get();
}

void EngineState::CollectStats(core::Stats& out) const {
  uint64_t hits, misses, loops, run_blocks, mmu_accesses, mmu_refills, mmu_mmio;
  {
    std::lock_guard lock(reg_mu_);
    hits = gone_jc_hits_;
    misses = gone_jc_misses_;
    loops = gone_chained_;
    run_blocks = gone_run_blocks_;
    mmu_accesses = gone_mmu_accesses_;
    mmu_refills = gone_mmu_refills_;
    mmu_mmio = gone_mmu_mmio_;
    for (const ThreadData* td : threads_) {
      hits += td->hot().jc_hits.Get();
      misses += td->hot().jc_misses.Get();
      loops += td->hot().chained.Get();
      run_blocks += td->run_blocks.Get();
      mmu_accesses += td->hot().mmu_accesses.Get();
      mmu_refills += td->mmu_refills.Get();
      mmu_mmio += td->mmu_mmio.Get();
    }
  }
  size_t cached;
  {
    std::shared_lock lock(map_mu_);
    cached = blocks_.size();
  }
  std::lock_guard lock(stats_mu_);
  auto d = [](uint64_t v) { return static_cast<double>(v); };
  translations_.Collect("interp", out);
  out.Add("interp.lowered_insts", d(lowered_insts_));
  out.Add("interp.blocks_executed", d(hits + loops + run_blocks));
  out.Add("interp.chained_exits", d(loops));
  out.Add("interp.jump_cache_lookups", d(hits + misses));
  out.Add("interp.jump_cache_misses", d(misses));
  out.Add("interp.cache_lookups", d(find_calls_.load(std::memory_order_relaxed)));
  out.Add("interp.cache_misses", d(translations_.blocks()));
  out.Add("interp.cached_blocks", d(cached));
  out.Add("interp.invalidations", d(invalidate_calls_));
  out.Add("interp.blocks_invalidated", d(blocks_invalidated_));
  out.Add("interp.blocks_freed", d(blocks_freed_));
  out.Add("interp.stale_translations", d(stale_translations_));
  out.Add("interp.lower_retries", d(lower_retries_));
  if (options_.system_mode) {
    out.Add("mmu.accesses", d(mmu_accesses));
    out.Add("mmu.refills", d(mmu_refills));
    out.Add("mmu.mmio", d(mmu_mmio));
    out.Add("mmu.code_writes", d(code_writes_.load(std::memory_order_relaxed)));
    out.Add("mmu.code_invalidations", d(code_invalidations_.load(std::memory_order_relaxed)));
    out.Add("interp.code_syncs_kept", d(code_syncs_.load(std::memory_order_relaxed)));
    out.Add("interp.unseen_write_pages", d(unseen_write_pages_.load(std::memory_order_relaxed)));
  }
}

void EngineState::Log(std::string_view text) const {
  std::lock_guard lock(log_mu_);
  if (options_.log_sink) {
    options_.log_sink(text);
    return;
  }
  FILE* f = options_.log_file != nullptr ? options_.log_file : stderr;
  fwrite(text.data(), 1, text.size(), f);
  fflush(f);
}

}  // namespace polyvm::engine::interp::detail
