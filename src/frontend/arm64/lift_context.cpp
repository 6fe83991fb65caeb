// Register access, flags, conditions and block endings shared by all A64 lift functions.
#include "lift_context.h"

#include "polyvm/frontend/arm64/lifter.h"
#include "polyvm/frontend/arm64/state.h"

namespace polyvm::frontend::arm64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

void LiftContext::BeginInsn(const Insn& insn, uint64_t pc, uint32_t completed) {
  insn_ = &insn;
  pc_ = pc;
  completed_ = completed;
  trap_ = core::TrapCode::kNone;
}

Value LiftContext::X(unsigned r) { return r == 31 ? b_.I64(0) : b_.GetReg(Type::kI64, XOffset(r)); }
Value LiftContext::W(unsigned r) {
  // Read as the whole X register and truncated, so copy propagation forwards earlier X writes.
  return r == 31 ? b_.I32(0) : b_.Trunc(Type::kI32, b_.GetReg(Type::kI64, XOffset(r)));
}
Value LiftContext::XSp(unsigned r) {
  return b_.GetReg(Type::kI64, r == 31 ? kSpOffset : XOffset(r));
}
Value LiftContext::WSp(unsigned r) { return b_.Trunc(Type::kI32, XSp(r)); }

void LiftContext::SetX(unsigned r, Value v64) {
  if (r != 31) b_.SetReg(XOffset(r), v64);
}
void LiftContext::SetW(unsigned r, Value v32) {
  if (r != 31) b_.SetReg(XOffset(r), b_.ZExt(Type::kI64, v32));
}
void LiftContext::SetXSp(unsigned r, Value v64) {
  b_.SetReg(r == 31 ? kSpOffset : XOffset(r), v64);
}
void LiftContext::SetWSp(unsigned r, Value v32) {
  b_.SetReg(r == 31 ? kSpOffset : XOffset(r), b_.ZExt(Type::kI64, v32));
}
void LiftContext::SetR(unsigned r, Value v) {
  if (v.type == Type::kI64) {
    SetX(r, v);
  } else {
    SetW(r, v);
  }
}
void LiftContext::SetRSp(unsigned r, Value v) {
  if (v.type == Type::kI64) {
    SetXSp(r, v);
  } else {
    SetWSp(r, v);
  }
}

Value LiftContext::Q(unsigned r) { return b_.GetReg(Type::kV128, QOffset(r)); }
Value LiftContext::V(unsigned r, Type t) { return b_.GetReg(t, QOffset(r)); }
void LiftContext::SetQ(unsigned r, Value v128) { b_.SetReg(QOffset(r), v128); }

void LiftContext::SetVScalar(unsigned r, Value v) {
  if (v.type == Type::kV128) return SetQ(r, v);
  Value bits = v;
  if (v.type == Type::kF32) bits = b_.Bitcast(Type::kI32, v);
  if (v.type == Type::kF64) bits = b_.Bitcast(Type::kI64, v);
  Value wide = b_.ZExt(Type::kI128, bits);
  SetQ(r, b_.Bitcast(Type::kV128, wide));
}

Value LiftContext::FlagN() { return b_.GetReg(Type::kI1, kNOffset); }
Value LiftContext::FlagZ() { return b_.GetReg(Type::kI1, kZOffset); }
Value LiftContext::FlagC() { return b_.GetReg(Type::kI1, kCOffset); }
Value LiftContext::FlagV() { return b_.GetReg(Type::kI1, kVOffset); }

void LiftContext::SetNzcv(Value n, Value z, Value c, Value v) {
  flag_source_ = FlagSource::kNone;
  b_.SetReg(kNOffset, n);
  b_.SetReg(kZOffset, z);
  b_.SetReg(kCOffset, c);
  b_.SetReg(kVOffset, v);
}

void LiftContext::SetFlagsFromResult(Value result, Value c, Value v) {
  flag_source_ = FlagSource::kNone;
  Value zero = b_.Const(result.type, 0);
  b_.SetReg(kNOffset, b_.Cmp(Opcode::kCmpLtS, result, zero));
  b_.SetReg(kZOffset, b_.Cmp(Opcode::kCmpEq, result, zero));
  b_.SetReg(kCOffset, c);
  b_.SetReg(kVOffset, v);
}

