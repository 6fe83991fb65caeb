// Scalar FP arithmetic, fused multiply-add, min/max, compares, conditional select and moves
// (insns_fp.def). NaN results follow FPCR.DN = 0 (NanRule::kArm, through LiftContext::FpAux);
// rounding is FPCR.RMode (the environment's dynamic mode). Pseudocode references are to the Arm
// ARM's shared FP functions (FPMulAdd, FPMinNum, FPCompare, ...).
#include "lift_context.h"
#include "lift_fp_util.h"
#include "simd_imm.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

LiftStatus Unary(LiftContext& c, const Insn& i, Opcode op) {
  Type t = FpType(i);
  Value a = c.V(i.rn, t);
  bool pure = op == Opcode::kFAbs || op == Opcode::kFNeg;
  c.SetVScalar(i.rd, c.b().Op(op, a, {}, {}, pure ? 0 : c.FpAux()));
  return LiftStatus::kNext;
}

LiftStatus Binary(LiftContext& c, const Insn& i, Opcode op, uint32_t aux) {
  Type t = FpType(i);
  Value a = c.V(i.rn, t);
  Value b = c.V(i.rm, t);
  c.SetVScalar(i.rd, c.b().Op(op, a, b, {}, aux));
  return LiftStatus::kNext;
}

uint32_t MinMaxAux(LiftContext& c, ir::MinMaxRule rule) {
  return c.FpAux(ir::RoundingMode::kNearestEven, static_cast<uint8_t>(rule));
}

// FMADD/FMSUB/FNMADD/FNMSUB: FPMulAdd(addend, op1, op2) after negating the addend and/or op1 as
// the encoding says (the negation happens before NaN processing, so a NaN operand comes out with
// its sign flipped, as on hardware).
LiftStatus MulAdd(LiftContext& c, const Insn& i, bool negate_addend, bool negate_op1) {
  Type t = FpType(i);
  Value n = c.V(i.rn, t);
  Value m = c.V(i.rm, t);
  Value a = c.V(i.ra, t);
  if (negate_op1) n = c.b().Op(Opcode::kFNeg, n);
  if (negate_addend) a = c.b().Op(Opcode::kFNeg, a);
  c.SetVScalar(i.rd, c.b().Op(Opcode::kFMulAdd, n, m, a, c.FpAux()));
  return LiftStatus::kNext;
}

LiftStatus Compare(LiftContext& c, const Insn& i, bool with_zero, bool signaling) {
  Type t = FpType(i);
  Value a = c.V(i.rn, t);
  Value b = with_zero ? c.b().Const(t, 0) : c.V(i.rm, t);
  SetFcmpFlags(c, a, b, signaling);
  return LiftStatus::kNext;
}

// FCCMP/FCCMPE: when the condition fails, NZCV = #nzcv and nothing is compared (no FP exception
// can be raised), so the compare runs on +0.0 operands instead, which raises nothing.
LiftStatus CondCompare(LiftContext& c, const Insn& i, bool signaling) {
  Type t = FpType(i);
  ir::Builder& b = c.b();
  Value cond = c.Cond(i.cond);
  Value zero = b.Const(t, 0);
  Value x = b.Select(cond, c.V(i.rn, t), zero);
  Value y = b.Select(cond, c.V(i.rm, t), zero);
  FcmpFlags f = FcmpNzcv(c, x, y, signaling);
  auto imm = [&](unsigned bit) { return b.Bool((i.imm2 >> bit) & 1); };
  c.SetNzcv(b.Select(cond, f.n, imm(3)), b.Select(cond, f.z, imm(2)), b.Select(cond, f.c, imm(1)),
            b.Select(cond, f.v, imm(0)));
  return LiftStatus::kNext;
}

}  // namespace

FcmpFlags FcmpNzcv(LiftContext& c, Value a, Value b, bool signaling) {
  uint32_t aux = c.FpAux(ir::RoundingMode::kNearestEven, 0, signaling);
  ir::Builder& bld = c.b();
  FcmpFlags f;
  f.n = bld.Op(Opcode::kFCmpLt, a, b, {}, aux);
  f.z = bld.Op(Opcode::kFCmpEq, a, b, {}, aux);
  f.c = bld.Not(f.n);
  f.v = bld.Op(Opcode::kFCmpUn, a, b, {}, aux);
  return f;
}

void SetFcmpFlags(LiftContext& c, Value a, Value b, bool signaling) {
  FcmpFlags f = FcmpNzcv(c, a, b, signaling);
  c.SetNzcv(f.n, f.z, f.c, f.v);
}

// Register moves copy bits: no FP op, so no flags and no NaN quieting.
LiftStatus LiftFmovReg(LiftContext& c, const Insn& i) {
  c.SetVScalar(i.rd, c.V(i.rn, FpBitsType(i)));
  return LiftStatus::kNext;
}
LiftStatus LiftFabs(LiftContext& c, const Insn& i) { return Unary(c, i, Opcode::kFAbs); }
LiftStatus LiftFneg(LiftContext& c, const Insn& i) { return Unary(c, i, Opcode::kFNeg); }
LiftStatus LiftFsqrt(LiftContext& c, const Insn& i) { return Unary(c, i, Opcode::kFSqrt); }

