// Emission of the FP environment ops and the scalar FP conversions. The guest's IEEE flags live in
// the host MXCSR while JIT code runs (the contract of cpu_header.h and ir/semantics/fp.h): reading
// or replacing them is stmxcsr/ldmxcsr and a table lookup, never a call. Conversions run the host
// instruction when MXCSR rounds as the op asks, and hand the rare results whose bits the guest's
// rules decide (integer indefinite, NaN) to the reference in ColdOp.
#include <algorithm>
#include <array>

#include "compiler.h"
#include "host_caps.h"

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
// they were at the branch), reloads i's register if it has one, and rejoins at `done`. The call
// clobbers the XMM registers: when the cache lives on after i (KeepFpResultInXmm ran for it),
// those the cache says hold values at `done` (i's own result among them) are loaded again from
// where the values are there; after any other op the cache is emptied anyway.
void Compiler::DeferColdSlowPath(ValueId i, Label slow, Label done) {
  CallPlan plan = PlanCall(i);
  plan.result_reg = reg_of_[i];
  std::vector<std::tuple<int, int, ValueId>> reload;  // xmm, pool register (or -1: slot), value
  for (int k = kXmmCacheFirst; k < 16 && xmm_kept_ == i; ++k) {
    const ValueId v = xmm_holds_[k];
    if (v != ir::kNoValue) reload.emplace_back(k, v == i ? plan.result_reg : reg_of_[v], v);
  }
  deferred_.push_back([this, plan, slow, done, reload = std::move(reload)]() mutable {
    L(slow);
    Cold(plan, false);
    for (auto [k, r, v] : reload) {
      if (r >= 0) {
        movq(Xbyak::Xmm(k), PoolReg(r));
      } else {
        movsd(Xbyak::Xmm(k), Slot(v));
      }
    }
    jmp(done, T_NEAR);
  });
}

// The value whose bits v is: through same-size Bitcasts (RISC-V's f registers are i64 fields).
ValueId Compiler::FpRoot(ValueId v) const {
  v = R(v);
  while (b_.insts[v].op == Opcode::kBitcast &&
         ir::ByteSize(b_.insts[v].type) == ir::ByteSize(TypeOf(b_.insts[v].args[0])) &&
         ir::ByteSize(b_.insts[v].type) <= 8) {
    v = R(b_.insts[v].args[0]);
  }
  return v;
}

// The cache register holding v's bits, or -1 (always -1 in out-of-line code).
int Compiler::XmmHolding(ValueId v) const {
  if (deferred_mode_) return -1;
  const ValueId root = FpRoot(v);
  for (int k = kXmmCacheFirst; k < 16; ++k) {
    if (xmm_holds_[k] == root) return k;
  }
  return -1;
}

// a into xmm0; b (unless kNoValue) into xmm1 or left in the cache register holding it: the
// register to use as the op's second operand.
const Xbyak::Xmm& Compiler::LoadFpOperands(ValueId a, ValueId b) {
  static const Xbyak::Xmm kXmm[16] = {xmm0, xmm1, xmm2,  xmm3,  xmm4,  xmm5,  xmm6,  xmm7,
                                      xmm8, xmm9, xmm10, xmm11, xmm12, xmm13, xmm14, xmm15};
  if (const int ka = XmmHolding(a); ka >= 0) {
    movaps(xmm0, kXmm[ka]);
  } else {
    LoadXmm(xmm0, a);
  }
  if (b == ir::kNoValue) return xmm1;
  if (const int kb = XmmHolding(b); kb >= 0) return kXmm[kb];
  LoadXmm(xmm1, b);
  return xmm1;
}

// Analyze: the values (FpRoot) that the FP arithmetic ops, which may read them from the cache,
// take as operands. Only these go to the cache (a result only stored costs no movaps).
void Compiler::MarkFpOperands() {
  fp_operand_.assign(b_.insts.size(), 0);
  for (const ir::Inst& inst : b_.insts) {
    switch (inst.op) {
      case Opcode::kFAdd:
      case Opcode::kFSub:
      case Opcode::kFMul:
      case Opcode::kFDiv:
      case Opcode::kFSqrt:
        for (unsigned k = 0; k < inst.NumArgs(); ++k) fp_operand_[FpRoot(inst.args[k])] = 1;
        break;
      default: break;
    }
  }
}

// After an inline scalar FP op: its result (in xmm0) also goes to a cache register, one holding
// nothing or a value no op reads any more if there is one. Call before DeferColdSlowPath.
void Compiler::KeepFpResultInXmm(ValueId i) {
  if (owner_->system || deferred_mode_) return;
  xmm_kept_ = i;  // the cache survives this op: its slow path loads it again
  // Values dead after this op leave the cache: their registers may hold other values at `done`.
  for (int j = kXmmCacheFirst; j < 16; ++j) {
    const ValueId v = xmm_holds_[j];
    if (v != ir::kNoValue && last_use_[v] <= static_cast<int>(cur_)) xmm_holds_[j] = ir::kNoValue;
  }
  if (!fp_operand_[i]) return;  // no FP op reads the result: no copy of it
  int k = -1;
  for (int j = kXmmCacheFirst; j < 16 && k < 0; ++j) {
    if (xmm_holds_[j] == ir::kNoValue) k = j;
  }
  if (k < 0) {
    k = xmm_next_;
    xmm_next_ = xmm_next_ == 15 ? kXmmCacheFirst : xmm_next_ + 1;
  }
  // The VEX form: with the legacy movaps matmul's loop ran 14% slower (measured on the
  // development machine, an Emerald Rapids Xeon; a vzeroupper at block entry did not help).
  if (HostCaps().avx) {
    vmovaps(Xbyak::Xmm(k), xmm0);
  } else {
    movaps(Xbyak::Xmm(k), xmm0);
  }
  xmm_holds_[k] = i;
}

// Ops whose code leaves xmm4-xmm15 alone, with no out-of-line path that comes back (one that
// leaves the block may do anything): guest register moves of up to 64 bits (and AArch64's widened
// scalar writes, which store the scalar and a zero quadword), register-to-register width changes,
// the integer ops always emitted inline, side exits, user-mode scalar loads and stores (their
// failure paths leave the block).
bool Compiler::PreservesXmmCache(const ir::Inst& inst) const {
  if (owner_->system) return false;  // soft-MMU slow paths call out and come back
  switch (inst.op) {
    case Opcode::kConst:
    case Opcode::kGuestInsn:
    case Opcode::kExitIf: return true;
    case Opcode::kGetReg: return ir::ByteSize(inst.type) <= 8;
    case Opcode::kSetReg:
      return ir::ByteSize(TypeOf(inst.args[0])) <= 8 ||
             WidenedStoreSource(inst.args[0]) != ir::kNoValue;
    case Opcode::kBitcast:
    case Opcode::kZExt:
    case Opcode::kSExt:
    case Opcode::kTrunc:
      return ir::ByteSize(inst.type) <= 8 && ir::ByteSize(TypeOf(inst.args[0])) <= 8;
    case Opcode::kLoad: return ir::ByteSize(inst.type) <= 8 && inst.aux == 0;
    case Opcode::kStore: return ir::ByteSize(TypeOf(inst.args[1])) <= 8 && inst.aux == 0;
    default: return !MaySync(inst);
  }
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
