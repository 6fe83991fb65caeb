// Which Inst fields beyond the operands an op gives meaning to (imm, aux, lane), and which FpMode
// fields an FP op reads. Shared by the printer and the verifier so they agree on one reading.
#pragma once

#include <cstdint>

#include "polyvm/ir/opcode.h"

namespace polyvm::ir::detail {

// An op that works on lanes of a v128 (so its `lane` field is meaningful).
constexpr bool IsLaneOp(Opcode op) {
  // And/Or/Xor/Not/Select/Bitcast take v128 through their Bits/Any columns: to them a v128 is just
  // 128 bits, so they have no lanes.
  const OpInfo& info = Info(op);
  if (info.result == TypeClass::Vec) return true;
  for (TypeClass c : info.args) {
    if (c == TypeClass::Vec) return true;
  }
  return false;
}

// Vector FP ops: lanes are f32 (lane 2) or f64 (lane 3).
constexpr bool IsVectorFpOp(Opcode op) { return IsLaneOp(op) && (Info(op).props & kFpEnv) != 0; }

// FpMode fields an op reads.
enum FpField : uint32_t {
  kFieldRm = 1,      // rounding mode
  kFieldNan = 2,     // NaN rule
  kFieldMinMax = 4,  // rule = MinMaxRule
  kFieldCvt = 8,     // rule = CvtRule
  kFieldSignaling = 16,
  kFieldExact = 32,
};

constexpr uint32_t FpFields(Opcode op) {
  switch (op) {
    case Opcode::kFAdd:
    case Opcode::kFSub:
    case Opcode::kFMul:
    case Opcode::kFDiv:
    case Opcode::kFSqrt:
    case Opcode::kFMulAdd:
    case Opcode::kFConvert:
    case Opcode::kVFAdd:
    case Opcode::kVFSub:
    case Opcode::kVFMul:
    case Opcode::kVFDiv:
    case Opcode::kVFSqrt:
    case Opcode::kVFMulAdd: return kFieldRm | kFieldNan;
    case Opcode::kFRound: return kFieldRm | kFieldNan | kFieldExact;
    case Opcode::kFMin:
    case Opcode::kFMax:
    case Opcode::kVFMin:
    case Opcode::kVFMax: return kFieldNan | kFieldMinMax;
    case Opcode::kFCmpEq:
    case Opcode::kFCmpLt:
    case Opcode::kFCmpLe:
    case Opcode::kFCmpUn:
    case Opcode::kVFCmpEq:
    case Opcode::kVFCmpLt:
    case Opcode::kVFCmpLe:
    case Opcode::kVFCmpUn: return kFieldSignaling;
    case Opcode::kFToSInt:
    case Opcode::kFToUInt:
    case Opcode::kVFToSInt:
    case Opcode::kVFToUInt: return kFieldRm | kFieldCvt;
    case Opcode::kSIntToF:
    case Opcode::kUIntToF:
    case Opcode::kVSIntToF:
    case Opcode::kVUIntToF: return kFieldRm;
    default: return 0;
  }
}

// Ops whose aux is a MemFlags.
constexpr bool HasMemFlags(Opcode op) {
  uint32_t p = Info(op).props;
  return (p & (kMemRead | kMemWrite)) != 0 && op != Opcode::kCallHelper;
}

// What an op's `imm` means, for printing and checking.
enum class ImmUse : uint8_t {
  kNone,
  kConst,      // Const: the value
  kOffset,     // GetReg/SetReg: guest state byte offset
  kPc,         // GuestInsn: guest pc
  kSideExit,   // ExitIf: side exit number
  kHelper,     // CallHelper: const HelperInfo*
  kBitPos,     // Extract: first bit
  kShift,      // VShlI/VLShrI/VAShrI: shift count
  kLaneIndex,  // VExtract/VInsert: lane number
};

constexpr ImmUse ImmUseOf(Opcode op) {
  switch (op) {
    case Opcode::kConst: return ImmUse::kConst;
    case Opcode::kGetReg:
    case Opcode::kSetReg: return ImmUse::kOffset;
    case Opcode::kGuestInsn: return ImmUse::kPc;
    case Opcode::kExitIf: return ImmUse::kSideExit;
    case Opcode::kCallHelper: return ImmUse::kHelper;
    case Opcode::kExtract: return ImmUse::kBitPos;
    case Opcode::kVShlI:
    case Opcode::kVLShrI:
    case Opcode::kVAShrI: return ImmUse::kShift;
    case Opcode::kVExtract:
    case Opcode::kVInsert: return ImmUse::kLaneIndex;
    default: return ImmUse::kNone;
  }
}

// Ops whose aux carries something (the printer shows a non-zero aux of any other op raw).
constexpr bool UsesAux(Opcode op) {
  return FpFields(op) != 0 || HasMemFlags(op) || op == Opcode::kFence ||
         op == Opcode::kReadCounter || op == Opcode::kGuestInsn;
}

}  // namespace polyvm::ir::detail
