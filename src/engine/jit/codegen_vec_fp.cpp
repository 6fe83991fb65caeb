// Vector FP ops inline (lane 2 = f32 x4, lane 3 = f64 x2). The reference applies the scalar rules
// lane by lane with the host's scalar instructions; the packed instruction raises the same flags
// (the union of the lanes') and gives the same bits for every lane whose result is not a NaN. So,
// as for scalars (codegen_fp_arm.cpp), the whole op goes to ColdOp when any lane's result is a
// NaN or, for products and quotients under Arm's rule, the smallest normal magnitude; those lane
// tests are integer compares (an FP compare would raise the denormal flag on denormal results).
#include "compiler.h"
#include "host_caps.h"

namespace polyvm::engine::jit::detail {
namespace {

// What the f64 lane tests need beyond SSE2: pcmpgtq (SSE4.2) and pcmpeqq (SSE4.1).
bool LaneTestsOk(bool d) { return !d || (HostCaps().sse42 && HostCaps().sse41); }

}  // namespace

// Branches to `slow` if a lane of the result in xmm0 is a NaN (or, `min_normal`, the smallest
// normal magnitude). Clobbers xmm1, xmm2, eax.
void Compiler::EmitVecFpResultCheck(bool d, bool min_normal, const Label& slow) {
  const uint64_t abs = d ? 0x7FFFFFFFFFFFFFFFull : 0x7FFFFFFF7FFFFFFFull;
  const uint64_t inf = d ? 0x7FF0000000000000ull : 0x7F8000007F800000ull;
  const uint64_t min = d ? 0x0010000000000000ull : 0x0080000000800000ull;
  LoadVConst(xmm1, abs, abs);
  pand(xmm1, xmm0);
  if (min_normal) {
    LoadVConst(xmm2, min, min);
    d ? pcmpeqq(xmm2, xmm1) : pcmpeqd(xmm2, xmm1);
    pmovmskb(eax, xmm2);
    test(eax, eax);
    jnz(slow, T_NEAR);
  }
  LoadVConst(xmm2, inf, inf);
  d ? pcmpgtq(xmm1, xmm2) : pcmpgtd(xmm1, xmm2);  // |r| > inf: NaN
  pmovmskb(eax, xmm1);
  test(eax, eax);
  jnz(slow, T_NEAR);
}

bool Compiler::EmitVecFp(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if (lane != 2 && lane != 3) return false;
  const bool d = lane == 3;
  if (!LaneTestsOk(d)) return false;
  const Opcode op = inst.op;
  const ir::FpMode m = ir::FpMode::Decode(inst.aux);
  if (op == Opcode::kVFMulAdd && !HostCaps().fma) return false;
  Label slow, done;
  if (!EmitRoundingGuard(inst.aux, true, slow)) return false;
  LoadV(xmm0, inst.args[0]);
  if (op != Opcode::kVFSqrt) LoadV(xmm1, inst.args[1]);
  switch (op) {
    case Opcode::kVFAdd: d ? addpd(xmm0, xmm1) : addps(xmm0, xmm1); break;
    case Opcode::kVFSub: d ? subpd(xmm0, xmm1) : subps(xmm0, xmm1); break;
    case Opcode::kVFMul: d ? mulpd(xmm0, xmm1) : mulps(xmm0, xmm1); break;
    case Opcode::kVFDiv: d ? divpd(xmm0, xmm1) : divps(xmm0, xmm1); break;
    case Opcode::kVFSqrt: d ? sqrtpd(xmm0, xmm0) : sqrtps(xmm0, xmm0); break;
    default:  // kVFMulAdd: a * b + c
      LoadV(xmm2, inst.args[2]);
      d ? vfmadd213pd(xmm0, xmm1, xmm2) : vfmadd213ps(xmm0, xmm1, xmm2);
      break;
  }
  const bool tiny = m.nan == ir::NanRule::kArm &&
                    (op == Opcode::kVFMul || op == Opcode::kVFDiv || op == Opcode::kVFMulAdd);
  EmitVecFpResultCheck(d, tiny, slow);
  StoreV(i, xmm0);
  L(done);
  DeferColdSlowPath(i, slow, done);
  return true;
}

// VFCmp*: VCMPPS/PD with the predicate whose NaN signalling matches the scalar compare the
// reference runs per lane (COMIS* when `signaling`, else UCOMIS*).
bool Compiler::EmitVecFpCompare(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if ((lane != 2 && lane != 3) || !HostCaps().avx) return false;
  const bool d = lane == 3;
  const bool sig = ir::FpMode::Decode(inst.aux).signaling;
  uint8_t pred;
  switch (inst.op) {
    case Opcode::kVFCmpEq: pred = sig ? 0x10 : 0x00; break;  // EQ_OS / EQ_OQ
    case Opcode::kVFCmpLt: pred = sig ? 0x01 : 0x11; break;  // LT_OS / LT_OQ
    case Opcode::kVFCmpLe: pred = sig ? 0x02 : 0x12; break;  // LE_OS / LE_OQ
    default: pred = sig ? 0x13 : 0x03; break;                // UNORD_S / UNORD_Q
  }
  LoadV(xmm0, inst.args[0]);
  LoadV(xmm1, inst.args[1]);
  d ? vcmppd(xmm0, xmm0, xmm1, pred) : vcmpps(xmm0, xmm0, xmm1, pred);
  StoreV(i, xmm0);
  return true;
}

// VFMin/VFMax. MinMaxRule::kX86: MINPS/MAXPS (per lane what the reference's MINSS/MAXSS give).
// Other rules, as the scalar ones (EmitFMinMax): integer keys, no flags, ColdOp on a NaN lane.
bool Compiler::EmitVecFMinMax(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if (lane != 2 && lane != 3) return false;
  const bool d = lane == 3;
  const bool is_max = inst.op == Opcode::kVFMax;
  const auto rule = static_cast<ir::MinMaxRule>(ir::FpMode::Decode(inst.aux).rule);
  if (rule != ir::MinMaxRule::kX86 && !LaneTestsOk(d)) return false;
  LoadV(xmm0, inst.args[0]);
  LoadV(xmm1, inst.args[1]);
  if (rule == ir::MinMaxRule::kX86) {
    if (is_max) {
      d ? maxpd(xmm0, xmm1) : maxps(xmm0, xmm1);
    } else {
      d ? minpd(xmm0, xmm1) : minps(xmm0, xmm1);
    }
    StoreV(i, xmm0);
    return true;
  }
  // x ^= (each lane's sign spread over it) >> 1: sign-magnitude to two's complement and back.
  auto flip = [&](const Xbyak::Xmm& x, const Xbyak::Xmm& t) {
    movdqa(t, x);
    psrad(t, 31);
    if (d) pshufd(t, t, 0xF5);  // each qword's high dword sign into both of its dwords
    d ? psrlq(t, 1) : psrld(t, 1);
    pxor(x, t);
  };
  flip(xmm0, xmm2);
  flip(xmm1, xmm2);
  Label slow, done;
  // A NaN lane: a key above +inf's or below -inf's.
  const uint64_t pinf = d ? 0x7FF0000000000000ull : 0x7F8000007F800000ull;
  const uint64_t ninf = d ? 0x800FFFFFFFFFFFFFull : 0x807FFFFF807FFFFFull;
  auto gt = [&](const Xbyak::Xmm& a, const Xbyak::Xmm& b) { d ? pcmpgtq(a, b) : pcmpgtd(a, b); };
  for (const Xbyak::Xmm* x : {&xmm0, &xmm1}) {
    movdqa(xmm2, *x);
    LoadVConst(xmm3, pinf, pinf);
    gt(xmm2, xmm3);
    pmovmskb(eax, xmm2);
    test(eax, eax);
    jnz(slow, T_NEAR);
    LoadVConst(xmm2, ninf, ninf);
    gt(xmm2, *x);
    pmovmskb(eax, xmm2);
    test(eax, eax);
    jnz(slow, T_NEAR);
  }
  // mask = key(a) > key(b); min takes b there, max takes a there.
  movdqa(xmm2, xmm0);
  gt(xmm2, xmm1);
  if (is_max) {
    pand(xmm0, xmm2);   // a where a > b
    pandn(xmm2, xmm1);  // b elsewhere
  } else {
    pand(xmm1, xmm2);   // b where a > b
    pandn(xmm2, xmm0);  // a elsewhere
    movdqa(xmm0, xmm1);
  }
  por(xmm0, xmm2);
  flip(xmm0, xmm2);
  StoreV(i, xmm0);
  L(done);
  DeferColdSlowPath(i, slow, done);
  return true;
}

// VSIntToF: CVTDQ2PS for i32 lanes; two CVTSI2SD for i64 lanes (SSE has no packed form), the
// reference's host conversion per lane, in the mode EmitRoundingGuard checks. Never NaN.
bool Compiler::EmitVecIntToFp(ValueId i, const ir::Inst& inst) {
  const unsigned lane = inst.lane;
  if (lane != 2 && lane != 3) return false;
  Label slow, done;
  if (!EmitRoundingGuard(inst.aux, true, slow)) return false;
  const ValueId a = inst.args[0];
  if (lane == 2) {
    LoadV(xmm0, a);
    cvtdq2ps(xmm0, xmm0);
  } else {
    Materialize(a);
    mov(rax, qword[SlotAddr(a)]);
    mov(rcx, qword[SlotAddr(a) + 8]);
    xorps(xmm0, xmm0);  // no dependency on the registers' old contents
    xorps(xmm1, xmm1);
    cvtsi2sd(xmm0, rax);
    cvtsi2sd(xmm1, rcx);
    unpcklpd(xmm0, xmm1);
  }
  StoreV(i, xmm0);
  L(done);
  DeferColdSlowPath(i, slow, done);
  return true;
}

}  // namespace polyvm::engine::jit::detail
