// AdvSIMD and scalar FMULX, FRECPS, FRSQRTS (composed from IR FP ops, Arm's special cases
// selected with integer lane masks so that no lane raises a flag the pseudocode does not), and
// FRECPE, FRSQRTE, URECPE, URSQRTE, FCVTXN (a CallHelper per lane running the Arm ARM's
// pseudocode, fp_estimate.h: the estimate tables are Arm-specific and have no IR op).
#include <bit>

#include "fp_estimate.h"
#include "lift_simd_fp_util.h"
#include "polyvm/frontend/arm64/lifter.h"
#include "polyvm/frontend/arm64/state.h"
#include "polyvm/ir/semantics/fp.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

bool IsScalar(const Insn& i) { return Bit(i.raw, 28); }

uint64_t LaneSplat(uint8_t lane, uint64_t v) { return lane == 3 ? v : (v & 0xffffffff) | v << 32; }
// `v` (exact in both formats) in every lane of `lane` size.
Value VSplatValue(ir::Builder& b, uint8_t lane, double v) {
  uint64_t half = LaneSplat(lane, lane == 3 ? std::bit_cast<uint64_t>(v)
                                            : std::bit_cast<uint32_t>(static_cast<float>(v)));
  return VConst(b, half, half);
}
// Integer lane masks (all ones where true) of the IEEE classes, by the bits (no FP flags).
Value VAbs(ir::Builder& b, Value v, uint8_t lane) {
  uint64_t keep = ~SignMask(lane);
  return b.And(v, VConst(b, keep, keep));
}
Value IsInf(ir::Builder& b, Value v, uint8_t lane) {
  uint64_t inf = LaneSplat(lane, lane == 3 ? 0x7ff0000000000000 : 0x7f800000);
  return b.Op(Opcode::kVCmpEq, VAbs(b, v, lane), VConst(b, inf, inf), {}, 0, lane);
}
Value IsZero(ir::Builder& b, Value v, uint8_t lane) {
  return b.Op(Opcode::kVCmpEq, VAbs(b, v, lane), b.Const(Type::kV128, 0), {}, 0, lane);
}
// inf * 0 in either order: FMULX, FRECPS and FRSQRTS give a constant there, with no flag.
Value InfTimesZero(ir::Builder& b, Value n, Value m, uint8_t lane) {
  return b.Or(b.And(IsInf(b, n, lane), IsZero(b, m, lane)),
              b.And(IsZero(b, n, lane), IsInf(b, m, lane)));
}
Value Blend(ir::Builder& b, Value mask, Value t, Value f) {
  return b.Or(b.And(mask, t), b.And(b.Not(mask), f));
}
Value Keep(ir::Builder& b, Value mask, Value v) { return b.And(mask, v); }  // 0.0 elsewhere

}  // namespace

// FMULX: FMUL, except that inf * 0 is 2.0 with the sign of the product (FPMulX).
LiftStatus LiftSimdFmulx(LiftContext& c, const Insn& i) {
  // inf * 0 is recognised on the raw bits, where FPCR.FZ would first flush (and raise IDC for) a
  // subnormal operand: not implemented under FZ.
  if ((c.fpcr_mode() & Arm64Lifter::kFpcrFz) != 0) return c.Unsupported();
  ir::Builder& b = c.b();
  const uint8_t lane = FpLane(i);
  // By element (bit 24): Vm.Ts[index] in every lane.
  Value n = Active(c, i, c.Q(i.rn)), m = Active(c, i, Bit(i.raw, 24) ? ElemDup(c, i) : c.Q(i.rm));
  Value special = InfTimesZero(b, n, m, lane);
  Value product =
      b.Op(Opcode::kVFMul, b.And(b.Not(special), n), b.And(b.Not(special), m), {}, c.FpAux(), lane);
  uint64_t sign = SignMask(lane);
  Value two = b.Or(VSplatValue(b, lane, 2.0), b.And(b.Xor(n, m), VConst(b, sign, sign)));
  SetFpResult(c, i, Blend(b, special, two, product));
  return LiftStatus::kNext;
}

