// Exclusives, acquire/release accesses, compare-and-swap and the LSE atomic memory operations,
// mapped as docs/ir.md ("Exclusives and LSE") describes. All of them require natural alignment
// (a misaligned address is an alignment fault: kMisaligned, SIGBUS).
#include "lift_mem.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::MemFlags;
using ir::MemOrder;
using ir::Opcode;
using ir::RmwOp;
using ir::Type;
using ir::Value;

constexpr Type kSizeTypes[4] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64};

MemFlags Flags(bool acquire, bool release) {
  MemFlags f;
  f.aligned = true;
  f.order = acquire && release ? MemOrder::kAcqRel
            : acquire          ? MemOrder::kAcquire
            : release          ? MemOrder::kRelease
                               : MemOrder::kPlain;
  return f;
}

// Rt or Rs as the access size (bits 31:30): the low bits of W or X.
Value SizedReg(LiftContext& c, unsigned r, unsigned size) {
  return c.b().Trunc(kSizeTypes[size], size == 3 ? c.X(r) : c.W(r));
}
// A loaded value of the access size into W (zero-extended) or X.
void SetSized(LiftContext& c, unsigned r, Value v, unsigned size) {
  c.SetR(r, c.b().ZExt(size == 3 ? Type::kI64 : Type::kI32, v));
}

}  // namespace

LiftStatus LiftLoadExclusive(LiftContext& c, const Insn& i) {
  unsigned size = Bits(i.raw, 31, 30);
  Value addr = c.XSp(i.rn);
  Value v = c.b().Emit(Opcode::kLoadLinked, kSizeTypes[size], addr, {}, {}, 0,
                       Flags(Bit(i.raw, 15), false).Encode());
  SetSized(c, i.rd, v, size);
  return LiftStatus::kNext;
}

LiftStatus LiftStoreExclusive(LiftContext& c, const Insn& i) {
  unsigned size = Bits(i.raw, 31, 30);
  Value addr = c.XSp(i.rn);
  Value v = SizedReg(c, i.rd, size);
  Value ok = c.b().Emit(Opcode::kStoreCond, Type::kI1, addr, v, {}, 0,
                        Flags(false, Bit(i.raw, 15)).Encode());
  Value failed = c.b().Not(ok);
  c.SetX(i.rm, c.b().ZExt(Type::kI64, failed));  // status: 0 on success
  return LiftStatus::kNext;
}

// LDXP/LDAXP: one exclusive access of both registers (i64 for two W, i128 for two X).
LiftStatus LiftLoadExclusivePair(LiftContext& c, const Insn& i) {
  bool wide = Bit(i.raw, 30);
  Type half = wide ? Type::kI64 : Type::kI32;
  Type whole = wide ? Type::kI128 : Type::kI64;
  ir::Builder& b = c.b();
  Value addr = c.XSp(i.rn);
  Value v =
      b.Emit(Opcode::kLoadLinked, whole, addr, {}, {}, 0, Flags(Bit(i.raw, 15), false).Encode());
  Value lo = b.Trunc(half, v);
  Value hi = b.Emit(Opcode::kExtract, half, v, {}, {}, wide ? 64 : 32);
  c.SetR(i.rd, lo);
  c.SetR(i.ra, hi);
  return LiftStatus::kNext;
}

LiftStatus LiftStoreExclusivePair(LiftContext& c, const Insn& i) {
  bool wide = Bit(i.raw, 30);
  ir::Builder& b = c.b();
  Value addr = c.XSp(i.rn);
  Value lo = c.R(i.rd, wide);
  Value hi = c.R(i.ra, wide);
  Value v = b.Emit(Opcode::kConcat, wide ? Type::kI128 : Type::kI64, lo, hi);
  Value ok =
      b.Emit(Opcode::kStoreCond, Type::kI1, addr, v, {}, 0, Flags(false, Bit(i.raw, 15)).Encode());
  Value failed = b.Not(ok);
  c.SetX(i.rm, b.ZExt(Type::kI64, failed));
  return LiftStatus::kNext;
}

