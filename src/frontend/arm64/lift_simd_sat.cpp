// AdvSIMD saturating and rounding integer forms (insns_simd.def) that the IR has no vector op
// for: the register shifts SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/UQRSHL, SUQADD/USQADD, SQABS/SQNEG, the
// doubling multiplies SQDMULH/SQRDMULH and SQDMULL/SQDMLAL/SQDMLSL. Vector and scalar (lane 0,
// the rest zeroed) forms; any saturated lane sets FPSR.QC.
// Semantics: the Arm ARM's pseudocode (DDI 0487, C7.2: "SQRSHL", "SUQADD", "SQDMULH", ...).
#include "lift_simd_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

bool IsScalar(const Insn& i) { return Bit(i.raw, 28); }
bool ByElement(const Insn& i) { return Bit(i.raw, 24); }  // x 1111 (by element) vs x 1110
bool VecQ(const Insn& i) { return !IsScalar(i) && SimdQ(i); }
unsigned Lanes(const Insn& i) { return IsScalar(i) ? 1 : LaneCount(SimdQ(i), SimdSize(i)); }

uint64_t LaneMask(unsigned size) {
  return size == 3 ? ~uint64_t{0} : (uint64_t{1} << (8u << size)) - 1;
}
uint64_t SignedMax(unsigned size) { return LaneMask(size) >> 1; }
uint64_t SignedMin(unsigned size) { return SignedMax(size) + 1; }

// The source register of a vector op: all of it, or lane 0 alone for a scalar form (the other
// lanes zero, which neither saturates nor sets QC).
Value Source(LiftContext& c, const Insn& i, unsigned r) {
  Value v = c.Q(r);
  return IsScalar(i) ? c.b().And(v, VConst(c.b(), LaneMask(SimdSize(i)))) : v;
}

}  // namespace

// The register shifts (opcode 010RS: R rounds right shifts, S saturates left shifts; 01000 is
// SSHL/USHL in lift_simd_int.cpp). The count is the signed low byte of m's lane: positive shifts
// left, negative right (arithmetic for the signed forms); as the pseudocode computes on unbounded
// integers, a right shift by the lane width or more leaves the sign (or 0), a rounded one adds
// the last bit shifted out, and a left shift past the lane width saturates unless the lane is 0.
LiftStatus LiftSimdShiftRegSat(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  const bool u = SimdU(i), round = Bit(i.raw, 12), saturate = Bit(i.raw, 11);
  const unsigned size = SimdSize(i), esize = 8u << size;
  const Type t = LaneType(size);
  Value any_sat = b.Bool(false);
  Value r =
      PerLane(b, Source(c, i, i.rn), Source(c, i, i.rm), size, Lanes(i), [&](Value x, Value y) {
        Value s = b.SExt(Type::kI64, b.Trunc(Type::kI8, y));
        Value v = b.Trunc(t, x);
        Value wide = u ? b.ZExt(Type::kI64, v) : b.SExt(Type::kI64, v);
        // Right: v >> a for a = -s in 1..128, by at most 63 so the IR's count masking never
        // applies.
        auto shr = [&](Value a) {
          if (!u) {
            Value capped = b.Select(b.Cmp(Opcode::kCmpLtU, a, b.I64(63)), a, b.I64(63));
            return b.AShr(wide, capped);
          }
          return b.Select(b.Cmp(Opcode::kCmpLtU, a, b.I64(64)), b.LShr(wide, a), b.I64(0));
        };
        Value a = b.Op(Opcode::kNeg, s);
        Value right = shr(a);
        // Rounding adds 2^(a-1) first: the same as adding bit a-1 of v after the shift.
        if (round) right = b.Add(right, b.And(shr(b.Sub(a, b.I64(1))), b.I64(1)));
        // Left: v << s for s in 0..127, in the lane type.
        Value in_range = b.Cmp(Opcode::kCmpLtU, s, b.I64(esize));
        Value count = b.Trunc(t, b.Select(in_range, s, b.I64(0)));
        Value shifted = b.Shl(v, count);
        Value left = b.Select(in_range, shifted, b.Const(t, 0));
        Value negative = b.Cmp(Opcode::kCmpLtS, s, b.I64(0));
        Value result = b.Select(negative, b.Trunc(t, right), left);
        if (!saturate) return result;
        Value back = u ? b.LShr(shifted, count) : b.AShr(shifted, count);
        Value fits = b.Select(in_range, b.Cmp(Opcode::kCmpEq, back, v),
                              b.Cmp(Opcode::kCmpEq, v, b.Const(t, 0)));
        Value sat = b.And(b.Not(negative), b.Not(fits));
        Value limit = u ? b.Const(t, LaneMask(size))
                        : b.Select(b.Cmp(Opcode::kCmpLtS, v, b.Const(t, 0)),
                                   b.Const(t, SignedMin(size)), b.Const(t, SignedMax(size)));
        any_sat = b.Or(any_sat, sat);
        return b.Select(sat, limit, result);
      });
  if (saturate) OrQc(c, any_sat);
  SetVec(c, i.rd, r, VecQ(i));
  return LiftStatus::kNext;
}

