// The records generated code and the Run loop share: the per-vCPU hot area the code addresses
// through a pinned register, and the exit, memory-site and out-of-line-op records that blocks keep
// in the code arena beside their code (so they live exactly as long as the code that uses them).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polyvm/core/exit.h"
#include "polyvm/ir/block.h"

namespace polyvm::engine::jit {

struct JBlock;

// What generated code returns to Run in eax.
enum class Status : uint32_t {
  kNeedBlock = 0,  // state->pc holds the next pc: find or translate it (also: interrupt, attention)
  kLink = 1,       // an unchained direct exit ran: state->pc is its target; link it (hot.exit_rec)
  kExit = 2,       // an exit Run must report (hot.exit_rec), retired already counted
  kOutOfRange = 3,   // a guest access outside [0, mem_limit) (hot.cur_site, hot.fault_addr)
  kMisaligned = 4,   // an access that must be aligned was not (hot.cur_site, hot.fault_addr)
  kUnsupported = 5,  // an op/type the JIT cannot run (hot.cur_site)
  // System mode: a soft-MMU access faulted (hot.cur_site; hot.fault_addr, hot.mmu_fault_access,
  // hot.mmu_access_fault).
  kMmuFault = 6,
  // User mode: the block's entry check found fp_round to be a mode MXCSR lacks (RISC-V's RMM):
  // state->pc is the block, nothing of it ran; run its rounding variant instead.
  kRoundingVariant = 7,
};

// One exit of a block (main or side exit), in the arena.
struct ExitRec {
  ir::ExitKind kind;
  core::TrapCode trap;
  uint32_t insn_count;
  uint64_t target, fallthrough, info;
  uint64_t last_pc;  // the block's last guest instruction (kHalt reports it)
  JBlock* owner;
  // Direct exits: the rel32 field of each direction's patchable jmp and where it jumps when
  // unchained (the stub that asks Run to link); the block it is chained to (under the chain lock).
  uint8_t* patch[2];
  uint8_t* stub[2];
  JBlock* chained_to[2];
};

// A guest memory access, helper call or unsupported op: where a fault there is reported.
struct SiteRec {
  uint64_t pc;       // the guest instruction
  uint32_t ordinal;  // instructions of the block completed before it
  core::MemAccess access;
  uint16_t nfix = 0;  // StateFix records that follow this one in the arena
};

// A guest state field written lazily (codegen_lazy.cpp), and where its current value is at one
// memory site: a host fault there must copy it into the state before the state is read. Stored
// right after the site's SiteRec.
//
// A self-loop's deferred flags (codegen_loop_flags.cpp) add three kinds, applied in order after
// the fields before them (they read those fields from the state):
// - kGuard: the next `value` records apply only if the retired count in host register `reg`
//   differs from the state's (a back edge was taken since the state was last made exact; else
//   the state's flag bytes are still exact). Comes before the retired count's own fix.
// - kFlag: the i1 field at `off` is `test(P, Q)` at `size` bytes (4 or 8), `reg` a FlagTest;
//   followed by three kOperand records: P's base, P's adjustment, Q.
// - kOperand: a state field (`size` bytes at `off`, read before this record's flag is written)
//   or, with size 0, the constant `value`; `reg` says how an adjustment combines with the base
//   (FlagAdjust; kNone: absent).
struct StateFix {
  enum Where : uint8_t { kReg, kSlot, kConst, kGuard, kFlag, kOperand };
  // P against Q: the IR's compares (signed, unsigned), their mirrors, and the overflow of P - Q
  // and P + Q.
  enum FlagTest : uint8_t {
    kLtS,
    kLeS,
    kLtU,
    kLeU,
    kEq,
    kNe,
    kGtS,
    kGeS,
    kGtU,
    kGeU,
    kSubOv,
    kAddOv
  };
  enum FlagAdjust : uint8_t { kNone, kAdd, kSub, kAnd };
  uint32_t off;    // the field's offset in the guest state
  uint8_t size;    // 1, 2, 4 or 8 bytes
  Where where;
  uint8_t reg;     // kReg: host register number (x86-64 encoding, as in the fault's context)
  uint64_t value;  // kSlot: byte offset of the frame slot from the hot area; kConst: the value
};
// The value of a kFlag record (followed by its three kOperand records) on the state `state`.
bool EvalFlagFix(const StateFix* flag, const uint8_t* state);
static_assert(sizeof(SiteRec) == 16 && sizeof(StateFix) == 16);
inline const StateFix* FixesOf(const SiteRec* s) { return reinterpret_cast<const StateFix*>(s + 1); }

// An op run out of line by ColdOp: operand and result slots are byte offsets in the frame.
struct ColdRec {
  ir::Opcode op;
  ir::Type type;
  ir::Type arg_type[3];
  uint8_t lane;
  uint8_t nargs;
  uint32_t aux;
  uint64_t imm;
  uint32_t dst;
  uint32_t arg[3];
};

struct JcEntry {
  uint64_t pc;
  const uint8_t* code;
};

inline constexpr unsigned kJcBits = 12;
inline constexpr uint64_t kJcMask = (uint64_t{1} << kJcBits) - 1;
inline constexpr unsigned kFrameBytes = 1u << 16;  // 4096 16-byte value slots
// The user-mode jump cache (JitHot::jc) is 2-way set-associative: 2^(kJcBits - 1) sets of two
// entries. The set of pc is its bits 1-11 with bits 13-23 folded in (pc ^ pc >> kJcFold), so that
// 4-byte-aligned pcs (AArch64's: bit 1 always clear) use every set; two ways, so that two hot
// targets of one set do not evict each other at every jump (direct-mapped, glibc's vfprintf
// jumping between 0x406e60 and 0x426e60 missed half a million times in strfmt, and after a
// different hash another pair did so on riscv64). Generated code probes way 0 inline and way 1 in
// a shared stub (codegen_exit.cpp, EmitIndirect; codegen_shared_stubs.cpp); Run fills way 0 and
// moves its previous entry to way 1.
inline constexpr unsigned kJcFold = 12;
inline constexpr unsigned kJcSets = 1u << (kJcBits - 1);
inline unsigned JcSet(uint64_t pc) {
  return static_cast<unsigned>(((pc ^ (pc >> kJcFold)) >> 1) & (kJcSets - 1));
}
// Calls whose returns are predicted at once; a deeper call starts the predictions over.
inline constexpr unsigned kReturnStackDepth = 32;

// A counter only its vCPU writes (generated code increments it in place); others read it relaxed.
using Counter = std::atomic<uint64_t>;
static_assert(Counter::is_always_lock_free && sizeof(Counter) == 8);

// The per-vCPU fields generated code reads and writes, at constant offsets from the pinned r13.
struct JitHot {
  const SiteRec* cur_site = nullptr;
  // Set by whoever retires code (after bumping the epoch): the vCPU returns to Run at the next
  // block boundary to flush its jump cache.
  std::atomic<uint32_t> attention{0};
  uint32_t link_dir = 0;
  const ExitRec* exit_rec = nullptr;
  uint64_t fault_addr = 0;
  // Constants of the FP result checks (EmitFpResultCheck): an f64 result's bits shifted left by
  // one are above the first for a NaN and equal to the second for the smallest normal magnitude.
  // A memory operand costs less than a 10-byte mov to a scratch register per FP op.
  uint64_t f64_nan_above = 0xFFE0000000000000, f64_min_normal2 = 0x0020000000000000;
  // lim[k]: the first guest address at which a (1 << k)-byte access no longer fits below
  // mem_limit; one unsigned compare checks a + size <= mem_limit without overflow.
  uint64_t lim[5] = {};
  Counter chained{0};  // exits this vCPU had linked (chained jumps themselves are not counted)
  // Jump-cache misses of indirect exits (hits are not counted: an increment per hit costs too
  // much) and returns whose target was not the predicted one.
  Counter jc_misses{0}, ret_misses{0};
  // Return prediction (codegen_exit.cpp): rsp at block entry, where the stack of predictions is
  // empty, and the lowest rsp it may grow to (kReturnStackDepth entries of 16 bytes).
  uintptr_t rs_base = 0, rs_floor = 0;
  // System mode (system_run.cpp, codegen_mmu.cpp): the vCPU's soft MMU, its current data TlbSet
  // (reloaded before each block and after helper calls), what a failed slow-path access reports,
  // and the memory accesses of the blocks run (counted per block where its first access is).
  void* sys_mmu = nullptr;       // mem::SoftMmu*
  void* sys_data_tlb = nullptr;  // mem::TlbSet*
  // The inline lookup of indirect exits: the current fetch TlbSet and context (reloaded with the
  // data TLB) and the vCPU's system jump cache (SystemThreadData::jc).
  void* sys_fetch_tlb = nullptr;  // mem::TlbSet*
  uint64_t sys_fetch_ctx = 0;
  void* sys_jc = nullptr;
  uint32_t mmu_fault_access = 0;  // core::MemAccess
  uint32_t mmu_access_fault = 0;  // 1: an access (PMA) fault, not a page fault
  Counter mmu_accesses{0};
  JcEntry jc[1u << kJcBits];
  alignas(16) uint8_t frame[kFrameBytes];
};
static_assert(std::is_standard_layout_v<JitHot>);

}  // namespace polyvm::engine::jit
