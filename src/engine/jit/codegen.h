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
// Blocks reach the shared stubs (codegen_shared_stubs.cpp) by `call rel32` from out-of-line code;
// the call's return address identifies the caller's exit record or access.
struct ArenaStubs {
  const uint8_t* epilogue = nullptr;  // restores host registers and returns eax to Run
  // An unchained direct exit asks Run to link direction d (0: taken/target, 1: fallthrough); a
  // direct exit with an interrupt or attention pending leaves to Run for direction d. Each is
  // called from a per-exit `call; dd record - dd`: the dword after the call locates the ExitRec.
  const uint8_t* link[2] = {};
  const uint8_t* leave[2] = {};
  // Jumped to with a target pc in rax: leave to Run for it (kNeedBlock), after counting a jump
  // cache miss for jc_miss.
  const uint8_t* need_block = nullptr;
  const uint8_t* jc_miss = nullptr;
  // User mode's second probe of an indirect exit's jump-cache set (way 1; way 0 is inline): the
  // target pc in rax, the set's offset in JitHot::jc in rcx; jumps to the block or to jc_miss.
  const uint8_t* jc_way1 = nullptr;
  // The soft MMU's slow paths (system mode), by log2 of the access size: the guest address in
  // rax, a store's value in rdx, the access's SiteRec in rcx; a load's value comes back in rax.
  // They save the pool's caller-saved registers, and leave to Run with Status::kMmuFault (the
  // site in JitHot::cur_site) if the access faults.
  const uint8_t* sys_load[4] = {};
  const uint8_t* sys_store[4] = {};
  // System mode's lookup of a block to jump to (codegen_shared_stubs.cpp): the target pc in rax,
  // the jump-cache entry whose code to jump to back in rcx, or a leave to Run.
  const uint8_t* sys_lookup = nullptr;
};

// Signature of the arena's entry trampoline.
using EnterFn = uint32_t (*)(core::CpuHeader* state, JitHot* hot, const uint8_t* code);

// Emits the entry trampoline, the epilogue and the shared stubs at `at`; returns the bytes used
// (at most 1024).
size_t EmitTrampolines(uint8_t* at, size_t room, EnterFn* enter, ArenaStubs* stubs);

enum class CompileResult { kOk, kNoRoom, kTooManyValues };

// Compiles `block` into [at, at + room) for `owner` (whose entry, body_end, code_bytes and exits
// it fills). kNoRoom: the arena is full; kTooManyValues: the block needs more frame slots than
// a frame has (translate a shorter block).
CompileResult CompileBlock(const ir::Block& block, const ArenaStubs& stubs, uint8_t* at,
                           size_t room, JBlock* owner, std::string* error);

}  // namespace polyvm::engine::jit
