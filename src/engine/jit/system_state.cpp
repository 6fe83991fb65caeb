// JitState in system mode (docs/jit.md, "System mode"): the translation map by
// (physical pc, virtual pc, fetch context), second pages, the code-page set behind the
// CodeTracker, and invalidation by physical range.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "jit_state.h"
#include "polyvm/engine/common/system_code.h"
#include "thread_data.h"

namespace polyvm::engine::jit::detail {

const JBlock* JitState::FindSystem(const SysKey& key) const {
  std::shared_lock lock(map_mu_);
  auto it = sys_blocks_.find(key);
  return it == sys_blocks_.end() ? nullptr : it->second;
}

bool JitState::PublishedLocked(const JBlock* b) const {
  if (b->system) {
    auto it = sys_blocks_.find(SysKey{b->ppc, b->pc, b->ctx});
    return it != sys_blocks_.end() && it->second == b;
  }
  auto it = blocks_.find(b->pc);
  return it != blocks_.end() && it->second == b;
}

void JitState::CountTranslation(const JBlock* blk, common::TranslationStats::Clock::time_point t0,
                                uint32_t before, uint32_t after) {
  std::lock_guard lock(stats_mu_);
  translations_.Record(t0, before, after);
  code_bytes_ += blk->code_bytes;
}

void JitState::PublishSystemLocked(const SysKey& key, JBlock* b) {
  sys_blocks_[key] = b;
  max_block_bytes_ = std::max(max_block_bytes_, std::max<uint32_t>(b->size, 1));
  b->pages_registered = true;
  bool fresh = code_pages_.Add(b->ppc & mem::kTlbPageMask);
  if (b->page2 != kNoSecondPage) {
    by_page2_.emplace(b->page2, b);
    fresh |= code_pages_.Add(b->page2);
  }
  if (fresh) {
    // Other vCPUs leave chained code at their next block boundary and mark their write TLBs.
    std::lock_guard lock(reg_mu_);
    for (ThreadData* td : threads_) td->hot->attention.store(1, std::memory_order_seq_cst);
  }
}

void JitState::UnregisterPagesLocked(JBlock* b) {
  if (!b->pages_registered) return;
  b->pages_registered = false;
  code_pages_.Remove(b->ppc & mem::kTlbPageMask);
  if (b->page2 == kNoSecondPage) return;
  code_pages_.Remove(b->page2);
  auto [lo, hi] = by_page2_.equal_range(b->page2);
  for (auto it = lo; it != hi; ++it) {
    if (it->second == b) {
      by_page2_.erase(it);
      break;
    }
  }
}

void JitState::InvalidateSystemLocked(uint64_t addr, uint64_t end, std::vector<JBlock*>* gone) {
  uint64_t lo = addr >= max_block_bytes_ ? addr - max_block_bytes_ + 1 : 0;
  std::vector<JBlock*> hit;
  for (auto it = sys_blocks_.lower_bound(SysKey{lo, 0, 0});
       it != sys_blocks_.end() && it->first.addr < end; ++it) {
    // A block's first page runs from its pc to the page end; its second page is by_page2_'s.
    uint64_t first_end =
        std::min<uint64_t>(it->first.addr + std::max<uint32_t>(it->second->size, 1),
                           (it->first.addr & mem::kTlbPageMask) + mem::kTlbPageSize);
    if (first_end > addr) hit.push_back(it->second);
  }
  for (auto it = by_page2_.lower_bound(addr & mem::kTlbPageMask);
       it != by_page2_.end() && it->first < end; ++it) {
    hit.push_back(it->second);
  }
  for (JBlock* b : hit) {
    auto it = sys_blocks_.find(SysKey{b->ppc, b->pc, b->ctx});
    if (it == sys_blocks_.end() || it->second != b) continue;  // listed twice
    sys_blocks_.erase(it);
    UnregisterPagesLocked(b);
    gone->push_back(b);
  }
}

const JBlock* JitState::TranslateSystem(const SysKey& key, mem::SoftMmu& mmu, bool* published) {
  *published = true;
  std::lock_guard tlock(translate_mu_);
  if (const JBlock* b = FindSystem(key)) {  // translated by another vCPU while this one waited
    if (SecondPageStillMaps(mmu, key.vpc, b->size, b->page2)) return b;
  }
  uint64_t seq = inval_seq_.load(std::memory_order_acquire);
  auto t0 = std::chrono::steady_clock::now();
  uint32_t before = 0, after = 0;
  MmuCodeReader reader(mmu);
  JBlock* blk = Compile(key.vpc, reader, true, &before, &after);
  blk->ppc = key.addr;
  blk->ctx = key.ctx;
  CountTranslation(blk, t0, before, after);
  // The lifter fetched every byte, so the second page translates (unless the block ends in a
  // fetch fault, which is never published).
  bool second_ok = SecondPagePhysical(mmu, key.vpc, blk->size, &blk->page2);

  std::unique_lock lock(map_mu_);
  std::vector<JBlock*> gone;
  if (auto it = sys_blocks_.find(key); it != sys_blocks_.end()) {
    gone.push_back(it->second);  // lifted when its second page mapped elsewhere
    UnregisterPagesLocked(it->second);
    sys_blocks_.erase(it);
  }
  if (!gone.empty()) {
    UnchainLocked(gone);
    BumpEpochLocked(&gone);
  }
  if (blk->fetch_fault || !second_ok || inval_seq_.load(std::memory_order_acquire) != seq) {
    *published = false;
    if (!blk->fetch_fault) {
      std::lock_guard slock(stats_mu_);
      ++stale_translations_;
    }
    return blk;
  }
  PublishSystemLocked(key, blk);
  lock.unlock();
  if (options_.on_translation) {  // still under translate_mu_: serialised, arena not flushed
    options_.on_translation({blk->entry, blk->code_bytes,
                             static_cast<size_t>(blk->body_end - blk->entry), key.vpc, blk->size});
  }
  return blk;
}

bool JitState::HasCode(uint64_t paddr_page) const { return code_pages_.Contains(paddr_page); }

void JitState::OnCodeWrite(uint64_t paddr, unsigned size) {
  code_writes_.fetch_add(1, std::memory_order_relaxed);
  if (!code_pages_.Overlaps(paddr, size)) return;  // the page's translations are gone already
  code_invalidations_.fetch_add(1, std::memory_order_relaxed);
  Invalidate(paddr, size);
}

void JitState::InvalidateWrittenPage(uint64_t page) {
  if (!code_pages_.Contains(page)) return;
  unseen_write_pages_.fetch_add(1, std::memory_order_relaxed);
  Invalidate(page, mem::kTlbPageSize);
}

void JitState::CollectSystemStats(core::Stats& out) const {
  auto get = [](const std::atomic<uint64_t>& a) {
    return static_cast<double>(a.load(std::memory_order_relaxed));
  };
  // Not counted (Options::count_mmu_accesses): no figure rather than a partial one.
  if (options_.count_mmu_accesses) out.Add("mmu.accesses", get(mmu_accesses_));
  out.Add("mmu.refills", get(mmu_refills_));
  out.Add("mmu.mmio", get(mmu_mmio_));
  out.Add("mmu.code_writes", get(code_writes_));
  out.Add("mmu.code_invalidations", get(code_invalidations_));
  out.Add("jit.code_syncs_kept", get(code_syncs_));
  out.Add("jit.unseen_write_pages", get(unseen_write_pages_));
}

}  // namespace polyvm::engine::jit::detail
