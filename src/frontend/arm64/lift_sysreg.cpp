// MRS and MSR of the registers in sysregs.def; any other register is UNDEFINED at EL0 (Linux
// sends SIGILL for the ones it neither gives to EL0 nor emulates).
#include "lift_int_util.h"
#include "polyvm/frontend/arm64/state.h"
#include "sysregs.h"

namespace polyvm::frontend::arm64 {
namespace {

using ir::Opcode;
using ir::Type;
using ir::Value;

// FPSR bits kept in guest state besides the cumulative IEEE flags: QC (27) and IDC (7).
constexpr uint32_t kFpsrRestMask = 0x08000080;
constexpr uint32_t kFpsrFlagMask = 31;

Value ReadNzcv(LiftContext& c) {
  ir::Builder& b = c.b();
  Value flags[4] = {c.FlagN(), c.FlagZ(), c.FlagC(), c.FlagV()};
  Value result = c.I64(0);
  for (unsigned k = 0; k < 4; ++k) {
    Value wide = b.ZExt(Type::kI64, flags[k]);
    Value bit = b.Shl(wide, c.I64(31 - k));
    result = b.Or(result, bit);
  }
  return result;
}

void WriteNzcv(LiftContext& c, Value v) {
  ir::Builder& b = c.b();
  Value bits[4];
  for (unsigned k = 0; k < 4; ++k) {
    Value shifted = b.LShr(v, c.I64(31 - k));
    bits[k] = b.Trunc(Type::kI1, shifted);
  }
  c.SetNzcv(bits[0], bits[1], bits[2], bits[3]);
}

// FPCR controls the IR cannot honour yet (docs/ir.md, "Not yet covered"): AHP (26, the
// alternative half-precision format of FCVT), DN (25), FZ (24), FZ16 (19) and AH (1). Setting any
// of them traps as unsupported at the MSR, so a guest that relies on them stops loudly instead of
// computing with the default behaviour.
constexpr uint32_t kFpcrUnsupportedMask =
    (1u << 26) | (1u << 25) | (1u << 24) | (1u << 19) | (1u << 1);

// docs/ir.md, "FP": FPCR as written, and RMode (bits 23:22) to the FP environment's rounding mode
// through the nibble table 0x1230 (RN, RP, RM, RZ -> rne 0, rup 3, rdn 2, rtz 1).
void WriteFpcr(LiftContext& c, Value v) {
  ir::Builder& b = c.b();
  Value fpcr = b.Trunc(Type::kI32, v);
  Value unsupported = b.And(fpcr, c.I32(kFpcrUnsupportedMask));
  b.ExitIf(b.Emit(Opcode::kCmpNe, Type::kI1, unsupported, c.I32(0)),
           c.TrapHere(core::TrapCode::kUnsupported));
  b.SetReg(kFpcrOffset, fpcr);
  Value rmode = b.Emit(Opcode::kExtract, Type::kI8, fpcr, {}, {}, 22);
  rmode = b.And(rmode, b.Const(Type::kI8, 3));
  Value nibble = b.Shl(rmode, b.Const(Type::kI8, 2));
  Value table = c.I32(0x1230);
  Value shifted = b.LShr(table, nibble);
  Value mode = b.And(shifted, c.I32(0xf));
  b.Emit(Opcode::kFpSetRound, Type::kVoid, mode);
}

}  // namespace

LiftStatus LiftMrs(LiftContext& c, const Insn& i) {
  const SysRegInfo* reg = FindSysReg(static_cast<uint32_t>(i.imm));
  if (!reg) return c.Undefined();
  ir::Builder& b = c.b();
  Value v;
  switch (reg->kind) {
    case SysRegKind::kConst: v = c.I64(reg->value); break;
    case SysRegKind::kState:
    case SysRegKind::kStateRO: v = b.GetReg(Type::kI64, static_cast<uint32_t>(reg->value)); break;
    case SysRegKind::kNzcv: v = ReadNzcv(c); break;
    case SysRegKind::kFpcr: v = b.ZExt(Type::kI64, b.GetReg(Type::kI32, kFpcrOffset)); break;
    case SysRegKind::kFpsr: {
      Value all = b.Emit(Opcode::kFpGetFlags, Type::kI32);
      Value flags = b.And(all, c.I32(kFpsrFlagMask));
      Value rest = b.GetReg(Type::kI32, kFpsrRestOffset);
      v = b.ZExt(Type::kI64, b.Or(flags, rest));
      break;
    }
    case SysRegKind::kCounter:
      v = b.Emit(Opcode::kReadCounter, Type::kI64, {}, {}, {}, 0,
                 static_cast<uint32_t>(ir::Counter::kNanos));
      break;
  }
  c.SetX(i.rd, v);
  return LiftStatus::kNext;
}

LiftStatus LiftMsr(LiftContext& c, const Insn& i) {
  const SysRegInfo* reg = FindSysReg(static_cast<uint32_t>(i.imm));
  if (!reg) return c.Undefined();
  ir::Builder& b = c.b();
  Value v = c.X(i.rd);
  switch (reg->kind) {
    case SysRegKind::kConst:
    case SysRegKind::kStateRO:
    case SysRegKind::kCounter: return c.Undefined();  // read-only at EL0
    case SysRegKind::kState: b.SetReg(static_cast<uint32_t>(reg->value), v); break;
    case SysRegKind::kNzcv: WriteNzcv(c, v); break;
    case SysRegKind::kFpcr: WriteFpcr(c, v); break;
    case SysRegKind::kFpsr: {
      Value v32 = b.Trunc(Type::kI32, v);
      b.Emit(Opcode::kFpSetFlags, Type::kVoid, b.And(v32, c.I32(kFpsrFlagMask)));
      b.SetReg(kFpsrRestOffset, b.And(v32, c.I32(kFpsrRestMask)));
      break;
    }
  }
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
