// One riscv64 vCPU run by a HybridEngine over test guest memory, for the hybrid tests.
#pragma once

#include "polyvm/engine/hybrid/hybrid_engine.h"
#include "riscv_engine_machine.h"

namespace polyvm::engine::hybrid::test {

using RiscvHybridMachine = interp::test::RiscvEngineMachine<HybridEngine>;

}  // namespace polyvm::engine::hybrid::test
