// -d out_asm: the host (x86-64) code of each JIT translation, disassembled with Capstone (Debian
// libcapstone-dev). Builds without Capstone compile this out; then Available() is false and
// `polyvm run -d out_asm` refuses to start with a message saying so.
#pragma once

#include <cstdio>
#include <functional>
#include <string>

#include "perf_map.h"
#include "polyvm/engine/jit/jit_engine.h"

namespace polyvm::cli {

bool HostDisassemblerAvailable();
// The listing of one translation: a header line naming the guest pc, one line per host
// instruction of the block's straight-line body, and the size of what follows it.
std::string DisassembleTranslation(const engine::jit::Options::Translation& t);
// The JIT's translation listener for --perfmap and -d out_asm (`polyvm run` and `polyvm boot`):
// names each translation in `perf_map` and lists it to `out_asm`, either of which may be null
// (no listener if both are).
std::function<void(const engine::jit::Options::Translation&)> TranslationListener(PerfMap* perf_map,
                                                                                  FILE* out_asm);

}  // namespace polyvm::cli
