// F and D conversions: float to integer (saturating, NaN to the maximum, as RISC-V defines),
// integer to float, and between f32 and f64. 32-bit integer results are sign-extended into x
// registers, fcvt.wu.* included.
#include "lift_context.h"

namespace polyvm::frontend::riscv64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;
constexpr Type S = Type::kF32;
constexpr Type D = Type::kF64;

LiftStatus ToInt(LiftContext& c, const Insn& i, Type from, Type to, bool is_signed) {
  uint32_t aux = c.RoundingAux(i.rm, static_cast<uint8_t>(ir::CvtRule::kSaturateNanMax));
  Value a = c.F(i.rs1, from);
  Value r = c.b().Emit(is_signed ? Opcode::kFToSInt : Opcode::kFToUInt, to, a, {}, {}, 0, aux);
  c.SetXSext(i.rd, r);
  return LiftStatus::kNext;
}

LiftStatus FromInt(LiftContext& c, const Insn& i, Type from, Type to, bool is_signed) {
  uint32_t aux = c.RoundingAux(i.rm);
  Value a = from == Type::kI32 ? c.X32(i.rs1) : c.X(i.rs1);
  c.SetF(i.rd, c.b().Emit(is_signed ? Opcode::kSIntToF : Opcode::kUIntToF, to, a, {}, {}, 0, aux));
  return LiftStatus::kNext;
}

LiftStatus Convert(LiftContext& c, const Insn& i, Type from, Type to) {
  uint32_t aux = c.RoundingAux(i.rm);
  Value a = c.F(i.rs1, from);
  c.SetF(i.rd, c.b().Emit(Opcode::kFConvert, to, a, {}, {}, 0, aux));
  return LiftStatus::kNext;
}

}  // namespace

LiftStatus LiftFcvtWS(LiftContext& c, const Insn& i) { return ToInt(c, i, S, Type::kI32, true); }
LiftStatus LiftFcvtWuS(LiftContext& c, const Insn& i) { return ToInt(c, i, S, Type::kI32, false); }
LiftStatus LiftFcvtLS(LiftContext& c, const Insn& i) { return ToInt(c, i, S, Type::kI64, true); }
LiftStatus LiftFcvtLuS(LiftContext& c, const Insn& i) { return ToInt(c, i, S, Type::kI64, false); }
LiftStatus LiftFcvtWD(LiftContext& c, const Insn& i) { return ToInt(c, i, D, Type::kI32, true); }
LiftStatus LiftFcvtWuD(LiftContext& c, const Insn& i) { return ToInt(c, i, D, Type::kI32, false); }
LiftStatus LiftFcvtLD(LiftContext& c, const Insn& i) { return ToInt(c, i, D, Type::kI64, true); }
LiftStatus LiftFcvtLuD(LiftContext& c, const Insn& i) { return ToInt(c, i, D, Type::kI64, false); }

LiftStatus LiftFcvtSW(LiftContext& c, const Insn& i) { return FromInt(c, i, Type::kI32, S, true); }
LiftStatus LiftFcvtSWu(LiftContext& c, const Insn& i) {
  return FromInt(c, i, Type::kI32, S, false);
}
LiftStatus LiftFcvtSL(LiftContext& c, const Insn& i) { return FromInt(c, i, Type::kI64, S, true); }
LiftStatus LiftFcvtSLu(LiftContext& c, const Insn& i) {
  return FromInt(c, i, Type::kI64, S, false);
}
LiftStatus LiftFcvtDW(LiftContext& c, const Insn& i) { return FromInt(c, i, Type::kI32, D, true); }
LiftStatus LiftFcvtDWu(LiftContext& c, const Insn& i) {
  return FromInt(c, i, Type::kI32, D, false);
}
LiftStatus LiftFcvtDL(LiftContext& c, const Insn& i) { return FromInt(c, i, Type::kI64, D, true); }
LiftStatus LiftFcvtDLu(LiftContext& c, const Insn& i) {
  return FromInt(c, i, Type::kI64, D, false);
}

LiftStatus LiftFcvtSD(LiftContext& c, const Insn& i) { return Convert(c, i, D, S); }
LiftStatus LiftFcvtDS(LiftContext& c, const Insn& i) { return Convert(c, i, S, D); }

}  // namespace polyvm::frontend::riscv64
