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
  // C: no borrow (a >= b unsigned) for a subtraction, the carry out (result < a) for an addition.
  Value carry = sub ? ir.Cmp(Opcode::kCmpLeU, b, a) : ir.Cmp(Opcode::kCmpLtU, result, a);
  Value overflow = ir.Op(sub ? Opcode::kSubOverflow : Opcode::kAddOverflow, a, b);
  return {carry, overflow};
}

void SetAddSubFlags(LiftContext& c, Value a, Value b, Value result, bool sub) {
  CarryOverflow f = AddSubCarryOverflow(c, a, b, result, sub);
  c.SetFlagsFromResult(result, f.carry, f.overflow);
  c.NoteFlagSource(sub ? LiftContext::FlagSource::kSub : LiftContext::FlagSource::kAdd, a, b,
                   result);
}

void SetLogicalFlags(LiftContext& c, Value result) {
  Value zero = c.b().Bool(false);
  c.SetFlagsFromResult(result, zero, zero);
  c.NoteFlagSource(LiftContext::FlagSource::kLogical, result, result, result);
}

}  // namespace polyvm::frontend::arm64
