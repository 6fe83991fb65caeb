// FMin/FMax by MinMaxRule and the FCmp* comparisons. Min/max other than kX86 work on the bits
// (no host FP instruction, so the only flag is the invalid they raise themselves); kX86 and the
// comparisons are the host's own MINS*/MAXS* and (U)COMIS* instructions.
#include "fp_fzdn.h"
#include "fp_host.h"
#include "fp_nan.h"
#include "polyvm/ir/semantics/fp.h"

namespace polyvm::ir::sem {
namespace {

template <class F>
F NaNOf(NanRule rule, BitsOf<F> a, BitsOf<F> b) {
  return FromBits<F>(PickNaN2<F>(rule, a, b));
}

// A NaN operand under the three non-x86 rules (slow path).
template <class F, bool kMax>
F MinMaxNaN(BitsOf<F> a, BitsOf<F> b, MinMaxRule rule, NanRule nan) {
  bool an = IsNaN<F>(a), bn = IsNaN<F>(b);
  bool as = IsSNaN<F>(a), bs = IsSNaN<F>(b);
  if (as || bs) RaiseFlags(kFpInvalid);
  switch (rule) {
    case MinMaxRule::kIeeeNumber:
      // IEEE 754-2019 minimumNumber/maximumNumber (RISC-V fmin/fmax): a NaN operand, even a
      // signalling one, yields the other operand; two NaNs give a NaN.
      if (an && bn) return NaNOf<F>(nan, a, b);
      return FromBits<F>(an ? b : a);
    case MinMaxRule::kArmNum: {
      // Arm FPMinNum/FPMaxNum: a single quiet NaN becomes +inf (min) or -inf (max), then FPMin/
      // FPMax, which processes any remaining (signalling) NaN.
      constexpr BitsOf<F> kNeutral = FpTraits<F>::kInf | (kMax ? FpTraits<F>::kSign : 0);
      bool aq = an && !as, bq = bn && !bs;
      if (aq && !bq) {
        if (!bn) return FromBits<F>(b);
        return NaNOf<F>(nan, kNeutral, b);
      }
      if (bq && !aq) {
        if (!an) return FromBits<F>(a);
        return NaNOf<F>(nan, a, kNeutral);
      }
      return NaNOf<F>(nan, a, b);
    }
    default:  // kArm: FPMin/FPMax
      return NaNOf<F>(nan, a, b);
  }
}

template <class F, bool kMax>
F MinMax(F a, F b, uint32_t aux) {
  auto rule = static_cast<MinMaxRule>((aux >> 5) & 3);
  if (rule == MinMaxRule::kX86) return kMax ? HostMax(a, b) : HostMin(a, b);
  BitsOf<F> ab = ToBits(a), bb = ToBits(b);
  if (IsNaN<F>(ab) || IsNaN<F>(bb)) [[unlikely]]
    return MinMaxNaN<F, kMax>(ab, bb, rule, NanRuleOf(aux));
  // -0 orders below +0 in every non-x86 rule.
  bool a_below = OrderKey<F>(ab) < OrderKey<F>(bb);
  return (a_below != kMax) ? a : b;
}

bool Signaling(uint32_t aux) { return ((aux >> 7) & 1) != 0; }

}  // namespace

// kX86 returns exactly what MINSS/MAXSS return (the second operand when unordered or both zero,
// a signalling NaN unquieted), whatever the NanRule.
template <class F>
F FMin(F a, F b, uint32_t aux) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Min(a, b, aux);
  return MinMax<F, false>(a, b, aux);
}
template <class F>
F FMax(F a, F b, uint32_t aux) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Max(a, b, aux);
  return MinMax<F, true>(a, b, aux);
}

template <class F>
bool FCmpEq(F a, F b, uint32_t aux) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Cmp(0, a, b, aux);
  HostCmp c = Signaling(aux) ? HostCompare<F, true>(a, b) : HostCompare<F, false>(a, b);
  return c.zero && !c.parity;
}
// a < b as b > a: "above" is false when unordered.
template <class F>
bool FCmpLt(F a, F b, uint32_t aux) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Cmp(1, a, b, aux);
  return Signaling(aux) ? HostCompare<F, true>(b, a).above : HostCompare<F, false>(b, a).above;
}
template <class F>
bool FCmpLe(F a, F b, uint32_t aux) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Cmp(2, a, b, aux);
  return Signaling(aux) ? HostCompare<F, true>(b, a).above_eq
                        : HostCompare<F, false>(b, a).above_eq;
}
template <class F>
bool FCmpUn(F a, F b, uint32_t aux) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Cmp(3, a, b, aux);
  return Signaling(aux) ? HostCompare<F, true>(a, b).parity : HostCompare<F, false>(a, b).parity;
}

#define POLYVM_FP_CMP_INSTANTIATE(F)       \
  template F FMin<F>(F, F, uint32_t);      \
  template F FMax<F>(F, F, uint32_t);      \
  template bool FCmpEq<F>(F, F, uint32_t); \
  template bool FCmpLt<F>(F, F, uint32_t); \
  template bool FCmpLe<F>(F, F, uint32_t); \
  template bool FCmpUn<F>(F, F, uint32_t);
POLYVM_FP_CMP_INSTANTIATE(float)
POLYVM_FP_CMP_INSTANTIATE(double)
#undef POLYVM_FP_CMP_INSTANTIATE

}  // namespace polyvm::ir::sem
