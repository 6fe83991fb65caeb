// AdvSIMD shifts by immediate and the forms that change the lane width (insns_simd.def):
// SSHR/USHR/SSRA/USRA/SRSHR/URSHR/SHL (vector and scalar D), SLI/SRI, the saturating shifts
// SQSHL/UQSHL/SQSHLU and SQ(R)SHR(U)N/UQ(R)SHRN (FPSR.QC), SHRN/RSHRN, SSHLL/USHLL, SHLL, XTN and
// the saturating narrows, the long/wide three-different forms (SADDL ... UMULL, +2), ADDHN/SUBHN,
// and the integer by-element multiplies.
#include "lift_simd_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

bool IsScalar(const Insn& i) { return Bit(i.raw, 28); }
unsigned IshSize(const Insn& i) {
  unsigned immh = Bits(i.raw, 22, 19);
  unsigned size = 0;
  while (immh >> (size + 1)) ++size;
  return size;
}

Value V1(ir::Builder& b, Opcode op, Value a, unsigned lane, uint64_t imm = 0) {
  return b.Emit(op, Type::kV128, a, {}, {}, imm, 0, static_cast<uint8_t>(lane));
}
Value V2(ir::Builder& b, Opcode op, Value a, Value x, unsigned lane) {
  return b.Op(op, a, x, {}, 0, static_cast<uint8_t>(lane));
}

// Rounding right shift: floor((a + 2^(s-1)) / 2^s) = (a >> s) + bit s-1 of a, without overflow.
Value RoundShr(ir::Builder& b, Value a, unsigned lane, unsigned s, bool is_signed) {
  Opcode shr = is_signed ? Opcode::kVAShrI : Opcode::kVLShrI;
  Value q = V1(b, shr, a, lane, s);
  Value bit = b.And(V1(b, Opcode::kVLShrI, a, lane, s - 1), VSplat(b, lane, 1));
  return V2(b, Opcode::kVAdd, q, bit, lane);
}

// The lanes of the low (Q = 0) or high (Q = 1) half, widened to double width.
Value WidenHalf(ir::Builder& b, Value v, unsigned size, bool high, bool is_signed) {
  Opcode op = high ? (is_signed ? Opcode::kVWidenHiS : Opcode::kVWidenHiU)
                   : (is_signed ? Opcode::kVWidenLoS : Opcode::kVWidenLoU);
  return V1(b, op, v, size);
}

// Writes a narrowed result (in the low 64 bits of `narrow`): the low half with the upper zeroed,
// or, for the "2" forms (Q = 1), the upper half with the low half kept.
void SetNarrow(LiftContext& c, const Insn& i, Value narrow) {
  ir::Builder& b = c.b();
  if (!SimdQ(i)) {
    c.SetQ(i.rd, narrow);  // VNarrow already zeroed the upper half
    return;
  }
  Value lo = b.Emit(Opcode::kVExtract, Type::kI64, narrow, {}, {}, 0, 0, 3);
  c.SetQ(i.rd, b.Emit(Opcode::kVInsert, Type::kV128, c.Q(i.rd), lo, {}, 1, 0, 3));
}

// The narrowing forms' result: SetNarrow, or for a scalar form (lane 0 computed alone) the low
// lane with the rest of the register zeroed.
void SetNarrowOrScalar(LiftContext& c, const Insn& i, Value narrow) {
  if (SimdScalar(i)) {
    c.SetQ(i.rd, VLow64(c.b(), narrow));
    return;
  }
  SetNarrow(c, i, narrow);
}

}  // namespace

// Vector and scalar-D shifts by immediate (opcode bits 15:11).
LiftStatus LiftSimdShiftImm(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = IshSize(i);
  bool u = SimdU(i), q = !IsScalar(i) && SimdQ(i);
  unsigned s = static_cast<unsigned>(i.imm);
  Value n = c.Q(i.rn);
  Value r;
  switch (Bits(i.raw, 15, 11)) {
    case 0b01010: r = V1(b, Opcode::kVShlI, n, size, s); break;
    case 0b00100:  // SRSHR/URSHR, and SRSRA/URSRA (00110) which accumulate
    case 0b00110:
      r = RoundShr(b, n, size, s, !u);
      if (Bit(i.raw, 12)) r = V2(b, Opcode::kVAdd, c.Q(i.rd), r, size);
      break;
    default: {  // SSHR/USHR (00000), SSRA/USRA (00010)
      r = V1(b, u ? Opcode::kVLShrI : Opcode::kVAShrI, n, size, s);
      if (Bit(i.raw, 12)) r = V2(b, Opcode::kVAdd, c.Q(i.rd), r, size);
      break;
    }
  }
  SetVec(c, i.rd, r, q);
  return LiftStatus::kNext;
}

