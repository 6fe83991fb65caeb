// Zba (address generation), Zbb (basic bit manipulation) and Zbs (single-bit operations).
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;
constexpr LiftStatus kNext = LiftStatus::kNext;

Value ZextWord(LiftContext& c, unsigned r) { return c.b().ZExt(Type::kI64, c.X32(r)); }

// rd = rs2 + (rs1 << shift), rs1 zero-extended from 32 bits for the .uw forms.
LiftStatus ShiftAdd(LiftContext& c, const Insn& i, unsigned shift, bool uw) {
  Value a = uw ? ZextWord(c, i.rs1) : c.X(i.rs1);
  Value b = c.X(i.rs2);
  Value scaled = shift ? c.b().Shl(a, c.I64(shift)) : a;
  c.SetX(i.rd, c.b().Add(b, scaled));
  return kNext;
}

LiftStatus Binary(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X(i.rs1);
  Value b = c.X(i.rs2);
  c.SetX(i.rd, c.b().Op(op, a, b));
  return kNext;
}

// andn, orn, xnor: a op ~b (xnor's ~(a ^ b) is a ^ ~b).
LiftStatus Inverted(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X(i.rs1);
  Value b = c.X(i.rs2);
  c.SetX(i.rd, c.b().Op(op, a, c.b().Not(b)));
  return kNext;
}

LiftStatus Unary(LiftContext& c, const Insn& i, Opcode op) {
  c.SetX(i.rd, c.b().Op(op, c.X(i.rs1)));
  return kNext;
}

// clzw/ctzw/cpopw count in the low word; the count is at most 32.
LiftStatus UnaryWord(LiftContext& c, const Insn& i, Opcode op) {
  c.SetX(i.rd, c.b().ZExt(Type::kI64, c.b().Op(op, c.X32(i.rs1))));
  return kNext;
}

// max/min by a signed or unsigned a < b.
LiftStatus MinMax(LiftContext& c, const Insn& i, Opcode less, bool want_max) {
  Value a = c.X(i.rs1);
  Value b = c.X(i.rs2);
  Value a_less = c.b().Cmp(less, a, b);
  c.SetX(i.rd, want_max ? c.b().Select(a_less, b, a) : c.b().Select(a_less, a, b));
  return kNext;
}

LiftStatus Extend(LiftContext& c, const Insn& i, Type narrow, bool sign) {
  Value v = c.b().Trunc(narrow, c.X(i.rs1));
  c.SetX(i.rd, sign ? c.b().SExt(Type::kI64, v) : c.b().ZExt(Type::kI64, v));
  return kNext;
}

LiftStatus RotateW(LiftContext& c, const Insn& i, Opcode op, bool immediate) {
  Value a = c.X32(i.rs1);
  Value n = immediate ? c.b().I32(static_cast<uint32_t>(i.imm)) : c.X32(i.rs2);
  c.SetXSext(i.rd, c.b().Op(op, a, n));
  return kNext;
}

// The single-bit ops: 1 << (index mod 64), the index from rs2 or the immediate.
Value BitMask(LiftContext& c, const Insn& i, bool immediate) {
  if (immediate) return c.I64(int64_t{1} << (i.imm & 63));
  Value index = c.X(i.rs2);
  return c.b().Shl(c.I64(1), index);
}

enum class BitOp { kClear, kInvert, kSet };

LiftStatus SingleBit(LiftContext& c, const Insn& i, BitOp op, bool immediate) {
  ir::Builder& b = c.b();
  Value a = c.X(i.rs1);
  Value mask = BitMask(c, i, immediate);
  Value r = op == BitOp::kClear    ? b.And(a, b.Not(mask))
            : op == BitOp::kInvert ? b.Xor(a, mask)
                                   : b.Or(a, mask);
  c.SetX(i.rd, r);
  return kNext;
}

LiftStatus ExtractBit(LiftContext& c, const Insn& i, bool immediate) {
  Value a = c.X(i.rs1);
  Value index = immediate ? c.I64(i.imm) : c.X(i.rs2);
  Value shifted = c.b().LShr(a, index);
  c.SetX(i.rd, c.b().And(shifted, c.I64(1)));
  return kNext;
}

}  // namespace

// ---- Zba ----
LiftStatus LiftAddUw(LiftContext& c, const Insn& i) { return ShiftAdd(c, i, 0, true); }
LiftStatus LiftSh1add(LiftContext& c, const Insn& i) { return ShiftAdd(c, i, 1, false); }
LiftStatus LiftSh2add(LiftContext& c, const Insn& i) { return ShiftAdd(c, i, 2, false); }
LiftStatus LiftSh3add(LiftContext& c, const Insn& i) { return ShiftAdd(c, i, 3, false); }
LiftStatus LiftSh1addUw(LiftContext& c, const Insn& i) { return ShiftAdd(c, i, 1, true); }
LiftStatus LiftSh2addUw(LiftContext& c, const Insn& i) { return ShiftAdd(c, i, 2, true); }
LiftStatus LiftSh3addUw(LiftContext& c, const Insn& i) { return ShiftAdd(c, i, 3, true); }
LiftStatus LiftSlliUw(LiftContext& c, const Insn& i) {
  Value a = ZextWord(c, i.rs1);
  c.SetX(i.rd, c.b().Shl(a, c.I64(i.imm)));
  return kNext;
}

