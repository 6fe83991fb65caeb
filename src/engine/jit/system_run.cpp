// The JIT's system-mode run loop (see system_run.h).
//
// Why chaining inside one virtual page is safe: every block Run enters was found with its full
// key under the current translation (fetch TLB probe, fetch context), and translation changes
// only in helper calls, which end blocks with an indirect exit (never chained). A direct exit to
// a target in the source block's virtual page therefore reaches the target's physical page through
// the same mapping the source was entered with; Link is only asked for a target whose key is the
// source's physical page and context. Indirect exits look their target up inline in
// SystemThreadData::jc with the full key (codegen_mmu.cpp); the vCPU's user-mode jump cache
// (JitHot::jc) stays empty in system mode.
#include "system_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "jit_state.h"
#include "polyvm/engine/common/exit_record.h"
#include "polyvm/engine/common/system_code.h"
#include "polyvm/engine/common/system_exits.h"
#include "polyvm/ir/semantics/fp.h"
#include "thread_data.h"

namespace polyvm::engine::jit {

namespace {

// Before the vCPU's next block, when pages got code (another vCPU translated them): marks its
// write-TLB entries of code pages. An entry that was not marked yet may have been used to store
// into the page after that vCPU read it, unseen by the code tracker: the page's translations are
// dropped. So a store from this vCPU reaches translations made elsewhere before this vCPU can tell
// anyone about it (a remote fence.i is an SBI call, which leaves Run) and fence.i need not drop
// every translation.
void SyncCodePages(detail::JitState& js, SystemThreadData& sys, mem::SoftMmu& mmu) {
  uint64_t g = js.code_pages().generation();
  if (g == sys.code_generation) return;
  sys.code_generation = g;
  std::vector<uint64_t> written;
  js.code_pages().MarkWriteTlbs(mmu, &written);
  for (uint64_t page : written) js.InvalidateWrittenPage(page);
}

// Drops the blocks retired up to `epoch` from the vCPU's caches: just those when the JitState can
// tell which (a boot retires a few thousand blocks, one page's at a time, and clearing the caches
// each time made ~200 k indirect jumps miss and return to Run), else everything.
void ForgetRetired(detail::JitState& js, SystemThreadData& sys, uint64_t epoch) {
  const bool told = sys.jc_epoch != 0 &&
                    js.ForgetRetired(sys.jc_epoch, epoch, [&](uint64_t pc, const JBlock* b) {
                      SystemThreadData::JcEntry& e = sys.jc[SystemThreadData::JcIndex(pc)];
                      if (e.blk == b) e = {};
                      SystemThreadData::L2Entry& l = sys.l2[SystemThreadData::L2Index(pc)];
                      if (l.blk == b) l = {};
                    });
  if (!told) {
    for (unsigned i = 0; i <= SystemThreadData::kJcMask; ++i) sys.jc[i] = {};
    ++sys.l2_generation;
  }
  sys.jc_epoch = epoch;
}

// The block for `pc`, or null with *fault when the pc cannot be fetched.
const JBlock* LookUp(detail::JitState& js, SystemThreadData& sys, uint64_t pc,
                     mem::MmuFault* fault) {
  mem::SoftMmu& mmu = *sys.mmu;
  SystemThreadData::JcEntry& entry = sys.jc[SystemThreadData::JcIndex(pc)];
  uint64_t ppc = 0;
  if (entry.vpc == pc && ProbeFetchPhysical(mmu, pc, &ppc) &&
      entry.key == ((ppc & mem::kTlbPageMask) | mmu.fetch_context())) {
    return entry.blk;  // blocks with a second page never enter the jump cache
  }
  if (!ResolveFetchPhysical(mmu, pc, &ppc, fault)) return nullptr;
  const uint64_t page_key = (ppc & mem::kTlbPageMask) | mmu.fetch_context();
  SystemThreadData::L2Entry& l2 = sys.l2[SystemThreadData::L2Index(pc)];
  if (l2.vpc == pc && l2.key == page_key && l2.generation == sys.l2_generation) {
    entry = {pc, l2.blk->entry, page_key, l2.blk};
    return l2.blk;
  }
  detail::SysKey key{ppc, pc, mmu.fetch_context()};
  const JBlock* blk = js.FindSystem(key);
  if (blk != nullptr && !SecondPageStillMaps(mmu, pc, blk->size, blk->page2)) blk = nullptr;
  bool published = true;
  if (blk == nullptr) {
    blk = js.TranslateSystem(key, mmu, &published);
    // This vCPU's own write TLB may map the block's pages without the code flag, but only if a
    // page joined the code pages since its last SyncCodePages: until then, every page that held
    // code had its entries marked there or by MarkOwnWrites, and a refill marks new entries of
    // code pages itself. (Skipping the sweep of every write TLB saves a boot ~5% of its time.)
    if (js.code_pages().generation() != sys.code_generation) {
      CodePages::MarkOwnWrites(mmu, blk->ppc & mem::kTlbPageMask);
      if (blk->page2 != kNoSecondPage) CodePages::MarkOwnWrites(mmu, blk->page2);
    }
  }
  if (published && blk->page2 == kNoSecondPage) {
    entry = {pc, blk->entry, (blk->ppc & mem::kTlbPageMask) | blk->ctx, blk};
    l2 = {pc, entry.key, sys.l2_generation, blk};
  }
  return blk;
}

uint64_t StopAt(const SiteRec* s, core::CpuHeader* hdr) {
  hdr->retired += s->ordinal;
  hdr->pc = s->pc;
  return s->pc;
}

}  // namespace

core::ExitInfo RunSystem(detail::JitState& js, ThreadData& td, core::Vcpu& vcpu) {
  core::CpuHeader* hdr = vcpu.state;
  core::ExitInfo info;
  if (vcpu.mmu == nullptr) {
    js.Log(fmt::format("jit: system mode needs Vcpu::mmu (pc {:#x})\n", hdr->pc));
    return common::UnsupportedExit(hdr->pc);
  }
  mem::SoftMmu& mmu = *vcpu.mmu;
  if (td.sys == nullptr) td.sys = std::make_unique<SystemThreadData>();
  SystemThreadData& sys = *td.sys;
  if (sys.mmu != &mmu) {
    sys.mmu = &mmu;
    sys.code_generation = 0;
    sys.refills_seen = mmu.stats().refills;
    sys.mmio_seen = mmu.stats().mmio;
    mmu.set_code_tracker(&js);
  }
  JitHot& hot = *td.hot;
  hot.sys_mmu = &mmu;
  hot.sys_jc = sys.jc.get();
  js.Enter(td);
  ir::sem::EnterGuestFp(*hdr);

  for (;;) {
    js.SyncEpoch(td);
    if (sys.jc_epoch != td.jc_epoch) {  // blocks were retired: forget them here too
      ForgetRetired(js, sys, td.jc_epoch);
    }
    SyncCodePages(js, sys, mmu);
    if (hdr->interrupt_request.load(std::memory_order_relaxed) != 0) {
      info.reason = core::ExitReason::kInterrupt;
      info.pc = hdr->pc;
      break;
    }
    mem::MmuFault fault;
    const JBlock* blk = LookUp(js, sys, hdr->pc, &fault);
    if (blk == nullptr) {  // the instruction's page cannot be fetched
      info = common::FetchFaultExit(hdr->pc, fault.vaddr);
      break;
    }
    td.run_blocks.store(td.run_blocks.load(std::memory_order_relaxed) + 1,
                        std::memory_order_relaxed);
    hot.sys_data_tlb = &mmu.data_tlb();
    hot.sys_fetch_tlb = &mmu.fetch_tlb();
    hot.sys_fetch_ctx = mmu.fetch_context();
    // No FaultScope: system-mode code touches only RAM the TLB maps (or goes through the MMU).
    auto status = static_cast<Status>(js.enter()(hdr, &hot, blk->entry));
    if (status == Status::kNeedBlock) continue;
    if (status == Status::kLink) {
      auto* e = const_cast<ExitRec*>(hot.exit_rec);
      const JBlock* src = e->owner;
      uint64_t target = hdr->pc;
      if (((src->pc ^ target) & mem::kTlbPageMask) != 0) continue;  // never chained
      mem::MmuFault f;
      const JBlock* dst = LookUp(js, sys, target, &f);
      if (dst != nullptr && dst->page2 == kNoSecondPage && dst->ctx == src->ctx &&
          dst->ppc == ((src->ppc & mem::kTlbPageMask) | (target & ~mem::kTlbPageMask)) &&
          js.Link(e, hot.link_dir, dst)) {
        hot.chained.store(hot.chained.load(std::memory_order_relaxed) + 1,
                          std::memory_order_relaxed);
      }
      continue;
    }
    if (status == Status::kMmuFault) {
      info = common::DataFaultExit(StopAt(hot.cur_site, hdr), hot.fault_addr,
                                   static_cast<core::MemAccess>(hot.mmu_fault_access),
                                   hot.mmu_access_fault != 0);
      break;
    }
    if (status == Status::kMisaligned) {
      info =
          common::MisalignedExit(StopAt(hot.cur_site, hdr), hot.fault_addr, hot.cur_site->access);
      break;
    }
    if (status != Status::kExit) {  // kUnsupported (kOutOfRange cannot happen here)
      info = common::UnsupportedExit(StopAt(hot.cur_site, hdr));
      js.Log(fmt::format("jit: unsupported op at pc {:#x} (status {})\n", info.pc,
                         static_cast<uint32_t>(status)));
      break;
    }
    const ExitRec& e = *hot.exit_rec;  // retired already counted
    hdr->pc = e.target;
    if (e.kind == ir::ExitKind::kCodeSync) {
      // Every store to code reached the code tracker (SyncCodePages) and every DMA write
      // InvalidatePhysical: no translation can be stale, so fence.i keeps them all.
      js.CountCodeSync();
      continue;
    }
    info = common::ExitInfoOfRecord(e);
    break;
  }

  ir::sem::LeaveGuestFp(*hdr);
  js.AddMmuCounts(hot.mmu_accesses.exchange(0, std::memory_order_relaxed),
                  mmu.stats().refills - sys.refills_seen, mmu.stats().mmio - sys.mmio_seen);
  sys.refills_seen = mmu.stats().refills;
  sys.mmio_seen = mmu.stats().mmio;
  js.Leave(td);
  return info;
}

}  // namespace polyvm::engine::jit
