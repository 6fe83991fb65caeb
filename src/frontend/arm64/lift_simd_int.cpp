// AdvSIMD integer arithmetic (insns_simd.def): three-same, two-register-misc, across-lanes and
// scalar D forms: add/sub, saturating add/sub (with FPSR.QC), min/max, absolute difference, mul
// and multiply-accumulate, compares (register and #0), logic and the bitwise selects, abs/neg,
// halving adds, pairwise ops (and SADDLP/SADALP), reductions, register shifts (SSHL/USHL, lane by
// lane), CNT, CLS/CLZ.
// Semantics: the Arm ARM's pseudocode of each instruction (DDI 0487, C7.2).
#include "lift_simd_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

// The scalar forms (bit 28 set) operate on one 64-bit lane; Q = 0 keeps only the low half.
bool IsScalar(const Insn& i) { return Bit(i.raw, 28); }
bool VecQ(const Insn& i) { return !IsScalar(i) && SimdQ(i); }

Value VOp(LiftContext& c, Opcode op, Value a, Value b, unsigned size) {
  return c.b().Op(op, a, b, {}, 0, static_cast<uint8_t>(size));
}

// The operands of a three-same row and where its result goes.
struct Three {
  Value n, m;
  unsigned size;
  bool q;
};
// Scalar forms read lane 0 alone (the other lanes zero), so lane-wise ops on the whole register
// compute, and saturate, that lane only.
Three ReadThree(LiftContext& c, const Insn& i) {
  unsigned size = SimdSize(i);
  Value n = c.Q(i.rn), m = c.Q(i.rm);
  if (IsScalar(i) && size != 3) {
    Value lane0 = VConst(c.b(), (uint64_t{1} << (8u << size)) - 1);
    n = c.b().And(n, lane0);
    m = c.b().And(m, lane0);
  }
  return {n, m, size, VecQ(i)};
}

// The even- and odd-numbered lanes of the concatenation m:n (n's lanes first), for the pairwise
// ops: for Q = 0 only the low halves take part.
std::pair<Value, Value> EvenOdd(LiftContext& c, Value n, Value m, unsigned size, bool q) {
  ir::Builder& b = c.b();
  if (!q) {
    Value mlo = b.Emit(Opcode::kVExtract, Type::kI64, m, {}, {}, 0, 0, 3);
    n = b.Emit(Opcode::kVInsert, Type::kV128, n, mlo, {}, 1, 0, 3);
    m = b.Const(Type::kV128, 0);
  }
  return {VOp(c, Opcode::kVUzpEven, n, m, size), VOp(c, Opcode::kVUzpOdd, n, m, size)};
}

}  // namespace

LiftStatus LiftSimdAddSub(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  Opcode op = SimdU(i) ? Opcode::kVSub : Opcode::kVAdd;
  SetVec(c, i.rd, VOp(c, op, t.n, t.m, t.size), t.q);
  return LiftStatus::kNext;
}

LiftStatus LiftSimdSatAddSub(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  bool sub = Bit(i.raw, 13), u = SimdU(i);
  Opcode op = sub ? (u ? Opcode::kVSubSatU : Opcode::kVSubSatS)
                  : (u ? Opcode::kVAddSatU : Opcode::kVAddSatS);
  Value r = VOp(c, op, t.n, t.m, t.size);
  Value wrapped = VOp(c, sub ? Opcode::kVSub : Opcode::kVAdd, t.n, t.m, t.size);
  if (!t.q) {
    r = VLow64(c.b(), r);
    wrapped = VLow64(c.b(), wrapped);
  }
  OrQc(c, VDiffers(c.b(), r, wrapped));
  c.SetQ(i.rd, r);
  return LiftStatus::kNext;
}

LiftStatus LiftSimdMinMax(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  bool min = Bit(i.raw, 11), u = SimdU(i);
  Opcode op = min ? (u ? Opcode::kVMinU : Opcode::kVMinS) : (u ? Opcode::kVMaxU : Opcode::kVMaxS);
  SetVec(c, i.rd, VOp(c, op, t.n, t.m, t.size), t.q);
  return LiftStatus::kNext;
}

// SABD/UABD: max - min; SABA/UABA (opcode bit 11) add it to the destination.
LiftStatus LiftSimdAbd(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  bool u = SimdU(i);
  Value hi = VOp(c, u ? Opcode::kVMaxU : Opcode::kVMaxS, t.n, t.m, t.size);
  Value lo = VOp(c, u ? Opcode::kVMinU : Opcode::kVMinS, t.n, t.m, t.size);
  Value r = VOp(c, Opcode::kVSub, hi, lo, t.size);
  if (Bit(i.raw, 11)) r = VOp(c, Opcode::kVAdd, c.Q(i.rd), r, t.size);
  SetVec(c, i.rd, r, t.q);
  return LiftStatus::kNext;
}