// SUQADD: signed d + unsigned n, saturated to the signed range; USQADD: unsigned d + signed n,
// saturated to the unsigned range. Both in the lane type: flipping d's sign bit makes SUQADD an
// unsigned add whose carry is the overflow; USQADD overflows on a carry when n >= 0 and
// underflows on a borrow when n < 0.
LiftStatus LiftSimdSatAccumulate(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  const bool u = SimdU(i);
  const unsigned size = SimdSize(i);
  const Type t = LaneType(size);
  Value any_sat = b.Bool(false);
  Value r =
      PerLane(b, Source(c, i, i.rd), Source(c, i, i.rn), size, Lanes(i), [&](Value x, Value y) {
        Value d = b.Trunc(t, x), n = b.Trunc(t, y);
        if (!u) {
          Value sign = b.Const(t, SignedMin(size));
          Value biased = b.Xor(d, sign);
          Value sum = b.Add(biased, n);
          Value carry = b.Cmp(Opcode::kCmpLtU, sum, biased);
          any_sat = b.Or(any_sat, carry);
          return b.Select(carry, b.Const(t, SignedMax(size)), b.Xor(sum, sign));
        }
        Value sum = b.Add(d, n);
        Value n_negative = b.Cmp(Opcode::kCmpLtS, n, b.Const(t, 0));
        Value over = b.And(b.Not(n_negative), b.Cmp(Opcode::kCmpLtU, sum, d));
        Value under = b.And(n_negative, b.Cmp(Opcode::kCmpLtU, d, sum));
        any_sat = b.Or(any_sat, b.Or(over, under));
        return b.Select(over, b.Const(t, LaneMask(size)), b.Select(under, b.Const(t, 0), sum));
      });
  OrQc(c, any_sat);
  SetVec(c, i.rd, r, VecQ(i));
  return LiftStatus::kNext;
}

// SQABS/SQNEG: |n| and -n, where the most negative value saturates to the most positive.
LiftStatus LiftSimdSatAbsNeg(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  const unsigned size = SimdSize(i);
  const auto lane = static_cast<uint8_t>(size);
  Value n = Source(c, i, i.rn);
  Value r = b.Op(SimdU(i) ? Opcode::kVNeg : Opcode::kVAbs, n, {}, {}, 0, lane);
  Value min = VSplat(b, size, SignedMin(size));
  Value sat = b.Op(Opcode::kVCmpEq, n, min, {}, 0, lane);  // scalar: lane 0 only, n is 0 elsewhere
  if (!VecQ(i)) sat = VLow64(b, sat);
  r = b.Or(b.And(sat, VSplat(b, size, SignedMax(size))), b.And(b.Not(sat), r));
  OrQc(c, VDiffers(b, sat, b.Const(Type::kV128, 0)));
  SetVec(c, i.rd, r, VecQ(i));
  return LiftStatus::kNext;
}

namespace {

// 2 * n * m of the lanes of n and m (of `size`) in the low (high = false) or high half, as
// double-width lanes, saturated (only MIN * MIN overflows); the saturated lanes are returned too.
std::pair<Value, Value> DoublingProduct(ir::Builder& b, Value n, Value m, unsigned size,
                                        bool high) {
  const auto lane = static_cast<uint8_t>(size);
  const Opcode widen = high ? Opcode::kVWidenHiS : Opcode::kVWidenLoS;
  Value wn = b.Op(widen, n, {}, {}, 0, lane), wm = b.Op(widen, m, {}, {}, 0, lane);
  const auto wide = static_cast<uint8_t>(size + 1);
  Value product = b.Op(Opcode::kVMul, wn, wm, {}, 0, wide);  // exact: |n * m| <= 2^(2 esize - 2)
  Value doubled = b.Op(Opcode::kVAddSatS, product, product, {}, 0, wide);
  Value wrapped = b.Op(Opcode::kVAdd, product, product, {}, 0, wide);
  return {doubled, b.Not(b.Op(Opcode::kVCmpEq, doubled, wrapped, {}, 0, wide))};
}

}  // namespace

