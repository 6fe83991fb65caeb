// Superblock formation at the IR level: appending the block lifted at one successor of a block to
// it, so that several guest basic blocks become one straight line with side exits. Arch-neutral:
// it rewrites exits, value numbers and counters, and never looks at guest code (docs/ir.md,
// "Superblocks").
#pragma once

#include <cstdint>

#include "polyvm/ir/block.h"

namespace polyvm::ir {

// Appends `next` to `head`, whose main exit must be a kJump to next.pc or a kBranch with one
// direction at next.pc; returns false (head untouched) otherwise.
//
// - A kJump exit is dropped. A kBranch exit becomes an ExitIf at the end of head's instructions
//   whose side exit is a kJump to the other direction (insn_count as the branch had); an integer
//   compare read only by the branch is replaced by its inverse, anything else is negated with Not.
// - `next`'s values are renumbered after head's and its side exits appended after head's; its
//   exits count head's completed instructions too (the seam's insn_count is added), and so does
//   a ReadCounter kRetired (which reads the count as of the superblock's entry, not next's).
// - head.insn_count grows by next's; head.size becomes 0: a superblock's code is not one range
//   (the verifier then skips its marker-range check), and whoever caches it tracks the ranges of
//   its parts.
// Everything head did before the seam happens before anything of next, so the result computes
// exactly what running head and then (when it continued at next.pc) next computes.
bool AppendBlock(Block& head, const Block& next);

}  // namespace polyvm::ir
