// Inline scalar FP ops beyond EmitFpArith's (which shares the result check here): FMulAdd,
// FMin/FMax and FRound. Each runs the host instruction the reference (ir/semantics) runs, so the
// result bits and MXCSR flags are the reference's, and branches to ColdOp for the few results the
// reference fixes up afterwards: NaN results (the NaN rule picks their bits) and, under Arm's
// rule, products and quotients of the smallest normal magnitude (Arm detects tininess before
// rounding, x86 after; they disagree only there). Re-running an op out of line raises the same
// sticky flags again, which changes nothing.
#include "compiler.h"
#include "host_caps.h"

namespace polyvm::engine::jit::detail {

// Branches to `slow` when the f32/f64 result in rax is a NaN, or (`min_normal`) is the smallest
// normal magnitude. Integer tests: an FP compare would raise the denormal flag on a denormal
// result, which the reference does not. Clobbers rcx.
void Compiler::EmitFpResultCheck(bool d, bool min_normal, const Label& slow) {
  if (d) {
    lea(rcx, ptr[rax + rax]);  // the bits without the sign
    cmp(rcx, qword[r13 + kHotF64NanAbove]);
    ja(slow, T_NEAR);
    if (min_normal) {
      cmp(rcx, qword[r13 + kHotF64MinNormal2]);
      je(slow, T_NEAR);
    }
  } else {
    lea(ecx, ptr[eax + eax]);
    cmp(ecx, 0xFF000000u);
    ja(slow, T_NEAR);
    if (min_normal) {
      cmp(ecx, 0x01000000u);
      je(slow, T_NEAR);
    }
  }
}

// FMulAdd a * b + c, fused, as the reference's vfmadd231 (on hosts with FMA; others: ColdOp,
// whose software path is the reference's there too).
bool Compiler::EmitFMulAdd(ValueId i, const ir::Inst& inst) {
  if (!HostCaps().fma) return false;
  const bool d = inst.type == ir::Type::kF64;
  Label slow, done;
  if (!EmitRoundingGuard(inst.aux, true, slow)) return false;
  LoadXmm(xmm0, inst.args[0]);
  LoadXmm(xmm1, inst.args[1]);
  LoadXmm(xmm2, inst.args[2]);
  d ? vfmadd231sd(xmm2, xmm0, xmm1) : vfmadd231ss(xmm2, xmm0, xmm1);
  d ? movq(rax, xmm2) : movd(eax, xmm2);
  EmitFpResultCheck(d, ir::FpMode::Decode(inst.aux).nan == ir::NanRule::kArm, slow);
  Put(i, rax);
  L(done);
  DeferColdSlowPath(i, slow, done);
  return true;
}

// FMin/FMax. MinMaxRule::kX86 is MINSD/MAXSD itself (what the reference runs). The other rules
// order the bits, raising no flag, unless an operand is a NaN (then ColdOp): the operands become
// integer keys (negative values get their magnitude bits flipped: sign-magnitude to two's
// complement, which also puts -0 below +0), one signed compare picks one, and the same flip
// (its own inverse) turns the key back into the value.
bool Compiler::EmitFMinMax(ValueId i, const ir::Inst& inst) {
  const bool d = inst.type == ir::Type::kF64;
  const bool is_max = inst.op == Opcode::kFMax;
  const auto rule = static_cast<ir::MinMaxRule>(ir::FpMode::Decode(inst.aux).rule);
  if (rule == ir::MinMaxRule::kX86) {
    LoadXmm(xmm0, inst.args[0]);
    LoadXmm(xmm1, inst.args[1]);
    if (is_max) {
      d ? maxsd(xmm0, xmm1) : maxss(xmm0, xmm1);
    } else {
      d ? minsd(xmm0, xmm1) : minss(xmm0, xmm1);
    }
    d ? movq(rax, xmm0) : movd(eax, xmm0);
    Put(i, rax);
    return true;
  }
  Label slow, done;
  auto w = [d](const Reg64& r) -> Xbyak::Reg {  // by value: cvt32() is a temporary
    return d ? Xbyak::Reg(r) : Xbyak::Reg(r.cvt32());
  };
  const int sign_shift = d ? 63 : 31;
  auto flip = [&](const Reg64& x) {
    mov(w(rdx), w(x));
    sar(w(rdx), sign_shift);
    shr(w(rdx), 1);
    xor_(w(x), w(rdx));
  };
  Load(rax, inst.args[0]);
  Load(rcx, inst.args[1]);
  flip(rax);
  flip(rcx);
  // NaNs are the keys above +inf's and below -inf's.
  if (d) {
    mov(rdx, uint64_t{0x7FF0000000000000});
    cmp(rax, rdx);
    jg(slow, T_NEAR);
    cmp(rcx, rdx);
    jg(slow, T_NEAR);
    not_(rdx);  // the key of -inf
    cmp(rax, rdx);
    jl(slow, T_NEAR);
    cmp(rcx, rdx);
    jl(slow, T_NEAR);
    cmp(rax, rcx);
  } else {
    cmp(eax, 0x7F800000);
    jg(slow, T_NEAR);
    cmp(ecx, 0x7F800000);
    jg(slow, T_NEAR);
    cmp(eax, static_cast<int32_t>(0x807FFFFFu));
    jl(slow, T_NEAR);
    cmp(ecx, static_cast<int32_t>(0x807FFFFFu));
    jl(slow, T_NEAR);
    cmp(eax, ecx);
  }
  // min: a if key(a) < key(b), else b; max: a if key(a) > key(b), else b.
  if (is_max) {
    d ? cmovle(rax, rcx) : cmovle(eax, ecx);
  } else {
    d ? cmovge(rax, rcx) : cmovge(eax, ecx);
  }
  flip(rax);
  Put(i, rax);
  L(done);
  DeferColdSlowPath(i, slow, done);
  return true;
}

// FRound: ROUNDSD/ROUNDSS with the mode as an immediate (bit 2: MXCSR.RC, the dynamic mode when
// the guest's is one x86 has; bit 3: no inexact unless `exact`), as the reference does.
bool Compiler::EmitFRound(ValueId i, const ir::Inst& inst) {
  if (!HostCaps().sse41) return false;
  const bool d = inst.type == ir::Type::kF64;
  const uint32_t rm = inst.aux & 7;
  const bool exact = ((inst.aux >> 8) & 1) != 0;
  // RISC-V rm order (rne, rtz, rdn, rup) to the x86 rounding-control encoding.
  constexpr uint8_t kRc[4] = {0, 3, 1, 2};
  uint8_t imm;
  Label slow, done;
  if (rm == static_cast<uint32_t>(ir::RoundingMode::kDynamic)) {
    if (!EmitRoundingGuard(inst.aux, true, slow)) return false;
    imm = 4;
  } else if (rm < static_cast<uint32_t>(ir::RoundingMode::kNearestMaxMag)) {
    imm = kRc[rm];
  } else {
    return false;
  }
  if (!exact) imm |= 8;
  LoadXmm(xmm0, inst.args[0]);
  d ? roundsd(xmm0, xmm0, imm) : roundss(xmm0, xmm0, imm);
  d ? movq(rax, xmm0) : movd(eax, xmm0);
  EmitFpResultCheck(d, false, slow);
  Put(i, rax);
  L(done);
  DeferColdSlowPath(i, slow, done);
  return true;
}

}  // namespace polyvm::engine::jit::detail