// SLI/SRI: the shifted lanes of n inserted into d, keeping d's bits the shift vacated.
LiftStatus LiftSimdShiftInsert(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = IshSize(i);
  unsigned s = static_cast<unsigned>(i.imm);
  bool left = Bit(i.raw, 12);  // SLI 01010, SRI 01000
  Opcode op = left ? Opcode::kVShlI : Opcode::kVLShrI;
  Value shifted = V1(b, op, c.Q(i.rn), size, s);
  Value mask = V1(b, op, VSplat(b, size, ~uint64_t{0}), size, s);  // the bits n fills
  Value r = b.Or(b.And(c.Q(i.rd), b.Not(mask)), shifted);
  SetVec(c, i.rd, r, !SimdScalar(i) && SimdQ(i));  // scalar SLI/SRI: d, the upper half zeroed
  return LiftStatus::kNext;
}

// SHRN/RSHRN(2): shift the double-width lanes right, keep their low halves.
LiftStatus LiftSimdShiftNarrow(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = IshSize(i);  // the narrow size
  unsigned s = static_cast<unsigned>(i.imm);
  Value n = c.Q(i.rn);
  Value shifted =
      Bit(i.raw, 11) ? RoundShr(b, n, size + 1, s, false) : V1(b, Opcode::kVLShrI, n, size + 1, s);
  SetNarrow(c, i, V1(b, Opcode::kVNarrow, shifted, size + 1));
  return LiftStatus::kNext;
}

namespace {

// Lane-wise select: where mask lanes are all ones, a; elsewhere b.
Value Blend(ir::Builder& b, Value mask, Value a, Value x) {
  return b.Or(b.And(mask, a), b.And(b.Not(mask), x));
}

}  // namespace

// SQSHRN/UQSHRN/SQRSHRN/UQRSHRN/SQSHRUN/SQRSHRUN(2): shift the double-width lanes right (rounding
// for the R forms), saturate to the narrow range (FPSR.QC when any lane does), keep the low halves.
// opcode 1000x (U = 1): signed in, unsigned out; 1001x: signed (U = 0) or unsigned (U = 1).
LiftStatus LiftSimdShiftNarrowSat(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = IshSize(i), wide = size + 1;
  unsigned s = static_cast<unsigned>(i.imm), bits = 8u << size;
  bool u = SimdU(i), round = Bit(i.raw, 11);
  bool unsigned_in = u && Bit(i.raw, 12);  // UQSHRN, UQRSHRN
  bool unsigned_out = u;                   // and SQSHRUN, SQRSHRUN
  Value n = SimdScalar(i) ? Lane0(b, c.Q(i.rn), wide) : c.Q(i.rn);
  Value x = round ? RoundShr(b, n, wide, s, !unsigned_in)
                  : V1(b, unsigned_in ? Opcode::kVLShrI : Opcode::kVAShrI, n, wide, s);
  uint64_t umax = (uint64_t{1} << bits) - 1, smax = umax >> 1;
  Value clamped;
  if (unsigned_in) {
    clamped = V2(b, Opcode::kVMinU, x, VSplat(b, wide, umax), wide);
  } else if (unsigned_out) {
    Value pos = V2(b, Opcode::kVMaxS, x, b.Const(Type::kV128, 0), wide);
    clamped = V2(b, Opcode::kVMinS, pos, VSplat(b, wide, umax), wide);
  } else {
    Value lo = V2(b, Opcode::kVMaxS, x, VSplat(b, wide, ~smax), wide);
    clamped = V2(b, Opcode::kVMinS, lo, VSplat(b, wide, smax), wide);
  }
  OrQc(c, VDiffers(b, clamped, x));
  SetNarrowOrScalar(c, i, V1(b, Opcode::kVNarrow, clamped, wide));
  return LiftStatus::kNext;
}

