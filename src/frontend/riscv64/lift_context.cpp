// Register access and block endings shared by all lift functions.
#include "lift_context.h"

#include "polyvm/frontend/riscv64/state.h"

namespace polyvm::frontend::riscv64 {

using ir::Opcode;
using ir::Type;
using ir::Value;

namespace {
constexpr uint32_t kCanonicalNanF32 = 0x7fc00000;
constexpr uint64_t kBoxHigh = 0xffffffff00000000;
}  // namespace

void LiftContext::BeginInsn(const Insn& insn, uint64_t pc, uint32_t completed) {
  insn_ = &insn;
  pc_ = pc;
  completed_ = completed;
  trap_ = core::TrapCode::kNone;
}

Value LiftContext::X(unsigned r) { return r == 0 ? b_.I64(0) : b_.GetReg(Type::kI64, XOffset(r)); }

Value LiftContext::X32(unsigned r) { return b_.Trunc(Type::kI32, X(r)); }

void LiftContext::SetX(unsigned r, Value v) {
  if (r != 0) b_.SetReg(XOffset(r), v);
}

void LiftContext::SetXSext(unsigned r, Value narrow) { SetX(r, b_.SExt(Type::kI64, narrow)); }

Value LiftContext::Addr(unsigned base, int64_t offset) {
  Value b = X(base);
  return offset == 0 ? b : b_.Add(b, I64(offset));
}

Value LiftContext::FRaw(unsigned r) { return b_.GetReg(Type::kI64, FOffset(r)); }

Value LiftContext::FBits32(unsigned r) {
  // An f32 operand whose upper 32 bits are not all ones is not a valid NaN-boxed value and reads
  // as the canonical NaN (unprivileged spec, "NaN Boxing of Narrower Values").
  // Boxed means raw >= 0xffffffff00000000 (unsigned). Locals rather than nested calls keep the IR
  // order independent of the compiler's argument evaluation order.
  Value raw = FRaw(r);
  Value boxed = b_.Cmp(Opcode::kCmpLeU, b_.I64(kBoxHigh), raw);
  Value low = b_.Trunc(Type::kI32, raw);
  return b_.Select(boxed, low, b_.I32(kCanonicalNanF32));
}

Value LiftContext::F32(unsigned r) { return b_.Bitcast(Type::kF32, FBits32(r)); }
Value LiftContext::F64(unsigned r) { return b_.Bitcast(Type::kF64, FRaw(r)); }

void LiftContext::SetFRaw(unsigned r, Value v64) { b_.SetReg(FOffset(r), v64); }

void LiftContext::SetFBits32(unsigned r, Value v32) {
  Value wide = b_.ZExt(Type::kI64, v32);
  SetFRaw(r, b_.Or(wide, b_.I64(kBoxHigh)));
}

void LiftContext::SetF32(unsigned r, Value v) { SetFBits32(r, b_.Bitcast(Type::kI32, v)); }
void LiftContext::SetF64(unsigned r, Value v) { SetFRaw(r, b_.Bitcast(Type::kI64, v)); }

uint32_t LiftContext::RoundingAux(unsigned rm, uint8_t rule) {
  if (rm == static_cast<unsigned>(ir::RoundingMode::kDynamic) && !frm_checked_) {
    // frm values 5..7 are reserved: an instruction rounding by frm then is illegal.
    Value frm = b_.GetReg(Type::kI32, kFrmOffset);
    ir::Exit e;
    e.kind = ir::ExitKind::kTrap;
    e.trap = core::TrapCode::kIllegalInstruction;
    e.target = pc_;
    e.info = insn_->raw;
    e.insn_count = completed_;
    b_.ExitIf(b_.Cmp(Opcode::kCmpLtU, b_.I32(4), frm), e);
    frm_checked_ = true;
  }
  ir::FpMode mode;
  mode.rm = static_cast<ir::RoundingMode>(rm);
  mode.nan = ir::NanRule::kCanonical;
  mode.rule = rule;
  return mode.Encode();
}

ir::Exit LiftContext::Completed(ir::ExitKind kind) const {
  ir::Exit e;
  e.kind = kind;
  e.insn_count = completed_ + 1;
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

}  // namespace polyvm::frontend::riscv64