uint32_t LiftContext::fpcr_mode() const {
  return fpcr_mode_ & (Arm64Lifter::kFpcrFz | Arm64Lifter::kFpcrDn);
}

void LiftContext::GuardFpcrMode() {
  if (fpcr_guarded_ || (fpcr_mode_ & Arm64Lifter::kFpcrModeSeen) == 0) return;
  fpcr_guarded_ = true;
  Value fpcr = b_.GetReg(ir::Type::kI32, kFpcrOffset);
  Value mode = b_.And(fpcr, I32(Arm64Lifter::kFpcrFz | Arm64Lifter::kFpcrDn));
  b_.ExitIf(b_.Emit(Opcode::kCmpNe, ir::Type::kI1, mode, I32(fpcr_mode())),
            TrapHere(core::TrapCode::kUnsupported));
}

uint32_t LiftContext::FpAux(ir::RoundingMode rm, uint8_t rule, bool signaling, bool exact) {
  GuardFpcrMode();
  ir::FpMode mode;
  mode.rm = rm;
  mode.nan = ir::NanRule::kArm;
  mode.rule = rule;
  mode.signaling = signaling;
  mode.exact = exact;
  mode.ftz = (fpcr_mode_ & Arm64Lifter::kFpcrFz) != 0;
  mode.dn = (fpcr_mode_ & Arm64Lifter::kFpcrDn) != 0;
  return mode.Encode();
}

ir::Exit LiftContext::CodeSyncAfter() const {
  ir::Exit e = Completed(ir::ExitKind::kCodeSync);
  e.target = next_pc();
  return e;
}

ir::Exit LiftContext::Completed(ir::ExitKind kind) const {
  ir::Exit e;
  e.kind = kind;
  e.insn_count = completed_ + 1;
  return e;
}

ir::Exit LiftContext::TrapHere(core::TrapCode code) const {
  ir::Exit e;
  e.kind = ir::ExitKind::kTrap;
  e.trap = code;
  e.target = pc_;
  e.info = insn_->raw;
  e.insn_count = completed_;
  return e;
}

LiftStatus LiftContext::Jump(uint64_t target, ir::BranchHint hint) {
  ir::Exit e = Completed(ir::ExitKind::kJump);
  e.target = target;
  e.hint = hint;
  if (hint == ir::BranchHint::kCall) e.fallthrough = next_pc();
  b_.SetExit(e);
  return LiftStatus::kEndBlock;
}

LiftStatus LiftContext::Branch(Value cond, uint64_t target) {
  ir::Exit e = Completed(ir::ExitKind::kBranch);
  e.value = cond.id;
  e.target = target;
  e.fallthrough = next_pc();
  b_.SetExit(e);
  return LiftStatus::kEndBlock;
}

LiftStatus LiftContext::Indirect(Value target, ir::BranchHint hint) {
  ir::Exit e = Completed(ir::ExitKind::kIndirect);
  e.value = target.id;
  e.hint = hint;
  if (hint == ir::BranchHint::kCall) e.fallthrough = next_pc();
  b_.SetExit(e);
  return LiftStatus::kEndBlock;
}

LiftStatus LiftContext::Syscall() {
  ir::Exit e = Completed(ir::ExitKind::kSyscall);
  e.target = next_pc();
  e.info = pc_;
  b_.SetExit(e);
  return LiftStatus::kEndBlock;
}

LiftStatus LiftContext::CodeSync() {
  ir::Exit e = Completed(ir::ExitKind::kCodeSync);
  e.target = next_pc();
  b_.SetExit(e);
  return LiftStatus::kEndBlock;
}

LiftStatus LiftContext::Halt() {
  ir::Exit e = Completed(ir::ExitKind::kHalt);
  e.target = next_pc();
  b_.SetExit(e);
  return LiftStatus::kEndBlock;
}

}  // namespace polyvm::frontend::arm64