LiftStatus LiftFmul(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFMul, c.FpAux());
}
LiftStatus LiftFdiv(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFDiv, c.FpAux());
}
LiftStatus LiftFadd(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFAdd, c.FpAux());
}
LiftStatus LiftFsub(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFSub, c.FpAux());
}
LiftStatus LiftFmax(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFMax, MinMaxAux(c, ir::MinMaxRule::kArm));
}
LiftStatus LiftFmin(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFMin, MinMaxAux(c, ir::MinMaxRule::kArm));
}
LiftStatus LiftFmaxnm(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFMax, MinMaxAux(c, ir::MinMaxRule::kArmNum));
}
LiftStatus LiftFminnm(LiftContext& c, const Insn& i) {
  return Binary(c, i, Opcode::kFMin, MinMaxAux(c, ir::MinMaxRule::kArmNum));
}
// FNMUL negates the rounded product (FPNeg(FPMul(...)): a NaN result has its sign flipped too).
LiftStatus LiftFnmul(LiftContext& c, const Insn& i) {
  Type t = FpType(i);
  Value p = c.b().Op(Opcode::kFMul, c.V(i.rn, t), c.V(i.rm, t), {}, c.FpAux());
  c.SetVScalar(i.rd, c.b().Op(Opcode::kFNeg, p));
  return LiftStatus::kNext;
}

LiftStatus LiftFmadd(LiftContext& c, const Insn& i) { return MulAdd(c, i, false, false); }
LiftStatus LiftFmsub(LiftContext& c, const Insn& i) { return MulAdd(c, i, false, true); }
LiftStatus LiftFnmadd(LiftContext& c, const Insn& i) { return MulAdd(c, i, true, true); }
LiftStatus LiftFnmsub(LiftContext& c, const Insn& i) { return MulAdd(c, i, true, false); }

LiftStatus LiftFcmp(LiftContext& c, const Insn& i) { return Compare(c, i, false, false); }
LiftStatus LiftFcmpZero(LiftContext& c, const Insn& i) { return Compare(c, i, true, false); }
LiftStatus LiftFcmpe(LiftContext& c, const Insn& i) { return Compare(c, i, false, true); }
LiftStatus LiftFcmpeZero(LiftContext& c, const Insn& i) { return Compare(c, i, true, true); }
LiftStatus LiftFccmp(LiftContext& c, const Insn& i) { return CondCompare(c, i, false); }
LiftStatus LiftFccmpe(LiftContext& c, const Insn& i) { return CondCompare(c, i, true); }

LiftStatus LiftFcsel(LiftContext& c, const Insn& i) {
  Type t = FpBitsType(i);
  Value cond = c.Cond(i.cond);
  c.SetVScalar(i.rd, c.b().Select(cond, c.V(i.rn, t), c.V(i.rm, t)));
  return LiftStatus::kNext;
}

LiftStatus LiftFmovImm(LiftContext& c, const Insn& i) {
  bool dbl = FpType(i) == Type::kF64;
  uint64_t bits = VfpExpandImm(static_cast<uint32_t>(i.imm), dbl ? 64 : 32);
  c.SetVScalar(i.rd, c.b().Const(dbl ? Type::kI64 : Type::kI32, bits));
  return LiftStatus::kNext;
}

// FMOV between general and FP registers moves bits; the 32/64-bit rows fix the sizes.
LiftStatus LiftFmovToGpr(LiftContext& c, const Insn& i) {
  bool wide = Bit(i.raw, 31);
  Value v = c.V(i.rn, wide ? Type::kI64 : Type::kI32);
  c.SetR(i.rd, v);
  return LiftStatus::kNext;
}
LiftStatus LiftFmovFromGpr(LiftContext& c, const Insn& i) {
  c.SetVScalar(i.rd, c.R(i.rn, Bit(i.raw, 31)));
  return LiftStatus::kNext;
}
// FMOV Xd, Vn.D[1] and FMOV Vd.D[1], Xn: the upper half; the write keeps the lower half.
LiftStatus LiftFmovToGprTop(LiftContext& c, const Insn& i) {
  c.SetX(i.rd, c.b().Emit(Opcode::kVExtract, Type::kI64, c.Q(i.rn), {}, {}, 1, 0, 3));
  return LiftStatus::kNext;
}
LiftStatus LiftFmovFromGprTop(LiftContext& c, const Insn& i) {
  Value v = c.b().Emit(Opcode::kVInsert, Type::kV128, c.Q(i.rd), c.X(i.rn), {}, 1, 0, 3);
  c.SetQ(i.rd, v);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