// MUL (opcode 10011), MLA/MLS (10010, U selects MLS).
LiftStatus LiftSimdMul(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  Value r = VOp(c, Opcode::kVMul, t.n, t.m, t.size);
  if (!Bit(i.raw, 11)) {
    r = VOp(c, SimdU(i) ? Opcode::kVSub : Opcode::kVAdd, c.Q(i.rd), r, t.size);
  }
  SetVec(c, i.rd, r, t.q);
  return LiftStatus::kNext;
}

// CMGT/CMHI (00110), CMGE/CMHS (00111), CMTST/CMEQ (10001): all ones where true.
LiftStatus LiftSimdCompare(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  bool u = SimdU(i);
  Value r;
  switch (Bits(i.raw, 15, 11)) {
    case 0b00110: r = VOp(c, u ? Opcode::kVCmpGtU : Opcode::kVCmpGtS, t.n, t.m, t.size); break;
    case 0b00111: r = VOp(c, u ? Opcode::kVCmpGeU : Opcode::kVCmpGeS, t.n, t.m, t.size); break;
    default:
      if (u) {
        r = VOp(c, Opcode::kVCmpEq, t.n, t.m, t.size);
      } else {
        Value both = c.b().And(t.n, t.m);
        r = c.b().Not(VOp(c, Opcode::kVCmpEq, both, c.b().Const(Type::kV128, 0), t.size));
      }
      break;
  }
  SetVec(c, i.rd, r, t.q);
  return LiftStatus::kNext;
}

// CMGT/CMGE/CMEQ/CMLE/CMLT #0 (opcode 01000 gt/ge by U, 01001 eq/le by U, 01010 lt).
LiftStatus LiftSimdCompareZero(LiftContext& c, const Insn& i) {
  unsigned size = SimdSize(i);
  Value n = c.Q(i.rn);
  Value zero = c.b().Const(Type::kV128, 0);
  bool u = SimdU(i);
  Value r;
  switch (Bits(i.raw, 16, 12)) {
    case 0b01000: r = VOp(c, u ? Opcode::kVCmpGeS : Opcode::kVCmpGtS, n, zero, size); break;
    case 0b01001:
      r = u ? VOp(c, Opcode::kVCmpGeS, zero, n, size) : VOp(c, Opcode::kVCmpEq, n, zero, size);
      break;
    default: r = VOp(c, Opcode::kVCmpGtS, zero, n, size); break;
  }
  SetVec(c, i.rd, r, VecQ(i));
  return LiftStatus::kNext;
}

LiftStatus LiftSimdAbsNeg(LiftContext& c, const Insn& i) {
  Value n = c.Q(i.rn);
  Value r = c.b().Op(SimdU(i) ? Opcode::kVNeg : Opcode::kVAbs, n, {}, {}, 0,
                     static_cast<uint8_t>(SimdSize(i)));
  SetVec(c, i.rd, r, VecQ(i));
  return LiftStatus::kNext;
}

// AND BIC ORR ORN (U = 0) and EOR BSL BIT BIF (U = 1), by the size bits.
LiftStatus LiftSimdLogic(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  Value n = c.Q(i.rn), m = c.Q(i.rm);
  Value r;
  switch ((SimdU(i) ? 4 : 0) | SimdSize(i)) {
    case 0: r = b.And(n, m); break;
    case 1: r = b.And(n, b.Not(m)); break;
    case 2: r = b.Or(n, m); break;
    case 3: r = b.Or(n, b.Not(m)); break;
    case 4: r = b.Xor(n, m); break;
    case 5: {  // BSL: d selects n where set, m where clear
      Value d = c.Q(i.rd);
      r = b.Or(b.And(d, n), b.And(b.Not(d), m));
      break;
    }
    case 6: {  // BIT: insert n where m is set
      Value d = c.Q(i.rd);
      r = b.Or(b.And(n, m), b.And(d, b.Not(m)));
      break;
    }
    default: {  // BIF: insert n where m is clear
      Value d = c.Q(i.rd);
      r = b.Or(b.And(d, m), b.And(n, b.Not(m)));
      break;
    }
  }
  SetVec(c, i.rd, r, SimdQ(i));
  return LiftStatus::kNext;
}

LiftStatus LiftSimdNot(LiftContext& c, const Insn& i) {
  SetVec(c, i.rd, c.b().Not(c.Q(i.rn)), SimdQ(i));
  return LiftStatus::kNext;
}

