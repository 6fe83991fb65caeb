// Conversions: float -> integer (FToSInt, FToUInt), integer -> float (SIntToF, UIntToF) and
// f32 <-> f64 (FConvert). Values that cannot go wrong take one host instruction; NaN, out of
// range, unsigned 64-bit and RMM cases are decided exactly on the bits by soft_float.
//
// Out-of-range and NaN results by CvtRule (invalid raised, inexact not):
//   kSaturateNanMax   (RISC-V)  NaN -> max; too large -> max; too small -> min (0 if unsigned)
//   kSaturateNanZero  (Arm)     NaN -> 0;   too large -> max; too small -> min (0 if unsigned)
//   kIndefinite       (x86)     signed: the MIN value for all of them (CVTTSD2SI); unsigned:
//                               all ones for all of them (AVX-512 VCVTTSD2USI: 2^w - 1)
// A negative value that rounds to 0 converts to unsigned 0 with inexact, not invalid.
#include <limits>
#include <type_traits>

#include "fp_fzdn.h"
#include "fp_host.h"
#include "fp_nan.h"
#include "polyvm/ir/semantics/fp.h"
#include "soft_float.h"

namespace polyvm::ir::sem {
namespace {

// The smallest magnitude (as bits of F) from which rounding to I might leave I's range: below it
// every rounding mode gives a representable value, so the host instruction cannot fail.
template <class I, class F>
constexpr BitsOf<F> SafeBound() {
  constexpr bool kFloat = std::is_same_v<F, float>;
  if constexpr (std::is_same_v<I, int32_t>) {
    return kFloat ? 0x4F000000u : 0x41DFFFFFFFC00000u;  // 2^31 : 2^31 - 1
  } else if constexpr (std::is_same_v<I, uint32_t>) {
    return kFloat ? 0x4F800000u : 0x41EFFFFFFFE00000u;  // 2^32 : 2^32 - 1
  } else {
    // int64: 2^63; uint64: values below 2^63 go through the signed 64-bit instruction.
    return kFloat ? 0x5F000000u : 0x43E0000000000000u;
  }
}

template <class I>
I OutOfRange(const soft::IntValue& v, uint32_t aux) {
  auto rule = static_cast<CvtRule>((aux >> 5) & 3);
  constexpr I kMin = std::numeric_limits<I>::min(), kMax = std::numeric_limits<I>::max();
  RaiseFlags(kFpInvalid);
  if (rule == CvtRule::kIndefinite) return std::is_signed_v<I> ? kMin : kMax;
  if (v.nan) return rule == CvtRule::kSaturateNanZero ? I{0} : kMax;
  return v.neg ? kMin : kMax;
}

// The exact conversion on the bits, for every value and mode.
template <class I, class F>
I SoftToInt(F a, uint32_t rm, uint32_t aux) {
  using U = std::make_unsigned_t<I>;
  soft::IntValue v = soft::RoundToInt<F>(ToBits(a), rm);
  if (!v.nan && !v.huge) {
    constexpr uint64_t kMax = static_cast<uint64_t>(std::numeric_limits<I>::max());
    bool fits = v.neg ? (std::is_signed_v<I> ? v.mag <= kMax + 1 : v.mag == 0) : v.mag <= kMax;
    if (fits) {
      if (v.inexact) RaiseFlags(kFpInexact);
      U mag = static_cast<U>(v.mag);
      return static_cast<I>(v.neg ? static_cast<U>(U{0} - mag) : mag);
    }
  }
  return OutOfRange<I>(v, aux);
}

// In-range conversion on the host, to a signed integer H of I's width (64 bits for unsigned).
template <class I, class F>
I HostToInt(F a, uint32_t rm, uint32_t aux, RoundingMode dyn) {
  using H = std::conditional_t<std::is_same_v<I, int32_t>, int32_t, int64_t>;
  if (rm == kRtz) return static_cast<I>(HostCvtTrunc<H>(a));
  if (DynamicInHost(aux, dyn) || rm == HostRm(static_cast<uint32_t>(dyn)))
    return static_cast<I>(HostCvt<H>(a));
  if (rm == kRmm) return SoftToInt<I, F>(a, rm, aux);
  if (g_host_caps.sse41) {
    // Round to integral with the mode as an immediate (inexact raised as by the conversion),
    // then truncate exactly: no MXCSR write. Common for RISC-V floor/ceil (fcvt with rdn/rup).
    F r = rm == kRdn   ? HostRoundImm<F, 1>(a)
          : rm == kRup ? HostRoundImm<F, 2>(a)
                       : HostRoundImm<F, 0>(a);
    return static_cast<I>(HostCvtTrunc<H>(r));
  }
  return static_cast<I>(WithRounding(rm, [&] { return HostCvt<H>(a); }));
}

template <class I, class F>
I ToInt(F a, uint32_t aux, RoundingMode dyn) {
  uint32_t rm = EffectiveRm(aux, dyn);
  BitsOf<F> bits = ToBits(a);
  // Unsigned: a set sign bit fails the test, so negative values take the exact path.
  BitsOf<F> magnitude = std::is_signed_v<I> ? Abs<F>(bits) : bits;
  if (magnitude < SafeBound<I, F>()) [[likely]]
    return HostToInt<I, F>(a, rm, aux, dyn);
  return SoftToInt<I, F>(a, rm, aux);
}

// Signed 64-bit (or narrower) integer to F in the op's mode.
template <class F, class I>
F FromSigned(I a, uint32_t aux, RoundingMode dyn) {
  if constexpr (std::is_same_v<F, double> && sizeof(I) == 4) {
    return HostCvtFromInt<F>(a);  // exact in every mode
  } else {
    uint32_t rm = 0;
    if (DynamicInHost(aux, dyn) ||
        (rm = EffectiveRm(aux, dyn)) == HostRm(static_cast<uint32_t>(dyn))) [[likely]]
      return HostCvtFromInt<F>(a);
    if (rm != kRmm) return WithRounding(rm, [&] { return HostCvtFromInt<F>(a); });
    soft::Ctx c = soft::MakeCtx(rm, aux);
    uint64_t mag = a < 0 ? uint64_t{0} - static_cast<uint64_t>(a) : static_cast<uint64_t>(a);
    BitsOf<F> r = soft::FromInt<F>(a < 0, mag, c);
    RaiseFlags(c.flags);
    return FromBits<F>(r);
  }
}

// Unsigned values of 2^63 and above: halve with the lost bit kept as a sticky bit (it lies far
// below F's rounding position, so every mode rounds the same), convert, and double exactly.
template <class F>
F FromUnsignedTop(uint64_t a) {
  F half = HostCvtFromInt<F>(static_cast<int64_t>((a >> 1) | (a & 1)));
  return HostAdd(half, half);
}

}  // namespace

template <class I, class F>
I FToSInt(F a, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::ToSInt<I, F>(a, aux, dyn);
  return ToInt<I, F>(a, aux, dyn);
}
template <class I, class F>
I FToUInt(F a, uint32_t aux, RoundingMode dyn) {
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::ToUInt<I, F>(a, aux, dyn);
  return ToInt<I, F>(a, aux, dyn);
}

template <class F, class I>
F SIntToF(I a, uint32_t aux, RoundingMode dyn) {
  return FromSigned<F, I>(a, aux, dyn);
}

template <class F, class I>
F UIntToF(I a, uint32_t aux, RoundingMode dyn) {
  if constexpr (sizeof(I) == 4) {
    return FromSigned<F, int64_t>(static_cast<int64_t>(a), aux, dyn);
  } else {
    if (static_cast<int64_t>(a) >= 0) [[likely]]
      return FromSigned<F, int64_t>(static_cast<int64_t>(a), aux, dyn);
    uint32_t rm = EffectiveRm(aux, dyn);
    if (DynamicInHost(aux, dyn) || rm == HostRm(static_cast<uint32_t>(dyn)))
      return FromUnsignedTop<F>(a);
    if (rm != kRmm) return WithRounding(rm, [&] { return FromUnsignedTop<F>(a); });
    soft::Ctx c = soft::MakeCtx(rm, aux);
    BitsOf<F> r = soft::FromInt<F>(false, a, c);
    RaiseFlags(c.flags);
    return FromBits<F>(r);
  }
}

// f64 -> f32 rounds; f32 -> f64 is exact. A NaN keeps its sign and payload (quieted, top bits on
// narrowing) under kArm and kX86, which agree; kCanonical gives the canonical NaN.
template <class To, class From>
To FConvert(From a, uint32_t aux, RoundingMode dyn) {
  static_assert(!std::is_same_v<To, From>);
  if (fzdn::Applies(aux)) [[unlikely]]
    return fzdn::Convert<To, From>(a, aux, dyn);
  To r;
  if constexpr (std::is_same_v<To, double>) {
    r = HostWiden(a);
  } else {
    uint32_t rm = 0;
    if (DynamicInHost(aux, dyn) ||
        (rm = EffectiveRm(aux, dyn)) == HostRm(static_cast<uint32_t>(dyn))) [[likely]] {
      r = HostNarrow(a);
    } else if (rm != kRmm) {
      r = WithRounding(rm, [&] { return HostNarrow(a); });
    } else {
      soft::Ctx c = soft::MakeCtx(rm, aux);
      uint32_t bits = soft::Narrow(ToBits(a), c);
      RaiseFlags(c.flags);
      return FromBits<float>(bits);
    }
    if (Abs<float>(ToBits(r)) == FpTraits<float>::kMinNormal && NanRuleOf(aux) == NanRule::kArm)
        [[unlikely]] {
      // Arm's tininess-before-rounding (see FMul).
      soft::Ctx c = soft::MakeCtx(EffectiveRm(aux, dyn), aux);
      soft::Narrow(ToBits(a), c);
      RaiseFlags(c.flags & kFpUnderflow);
    }
  }
  if (IsNaN<To>(ToBits(r)) && NanRuleOf(aux) == NanRule::kCanonical) [[unlikely]]
    return FromBits<To>(FpTraits<To>::kCanonicalNaN);
  return r;
}

#define POLYVM_FP_TO_INT(I, F) template I FToSInt<I, F>(F, uint32_t, RoundingMode);
#define POLYVM_FP_TO_UINT(I, F) template I FToUInt<I, F>(F, uint32_t, RoundingMode);
#define POLYVM_INT_TO_FP(F, I) template F SIntToF<F, I>(I, uint32_t, RoundingMode);
#define POLYVM_UINT_TO_FP(F, I) template F UIntToF<F, I>(I, uint32_t, RoundingMode);
POLYVM_FP_TO_INT(int32_t, float)
POLYVM_FP_TO_INT(int32_t, double)
POLYVM_FP_TO_INT(int64_t, float)
POLYVM_FP_TO_INT(int64_t, double)
POLYVM_FP_TO_UINT(uint32_t, float)
POLYVM_FP_TO_UINT(uint32_t, double)
POLYVM_FP_TO_UINT(uint64_t, float)
POLYVM_FP_TO_UINT(uint64_t, double)
POLYVM_INT_TO_FP(float, int32_t)
POLYVM_INT_TO_FP(double, int32_t)
POLYVM_INT_TO_FP(float, int64_t)
POLYVM_INT_TO_FP(double, int64_t)
POLYVM_UINT_TO_FP(float, uint32_t)
POLYVM_UINT_TO_FP(double, uint32_t)
POLYVM_UINT_TO_FP(float, uint64_t)
POLYVM_UINT_TO_FP(double, uint64_t)
#undef POLYVM_FP_TO_INT
#undef POLYVM_FP_TO_UINT
#undef POLYVM_INT_TO_FP
#undef POLYVM_UINT_TO_FP
template float FConvert<float, double>(double, uint32_t, RoundingMode);
template double FConvert<double, float>(float, uint32_t, RoundingMode);

}  // namespace polyvm::ir::sem
