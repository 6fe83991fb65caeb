// Shifted and extended register operands and add/sub with flags (Arm ARM: ShiftReg, ExtendReg,
// AddWithCarry).
#include "lift_int_util.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

Value ShiftBy(LiftContext& c, Value v, unsigned type, unsigned amount) {
  if (amount == 0) return v;
  Value n = c.Const(v.type, amount);
  switch (type & 3) {
    case 0: return c.b().Shl(v, n);
    case 1: return c.b().LShr(v, n);
    case 2: return c.b().AShr(v, n);
    default: return c.b().Op(Opcode::kRotr, v, n);
  }
}

Value ExtendReg(LiftContext& c, unsigned r, unsigned option, unsigned shift, Type result) {
  static constexpr Type kFrom[4] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64};
  Type from = kFrom[option & 3];
  Value v = from == Type::kI64 ? c.X(r) : c.W(r);
  Value narrow = c.b().Trunc(from, v);
  Value ext;
  if (from == Type::kI64 || result == from) {
    ext = c.b().Trunc(result, narrow);  // UXTX/SXTX, or UXTW/SXTW of a 32-bit form: no change
  } else if (option & 4) {
    ext = from == result ? narrow : c.b().SExt(result, narrow);
  } else {
    ext = c.b().ZExt(result, narrow);
  }
  return ShiftBy(c, ext, 0, shift);
}

Value AddSub(LiftContext& c, Value a, Value b, bool sub) {
  return sub ? c.b().Sub(a, b) : c.b().Add(a, b);
}

CarryOverflow AddSubCarryOverflow(LiftContext& c, Value a, Value b, Value result, bool sub) {
  ir::Builder& ir = c.b();
  Value carry = sub ? ir.Not(ir.Cmp(Opcode::kCmpLtU, a, b)) : ir.Cmp(Opcode::kCmpLtU, result, a);
  Value same_sign = sub ? ir.Xor(a, b) : ir.Not(ir.Xor(a, b));
  Value sign = ir.And(same_sign, ir.Xor(a, result));
  Value overflow = ir.Cmp(Opcode::kCmpLtS, sign, c.Const(a.type, 0));
  return {carry, overflow};
}

void SetAddSubFlags(LiftContext& c, Value a, Value b, Value result, bool sub) {
  CarryOverflow f = AddSubCarryOverflow(c, a, b, result, sub);
  c.SetFlagsFromResult(result, f.carry, f.overflow);
}

void SetLogicalFlags(LiftContext& c, Value result) {
  Value zero = c.b().Bool(false);
  c.SetFlagsFromResult(result, zero, zero);
}

}  // namespace polyvm::frontend::arm64
