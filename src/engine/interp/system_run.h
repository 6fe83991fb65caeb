// Interpreter::Run in system mode: block lookup by (virtual pc, physical pc, fetch context)
// through the vCPU's soft MMU, the code tracker's write-TLB marking, and MMU faults as exits.
#pragma once

#include "engine_state.h"
#include "polyvm/core/engine.h"
#include "thread_data.h"

namespace polyvm::engine::interp {

core::ExitInfo RunSystem(detail::EngineState& es, ThreadData& td, core::Vcpu& vcpu);

}  // namespace polyvm::engine::interp
