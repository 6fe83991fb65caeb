// MRS and MSR of the registers in sysregs.def; any other register is UNDEFINED at EL0 (Linux
// sends SIGILL for the ones it neither gives to EL0 nor emulates).
#include "lift_int_util.h"
#include "polyvm/frontend/arm64/lifter.h"
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

// FPCR controls polyvm does not implement (docs/arm64.md): AHP (26, the alternative
// half-precision format of FCVT), FZ16 (19, FEAT_FP16 is not advertised) and AH (1, FEAT_AFP).
// Setting any of them traps as unsupported at the MSR, so a guest that relies on them stops
// loudly instead of computing with the default behaviour.
constexpr uint32_t kFpcrUnsupportedMask = (1u << 26) | (1u << 19) | (1u << 1);
constexpr uint32_t kFpcrFzDn = Arm64Lifter::kFpcrFz | Arm64Lifter::kFpcrDn;
// FpFlags' kFpDenormalInput, which holds IDC while FZ is set, and IDC's place in FPSR.
constexpr uint32_t kEnvIdc = ir::kFpDenormalInput;

uint64_t AssumeFpcrHelper(void*, uint64_t lifter, uint64_t fpcr, uint64_t) {
  reinterpret_cast<const Arm64Lifter*>(lifter)->AssumeFpcr(static_cast<uint32_t>(fpcr));
  return 0;
}
constexpr ir::HelperInfo kAssumeFpcr{&AssumeFpcrHelper, "arm64_assume_fpcr"};

// FPSR.IDC while the translation assumes FZ: flushed inputs raise kFpDenormalInput in the FP
// environment (the host's denormal flag, which ops without FZ raise for other reasons and the
// guest never sees). Under FZ = 0 that bit is not IDC.
Value EnvIdc(LiftContext& c, Value env) {
  ir::Builder& b = c.b();
  if ((c.fpcr_mode() & Arm64Lifter::kFpcrFz) == 0) return c.I32(0);
  return b.Shl(b.And(env, c.I32(kEnvIdc)), c.I32(2));
}

// docs/ir.md, "FP": FPCR as written, and RMode (bits 23:22) to the FP environment's rounding mode
// through the nibble table 0x1230 (RN, RP, RM, RZ -> rne 0, rup 3, rdn 2, rtz 1). FZ and DN are
// translation-time modes (docs/arm64.md): IDC gathered under FZ moves to fpsr_rest, the lifter is
// told the new mode, and when it differs from this block's the block ends with a kCodeSync exit
// that drops every translation made under the old one.
LiftStatus WriteFpcr(LiftContext& c, Value v) {
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

  Value env = b.Emit(Opcode::kFpGetFlags, Type::kI32);
  if ((c.fpcr_mode() & Arm64Lifter::kFpcrFz) != 0) {
    Value rest = b.GetReg(Type::kI32, kFpsrRestOffset);
    b.SetReg(kFpsrRestOffset, b.Or(rest, EnvIdc(c, env)));
  }
  b.Emit(Opcode::kFpSetFlags, Type::kVoid, b.And(env, c.I32(kFpsrFlagMask)));
  Value fpcr64 = b.ZExt(Type::kI64, fpcr);  // (operands in statements: a fixed emission order)
  Value lifter = c.I64(c.lifter());
  b.Emit(Opcode::kCallHelper, Type::kI64, lifter, fpcr64, {},
         reinterpret_cast<uint64_t>(&kAssumeFpcr));
  Value new_mode = b.And(fpcr, c.I32(kFpcrFzDn));
  b.ExitIf(b.Emit(Opcode::kCmpNe, Type::kI1, new_mode, c.I32(c.fpcr_mode())), c.CodeSyncAfter());
  return LiftStatus::kNext;
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
      Value flags = b.Or(b.And(all, c.I32(kFpsrFlagMask)), EnvIdc(c, all));
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
    case SysRegKind::kFpcr: return WriteFpcr(c, v);
    case SysRegKind::kFpsr: {
      Value v32 = b.Trunc(Type::kI32, v);
      // Clears kFpDenormalInput too: IDC is now the written bit in fpsr_rest.
      b.Emit(Opcode::kFpSetFlags, Type::kVoid, b.And(v32, c.I32(kFpsrFlagMask)));
      b.SetReg(kFpsrRestOffset, b.And(v32, c.I32(kFpsrRestMask)));
      break;
    }
  }
  return LiftStatus::kNext;
}

}  // namespace polyvm::frontend::arm64
