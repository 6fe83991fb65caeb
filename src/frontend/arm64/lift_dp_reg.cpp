// Data processing with register operands: logical and add/sub (shifted and extended), add/sub
// with carry, conditional compare and select, and the one-source bit operations (Arm ARM C6).
#include "lift_int_util.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

LiftStatus LiftLogicalReg(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i);
  unsigned opc = Bits(i.raw, 30, 29);
  ir::Builder& b = c.b();
  Value a = c.R(i.rn, wide);
  Value m = ShiftBy(c, c.R(i.rm, wide), Bits(i.raw, 23, 22), static_cast<unsigned>(i.imm2));
  if (Bit(i.raw, 21)) m = b.Not(m);  // BIC, ORN, EON, BICS
  Value result = opc == 1 ? b.Or(a, m) : opc == 2 ? b.Xor(a, m) : b.And(a, m);
  c.SetR(i.rd, result);
  if (opc == 3) SetLogicalFlags(c, result);
  return LiftStatus::kNext;
}

LiftStatus LiftAddSubShifted(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), sub = Bit(i.raw, 30), set_flags = Bit(i.raw, 29);
  Value a = c.R(i.rn, wide);
  Value m = ShiftBy(c, c.R(i.rm, wide), Bits(i.raw, 23, 22), static_cast<unsigned>(i.imm2));
  Value result = AddSub(c, a, m, sub);
  c.SetR(i.rd, result);
  if (set_flags) SetAddSubFlags(c, a, m, result, sub);
  return LiftStatus::kNext;
}

LiftStatus LiftAddSubExtended(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), sub = Bit(i.raw, 30), set_flags = Bit(i.raw, 29);
  Value a = c.RSp(i.rn, wide);
  Value m = ExtendReg(c, i.rm, Bits(i.raw, 15, 13), static_cast<unsigned>(i.imm2), WidthType(wide));
  Value result = AddSub(c, a, m, sub);
  if (set_flags) {
    c.SetR(i.rd, result);
    SetAddSubFlags(c, a, m, result, sub);
  } else {
    c.SetRSp(i.rd, result);
  }
  return LiftStatus::kNext;
}

// ADC a + b + C; SBC a - b - NOT C (docs/ir.md, "ADC/SBC").
LiftStatus LiftAddSubCarry(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), sub = Bit(i.raw, 30), set_flags = Bit(i.raw, 29);
  ir::Builder& b = c.b();
  Value a = c.R(i.rn, wide);
  Value m = c.R(i.rm, wide);
  Value carry = c.FlagC();
  Value result;
  if (!sub) {
    result = b.Op(Opcode::kAdc, a, m, carry);
    c.SetR(i.rd, result);
    if (set_flags) {
      Value cout = b.Op(Opcode::kAdcCarry, a, m, carry);
      Value ovf = b.Op(Opcode::kAdcOverflow, a, m, carry);
      c.SetFlagsFromResult(result, cout, ovf);
    }
  } else {
    Value borrow_in = b.Not(carry);
    result = b.Op(Opcode::kSbb, a, m, borrow_in);
    c.SetR(i.rd, result);
    if (set_flags) {
      Value cout = b.Not(b.Op(Opcode::kSbbBorrow, a, m, borrow_in));
      Value ovf = b.Op(Opcode::kSbbOverflow, a, m, borrow_in);
      c.SetFlagsFromResult(result, cout, ovf);
    }
  }
  return LiftStatus::kNext;
}

// CCMP/CCMN: the flags of Rn - op (Rn + op) if the condition holds, else the nzcv immediate.
LiftStatus LiftCondCompare(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), sub = Bit(i.raw, 30), imm_form = Bit(i.raw, 11);
  ir::Builder& b = c.b();
  Value holds = c.Cond(i.cond);
  Value a = c.R(i.rn, wide);
  Value m = imm_form ? c.Const(WidthType(wide), static_cast<uint64_t>(i.imm)) : c.R(i.rm, wide);
  Value result = sub ? b.Sub(a, m) : b.Add(a, m);
  Value zero = c.Const(WidthType(wide), 0);
  Value n = b.Cmp(Opcode::kCmpLtS, result, zero);
  Value z = b.Cmp(Opcode::kCmpEq, result, zero);
  CarryOverflow flags = AddSubCarryOverflow(c, a, m, result, sub);
  Value cf = flags.carry, v = flags.overflow;
  unsigned nzcv = static_cast<unsigned>(i.imm2);
  auto pick = [&](Value computed, unsigned bit) {
    return b.Select(holds, computed, b.Bool((nzcv >> bit) & 1));
  };
  Value fn = pick(n, 3);
  Value fz = pick(z, 2);
  Value fc = pick(cf, 1);
  Value fv = pick(v, 0);
  c.SetNzcv(fn, fz, fc, fv);
  return LiftStatus::kNext;
}

LiftStatus LiftCondSelect(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), invert = Bit(i.raw, 30), increment = Bit(i.raw, 10);
  ir::Builder& b = c.b();
  Value holds = c.Cond(i.cond);
  Value n = c.R(i.rn, wide);
  Value m = c.R(i.rm, wide);
  if (invert && increment) {
    m = b.Op(Opcode::kNeg, m);  // CSNEG
  } else if (invert) {
    m = b.Not(m);  // CSINV
  } else if (increment) {
    m = b.Add(m, c.Const(m.type, 1));  // CSINC
  }
  c.SetR(i.rd, b.Select(holds, n, m));
  return LiftStatus::kNext;
}

// RBIT, REV16, REV32, REV, CLZ, CLS (the data-processing (1 source) group, opcode bits 15:10).
LiftStatus LiftBitOps(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i);
  Type t = WidthType(wide);
  ir::Builder& b = c.b();
  Value x = c.R(i.rn, wide);
  Value result;
  switch (Bits(i.raw, 15, 10)) {
    case 0: result = b.Op(Opcode::kBitReverse, x); break;
    case 1: {  // REV16: bytes swapped within each halfword
      uint64_t lo = wide ? 0x00ff00ff00ff00ff : 0x00ff00ff;
      Value right = b.LShr(x, c.Const(t, 8));
      Value down = b.And(right, c.Const(t, lo));
      Value left = b.Shl(x, c.Const(t, 8));
      Value up = b.And(left, c.Const(t, lo << 8));
      result = b.Or(down, up);
      break;
    }
    case 2:
      if (wide) {  // REV32: bytes reversed within each word
        Value swapped = b.Op(Opcode::kBswap, x);
        result = b.Op(Opcode::kRotr, swapped, c.Const(t, 32));
      } else {  // REV (32-bit)
        result = b.Op(Opcode::kBswap, x);
      }
      break;
    case 3: result = b.Op(Opcode::kBswap, x); break;
    case 4: result = b.Op(Opcode::kClz, x); break;
    default: {  // CLS: leading bits equal to the sign bit, not counting it
      Value diff = b.Xor(x, b.AShr(x, c.Const(t, 1)));
      Value count = b.Op(Opcode::kClz, diff);
      result = b.Sub(count, c.Const(t, 1));
      break;
    }
  }
  c.SetR(i.rd, result);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
