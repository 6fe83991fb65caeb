// Dead guest-register-write elimination: a SetReg whose bytes are all written again later in the
// block, before anything could observe them, is dropped.
#pragma once

#include "polyvm/ir/block.h"

namespace polyvm::ir::passes {

// Observers that keep an earlier SetReg alive: a GetReg of overlapping bytes, an op with helper
// effects (it may read any state), and any op that may leave the block (memory accesses may fault,
// ExitIf may exit): guest state must be exact there so that faults are precise. Writes still
// pending at the end of the block are live, since the next block reads them.
Block EliminateDeadStateWrites(const Block& in);

}  // namespace polyvm::ir::passes
