// F and D arithmetic and comparisons. NaN results are canonical, fmin/fmax follow IEEE 754-2019
// minimumNumber/maximumNumber (RISC-V's rule), flt/fle signal on quiet NaNs while feq does not.
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::FpMode;
using ir::Opcode;
using ir::Type;
using ir::Value;
constexpr Type S = Type::kF32;
constexpr Type D = Type::kF64;

LiftStatus Binary(LiftContext& c, const Insn& i, Type t, Opcode op) {
  uint32_t aux = c.RoundingAux(i.rm);
  Value a = c.F(i.rs1, t);
  Value b = c.F(i.rs2, t);
  c.SetF(i.rd, c.b().Op(op, a, b, {}, aux));
  return LiftStatus::kNext;
}

LiftStatus Sqrt(LiftContext& c, const Insn& i, Type t) {
  uint32_t aux = c.RoundingAux(i.rm);
  Value a = c.F(i.rs1, t);
  c.SetF(i.rd, c.b().Op(Opcode::kFSqrt, a, {}, {}, aux));
  return LiftStatus::kNext;
}

// fmadd: a*b+c; fmsub: a*b-c; fnmsub: -(a*b)+c; fnmadd: -(a*b)-c. Negating an operand is exact
// and, with canonical NaN results, indistinguishable from negating the product.
LiftStatus MulAdd(LiftContext& c, const Insn& i, Type t, bool negate_product, bool negate_addend) {
  uint32_t aux = c.RoundingAux(i.rm);
  Value a = c.F(i.rs1, t);
  Value b = c.F(i.rs2, t);
  Value d = c.F(i.rs3, t);
  if (negate_product) a = c.b().Op(Opcode::kFNeg, a);
  if (negate_addend) d = c.b().Op(Opcode::kFNeg, d);
  c.SetF(i.rd, c.b().Op(Opcode::kFMulAdd, a, b, d, aux));
  return LiftStatus::kNext;
}

LiftStatus MinMax(LiftContext& c, const Insn& i, Type t, Opcode op) {
  FpMode mode;
  mode.rm = ir::RoundingMode::kNearestEven;  // unused: min/max do not round
  mode.nan = ir::NanRule::kCanonical;
  mode.rule = static_cast<uint8_t>(ir::MinMaxRule::kIeeeNumber);
  Value a = c.F(i.rs1, t);
  Value b = c.F(i.rs2, t);
  c.SetF(i.rd, c.b().Op(op, a, b, {}, mode.Encode()));
  return LiftStatus::kNext;
}

LiftStatus Compare(LiftContext& c, const Insn& i, Type t, Opcode op, bool signaling) {
  FpMode mode;
  mode.rm = ir::RoundingMode::kNearestEven;  // unused
  mode.signaling = signaling;
  Value a = c.F(i.rs1, t);
  Value b = c.F(i.rs2, t);
  Value r = c.b().Op(op, a, b, {}, mode.Encode());
  c.SetX(i.rd, c.b().ZExt(Type::kI64, r));
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftFaddS(LiftContext& c, const Insn& i) { return Binary(c, i, S, Opcode::kFAdd); }
LiftStatus LiftFsubS(LiftContext& c, const Insn& i) { return Binary(c, i, S, Opcode::kFSub); }
LiftStatus LiftFmulS(LiftContext& c, const Insn& i) { return Binary(c, i, S, Opcode::kFMul); }
LiftStatus LiftFdivS(LiftContext& c, const Insn& i) { return Binary(c, i, S, Opcode::kFDiv); }
LiftStatus LiftFsqrtS(LiftContext& c, const Insn& i) { return Sqrt(c, i, S); }
LiftStatus LiftFmaddS(LiftContext& c, const Insn& i) { return MulAdd(c, i, S, false, false); }
LiftStatus LiftFmsubS(LiftContext& c, const Insn& i) { return MulAdd(c, i, S, false, true); }
LiftStatus LiftFnmsubS(LiftContext& c, const Insn& i) { return MulAdd(c, i, S, true, false); }
LiftStatus LiftFnmaddS(LiftContext& c, const Insn& i) { return MulAdd(c, i, S, true, true); }
LiftStatus LiftFminS(LiftContext& c, const Insn& i) { return MinMax(c, i, S, Opcode::kFMin); }
LiftStatus LiftFmaxS(LiftContext& c, const Insn& i) { return MinMax(c, i, S, Opcode::kFMax); }
LiftStatus LiftFeqS(LiftContext& c, const Insn& i) {
  return Compare(c, i, S, Opcode::kFCmpEq, false);
}
LiftStatus LiftFltS(LiftContext& c, const Insn& i) {
  return Compare(c, i, S, Opcode::kFCmpLt, true);
}
LiftStatus LiftFleS(LiftContext& c, const Insn& i) {
  return Compare(c, i, S, Opcode::kFCmpLe, true);
}

LiftStatus LiftFaddD(LiftContext& c, const Insn& i) { return Binary(c, i, D, Opcode::kFAdd); }
LiftStatus LiftFsubD(LiftContext& c, const Insn& i) { return Binary(c, i, D, Opcode::kFSub); }
LiftStatus LiftFmulD(LiftContext& c, const Insn& i) { return Binary(c, i, D, Opcode::kFMul); }
LiftStatus LiftFdivD(LiftContext& c, const Insn& i) { return Binary(c, i, D, Opcode::kFDiv); }
LiftStatus LiftFsqrtD(LiftContext& c, const Insn& i) { return Sqrt(c, i, D); }
LiftStatus LiftFmaddD(LiftContext& c, const Insn& i) { return MulAdd(c, i, D, false, false); }
LiftStatus LiftFmsubD(LiftContext& c, const Insn& i) { return MulAdd(c, i, D, false, true); }
LiftStatus LiftFnmsubD(LiftContext& c, const Insn& i) { return MulAdd(c, i, D, true, false); }
LiftStatus LiftFnmaddD(LiftContext& c, const Insn& i) { return MulAdd(c, i, D, true, true); }
LiftStatus LiftFminD(LiftContext& c, const Insn& i) { return MinMax(c, i, D, Opcode::kFMin); }
LiftStatus LiftFmaxD(LiftContext& c, const Insn& i) { return MinMax(c, i, D, Opcode::kFMax); }
LiftStatus LiftFeqD(LiftContext& c, const Insn& i) {
  return Compare(c, i, D, Opcode::kFCmpEq, false);
}
LiftStatus LiftFltD(LiftContext& c, const Insn& i) {
  return Compare(c, i, D, Opcode::kFCmpLt, true);
}
LiftStatus LiftFleD(LiftContext& c, const Insn& i) {
  return Compare(c, i, D, Opcode::kFCmpLe, true);
}

}  // namespace polyvm::frontend::riscv64
