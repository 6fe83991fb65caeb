// Small pieces shared by the FP and AdvSIMD lift functions: the scalar type of an ftype/sz field
// and the FCMP flag computation (docs/ir.md, AArch64 "FP": N = lt, Z = eq, C = !lt, V = unordered).
#pragma once

#include "lift_context.h"

namespace polyvm::frontend::arm64 {

// ftype (bits 23:22) of the scalar FP rows, or sz (bit 22) of the AdvSIMD FP rows: the rows' checks
// leave only 00 (single) and 01 (double), so bit 22 decides.
inline ir::Type FpType(const Insn& i) { return Bit(i.raw, 22) ? ir::Type::kF64 : ir::Type::kF32; }
// The integer type of the same width, for moves that copy bits.
inline ir::Type FpBitsType(const Insn& i) {
  return Bit(i.raw, 22) ? ir::Type::kI64 : ir::Type::kI32;
}

// Half precision through a helper (lift_fp_half.cpp): a binary32/64 (bits, dp) to binary16 by
// FPCR.RMode, and back (exact); both raise the FP exceptions FPConvert raises.
// Whether the half-precision helper computes what the translation's FPCR asks (FZ = DN = 0:
// it implements neither; the callers trap as unsupported otherwise).
bool HalfHelperApplies(const LiftContext& c);
ir::Value FpBitsToHalf(LiftContext& c, ir::Value bits, bool dp);
ir::Value HalfToFpBits(LiftContext& c, ir::Value half, bool dp);

struct FcmpFlags {
  ir::Value n, z, c, v;
};
// FPCompare(a, b) as NZCV (1000 less, 0110 equal, 0010 greater, 0011 unordered); `signaling`
// (FCMPE) raises invalid on quiet NaNs too.
FcmpFlags FcmpNzcv(LiftContext& c, ir::Value a, ir::Value b, bool signaling);
void SetFcmpFlags(LiftContext& c, ir::Value a, ir::Value b, bool signaling);

}  // namespace polyvm::frontend::arm64
