// Ops the JIT runs out of line: generated code stores the operands in their frame slots and calls
// ColdOp, which evaluates the op with the reference semantics of ir/semantics (so the JIT agrees
// with the interpreter by construction) and writes the result slot.
#pragma once

#include <cstdint>

#include "polyvm/core/cpu_header.h"
#include "polyvm/core/stats.h"
#include "records.h"

namespace polyvm::engine::jit {

// Evaluates `rec` on the vCPU's frame. Returns 0 when done, else the Status generated code must
// stop with (at the op's guest instruction): kUnsupported for an op/type combination it cannot
// run, kOutOfRange / kMisaligned (with hot->fault_addr) for atomics outside guest memory or
// misaligned.
uint32_t ColdOp(const ColdRec* rec, JitHot* hot, core::CpuHeader* st);

// Adds `jit.cold_ops.<Op>` (calls of ColdOp per IR op since the process started, over every JIT
// engine; approximate while several vCPUs call it at once) to `out`, for the ops called at least
// once: what the JIT still runs out of line, by how often.
void CollectColdOpStats(core::Stats& out);

// Reads a host counter (ReadCounter); kRetired is the count as of the block's entry.
uint64_t ReadHostCounter(uint32_t which, const core::CpuHeader* st);

}  // namespace polyvm::engine::jit
