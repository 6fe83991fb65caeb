// Lowering: an (optimised) IR block in, the interpreter's executable LBlock out. It chooses where
// each value lives (a guest-state field, a slot, or an immediate), fuses GetReg/SetReg into the
// operands of the ops that use them, fuses compare+branch and load+extend, and picks for every op
// the handler specialised for its types and operand kinds.
#pragma once

#include <memory>
#include <string>

#include "lowered.h"
#include "polyvm/ir/block.h"

namespace polyvm::engine::interp {

// Returns null (and says why in `error`) only when the block needs more slot frame than a vCPU
// has; the caller retries with a shorter block. An op or type combination without a handler does
// not fail lowering: it becomes a kUnsupported handler that traps precisely when reached.
std::unique_ptr<LBlock> Lower(const ir::Block& block, std::string* error);

// The lowered code as text, one instruction a line (for Options::log_lowered and tests).
std::string DescribeLowered(const LBlock& block);

}  // namespace polyvm::engine::interp
