// The JIT's shared state: translation map, chaining, invalidation, arena flushes and epoch-based
// reclamation (see jit_state.h and docs/jit.md).
//
// Reclamation: code is never freed block by block. Invalidated blocks are unpublished and
// unchained but stay in their arena; when the arena is full every block is dropped and the arena
// is retired, tagged with the current epoch e, and the epoch becomes e + 1. A vCPU announces an
// epoch only after flushing its jump cache at that epoch (0 while outside Run), so once every
// active vCPU announces more than e none can reach the old arena and it is unmapped.
#include "jit_state.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <limits>

#include "cold_ops.h"
#include "polyvm/engine/common/in_asm.h"
#include "polyvm/ir/passes/pipeline.h"
#include "polyvm/ir/printer.h"
#include "polyvm/ir/stitch.h"
#include "polyvm/ir/verifier.h"
#include "thread_data.h"

namespace polyvm::engine::jit::detail {

namespace {

// Points the rel32 field at `field` to `dest`; one aligned 4-byte store (see EmitBoundary).
void PatchRel32(uint8_t* field, const uint8_t* dest) {
  auto rel = static_cast<int32_t>(dest - (field + 4));
  __atomic_store_n(reinterpret_cast<int32_t*>(field), rel, __ATOMIC_RELEASE);
}

#ifndef NDEBUG
// A block that traps with kUnsupported at its first instruction, for IR the JIT must not run.
ir::Block UnsupportedBlock(const ir::Block& in) {
  ir::Block b;
  b.pc = in.pc;
  b.size = in.size;
  b.exit.kind = ir::ExitKind::kTrap;
  b.exit.trap = core::TrapCode::kUnsupported;
  b.exit.target = in.pc;
  return b;
}
#endif

}  // namespace

JitState::JitState(const ir::Lifter& lifter, const ir::CodeReader& code, Options options)
    : lifter_(lifter),
      code_(code),
      options_(std::move(options)),
      arena_(std::make_unique<CodeArena>(options_.code_cache_bytes)) {
  enter_fn_.store(arena_->enter(), std::memory_order_release);
  ReportSharedCode();
}

// Each piece of the arena's shared code under its name (for --perfmap and -d out_asm: perf
// attributes the time of the shared stubs to them), from the arena's start to its first block.
void JitState::ReportSharedCode() const {
  if (!options_.on_translation) return;
  const ArenaStubs& s = arena_->stubs();
  std::vector<std::pair<const uint8_t*, const char*>> parts = {
      {reinterpret_cast<const uint8_t*>(arena_->enter()), "enter"},
      {s.epilogue, "epilogue"},
      {s.link[0], "link_taken"},
      {s.link[1], "link_fallthrough"},
      {s.leave[0], "leave_taken"},
      {s.leave[1], "leave_fallthrough"},
      {s.jc_miss, "jc_miss"},
      {s.need_block, "need_block"},
      {s.sys_load[0], "sys_load1"},
      {s.sys_load[1], "sys_load2"},
      {s.sys_load[2], "sys_load4"},
      {s.sys_load[3], "sys_load8"},
      {s.sys_store[0], "sys_store1"},
      {s.sys_store[1], "sys_store2"},
      {s.sys_store[2], "sys_store4"},
      {s.sys_store[3], "sys_store8"},
      {s.sys_lookup, "sys_lookup"}};
  std::sort(parts.begin(), parts.end());
  for (size_t i = 0; i < parts.size(); ++i) {
    const uint8_t* end = i + 1 < parts.size() ? parts[i + 1].first : arena_->top();
    const auto size = static_cast<size_t>(end - parts[i].first);
    Options::Translation t;
    t.host = parts[i].first;
    t.host_size = t.body_size = size;
    t.shared = parts[i].second;
    options_.on_translation(t);
  }
}

JitState::~JitState() = default;

const JBlock* JitState::Find(uint64_t pc) const {
  std::shared_lock lock(map_mu_);
  auto it = blocks_.find(pc);
  return it == blocks_.end() ? nullptr : it->second;
}

EnterFn JitState::enter() const { return enter_fn_.load(std::memory_order_acquire); }

const SiteRec* JitState::SiteAt(uintptr_t host_pc) const {
  const auto* pc = reinterpret_cast<const uint8_t*>(host_pc);
  std::shared_lock lock(map_mu_);
  std::lock_guard rlock(retire_mu_);
  const JBlock* b = arena_->BlockAt(pc);
  for (size_t k = 0; b == nullptr && k < retired_.size(); ++k) b = retired_[k].second->BlockAt(pc);
  if (b == nullptr) return nullptr;
  for (const auto& [at, site] : b->access_sites) {
    if (at == pc) return site;
  }
  return nullptr;
}

// A block ending in a direct jump (not a call) goes on with the block at its target, stitched
// on (ir::AppendBlock), while the whole stays within max_insns: a loop whose body jumps back to
// its test (`j test; body: ...; test: bltu ..., body`) becomes one block looping to itself, whose
// registers stay in host registers (codegen_loop.cpp). At most four parts; a target already in
// the block ends it (a loop), and so does a part that only traps or halts.
void JitState::LiftThroughJumps(const ir::CodeReader& code, uint32_t max_insns, ir::Block& b,
                                std::vector<JitEngine::CodeRange>& parts) const {
  constexpr size_t kMaxParts = 4;
  parts.assign(1, {b.pc, b.size});
  while (b.exit.kind == ir::ExitKind::kJump && b.exit.hint == ir::BranchHint::kNone &&
         parts.size() < kMaxParts && b.insn_count < max_insns) {
    const uint64_t target = b.exit.target;
    if (std::any_of(parts.begin(), parts.end(),
                    [&](const JitEngine::CodeRange& r) { return r.pc == target; })) {
      break;
    }
    ir::Block next;
    lifter_.Lift(target, code, ir::LiftOptions{max_insns - b.insn_count}, next);
    if (next.exit.kind == ir::ExitKind::kTrap || next.exit.kind == ir::ExitKind::kHalt ||
        next.exit.kind == ir::ExitKind::kCodeSync) {
      break;
    }
    const uint32_t size = next.size;
    if (!ir::AppendBlock(b, next)) break;
    parts.push_back({target, size});
  }
}

JBlock* JitState::Compile(uint64_t pc, const ir::CodeReader& code, bool system, uint32_t* ir_before,
                          uint32_t* ir_after, std::vector<JitEngine::CodeRange>* parts,
                          bool rounding_variant) {
  uint32_t max_insns = std::max<uint32_t>(options_.max_insns, 1);
  bool flushed = false;
  for (;;) {
    thread_local ir::Block lifted;  // reused: its storage stays (ir::Block::Clear)
    lifter_.Lift(pc, code, ir::LiftOptions{max_insns}, lifted);
    std::vector<JitEngine::CodeRange> ranges{{pc, lifted.size}};
    if (!system && parts != nullptr && options_.lift_through_jumps) {
      LiftThroughJumps(code, max_insns, lifted, ranges);
    }
    std::string log;
    if (options_.log_in_asm) {
      for (const JitEngine::CodeRange& r : ranges) {
        log += common::InAsmListing(lifter_, code, r.pc, r.size,
                                    r.pc == pc ? "" : ", continued through a jump");
      }
    }
    if (options_.log_op) log += fmt::format("OP:\n{}", ir::Print(lifted, lifter_));
#ifndef NDEBUG
    if (std::vector<std::string> errors = ir::Verify(lifted); !errors.empty()) {
      log += fmt::format("jit: the lifter's block at {:#x} is malformed: {}\n", pc, errors.front());
      lifted = UnsupportedBlock(lifted);
    }
#endif
    ir::Block optimized;
    const ir::Block* src = &lifted;
    if (options_.optimize) {
      optimized = ir::passes::Optimize(lifted);
      src = &optimized;
      if (options_.log_op_opt)
        log += fmt::format("OP after passes:\n{}", ir::Print(optimized, lifter_));
    }
    if (!log.empty()) Log(log);
    *ir_before = static_cast<uint32_t>(lifted.insts.size());
    *ir_after = static_cast<uint32_t>(src->insts.size());

    auto blk = std::make_unique<JBlock>();
    blk->pc = pc;
    blk->size = ranges.front().size;  // the other parts' ranges go to *parts
    blk->through_jumps = ranges.size() > 1;
    blk->system = system;  // compiled for the soft MMU (codegen_mmu.cpp)
    blk->ieee_rounding = lifter_.DynamicRoundingIsIeee();
    blk->rounding_variant = rounding_variant;
    blk->count_accesses = system && options_.count_mmu_accesses;
    blk->fetch_fault =
        src->exit.kind == ir::ExitKind::kTrap && src->exit.trap == core::TrapCode::kFetchFault;
    std::string error;
    CodeArena& a = *arena_;
    CompileResult r = CompileBlock(*src, a.stubs(), a.top(), a.room(), blk.get(), &error);
    if (r == CompileResult::kOk) {
      a.Commit(blk->code_bytes);
      if (parts != nullptr) *parts = std::move(ranges);
      return a.Own(std::move(blk));
    }
    if (r == CompileResult::kNoRoom && error.empty() && !flushed) {
      std::unique_lock lock(map_mu_);
      FlushArenaLocked();
      flushed = true;
      continue;
    }
    if (max_insns > 1) {  // too many values for one frame, or bigger than an empty arena
      max_insns = std::max<uint32_t>(max_insns / 2, 1);
      std::lock_guard lock(stats_mu_);
      ++retries_;
      continue;
    }
    std::fprintf(stderr, "polyvm: jit: cannot compile the block at %#llx: %s\n",
                 static_cast<unsigned long long>(pc), error.empty() ? "no room" : error.c_str());
    std::abort();
  }
}

const JBlock* JitState::Translate(uint64_t pc, bool* published) {
  *published = true;
  std::lock_guard tlock(translate_mu_);
  if (const JBlock* b = Find(pc)) return b;  // translated by another vCPU while this one waited
  uint64_t seq = inval_seq_.load(std::memory_order_acquire);
  auto t0 = std::chrono::steady_clock::now();
  uint32_t before = 0, after = 0;
  std::vector<JitEngine::CodeRange> parts;
  JBlock* blk = Compile(pc, code_, false, &before, &after, &parts);
  CountTranslation(blk, t0, before, after);
  std::unique_lock lock(map_mu_);
  if (inval_seq_.load(std::memory_order_acquire) != seq) {
    // The guest bytes read may be stale: run this translation once, never cache it.
    *published = false;
    std::lock_guard slock(stats_mu_);
    ++stale_translations_;
    return blk;
  }
  blocks_[pc] = blk;
  if (blk->through_jumps) superblocks_[blk] = std::move(parts);  // invalidated by any part
  max_block_bytes_ = std::max(max_block_bytes_, std::max<uint32_t>(blk->size, 1));
  lock.unlock();
  if (options_.on_translation) {  // still under translate_mu_: serialised, arena not flushed
    options_.on_translation({blk->entry, blk->code_bytes,
                             static_cast<size_t>(blk->body_end - blk->entry), pc, blk->size});
  }
  return blk;
}

const JBlock* JitState::RoundingVariant(uint64_t pc) {
  std::lock_guard tlock(translate_mu_);
  {
    std::shared_lock lock(map_mu_);
    if (auto it = rounding_variants_.find(pc); it != rounding_variants_.end()) return it->second;
  }
  const uint64_t seq = inval_seq_.load(std::memory_order_acquire);
  auto t0 = std::chrono::steady_clock::now();
  uint32_t before = 0, after = 0;
  JBlock* blk = Compile(pc, code_, false, &before, &after, nullptr, true);
  CountTranslation(blk, t0, before, after);
  std::unique_lock lock(map_mu_);
  // Stale guest bytes (an invalidation while compiling): run it this once only.
  if (inval_seq_.load(std::memory_order_acquire) == seq) rounding_variants_[pc] = blk;
  return blk;
}

bool JitState::Link(ExitRec* e, unsigned dir, const JBlock* dst) {
  std::shared_lock map_lock(map_mu_);
  std::lock_guard chain_lock(chain_mu_);
  auto published = [&](const JBlock* b) { return PublishedLocked(b); };
  // Unpublishing either block unchains under these locks, so a link made here cannot outlive them.
  if (e->patch[dir] == nullptr || e->chained_to[dir] != nullptr || !published(e->owner) ||
      !published(dst)) {
    return false;
  }
  auto* d = const_cast<JBlock*>(dst);
  e->chained_to[dir] = d;
  d->incoming.emplace_back(e, dir);
  PatchRel32(e->patch[dir], dst->entry);
  return true;
}

void JitState::UnchainLocked(const std::vector<JBlock*>& blocks) {
  // Exits leading into the dropped blocks jump to their link stubs again (a vCPU that already
  // took such a jump still runs valid code: the arena is only freed after it announces a newer
  // epoch), and the dropped blocks' own links leave their successors' lists.
  std::lock_guard chain_lock(chain_mu_);
  for (JBlock* b : blocks) {
    for (auto [e, dir] : b->incoming) {
      PatchRel32(e->patch[dir], e->stub[dir]);
      e->chained_to[dir] = nullptr;
    }
    b->incoming.clear();
    for (ExitRec* e : b->exits) {
      for (unsigned dir = 0; dir < 2; ++dir) {
        JBlock* t = e->chained_to[dir];
        if (t == nullptr) continue;
        auto& in = t->incoming;
        in.erase(std::remove(in.begin(), in.end(), std::pair<ExitRec*, unsigned>(e, dir)),
                 in.end());
        e->chained_to[dir] = nullptr;
      }
    }
  }
}

void JitState::LogRetiredLocked(const std::vector<JBlock*>* gone) {
  if (!options_.system_mode) return;
  const uint64_t next = epoch_.load(std::memory_order_seq_cst) + 1;  // bumps only under map_mu_
  std::lock_guard lock(retired_log_mu_);
  if (gone == nullptr) {
    retired_log_.clear();
    retired_log_floor_ = next;
    return;
  }
  constexpr size_t kMaxLog = size_t{1} << 16;  // beyond it, the older half goes
  if (retired_log_.size() + gone->size() > kMaxLog) {
    const size_t drop = retired_log_.size() / 2;
    retired_log_floor_ = retired_log_[drop].epoch;  // that epoch loses some of its blocks too
    retired_log_.erase(retired_log_.begin(), retired_log_.begin() + static_cast<ptrdiff_t>(drop));
  }
  for (const JBlock* b : *gone) retired_log_.push_back({next, b->pc, b});
}

void JitState::BumpEpochLocked(const std::vector<JBlock*>* gone) {
  LogRetiredLocked(gone);
  epoch_.fetch_add(1, std::memory_order_seq_cst);
  std::lock_guard lock(reg_mu_);
  for (ThreadData* td : threads_) td->hot->attention.store(1, std::memory_order_seq_cst);
}

void JitState::FlushArenaLocked() {
  blocks_.clear();  // every block lives in the arena: no chains to undo outside it
  rounding_variants_.clear();
  sys_blocks_.clear();
  superblocks_.clear();
  by_page2_.clear();
  code_pages_.Clear();
  {
    std::lock_guard lock(retire_mu_);
    retired_.emplace_back(epoch_.load(std::memory_order_seq_cst), std::move(arena_));
    retired_count_.store(retired_.size(), std::memory_order_seq_cst);
  }
  arena_ = std::make_unique<CodeArena>(options_.code_cache_bytes);
  enter_fn_.store(arena_->enter(), std::memory_order_release);
  ReportSharedCode();
  BumpEpochLocked(nullptr);
  std::lock_guard lock(stats_mu_);
  ++flushes_;
}

void JitState::Invalidate(uint64_t addr, uint64_t size) {
  if (size == 0) return;
  std::vector<JBlock*> gone;
  {
    std::unique_lock lock(map_mu_);
    inval_seq_.fetch_add(1, std::memory_order_seq_cst);
    rounding_variants_.clear();  // rare (RMM only), never chained: all of them
    uint64_t end = addr + size < addr ? std::numeric_limits<uint64_t>::max() : addr + size;
    uint64_t lo = addr >= max_block_bytes_ ? addr - max_block_bytes_ + 1 : 0;
    for (auto it = blocks_.lower_bound(lo); it != blocks_.end() && it->first < end;) {
      uint64_t bsize = std::max<uint32_t>(it->second->size, 1);
      if (it->first + bsize > addr) {
        gone.push_back(it->second);
        it = blocks_.erase(it);
      } else {
        ++it;
      }
    }
    if (options_.system_mode) InvalidateSystemLocked(addr, end, &gone);  // physical addresses
    InvalidateSuperblocksLocked(addr, end, &gone);  // their parts beyond the first
    if (!gone.empty()) {
      UnchainLocked(gone);
      BumpEpochLocked(&gone);
    }
  }
  std::lock_guard lock(stats_mu_);
  ++invalidate_calls_;
  blocks_invalidated_ += gone.size();
}

void JitState::InvalidateAll() {
  std::vector<JBlock*> gone;
  {
    std::unique_lock lock(map_mu_);
    inval_seq_.fetch_add(1, std::memory_order_seq_cst);
    for (auto& [pc, blk] : blocks_) gone.push_back(blk);
    blocks_.clear();
    rounding_variants_.clear();
    superblocks_.clear();
    for (auto& [key, blk] : sys_blocks_) {
      UnregisterPagesLocked(blk);
      gone.push_back(blk);
    }
    sys_blocks_.clear();
    if (!gone.empty()) {
      UnchainLocked(gone);
      BumpEpochLocked(nullptr);
    }
  }
  std::lock_guard lock(stats_mu_);
  ++invalidate_calls_;
  blocks_invalidated_ += gone.size();
}

void JitState::Enter(ThreadData& td) {
  td.announced.store(epoch_.load(std::memory_order_seq_cst), std::memory_order_seq_cst);
  SyncEpoch(td);
}

void JitState::Leave(ThreadData& td) {
  td.announced.store(0, std::memory_order_seq_cst);
  if (retired_count_.load(std::memory_order_relaxed) != 0) Reclaim();
}

void JitState::SyncEpoch(ThreadData& td) {
  // Cleared before reading the epoch: a retirement after the read sets it again.
  if (td.hot->attention.load(std::memory_order_relaxed) != 0) {
    td.hot->attention.store(0, std::memory_order_seq_cst);
  }
  uint64_t e = epoch_.load(std::memory_order_seq_cst);
  if (e == td.jc_epoch) return;
  td.FlushJumpCache();
  td.jc_epoch = e;
  td.announced.store(e, std::memory_order_seq_cst);
  if (retired_count_.load(std::memory_order_relaxed) != 0) Reclaim();
}

void JitState::Reclaim() {
  if (retired_count_.load(std::memory_order_seq_cst) == 0) return;
  uint64_t min_active = std::numeric_limits<uint64_t>::max();
  {
    std::lock_guard lock(reg_mu_);
    for (const ThreadData* td : threads_) {
      uint64_t a = td->announced.load(std::memory_order_seq_cst);
      if (a != 0) min_active = std::min(min_active, a);
    }
  }
  std::vector<std::unique_ptr<CodeArena>> dead;
  {
    std::lock_guard lock(retire_mu_);
    for (auto it = retired_.begin(); it != retired_.end();) {
      if (it->first < min_active) {
        dead.push_back(std::move(it->second));
        it = retired_.erase(it);
      } else {
        ++it;
      }
    }
    retired_count_.store(retired_.size(), std::memory_order_seq_cst);
  }
  if (!dead.empty()) {
    std::lock_guard lock(stats_mu_);
    arenas_freed_ += dead.size();
  }
}

void JitState::Register(ThreadData* td) {
  std::lock_guard lock(reg_mu_);
  threads_.push_back(td);
}

void JitState::Unregister(ThreadData* td) {
  std::lock_guard lock(reg_mu_);
  threads_.erase(std::remove(threads_.begin(), threads_.end(), td), threads_.end());
  gone_chained_ += td->hot->chained.load(std::memory_order_relaxed);
  gone_ret_misses_ += td->hot->ret_misses.load(std::memory_order_relaxed);
  gone_misses_ += td->hot->jc_misses.load(std::memory_order_relaxed);
  gone_run_blocks_ += td->run_blocks.load(std::memory_order_relaxed);
}

void JitState::CollectStats(core::Stats& out) const {
  uint64_t chained, ret_misses, misses, run_blocks;
  {
    std::lock_guard lock(reg_mu_);
    chained = gone_chained_;
    ret_misses = gone_ret_misses_;
    misses = gone_misses_;
    run_blocks = gone_run_blocks_;
    for (const ThreadData* td : threads_) {
      chained += td->hot->chained.load(std::memory_order_relaxed);
      ret_misses += td->hot->ret_misses.load(std::memory_order_relaxed);
      misses += td->hot->jc_misses.load(std::memory_order_relaxed);
      run_blocks += td->run_blocks.load(std::memory_order_relaxed);
    }
  }
  size_t cached, arena_used;
  {
    std::shared_lock lock(map_mu_);
    cached = blocks_.size();
    arena_used = arena_->used();
  }
  std::lock_guard lock(stats_mu_);
  auto d = [](uint64_t v) { return static_cast<double>(v); };
  translations_.Collect("jit", out);
  out.Add("jit.code_bytes_generated", d(code_bytes_), "bytes");
  out.Add("jit.code_cache_used", d(arena_used), "bytes");
  out.Add("jit.code_cache_size", d(options_.code_cache_bytes), "bytes");
  out.Add("jit.code_cache_flushes", d(flushes_));
  out.Add("jit.code_arenas_freed", d(arenas_freed_));
  out.Add("jit.blocks_entered_from_run", d(run_blocks));
  out.Add("jit.exits_chained", d(chained));
  out.Add("jit.lookup_misses", d(misses));
  out.Add("jit.return_mispredictions", d(ret_misses));
  out.Add("jit.cached_blocks", d(cached));
  out.Add("jit.invalidations", d(invalidate_calls_));
  out.Add("jit.blocks_invalidated", d(blocks_invalidated_));
  out.Add("jit.stale_translations", d(stale_translations_));
  out.Add("jit.shortened_translations", d(retries_));
  CollectColdOpStats(out);
  if (options_.system_mode) CollectSystemStats(out);
}

void JitState::Log(std::string_view text) const {
  std::lock_guard lock(log_mu_);
  if (options_.log_sink) {
    options_.log_sink(text);
    return;
  }
  FILE* f = options_.log_file != nullptr ? options_.log_file : stderr;
  fwrite(text.data(), 1, text.size(), f);
  fflush(f);
}

}  // namespace polyvm::engine::jit::detail
