// RV64I computation, loads and stores (control transfers are in lift_branch.cpp, fences and
// system instructions in lift_system.cpp).
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;
constexpr LiftStatus kNext = LiftStatus::kNext;

// Operands are read into locals first so the IR's order does not depend on the compiler's order
// of evaluating arguments.
LiftStatus RegReg(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X(i.rs1);
  Value b = c.X(i.rs2);
  c.SetX(i.rd, c.b().Op(op, a, b));
  return kNext;
}

LiftStatus RegImm(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X(i.rs1);
  c.SetX(i.rd, c.b().Op(op, a, c.I64(i.imm)));
  return kNext;
}

// slt/sltu and their immediate forms: the i1 result zero-extended.
LiftStatus SetLess(LiftContext& c, const Insn& i, Opcode cmp, bool imm) {
  Value a = c.X(i.rs1);
  Value b = imm ? c.I64(i.imm) : c.X(i.rs2);
  c.SetX(i.rd, c.b().ZExt(Type::kI64, c.b().Cmp(cmp, a, b)));
  return kNext;
}

// The *W forms: a 32-bit operation whose result is sign-extended.
LiftStatus RegRegW(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X32(i.rs1);
  Value b = c.X32(i.rs2);
  c.SetXSext(i.rd, c.b().Op(op, a, b));
  return kNext;
}

LiftStatus RegImmW(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X32(i.rs1);
  c.SetXSext(i.rd, c.b().Op(op, a, c.b().I32(static_cast<uint32_t>(i.imm))));
  return kNext;
}

LiftStatus Load(LiftContext& c, const Insn& i, Type t, bool sign) {
  Value v = c.b().Load(t, c.Addr(i.rs1, i.imm));
  c.SetX(i.rd, sign ? c.b().SExt(Type::kI64, v) : c.b().ZExt(Type::kI64, v));
  return kNext;
}

LiftStatus Store(LiftContext& c, const Insn& i, Type t) {
  Value addr = c.Addr(i.rs1, i.imm);
  Value v = c.b().Trunc(t, c.X(i.rs2));
  c.b().Store(addr, v);
  return kNext;
}

}  // namespace

LiftStatus LiftLui(LiftContext& c, const Insn& i) {
  c.SetX(i.rd, c.I64(i.imm));
  return kNext;
}

LiftStatus LiftAuipc(LiftContext& c, const Insn& i) {
  c.SetX(i.rd, c.I64(static_cast<int64_t>(c.pc() + static_cast<uint64_t>(i.imm))));
  return kNext;
}

LiftStatus LiftLb(LiftContext& c, const Insn& i) { return Load(c, i, Type::kI8, true); }
LiftStatus LiftLh(LiftContext& c, const Insn& i) { return Load(c, i, Type::kI16, true); }
LiftStatus LiftLw(LiftContext& c, const Insn& i) { return Load(c, i, Type::kI32, true); }
LiftStatus LiftLd(LiftContext& c, const Insn& i) { return Load(c, i, Type::kI64, true); }
LiftStatus LiftLbu(LiftContext& c, const Insn& i) { return Load(c, i, Type::kI8, false); }
LiftStatus LiftLhu(LiftContext& c, const Insn& i) { return Load(c, i, Type::kI16, false); }
LiftStatus LiftLwu(LiftContext& c, const Insn& i) { return Load(c, i, Type::kI32, false); }
LiftStatus LiftSb(LiftContext& c, const Insn& i) { return Store(c, i, Type::kI8); }
LiftStatus LiftSh(LiftContext& c, const Insn& i) { return Store(c, i, Type::kI16); }
LiftStatus LiftSw(LiftContext& c, const Insn& i) { return Store(c, i, Type::kI32); }
LiftStatus LiftSd(LiftContext& c, const Insn& i) { return Store(c, i, Type::kI64); }

LiftStatus LiftAddi(LiftContext& c, const Insn& i) { return RegImm(c, i, Opcode::kAdd); }
LiftStatus LiftSlti(LiftContext& c, const Insn& i) { return SetLess(c, i, Opcode::kCmpLtS, true); }
LiftStatus LiftSltiu(LiftContext& c, const Insn& i) { return SetLess(c, i, Opcode::kCmpLtU, true); }
LiftStatus LiftXori(LiftContext& c, const Insn& i) { return RegImm(c, i, Opcode::kXor); }
LiftStatus LiftOri(LiftContext& c, const Insn& i) { return RegImm(c, i, Opcode::kOr); }
LiftStatus LiftAndi(LiftContext& c, const Insn& i) { return RegImm(c, i, Opcode::kAnd); }
LiftStatus LiftSlli(LiftContext& c, const Insn& i) { return RegImm(c, i, Opcode::kShl); }
LiftStatus LiftSrli(LiftContext& c, const Insn& i) { return RegImm(c, i, Opcode::kLShr); }
LiftStatus LiftSrai(LiftContext& c, const Insn& i) { return RegImm(c, i, Opcode::kAShr); }

// Register shifts use the low 6 (W forms: 5) bits of rs2, which is what the IR shifts' "mod width"
// gives.
LiftStatus LiftAdd(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kAdd); }
LiftStatus LiftSub(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kSub); }
LiftStatus LiftSll(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kShl); }
LiftStatus LiftSlt(LiftContext& c, const Insn& i) { return SetLess(c, i, Opcode::kCmpLtS, false); }
LiftStatus LiftSltu(LiftContext& c, const Insn& i) { return SetLess(c, i, Opcode::kCmpLtU, false); }
LiftStatus LiftXor(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kXor); }
LiftStatus LiftSrl(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kLShr); }
LiftStatus LiftSra(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kAShr); }
LiftStatus LiftOr(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kOr); }
LiftStatus LiftAnd(LiftContext& c, const Insn& i) { return RegReg(c, i, Opcode::kAnd); }

LiftStatus LiftAddiw(LiftContext& c, const Insn& i) { return RegImmW(c, i, Opcode::kAdd); }
LiftStatus LiftSlliw(LiftContext& c, const Insn& i) { return RegImmW(c, i, Opcode::kShl); }
LiftStatus LiftSrliw(LiftContext& c, const Insn& i) { return RegImmW(c, i, Opcode::kLShr); }
LiftStatus LiftSraiw(LiftContext& c, const Insn& i) { return RegImmW(c, i, Opcode::kAShr); }
LiftStatus LiftAddw(LiftContext& c, const Insn& i) { return RegRegW(c, i, Opcode::kAdd); }
LiftStatus LiftSubw(LiftContext& c, const Insn& i) { return RegRegW(c, i, Opcode::kSub); }
LiftStatus LiftSllw(LiftContext& c, const Insn& i) { return RegRegW(c, i, Opcode::kShl); }
LiftStatus LiftSrlw(LiftContext& c, const Insn& i) { return RegRegW(c, i, Opcode::kLShr); }
LiftStatus LiftSraw(LiftContext& c, const Insn& i) { return RegRegW(c, i, Opcode::kAShr); }

}  // namespace polyvm::frontend::riscv64
