// The standard pipeline: each round propagates state copies, folds, drops dead values, drops dead
// state writes (whose GetRegs DCE just removed) and drops what those writes used. Rounds repeat
// until nothing changes; every pass only shrinks or simplifies, so a few rounds suffice and the
// bound only guards against a bug turning into an endless loop.
#include "polyvm/ir/passes/pipeline.h"

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
  Block b = in;
  for (int round = 0; round < kMaxRounds; ++round) {
    Block next = PropagateCopies(b);
    next = FoldConstants(next);
    next = EliminateDeadCode(next);
    next = EliminateDeadStateWrites(next);
    next = EliminateDeadCode(next);
    if (detail::SameCode(next, b)) return next;
    b = std::move(next);
  }
  return b;
}

}  // namespace polyvm::ir::passes