// SQSHL/UQSHL/SQSHLU #imm: a left shift that saturates when bits would be lost (FPSR.QC).
LiftStatus LiftSimdShiftLeftSat(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = IshSize(i), bits = 8u << size;
  unsigned s = static_cast<unsigned>(i.imm);
  bool u = SimdU(i), shlu = u && !Bit(i.raw, 12);  // SQSHLU: opcode 01100
  bool q = !SimdScalar(i) && SimdQ(i);
  Value x = SimdScalar(i) ? Lane0(b, c.Q(i.rn), size) : c.Q(i.rn);
  Value shifted = V1(b, Opcode::kVShlI, x, size, s);
  uint64_t umax = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1, smax = umax >> 1;
  Value r;
  Value sat;
  if (u && !shlu) {  // UQSHL: saturated where shifting back loses bits
    Value back = V1(b, Opcode::kVLShrI, shifted, size, s);
    sat = b.Not(V2(b, Opcode::kVCmpEq, back, x, size));
    r = Blend(b, sat, VSplat(b, size, umax), shifted);
  } else if (!u) {  // SQSHL: to the maximum of x's sign
    Value back = V1(b, Opcode::kVAShrI, shifted, size, s);
    sat = b.Not(V2(b, Opcode::kVCmpEq, back, x, size));
    Value neg = V2(b, Opcode::kVCmpGtS, b.Const(Type::kV128, 0), x, size);
    Value limit = Blend(b, neg, VSplat(b, size, ~smax), VSplat(b, size, smax));
    r = Blend(b, sat, limit, shifted);
  } else {  // SQSHLU: negative lanes give 0, large ones the unsigned maximum
    Value neg = V2(b, Opcode::kVCmpGtS, b.Const(Type::kV128, 0), x, size);
    Value back = V1(b, Opcode::kVLShrI, shifted, size, s);
    Value lost = b.Not(V2(b, Opcode::kVCmpEq, back, x, size));
    Value big = b.And(lost, b.Not(neg));
    sat = b.Or(neg, big);
    r = b.And(Blend(b, big, VSplat(b, size, umax), shifted), b.Not(neg));
  }
  if (!q) sat = VLow64(b, sat);
  OrQc(c, b.Cmp(Opcode::kCmpNe, b.Bitcast(Type::kI128, sat), b.Const(Type::kI128, 0)));
  SetVec(c, i.rd, r, q);
  return LiftStatus::kNext;
}

// SSHLL/USHLL(2): widen the low (high) half, then shift left.
LiftStatus LiftSimdShiftLong(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = IshSize(i);
  Value w = WidenHalf(b, c.Q(i.rn), size, SimdQ(i), !SimdU(i));
  c.SetQ(i.rd, V1(b, Opcode::kVShlI, w, size + 1, static_cast<uint64_t>(i.imm)));
  return LiftStatus::kNext;
}

// SHLL/SHLL2: widen the low (high) half and shift left by the element size.
LiftStatus LiftSimdShll(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  Value w = WidenHalf(b, c.Q(i.rn), size, SimdQ(i), false);
  c.SetQ(i.rd, V1(b, Opcode::kVShlI, w, size + 1, 8u << size));
  return LiftStatus::kNext;
}

// XTN (10010, U = 0), SQXTUN (10010, U = 1), SQXTN/UQXTN (10100): narrow, saturating where the
// name says so (FPSR.QC set when any lane saturated).
LiftStatus LiftSimdNarrow(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);  // the narrow size
  unsigned wide = size + 1;
  unsigned bits = 8u << size;
  Value n = SimdScalar(i) ? Lane0(b, c.Q(i.rn), wide) : c.Q(i.rn);
  bool u = SimdU(i);
  Value clamped = n;
  if (Bits(i.raw, 16, 12) == 0b10100) {
    if (u) {
      uint64_t max = (uint64_t{1} << bits) - 1;
      clamped = V2(b, Opcode::kVMinU, n, VSplat(b, wide, max), wide);
    } else {
      uint64_t max = (uint64_t{1} << (bits - 1)) - 1;
      clamped = V2(b, Opcode::kVMinS, V2(b, Opcode::kVMaxS, n, VSplat(b, wide, ~max), wide),
                   VSplat(b, wide, max), wide);
    }
  } else if (u) {  // SQXTUN: signed in, unsigned out
    uint64_t max = (uint64_t{1} << bits) - 1;
    clamped = V2(b, Opcode::kVMinS, V2(b, Opcode::kVMaxS, n, b.Const(Type::kV128, 0), wide),
                 VSplat(b, wide, max), wide);
  }
  if (clamped.id != n.id) OrQc(c, VDiffers(b, clamped, n));
  SetNarrowOrScalar(c, i, V1(b, Opcode::kVNarrow, clamped, wide));
  return LiftStatus::kNext;
}

