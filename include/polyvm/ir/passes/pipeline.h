// The standard optimisation pipeline run on every block before an engine uses it.
#pragma once

#include "polyvm/ir/block.h"

namespace polyvm::ir::passes {

// Constant folding, copy propagation, dead guest-register-write elimination and dead code
// elimination, to a fixed point. The result computes exactly what the input did.
Block Optimize(const Block& in);

}  // namespace polyvm::ir::passes
