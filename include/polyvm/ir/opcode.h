// The Opcode enum and its static description, generated from opcodes.def, and the small mode
// enums that ops carry in their `aux` field (FP rounding and NaN rules, memory ordering, ...).
#pragma once

#include <cstdint>
#include <string_view>

#include "polyvm/ir/type.h"

namespace polyvm::ir {

enum class Opcode : uint16_t {
#define OP(name, res, a0, a1, a2, props, doc) k##name,
#include "polyvm/ir/opcodes.def"
#undef OP
  kCount
};

constexpr unsigned kOpcodeCount = static_cast<unsigned>(Opcode::kCount);

// Type constraints used by the table's Result and Arg columns.
enum class TypeClass : uint8_t { None, Any, Int, IntB, Bits, Float, Vec, I1, I8, I32, I64, Same, Same0, Opt };

// What an op may do besides computing its result; passes rely on these.
enum OpProp : uint32_t {
  kPure = 0,               // result depends only on operands; may be folded, moved, deleted
  kReadsState = 1u << 0,   // reads guest state (GetReg)
  kWritesState = 1u << 1,  // writes guest state
  kMarker = 1u << 2,       // no effect on execution; kept for pc mapping and printing
  kMemRead = 1u << 3,      // reads guest memory; may fault
  kMemWrite = 1u << 4,     // writes guest memory; may fault
  kMemAtomic = kMemRead | kMemWrite | (1u << 5),
  kSideEffect = 1u << 6,   // must stay, in order, even if its result is unused
  kFpEnv = 1u << 7,        // reads or updates the FP environment (rounding mode, flags)
  kExit = 1u << 8,         // may leave the block
  kHelper = kReadsState | kWritesState | kMemRead | kMemWrite | kSideEffect | kFpEnv,
};

struct OpInfo {
  std::string_view name;
  TypeClass result;
  TypeClass args[3];
  uint32_t props;
  std::string_view doc;
};

inline constexpr OpInfo kOpInfo[] = {
#define OP(name, res, a0, a1, a2, props, doc) \
  {#name, TypeClass::res, {TypeClass::a0, TypeClass::a1, TypeClass::a2}, props, doc},
#include "polyvm/ir/opcodes.def"
#undef OP
};
static_assert(sizeof(kOpInfo) / sizeof(kOpInfo[0]) == kOpcodeCount);

// The six integer compares (CmpEq .. CmpLeU), which engines fuse into branches.
inline constexpr bool IsIntCompare(Opcode op) {
  switch (op) {
    case Opcode::kCmpEq:
    case Opcode::kCmpNe:
    case Opcode::kCmpLtS:
    case Opcode::kCmpLtU:
    case Opcode::kCmpLeS:
    case Opcode::kCmpLeU: return true;
    default: return false;
  }
}

constexpr const OpInfo& Info(Opcode op) { return kOpInfo[static_cast<unsigned>(op)]; }
constexpr std::string_view OpName(Opcode op) { return Info(op).name; }

// Number of operands an op declares (Opt operands count; they may be absent).
constexpr unsigned MaxArgs(Opcode op) {
  unsigned n = 0;
  for (TypeClass c : Info(op).args) n += c != TypeClass::None;
  return n;
}

// An op a dead-code pass may delete when its result is unused.
constexpr bool IsRemovable(Opcode op) {
  uint32_t p = Info(op).props;
  return (p & ~uint32_t{kReadsState}) == 0;
}
// An op that may leave the block early (memory fault, side exit, helper), so guest state written
// before it must be visible when it does.
constexpr bool MayLeaveBlock(Opcode op) {
  return (Info(op).props & (kMemRead | kMemWrite | kExit)) != 0;
}

// ---- FP modes (aux of FP ops) ----

// Encoded as RISC-V encodes its rm field, so a frontend can pass it through.
enum class RoundingMode : uint8_t {
  kNearestEven = 0,
  kTowardZero = 1,
  kDown = 2,         // toward -infinity
  kUp = 3,           // toward +infinity
  kNearestMaxMag = 4,  // to nearest, ties away from zero
  kDynamic = 7,      // the FP environment's current mode
};

// What a NaN result looks like.
enum class NanRule : uint8_t {
  kCanonical = 0,  // always the positive default NaN (RISC-V; AArch64 with FPCR.DN)
  kArm = 1,        // first signaling operand NaN quieted, else first quiet NaN; default NaN positive
  kX86 = 2,        // first operand NaN quieted, else second; default NaN is negative (0xFFF8...)
};

// FMin/FMax rules.
enum class MinMaxRule : uint8_t {
  kIeeeNumber = 0,  // RISC-V fmin/fmax: a NaN operand yields the other; -0 < +0; invalid on sNaN
  kArmNum = 1,      // AArch64 FMINNM/FMAXNM: quiet NaN yields the other; sNaN processed as a NaN result
  kArm = 2,         // AArch64 FMIN/FMAX: any NaN operand yields a NaN result
  kX86 = 3,         // SSE MINSS/MAXSS: a < b ? a : b (min); b when unordered or both zero
};

// Float-to-integer conversion of NaN and out-of-range values.
enum class CvtRule : uint8_t {
  kSaturateNanMax = 0,   // RISC-V: saturate; NaN gives the maximum; invalid raised
  kSaturateNanZero = 1,  // AArch64: saturate; NaN gives 0; invalid raised
  kIndefinite = 2,       // x86: the "integer indefinite" MIN value; invalid raised
};

// Packs the FP mode fields into an op's aux.
struct FpMode {
  RoundingMode rm = RoundingMode::kDynamic;
  NanRule nan = NanRule::kCanonical;
  uint8_t rule = 0;         // MinMaxRule for FMin/FMax, CvtRule for conversions to integers
  bool signaling = false;   // comparisons: raise invalid on quiet NaNs too
  bool exact = false;       // FRound: raise inexact when the value changes
  // Arm FPCR.FZ (every FP op): subnormal inputs read as zero (kFpDenormalInput), results tiny
  // before rounding become zero (kFpUnderflow, no inexact).
  bool ftz = false;
  bool dn = false;  // Arm FPCR.DN (every FP op): every NaN result is the rule's default NaN

  constexpr uint32_t Encode() const {
    return static_cast<uint32_t>(rm) | static_cast<uint32_t>(nan) << 3 | uint32_t{rule} << 5 |
           uint32_t{signaling} << 7 | uint32_t{exact} << 8 | uint32_t{ftz} << 9 |
           uint32_t{dn} << 10;
  }
  static constexpr FpMode Decode(uint32_t aux) {
    FpMode m;
    m.rm = static_cast<RoundingMode>(aux & 7);
    m.nan = static_cast<NanRule>((aux >> 3) & 3);
    m.rule = static_cast<uint8_t>((aux >> 5) & 3);
    m.signaling = (aux >> 7) & 1;
    m.exact = (aux >> 8) & 1;
    m.ftz = (aux >> 9) & 1;
    m.dn = (aux >> 10) & 1;
    return m;
  }
};
// The FpMode bits only the reference semantics implement (engines' inline paths leave such ops
// to it).
inline constexpr uint32_t kFpModeFtzDn = 3u << 9;

// IEEE exception flags of the FP environment (FpGetFlags/FpSetFlags).
enum FpFlags : uint32_t {
  kFpInvalid = 1,
  kFpDivByZero = 2,
  kFpOverflow = 4,
  kFpUnderflow = 8,
  kFpInexact = 16,
  kFpDenormalInput = 32,  // x86 DE; Arm IDC for inputs flushed by FpMode ftz
};

// ---- memory (aux of Load/Store/atomics) ----

enum class MemOrder : uint8_t { kPlain = 0, kAcquire = 1, kRelease = 2, kAcqRel = 3, kSeqCst = 4 };

enum class RmwOp : uint8_t { kAdd, kAnd, kOr, kXor, kSwap, kMinS, kMaxS, kMinU, kMaxU };

struct MemFlags {
  MemOrder order = MemOrder::kPlain;
  bool aligned = false;  // fault (kMisaligned) unless the address is a multiple of the access size
  RmwOp rmw = RmwOp::kAdd;

  constexpr uint32_t Encode() const {
    return static_cast<uint32_t>(order) | uint32_t{aligned} << 3 | static_cast<uint32_t>(rmw) << 4;
  }
  static constexpr MemFlags Decode(uint32_t aux) {
    MemFlags f;
    f.order = static_cast<MemOrder>(aux & 7);
    f.aligned = (aux >> 3) & 1;
    f.rmw = static_cast<RmwOp>((aux >> 4) & 15);
    return f;
  }
};

// Which earlier accesses a Fence orders before which later ones.
enum FenceKind : uint32_t {
  kFenceLoadLoad = 1,
  kFenceLoadStore = 2,
  kFenceStoreLoad = 4,
  kFenceStoreStore = 8,
  kFenceAll = 15,
};

// ---- environment ----

enum class Counter : uint8_t {
  kCycles = 0,   // a host cycle counter
  kRetired = 1,  // CpuHeader::retired as of entry to the current block; the frontend adds
                 // the instructions completed before the read within the block
  kNanos = 2,    // host monotonic clock in nanoseconds
};

// Out-of-line helper called by CallHelper: arguments are zero-extended to 64 bits.
struct HelperInfo {
  uint64_t (*fn)(void* state, uint64_t a, uint64_t b, uint64_t c);
  const char* name;
};

}  // namespace polyvm::ir
