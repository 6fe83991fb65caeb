// The dispatch loop: one function whose labels are the handlers of handlers.def (GCC/clang
// labels-as-values). Each handler reads its operands from the state struct, the slot frame or its
// immediate, as its name says, computes with the ir::sem functions (through ops.h), writes its
// result and jumps straight to the next instruction's handler.
#include "execute.h"

#include <time.h>

#include <bit>
#include <cstring>
#include <type_traits>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

#include "atomics.h"
#include "handler_bodies.h"
#include "handler_table.h"
#include "ops.h"
#include "polyvm/ir/semantics/fp.h"
#include "polyvm/ir/semantics/vec.h"
#include "sys_mem.h"

namespace polyvm::engine::interp {

namespace {

using ops::U128;
using ops::V128;

template <class C>
inline constexpr unsigned kLog2Size = std::countr_zero(sizeof(C));

// Atomics on 16 bytes always need alignment (cmpxchg16b); others when the op says so.
template <class C>
inline bool NeedsAlignment(uint32_t aux) {
  return sizeof(C) == 16 || ir::MemFlags::Decode(aux).aligned;
}

// kRetired is the count as of entry to the current block (the frontend adds the instructions
// completed before the read; see ir::Counter); retired is only updated at block exits.
[[gnu::noinline]] uint64_t ReadCounter(uint32_t which, const core::CpuHeader* hdr) {
  auto counter = static_cast<ir::Counter>(which);
  if (counter == ir::Counter::kRetired) return hdr->retired;
#if defined(__x86_64__)
  if (counter == ir::Counter::kCycles) return __rdtsc();
#endif
  // kNanos, and the cycle counter of hosts without a cheap one.
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000000u + static_cast<uint64_t>(ts.tv_nsec);
}

// kSys: the system-mode instance, whose memory handlers go through the soft MMU (tdp->mmu) and
// whose jump-cache hits check the full system key. Each instance has its own labels.
template <bool kSys>
ExecResult Dispatch(ThreadData* tdp, core::CpuHeader* hdr, const LBlock* blk,
                    const void* const** labels_out) {
  static const void* const kLabels[] = {
#define R(name, ...) &&L_##name,
#include "handlers.def"
#undef R
  };
  static_assert(sizeof(kLabels) / sizeof(kLabels[0]) == kHandlerCount);
  if (labels_out != nullptr) {
    *labels_out = kLabels;
    return {};
  }

  char* const st = reinterpret_cast<char*>(hdr);
  char* const fr = tdp->area.frame;
  uint8_t* const mem = hdr->mem_base;
  mem::SoftMmu* const mmu = tdp->mmu;
  mem::MmuFault mfault;
  // lim[k]: the first guest address at which a (1 << k)-byte access no longer fits below
  // mem_limit, so one unsigned compare checks a + size <= mem_limit without overflow.
  uint64_t lim[5];
  for (unsigned k = 0; k < 5; ++k) {
    uint64_t size = uint64_t{1} << k;
    lim[k] = hdr->mem_limit >= size ? hdr->mem_limit - size + 1 : 0;
  }
  const LInst* ip = blk->code;
  const ExitRec* er = nullptr;
  uint64_t next_pc = 0;
  uint64_t side_value = 0;
  uint64_t fault_addr = 0;
  unsigned link_dir = 0;
  goto* ip->h;

#define R(name, xop, t, t2, kd, ka, kb, kc, body, ...) \
  L_##name : PV_BODY_##body(xop, t, t2, kd, ka, kb, kc, __VA_ARGS__)
#include "handlers.def"
#undef R

side_exit:
  switch (er->kind) {
    case ir::ExitKind::kJump: next_pc = er->target; PV_BOUNDARY_DIRECT(0u);
    case ir::ExitKind::kBranch: {
      bool t_ = (side_value & 1) != 0;
      next_pc = t_ ? er->target : er->fallthrough;
      PV_BOUNDARY_DIRECT(t_ ? 0u : 1u);
    }
    case ir::ExitKind::kIndirect: next_pc = side_value; PV_BOUNDARY_INDIRECT();
    default:  // cur_ip names the block for RunTier's execution count, as EXITRET does
      hdr->retired += er->insn_count;
      PV_TD.cur_ip = ip;
      return {ExecStatus::kExit, er, 0};
  }

leave_at_boundary:
  hdr->pc = next_pc;
  if (hdr->interrupt_request.load(std::memory_order_relaxed) != 0) {
    return {ExecStatus::kInterrupt, nullptr, 0};
  }
  return {ExecStatus::kNeedBlock, nullptr, 0};
jc_miss:
  PV_TD.jc_misses.Inc();
  hdr->pc = next_pc;
  return {ExecStatus::kNeedBlock, nullptr, 0};
profile_event:
  PV_TD.cur_ip = ip;
  hdr->pc = next_pc;
  return {ExecStatus::kProfile, er, 0};
link:
  PV_TD.jc_hits.Inc();
  PV_TD.cur_ip = ip;
  hdr->pc = next_pc;
  return {ExecStatus::kLink, er, link_dir};


// Each dispatch instance uses only one of these two (user mode: range; system mode: MMU faults).
out_of_range:
  __attribute__((unused));
  PV_TD.cur_ip = ip;
  return {ExecStatus::kOutOfRange, nullptr, fault_addr};
misaligned:
  PV_TD.cur_ip = ip;
  return {ExecStatus::kMisaligned, nullptr, fault_addr};
mmu_fault:
  __attribute__((unused));
  PV_TD.cur_ip = ip;
  return {ExecStatus::kMmuFault, nullptr, mfault.vaddr, mfault.access,
          mfault.kind == mem::WalkFault::kAccessFault};
}

}  // namespace

ExecResult Execute(ThreadData& td, core::CpuHeader* state, const LBlock* blk) {
  if (td.mmu != nullptr) return Dispatch<true>(&td, state, blk, nullptr);
  return Dispatch<false>(&td, state, blk, nullptr);
}

const void* const* HandlerLabels() {
  static const void* const* labels = [] {
    const void* const* l = nullptr;
    Dispatch<false>(nullptr, nullptr, nullptr, &l);
    return l;
  }();
  return labels;
}

const void* const* SystemHandlerLabels() {
  static const void* const* labels = [] {
    const void* const* l = nullptr;
    Dispatch<true>(nullptr, nullptr, nullptr, &l);
    return l;
  }();
  return labels;
}

}  // namespace polyvm::engine::interp
