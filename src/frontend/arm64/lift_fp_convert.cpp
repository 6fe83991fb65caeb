// Scalar FP conversions (insns_fp.def): FCVT between precisions, FRINT* (round to integral),
// FCVT*S/U to general registers with their static rounding modes (saturating, NaN gives 0:
// CvtRule::kSaturateNanZero), SCVTF/UCVTF, and the fixed-point forms (Arm ARM FPToFixed and
// FixedToFP with fbits = 64 - scale).
#include "lift_context.h"
#include "lift_fp_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::RoundingMode;
using ir::Type;
using ir::Value;

constexpr uint8_t kSatZero = static_cast<uint8_t>(ir::CvtRule::kSaturateNanZero);

LiftStatus Round(LiftContext& c, const Insn& i, RoundingMode rm, bool exact) {
  Value a = c.V(i.rn, FpType(i));
  c.SetVScalar(i.rd, c.b().Op(Opcode::kFRound, a, {}, {}, c.FpAux(rm, 0, false, exact)));
  return LiftStatus::kNext;
}

// FCVT{N,A,P,M,Z}{S,U} Rd, Fn: sf (bit 31) picks a W or X destination.
LiftStatus ToInt(LiftContext& c, const Insn& i, RoundingMode rm, bool is_signed) {
  bool wide = Bit(i.raw, 31);
  Value a = c.V(i.rn, FpType(i));
  Value r = c.b().Emit(is_signed ? Opcode::kFToSInt : Opcode::kFToUInt,
                       wide ? Type::kI64 : Type::kI32, a, {}, {}, 0, c.FpAux(rm, kSatZero));
  c.SetR(i.rd, r);
  return LiftStatus::kNext;
}

LiftStatus FromInt(LiftContext& c, const Insn& i, bool is_signed, unsigned fbits) {
  Type t = FpType(i);
  Value a = c.R(i.rn, Bit(i.raw, 31));
  Value r = c.b().Emit(is_signed ? Opcode::kSIntToF : Opcode::kUIntToF, t, a, {}, {}, 0, c.FpAux());
  if (fbits != 0) {
    // Exact: the converted value times 2^-fbits stays normal (|value| >= 2^-64), so there is one
    // rounding, as FixedToFP does.
    uint64_t scale =
        t == Type::kF64 ? (uint64_t{1023} - fbits) << 52 : (uint64_t{127} - fbits) << 23;
    r = c.b().Op(Opcode::kFMul, r, c.b().Const(t, scale), {}, c.FpAux());
  }
  c.SetVScalar(i.rd, r);
  return LiftStatus::kNext;
}

// FCVTZS/FCVTZU Rd, Fn, #fbits: FPToFixed rounds value * 2^fbits toward zero. The product is
// exact unless it overflows; values of magnitude >= 2^64 saturate whatever the scale, so they
// are converted unscaled (no spurious overflow flag), like infinities and NaNs.
LiftStatus ToFixed(LiftContext& c, const Insn& i, bool is_signed) {
  Type t = FpType(i);
  ir::Builder& b = c.b();
  unsigned fbits = static_cast<unsigned>(i.imm2);
  Value a = c.V(i.rn, t);
  bool dbl = t == Type::kF64;
  Value two64 = b.Const(t, dbl ? uint64_t{1023 + 64} << 52 : uint64_t{127 + 64} << 23);
  Value big =
      b.Op(Opcode::kFCmpLe, two64, b.Op(Opcode::kFAbs, a), {}, c.FpAux(RoundingMode::kNearestEven));
  uint64_t one = dbl ? uint64_t{1023} << 52 : uint64_t{127} << 23;
  uint64_t pow = dbl ? uint64_t{1023 + fbits} << 52 : uint64_t{127 + fbits} << 23;
  Value scale = b.Select(big, b.Const(t, one), b.Const(t, pow));
  Value scaled = b.Op(Opcode::kFMul, a, scale, {}, c.FpAux());
  bool wide = Bit(i.raw, 31);
  Value r = b.Emit(is_signed ? Opcode::kFToSInt : Opcode::kFToUInt, wide ? Type::kI64 : Type::kI32,
                   scaled, {}, {}, 0, c.FpAux(RoundingMode::kTowardZero, kSatZero));
  c.SetR(i.rd, r);
  return LiftStatus::kNext;
}

}  // namespace

