// Loads and stores of one register: unsigned scaled offset, unscaled / pre- / post-index
// (imm9), register offset (extended and shifted index), literal, and PRFM (a no-op). The
// register write-back of the indexed forms follows the access, so a faulting access leaves the
// base unchanged (docs/ir.md, "Precise faults").
#include "lift_mem.h"

namespace polyvm::frontend::arm64 {

using ir::Type;
using ir::Value;

namespace {
constexpr Type kIntTypes[4] = {Type::kI8, Type::kI16, Type::kI32, Type::kI64};
}

Access SingleAccess(uint32_t raw) {
  unsigned size = Bits(raw, 31, 30), opc = Bits(raw, 23, 22);
  Access a;
  if (Bit(raw, 26)) {
    a.fp = true;
    a.load = opc & 1;
    if (opc & 2) {  // the 128-bit forms (size = 00)
      a.mem = Type::kV128;
      a.bytes = 16;
    } else {
      a.mem = kIntTypes[size];
      a.bytes = 1u << size;
    }
    return a;
  }
  a.mem = kIntTypes[size];
  a.bytes = 1u << size;
  a.load = opc != 0;
  a.sign = opc >= 2;
  // opc 10 extends to 64 bits, opc 11 to 32; zero-extending loads use W unless 64-bit.
  a.wide = opc == 2 || size == 3;
  return a;
}

Value LoadFor(LiftContext& c, const Access& a, Value addr) { return c.b().Load(a.mem, addr); }

void WriteTransfer(LiftContext& c, const Access& a, unsigned rt, Value loaded) {
  if (a.fp) return c.SetVScalar(rt, loaded);
  Type t = WidthType(a.wide);
  c.SetR(rt, a.sign ? c.b().SExt(t, loaded) : c.b().ZExt(t, loaded));
}

Value ReadTransfer(LiftContext& c, const Access& a, unsigned rt) {
  if (a.fp) return c.V(rt, a.mem);
  return c.b().Trunc(a.mem, a.bytes == 8 ? c.X(rt) : c.W(rt));
}

namespace {

LiftStatus Transfer(LiftContext& c, const Insn& i, Value addr) {
  Access a = SingleAccess(i.raw);
  if (a.load) {
    WriteTransfer(c, a, i.rd, LoadFor(c, a, addr));
  } else {
    c.b().Store(addr, ReadTransfer(c, a, i.rd));
  }
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftLdStUImm(LiftContext& c, const Insn& i) {
  Value base = c.XSp(i.rn);
  Value addr = i.imm == 0 ? base : c.b().Add(base, c.I64(static_cast<uint64_t>(i.imm)));
  return Transfer(c, i, addr);
}

// Bits 11:10: 00 unscaled (ldur), 01 post-index, 10 unprivileged (ldtr: at EL0 an ordinary
// access), 11 pre-index. Only the indexed forms write the base back.
LiftStatus LiftLdStImm9(LiftContext& c, const Insn& i) {
  unsigned mode = Bits(i.raw, 11, 10);
  bool writeback = mode == 1 || mode == 3;
  Value base = c.XSp(i.rn);
  Value moved = i.imm == 0 ? base : c.b().Add(base, c.I64(static_cast<uint64_t>(i.imm)));
  Value addr = mode == 1 ? base : moved;
  // A store of the base register itself stores its value before the write-back.
  Access a = SingleAccess(i.raw);
  if (a.load) {
    Value loaded = LoadFor(c, a, addr);
    if (writeback) c.SetXSp(i.rn, moved);
    WriteTransfer(c, a, i.rd, loaded);
  } else {
    Value v = ReadTransfer(c, a, i.rd);
    c.b().Store(addr, v);
    if (writeback) c.SetXSp(i.rn, moved);
  }
  return LiftStatus::kNext;
}

LiftStatus LiftLdStReg(LiftContext& c, const Insn& i) {
  Value base = c.XSp(i.rn);
  Value index = ExtendReg(c, i.rm, Bits(i.raw, 15, 13), static_cast<unsigned>(i.imm2), Type::kI64);
  return Transfer(c, i, c.b().Add(base, index));
}

// opc(31:30) V: 00 LDR W / S, 01 LDR X / D, 10 LDRSW / Q.
LiftStatus LiftLdLiteral(LiftContext& c, const Insn& i) {
  unsigned opc = Bits(i.raw, 31, 30);
  Access a;
  a.load = true;
  if (Bit(i.raw, 26)) {
    a.fp = true;
    static constexpr Type kFp[3] = {Type::kI32, Type::kI64, Type::kV128};
    a.mem = kFp[opc];
  } else {
    a.mem = opc == 1 ? Type::kI64 : Type::kI32;
    a.sign = opc == 2;
    a.wide = opc != 0;
  }
  Value addr = c.I64(c.pc() + static_cast<uint64_t>(i.imm));
  WriteTransfer(c, a, i.rd, LoadFor(c, a, addr));
  return LiftStatus::kNext;
}

// PRFM / PRFUM: hints with no architectural effect (and no fault on a bad address).
LiftStatus LiftPrefetch(LiftContext&, const Insn&) { return LiftStatus::kNext; }

}  // namespace polyvm::frontend::arm64
