// Dead code elimination: drops instructions whose results nobody uses, when the op table says
// the op may go (IsRemovable: pure ops and GetReg). Everything else keeps its place.
#pragma once

#include "polyvm/ir/block.h"

namespace polyvm::ir::passes {

// The remaining values are renumbered in order; guest instruction markers, memory accesses, FP ops
// (they raise flags), state writes, helpers and exits always stay.
Block EliminateDeadCode(const Block& in);

}  // namespace polyvm::ir::passes
