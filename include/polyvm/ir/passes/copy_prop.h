// Copy propagation through guest state (redundant state-load elimination): a GetReg of bytes the
// block already wrote or read, with the same offset and type, becomes the value it saw.
#pragma once

#include "polyvm/ir/block.h"

namespace polyvm::ir::passes {

// Uses of a replaced GetReg are rewritten; the GetReg itself stays for EliminateDeadCode. A SetReg
// to overlapping but different bytes, and any op with helper effects (or another state writer),
// forget what was known.
Block PropagateCopies(const Block& in);

}  // namespace polyvm::ir::passes
