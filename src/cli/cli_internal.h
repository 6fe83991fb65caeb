// The pieces of the polyvm binary that main.cpp wires together.
#pragma once

#include "polyvm/cli/options.h"
#include "polyvm/core/engine.h"
#include "polyvm/linux/process.h"

namespace polyvm::cli {

int RunMain(const RunCommand& cmd);
int DisasmMain(const DisasmCommand& cmd);
void PrintStats(const core::ExecutionEngine& engine, const linux::Process& proc);

}  // namespace polyvm::cli