// LDAR (and LDAPR, whose weaker RCpc order acquire also satisfies) / STLR.
LiftStatus LiftLoadAcquire(LiftContext& c, const Insn& i) {
  unsigned size = Bits(i.raw, 31, 30);
  Value v = c.b().Load(kSizeTypes[size], c.XSp(i.rn), Flags(true, false));
  SetSized(c, i.rd, v, size);
  return LiftStatus::kNext;
}

LiftStatus LiftStoreRelease(LiftContext& c, const Insn& i) {
  unsigned size = Bits(i.raw, 31, 30);
  Value addr = c.XSp(i.rn);
  c.b().Store(addr, SizedReg(c, i.rd, size), Flags(false, true));
  return LiftStatus::kNext;
}

// CAS: compare Rs with memory, store Rt if equal; Rs gets the old value. A = bit 22, L = bit 15.
LiftStatus LiftCas(LiftContext& c, const Insn& i) {
  unsigned size = Bits(i.raw, 31, 30);
  Value addr = c.XSp(i.rn);
  Value expected = SizedReg(c, i.rm, size);
  Value desired = SizedReg(c, i.rd, size);
  Value old = c.b().Emit(Opcode::kAtomicCas, kSizeTypes[size], addr, expected, desired, 0,
                         Flags(Bit(i.raw, 22), Bit(i.raw, 15)).Encode());
  SetSized(c, i.rm, old, size);
  return LiftStatus::kNext;
}

// CASP: the same on the even/odd register pairs <Rs, Rs+1> and <Rt, Rt+1> as one access.
LiftStatus LiftCasp(LiftContext& c, const Insn& i) {
  bool wide = Bit(i.raw, 30);
  Type half = wide ? Type::kI64 : Type::kI32;
  ir::Builder& b = c.b();
  Value addr = c.XSp(i.rn);
  Value s_lo = c.R(i.rm, wide);
  Value s_hi = c.R(i.rm + 1, wide);
  Value t_lo = c.R(i.rd, wide);
  Value t_hi = c.R(i.rd + 1, wide);
  Type whole = wide ? Type::kI128 : Type::kI64;
  Value expected = b.Emit(Opcode::kConcat, whole, s_lo, s_hi);
  Value desired = b.Emit(Opcode::kConcat, whole, t_lo, t_hi);
  Value old = b.Emit(Opcode::kAtomicCas, expected.type, addr, expected, desired, 0,
                     Flags(Bit(i.raw, 22), Bit(i.raw, 15)).Encode());
  c.SetR(i.rm, b.Trunc(half, old));
  c.SetR(i.rm + 1, b.Emit(Opcode::kExtract, half, old, {}, {}, wide ? 64 : 32));
  return LiftStatus::kNext;
}

// LDADD LDCLR LDEOR LDSET LDSMAX LDSMIN LDUMAX LDUMIN (o3 = 0, opc 0..7) and SWP (o3 = 1):
// Rt gets the old value. A = bit 23, R = bit 22.
LiftStatus LiftAtomicOp(LiftContext& c, const Insn& i) {
  static constexpr RmwOp kOps[8] = {RmwOp::kAdd,  RmwOp::kAnd,  RmwOp::kXor,  RmwOp::kOr,
                                    RmwOp::kMaxS, RmwOp::kMinS, RmwOp::kMaxU, RmwOp::kMinU};
  unsigned size = Bits(i.raw, 31, 30), opc = Bits(i.raw, 14, 12);
  bool swap = Bit(i.raw, 15);
  MemFlags f = Flags(Bit(i.raw, 23), Bit(i.raw, 22));
  f.rmw = swap ? RmwOp::kSwap : kOps[opc];
  ir::Builder& b = c.b();
  Value addr = c.XSp(i.rn);
  Value operand = SizedReg(c, i.rm, size);
  if (!swap && opc == 1) operand = b.Not(operand);  // LDCLR: mem AND NOT Rs
  Value old = b.Emit(Opcode::kAtomicRmw, kSizeTypes[size], addr, operand, {}, 0, f.Encode());
  SetSized(c, i.rd, old, size);
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
