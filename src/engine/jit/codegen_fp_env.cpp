// Emission of the FP environment ops and the scalar FP conversions. The guest's IEEE flags live in
// the host MXCSR while JIT code runs (the contract of cpu_header.h and ir/semantics/fp.h): reading
// or replacing them is stmxcsr/ldmxcsr and a table lookup, never a call. Conversions run the host
// instruction when MXCSR rounds as the op asks, and hand the rare results whose bits the guest's
// rules decide (integer indefinite, NaN) to the reference in ColdOp.
#include <algorithm>
#include <array>

#include "compiler.h"

namespace polyvm::engine::jit::detail {
namespace {

// The x86 MXCSR flag bits of each ir::FpFlags bit (IE DE ZE OE UE PE are bits 0-5 of MXCSR).
constexpr uint32_t kMxFlagOf[6][2] = {{ir::kFpInvalid, 0x01},  {ir::kFpDivByZero, 0x04},
                                      {ir::kFpOverflow, 0x08}, {ir::kFpUnderflow, 0x10},
                                      {ir::kFpInexact, 0x20},  {ir::kFpDenormalInput, 0x02}};
constexpr uint32_t kMxFlagBits = 0x3F;

// Translation tables indexed by six flag bits, built from the pairs above.
constexpr std::array<uint8_t, 64> MakeTable(bool to_ir) {
  std::array<uint8_t, 64> t{};
  for (uint32_t x = 0; x < 64; ++x) {
    uint32_t out = 0;
    for (const auto& p : kMxFlagOf) {
      const uint32_t from = to_ir ? p[1] : p[0], to = to_ir ? p[0] : p[1];
      if ((x & from) != 0) out |= to;
    }
    t[x] = static_cast<uint8_t>(out);
  }
  return t;
}
alignas(64) constexpr std::array<uint8_t, 64> kMxToIr = MakeTable(true);
alignas(64) constexpr std::array<uint8_t, 64> kIrToMx = MakeTable(false);

}  // namespace

// FpGetFlags: MXCSR's sticky flags in ir::FpFlags order. The value's own frame slot is the
// stmxcsr scratch.
void Compiler::EmitFpGetFlags(ValueId i) {
  stmxcsr(dword[SlotAddr(i)]);
  mov(eax, dword[SlotAddr(i)]);
  and_(eax, kMxFlagBits);
  mov(rcx, reinterpret_cast<uint64_t>(kMxToIr.data()));
  movzx(eax, byte[rcx + rax]);
  Put(i, rax);
}

// FpSetFlags: replaces MXCSR's sticky flags, keeping its masks and rounding control.
void Compiler::EmitFpSetFlags(ValueId i, const ir::Inst& inst) {
  const ValueId v = inst.args[0];
  if (IsConst(v)) {
    mov(ecx, kIrToMx[ConstBits(v) & kMxFlagBits]);
  } else {
    Load(rax, v);
    and_(eax, kMxFlagBits);
    mov(rcx, reinterpret_cast<uint64_t>(kIrToMx.data()));
    movzx(ecx, byte[rcx + rax]);
  }
  stmxcsr(dword[SlotAddr(i)]);
  mov(eax, dword[SlotAddr(i)]);
  and_(eax, ~kMxFlagBits);
  or_(eax, ecx);
  mov(dword[SlotAddr(i)], eax);
  ldmxcsr(dword[SlotAddr(i)]);
}

// Branches to `slow` unless MXCSR rounds as an op with FpMode `aux` must: the dynamic mode when
// the guest's is one x86 has (not RMM or reserved), or a static mode equal to the guest's dynamic
// one (then MXCSR.RC already holds it). False, emitting nothing, for static modes x86 cannot
// round in. `rounds`: the op's result depends on the rounding mode at all.
bool Compiler::EmitRoundingGuard(uint32_t aux, bool rounds, const Label& slow) {
  if (!rounds) return true;
  const uint32_t rm = aux & 7;
  if (rm == static_cast<uint32_t>(ir::RoundingMode::kDynamic)) {
    // MXCSR.RC holds the guest's mode: always (an IEEE-only guest), or since the entry check.
    if (owner_->ieee_rounding || fp_round_checked_) return true;
    cmp(dword[rbx + kStFpRound], static_cast<uint32_t>(ir::RoundingMode::kNearestMaxMag));
    jae(slow, T_NEAR);
    return true;
  }
  if (rm >= static_cast<uint32_t>(ir::RoundingMode::kNearestMaxMag)) return false;
  cmp(dword[rbx + kStFpRound], rm);
  jne(slow, T_NEAR);
  return true;
}

// User mode, a guest with RMM (RISC-V): a block with FP ops of dynamic mode checks fp_round once,
// at its entry, instead of per op; under RMM (or a reserved mode) it leaves before doing anything,
// and Run runs the block's rounding variant (JitState::RoundingVariant), which checks per op and
// runs them out of line. System mode and the variants themselves keep the check per op.
void Compiler::EmitRoundingEntryCheck() {
  fp_round_checked_ = false;
  if (owner_->system || owner_->ieee_rounding || owner_->rounding_variant) return;
  const bool dynamic_fp = std::any_of(b_.insts.begin(), b_.insts.end(), [](const ir::Inst& inst) {
    return (ir::Info(inst.op).props & ir::kFpEnv) != 0 && inst.op != Opcode::kFpGetFlags &&
           inst.op != Opcode::kFpSetFlags && inst.op != Opcode::kFpSetRound &&
           (inst.aux & 7) == static_cast<uint32_t>(ir::RoundingMode::kDynamic);
  });
  if (!dynamic_fp) return;
  Label leave;
  cmp(dword[rbx + kStFpRound], static_cast<uint32_t>(ir::RoundingMode::kNearestMaxMag));
  jae(leave, T_NEAR);
  fp_round_checked_ = true;
  deferred_.push_back([this, leave]() mutable {
    L(leave);
    MovImm(rax, b_.pc);
    mov(qword[rbx + kStPc], rax);
    mov(eax, static_cast<uint32_t>(Status::kRoundingVariant));
    JmpEpilogue();
  });
}

// Loads the f32/f64 value v into the low lane of x.
void Compiler::LoadXmm(const Xbyak::Xmm& x, ValueId v) {
  const bool d = TypeOf(v) != ir::Type::kF32;
  if (IsConst(v)) {
    MovImm(rax, ConstBits(v));
    movq(x, rax);
  } else if (InReg(v)) {
    movq(x, RegOf(v));
  } else if (d) {
    movsd(x, ptr[SlotAddr(v)]);
  } else {
    movss(x, ptr[SlotAddr(v)]);
  }
}

// The fast path of i has branched to `slow` before writing its result anywhere, and placed `done`
// after its result: the out-of-line ColdOp call computes i instead (its operands are still where
// they were at the branch), reloads i's register if it has one, and rejoins at `done`.
void Compiler::DeferColdSlowPath(ValueId i, Label slow, Label done) {
  CallPlan plan = PlanCall(i);
  plan.result_reg = reg_of_[i];
  deferred_.push_back([this, plan, slow, done]() mutable {
    L(slow);
    Cold(plan, false);
    jmp(done, T_NEAR);
  });
}

// FToSInt, SIntToF, UIntToF and FConvert between f32 and f64 (others: ColdOp). The host
// instruction raises what the reference raises for every value it converts exactly as the guest
// does; the others are recognised on the result and recomputed out of line, where re-raising the
// same sticky flags changes nothing.
bool Compiler::EmitFpConvert(ValueId i, const ir::Inst& inst) {
  const ir::Type t = inst.type;
  const ValueId a = inst.args[0];
  const ir::Type at = TypeOf(a);
  const ir::FpMode m = ir::FpMode::Decode(inst.aux);
  Label slow, done;
  bool has_slow = true;  // whether the fast path can branch to `slow`
  switch (inst.op) {
    case Opcode::kFToSInt: {
      if ((t != ir::Type::kI32 && t != ir::Type::kI64) ||
          (at != ir::Type::kF32 && at != ir::Type::kF64)) {
        return false;
      }
      const bool trunc = m.rm == ir::RoundingMode::kTowardZero;
      if (!trunc && !EmitRoundingGuard(inst.aux, true, slow)) return false;
      LoadXmm(xmm0, a);
      const Xbyak::Reg& r = t == ir::Type::kI64 ? static_cast<const Xbyak::Reg&>(rax)
                                                : static_cast<const Xbyak::Reg&>(eax);
      if (at == ir::Type::kF64) {
        trunc ? cvttsd2si(r, xmm0) : cvtsd2si(r, xmm0);
      } else {
        trunc ? cvttss2si(r, xmm0) : cvtss2si(r, xmm0);
      }
      // The integer indefinite (MIN) also stands for NaN and out-of-range inputs: MIN - 1
      // overflows for MIN alone.
      cmp(r, 1);
      jo(slow, T_NEAR);
      Put(i, rax);
      break;
    }
    case Opcode::kSIntToF:
    case Opcode::kUIntToF: {
      if ((at != ir::Type::kI32 && at != ir::Type::kI64) ||
          (t != ir::Type::kF32 && t != ir::Type::kF64)) {
        return false;
      }
      const bool exact = t == ir::Type::kF64 && at == ir::Type::kI32;
      if (!EmitRoundingGuard(inst.aux, !exact, slow)) return false;
      Load(rax, a);
      const bool is_signed = inst.op == Opcode::kSIntToF;
      has_slow = !exact || (!is_signed && at == ir::Type::kI64);
      // Signed i32 converts from the 32-bit register; unsigned i32 is the zero-extended 64-bit
      // value; unsigned i64 from 2^63 up takes the reference's halving path.
      const Xbyak::Reg& src = is_signed && at == ir::Type::kI32
                                  ? static_cast<const Xbyak::Reg&>(eax)
                                  : static_cast<const Xbyak::Reg&>(rax);
      if (!is_signed && at == ir::Type::kI64) {
        test(rax, rax);
        js(slow, T_NEAR);
      }
      xorps(xmm0, xmm0);  // no dependency on the register's old contents
      if (t == ir::Type::kF64) {
        cvtsi2sd(xmm0, src);
        movq(rax, xmm0);
      } else {
        cvtsi2ss(xmm0, src);
        movd(eax, xmm0);
      }
      Put(i, rax);
      break;
    }
    case Opcode::kFConvert: {
      if (t == at) {
        Load(rax, a);
        Put(i, rax);
        return true;
      }
      if (t == ir::Type::kF64 && at == ir::Type::kF32) {
        LoadXmm(xmm0, a);
        cvtss2sd(xmm0, xmm0);
        movq(rax, xmm0);
        // A NaN result (the bits decide): the guest's NaN rule gives its bits.
        EmitFpResultCheck(true, false, slow);
      } else if (t == ir::Type::kF32 && at == ir::Type::kF64) {
        // Arm's rule also changes underflow detection on narrowing: the reference decides.
        if (m.nan == ir::NanRule::kArm) return false;
        if (!EmitRoundingGuard(inst.aux, true, slow)) return false;
        LoadXmm(xmm0, a);
        cvtsd2ss(xmm0, xmm0);
        movd(eax, xmm0);
        EmitFpResultCheck(false, false, slow);
      } else {
        return false;
      }
      Put(i, rax);
      break;
    }
    default: return false;
  }
  if (has_slow) {
    L(done);
    DeferColdSlowPath(i, slow, done);
  }
  return true;
}

}  // namespace polyvm::engine::jit::detail
