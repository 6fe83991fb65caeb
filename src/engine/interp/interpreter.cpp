// Interpreter::Run: the loop around Execute. It finds or translates the block at the vCPU's pc
// (outside any fault scope, since translation locks and allocates), runs it inside a FaultScope
// over guest memory, and turns what Execute reports (exits, faults, traps) into an ExitInfo.
#include "polyvm/engine/interp/interpreter.h"

#include <fmt/format.h>
#include <signal.h>

#include <algorithm>
#include <limits>

#include "engine_state.h"
#include "execute.h"
#include "handler_table.h"
#include "polyvm/core/os/fault_guard.h"
#include "polyvm/ir/semantics/fp.h"
#include "run_support.h"
#include "system_run.h"
#include "thread_data.h"

namespace polyvm::engine::interp {

namespace {

ThreadData& GetThreadData(core::Vcpu& vcpu, const std::shared_ptr<detail::EngineState>& state) {
  auto* td = dynamic_cast<ThreadData*>(vcpu.engine_data.get());
  if (td == nullptr || td->engine != state) {
    auto fresh = std::make_unique<ThreadData>(state);
    td = fresh.get();
    vcpu.engine_data = std::move(fresh);
  }
  return *td;
}

// Runs Execute inside a FaultScope over guest memory. Kept apart from Run so that only this frame
// is live across sigsetjmp. Returns false if a guest access faulted on the host.
[[gnu::noinline]] bool ExecuteGuarded(ThreadData& td, core::CpuHeader* hdr, const LBlock* blk,
                                      ExecResult* out, core::os::FaultRecord* fault) {
  auto lo = reinterpret_cast<uintptr_t>(hdr->mem_base);
  uintptr_t hi = lo + hdr->mem_limit < lo ? std::numeric_limits<uintptr_t>::max()
                                          : lo + hdr->mem_limit;
  core::os::FaultScope scope(lo, hi);
  if (POLYVM_FAULT_SCOPE_ENTER(scope)) {
    *fault = scope.fault();
    return false;
  }
  *out = Execute(td, hdr, blk);
  return true;
}

}  // namespace

Interpreter::Interpreter(const ir::Lifter& lifter, const ir::CodeReader& code, Options options)
    : state_(std::make_shared<detail::EngineState>(lifter, code, std::move(options))) {
  core::os::InstallFaultHandler();
}

Interpreter::~Interpreter() = default;

core::ExitInfo Interpreter::Run(core::Vcpu& vcpu) { return RunTier(vcpu, nullptr); }

core::ExitInfo Interpreter::RunTier(core::Vcpu& vcpu, TierStop* stop) {
  detail::EngineState& es = *state_;
  ThreadData& td = GetThreadData(vcpu, state_);
  core::CpuHeader* hdr = vcpu.state;
  const TierHooks& tier = es.options().tier;
  if (stop != nullptr) *stop = TierStop::kNone;
  if (es.options().system_mode) return RunSystem(es, td, vcpu);  // system_run.cpp (no tiering)
  td.hot().profile = stop != nullptr && tier.on_count ? 1 : 0;
  es.Enter(td);
  ir::sem::EnterGuestFp(*hdr);

  core::ExitInfo info;
  for (;;) {
    es.SyncEpoch(td);
    if (hdr->interrupt_request.load(std::memory_order_relaxed) != 0) {
      info.reason = core::ExitReason::kInterrupt;
      info.pc = hdr->pc;
      break;
    }
    uint64_t pc = hdr->pc;
    JcEntry& entry = td.hot().jc[JcIndex(pc)];
    const LBlock* blk = entry.pc == pc ? BlockOf(entry.code) : nullptr;
    if (blk == nullptr) {
      bool published = true;
      blk = es.Find(pc);
      if (blk == nullptr && stop != nullptr && tier.may_translate && !tier.may_translate(pc)) {
        *stop = TierStop::kElsewhere;
        break;
      }
      if (blk == nullptr) blk = es.Translate(pc, &published);
      if (published) entry = {pc, blk->code};
    }
    td.run_blocks.Inc();

    ExecResult r;
    core::os::FaultRecord fault;
    if (!ExecuteGuarded(td, hdr, blk, &r, &fault)) {
      uint64_t fpc = StopAt(td, hdr);
      info.reason = core::ExitReason::kMemoryFault;
      info.pc = fpc;
      info.addr = fault.host_addr - reinterpret_cast<uintptr_t>(hdr->mem_base);
      info.access = AccessOf(td.hot().cur_ip);
      // A SIGBUS means the page is mapped (a file without data there).
      info.mapped = (fault.signo == SIGSEGV && fault.code == SEGV_ACCERR) || fault.signo == SIGBUS;
      info.bus_error = fault.signo == SIGBUS;
      break;
    }

    if (r.status == ExecStatus::kNeedBlock) continue;
    if (r.status == ExecStatus::kLink) {
      const JcEntry& next = td.hot().jc[JcIndex(hdr->pc)];
      if (next.pc == hdr->pc) es.Link(BlockOf(td.hot().cur_ip), r.exit, static_cast<unsigned>(r.addr), next.code);
      continue;
    }
    // Counted runs of one exit (RunTier only): report them; 0 means the block goes to another
    // tier. Exits Run reports (syscalls, traps) count here, outside the dispatch loop.
    auto report = [&](const ExitRec* er) {
      uint32_t next = tier.on_count(BlockOf(td.hot().cur_ip)->pc,
                                    er->count_base.load(std::memory_order_relaxed));
      next = std::min<uint32_t>(next, std::numeric_limits<int32_t>::max());
      er->count_base.store(next == 0 ? 1 : next, std::memory_order_relaxed);
      er->countdown.store(static_cast<int32_t>(next), std::memory_order_relaxed);
      return next;
    };
    if (r.status == ExecStatus::kProfile) {
      if (report(r.exit) == 0) {  // the caller runs state->pc in the tier that owns it
        *stop = TierStop::kHot;
        break;
      }
      continue;
    }
    if (r.status == ExecStatus::kExit && td.hot().profile != 0) {
      int32_t n = r.exit->countdown.load(std::memory_order_relaxed) - 1;
      r.exit->countdown.store(n, std::memory_order_relaxed);
      if (n <= 0) report(r.exit);  // a hot block still reports this exit; next time the JIT runs it
    }
    if (r.status == ExecStatus::kInterrupt) {
      info.reason = core::ExitReason::kInterrupt;
      info.pc = hdr->pc;
      break;
    }
    if (r.status == ExecStatus::kOutOfRange) {
      info.pc = StopAt(td, hdr);
      info.reason = core::ExitReason::kMemoryFault;
      info.addr = r.addr;
      info.access = AccessOf(td.hot().cur_ip);
      info.mapped = false;
      break;
    }
    if (r.status == ExecStatus::kMisaligned || r.status == ExecStatus::kUnsupported) {
      info.pc = StopAt(td, hdr);
      info.reason = core::ExitReason::kTrap;
      info.addr = r.addr;
      if (r.status == ExecStatus::kMisaligned) {
        info.trap = core::TrapCode::kMisaligned;
      } else {
        info.trap = core::TrapCode::kUnsupported;
        es.Log(fmt::format("interp: unsupported at pc {:#x}: {}\n", info.pc,
                           BlockOf(td.hot().cur_ip)->unsupported));
      }
      break;
    }

    const ExitRec& e = *r.exit;  // kExit; retired already counted
    hdr->pc = e.target;
    if (e.kind == ir::ExitKind::kCodeSync) {
      if (stop != nullptr) {  // every tier must forget its translations: the caller does it
        *stop = TierStop::kCodeSync;
        break;
      }
      es.InvalidateAll();
      continue;
    }
    info = ExitOfRecord(e);
    break;
  }

  ir::sem::LeaveGuestFp(*hdr);
  es.Leave(td);
  return info;
}

void Interpreter::InvalidateCode(uint64_t addr, uint64_t size) { state_->Invalidate(addr, size); }

// In system mode the block cache is filed by physical pc, so both take physical addresses there.
void Interpreter::InvalidatePhysical(uint64_t paddr, uint64_t size) {
  state_->Invalidate(paddr, size);
}

void Interpreter::InvalidateAll() { state_->InvalidateAll(); }

void Interpreter::CollectStats(core::Stats& out) const { state_->CollectStats(out); }

}  // namespace polyvm::engine::interp
