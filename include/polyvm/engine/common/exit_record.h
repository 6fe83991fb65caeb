// The ExitInfo of a block exit that the engine's caller handles (syscall, trap, halt), shared by
// the engines: each keeps its own exit record type, with the fields used here.
#pragma once

#include "polyvm/core/exit.h"
#include "polyvm/ir/block.h"

namespace polyvm::engine::common {

// `e` has kind (ir::ExitKind), trap, info, target and last_pc; the vCPU's pc is already e.target.
template <class ExitRecord>
core::ExitInfo ExitInfoOfRecord(const ExitRecord& e) {
  core::ExitInfo info;
  if (e.kind == ir::ExitKind::kSyscall) {
    info.reason = core::ExitReason::kSyscall;
    info.pc = e.info;
  } else if (e.kind == ir::ExitKind::kTrap && e.trap == core::TrapCode::kFetchFault) {
    info.reason = core::ExitReason::kMemoryFault;
    info.access = core::MemAccess::kFetch;
    info.addr = e.info;
    info.pc = e.target;
  } else if (e.kind == ir::ExitKind::kTrap) {
    info.reason = core::ExitReason::kTrap;
    info.trap = e.trap;
    info.pc = e.target;
    info.info = e.info;
  } else {
    info.reason = core::ExitReason::kHalt;
    info.pc = e.last_pc;
  }
  return info;
}

}  // namespace polyvm::engine::common