// ADDHN/SUBHN(2): the high halves of the double-width sums/differences; RADDHN/RSUBHN (U = 1)
// round them, adding 2^(esize - 1) (modulo the double width, as the pseudocode keeps only those
// bits).
LiftStatus LiftSimdHighNarrow(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  Opcode op = Bit(i.raw, 13) ? Opcode::kVSub : Opcode::kVAdd;
  Value r = V2(b, op, c.Q(i.rn), c.Q(i.rm), size + 1);
  if (SimdU(i))
    r = V2(b, Opcode::kVAdd, r, VSplat(b, size + 1, uint64_t{1} << ((8u << size) - 1)), size + 1);
  r = V1(b, Opcode::kVLShrI, r, size + 1, 8u << size);
  SetNarrow(c, i, V1(b, Opcode::kVNarrow, r, size + 1));
  return LiftStatus::kNext;
}

namespace {

// The long/wide three-different ops on widened operands (opcode bits 15:12).
Value LongOp(LiftContext& c, const Insn& i, Value wn, Value wm) {
  ir::Builder& b = c.b();
  unsigned wide = SimdSize(i) + 1;
  bool u = SimdU(i);
  auto abd = [&] {
    Value hi = V2(b, u ? Opcode::kVMaxU : Opcode::kVMaxS, wn, wm, wide);
    Value lo = V2(b, u ? Opcode::kVMinU : Opcode::kVMinS, wn, wm, wide);
    return V2(b, Opcode::kVSub, hi, lo, wide);
  };
  switch (Bits(i.raw, 15, 12)) {
    case 0b0000:
    case 0b0001: return V2(b, Opcode::kVAdd, wn, wm, wide);
    case 0b0010:
    case 0b0011: return V2(b, Opcode::kVSub, wn, wm, wide);
    case 0b0101: return V2(b, Opcode::kVAdd, c.Q(i.rd), abd(), wide);
    case 0b0111: return abd();
    default: break;
  }
  Value prod = V2(b, Opcode::kVMul, wn, wm, wide);
  switch (Bits(i.raw, 15, 12)) {
    case 0b1000: return V2(b, Opcode::kVAdd, c.Q(i.rd), prod, wide);  // xMLAL
    case 0b1010: return V2(b, Opcode::kVSub, c.Q(i.rd), prod, wide);  // xMLSL
    default: return prod;                                             // xMULL
  }
}

}  // namespace

// SADDL ... UMULL (and the "2" forms on the upper halves). SADDW/SSUBW take n already wide.
LiftStatus LiftSimdLong(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  bool high = SimdQ(i), s = !SimdU(i);
  unsigned opcode = Bits(i.raw, 15, 12);
  bool wide_n = opcode == 0b0001 || opcode == 0b0011;
  Value wn = wide_n ? c.Q(i.rn) : WidenHalf(b, c.Q(i.rn), size, high, s);
  Value wm = WidenHalf(b, c.Q(i.rm), size, high, s);
  c.SetQ(i.rd, LongOp(c, i, wn, wm));
  return LiftStatus::kNext;
}

// MUL/MLA/MLS by element.
LiftStatus LiftSimdMulElem(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  Value r = V2(b, Opcode::kVMul, c.Q(i.rn), ElemDup(c, i), size);
  unsigned opcode = Bits(i.raw, 15, 12);
  if (opcode != 0b1000)
    r = V2(b, opcode == 0b0100 ? Opcode::kVSub : Opcode::kVAdd, c.Q(i.rd), r, size);
  SetVec(c, i.rd, r, SimdQ(i));
  return LiftStatus::kNext;
}

// SMULL/UMULL/SMLAL/UMLAL/SMLSL/UMLSL by element (and "2").
LiftStatus LiftSimdLongElem(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i), wide = size + 1;
  bool high = SimdQ(i), s = !SimdU(i);
  Value wn = WidenHalf(b, c.Q(i.rn), size, high, s);
  Value wm = WidenHalf(b, ElemDup(c, i), size, false, s);
  Value prod = V2(b, Opcode::kVMul, wn, wm, wide);
  unsigned opcode = Bits(i.raw, 15, 12);
  if (opcode == 0b0010) prod = V2(b, Opcode::kVAdd, c.Q(i.rd), prod, wide);  // xMLAL
  if (opcode == 0b0110) prod = V2(b, Opcode::kVSub, c.Q(i.rd), prod, wide);  // xMLSL
  c.SetQ(i.rd, prod);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
