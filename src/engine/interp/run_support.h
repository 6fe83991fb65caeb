// What both of Interpreter::Run's loops (user mode in interpreter.cpp, system mode in
// system_run.cpp) do with what Execute reports: make the state exact at a stopped instruction and
// turn an exit record into an ExitInfo.
#pragma once

#include <cstdint>

#include "execute.h"
#include "handler_table.h"
#include "lowered.h"
#include "polyvm/core/exit.h"
#include "polyvm/engine/common/exit_record.h"
#include "thread_data.h"

namespace polyvm::engine::interp {

// The access kind a stopped memory handler was making (atomics report writes, LR reads).
inline core::MemAccess AccessOf(const LInst* ip) {
  switch (kHandlerRows[ip->hid].op) {
    case XOp::kLoad:
    case XOp::kLoadZx:
    case XOp::kLoadSx:
    case XOp::kLoadA:
    case XOp::kLoadLinked:
    case XOp::kCallHelper:  // a helper's own accesses are not known here; reads are most common
      return core::MemAccess::kRead;
    default: return core::MemAccess::kWrite;  // stores and atomics (which report writes)
  }
}

// Makes the state exact at the instruction `td.hot().cur_ip` belongs to: pc and retired count of a
// guest instruction that did not complete. Returns that pc.
inline uint64_t StopAt(const ThreadData& td, core::CpuHeader* hdr) {
  const LInst* ip = td.hot().cur_ip;
  const LBlock* blk = BlockOf(ip);
  uint32_t ordinal = blk->ordinal[static_cast<size_t>(ip - blk->code)];
  uint64_t pc = blk->PcOfOrdinal(ordinal);
  hdr->retired += ordinal;
  hdr->pc = pc;
  return pc;
}

// The ExitInfo of an exit the caller handles (syscall, trap, halt); hdr->pc is already e.target.
inline core::ExitInfo ExitOfRecord(const ExitRec& e) { return common::ExitInfoOfRecord(e); }

}  // namespace polyvm::engine::interp