// FCVT between single and double (FConvert); to and from half precision (ftype or opc 11),
// which has no IR type, through the half-precision helper.
LiftStatus LiftFcvt(LiftContext& c, const Insn& i) {
  unsigned from = Bits(i.raw, 23, 22), to = Bits(i.raw, 16, 15);
  if ((from == 3 || to == 3) && !HalfHelperApplies(c)) return c.Unsupported();
  if (from == 3) {
    Value h = c.b().Trunc(Type::kI16,
                          c.b().Emit(Opcode::kVExtract, Type::kI64, c.Q(i.rn), {}, {}, 0, 0, 1));
    c.SetVScalar(i.rd, HalfToFpBits(c, h, to == 1));
    return LiftStatus::kNext;
  }
  if (to == 3) {
    Value bits = c.b().Bitcast(from == 1 ? Type::kI64 : Type::kI32,
                               c.V(i.rn, from == 1 ? Type::kF64 : Type::kF32));
    c.SetVScalar(i.rd, FpBitsToHalf(c, bits, from == 1));
    return LiftStatus::kNext;
  }
  Value a = c.V(i.rn, from == 1 ? Type::kF64 : Type::kF32);
  Type t = to == 1 ? Type::kF64 : Type::kF32;
  c.SetVScalar(i.rd, c.b().Emit(Opcode::kFConvert, t, a, {}, {}, 0, c.FpAux()));
  return LiftStatus::kNext;
}

LiftStatus LiftFrintn(LiftContext& c, const Insn& i) {
  return Round(c, i, RoundingMode::kNearestEven, false);
}
LiftStatus LiftFrintp(LiftContext& c, const Insn& i) {
  return Round(c, i, RoundingMode::kUp, false);
}
LiftStatus LiftFrintm(LiftContext& c, const Insn& i) {
  return Round(c, i, RoundingMode::kDown, false);
}
LiftStatus LiftFrintz(LiftContext& c, const Insn& i) {
  return Round(c, i, RoundingMode::kTowardZero, false);
}
LiftStatus LiftFrinta(LiftContext& c, const Insn& i) {
  return Round(c, i, RoundingMode::kNearestMaxMag, false);
}
LiftStatus LiftFrintx(LiftContext& c, const Insn& i) {
  return Round(c, i, RoundingMode::kDynamic, true);
}
LiftStatus LiftFrinti(LiftContext& c, const Insn& i) {
  return Round(c, i, RoundingMode::kDynamic, false);
}

LiftStatus LiftFcvtns(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kNearestEven, true);
}
LiftStatus LiftFcvtnu(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kNearestEven, false);
}
LiftStatus LiftFcvtas(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kNearestMaxMag, true);
}
LiftStatus LiftFcvtau(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kNearestMaxMag, false);
}
LiftStatus LiftFcvtps(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kUp, true);
}
LiftStatus LiftFcvtpu(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kUp, false);
}
LiftStatus LiftFcvtms(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kDown, true);
}
LiftStatus LiftFcvtmu(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kDown, false);
}
LiftStatus LiftFcvtzs(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kTowardZero, true);
}
LiftStatus LiftFcvtzu(LiftContext& c, const Insn& i) {
  return ToInt(c, i, RoundingMode::kTowardZero, false);
}
LiftStatus LiftScvtf(LiftContext& c, const Insn& i) { return FromInt(c, i, true, 0); }
LiftStatus LiftUcvtf(LiftContext& c, const Insn& i) { return FromInt(c, i, false, 0); }

LiftStatus LiftScvtfFixed(LiftContext& c, const Insn& i) {
  return FromInt(c, i, true, static_cast<unsigned>(i.imm2));
}
LiftStatus LiftUcvtfFixed(LiftContext& c, const Insn& i) {
  return FromInt(c, i, false, static_cast<unsigned>(i.imm2));
}
LiftStatus LiftFcvtzsFixed(LiftContext& c, const Insn& i) { return ToFixed(c, i, true); }
LiftStatus LiftFcvtzuFixed(LiftContext& c, const Insn& i) { return ToFixed(c, i, false); }

}  // namespace polyvm::frontend::arm64
