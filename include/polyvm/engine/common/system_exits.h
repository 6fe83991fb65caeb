// The exits both engines' system-mode run loops hand to the machine (docs/system-mode.md, "The
// engine interface", "Faults"): written once so that the interpreter and the JIT report a fault
// the same way.
#pragma once

#include <cstdint>

#include "polyvm/core/exit.h"

namespace polyvm::engine::common {

// Something the engine cannot run at pc (the reason goes to the engine's log).
inline core::ExitInfo UnsupportedExit(uint64_t pc) {
  core::ExitInfo info;
  info.reason = core::ExitReason::kTrap;
  info.trap = core::TrapCode::kUnsupported;
  info.pc = pc;
  return info;
}

// The page of the instruction at pc cannot be fetched; `vaddr` is the address that failed.
inline core::ExitInfo FetchFaultExit(uint64_t pc, uint64_t vaddr) {
  core::ExitInfo info;
  info.reason = core::ExitReason::kMemoryFault;
  info.access = core::MemAccess::kFetch;
  info.addr = vaddr;
  info.pc = pc;
  return info;
}

// A load or store the MMU refused. An access fault (a device page for an atomic, nothing at the
// physical address) cannot be told from a page fault by re-walking, so it says so.
inline core::ExitInfo DataFaultExit(uint64_t pc, uint64_t addr, core::MemAccess access,
                                    bool access_fault) {
  core::ExitInfo info;
  info.reason = core::ExitReason::kMemoryFault;
  info.pc = pc;
  info.addr = addr;
  info.access = access;
  info.mapped = !access_fault;
  info.bus_error = access_fault;
  return info;
}

inline core::ExitInfo MisalignedExit(uint64_t pc, uint64_t addr, core::MemAccess access) {
  core::ExitInfo info;
  info.reason = core::ExitReason::kTrap;
  info.trap = core::TrapCode::kMisaligned;
  info.pc = pc;
  info.addr = addr;
  info.access = access;
  return info;
}

}  // namespace polyvm::engine::common
