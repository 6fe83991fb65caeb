// IR block -> x86-64 code, emitted with Xbyak straight into the code arena.
//
// Register conventions (docs/jit.md): rbx = guest state (CpuHeader*), r12 = guest memory base,
// r13 = the vCPU's JitHot (value frame, jump cache, fault site); rax, rcx, rdx, rsi, rdi, r8-r11
// and xmm0-xmm3 are scratch within one op. Values live in 16-byte frame slots (one per IR value)
// unless they are constants; see docs/jit.md for what is inline and what calls ColdOp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "block.h"
#include "polyvm/core/cpu_header.h"
#include "polyvm/ir/block.h"

namespace polyvm::engine::jit {

// Where each arena's shared entry and exit code is.
struct ArenaStubs {
  const uint8_t* epilogue = nullptr;  // restores host registers and returns eax to Run
};

// Signature of the arena's entry trampoline.
using EnterFn = uint32_t (*)(core::CpuHeader* state, JitHot* hot, const uint8_t* code);

// Emits the entry trampoline and the epilogue at `at`; returns the bytes used (at most 128).
size_t EmitTrampolines(uint8_t* at, size_t room, EnterFn* enter, ArenaStubs* stubs);

enum class CompileResult { kOk, kNoRoom, kTooManyValues };

// Compiles `block` into [at, at + room) for `owner` (whose entry, body_end, code_bytes and exits
// it fills). kNoRoom: the arena is full; kTooManyValues: the block needs more frame slots than
// a frame has (translate a shorter block).
CompileResult CompileBlock(const ir::Block& block, const ArenaStubs& stubs, uint8_t* at,
                           size_t room, JBlock* owner, std::string* error);

}  // namespace polyvm::engine::jit
