// Data processing with immediates: add/sub, logical (bitmask immediates), move wide, pc-relative
// addresses, bitfield moves and extract (Arm ARM C6: ADD/SUB (immediate), AND/ORR/EOR/ANDS
// (immediate), MOVN/MOVZ/MOVK, ADR/ADRP, SBFM/BFM/UBFM, EXTR).
#include "lift_int_util.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

LiftStatus LiftAddSubImm(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i), sub = Bit(i.raw, 30), set_flags = Bit(i.raw, 29);
  uint64_t imm = static_cast<uint64_t>(i.imm) << (i.imm2 ? 12 : 0);
  Value a = c.RSp(i.rn, wide);
  Value m = c.Const(WidthType(wide), imm);
  Value result = AddSub(c, a, m, sub);
  if (set_flags) {
    c.SetR(i.rd, result);
    SetAddSubFlags(c, a, m, result, sub);
  } else {
    c.SetRSp(i.rd, result);
  }
  return LiftStatus::kNext;
}

LiftStatus LiftLogicalImm(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i);
  unsigned opc = Bits(i.raw, 30, 29);
  Value a = c.R(i.rn, wide);
  Value imm = c.Const(WidthType(wide), static_cast<uint64_t>(i.imm));
  Value result = opc == 1 ? c.b().Or(a, imm) : opc == 2 ? c.b().Xor(a, imm) : c.b().And(a, imm);
  if (opc == 3) {
    c.SetR(i.rd, result);
    SetLogicalFlags(c, result);
  } else {
    c.SetRSp(i.rd, result);
  }
  return LiftStatus::kNext;
}

LiftStatus LiftMovWide(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i);
  unsigned opc = Bits(i.raw, 30, 29);
  unsigned shift = static_cast<unsigned>(i.imm2);
  uint64_t mask = wide ? ~uint64_t{0} : 0xffffffff;
  uint64_t imm = static_cast<uint64_t>(i.imm) << shift;
  Type t = WidthType(wide);
  Value result;
  if (opc == 0) {  // MOVN
    result = c.Const(t, ~imm & mask);
  } else if (opc == 2) {  // MOVZ
    result = c.Const(t, imm);
  } else {  // MOVK: keep the other halfwords
    Value old = c.R(i.rd, wide);
    Value kept = c.b().And(old, c.Const(t, ~(uint64_t{0xffff} << shift) & mask));
    result = c.b().Or(kept, c.Const(t, imm));
  }
  c.SetR(i.rd, result);
  return LiftStatus::kNext;
}

LiftStatus LiftAdr(LiftContext& c, const Insn& i) {
  uint64_t base = i.id == InsnId::kADRP ? c.pc() & ~uint64_t{0xfff} : c.pc();
  c.SetX(i.rd, c.I64(base + static_cast<uint64_t>(i.imm)));
  return LiftStatus::kNext;
}

// SBFM/BFM/UBFM by the DecodeBitMasks(immediate = FALSE) pseudocode. The decoder has checked
// N == sf and (for 32 bits) immr, imms < 32, so the element is the whole register.
LiftStatus LiftBitfield(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i);
  unsigned bits = WidthBits(wide);
  unsigned opc = Bits(i.raw, 30, 29);
  unsigned r = static_cast<unsigned>(i.imm), s = static_cast<unsigned>(i.imm2);
  uint64_t all = wide ? ~uint64_t{0} : 0xffffffff;
  auto ones = [](unsigned n) { return n >= 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1; };
  uint64_t welem = ones(s + 1);
  uint64_t wmask = r == 0 ? welem : ((welem >> r) | (welem << (bits - r))) & all;
  uint64_t tmask = ones(((s - r) & (bits - 1)) + 1);
  Type t = WidthType(wide);
  ir::Builder& b = c.b();

  Value src = c.R(i.rn, wide);
  Value rotated = r == 0 ? src : b.Op(Opcode::kRotr, src, c.Const(t, r));
  Value result;
  if (opc == 1) {  // BFM: insert into the destination
    Value dst = c.R(i.rd, wide);
    Value dst_kept = b.And(dst, c.Const(t, ~wmask & all));
    Value bot = b.Or(dst_kept, b.And(rotated, c.Const(t, wmask)));
    Value outside = b.And(dst, c.Const(t, ~tmask & all));
    result = b.Or(outside, b.And(bot, c.Const(t, tmask)));
  } else {
    Value bot = b.And(rotated, c.Const(t, wmask & tmask));
    if (opc == 2) {  // UBFM
      result = bot;
    } else {  // SBFM: bits above the field are copies of src<s>
      Value up = b.Shl(src, c.Const(t, bits - 1 - s));
      Value top = b.AShr(up, c.Const(t, bits - 1));
      Value top_kept = b.And(top, c.Const(t, ~tmask & all));
      result = b.Or(top_kept, bot);
    }
  }
  c.SetR(i.rd, result);
  return LiftStatus::kNext;
}

LiftStatus LiftExtr(LiftContext& c, const Insn& i) {
  bool wide = SfOf(i);
  unsigned lsb = static_cast<unsigned>(i.imm2);
  Type t = WidthType(wide);
  Value hi = c.R(i.rn, wide);
  Value lo = c.R(i.rm, wide);
  Value result = lo;
  if (lsb != 0) {
    Value low_part = c.b().LShr(lo, c.Const(t, lsb));
    Value high_part = c.b().Shl(hi, c.Const(t, WidthBits(wide) - lsb));
    result = c.b().Or(low_part, high_part);
  }
  c.SetR(i.rd, result);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
