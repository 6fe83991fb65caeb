// Control transfers: jal, jalr and the conditional branches (and the compressed forms that expand
// to them). Each ends the block; calls and returns carry the return-address-stack hints of the
// manual's jalr table (rd or rs1 = ra or t0).
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::BranchHint;
using ir::Opcode;
using ir::Value;

constexpr bool IsLink(unsigned r) { return r == 1 || r == 5; }

LiftStatus CondBranch(LiftContext& c, const Insn& i, Opcode cmp, bool swap) {
  Value a = c.X(i.rs1);
  Value b = c.X(i.rs2);
  Value cond = swap ? c.b().Cmp(cmp, b, a) : c.b().Cmp(cmp, a, b);
  return c.Branch(cond, c.pc() + static_cast<uint64_t>(i.imm));
}

void WriteLink(LiftContext& c, unsigned rd) {
  if (rd != 0) c.SetX(rd, c.I64(static_cast<int64_t>(c.next_pc())));
}

}  // namespace

LiftStatus LiftJal(LiftContext& c, const Insn& i) {
  WriteLink(c, i.rd);
  return c.Jump(c.pc() + static_cast<uint64_t>(i.imm),
                IsLink(i.rd) ? BranchHint::kCall : BranchHint::kNone);
}

LiftStatus LiftJalr(LiftContext& c, const Insn& i) {
  // The target is computed before rd is written: rd may be rs1.
  Value sum = c.Addr(i.rs1, i.imm);
  Value target = c.b().And(sum, c.I64(~int64_t{1}));
  WriteLink(c, i.rd);
  BranchHint hint = IsLink(i.rd)                               ? BranchHint::kCall
                    : i.rd == 0 && IsLink(i.rs1) && i.imm == 0 ? BranchHint::kReturn
                                                               : BranchHint::kNone;
  return c.Indirect(target, hint);
}

LiftStatus LiftBeq(LiftContext& c, const Insn& i) {
  return CondBranch(c, i, Opcode::kCmpEq, false);
}
LiftStatus LiftBne(LiftContext& c, const Insn& i) {
  return CondBranch(c, i, Opcode::kCmpNe, false);
}
LiftStatus LiftBlt(LiftContext& c, const Insn& i) {
  return CondBranch(c, i, Opcode::kCmpLtS, false);
}
LiftStatus LiftBltu(LiftContext& c, const Insn& i) {
  return CondBranch(c, i, Opcode::kCmpLtU, false);
}
// a >= b is b <= a.
LiftStatus LiftBge(LiftContext& c, const Insn& i) {
  return CondBranch(c, i, Opcode::kCmpLeS, true);
}
LiftStatus LiftBgeu(LiftContext& c, const Insn& i) {
  return CondBranch(c, i, Opcode::kCmpLeU, true);
}

}  // namespace polyvm::frontend::riscv64
