// The interpreter's executable form of a block: fixed-size instructions naming a handler (a label
// of the threaded dispatch loop) and byte offsets of their operands in the guest state struct or
// in the vCPU's slot frame. Produced by Lower(), run by Execute().
#pragma once

#include <atomic>
#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "polyvm/core/exit.h"
#include "polyvm/ir/block.h"
#include "polyvm/ir/opcode.h"

namespace polyvm::engine::interp {

// Where a handler finds an operand. The kinds are part of the handler's identity (each handler is
// specialised for one combination), so reading an operand never tests its kind at run time.
enum class K : uint8_t {
  N,  // no operand
  S,  // guest state: byte offset from the state pointer
  F,  // slot frame: byte offset from the vCPU's frame (16-byte slots)
  I,  // the instruction's 64-bit `imm`
  J,  // the instruction's `aux`, a sign-extended 32-bit immediate
};

// The ops handlers implement: every IR opcode (same numbering) followed by the interpreter's own
// lowered forms.
enum class XOp : uint16_t {
#define OP(name, res, a0, a1, a2, props, doc) k##name,
#include "polyvm/ir/opcodes.def"
#undef OP
  kMov,        // copy between state, slots and immediates (GetReg, SetReg, Const, ZExt)
  kCmpGtS,     // mirrored comparisons (a constant first operand moved second)
  kCmpGtU,
  kCmpGeS,
  kCmpGeU,
  kLoadZx,     // Load of an 8/16/32-bit value zero-extended to i64
  kLoadSx,     // ... sign-extended to i64
  kLoadA,      // Load that must be naturally aligned
  kStoreA,     // Store that must be naturally aligned
  kFenceFull,  // StoreLoad ordering (mfence)
  kFenceCompiler,
  kBrEq,  // branch exits fused with their integer comparison
  kBrLtS,
  kBrLtU,
  kBrLeS,
  kBrLeU,
  kExitIfEq,  // ExitIf fused with its comparison (lane = 1: negated)
  kExitIfLtS,
  kExitIfLtU,
  kExitIfLeS,
  kExitIfLeU,
  kExitJump,
  kExitBranch,
  kExitIndirect,
  kExitReturn,   // an exit the caller of Run handles (syscall, trap, halt, code sync)
  kUnsupported,  // an op/type combination without a handler: a precise kUnsupported trap
  kCount
};

inline constexpr XOp ToXOp(ir::Opcode op) { return static_cast<XOp>(op); }

struct LInst {
  const void* h = nullptr;  // handler label
  uint16_t d = 0, a = 0, b = 0, c = 0;  // operand byte offsets (by the handler's kinds)
  uint32_t aux = 0;
  uint8_t lane = 0;
  uint8_t spare = 0;
  uint16_t hid = 0;  // handler id, for logs and fault reports
  uint64_t imm = 0;
};
static_assert(sizeof(LInst) == 32);

struct LBlock;

// One way out of a block. Lowered exit handlers point at these through `imm`.
struct ExitRec {
  ir::ExitKind kind = ir::ExitKind::kTrap;
  core::TrapCode trap = core::TrapCode::kNone;
  uint32_t insn_count = 0;
  uint64_t target = 0;
  uint64_t fallthrough = 0;
  uint64_t info = 0;
  uint64_t last_pc = 0;  // pc of the last guest instruction before the exit
  // Direct chaining of jump and branch exits: [0] target, [1] fallthrough. The successor block's
  // first instruction once both blocks are published (the block's own code for a loop), so the
  // exit continues without a jump-cache lookup; null otherwise. Set under the engine's chain lock,
  // cleared there when the successor is retired (see EngineState::Link).
  mutable std::atomic<const LInst*> chain[2] = {nullptr, nullptr};
  mutable const LBlock* chained_to[2] = {nullptr, nullptr};  // for unlinking; chain lock
  // Execution counting for tiering (Interpreter::RunTier): runs left until the next report, and
  // the count that report gives. Relaxed and racy across vCPUs: a lost count only delays a report.
  mutable std::atomic<int32_t> countdown{0};
  mutable std::atomic<uint32_t> count_base{1};
};

// Where the block cache files a block: user mode by guest pc ({pc, pc, 0}); system mode by
// physical pc first (so invalidation by physical range is a range of the map), then virtual pc and
// fetch context (docs/system-mode.md, "Translated code").
struct BlockKey {
  uint64_t addr = 0;  // the address invalidations are given in: pc (user), physical pc (system)
  uint64_t vpc = 0;
  uint32_t ctx = 0;
  auto operator<=>(const BlockKey&) const = default;
};

struct LBlock {
  uint64_t pc = 0;
  uint32_t size = 0;  // guest bytes covered
  BlockKey key;
  // System mode: the physical page of the second page the block reaches into, or
  // engine::kNoSecondPage. A lookup checks that the page still translates there.
  uint64_t page2 = ~uint64_t{0};
  bool pages_registered = false;  // counted in the engine's code pages (engine lock)
  uint32_t insn_count = 0;
  uint32_t frame_bytes = 0;  // slot frame this block needs
  // code_storage[0] is a sentinel (h == nullptr, imm = this) so a fault handler can find the block
  // of any instruction; `code` starts after it.
  std::unique_ptr<LInst[]> code_storage;
  LInst* code = nullptr;
  uint32_t code_size = 0;
  std::unique_ptr<ExitRec[]> exits;  // [0] the block's exit, [1 + i] side exit i
  uint32_t num_exits = 0;
  std::vector<uint32_t> ordinal;     // per code index: guest instructions completed before it
  std::vector<uint64_t> insn_pcs;    // per guest instruction ordinal: its pc
  std::string unsupported;           // why a kUnsupported handler was emitted, if one was
  // Exits of other blocks chained to this one: (exit, direction). Guarded by the chain lock.
  mutable std::vector<std::pair<const ExitRec*, unsigned>> incoming;

  uint64_t PcOfOrdinal(uint32_t k) const { return k < insn_pcs.size() ? insn_pcs[k] : pc; }
};

// The block holding instruction `ip` (walks back to the sentinel).
inline const LBlock* BlockOf(const LInst* ip) {
  while (ip->h != nullptr) --ip;
  return reinterpret_cast<const LBlock*>(ip->imm);
}

}  // namespace polyvm::engine::interp
