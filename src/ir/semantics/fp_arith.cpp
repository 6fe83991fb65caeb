// FAdd, FSub, FMul, FDiv, FSqrt, FMulAdd and FRound. The fast path is one host instruction in the
// MXCSR rounding mode plus an integer NaN test of the result; other modes switch MXCSR.RC around
// the instruction, RMM (and FMA/SSE4.1-less hosts) go to soft_float, and a NaN result is replaced
// by the NanRule's NaN.
#include "fp_fzdn.h"
#include "fp_host.h"
#include "fp_nan.h"
#include "polyvm/ir/semantics/fp.h"
#include "soft_float.h"

namespace polyvm::ir::sem {
namespace {

// Everything but the fast path is out of line (and cold), so the fast path keeps its operands in
// XMM registers and stays a few instructions long.
#define POLYVM_SLOW [[gnu::noinline, gnu::cold]]

template <class F>
using SoftBin = BitsOf<F> (*)(BitsOf<F>, BitsOf<F>, soft::Ctx&);

template <class F>
F Finish(BitsOf<F> bits, const soft::Ctx& c) {
  RaiseFlags(c.flags);
  return FromBits<F>(bits);
}

// The biased exponent field of a result: all ones for NaN/inf, 1 for the smallest binade.
template <class F>
uint32_t ExpField(F r) {
  constexpr uint32_t kMask = (1u << (sizeof(F) == 4 ? 8 : 11)) - 1;
  return static_cast<uint32_t>(ToBits(r) >> FpTraits<F>::kMantBits) & kMask;
}
template <class F>
constexpr uint32_t kExpAllOnes = sizeof(F) == 4 ? 0xFF : 0x7FF;

// Arm detects tininess before rounding, x86 after; they disagree only for a result that rounds
// up to the smallest normal magnitude. For such a result under kArm, recompute in software and
// add the underflow flag the host did not raise.
template <class F, class SoftOp>
void ArmTininess(F r, uint32_t aux, RoundingMode dyn, SoftOp soft_op) {
  if (Abs<F>(ToBits(r)) != FpTraits<F>::kMinNormal || NanRuleOf(aux) != NanRule::kArm) return;
  soft::Ctx c = soft::MakeCtx(EffectiveRm(aux, dyn), aux);
  soft_op(c);
  RaiseFlags(c.flags & kFpUnderflow);
}

// A NaN or infinite host result of a two-operand op.
template <class F>
POLYVM_SLOW F Special2(F r, F a, F b, uint32_t aux) {
  NanRule rule = NanRuleOf(aux);
  if (!IsNaN<F>(ToBits(r)) || rule == NanRule::kX86) return r;
  return FromBits<F>(PickNaN2<F>(rule, ToBits(a), ToBits(b)));
}

// Returns r, so the caller need not keep it alive across the call.
template <class F, SoftBin<F> kSoft>
POLYVM_SLOW F ArmTininess2(F r, F a, F b, uint32_t aux, RoundingMode dyn) {
  ArmTininess(r, aux, dyn, [=](soft::Ctx& c) { kSoft(ToBits(a), ToBits(b), c); });
  return r;
}

template <class F, SoftBin<F> kSoft>
POLYVM_SLOW F SoftBinary(F a, F b, uint32_t rm, uint32_t aux) {
  soft::Ctx c = soft::MakeCtx(rm, aux);
  BitsOf<F> bits = kSoft(ToBits(a), ToBits(b), c);
  return Finish<F>(bits, c);
}

template <class F, F (*kHost)(F, F)>
POLYVM_SLOW F SwitchedBinary(F a, F b, uint32_t rm) {
  return WithRounding(rm, [&] { return kHost(a, b); });
}

template <class F, F (*kHost)(F, F), SoftBin<F> kSoft, bool kMayUnderflow>
F Binary(F a, F b, uint32_t aux, RoundingMode dyn) {
  F r;
  if (DynamicInHost(aux, dyn)) [[likely]] {
    r = kHost(a, b);
  } else {
    uint32_t rm = EffectiveRm(aux, dyn);
    if (rm == HostRm(static_cast<uint32_t>(dyn))) {
      r = kHost(a, b);
    } else if (rm != kRmm) {
      r = SwitchedBinary<F, kHost>(a, b, rm);
    } else {
      return SoftBinary<F, kSoft>(a, b, rm, aux);
    }
  }
  uint32_t e = ExpField(r);
  if (e == kExpAllOnes<F>) [[unlikely]]
    return Special2(r, a, b, aux);
  if constexpr (kMayUnderflow) {
    if (e == 1) [[unlikely]]
      return ArmTininess2<F, kSoft>(r, a, b, aux, dyn);
  }
  return r;
}

template <class F>
POLYVM_SLOW F SqrtSlow(F a, uint32_t aux, RoundingMode dyn) {
  uint32_t rm = EffectiveRm(aux, dyn);
  if (rm == kRmm) {
    soft::Ctx c = soft::MakeCtx(rm, aux);
    BitsOf<F> bits = soft::Sqrt<F>(ToBits(a), c);
    return Finish<F>(bits, c);
  }
  F r = rm == HostRm(static_cast<uint32_t>(dyn)) ? HostSqrt(a)
                                                 : WithRounding(rm, [&] { return HostSqrt(a); });
  NanRule rule = NanRuleOf(aux);
  if (!IsNaN<F>(ToBits(r)) || rule == NanRule::kX86) return r;
  return FromBits<F>(PickNaN1<F>(rule, ToBits(a)));
}

template <class F>
POLYVM_SLOW F Special1(F r, F a, uint32_t aux) {
  NanRule rule = NanRuleOf(aux);
  if (!IsNaN<F>(ToBits(r)) || rule == NanRule::kX86) return r;
  return FromBits<F>(PickNaN1<F>(rule, ToBits(a)));
}

template <class F>
POLYVM_SLOW F FmaSlow(F a, F b, F c, uint32_t aux, RoundingMode dyn) {
  uint32_t rm = EffectiveRm(aux, dyn);
  if (!g_host_caps.fma || rm == kRmm) {
    soft::Ctx ctx = soft::MakeCtx(rm, aux);
    BitsOf<F> bits = soft::Fma<F>(ToBits(a), ToBits(b), ToBits(c), ctx);
    return Finish<F>(bits, ctx);
  }
  return rm == HostRm(static_cast<uint32_t>(dyn))
             ? HostFma(a, b, c)
             : WithRounding(rm, [&] { return HostFma(a, b, c); });
}

// A NaN, infinite or smallest-binade host result of FMulAdd.
template <class F>
POLYVM_SLOW F FmaSpecial(F r, F a, F b, F c, uint32_t aux, RoundingMode dyn) {
  BitsOf<F> rb = ToBits(r);
  if (Abs<F>(rb) == FpTraits<F>::kMinNormal) {
    ArmTininess(r, aux, dyn,
                [&](soft::Ctx& ctx) { soft::Fma<F>(ToBits(a), ToBits(b), ToBits(c), ctx); });
    return r;
  }
  NanRule rule = NanRuleOf(aux);
  if (!IsNaN<F>(rb) || rule == NanRule::kX86) return r;
  BitsOf<F> ab = ToBits(a), bb = ToBits(b), cb = ToBits(c);
  bool inf_times_zero = (IsInf<F>(ab) && IsZero<F>(bb)) || (IsZero<F>(ab) && IsInf<F>(bb));
  // x86 returns a quiet addend without invalid here; RISC-V and Arm signal invalid.
  if (inf_times_zero && IsQNaN<F>(cb)) {
    RaiseFlags(kFpInvalid);
    if (rule == NanRule::kArm) return FromBits<F>(DefaultNaN<F>(rule));
  }
  return FromBits<F>(PickNaN3<F>(rule, ab, bb, cb));
}

template <class F>
POLYVM_SLOW F RoundSoft(F a, uint32_t rm, bool exact, uint32_t aux) {
  soft::Ctx c = soft::MakeCtx(rm, aux);
  BitsOf<F> bits = soft::RoundToIntegral<F>(ToBits(a), exact, c);
  return Finish<F>(bits, c);
}

}  // namespace

// Sums cannot differ: a sum with a result below 2^emin is exact, so tininess never matters.
template <class F>
F FAdd(F a, F b, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Add(a, b, aux, dyn);
  return Binary<F, HostAdd<F>, soft::Add<F>, false>(a, b, aux, dyn);
}
template <class F>
F FSub(F a, F b, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Sub(a, b, aux, dyn);
  return Binary<F, HostSub<F>, soft::Sub<F>, false>(a, b, aux, dyn);
}
template <class F>
F FMul(F a, F b, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Mul(a, b, aux, dyn);
  return Binary<F, HostMul<F>, soft::Mul<F>, true>(a, b, aux, dyn);
}
template <class F>
F FDiv(F a, F b, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Div(a, b, aux, dyn);
  return Binary<F, HostDiv<F>, soft::Div<F>, true>(a, b, aux, dyn);
}

// A square root is never tiny (its result is at least sqrt of the smallest subnormal).
template <class F>
F FSqrt(F a, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Sqrt(a, aux, dyn);
  if (!DynamicInHost(aux, dyn)) [[unlikely]]
    return SqrtSlow(a, aux, dyn);
  F r = HostSqrt(a);
  if (ExpField(r) == kExpAllOnes<F>) [[unlikely]]
    return Special1(r, a, aux);
  return r;
}

template <class F>
F FMulAdd(F a, F b, F c, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::MulAdd(a, b, c, aux, dyn);
  F r;
  if (DynamicInHost(aux, dyn) && g_host_caps.fma) [[likely]] {
    r = HostFma(a, b, c);
  } else {
    r = FmaSlow(a, b, c, aux, dyn);
    if (!g_host_caps.fma || EffectiveRm(aux, dyn) == kRmm) return r;  // software: final
  }
  uint32_t e = ExpField(r);
  if (e == kExpAllOnes<F> || e == 1) [[unlikely]]
    return FmaSpecial(r, a, b, c, aux, dyn);
  return r;
}

template <class F>
F FRound(F a, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Round(a, aux, dyn);
  uint32_t rm = EffectiveRm(aux, dyn);
  bool exact = ((aux >> 8) & 1) != 0;
  if (rm == kRmm || !g_host_caps.sse41) [[unlikely]]
    return RoundSoft(a, rm, exact, aux);
  // The mode is an immediate of ROUNDS*: no MXCSR change. Imm bit 3 suppresses inexact.
  F r;
  switch (rm * 2 + (exact ? 0 : 1)) {
    case kRne * 2: r = HostRoundImm<F, 0>(a); break;
    case kRne * 2 + 1: r = HostRoundImm<F, 8>(a); break;
    case kRdn * 2: r = HostRoundImm<F, 1>(a); break;
    case kRdn * 2 + 1: r = HostRoundImm<F, 9>(a); break;
    case kRup * 2: r = HostRoundImm<F, 2>(a); break;
    case kRup * 2 + 1: r = HostRoundImm<F, 10>(a); break;
    case kRtz * 2: r = HostRoundImm<F, 3>(a); break;
    default: r = HostRoundImm<F, 11>(a); break;
  }
  if (ExpField(r) == kExpAllOnes<F>) [[unlikely]]
    return Special1(r, a, aux);
  return r;
}

#define POLYVM_FP_ARITH_INSTANTIATE(F)                    \
  template F FAdd<F>(F, F, uint32_t, RoundingMode);       \
  template F FSub<F>(F, F, uint32_t, RoundingMode);       \
  template F FMul<F>(F, F, uint32_t, RoundingMode);       \
  template F FDiv<F>(F, F, uint32_t, RoundingMode);       \
  template F FSqrt<F>(F, uint32_t, RoundingMode);         \
  template F FMulAdd<F>(F, F, F, uint32_t, RoundingMode); \
  template F FRound<F>(F, uint32_t, RoundingMode);
POLYVM_FP_ARITH_INSTANTIATE(float)
POLYVM_FP_ARITH_INSTANTIATE(double)
#undef POLYVM_FP_ARITH_INSTANTIATE
#undef POLYVM_SLOW

}  // namespace polyvm::ir::sem