// FRECPS (a = 0): 2.0 - n * m, fused; FRSQRTS (a = 1): (3.0 - n * m) / 2, fused (FPRecipStepFused,
// FPRSqrtStepFused: n is negated before the NaN checks, inf * 0 gives 2.0 / 1.5). FRSQRTS halves
// a finite operand of magnitude >= 1 exactly before the fused op, so the single rounding of
// 1.5 - (n / 2) * m is the pseudocode's; otherwise (both below 1, or NaNs and infinities),
// 3.0 - n * m is either in (2, 4) or not finite, and halving its rounded value is exact. Each path
// sees only its own lanes (the others 0.0, which raise nothing), so no lane raises a flag twice or
// spuriously.
LiftStatus LiftSimdFrecpsFrsqrts(LiftContext& c, const Insn& i) {
  // inf * 0 is recognised on the raw bits, where FPCR.FZ would first flush (and raise IDC for) a
  // subnormal operand: not implemented under FZ.
  if ((c.fpcr_mode() & Arm64Lifter::kFpcrFz) != 0) return c.Unsupported();
  ir::Builder& b = c.b();
  const uint8_t lane = FpLane(i);
  const uint32_t aux = c.FpAux();
  Value n = Active(c, i, c.Q(i.rn)), m = Active(c, i, c.Q(i.rm));
  Value special = InfTimesZero(b, n, m, lane);
  Value normal = b.Not(special);
  uint64_t sign = SignMask(lane);
  auto neg = [&](Value v) { return b.Xor(v, VConst(b, sign, sign)); };
  auto fma = [&](Value x, Value y, Value z) { return b.Op(Opcode::kVFMulAdd, x, y, z, aux, lane); };
  if (!Bit(i.raw, 23)) {
    Value r = fma(Keep(b, normal, neg(n)), Keep(b, normal, m), VSplatValue(b, lane, 2.0));
    SetFpResult(c, i, r);  // inf * 0 lanes compute 0 * 0 + 2.0
    return LiftStatus::kNext;
  }
  // Finite with |x| >= 1.0, by the bits. NaNs and infinities are not: halving would quiet a
  // signalling NaN before the fused op chooses between the operands' NaNs, and an infinity
  // cannot overflow the unscaled path.
  uint64_t one_bits = LaneSplat(lane, lane == 3 ? 0x3ff0000000000000 : 0x3f800000);
  uint64_t inf_bits = LaneSplat(lane, lane == 3 ? 0x7ff0000000000000 : 0x7f800000);
  Value one = VConst(b, one_bits, one_bits), inf = VConst(b, inf_bits, inf_bits);
  auto large = [&](Value v) {
    Value mag = VAbs(b, v, lane);
    return b.And(b.Op(Opcode::kVCmpGeU, mag, one, {}, 0, lane),
                 b.Op(Opcode::kVCmpGtU, inf, mag, {}, 0, lane));
  };
  Value path_n = b.And(normal, large(n));
  Value path_m = b.And(normal, b.And(b.Not(large(n)), large(m)));
  Value path_small = b.And(normal, b.Not(b.Or(large(n), large(m))));
  Value half = VSplatValue(b, lane, 0.5), three_halves = VSplatValue(b, lane, 1.5);
  Value n_half = b.Op(Opcode::kVFMul, Keep(b, path_n, n), half, {}, aux, lane);
  Value r_n = fma(neg(n_half), Keep(b, path_n, m), three_halves);
  Value m_half = b.Op(Opcode::kVFMul, Keep(b, path_m, m), half, {}, aux, lane);
  Value r_m = fma(neg(Keep(b, path_m, n)), m_half, three_halves);
  Value sum = fma(neg(Keep(b, path_small, n)), Keep(b, path_small, m), VSplatValue(b, lane, 3.0));
  Value r_small = b.Op(Opcode::kVFMul, sum, half, {}, aux, lane);  // inf * 0 lanes: 1.5
  SetFpResult(c, i, Blend(b, path_n, r_n, Blend(b, path_m, r_m, r_small)));
  return LiftStatus::kNext;
}

namespace {

enum EstimateKind : uint64_t { kFrecpe, kFrsqrte, kUrecpe, kUrsqrte, kFcvtxn };

// fn(state, lane bits, kind, double precision): the pseudocode's result; its FP exceptions are
// ORed into the FP environment (the engines run helpers inside the guest's).
uint64_t EstimateHelper(void* state, uint64_t bits, uint64_t kind, uint64_t dp) {
  uint32_t flags = 0;
  uint64_t r = 0;
  switch (kind) {
    case kFrecpe: {
      unsigned rmode = (static_cast<Arm64State*>(state)->fpcr >> 22) & 3;
      r = FpRecipEstimate(bits, dp != 0, rmode, &flags);
      break;
    }
    case kFrsqrte: r = FpRSqrtEstimate(bits, dp != 0, &flags); break;
    case kUrecpe: r = UnsignedRecipEstimate(static_cast<uint32_t>(bits)); break;
    case kUrsqrte: r = UnsignedRSqrtEstimate(static_cast<uint32_t>(bits)); break;
    default: r = FpConvertToOdd(bits, &flags); break;
  }
  if (flags != 0) ir::sem::SetFpFlags(ir::sem::GetFpFlags() | flags);
  return r;
}
constexpr ir::HelperInfo kEstimate{&EstimateHelper, "arm64_fp_estimate"};

Value CallEstimate(ir::Builder& b, Type t, Value bits, EstimateKind kind, bool dp) {
  return b.Emit(Opcode::kCallHelper, t, bits, b.I64(kind), b.I64(dp ? 1 : 0),
                reinterpret_cast<uint64_t>(&kEstimate));
}

}  // namespace