// ---- Zbb ----
LiftStatus LiftAndn(LiftContext& c, const Insn& i) { return Inverted(c, i, Opcode::kAnd); }
LiftStatus LiftOrn(LiftContext& c, const Insn& i) { return Inverted(c, i, Opcode::kOr); }
LiftStatus LiftXnor(LiftContext& c, const Insn& i) { return Inverted(c, i, Opcode::kXor); }
LiftStatus LiftClz(LiftContext& c, const Insn& i) { return Unary(c, i, Opcode::kClz); }
LiftStatus LiftCtz(LiftContext& c, const Insn& i) { return Unary(c, i, Opcode::kCtz); }
LiftStatus LiftCpop(LiftContext& c, const Insn& i) { return Unary(c, i, Opcode::kPopcount); }
LiftStatus LiftClzw(LiftContext& c, const Insn& i) { return UnaryWord(c, i, Opcode::kClz); }
LiftStatus LiftCtzw(LiftContext& c, const Insn& i) { return UnaryWord(c, i, Opcode::kCtz); }
LiftStatus LiftCpopw(LiftContext& c, const Insn& i) { return UnaryWord(c, i, Opcode::kPopcount); }
LiftStatus LiftMax(LiftContext& c, const Insn& i) { return MinMax(c, i, Opcode::kCmpLtS, true); }
LiftStatus LiftMaxu(LiftContext& c, const Insn& i) { return MinMax(c, i, Opcode::kCmpLtU, true); }
LiftStatus LiftMin(LiftContext& c, const Insn& i) { return MinMax(c, i, Opcode::kCmpLtS, false); }
LiftStatus LiftMinu(LiftContext& c, const Insn& i) { return MinMax(c, i, Opcode::kCmpLtU, false); }
LiftStatus LiftSextB(LiftContext& c, const Insn& i) { return Extend(c, i, Type::kI8, true); }
LiftStatus LiftSextH(LiftContext& c, const Insn& i) { return Extend(c, i, Type::kI16, true); }
LiftStatus LiftZextH(LiftContext& c, const Insn& i) { return Extend(c, i, Type::kI16, false); }
LiftStatus LiftRol(LiftContext& c, const Insn& i) { return Binary(c, i, Opcode::kRotl); }
LiftStatus LiftRor(LiftContext& c, const Insn& i) { return Binary(c, i, Opcode::kRotr); }
LiftStatus LiftRolw(LiftContext& c, const Insn& i) { return RotateW(c, i, Opcode::kRotl, false); }
LiftStatus LiftRorw(LiftContext& c, const Insn& i) { return RotateW(c, i, Opcode::kRotr, false); }
LiftStatus LiftRoriw(LiftContext& c, const Insn& i) { return RotateW(c, i, Opcode::kRotr, true); }
LiftStatus LiftRori(LiftContext& c, const Insn& i) {
  Value a = c.X(i.rs1);
  c.SetX(i.rd, c.b().Op(Opcode::kRotr, a, c.I64(i.imm)));
  return kNext;
}
LiftStatus LiftRev8(LiftContext& c, const Insn& i) { return Unary(c, i, Opcode::kBswap); }

// orc.b: each byte becomes 0xff if it is non-zero, else 0x00. Adding 0x7f to a byte's low seven
// bits sets its top bit iff they are non-zero; or-ing in the byte itself covers the top bit.
LiftStatus LiftOrcB(LiftContext& c, const Insn& i) {
  ir::Builder& b = c.b();
  constexpr int64_t kLow7 = 0x7f7f7f7f7f7f7f7f;
  constexpr int64_t kTop = static_cast<int64_t>(0x8080808080808080);
  Value x = c.X(i.rs1);
  Value low = b.And(x, c.I64(kLow7));
  Value carried = b.Add(low, c.I64(kLow7));
  Value any = b.Or(carried, x);
  Value top = b.And(any, c.I64(kTop));  // 0x80 in each non-zero byte
  Value ones = b.LShr(top, c.I64(7));   // 0x01 in each non-zero byte
  c.SetX(i.rd, b.Op(Opcode::kMul, ones, c.I64(0xff)));
  return kNext;
}

// ---- Zbs ----
LiftStatus LiftBclr(LiftContext& c, const Insn& i) { return SingleBit(c, i, BitOp::kClear, false); }
LiftStatus LiftBclri(LiftContext& c, const Insn& i) { return SingleBit(c, i, BitOp::kClear, true); }
LiftStatus LiftBinv(LiftContext& c, const Insn& i) {
  return SingleBit(c, i, BitOp::kInvert, false);
}
LiftStatus LiftBinvi(LiftContext& c, const Insn& i) {
  return SingleBit(c, i, BitOp::kInvert, true);
}
LiftStatus LiftBset(LiftContext& c, const Insn& i) { return SingleBit(c, i, BitOp::kSet, false); }
LiftStatus LiftBseti(LiftContext& c, const Insn& i) { return SingleBit(c, i, BitOp::kSet, true); }
LiftStatus LiftBext(LiftContext& c, const Insn& i) { return ExtractBit(c, i, false); }
LiftStatus LiftBexti(LiftContext& c, const Insn& i) { return ExtractBit(c, i, true); }

}  // namespace polyvm::frontend::riscv64
