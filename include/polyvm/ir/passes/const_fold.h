// Constant folding and algebraic simplification of pure integer ops.
#pragma once

#include "polyvm/ir/block.h"

namespace polyvm::ir::passes {

// A pure integer, comparison, select, width-change or bitcast op whose operands are all constants
// becomes a Const (when the result fits Const's zero-extended 64-bit imm), evaluated with
// ir/semantics/int.h. Identities (x+0, x*1, x*0, x&0, x&~0, x|0, x^0, x-x, shifts by 0 mod width,
// Select on a constant condition, CmpEq x,x, ...) forward or replace the result. FP ops (they raise
// flags), memory, state and other effectful ops are never touched. Dead leftovers are for
// EliminateDeadCode.
Block FoldConstants(const Block& in);

}  // namespace polyvm::ir::passes
