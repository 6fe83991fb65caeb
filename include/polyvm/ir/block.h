// An IR block: a straight-line list of SSA instructions for a run of guest code, ending in one exit
// (plus optional side exits taken by ExitIf). A value is named by the index of the instruction that
// defines it, so instructions only refer to earlier ones.
#pragma once

#include <cstdint>
#include <limits>
#include <vector>

#include "polyvm/core/exit.h"
#include "polyvm/ir/opcode.h"
#include "polyvm/ir/type.h"

namespace polyvm::ir {

using ValueId = uint32_t;
inline constexpr ValueId kNoValue = std::numeric_limits<ValueId>::max();

struct Inst {
  Opcode op = Opcode::kConst;
  Type type = Type::kVoid;  // result type; kVoid for ops without a result
  uint8_t lane = 0;         // vector ops: log2 of the element size in bytes
  uint32_t aux = 0;         // op-specific mode bits (FpMode, MemFlags, FenceKind, Counter, ...)
  ValueId args[3] = {kNoValue, kNoValue, kNoValue};
  uint64_t imm = 0;         // op-specific immediate (constant, state offset, pc, lane index, ...)

  unsigned NumArgs() const {
    unsigned n = 0;
    while (n < 3 && args[n] != kNoValue) ++n;
    return n;
  }
};

enum class ExitKind : uint8_t {
  kJump,      // continue at `target`
  kBranch,    // continue at `target` if `value` (an i1) is 1, else at `fallthrough`
  kIndirect,  // continue at the address in `value` (an i64)
  kSyscall,   // system call; `target` = pc after it, `info` = pc of the syscall instruction
  kTrap,      // guest exception `trap` at pc `target`; `info` = raw instruction bits
  kCodeSync,  // instruction-fetch barrier (fence.i); continue at `target`
  kHalt,      // vCPU stops (wfi/hlt); resume at `target`
};

// Lets an engine predict returns: a call's return address is `fallthrough`.
enum class BranchHint : uint8_t { kNone, kCall, kReturn };

struct Exit {
  ExitKind kind = ExitKind::kTrap;
  BranchHint hint = BranchHint::kNone;
  core::TrapCode trap = core::TrapCode::kNone;
  ValueId value = kNoValue;
  uint64_t target = 0;
  uint64_t fallthrough = 0;
  uint64_t info = 0;
  uint32_t insn_count = 0;  // guest instructions completed when leaving through this exit
};

struct Block {
  uint64_t pc = 0;          // guest address of the first instruction
  uint32_t size = 0;        // bytes of guest code covered, [pc, pc + size)
  uint32_t insn_count = 0;  // guest instructions in the block
  std::vector<Inst> insts;
  Exit exit;
  std::vector<Exit> side_exits;  // targets of ExitIf, by index

  Type TypeOf(ValueId v) const { return insts[v].type; }
  // Empty again, keeping the vectors' storage (a translator lifting block after block into one
  // Block allocates nothing once it has seen its largest).
  void Clear() {
    pc = 0;
    size = 0;
    insn_count = 0;
    insts.clear();
    exit = Exit{};
    side_exits.clear();
  }
};

}  // namespace polyvm::ir
