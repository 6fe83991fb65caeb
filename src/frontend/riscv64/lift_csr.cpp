// Zicsr. Which CSRs exist and how they are read and written is the CSR table (csrs.def); this is
// the manual's read/write rules: csrrw with rd = x0 does not read, csrrs/csrrc with rs1 = x0 (and
// the immediate forms with uimm = 0) do not write, and a write to a read-only or unknown CSR is an
// illegal instruction.
#include "csr.h"
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Value;

enum class CsrOp { kWrite, kSet, kClear };

LiftStatus Access(LiftContext& c, const Insn& i, CsrOp op, bool immediate) {
  const CsrDef* csr = FindCsr(i.csr);
  if (!csr || !csr->read) return c.Illegal();
  bool source_zero = immediate ? i.imm == 0 : i.rs1 == 0;
  bool writes = op == CsrOp::kWrite || !source_zero;
  bool reads = op != CsrOp::kWrite || i.rd != 0;
  if (writes && !csr->write) return c.Illegal();

  // The source is read before rd is written (rd may be rs1).
  Value src = !writes ? Value{} : immediate ? c.I64(i.imm) : c.X(i.rs1);
  Value old = reads ? csr->read(c) : Value{};
  if (writes) {
    ir::Builder& b = c.b();
    Value v = op == CsrOp::kWrite ? src
              : op == CsrOp::kSet ? b.Or(old, src)
                                  : b.And(old, b.Not(src));
    csr->write(c, v);
  }
  if (reads) c.SetX(i.rd, old);
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftCsrrw(LiftContext& c, const Insn& i) { return Access(c, i, CsrOp::kWrite, false); }
LiftStatus LiftCsrrs(LiftContext& c, const Insn& i) { return Access(c, i, CsrOp::kSet, false); }
LiftStatus LiftCsrrc(LiftContext& c, const Insn& i) { return Access(c, i, CsrOp::kClear, false); }
LiftStatus LiftCsrrwi(LiftContext& c, const Insn& i) { return Access(c, i, CsrOp::kWrite, true); }
LiftStatus LiftCsrrsi(LiftContext& c, const Insn& i) { return Access(c, i, CsrOp::kSet, true); }
LiftStatus LiftCsrrci(LiftContext& c, const Insn& i) { return Access(c, i, CsrOp::kClear, true); }

}  // namespace polyvm::frontend::riscv64
