// Forms a superblock: the block at a hot head, followed along its hotter successors by the blocks
// there, stitched with ir::AppendBlock (a conditional exit becomes a side exit to the colder
// direction) until a size limit, an exit whose hotter (or only) direction leads back into the
// superblock (a loop: to the head, the JIT's self-loop), an exit that is not a direct jump or
// branch, or a successor the profile cannot rank.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm/ir/block.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::jit {

struct FormOptions {
  uint32_t block_insns = 64;  // each part is lifted as the first tier lifts it
  uint32_t max_insns = 256;   // guest instructions in the superblock at most
  // IR values before optimisation at most: the JIT's frame has 4096 value slots.
  uint32_t max_values = 3072;
};

// Which way the block at `pc` most often left, given its two direct successors (equal for a
// jump); none: stop the superblock there.
using SuccessorChooser =
    std::function<std::optional<uint64_t>(uint64_t pc, uint64_t target, uint64_t fallthrough)>;

// Fills `out` (not optimised) and `ranges` (the guest code of each part, head first). False when
// no second block could be added: a superblock of one block is the first tier's translation.
bool FormSuperblock(const ir::Lifter& lifter, const ir::CodeReader& code, uint64_t head,
                    const FormOptions& options, const SuccessorChooser& choose, ir::Block& out,
                    std::vector<JitEngine::CodeRange>& ranges);

}  // namespace polyvm::engine::jit