// RBIT (vector): the bits of each byte reversed, a nibble at a time through a 16-entry table.
LiftStatus LiftSimdRbit(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  uint64_t lo = 0, hi = 0;
  for (unsigned k = 0; k < 16; ++k) {
    unsigned rev = ((k & 1) << 3) | ((k & 2) << 1) | ((k & 4) >> 1) | ((k & 8) >> 3);
    (k < 8 ? lo : hi) |= uint64_t{rev} << (8 * (k % 8));
  }
  Value reversed = VConst(b, lo, hi);
  Value n = c.Q(i.rn);
  Value low_nibbles = b.And(n, VSplat(b, 0, 0x0f));
  Value high_nibbles = b.Emit(Opcode::kVLShrI, Type::kV128, n, {}, {}, 4, 0, 0);
  Value r = b.Or(b.Emit(Opcode::kVShlI, Type::kV128, b.Op(Opcode::kVTbl, reversed, low_nibbles), {},
                        {}, 4, 0, 0),
                 b.Op(Opcode::kVTbl, reversed, high_nibbles));
  SetVec(c, i.rd, r, SimdQ(i));
  return LiftStatus::kNext;
}

LiftStatus LiftSimdCnt(LiftContext& c, const Insn& i) {
  SetVec(c, i.rd, c.b().Op(Opcode::kVPopcount, c.Q(i.rn), {}, {}, 0, 0), SimdQ(i));
  return LiftStatus::kNext;
}

// ADDP, SMAXP/UMAXP (10100), SMINP/UMINP (10101): op(even lane, odd lane) of m:n.
LiftStatus LiftSimdPairwise(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  auto [even, odd] = EvenOdd(c, t.n, t.m, t.size, t.q);
  bool u = SimdU(i);
  Opcode op;
  switch (Bits(i.raw, 15, 11)) {
    case 0b10100: op = u ? Opcode::kVMaxU : Opcode::kVMaxS; break;
    case 0b10101: op = u ? Opcode::kVMinU : Opcode::kVMinS; break;
    default: op = Opcode::kVAdd; break;
  }
  SetVec(c, i.rd, VOp(c, op, even, odd, t.size), t.q);
  return LiftStatus::kNext;
}

// SADDLP/UADDLP: adjacent lane pairs summed into double-width lanes; SADALP/UADALP (opcode
// 00110) add them to the destination.
LiftStatus LiftSimdAddlp(LiftContext& c, const Insn& i) {
  unsigned size = SimdSize(i);
  Value n = c.Q(i.rn);
  auto [even, odd] = EvenOdd(c, n, n, size, true);
  Opcode widen = SimdU(i) ? Opcode::kVWidenLoU : Opcode::kVWidenLoS;
  Value we = c.b().Op(widen, even, {}, {}, 0, static_cast<uint8_t>(size));
  Value wo = c.b().Op(widen, odd, {}, {}, 0, static_cast<uint8_t>(size));
  Value r = VOp(c, Opcode::kVAdd, we, wo, size + 1);
  if (Bit(i.raw, 14)) r = VOp(c, Opcode::kVAdd, c.Q(i.rd), r, size + 1);
  SetVec(c, i.rd, r, SimdQ(i));
  return LiftStatus::kNext;
}

// Across lanes: SADDLV/UADDLV (a double-width sum), SMAXV/UMAXV/SMINV/UMINV, ADDV. For Q = 0 the
// upper half takes no part: zeroed for sums, a copy of the low half for min/max.
LiftStatus LiftSimdAcross(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  bool q = SimdQ(i), u = SimdU(i);
  if (size == 3 || (size == 2 && !q)) return c.Undefined();
  Value n = c.Q(i.rn);
  unsigned opcode = Bits(i.raw, 16, 12);
  if (opcode == 0b00011) {  // SADDLV/UADDLV
    Opcode lo = u ? Opcode::kVWidenLoU : Opcode::kVWidenLoS;
    Opcode hi = u ? Opcode::kVWidenHiU : Opcode::kVWidenHiS;
    Value sum = b.Op(lo, n, {}, {}, 0, static_cast<uint8_t>(size));
    if (q)
      sum =
          VOp(c, Opcode::kVAdd, sum, b.Op(hi, n, {}, {}, 0, static_cast<uint8_t>(size)), size + 1);
    Value r =
        b.Emit(Opcode::kVReduceAdd, Type::kI64, sum, {}, {}, 0, 0, static_cast<uint8_t>(size + 1));
    c.SetVScalar(i.rd, b.Trunc(LaneType(size + 1), r));
    return LiftStatus::kNext;
  }
  Opcode op;
  switch (opcode) {
    case 0b01010: op = u ? Opcode::kVReduceMaxU : Opcode::kVReduceMaxS; break;
    case 0b11010: op = u ? Opcode::kVReduceMinU : Opcode::kVReduceMinS; break;
    default: op = Opcode::kVReduceAdd; break;
  }
  if (!q) {
    Value lo = b.Emit(Opcode::kVExtract, Type::kI64, n, {}, {}, 0, 0, 3);
    n = b.Emit(Opcode::kVInsert, Type::kV128, n, op == Opcode::kVReduceAdd ? b.I64(0) : lo, {}, 1,
               0, 3);
  }
  Value r = b.Emit(op, Type::kI64, n, {}, {}, 0, 0, static_cast<uint8_t>(size));
  c.SetVScalar(i.rd, b.Trunc(LaneType(size), r));
  return LiftStatus::kNext;
}