// FRECPE/FRSQRTE (opcode 11101, U selects), URECPE/URSQRTE (11100, S lanes only): lane by lane.
LiftStatus LiftSimdEstimate(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  const bool integer = Bits(i.raw, 16, 12) == 0b11100;
  // The FP helpers implement FPCR.FZ = DN = 0 only (URECPE/URSQRTE do not depend on them).
  const uint32_t fz_dn = Arm64Lifter::kFpcrFz | Arm64Lifter::kFpcrDn;
  if (!integer && (c.fpcr_mode() & fz_dn) != 0) return c.Unsupported();
  const EstimateKind kind =
      integer ? (SimdU(i) ? kUrsqrte : kUrecpe) : (SimdU(i) ? kFrsqrte : kFrecpe);
  const uint8_t lane = FpLane(i);
  const Type t = lane == 3 ? Type::kI64 : Type::kI32;
  const unsigned lanes = IsScalar(i) ? 1 : LaneCount(SimdQ(i), lane);
  Value n = c.Q(i.rn);
  Value out = b.Const(Type::kV128, 0);
  for (unsigned k = 0; k < lanes; ++k) {
    Value x = b.Emit(Opcode::kVExtract, t, n, {}, {}, k, 0, lane);
    Value r = CallEstimate(b, t, x, kind, lane == 3);
    out = b.Emit(Opcode::kVInsert, Type::kV128, out, r, {}, k, 0, lane);
  }
  SetVec(c, i.rd, out, !IsScalar(i) && SimdQ(i));
  return LiftStatus::kNext;
}

// FRECPX (scalar s/d, FPRecpX): the exponent field inverted (NOT exp; the largest finite
// exponent for zeros and subnormals), fraction zero, sign kept. A NaN is processed as FPProcessNaN
// does (quieted, IOC when signalling, the default NaN under DN) by an FAdd of the NaN with itself;
// subnormals go through that FAdd too (exact, so without flags) so that FZ raises IDC for them.
LiftStatus LiftSimdFrecpx(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  const bool dp = Bit(i.raw, 22);
  const Type it = dp ? Type::kI64 : Type::kI32, ft = dp ? Type::kF64 : Type::kF32;
  const unsigned fsize = dp ? 52 : 23;
  const uint64_t emask = dp ? 0x7ff : 0xff, sign_bit = uint64_t{1} << (dp ? 63 : 31);
  Value x = c.V(i.rn, it);
  Value exp = b.And(b.LShr(x, c.Const(it, fsize)), c.Const(it, emask));
  Value exp_zero = b.Cmp(Opcode::kCmpEq, exp, c.Const(it, 0));
  Value new_exp = b.Select(exp_zero, c.Const(it, emask - 1), b.Xor(exp, c.Const(it, emask)));
  Value sign = b.And(x, c.Const(it, sign_bit));
  Value number = b.Or(sign, b.Shl(new_exp, c.Const(it, fsize)));
  Value mag = b.And(x, c.Const(it, sign_bit - 1));
  Value is_nan = b.Cmp(Opcode::kCmpLtU, c.Const(it, emask << fsize), mag);
  Value through_fp = b.Or(is_nan, exp_zero);
  Value in = b.Bitcast(ft, b.Select(through_fp, x, c.Const(it, 0)));
  Value sum = b.Op(Opcode::kFAdd, in, in, {}, c.FpAux());
  c.SetVScalar(i.rd, b.Select(is_nan, b.Bitcast(it, sum), number));
  return LiftStatus::kNext;
}

// FCVTXN(2) (vector, 2d -> 2s in the low or high half) and FCVTXN (scalar, d -> s): binary64 to
// binary32 rounded to odd.
LiftStatus LiftSimdFcvtxn(LiftContext& c, const Insn& i) {
  // The helper implements FPCR.FZ = DN = 0 only.
  if ((c.fpcr_mode() & (Arm64Lifter::kFpcrFz | Arm64Lifter::kFpcrDn)) != 0) return c.Unsupported();
  ir::Builder& b = c.b();
  Value n = c.Q(i.rn);
  const unsigned lanes = IsScalar(i) ? 1 : 2;
  Value narrow = b.Const(Type::kV128, 0);
  for (unsigned k = 0; k < lanes; ++k) {
    Value x = b.Emit(Opcode::kVExtract, Type::kI64, n, {}, {}, k, 0, 3);
    Value r = CallEstimate(b, Type::kI32, x, kFcvtxn, true);
    narrow = b.Emit(Opcode::kVInsert, Type::kV128, narrow, r, {}, k, 0, 2);
  }
  if (IsScalar(i) || !SimdQ(i)) {
    c.SetQ(i.rd, narrow);
  } else {  // FCVTXN2: the upper half, the lower kept
    Value lo = b.Emit(Opcode::kVExtract, Type::kI64, narrow, {}, {}, 0, 0, 3);
    c.SetQ(i.rd, b.Emit(Opcode::kVInsert, Type::kV128, c.Q(i.rd), lo, {}, 1, 0, 3));
  }
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
