// -d out_asm: the host (x86-64) code of each JIT translation, disassembled with Capstone (Debian
// libcapstone-dev). Builds without Capstone compile this out; then Available() is false and
// `polyvm run -d out_asm` refuses to start with a message saying so.
#pragma once

#include <string>

#include "polyvm/engine/jit/jit_engine.h"

namespace polyvm::cli {

bool HostDisassemblerAvailable();
// The listing of one translation: a header line naming the guest pc, one line per host
// instruction of the block's straight-line body, and the size of what follows it.
std::string DisassembleTranslation(const engine::jit::Options::Translation& t);

}  // namespace polyvm::cli
