// Structural and type checks of an IR block against the op table (opcodes.def) and the per-op
// rules of docs/ir.md. Frontends run it in debug builds and tests; every pass's output passes it.
#pragma once

#include <string>
#include <vector>

#include "polyvm/ir/block.h"

namespace polyvm::ir {

// Every rule the block breaks, one message each ("#5 Add: operand 1 (v7) is not an earlier
// value"); empty if the block is well formed.
std::vector<std::string> Verify(const Block& block);

}  // namespace polyvm::ir
