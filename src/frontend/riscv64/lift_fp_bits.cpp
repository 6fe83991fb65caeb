// F and D instructions that work on the bits rather than the value: sign injection and fclass
// (integer ops, no flags, no canonicalisation), and the raw transfers flw/fsw/fld/fsd and
// fmv.x.w/fmv.w.x/fmv.x.d/fmv.d.x, which move the low bits unchecked and NaN-box what they
// write (unprivileged spec, "NaN Boxing of Narrower Values").
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

enum class Sgnj { kCopy, kNegate, kXor };

// Operand bits: the f32 forms see an improperly boxed input as the canonical NaN.
Value Bits(LiftContext& c, unsigned r, bool dbl) { return dbl ? c.FRaw(r) : c.FBits32(r); }

LiftStatus SignInject(LiftContext& c, const Insn& i, bool dbl, Sgnj kind) {
  ir::Builder& b = c.b();
  Type t = dbl ? Type::kI64 : Type::kI32;
  uint64_t sign = uint64_t{1} << (dbl ? 63 : 31);
  Value x = Bits(c, i.rs1, dbl);
  Value y = Bits(c, i.rs2, dbl);
  Value sign_mask = b.Const(t, sign);
  Value r;
  if (kind == Sgnj::kXor) {
    r = b.Xor(x, b.And(y, sign_mask));
  } else {
    Value magnitude = b.And(x, b.Const(t, ~sign & ir::WidthMask(t)));
    Value src = kind == Sgnj::kNegate ? b.Not(y) : y;
    r = b.Or(magnitude, b.And(src, sign_mask));
  }
  dbl ? c.SetFRaw(i.rd, r) : c.SetFBits32(i.rd, r);
  return LiftStatus::kNext;
}

// The 10-bit class mask of the manual's fclass table, from the sign, exponent and mantissa.
LiftStatus Classify(LiftContext& c, const Insn& i, bool dbl) {
  ir::Builder& b = c.b();
  Type t = dbl ? Type::kI64 : Type::kI32;
  unsigned mant_bits = dbl ? 52 : 23;
  uint64_t mant_mask = (uint64_t{1} << mant_bits) - 1;
  uint64_t exp_mask = (dbl ? uint64_t{0x7ff} : uint64_t{0xff}) << mant_bits;
  uint64_t quiet_bit = uint64_t{1} << (mant_bits - 1);

  Value x = Bits(c, i.rs1, dbl);
  Value zero = b.Const(t, 0);
  Value neg = b.Cmp(Opcode::kCmpLtS, x, zero);
  Value exp = b.And(x, b.Const(t, exp_mask));
  Value mant = b.And(x, b.Const(t, mant_mask));
  Value exp_max = b.Cmp(Opcode::kCmpEq, exp, b.Const(t, exp_mask));
  Value exp_zero = b.Cmp(Opcode::kCmpEq, exp, zero);
  Value mant_zero = b.Cmp(Opcode::kCmpEq, mant, zero);
  Value quiet = b.Cmp(Opcode::kCmpNe, b.And(x, b.Const(t, quiet_bit)), zero);

  auto bit = [&](unsigned n) { return c.I64(int64_t{1} << n); };
  auto by_sign = [&](unsigned neg_bit, unsigned pos_bit) {
    Value when_neg = bit(neg_bit);
    Value when_pos = bit(pos_bit);
    return b.Select(neg, when_neg, when_pos);
  };
  Value inf = by_sign(0, 7);
  Value quiet_nan = bit(9);
  Value signaling_nan = bit(8);
  Value nan = b.Select(quiet, quiet_nan, signaling_nan);
  Value inf_or_nan = b.Select(mant_zero, inf, nan);
  Value is_zero = by_sign(3, 4);
  Value subnormal = by_sign(2, 5);
  Value zero_or_sub = b.Select(mant_zero, is_zero, subnormal);
  Value normal = by_sign(1, 6);
  Value small_or_normal = b.Select(exp_zero, zero_or_sub, normal);
  c.SetX(i.rd, b.Select(exp_max, inf_or_nan, small_or_normal));
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftFsgnjS(LiftContext& c, const Insn& i) {
  return SignInject(c, i, false, Sgnj::kCopy);
}
LiftStatus LiftFsgnjnS(LiftContext& c, const Insn& i) {
  return SignInject(c, i, false, Sgnj::kNegate);
}
LiftStatus LiftFsgnjxS(LiftContext& c, const Insn& i) {
  return SignInject(c, i, false, Sgnj::kXor);
}
LiftStatus LiftFsgnjD(LiftContext& c, const Insn& i) { return SignInject(c, i, true, Sgnj::kCopy); }
LiftStatus LiftFsgnjnD(LiftContext& c, const Insn& i) {
  return SignInject(c, i, true, Sgnj::kNegate);
}
LiftStatus LiftFsgnjxD(LiftContext& c, const Insn& i) { return SignInject(c, i, true, Sgnj::kXor); }
LiftStatus LiftFclassS(LiftContext& c, const Insn& i) { return Classify(c, i, false); }
LiftStatus LiftFclassD(LiftContext& c, const Insn& i) { return Classify(c, i, true); }

LiftStatus LiftFlw(LiftContext& c, const Insn& i) {
  c.SetFBits32(i.rd, c.b().Load(Type::kI32, c.Addr(i.rs1, i.imm)));
  return LiftStatus::kNext;
}

LiftStatus LiftFld(LiftContext& c, const Insn& i) {
  c.SetFRaw(i.rd, c.b().Load(Type::kI64, c.Addr(i.rs1, i.imm)));
  return LiftStatus::kNext;
}

LiftStatus LiftFsw(LiftContext& c, const Insn& i) {
  Value addr = c.Addr(i.rs1, i.imm);
  Value v = c.b().Trunc(Type::kI32, c.FRaw(i.rs2));
  c.b().Store(addr, v);
  return LiftStatus::kNext;
}

LiftStatus LiftFsd(LiftContext& c, const Insn& i) {
  Value addr = c.Addr(i.rs1, i.imm);
  c.b().Store(addr, c.FRaw(i.rs2));
  return LiftStatus::kNext;
}

LiftStatus LiftFmvXW(LiftContext& c, const Insn& i) {
  c.SetXSext(i.rd, c.b().Trunc(Type::kI32, c.FRaw(i.rs1)));
  return LiftStatus::kNext;
}

LiftStatus LiftFmvWX(LiftContext& c, const Insn& i) {
  c.SetFBits32(i.rd, c.X32(i.rs1));
  return LiftStatus::kNext;
}

LiftStatus LiftFmvXD(LiftContext& c, const Insn& i) {
  c.SetX(i.rd, c.FRaw(i.rs1));
  return LiftStatus::kNext;
}

LiftStatus LiftFmvDX(LiftContext& c, const Insn& i) {
  c.SetFRaw(i.rd, c.X(i.rs1));
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::riscv64
