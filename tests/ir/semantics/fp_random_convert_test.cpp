// Randomized checks of the conversions and FRound against the C library under fesetround:
// nearbyint/round give the integral value (round() is ties-away, for RMM), the range rule comes
// from the ISA manuals (see fp_convert_test.cpp); integer -> float is checked through x87 long
// double, which holds any 64-bit integer exactly and rounds once to F; f64 -> f32 against the
// host's own conversion, RMM by comparing with the exact midpoint.
#include <cmath>
#include <limits>

#include "fp_host.h"
#include "fp_random.h"

namespace polyvm::ir::sem::testing {
namespace {

constexpr RoundingMode kAllModes[] = {kRNE, kRTZ, kRDN, kRUP, kRMM};

double ConvValue(Gen& g) {
  double sign = g.Coin() ? -1.0 : 1.0;
  switch (g.Below(8)) {
    case 0: return g.Any<double>();
    case 1: {  // around the bounds of the integer types
      const double bounds[] = {0.0,
                               1.0,
                               16777216.0,
                               2147483648.0,
                               4294967296.0,
                               4503599627370496.0,
                               9007199254740992.0,
                               9223372036854775808.0,
                               18446744073709551616.0};
      double x = bounds[g.Below(sizeof bounds / sizeof bounds[0])];
      double offsets[] = {0.0, 0.5, 1.0, 1.5, 0.25};
      x += offsets[g.Below(5)] * (g.Coin() ? 1 : -1);
      for (uint64_t k = g.Below(4); k > 0; --k) x = std::nextafter(x, g.Coin() ? 1e300 : -1e300);
      return sign * x;
    }
    case 2: {  // half-integers: ties
      uint64_t m = g.U64() >> (12 + g.Below(52));
      return sign * (static_cast<double>(m) + 0.5);
    }
    case 3:
      return sign *
             std::ldexp(static_cast<double>(g.U64() >> 11), -53 + static_cast<int>(g.Below(3)));
    default: {
      int e = static_cast<int>(g.Below(70)) - 3;
      return sign * std::ldexp(1.0 + std::ldexp(static_cast<double>(g.U64() >> 11), -53), e);
    }
  }
}

template <class F>
F ConvValueOf(Gen& g) {
  if constexpr (std::is_same_v<F, float>) {
    if (g.Coin()) return g.Any<float>();
    return static_cast<float>(ConvValue(g));
  } else {
    return ConvValue(g);
  }
}

// The integral value of x in mode rm, by the C library.
template <class F>
F IntegralValue(F x, RoundingMode rm) {
  if (rm == kRMM) return std::round(x);
  uint32_t unused;
  volatile F vx = x;
  return Host(rm, &unused, [&] { return std::nearbyint(vx); });
}

template <class I, class F>
void ToIntMatches(uint64_t seed) {
  Gen g(seed);
  int failures = 0;
  for (int i = 0; i < kRandomIters && failures < 10; ++i) {
    F x = ConvValueOf<F>(g);
    RoundingMode rm = kAllModes[i % 5];
    auto rule = static_cast<CvtRule>((i / 5) % 3);
    constexpr I kMin = std::numeric_limits<I>::min(), kMax = std::numeric_limits<I>::max();
    I want;
    uint32_t want_flags;
    F r = IntegralValue(x, rm);
    // Range test in long double, which holds every bound exactly.
    long double lr = r;
    bool in_range = !std::isnan(x) && lr >= static_cast<long double>(kMin) &&
                    lr <= static_cast<long double>(kMax);
    if (in_range) {
      want = static_cast<I>(r);
      want_flags = r != x ? kNX : 0;
    } else {
      want_flags = kNV;
      if (rule == CvtRule::kIndefinite) {
        want = std::is_signed_v<I> ? kMin : kMax;
      } else if (std::isnan(x)) {
        want = rule == CvtRule::kSaturateNanZero ? I{0} : kMax;
      } else {
        want = x < 0 ? kMin : kMax;
      }
    }
    uint32_t aux = Aux(rm, rule == CvtRule::kIndefinite ? NanRule::kX86 : NanRule::kCanonical,
                       static_cast<uint8_t>(rule));
    uint32_t dyn_aux = (aux & ~7u) | 7u;
    for (int path = 0; path < 2; ++path) {
      uint32_t flags;
      I got = Guest(path == 0 ? kRNE : rm, &flags, [&] {
        if constexpr (std::is_signed_v<I>) {
          return FToSInt<I, F>(x, path == 0 ? aux : dyn_aux, path == 0 ? kRNE : rm);
        } else {
          return FToUInt<I, F>(x, path == 0 ? aux : dyn_aux, path == 0 ? kRNE : rm);
        }
      });
      if (rule != CvtRule::kIndefinite) flags = NoDE(flags);
      if (got != want || flags != want_flags) {
        ++failures;
        ADD_FAILURE() << (std::is_signed_v<I> ? "FToSInt" : "FToUInt") << sizeof(I) * 8
                      << (sizeof(F) == 4 ? " f32 " : " f64 ") << Hex(x) << " rm "
                      << static_cast<int>(rm) << " rule " << static_cast<int>(rule) << " path "
                      << path << ": got " << Hex(static_cast<uint64_t>(got)) << " flags " << flags
                      << ", want " << Hex(static_cast<uint64_t>(want)) << " flags " << want_flags;
      }
    }
  }
}

TEST(FpRandomConvert, FloatToInt) {
  ToIntMatches<int32_t, double>(100);
  ToIntMatches<int64_t, double>(101);
  ToIntMatches<uint32_t, double>(102);
  ToIntMatches<uint64_t, double>(103);
  ToIntMatches<int32_t, float>(104);
  ToIntMatches<int64_t, float>(105);
  ToIntMatches<uint32_t, float>(106);
  ToIntMatches<uint64_t, float>(107);
}

// Hosts without SSE4.1 convert in a static mode by switching MXCSR.RC instead.
TEST(FpRandomConvert, FloatToIntWithoutSse41) {
  HostCaps saved = g_host_caps;
  g_host_caps.sse41 = false;
  ToIntMatches<int32_t, double>(110);
  ToIntMatches<uint64_t, float>(111);
  ToIntMatches<int64_t, float>(112);
  g_host_caps = saved;
}

template <class I>
I IntValue(Gen& g) {
  using U = std::make_unsigned_t<I>;
  U v = static_cast<U>(g.U64() >> g.Below(sizeof(I) * 8));
  if (g.Below(4) == 0) {
    // A tie at 24 or 53 bits: p + 1 significant bits, the last one set.
    int p = g.Coin() ? 24 : 53;
    if (p + 1 <= static_cast<int>(sizeof(I) * 8)) {
      uint64_t m = (uint64_t{1} << p) | (g.U64() & ((uint64_t{1} << p) - 1)) | 1;
      int room = static_cast<int>(sizeof(I) * 8) - (p + 1) - (std::is_signed_v<I> ? 1 : 0);
      v = static_cast<U>(m << (room > 0 ? g.Below(room + 1) : 0));
    }
  }
  I x = static_cast<I>(v);
  if (std::is_signed_v<I> && g.Coin()) x = static_cast<I>(U{0} - v);
  return x;
}

template <class F, class I>
void FromIntMatches(uint64_t seed) {
  Gen g(seed);
  int failures = 0;
  for (int i = 0; i < kRandomIters && failures < 10; ++i) {
    I v = IntValue<I>(g);
    RoundingMode rm = kAllModes[i % 5];
    volatile long double lv = static_cast<long double>(v);  // exact
    auto convert = [&](RoundingMode m, uint32_t* fl) {
      return Host(m, fl, [&] { return static_cast<F>(lv); });
    };
    uint32_t want_flags;
    F want = convert(rm == kRMM ? kRNE : rm, &want_flags);
    if (rm == kRMM) {
      uint32_t unused;
      F toward = convert(kRTZ, &unused);
      F away = convert(v < 0 ? kRDN : kRUP, &unused);
      long double mid = (static_cast<long double>(toward) + static_cast<long double>(away)) / 2;
      want = std::fabs(static_cast<long double>(v)) >= std::fabs(mid) ? away : toward;
    }
    for (int path = 0; path < 2; ++path) {
      uint32_t flags;
      uint32_t aux = path == 0 ? Aux(rm) : Aux(kDYN);
      RoundingMode dyn = path == 0 ? kRUP : rm;
      F got = Guest(dyn, &flags, [&] {
        if constexpr (std::is_signed_v<I>) {
          return SIntToF<F, I>(v, aux, dyn);
        } else {
          return UIntToF<F, I>(v, aux, dyn);
        }
      });
      if (Bits(got) != Bits(want) || NoDE(flags) != want_flags) {
        ++failures;
        ADD_FAILURE() << "IntToF" << (sizeof(F) == 4 ? ".f32 " : ".f64 ")
                      << Hex(static_cast<uint64_t>(v))
                      << (std::is_signed_v<I> ? " signed" : " unsigned") << " rm "
                      << static_cast<int>(rm) << " path " << path << ": got " << Hex(got)
                      << " flags " << flags << ", want " << Hex(want) << " flags " << want_flags;
      }
    }
  }
}

TEST(FpRandomConvert, IntToFloat) {
  FromIntMatches<double, int64_t>(200);
  FromIntMatches<double, uint64_t>(201);
  FromIntMatches<float, int64_t>(202);
  FromIntMatches<float, uint64_t>(203);
  FromIntMatches<float, int32_t>(204);
  FromIntMatches<float, uint32_t>(205);
  FromIntMatches<double, int32_t>(206);
  FromIntMatches<double, uint32_t>(207);
}

TEST(FpRandomConvert, Narrow) {
  Gen g(300);
  int failures = 0;
  for (int i = 0; i < 2 * kRandomIters && failures < 10; ++i) {
    double x =
        g.Coin() ? g.Any<double>() : std::ldexp(ConvValue(g), static_cast<int>(g.Below(300)) - 150);
    RoundingMode rm = kAllModes[i % 5];
    NanRule nan = i % 10 < 5 ? NanRule::kCanonical : NanRule::kArm;
    volatile double vx = x;
    auto convert = [&](RoundingMode m, uint32_t* fl) {
      return Host(m, fl, [&] { return static_cast<float>(vx); });
    };
    uint32_t want_flags, unused;
    float want = convert(rm == kRMM ? kRNE : rm, &want_flags);
    want_flags = NoDE(want_flags);
    if (rm == kRMM && std::isfinite(x) && x != 0) {
      float toward = convert(kRTZ, &unused);
      float away = convert(x < 0 ? kRDN : kRUP, &unused);
      double away_value = std::isinf(away) ? std::copysign(0x1p128, x) : away;
      double mid = (static_cast<double>(toward) + away_value) / 2;  // exact
      want = std::fabs(x) >= std::fabs(mid) ? away : toward;
    }
    if (std::isnan(x)) {
      // Arm FPConvertNaN keeps sign and the top of the payload (quieted).
      want = nan == NanRule::kCanonical
                 ? F32(0x7FC00000)
                 : F32(static_cast<uint32_t>(Bits(x) >> 32 & 0x80000000) | 0x7FC00000 |
                       static_cast<uint32_t>((Bits(x) & 0xFFFFFFFFFFFFF) >> 29));
    }
    if (nan == NanRule::kArm && (want_flags & kNX) != 0 &&
        std::fabs(convert(kRTZ, &unused)) < std::numeric_limits<float>::min())
      want_flags |= kUF;  // Arm: tininess before rounding
    for (int path = 0; path < 2; ++path) {
      uint32_t flags;
      uint32_t aux = path == 0 ? Aux(rm, nan) : Aux(kDYN, nan);
      RoundingMode dyn = path == 0 ? kRTZ : rm;
      float got = Guest(dyn, &flags, [&] { return FConvert<float, double>(x, aux, dyn); });
      if (Bits(got) != Bits(want) || NoDE(flags) != want_flags) {
        ++failures;
        ADD_FAILURE() << "Narrow " << Hex(x) << " rm " << static_cast<int>(rm) << " nan "
                      << static_cast<int>(nan) << " path " << path << ": got " << Hex(got)
                      << " flags " << flags << ", want " << Hex(want) << " flags " << want_flags;
      }
    }
  }
}

template <class F>
void RoundMatches(uint64_t seed) {
  Gen g(seed);
  int failures = 0;
  for (int i = 0; i < kRandomIters && failures < 10; ++i) {
    F x = ConvValueOf<F>(g);
    RoundingMode rm = kAllModes[i % 5];
    bool exact = (i / 5) % 2 == 0;
    F want = IntegralValue(x, rm);
    uint32_t want_flags = 0;
    if (std::isnan(x)) {
      want = FromBitsT<F>(std::is_same_v<F, float> ? BitsT<F>(0x7FC00000)
                                                   : BitsT<F>(0x7FF8000000000000));
      if ((Bits(x) & (BitsT<F>{1} << (Fmt<F>::kMant - 1))) == 0) want_flags = kNV;
    } else if (exact && want != x) {
      want_flags = kNX;
    }
    for (int path = 0; path < 2; ++path) {
      uint32_t flags;
      uint32_t aux = Aux(path == 0 ? rm : kDYN, NanRule::kCanonical, 0, false, exact);
      RoundingMode dyn = path == 0 ? kRDN : rm;
      F got = Guest(dyn, &flags, [&] { return FRound<F>(x, aux, dyn); });
      if (Bits(got) != Bits(want) || NoDE(flags) != want_flags) {
        ++failures;
        ADD_FAILURE() << "FRound " << Hex(x) << " rm " << static_cast<int>(rm) << " exact " << exact
                      << " path " << path << ": got " << Hex(got) << " flags " << flags << ", want "
                      << Hex(want) << " flags " << want_flags;
      }
    }
  }
}

TEST(FpRandomConvert, Round) {
  RoundMatches<double>(400);
  RoundMatches<float>(401);
}

}  // namespace
}  // namespace polyvm::ir::sem::testing
