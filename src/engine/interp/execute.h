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
  kLink,        // direct exit `exit` (direction addr) of td.cur_ip's block went to state->pc,
                // found in the jump cache: Run may chain them, then continue at state->pc
};

struct ExecResult {
  ExecStatus status = ExecStatus::kNeedBlock;
  const ExitRec* exit = nullptr;
  uint64_t addr = 0;
};

// Runs `blk` and its successors. Must be called inside a FaultScope over guest memory, with the
// guest FP environment entered; touches no lock and allocates nothing.
ExecResult Execute(ThreadData& td, core::CpuHeader* state, const LBlock* blk);

// The handler label addresses, indexed by HandlerId.
const void* const* HandlerLabels();

}  // namespace polyvm::engine::interp