// SQDMULH/SQRDMULH (H and S lanes): the high half of the saturated 2 * n * m, rounded by adding
// 2^(esize - 1) first for SQRDMULH (saturating, so MIN * MIN stays at MAX).
LiftStatus LiftSimdSqdmulh(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  const unsigned size = SimdSize(i), esize = 8u << size;
  const auto wide = static_cast<uint8_t>(size + 1);
  Value n = Source(c, i, i.rn);
  Value m = !ByElement(i) ? Source(c, i, i.rm)
            : IsScalar(i) ? Lane0(b, ElemDup(c, i), size)
                          : ElemDup(c, i);
  // SQRDMULH: U = 1 in the three-same group, opcode 1101 (U = 0) by element.
  const bool rounding = ByElement(i) ? Bit(i.raw, 12) : SimdU(i);
  Value halves[2];
  Value sat = b.Const(Type::kV128, 0);
  for (int h = 0; h < 2; ++h) {
    auto [p, s] = DoublingProduct(b, n, m, size, h == 1);
    if (rounding)
      p = b.Op(Opcode::kVAddSatS, p, VSplat(b, size + 1, uint64_t{1} << (esize - 1)), {}, 0, wide);
    if (h == 0 || VecQ(i)) sat = b.Or(sat, s);  // the high half of a 64-bit form is no lane
    halves[h] = b.Emit(Opcode::kVAShrI, Type::kV128, p, {}, {}, esize, 0, wide);
  }
  // Narrow each half and join them: lanes 0..k-1 from the low half, k..2k-1 from the high.
  Value lo = b.Op(Opcode::kVNarrow, halves[0], {}, {}, 0, wide);
  Value hi = b.Op(Opcode::kVNarrow, halves[1], {}, {}, 0, wide);
  Value hi64 = b.Emit(Opcode::kVExtract, Type::kI64, hi, {}, {}, 0, 0, 3);
  Value r = b.Emit(Opcode::kVInsert, Type::kV128, lo, hi64, {}, 1, 0, 3);
  OrQc(c, VDiffers(b, sat, b.Const(Type::kV128, 0)));
  SetVec(c, i.rd, r, VecQ(i));
  return LiftStatus::kNext;
}

// SQDMULL(2) (opcode 1101; by element 1011), SQDMLAL(2) (1001; 0011), SQDMLSL(2) (1011; 0111):
// the saturated doubled products of the low (Q = 0) or high half, added to or subtracted from Vd
// with saturation. The scalar forms use lane 0 (and Vd's wide lane 0) alone.
LiftStatus LiftSimdSqdmull(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  const unsigned size = SimdSize(i);
  const auto wide = static_cast<uint8_t>(size + 1);
  const bool scalar = IsScalar(i);
  Value n = Source(c, i, i.rn);
  Value m = !ByElement(i) ? Source(c, i, i.rm)
            : scalar      ? Lane0(b, ElemDup(c, i), size)
                          : ElemDup(c, i);
  // The by-element element is in every lane, so the high half of the broadcast is as good as the
  // low one.
  auto [p, sat] = DoublingProduct(b, n, m, size, !scalar && SimdQ(i));
  Value r = p;
  const unsigned opcode = Bits(i.raw, 15, 12);
  const bool multiply_only = ByElement(i) ? opcode == 0b1011 : opcode == 0b1101;
  if (!multiply_only) {
    Value d = scalar ? Lane0(b, c.Q(i.rd), wide) : c.Q(i.rd);
    const bool sub = ByElement(i) ? opcode == 0b0111 : opcode == 0b1011;
    r = b.Op(sub ? Opcode::kVSubSatS : Opcode::kVAddSatS, d, p, {}, 0, wide);
    Value wrapped = b.Op(sub ? Opcode::kVSub : Opcode::kVAdd, d, p, {}, 0, wide);
    sat = b.Or(sat, b.Not(b.Op(Opcode::kVCmpEq, r, wrapped, {}, 0, wide)));
  }
  OrQc(c, VDiffers(b, sat, b.Const(Type::kV128, 0)));
  c.SetQ(i.rd, r);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
