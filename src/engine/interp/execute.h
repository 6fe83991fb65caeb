// The threaded dispatch loop that runs lowered blocks: it follows jumps, branches and indirect
// jumps from block to block through the vCPU's jump cache, and returns when it needs something
// only Run may do (translate, flush the jump cache, report an exit).
#pragma once

#include <atomic>
#include <cstdint>

#include "lowered.h"
#include "polyvm/core/cpu_header.h"
#include "thread_data.h"

namespace polyvm::engine::interp {

enum class ExecStatus : uint8_t {
  kNeedBlock,   // state->pc has no jump-cache entry, or blocks were retired (td.attention)
  kExit,        // `exit` was taken (syscall, trap, halt, code sync); retired already counted
  kInterrupt,   // interrupt_request was set at a block boundary; state->pc = the next block
  kOutOfRange,  // td.cur_ip's access at `addr` is outside [0, mem_limit)
  kMisaligned,  // td.cur_ip's access at `addr` needed natural alignment
  kUnsupported, // td.cur_ip is a kUnsupported handler
  kMmuFault,    // system mode: td.cur_ip's access faulted at `addr` (kind `access`)
  kLink,        // direct exit `exit` (direction addr) of td.cur_ip's block went to state->pc,
                // found in the jump cache: Run may chain them, then continue at state->pc
  kProfile,     // exit `exit` of td.cur_ip's block ran out of its countdown (RunTier); state->pc
                // = where execution continues
};

struct ExecResult {
  ExecStatus status = ExecStatus::kNeedBlock;
  const ExitRec* exit = nullptr;
  uint64_t addr = 0;
  core::MemAccess access = core::MemAccess::kRead;
  bool access_fault = false;  // kMmuFault: an access (PMA) fault rather than a page fault
};

// Runs `blk` and its successors. User mode (td.mmu null): must be called inside a FaultScope over
// guest memory, touches no lock and allocates nothing. System mode: memory goes through td.mmu,
// whose slow paths may lock (device accesses, code-write invalidation). Both with the guest FP
// environment entered.
ExecResult Execute(ThreadData& td, core::CpuHeader* state, const LBlock* blk);

// The handler label addresses, indexed by HandlerId: of the user-mode dispatch loop, and of the
// system-mode one (memory through the soft MMU) that system-mode blocks are relabelled to.
const void* const* HandlerLabels();
const void* const* SystemHandlerLabels();

}  // namespace polyvm::engine::interp
