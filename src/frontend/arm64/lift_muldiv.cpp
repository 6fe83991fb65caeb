// Multiply, divide and variable shifts: MADD/MSUB, SMADDL/UMADDL/SMSUBL/UMSUBL, SMULH/UMULH,
// UDIV/SDIV (division by zero gives 0, docs/ir.md), LSLV/LSRV/ASRV/RORV (count mod the width).
#include "lift_int_util.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

LiftStatus LiftMulAdd(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), sub = Bit(i.raw, 15);
  Value n = c.R(i.rn, wide);
  Value m = c.R(i.rm, wide);
  Value a = c.R(i.ra, wide);
  Value product = c.b().Op(Opcode::kMul, n, m);
  c.SetR(i.rd, sub ? c.b().Sub(a, product) : c.b().Add(a, product));
  return LiftStatus::kNext;
}

LiftStatus LiftMulAddLong(LiftContext& c, const Insn& i) {
  bool is_unsigned = Bit(i.raw, 23), sub = Bit(i.raw, 15);
  ir::Builder& b = c.b();
  Value n = c.W(i.rn);
  Value m = c.W(i.rm);
  Value a = c.X(i.ra);
  Value n64 = is_unsigned ? b.ZExt(Type::kI64, n) : b.SExt(Type::kI64, n);
  Value m64 = is_unsigned ? b.ZExt(Type::kI64, m) : b.SExt(Type::kI64, m);
  Value product = b.Op(Opcode::kMul, n64, m64);
  c.SetX(i.rd, sub ? b.Sub(a, product) : b.Add(a, product));
  return LiftStatus::kNext;
}

LiftStatus LiftMulHigh(LiftContext& c, const Insn& i) {
  Value n = c.X(i.rn);
  Value m = c.X(i.rm);
  c.SetX(i.rd, c.b().Op(Bit(i.raw, 23) ? Opcode::kMulHiU : Opcode::kMulHiS, n, m));
  return LiftStatus::kNext;
}

LiftStatus LiftDiv(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), is_signed = Bit(i.raw, 10);
  ir::Builder& b = c.b();
  Value n = c.R(i.rn, wide);
  Value m = c.R(i.rm, wide);
  Value q = b.Op(is_signed ? Opcode::kDivS : Opcode::kDivU, n, m);
  Value zero = c.Const(m.type, 0);
  c.SetR(i.rd, b.Select(b.Cmp(Opcode::kCmpEq, m, zero), zero, q));
  return LiftStatus::kNext;
}

LiftStatus LiftShiftVar(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i);
  static constexpr Opcode kOps[4] = {Opcode::kShl, Opcode::kLShr, Opcode::kAShr, Opcode::kRotr};
  Value n = c.R(i.rn, wide);
  Value m = c.R(i.rm, wide);
  c.SetR(i.rd, c.b().Op(kOps[Bits(i.raw, 11, 10)], n, m));  // IR shifts take the count mod width
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
