// AdvSIMD floating point (insns_simd.def): lane-wise arithmetic, FMLA/FMLS, compares (register
// and #0.0, FCM* quiet only for EQ as FPCompareEQ/GE/GT say), FABD, pairwise ops and reductions
// (FADDP, FMAXNMV, ... in the Arm ARM's pairwise/Reduce order), conversions to and from integers
// (also fixed point), FRINT*, FCVTL/FCVTN, the by-element forms, and the scalar s/d forms of
// these (computed on the vector, lane 0 kept, the rest of the register zeroed).
#include "lift_fp_util.h"
#include "lift_simd_fp_util.h"
#include "lift_simd_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::RoundingMode;
using ir::Type;
using ir::Value;

bool IsScalar(const Insn& i) { return Bit(i.raw, 28); }

Value VFp(LiftContext& c, Opcode op, Value a, Value b, uint8_t lane, uint32_t aux, Value x = {}) {
  return c.b().Op(op, a, b, x, aux, lane);
}

Value VAbsBits(LiftContext& c, Value v, uint8_t lane) {
  uint64_t keep = ~SignMask(lane);
  return c.b().And(v, VConst(c.b(), keep, keep));
}
Value VNegBits(LiftContext& c, Value v, uint8_t lane) {
  uint64_t sign = SignMask(lane);
  return c.b().Xor(v, VConst(c.b(), sign, sign));
}

uint32_t MinMaxAux(LiftContext& c, ir::MinMaxRule rule) {
  return c.FpAux(RoundingMode::kNearestEven, static_cast<uint8_t>(rule));
}

// Applies a scalar FP function to each lane (for the ops without a vector form).
Value PerFpLane(LiftContext& c, Value v, uint8_t lane, unsigned lanes,
                const std::function<Value(Value)>& fn) {
  ir::Builder& b = c.b();
  Type it = lane == 3 ? Type::kI64 : Type::kI32;
  Type ft = lane == 3 ? Type::kF64 : Type::kF32;
  Value out = b.Const(Type::kV128, 0);
  for (unsigned k = 0; k < lanes; ++k) {
    Value x = b.Bitcast(ft, b.Emit(Opcode::kVExtract, it, v, {}, {}, k, 0, lane));
    Value r = b.Bitcast(it, fn(x));
    out = b.Emit(Opcode::kVInsert, Type::kV128, out, r, {}, k, 0, lane);
  }
  return out;
}

// The rounding mode of FCVT{N,P,M,Z,A}{S,U} (opcode 1101x/11100 with a = bit 23).
RoundingMode CvtRounding(const Insn& i) {
  unsigned opcode = Bits(i.raw, 16, 12);
  bool a = Bit(i.raw, 23);
  if (opcode == 0b11100) return RoundingMode::kNearestMaxMag;
  if (opcode == 0b11010) return a ? RoundingMode::kUp : RoundingMode::kNearestEven;
  return a ? RoundingMode::kTowardZero : RoundingMode::kDown;
}

}  // namespace

// Shared with lift_simd_fp_est.cpp (lift_simd_fp_util.h).
uint8_t FpLane(const Insn& i) { return static_cast<uint8_t>(2 + Bit(i.raw, 22)); }

uint64_t SignMask(uint8_t lane) { return lane == 3 ? uint64_t{1} << 63 : 0x8000000080000000u; }

Value Active(LiftContext& c, const Insn& i, Value v) {
  ir::Builder& b = c.b();
  uint8_t lane = FpLane(i);
  bool scalar = Bit(i.raw, 28);
  if (!scalar && SimdQ(i)) return v;
  uint64_t one = lane == 3 ? 0x3ff0000000000000u : 0x3f8000003f800000u;
  v = b.Emit(Opcode::kVInsert, Type::kV128, v, b.I64(one), {}, 1, 0, 3);
  if (scalar && lane == 2) {
    v = b.Emit(Opcode::kVInsert, Type::kV128, v, b.I32(0x3f800000), {}, 1, 0, 2);
  }
  return v;
}

void SetFpResult(LiftContext& c, const Insn& i, Value v) {
  if (Bit(i.raw, 28)) {
    Type t = Bit(i.raw, 22) ? Type::kI64 : Type::kI32;
    Value lane = c.b().Emit(Opcode::kVExtract, t, v, {}, {}, 0, 0, FpLane(i));
    c.SetVScalar(i.rd, lane);
    return;
  }
  SetVec(c, i.rd, v, SimdQ(i));
}

