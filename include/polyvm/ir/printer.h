// The text form of IR blocks, for `-d op` logs, golden tests and docs/ir.md. One line per
// instruction (`  v7:i64 = Add v3, v5`), guest instruction markers, then the exits.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "polyvm/ir/block.h"

namespace polyvm::ir {

class Lifter;

// Names the guest register at a state offset ("a0"), or returns "" to print it as `@0x88`.
using RegNamer = std::function<std::string(uint32_t offset)>;

std::string Print(const Block& block, const RegNamer& names = {});
std::string Print(const Block& block, const Lifter& lifter);

// One instruction, without indentation or newline (`v7:i64 = Add v3, v5`).
std::string PrintInst(const Block& block, ValueId id, const RegNamer& names = {});

// One exit, without the `exit: ` prefix (`branch v9 ? 0x10080 : 0x10078`).
std::string PrintExit(const Exit& exit);

}  // namespace polyvm::ir
