// The M extension. The IR's division ops define division by zero and signed overflow exactly as
// RISC-V does (quotient all ones / MIN, remainder the dividend / 0), so no checks are needed.
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using ir::Value;

LiftStatus Op64(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X(i.rs1);
  Value b = c.X(i.rs2);
  c.SetX(i.rd, c.b().Op(op, a, b));
  return LiftStatus::kNext;
}

// The *W forms work on the low 32 bits and sign-extend the 32-bit result (also for divuw/remuw).
LiftStatus Op32(LiftContext& c, const Insn& i, Opcode op) {
  Value a = c.X32(i.rs1);
  Value b = c.X32(i.rs2);
  c.SetXSext(i.rd, c.b().Op(op, a, b));
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftMul(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kMul); }
LiftStatus LiftMulh(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kMulHiS); }
LiftStatus LiftMulhsu(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kMulHiSU); }
LiftStatus LiftMulhu(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kMulHiU); }
LiftStatus LiftDiv(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kDivS); }
LiftStatus LiftDivu(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kDivU); }
LiftStatus LiftRem(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kRemS); }
LiftStatus LiftRemu(LiftContext& c, const Insn& i) { return Op64(c, i, Opcode::kRemU); }
LiftStatus LiftMulw(LiftContext& c, const Insn& i) { return Op32(c, i, Opcode::kMul); }
LiftStatus LiftDivw(LiftContext& c, const Insn& i) { return Op32(c, i, Opcode::kDivS); }
LiftStatus LiftDivuw(LiftContext& c, const Insn& i) { return Op32(c, i, Opcode::kDivU); }
LiftStatus LiftRemw(LiftContext& c, const Insn& i) { return Op32(c, i, Opcode::kRemS); }
LiftStatus LiftRemuw(LiftContext& c, const Insn& i) { return Op32(c, i, Opcode::kRemU); }

}  // namespace polyvm::frontend::riscv64
