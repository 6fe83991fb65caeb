// The system-mode run loop (docs/system-mode.md, "The engine interface"; docs/engines.md).
//
// Lookup: the jump cache is only a hint here. An entry is used if its block's key matches the pc's
// key now (SysJcHit: physical pc through an inline fetch-TLB probe, fetch context), else the pc is
// translated through the fetch TLB (refilling it) and looked up in the block cache. Blocks that
// reach into a second page never enter the jump cache; their second page is re-checked on every
// lookup. Direct exits are chained only to blocks in the same virtual page as the source block's
// start (the source's own entry check then vouches for the target's translation too).
#include "system_run.h"

#include <fmt/format.h>

#include "execute.h"
#include "polyvm/engine/common/system_code.h"
#include "polyvm/engine/common/system_exits.h"
#include "polyvm/ir/semantics/fp.h"
#include "run_support.h"
#include "sys_mem.h"

namespace polyvm::engine::interp {

namespace {

// The block for the vCPU's pc, or null with *fault when the pc cannot be fetched.
const LBlock* LookUp(detail::EngineState& es, ThreadData& td, mem::SoftMmu& mmu, uint64_t pc,
                     mem::MmuFault* fault) {
  JcEntry& entry = td.hot().jc[JcIndex(pc)];
  if (SysJcHit(entry, pc, mmu)) return BlockOf(entry.code);
  uint64_t ppc = 0;
  if (!ResolveFetchPhysical(mmu, pc, &ppc, fault)) return nullptr;
  BlockKey key{ppc, pc, mmu.fetch_context()};
  const LBlock* blk = es.Find(key);
  if (blk != nullptr && !SecondPageStillMaps(mmu, pc, blk->size, blk->page2)) blk = nullptr;
  bool published = true;
  if (blk == nullptr) {
    blk = es.TranslateSystem(key, mmu, &published);
    es.MarkOwnCodePages(td, blk);  // its own write TLB may map the block's pages without the flag
  }
  if (published && blk->page2 == kNoSecondPage) entry = {pc, blk->code};
  return blk;
}

}  // namespace

core::ExitInfo RunSystem(detail::EngineState& es, ThreadData& td, core::Vcpu& vcpu) {
  core::CpuHeader* hdr = vcpu.state;
  core::ExitInfo info;
  if (vcpu.mmu == nullptr) {
    es.Log(fmt::format("interp: system mode needs Vcpu::mmu (pc {:#x})\n", hdr->pc));
    return common::UnsupportedExit(hdr->pc);
  }
  mem::SoftMmu& mmu = *vcpu.mmu;
  if (td.mmu != &mmu) {
    td.mmu = &mmu;
    td.code_generation = 0;
    mmu.set_code_tracker(&es);
  }
  td.hot().profile = 0;
  es.Enter(td);
  ir::sem::EnterGuestFp(*hdr);

  for (;;) {
    es.SyncEpoch(td);
    es.SyncCodePages(td);
    if (hdr->interrupt_request.load(std::memory_order_relaxed) != 0) {
      info.reason = core::ExitReason::kInterrupt;
      info.pc = hdr->pc;
      break;
    }
    mem::MmuFault fault;
    const LBlock* blk = LookUp(es, td, mmu, hdr->pc, &fault);
    if (blk == nullptr) {  // the instruction's page cannot be fetched
      info = common::FetchFaultExit(hdr->pc, fault.vaddr);
      break;
    }
    td.run_blocks.Inc();

    ExecResult r = Execute(td, hdr, blk);
    if (r.status == ExecStatus::kNeedBlock) continue;
    if (r.status == ExecStatus::kLink) {
      const LBlock* src = BlockOf(td.hot().cur_ip);
      uint64_t target = hdr->pc;
      const JcEntry& next = td.hot().jc[JcIndex(target)];
      if (((src->pc ^ target) & mem::kTlbPageMask) == 0 && SysJcHit(next, target, mmu)) {
        es.Link(src, r.exit, static_cast<unsigned>(r.addr), next.code);
      }
      continue;
    }
    if (r.status == ExecStatus::kInterrupt) {
      info.reason = core::ExitReason::kInterrupt;
      info.pc = hdr->pc;
      break;
    }
    if (r.status == ExecStatus::kMmuFault) {
      info = common::DataFaultExit(StopAt(td, hdr), r.addr, r.access, r.access_fault);
      break;
    }
    if (r.status == ExecStatus::kMisaligned) {
      info = common::MisalignedExit(StopAt(td, hdr), r.addr, AccessOf(td.hot().cur_ip));
      break;
    }
    if (r.status != ExecStatus::kExit) {  // kUnsupported (kOutOfRange, kProfile cannot happen)
      info = common::UnsupportedExit(StopAt(td, hdr));
      es.Log(fmt::format("interp: unsupported at pc {:#x}: {}\n", info.pc,
                         BlockOf(td.hot().cur_ip)->unsupported));
      break;
    }
    const ExitRec& e = *r.exit;  // retired already counted
    hdr->pc = e.target;
    if (e.kind == ir::ExitKind::kCodeSync) {
      // Every store to code reached the tracker (SyncCodePages) and every DMA write
      // InvalidatePhysical: no translation can be stale, so fence.i keeps them all.
      es.CountCodeSync();
      continue;
    }
    info = ExitOfRecord(e);
    break;
  }

  ir::sem::LeaveGuestFp(*hdr);
  td.mmu_refills.v.store(mmu.stats().refills, std::memory_order_relaxed);
  td.mmu_mmio.v.store(mmu.stats().mmio, std::memory_order_relaxed);
  es.Leave(td);
  return info;
}

}  // namespace polyvm::engine::interp
