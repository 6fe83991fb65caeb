// The `-d in_asm` listing of a block's guest code, shared by the engines that translate blocks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "polyvm/ir/lifter.h"

namespace polyvm::engine::common {

// "IN: <arch> block at <pc> (<size> bytes)<note>" and one line per guest instruction in
// [pc, pc + size), disassembled by the guest's lifter ("<unfetchable>" where fetching fails).
std::string InAsmListing(const ir::Lifter& lifter, const ir::CodeReader& code, uint64_t pc,
                         uint32_t size, std::string_view note = {});

}  // namespace polyvm::engine::common
