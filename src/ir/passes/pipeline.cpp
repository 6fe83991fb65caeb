// The standard pipeline: each round propagates state copies, folds, drops dead values, drops dead
// state writes (whose GetRegs DCE just removed) and drops what those writes used. Rounds repeat
// until nothing changes; every pass only shrinks or simplifies, so a few rounds suffice and the
// bound only guards against a bug turning into an endless loop.
//
// A round whose last two passes drop nothing is the last: copies and folds depend on the state
// offsets and operands the instructions have, not on which values are used, so a round after the
// first dead code elimination already found everything they can (the JIT translates each block
// once, and a confirming round was a sixth of its translation time). Builds with assertions run
// the confirming round anyway and check that it changes nothing.
#include "polyvm/ir/passes/pipeline.h"

#include <cassert>

#include "polyvm/ir/passes/const_fold.h"
#include "polyvm/ir/passes/copy_prop.h"
#include "polyvm/ir/passes/dce.h"
#include "polyvm/ir/passes/dead_writes.h"
#include "rewrite.h"

namespace polyvm::ir::passes {

namespace {
constexpr int kMaxRounds = 8;
}

Block Optimize(const Block& in) {
  Block b;
  const Block* last = &in;  // the previous round's result
  for (int round = 0; round < kMaxRounds; ++round) {
    Block next = PropagateCopies(*last);
    next = FoldConstants(next);
    next = EliminateDeadCode(next);
    const size_t live = next.insts.size();
    next = EliminateDeadStateWrites(next);
    next = EliminateDeadCode(next);
    if (next.insts.size() == live) {  // both only drop instructions: nothing was dropped
#ifndef NDEBUG
      Block again = EliminateDeadCode(FoldConstants(PropagateCopies(next)));
      again = EliminateDeadCode(EliminateDeadStateWrites(again));
      assert(detail::SameCode(again, next) && "a pipeline round after a quiet one changed code");
#endif
      return next;
    }
    // Something was dropped, so this round changed the block (every pass only drops or
    // simplifies): the next round may find more.
    b = std::move(next);
    last = &b;
  }
  return *last;
}

}  // namespace polyvm::ir::passes