// FADD FSUB FMUL FDIV FMAX FMIN FMAXNM FMINNM FABD (vector and scalar).
LiftStatus LiftSimdFpBinary(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  Value n = Active(c, i, c.Q(i.rn)), m = Active(c, i, c.Q(i.rm));
  bool u = SimdU(i), a = Bit(i.raw, 23);
  Value r;
  switch (Bits(i.raw, 15, 11)) {
    case 0b11000:
      r = VFp(c, a ? Opcode::kVFMin : Opcode::kVFMax, n, m, lane,
              MinMaxAux(c, ir::MinMaxRule::kArmNum));
      break;
    case 0b11010:
      if (u) {  // FABD: |n - m|, the sign of a NaN result cleared too (FPAbs)
        r = VAbsBits(c, VFp(c, Opcode::kVFSub, n, m, lane, c.FpAux()), lane);
      } else {
        r = VFp(c, a ? Opcode::kVFSub : Opcode::kVFAdd, n, m, lane, c.FpAux());
      }
      break;
    case 0b11011: r = VFp(c, Opcode::kVFMul, n, m, lane, c.FpAux()); break;
    case 0b11110:
      r = VFp(c, a ? Opcode::kVFMin : Opcode::kVFMax, n, m, lane,
              MinMaxAux(c, ir::MinMaxRule::kArm));
      break;
    default: r = VFp(c, Opcode::kVFDiv, n, m, lane, c.FpAux()); break;
  }
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

// FMLA: FPMulAdd(d, n, m); FMLS negates n first.
LiftStatus LiftSimdFmla(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  Value n = Active(c, i, c.Q(i.rn));
  if (Bit(i.raw, 23)) n = VNegBits(c, n, lane);
  Value r = VFp(c, Opcode::kVFMulAdd, n, Active(c, i, c.Q(i.rm)), lane, c.FpAux(),
                Active(c, i, c.Q(i.rd)));
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

// FCMEQ (quiet), FCMGE/FCMGT (signalling), FACGE/FACGT (on absolute values).
LiftStatus LiftSimdFpCompare(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  Value n = Active(c, i, c.Q(i.rn)), m = Active(c, i, c.Q(i.rm));
  bool u = SimdU(i), a = Bit(i.raw, 23);
  bool abs = Bits(i.raw, 15, 11) == 0b11101;
  if (abs) {
    n = VAbsBits(c, n, lane);
    m = VAbsBits(c, m, lane);
  }
  Value r;
  if (!u) {
    r = VFp(c, Opcode::kVFCmpEq, n, m, lane, c.FpAux(RoundingMode::kNearestEven));
  } else {
    uint32_t aux = c.FpAux(RoundingMode::kNearestEven, 0, true);
    r = VFp(c, a ? Opcode::kVFCmpLt : Opcode::kVFCmpLe, m, n, lane, aux);
  }
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

// FCMGT/FCMGE/FCMEQ/FCMLE/FCMLT #0.0 (opcode 01100 gt/ge by U, 01101 eq/le by U, 01110 lt).
LiftStatus LiftSimdFpCompareZero(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  Value n = Active(c, i, c.Q(i.rn));
  Value zero = c.b().Const(Type::kV128, 0);
  bool u = SimdU(i);
  uint32_t sig = c.FpAux(RoundingMode::kNearestEven, 0, true);
  Value r;
  switch (Bits(i.raw, 16, 12)) {
    case 0b01100: r = VFp(c, u ? Opcode::kVFCmpLe : Opcode::kVFCmpLt, zero, n, lane, sig); break;
    case 0b01101:
      r = u ? VFp(c, Opcode::kVFCmpLe, n, zero, lane, sig)
            : VFp(c, Opcode::kVFCmpEq, n, zero, lane, c.FpAux(RoundingMode::kNearestEven));
      break;
    default: r = VFp(c, Opcode::kVFCmpLt, n, zero, lane, sig); break;
  }
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

// FABS/FNEG (bit operations) and FSQRT.
LiftStatus LiftSimdFpUnary(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  Value n = c.Q(i.rn);
  Value r;
  if (Bit(i.raw, 16)) {
    r = c.b().Op(Opcode::kVFSqrt, Active(c, i, n), {}, {}, c.FpAux(), lane);
  } else {
    r = SimdU(i) ? VNegBits(c, n, lane) : VAbsBits(c, n, lane);
  }
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

// FADDP FMAXNMP FMINNMP FMAXP FMINP (vector): op(even lane, odd lane) of m:n.
LiftStatus LiftSimdFpPairwise(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  bool q = SimdQ(i);
  ir::Builder& b = c.b();
  Value n = c.Q(i.rn), m = c.Q(i.rm);
  if (!q) {
    Value mlo = b.Emit(Opcode::kVExtract, Type::kI64, m, {}, {}, 0, 0, 3);
    n = b.Emit(Opcode::kVInsert, Type::kV128, n, mlo, {}, 1, 0, 3);
    m = b.Const(Type::kV128, 0);
  }
  Value even = b.Op(Opcode::kVUzpEven, n, m, {}, 0, lane);
  Value odd = b.Op(Opcode::kVUzpOdd, n, m, {}, 0, lane);
  bool a = Bit(i.raw, 23);
  Value r;
  switch (Bits(i.raw, 15, 11)) {
    case 0b11000:
      r = VFp(c, a ? Opcode::kVFMin : Opcode::kVFMax, even, odd, lane,
              MinMaxAux(c, ir::MinMaxRule::kArmNum));
      break;
    case 0b11110:
      r = VFp(c, a ? Opcode::kVFMin : Opcode::kVFMax, even, odd, lane,
              MinMaxAux(c, ir::MinMaxRule::kArm));
      break;
    default: r = VFp(c, Opcode::kVFAdd, even, odd, lane, c.FpAux()); break;
  }
  SetVec(c, i.rd, r, q);
  return LiftStatus::kNext;
}

// Scalar pairwise: ADDP Dd, Vn.2D (U = 0); FADDP/FMAXNMP/FMINNMP/FMAXP/FMINP of two lanes.
LiftStatus LiftSimdPairScalar(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  Value n = c.Q(i.rn);
  if (!SimdU(i)) {
    Value lo = b.Emit(Opcode::kVExtract, Type::kI64, n, {}, {}, 0, 0, 3);
    Value hi = b.Emit(Opcode::kVExtract, Type::kI64, n, {}, {}, 1, 0, 3);
    c.SetVScalar(i.rd, b.Add(lo, hi));
    return LiftStatus::kNext;
  }
  uint8_t lane = FpLane(i);
  Type it = lane == 3 ? Type::kI64 : Type::kI32;
  Type ft = lane == 3 ? Type::kF64 : Type::kF32;
  Value x = b.Bitcast(ft, b.Emit(Opcode::kVExtract, it, n, {}, {}, 0, 0, lane));
  Value y = b.Bitcast(ft, b.Emit(Opcode::kVExtract, it, n, {}, {}, 1, 0, lane));
  bool a = Bit(i.raw, 23);
  Value r;
  switch (Bits(i.raw, 16, 12)) {
    case 0b01100:
      r = b.Op(a ? Opcode::kFMin : Opcode::kFMax, x, y, {}, MinMaxAux(c, ir::MinMaxRule::kArmNum));
      break;
    case 0b01111:
      r = b.Op(a ? Opcode::kFMin : Opcode::kFMax, x, y, {}, MinMaxAux(c, ir::MinMaxRule::kArm));
      break;
    default: r = b.Op(Opcode::kFAdd, x, y, {}, c.FpAux()); break;
  }
  c.SetVScalar(i.rd, r);
  return LiftStatus::kNext;
}

// FMAXNMV FMINNMV FMAXV FMINV (4s): Reduce pairs the halves: op(op(e0, e1), op(e2, e3)).
LiftStatus LiftSimdFpAcross(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  Value n = c.Q(i.rn);
  bool min = Bit(i.raw, 23);
  auto rule = Bits(i.raw, 16, 12) == 0b01100 ? ir::MinMaxRule::kArmNum : ir::MinMaxRule::kArm;
  uint32_t aux = MinMaxAux(c, rule);
  Opcode op = min ? Opcode::kFMin : Opcode::kFMax;
  Value e[4];
  for (unsigned k = 0; k < 4; ++k) {
    e[k] = b.Bitcast(Type::kF32, b.Emit(Opcode::kVExtract, Type::kI32, n, {}, {}, k, 0, 2));
  }
  Value lo = b.Op(op, e[0], e[1], {}, aux);
  Value hi = b.Op(op, e[2], e[3], {}, aux);
  c.SetVScalar(i.rd, b.Op(op, lo, hi, {}, aux));
  return LiftStatus::kNext;
}

// FRINTN/M/P/Z/A/X/I (vector): the scalar FRound on each lane.
LiftStatus LiftSimdFrint(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  bool u = SimdU(i), a = Bit(i.raw, 23), odd = Bit(i.raw, 12);
  RoundingMode rm;
  bool exact = false;
  if (!u) {
    rm = odd ? (a ? RoundingMode::kTowardZero : RoundingMode::kDown)
             : (a ? RoundingMode::kUp : RoundingMode::kNearestEven);
  } else if (!a && !odd) {
    rm = RoundingMode::kNearestMaxMag;
  } else {
    rm = RoundingMode::kDynamic;  // FRINTX (exact), FRINTI
    exact = !a;
  }
  uint32_t aux = c.FpAux(rm, 0, false, exact);
  unsigned lanes = LaneCount(SimdQ(i), lane);
  Value r = PerFpLane(c, c.Q(i.rn), lane, lanes,
                      [&](Value x) { return c.b().Op(Opcode::kFRound, x, {}, {}, aux); });
  SetVec(c, i.rd, r, SimdQ(i));
  return LiftStatus::kNext;
}

// FCVT{N,P,M,Z,A}{S,U} vector and scalar: saturating, NaN gives 0.
LiftStatus LiftSimdFcvtInt(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  uint32_t aux = c.FpAux(CvtRounding(i), static_cast<uint8_t>(ir::CvtRule::kSaturateNanZero));
  Value r = c.b().Op(SimdU(i) ? Opcode::kVFToUInt : Opcode::kVFToSInt, Active(c, i, c.Q(i.rn)), {},
                     {}, aux, lane);
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

// SCVTF/UCVTF vector and scalar, rounding by FPCR.
LiftStatus LiftSimdCvtf(LiftContext& c, const Insn& i) {
  uint8_t lane = FpLane(i);
  Value r = c.b().Op(SimdU(i) ? Opcode::kVUIntToF : Opcode::kVSIntToF, Active(c, i, c.Q(i.rn)), {},
                     {}, c.FpAux(), lane);
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

// SCVTF/UCVTF/FCVTZS/FCVTZU #fbits (vector and scalar, shift-immediate class): as the scalar
// fixed-point forms (lift_fp_convert.cpp), lane-wise. The element size is immh's.
LiftStatus LiftSimdCvtFixed(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned immh = Bits(i.raw, 22, 19);
  uint8_t lane = immh >= 8 ? 3 : 2;
  unsigned fbits = static_cast<unsigned>(i.imm);
  bool dbl = lane == 3;
  auto pow2 = [&](int e) {
    uint64_t bits = dbl ? uint64_t(1023 + e) << 52 : uint64_t(127 + e) << 23;
    return dbl ? VConst(b, bits, bits) : VConst(b, bits | bits << 32, bits | bits << 32);
  };
  Value n = Active(c, i, c.Q(i.rn));
  bool to_int = Bits(i.raw, 15, 11) == 0b11111;
  Value r;
  if (!to_int) {
    Value f = b.Op(SimdU(i) ? Opcode::kVUIntToF : Opcode::kVSIntToF, n, {}, {}, c.FpAux(), lane);
    r = b.Op(Opcode::kVFMul, f, pow2(-static_cast<int>(fbits)), {}, c.FpAux(), lane);
  } else {
    // Lanes of magnitude >= 2^esize saturate anyway: convert them unscaled (no spurious overflow).
    int esize = dbl ? 64 : 32;
    Value big = b.Op(Opcode::kVFCmpLe, pow2(esize), VAbsBits(c, n, lane), {},
                     c.FpAux(RoundingMode::kNearestEven), lane);
    Value scale = b.Or(b.And(big, pow2(0)), b.And(b.Not(big), pow2(static_cast<int>(fbits))));
    // The unused lanes were 1.0 and are now 2^fbits, which may be out of range: 1.0 again.
    Value scaled = Active(c, i, b.Op(Opcode::kVFMul, n, scale, {}, c.FpAux(), lane));
    uint32_t aux =
        c.FpAux(RoundingMode::kTowardZero, static_cast<uint8_t>(ir::CvtRule::kSaturateNanZero));
    r = b.Op(SimdU(i) ? Opcode::kVFToUInt : Opcode::kVFToSInt, scaled, {}, {}, aux, lane);
  }
  if (IsScalar(i)) {
    Value v = b.Emit(Opcode::kVExtract, dbl ? Type::kI64 : Type::kI32, r, {}, {}, 0, 0, lane);
    c.SetVScalar(i.rd, v);
  } else {
    SetVec(c, i.rd, r, SimdQ(i));
  }
  return LiftStatus::kNext;
}

// FCVTN/FCVTN2: double lanes to single, or (sz = 0) single lanes to half through the helper,
// into the low (or, with Q, high) half.
LiftStatus LiftSimdFcvtn(LiftContext& c, const Insn& i) {
  if (!Bit(i.raw, 22) && !HalfHelperApplies(c)) return c.Unsupported();
  ir::Builder& b = c.b();
  Value n = c.Q(i.rn);
  bool q = SimdQ(i);
  Value out = q ? c.Q(i.rd) : b.Const(Type::kV128, 0);
  if (!Bit(i.raw, 22)) {
    for (unsigned k = 0; k < 4; ++k) {
      Value x = b.Emit(Opcode::kVExtract, Type::kI32, n, {}, {}, k, 0, 2);
      out = b.Emit(Opcode::kVInsert, Type::kV128, out, FpBitsToHalf(c, x, false), {},
                   (q ? 4 : 0) + k, 0, 1);
    }
    c.SetQ(i.rd, out);
    return LiftStatus::kNext;
  }
  for (unsigned k = 0; k < 2; ++k) {
    Value x = b.Bitcast(Type::kF64, b.Emit(Opcode::kVExtract, Type::kI64, n, {}, {}, k, 0, 3));
    Value s = b.Emit(Opcode::kFConvert, Type::kF32, x, {}, {}, 0, c.FpAux());
    out = b.Emit(Opcode::kVInsert, Type::kV128, out, b.Bitcast(Type::kI32, s), {}, (q ? 2 : 0) + k,
                 0, 2);
  }
  c.SetQ(i.rd, out);
  return LiftStatus::kNext;
}

// FCVTL/FCVTL2: single lanes of the low (high with Q) half to double, or (sz = 0) half lanes to
// single through the helper.
LiftStatus LiftSimdFcvtl(LiftContext& c, const Insn& i) {
  if (!Bit(i.raw, 22) && !HalfHelperApplies(c)) return c.Unsupported();
  ir::Builder& b = c.b();
  Value n = c.Q(i.rn);
  unsigned first = SimdQ(i) ? 2 : 0;
  Value out = b.Const(Type::kV128, 0);
  if (!Bit(i.raw, 22)) {
    for (unsigned k = 0; k < 4; ++k) {
      Value h = b.Emit(Opcode::kVExtract, Type::kI16, n, {}, {}, 2 * first + k, 0, 1);
      out = b.Emit(Opcode::kVInsert, Type::kV128, out, HalfToFpBits(c, h, false), {}, k, 0, 2);
    }
    c.SetQ(i.rd, out);
    return LiftStatus::kNext;
  }
  for (unsigned k = 0; k < 2; ++k) {
    Value x =
        b.Bitcast(Type::kF32, b.Emit(Opcode::kVExtract, Type::kI32, n, {}, {}, first + k, 0, 2));
    Value d = b.Emit(Opcode::kFConvert, Type::kF64, x, {}, {}, 0, c.FpAux());
    out = b.Emit(Opcode::kVInsert, Type::kV128, out, b.Bitcast(Type::kI64, d), {}, k, 0, 3);
  }
  c.SetQ(i.rd, out);
  return LiftStatus::kNext;
}

// FMLA/FMLS/FMUL by element (vector and scalar): the element broadcast, then the vector op.
LiftStatus LiftSimdFpElem(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  uint8_t lane = FpLane(i);
  unsigned index = lane == 3 ? Bit(i.raw, 11) : (Bit(i.raw, 11) << 1 | Bit(i.raw, 21));
  Type it = lane == 3 ? Type::kI64 : Type::kI32;
  Value e = b.Emit(Opcode::kVExtract, it, c.Q(i.rm), {}, {}, index, 0, lane);
  Value m = Active(c, i, b.Emit(Opcode::kVDup, Type::kV128, e, {}, {}, 0, 0, lane));
  Value n = Active(c, i, c.Q(i.rn));
  Value r;
  unsigned opcode = Bits(i.raw, 15, 12);
  if (opcode == 0b1001) {
    r = VFp(c, Opcode::kVFMul, n, m, lane, c.FpAux());
  } else {
    if (opcode == 0b0101) n = VNegBits(c, n, lane);
    r = VFp(c, Opcode::kVFMulAdd, n, m, lane, c.FpAux(), Active(c, i, c.Q(i.rd)));
  }
  SetFpResult(c, i, r);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
