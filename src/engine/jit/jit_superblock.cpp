// The JIT's second tier: its profile's trigger (OnLink), forming a superblock (FormSuperblock),
// compiling it in place of the translation at its head, and keeping the guest ranges of all its
// parts so that an invalidation of any of them drops it (docs/engines.md, "Superblocks").
#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "jit_state.h"
#include "polyvm/engine/jit/superblock_former.h"
#include "polyvm/engine/jit/superblock_profile.h"
#include "polyvm/ir/passes/pipeline.h"
#include "polyvm/ir/printer.h"
#include "polyvm/ir/verifier.h"

namespace polyvm::engine::jit {
namespace detail {

bool JitState::InstallSuperblock(const JitEngine::SuperblockBuilder& build) {
  std::lock_guard tlock(translate_mu_);
  // Taken before the guest bytes are read: an invalidation from here on makes them suspect.
  const uint64_t seq = inval_seq_.load(std::memory_order_acquire);
  const auto t0 = std::chrono::steady_clock::now();
  ir::Block raw;
  std::vector<JitEngine::CodeRange> ranges;
  if (!build(raw, ranges) || ranges.empty()) return false;
  const uint64_t pc = raw.pc;
  std::string log;
  if (options_.log_op) log += fmt::format("OP (superblock):\n{}", ir::Print(raw, lifter_));
  if (std::vector<std::string> errors = ir::Verify(raw); !errors.empty()) {
    Log(fmt::format("{}jit: the superblock at {:#x} is malformed: {}\n", log, pc, errors.front()));
    std::lock_guard lock(stats_mu_);
    ++superblocks_refused_;
    return false;
  }
  // The heavier treatment: the pipeline runs to its fixed point across the stitched seams.
  ir::Block opt = options_.optimize ? ir::passes::Optimize(raw) : raw;
  if (options_.log_op_opt && options_.optimize)
    log += fmt::format("OP after passes (superblock):\n{}", ir::Print(opt, lifter_));
  if (!log.empty()) Log(log);

  auto fresh = std::make_unique<JBlock>();
  fresh->pc = pc;
  fresh->size = ranges.front().size;  // the head's part; the rest are in superblocks_
  fresh->ieee_rounding = lifter_.DynamicRoundingIsIeee();
  std::string error;
  CompileResult r = CompileResult::kNoRoom;
  for (bool flushed = false;;) {
    CodeArena& a = *arena_;
    r = CompileBlock(opt, a.stubs(), a.top(), a.room(), fresh.get(), &error);
    if (r != CompileResult::kNoRoom || !error.empty() || flushed) break;
    std::unique_lock lock(map_mu_);
    FlushArenaLocked();
    flushed = true;
  }
  if (r != CompileResult::kOk) {  // too many values for the frame, or bigger than an empty arena
    std::lock_guard lock(stats_mu_);
    ++superblocks_refused_;
    return false;
  }
  arena_->Commit(fresh->code_bytes);
  JBlock* blk = arena_->Own(std::move(fresh));
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count();
  {
    std::lock_guard lock(stats_mu_);
    ++superblocks_translated_;
    superblock_ns_ += static_cast<uint64_t>(ns);
    code_bytes_ += blk->code_bytes;
  }
  {
    std::unique_lock lock(map_mu_);
    if (inval_seq_.load(std::memory_order_acquire) != seq) {
      std::lock_guard slock(stats_mu_);
      ++stale_translations_;
      return false;  // never published: it stays unreachable in the arena
    }
    if (auto it = blocks_.find(pc); it != blocks_.end()) {
      // Exits chained into the old translation go back to their link stubs and link to this one
      // when they next run; jump caches are flushed through the epoch.
      std::vector<JBlock*> gone{it->second};
      UnchainLocked(gone);
      superblocks_.erase(it->second);
      BumpEpochLocked(&gone);
    }
    blocks_[pc] = blk;
    superblocks_[blk] = ranges;
    max_block_bytes_ = std::max(max_block_bytes_, std::max<uint32_t>(blk->size, 1));
  }
  if (options_.on_translation) {  // still under translate_mu_: serialised, arena not flushed
    options_.on_translation({blk->entry, blk->code_bytes,
                             static_cast<size_t>(blk->body_end - blk->entry), pc, blk->size});
  }
  return true;
}

bool JitState::IsSuperblock(const JBlock* b) const {
  std::shared_lock lock(map_mu_);
  return superblocks_.count(b) != 0 && !b->through_jumps;
}

bool JitState::IsCurrent(const JBlock* b) const {
  std::shared_lock lock(map_mu_);
  auto it = blocks_.find(b->pc);
  return it != blocks_.end() && it->second == b;
}

bool JitState::MayLink(const TierHooks& tier, const ExitRec& e, uint64_t target) const {
  if (!tier.on_link || e.owner == nullptr) return true;
  bool current = false, superblock = false;
  {
    std::shared_lock lock(map_mu_);
    auto it = blocks_.find(e.owner->pc);
    current = it != blocks_.end() && it->second == e.owner;
    superblock = current && superblocks_.count(e.owner) != 0 && !e.owner->through_jumps;
  }
  // A replaced translation still running on some vCPU is not profiled (Link refuses it anyway).
  return !current || tier.on_link(e.owner->pc, target, superblock);
}

void JitState::InvalidateSuperblocksLocked(uint64_t addr, uint64_t end,
                                           std::vector<JBlock*>* gone) {
  for (auto it = superblocks_.begin(); it != superblocks_.end();) {
    auto* b = const_cast<JBlock*>(it->first);
    const bool hit =
        std::any_of(it->second.begin(), it->second.end(),
                    [&](const JitEngine::CodeRange& r) {
                      return r.pc < end && addr < r.pc + std::max<uint32_t>(r.size, 1);
                    }) ||
        std::find(gone->begin(), gone->end(), b) != gone->end();  // its head part went already
    if (!hit) {
      ++it;
      continue;
    }
    if (auto at = blocks_.find(b->pc); at != blocks_.end() && at->second == b) {
      blocks_.erase(at);
      gone->push_back(b);
    }
    it = superblocks_.erase(it);
  }
}

void JitState::CollectSuperblockStats(core::Stats& out) const {
  std::lock_guard lock(stats_mu_);
  if (superblocks_translated_ == 0 && superblocks_refused_ == 0) return;
  auto d = [](uint64_t v) { return static_cast<double>(v); };
  out.Add("jit.superblocks_translated", d(superblocks_translated_));
  out.Add("jit.superblock_translate_time_mean",
          superblocks_translated_ ? d(superblock_ns_) / d(superblocks_translated_) : 0, "ns");
  out.Add("jit.superblocks_refused", d(superblocks_refused_));
}

}  // namespace detail

bool JitEngine::InstallSuperblock(const SuperblockBuilder& build) {
  return state_->InstallSuperblock(build);
}

namespace {
void Bump(std::atomic<uint64_t>& c, uint64_t n = 1) { c.fetch_add(n, std::memory_order_relaxed); }
}  // namespace

bool JitEngine::OnLink(uint64_t block_pc, uint64_t target, bool superblock) {
  switch (sb_profile_->OnLink(block_pc, target, superblock)) {
    case SuperblockProfile::Verdict::kLink: return true;
    case SuperblockProfile::Verdict::kCount: return false;
    case SuperblockProfile::Verdict::kForm: break;
  }
  FormOptions form;
  form.block_insns = state_->options().max_insns;
  form.max_insns = sb_options_.max_insns;
  uint32_t insns = 0, parts = 0;
  auto choose = [this](uint64_t pc, uint64_t a, uint64_t b) {
    return sb_profile_->Hotter(pc, a, b);
  };
  const bool built = InstallSuperblock([&](ir::Block& block, std::vector<CodeRange>& ranges) {
    if (!FormSuperblock(state_->lifter(), state_->code(), block_pc, form, choose, block, ranges)) {
      return false;
    }
    insns = block.insn_count;
    parts = static_cast<uint32_t>(ranges.size());
    return true;
  });
  sb_profile_->Finish(block_pc, built);
  if (built) {
    Bump(sb_built_);
    Bump(sb_insns_, insns);
    Bump(sb_parts_, parts);
  } else {
    Bump(sb_declined_);
  }
  return true;  // the old translation's exit: Link refuses it if the superblock replaced it
}

void JitEngine::CollectSuperblockStats(core::Stats& out) const {
  auto d = [](const std::atomic<uint64_t>& v) {
    return static_cast<double>(v.load(std::memory_order_relaxed));
  };
  out.Add("jit.superblock_threshold", sb_profile_ != nullptr ? sb_options_.threshold : 0);
  out.Add("jit.superblock_max_insns", sb_options_.max_insns);
  out.Add("jit.superblocks", d(sb_built_));
  out.Add("jit.superblock_insns", d(sb_insns_));
  out.Add("jit.superblock_parts", d(sb_parts_));
  out.Add("jit.superblocks_declined", d(sb_declined_));
  out.Add("jit.superblock_profile_runs",
          sb_profile_ != nullptr ? static_cast<double>(sb_profile_->runs_counted()) : 0);
}

bool JitEngine::HasSuperblock(uint64_t pc) const {
  const JBlock* b = state_->Find(pc);
  return b != nullptr && state_->IsSuperblock(b);
}

}  // namespace polyvm::engine::jit
