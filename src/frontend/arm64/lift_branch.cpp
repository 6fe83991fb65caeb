// Branches and exception-generating instructions: B/BL, B.cond, CBZ/CBNZ, TBZ/TBNZ, BR/BLR/RET,
// SVC (the Linux system call; its immediate is ignored, as the kernel does), BRK (SIGTRAP) and the
// instructions that are UNDEFINED at EL0 under Linux (HLT, UDF).
#include "lift_int_util.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

LiftStatus LiftB(LiftContext& c, const Insn& i) {
  uint64_t target = c.pc() + static_cast<uint64_t>(i.imm);
  if (i.id == InsnId::kBL) {
    c.SetX(30, c.I64(c.next_pc()));
    return c.Jump(target, ir::BranchHint::kCall);
  }
  return c.Jump(target);
}

LiftStatus LiftBCond(LiftContext& c, const Insn& i) {
  uint64_t target = c.pc() + static_cast<uint64_t>(i.imm);
  if (i.cond >= 14) return c.Jump(target);  // AL and NV: always
  return c.Branch(c.Cond(i.cond), target);
}

LiftStatus LiftCbz(LiftContext& c, const Insn& i) {
  Value v = c.R(i.rd, SfOf(i));
  Opcode cmp = i.id == InsnId::kCBNZ ? Opcode::kCmpNe : Opcode::kCmpEq;
  Value cond = c.b().Cmp(cmp, v, c.Const(v.type, 0));
  return c.Branch(cond, c.pc() + static_cast<uint64_t>(i.imm));
}

LiftStatus LiftTbz(LiftContext& c, const Insn& i) {
  Value v = c.X(i.rd);
  unsigned bit = static_cast<unsigned>(i.imm2);
  Value shifted = bit == 0 ? v : c.b().LShr(v, c.I64(bit));
  Value set = c.b().Trunc(Type::kI1, shifted);
  Value cond = i.id == InsnId::kTBNZ ? set : c.b().Not(set);
  return c.Branch(cond, c.pc() + static_cast<uint64_t>(i.imm));
}

LiftStatus LiftBranchReg(LiftContext& c, const Insn& i) {
  Value target = c.X(i.rn);  // read before BLR writes x30 (blr x30 jumps to the old value)
  if (i.id == InsnId::kBLR) {
    c.SetX(30, c.I64(c.next_pc()));
    return c.Indirect(target, ir::BranchHint::kCall);
  }
  return c.Indirect(target, i.id == InsnId::kRET ? ir::BranchHint::kReturn : ir::BranchHint::kNone);
}

LiftStatus LiftSvc(LiftContext& c, const Insn&) { return c.Syscall(); }
LiftStatus LiftBrk(LiftContext& c, const Insn&) { return c.Trap(core::TrapCode::kBreakpoint); }
LiftStatus LiftUndefined(LiftContext& c, const Insn&) { return c.Undefined(); }

}  // namespace polyvm::frontend::arm64