// SHADD/UHADD (00000), SRHADD/URHADD (00010) and SHSUB/UHSUB (00100) without a wider type:
// floor((a + b) / 2) is (a & b) + ((a ^ b) >> 1), the rounded form (a | b) - ((a ^ b) >> 1), and
// floor((a - b) / 2) is ((a ^ b) >> 1) - (~a & b) (as a - b = (a ^ b) - 2 (~a & b)), with an
// arithmetic shift for the signed forms.
LiftStatus LiftSimdHalving(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  ir::Builder& b = c.b();
  Value half = b.Emit(SimdU(i) ? Opcode::kVLShrI : Opcode::kVAShrI, Type::kV128, b.Xor(t.n, t.m),
                      {}, {}, 1, 0, static_cast<uint8_t>(t.size));
  Value r = Bit(i.raw, 13)   ? VOp(c, Opcode::kVSub, half, b.And(b.Not(t.n), t.m), t.size)
            : Bit(i.raw, 12) ? VOp(c, Opcode::kVSub, b.Or(t.n, t.m), half, t.size)
                             : VOp(c, Opcode::kVAdd, b.And(t.n, t.m), half, t.size);
  SetVec(c, i.rd, r, t.q);
  return LiftStatus::kNext;
}

// CLZ, and CLS (U = 0) as CLZ(x ^ (x >> 1, arithmetic)) - 1, lane by lane.
LiftStatus LiftSimdClz(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  unsigned size = SimdSize(i);
  bool q = SimdQ(i), cls = !SimdU(i);
  Type t = LaneType(size);
  Value r = PerLane(b, c.Q(i.rn), {}, size, LaneCount(q, size), [&](Value x, Value) {
    Value v = b.Trunc(t, x);
    if (!cls) return b.Op(Opcode::kClz, v);
    Value folded = b.Xor(v, b.AShr(v, b.Const(t, 1)));
    return b.Sub(b.Op(Opcode::kClz, folded), b.Const(t, 1));
  });
  SetVec(c, i.rd, r, q);
  return LiftStatus::kNext;
}

// SSHL/USHL: each lane shifted by the signed low byte of the matching lane of m: left when
// positive, right (arithmetic for SSHL) when negative; shifts of the lane width or more give 0
// (or the sign for SSHL right shifts).
LiftStatus LiftSimdShiftReg(LiftContext& c, const Insn& i) {
  Three t = ReadThree(c, i);
  ir::Builder& b = c.b();
  bool u = SimdU(i);
  unsigned esize = 8u << t.size;
  unsigned lanes = IsScalar(i) ? 1 : LaneCount(t.q, t.size);
  Value r = PerLane(b, t.n, t.m, t.size, lanes, [&](Value x, Value y) {
    Value s = b.SExt(Type::kI64, b.Trunc(Type::kI8, y));
    Value zero = b.I64(0);
    Value neg = b.Cmp(Opcode::kCmpLtS, s, zero);
    Value left = b.Select(b.Cmp(Opcode::kCmpLtU, s, b.I64(esize)), b.Shl(x, s), zero);
    Value amount = b.Op(Opcode::kNeg, s);
    Value right;
    if (u) {
      right = b.Select(b.Cmp(Opcode::kCmpLtU, amount, b.I64(64)), b.LShr(x, amount), zero);
    } else {
      Value xs = b.SExt(Type::kI64, b.Trunc(LaneType(t.size), x));
      Value capped = b.Select(b.Cmp(Opcode::kCmpLtU, amount, b.I64(63)), amount, b.I64(63));
      right = b.AShr(xs, capped);
    }
    return b.Select(neg, right, left);
  });
  SetVec(c, i.rd, r, t.q);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
