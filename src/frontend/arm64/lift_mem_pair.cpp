// Load/store pair: LDP/STP/LDNP/STNP/LDPSW of W, X, S, D and Q registers, signed offset, pre- and
// post-index. Both loads happen before either register is written, and the base write-back comes
// last, so a fault on the second access leaves every register unchanged.
#include "lift_mem.h"

namespace polyvm::frontend::arm64 {

using ir::Type;
using ir::Value;

LiftStatus LiftLdStPair(LiftContext& c, const Insn& i) {
  unsigned opc = Bits(i.raw, 31, 30), form = Bits(i.raw, 24, 23);
  Access a;
  a.load = Bit(i.raw, 22);
  if (Bit(i.raw, 26)) {
    static constexpr Type kFp[3] = {Type::kI32, Type::kI64, Type::kV128};
    a.fp = true;
    a.mem = kFp[opc];
    a.bytes = 4u << opc;
  } else {
    a.mem = opc == 2 ? Type::kI64 : Type::kI32;
    a.bytes = opc == 2 ? 8 : 4;
    a.sign = opc == 1;  // LDPSW
    a.wide = opc != 0;
  }
  ir::Builder& b = c.b();
  Value base = c.XSp(i.rn);
  Value moved = i.imm == 0 ? base : b.Add(base, c.I64(static_cast<uint64_t>(i.imm)));
  Value addr = form == 1 ? base : moved;  // post-index accesses at the old base
  Value addr2 = b.Add(addr, c.I64(a.bytes));
  bool writeback = form == 1 || form == 3;
  if (a.load) {
    Value first = LoadFor(c, a, addr);
    Value second = LoadFor(c, a, addr2);
    if (writeback) c.SetXSp(i.rn, moved);
    WriteTransfer(c, a, i.rd, first);
    WriteTransfer(c, a, i.ra, second);
  } else {
    Value first = ReadTransfer(c, a, i.rd);
    Value second = ReadTransfer(c, a, i.ra);
    b.Store(addr, first);
    b.Store(addr2, second);
    if (writeback) c.SetXSp(i.rn, moved);
  }
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
