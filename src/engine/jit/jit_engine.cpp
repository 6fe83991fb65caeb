// JitEngine::Run: the loop around generated code. It finds or translates the block at the vCPU's
// pc (outside any fault scope, since translation locks and allocates), enters it inside a
// FaultScope over guest memory, links exits that ask for it, and turns what the code reports
// (exits, faults, traps) into an ExitInfo.
#include "polyvm/engine/jit/jit_engine.h"

#include <fmt/format.h>
#include <signal.h>

#include <cstring>
#include <limits>

#include "block.h"
#include "jit_state.h"
#include "polyvm/core/os/fault_guard.h"
#include "polyvm/engine/common/exit_record.h"
#include "polyvm/engine/jit/superblock_profile.h"
#include "polyvm/ir/semantics/fp.h"
#include "system_run.h"
#include "thread_data.h"

namespace polyvm::engine::jit {

namespace {

ThreadData& GetThreadData(core::Vcpu& vcpu, const std::shared_ptr<detail::JitState>& state) {
  auto* td = dynamic_cast<ThreadData*>(vcpu.engine_data.get());
  if (td == nullptr || td->engine != state) {
    auto fresh = std::make_unique<ThreadData>(state);
    td = fresh.get();
    vcpu.engine_data = std::move(fresh);
  }
  return *td;
}

// Enters generated code inside a FaultScope over guest memory. Kept apart from Run so that only
// this frame is live across sigsetjmp. Returns false if a guest access faulted on the host.
[[gnu::noinline]] bool ExecuteGuarded(EnterFn enter, core::CpuHeader* hdr, JitHot* hot,
                                      const uint8_t* code, uint32_t* status,
                                      core::os::FaultRecord* fault) {
  auto lo = reinterpret_cast<uintptr_t>(hdr->mem_base);
  uintptr_t hi =
      lo + hdr->mem_limit < lo ? std::numeric_limits<uintptr_t>::max() : lo + hdr->mem_limit;
  core::os::FaultScope scope(lo, hi);
  if (POLYVM_FAULT_SCOPE_ENTER(scope)) {
    *fault = scope.fault();
    return false;
  }
  *status = enter(hdr, hot, code);
  return true;
}

// A host fault where guest register writes were lazy (codegen_lazy.cpp): copies the fields the
// site's record lists from where they were at the fault (registers, frame slots, constants) into
// the state. Before StopAt, which adds the site's ordinal to the retired count this may restore.
void ApplyStateFixes(const SiteRec* s, const uint64_t* gregs, const JitHot& hot,
                     core::CpuHeader* hdr) {
  const StateFix* fix = FixesOf(s);
  auto* state = reinterpret_cast<uint8_t*>(hdr);
  for (unsigned k = 0; k < s->nfix; ++k) {
    const StateFix& x = fix[k];
    if (x.where == StateFix::kGuard) {
      if (gregs[x.reg & 15] == hdr->retired) k += static_cast<unsigned>(x.value);
      continue;
    }
    if (x.where == StateFix::kFlag) {
      state[x.off] = EvalFlagFix(&x, state) ? 1 : 0;
      k += 3;  // its operands
      continue;
    }
    uint64_t v = x.value;
    if (x.where == StateFix::kReg) {
      v = gregs[x.reg & 15];
    } else if (x.where == StateFix::kSlot) {
      std::memcpy(&v, reinterpret_cast<const uint8_t*>(&hot) + x.value, sizeof v);
    }
    std::memcpy(reinterpret_cast<uint8_t*>(hdr) + x.off, &v, x.size);  // little-endian low bytes
  }
}

// Makes the state exact at the site where the code stopped: pc and retired count of the guest
// instruction that did not complete. Returns that pc.
uint64_t StopAt(const SiteRec* s, core::CpuHeader* hdr) {
  hdr->retired += s->ordinal;
  hdr->pc = s->pc;
  return s->pc;
}

void SetLimits(JitHot& hot, uint64_t mem_limit) {
  for (unsigned k = 0; k < 5; ++k) {
    uint64_t size = uint64_t{1} << k;
    hot.lim[k] = mem_limit >= size ? mem_limit - size + 1 : 0;
  }
}

// The second tier is the JIT's own: a profile of its unchained direct exits (TierHooks::on_link)
// when Options::superblock.threshold is not 0 (user mode only).
bool HasSecondTier(const Options& o) { return o.superblock.threshold != 0 && !o.system_mode; }

Options WithSecondTier(Options options, std::function<bool(uint64_t, uint64_t, bool)> on_link) {
  if (HasSecondTier(options)) options.tier.on_link = std::move(on_link);
  return options;
}

}  // namespace

JitEngine::JitEngine(const ir::Lifter& lifter, const ir::CodeReader& code, Options options)
    : sb_options_(options.superblock),
      sb_profile_(HasSecondTier(options) ? std::make_unique<SuperblockProfile>(sb_options_.threshold)
                                         : nullptr),
      state_(std::make_shared<detail::JitState>(
          lifter, code,
          WithSecondTier(std::move(options), [this](uint64_t pc, uint64_t target, bool sb) {
            return OnLink(pc, target, sb);
          }))) {
  core::os::InstallFaultHandler();
}

JitEngine::~JitEngine() = default;

core::ExitInfo JitEngine::Run(core::Vcpu& vcpu) { return RunTier(vcpu, nullptr); }

core::ExitInfo JitEngine::RunTier(core::Vcpu& vcpu, TierStop* stop) {
  detail::JitState& js = *state_;
  const TierHooks& tier = js.options().tier;
  if (stop != nullptr) *stop = TierStop::kNone;
  if (js.options().system_mode) {
    // The soft MMU's run loop (system_run.cpp); no tiering there yet.
    if (stop != nullptr && js.options().tier.may_translate) {
      js.Log(fmt::format("jit: tiering in system mode is not implemented (pc {:#x})\n",
                         vcpu.state->pc));
      core::ExitInfo info;
      info.reason = core::ExitReason::kTrap;
      info.trap = core::TrapCode::kUnsupported;
      info.pc = vcpu.state->pc;
      return info;
    }
    return RunSystem(js, GetThreadData(vcpu, state_), vcpu);
  }
  ThreadData& td = GetThreadData(vcpu, state_);
  JitHot& hot = *td.hot;
  core::CpuHeader* hdr = vcpu.state;
  js.Enter(td);
  SetLimits(hot, hdr->mem_limit);
  ir::sem::EnterGuestFp(*hdr);

  // The block at pc: from the jump cache, the shared map, or translated (null: another tier runs
  // it, RunTier stops with kElsewhere).
  auto block_at = [&](uint64_t pc) -> const uint8_t* {
    JcEntry* set = &hot.jc[2 * JcSet(pc)];
    if (set[0].pc == pc) return set[0].code;
    if (set[1].pc == pc) return set[1].code;
    bool published = true;
    const JBlock* blk = js.Find(pc);
    if (blk == nullptr && stop != nullptr && tier.may_translate && !tier.may_translate(pc)) {
      *stop = TierStop::kElsewhere;
      return nullptr;
    }
    if (blk == nullptr) blk = js.Translate(pc, &published);
    if (published) {
      set[1] = set[0];
      set[0] = {pc, blk->entry};
    }
    return blk->entry;
  };

  core::ExitInfo info;
  bool rounding_variant = false;  // the last block left with Status::kRoundingVariant
  for (;;) {
    js.SyncEpoch(td);
    if (hdr->interrupt_request.load(std::memory_order_relaxed) != 0) {
      info.reason = core::ExitReason::kInterrupt;
      info.pc = hdr->pc;
      break;
    }
    const uint8_t* code =
        rounding_variant ? js.RoundingVariant(hdr->pc)->entry : block_at(hdr->pc);
    rounding_variant = false;
    if (code == nullptr) break;  // kElsewhere
    td.run_blocks.store(td.run_blocks.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);

    uint32_t raw = 0;
    core::os::FaultRecord fault;
    if (!ExecuteGuarded(js.enter(), hdr, &hot, code, &raw, &fault)) {
      // Inline accesses are found by the faulting host pc; helpers and atomics (in C++) stored
      // their site before the call.
      const SiteRec* site = fault.host_pc != 0 ? js.SiteAt(fault.host_pc) : nullptr;
      if (site != nullptr) {
        ApplyStateFixes(site, fault.gregs, hot, hdr);  // lazily written guest registers
      } else {
        site = hot.cur_site;
      }
      info.reason = core::ExitReason::kMemoryFault;
      info.pc = StopAt(site, hdr);
      info.addr = fault.host_addr - reinterpret_cast<uintptr_t>(hdr->mem_base);
      info.access = site->access;
      // A SIGBUS means the page is mapped (a file without data there).
      info.mapped = (fault.signo == SIGSEGV && fault.code == SEGV_ACCERR) || fault.signo == SIGBUS;
      info.bus_error = fault.signo == SIGBUS;
      break;
    }

    auto status = static_cast<Status>(raw);
    if (status == Status::kNeedBlock) continue;
    if (status == Status::kRoundingVariant) {
      rounding_variant = true;
      continue;
    }
    if (status == Status::kLink) {
      auto* e = const_cast<ExitRec*>(hot.exit_rec);
      unsigned dir = hot.link_dir;
      uint64_t target = hdr->pc;
      // The second tier's profile may keep the exit unchained a while longer.
      if (!js.MayLink(tier, *e, target)) continue;
      const uint8_t* dst = block_at(target);
      if (dst == nullptr) break;  // kElsewhere: the exit stays unchained
      if (const JcEntry* set = &hot.jc[2 * JcSet(target)];
          set[0].pc == target || set[1].pc == target) {
        if (const JBlock* b = js.Find(target);
            b != nullptr && b->entry == dst && js.Link(e, dir, b)) {
          hot.chained.store(hot.chained.load(std::memory_order_relaxed) + 1,
                            std::memory_order_relaxed);
        }
      }
      continue;
    }
    if (status == Status::kOutOfRange) {
      info.pc = StopAt(hot.cur_site, hdr);
      info.reason = core::ExitReason::kMemoryFault;
      info.addr = hot.fault_addr;
      info.access = hot.cur_site->access;
      info.mapped = false;
      break;
    }
    if (status == Status::kMisaligned || status == Status::kUnsupported) {
      info.pc = StopAt(hot.cur_site, hdr);
      info.reason = core::ExitReason::kTrap;
      if (status == Status::kMisaligned) {
        info.trap = core::TrapCode::kMisaligned;
        info.addr = hot.fault_addr;
      } else {
        info.trap = core::TrapCode::kUnsupported;
        js.Log(fmt::format("jit: unsupported op at pc {:#x}\n", info.pc));
      }
      break;
    }

    const ExitRec& e = *hot.exit_rec;  // Status::kExit; retired already counted
    hdr->pc = e.target;
    if (e.kind == ir::ExitKind::kCodeSync) {
      if (stop != nullptr) {  // every tier must forget its translations: the caller does it
        *stop = TierStop::kCodeSync;
        break;
      }
      js.InvalidateAll();
      continue;
    }
    info = common::ExitInfoOfRecord(e);
    break;
  }

  ir::sem::LeaveGuestFp(*hdr);
  js.Leave(td);
  return info;
}

void JitEngine::InvalidateCode(uint64_t addr, uint64_t size) {
  state_->Invalidate(addr, size);
  // The code there changed: its exits' counts are history.
  if (sb_profile_ != nullptr) sb_profile_->Forget(addr, size);
}

void JitEngine::InvalidateAll() { state_->InvalidateAll(); }

void JitEngine::CollectStats(core::Stats& out) const {
  state_->CollectStats(out);
  state_->CollectSuperblockStats(out);
  CollectSuperblockStats(out);
}

std::vector<uint8_t> JitEngine::HostCode(uint64_t pc) {
  const JBlock* b = state_->Find(pc);
  bool published = true;
  if (b == nullptr) b = state_->Translate(pc, &published);
  if (b == nullptr) return {};
  return std::vector<uint8_t>(b->entry, b->body_end);
}

}  // namespace polyvm::engine::jit
