// Software IEEE 754 arithmetic (see soft_float.h). Every finite result is built as an exact
// integer significand S, an exponent E and a sticky bit (the exact value lies strictly between
// S * 2^E and (S + 1) * 2^E when sticky is set), then rounded once by RoundPack.
#include "soft_float.h"

#include <algorithm>
#include <bit>
#include <initializer_list>
#include <utility>

namespace polyvm::ir::sem::soft {
namespace {

template <class F>
struct Unpacked {
  bool sign;
  int exp;       // value = sig * 2^exp
  uint64_t sig;  // nonzero
};

// Finite nonzero values only.
template <class F>
Unpacked<F> Unpack(BitsOf<F> b) {
  constexpr int kM = FpTraits<F>::kMantBits;
  int field = static_cast<int>((Abs<F>(b)) >> kM);
  uint64_t mant = b & FpTraits<F>::kMantMask;
  if (field == 0) return {SignOf<F>(b), kEmin<F> - kM, mant};
  return {SignOf<F>(b), field - FpTraits<F>::kBias - kM, mant | (uint64_t{1} << kM)};
}

int BitLen(U128 x) {
  uint64_t hi = static_cast<uint64_t>(x >> 64), lo = static_cast<uint64_t>(x);
  if (hi != 0) return 128 - std::countl_zero(hi);
  return 64 - std::countl_zero(lo);
}

bool RoundsUp(uint32_t rm, bool sign, bool odd, bool round, bool rest) {
  switch (rm) {
    case kRne: return round && (rest || odd);
    case kRtz: return false;
    case kRdn: return sign && (round || rest);
    case kRup: return !sign && (round || rest);
    default: return round;  // RMM: ties (and above) away from zero
  }
}

struct Rounded {
  U128 m;  // the value rounded to a multiple of 2^lsb, in units of 2^lsb
  bool inexact;
};

// Rounds sig * 2^exp (+ sticky) to a multiple of 2^lsb. Callers pass sticky only when sig has
// enough bits that lsb > exp.
Rounded RoundAt(bool sign, int exp, U128 sig, bool sticky, int lsb, uint32_t rm) {
  if (lsb <= exp) return {sig << (exp - lsb), sticky};
  int sh = lsb - exp;
  U128 m = 0;
  bool round = false, rest = sticky;
  if (sh > 128) {
    rest |= sig != 0;
  } else if (sh == 128) {
    round = (sig >> 127) != 0;
    rest |= (sig << 1) != 0;
  } else {
    m = sig >> sh;
    round = ((sig >> (sh - 1)) & 1) != 0;
    if (sh >= 2) rest |= (sig << (129 - sh)) != 0;
  }
  bool up = RoundsUp(rm, sign, (m & 1) != 0, round, rest);
  return {m + up, round || rest};
}

template <class F>
BitsOf<F> SignBit(bool s) {
  return s ? FpTraits<F>::kSign : 0;
}

// Rounds (-1)^sign * (sig + sticky) * 2^exp to F, with overflow/underflow/inexact flags.
template <class F>
BitsOf<F> RoundPack(bool sign, int exp, U128 sig, bool sticky, Ctx& c) {
  using B = BitsOf<F>;
  constexpr int kP = kPrecision<F>, kM = kP - 1;
  int lead = exp + BitLen(sig) - 1;
  int lsb = std::max(lead - kM, kEmin<F> - kM);
  Rounded r = RoundAt(sign, exp, sig, sticky, lsb, c.rm);
  U128 m = r.m;
  int e = lsb;
  if ((m >> kP) != 0) {  // rounded up to 2^p: exactly representable one binade higher
    m >>= 1;
    e += 1;
  }
  if (m != 0 && e + kM > kEmax<F>) {
    c.flags |= kFpOverflow | kFpInexact;
    bool to_inf = c.rm == kRne || c.rm == kRmm || (c.rm == kRup && !sign) || (c.rm == kRdn && sign);
    return SignBit<F>(sign) | (to_inf ? FpTraits<F>::kInf : FpTraits<F>::kMaxFinite);
  }
  if (lead < kEmin<F> && r.inexact) {
    bool tiny = true;
    if (!c.tiny_before && lead == kEmin<F> - 1) {
      // After rounding: tiny unless rounding to p bits with an unbounded exponent reaches 2^emin.
      Rounded u = RoundAt(sign, exp, sig, sticky, lead - kM, c.rm);
      tiny = (u.m >> kP) == 0;
    }
    if (tiny) c.flags |= kFpUnderflow;
  }
  if (r.inexact) c.flags |= kFpInexact;
  if ((m >> kM) != 0) {  // normal: the hidden bit carries into the exponent field
    B biased = static_cast<B>(e + kM + FpTraits<F>::kBias - 1);
    return SignBit<F>(sign) | ((biased << kM) + static_cast<B>(m));
  }
  return SignBit<F>(sign) | static_cast<B>(m);  // subnormal or zero
}

// Exact sum of two nonzero values (each sig < 2^120), rounded once.
template <class F>
BitsOf<F> SumRound(bool sx, int ex, U128 x, bool sy, int ey, U128 y, Ctx& c) {
  if (ex + BitLen(x) < ey + BitLen(y)) {
    std::swap(sx, sy);
    std::swap(ex, ey);
    std::swap(x, y);
  }
  // x has the higher leading bit; place it at bit 125, which leaves room for a carry.
  int e = ex + BitLen(x) - 1 - 125;
  U128 big = x << (ex - e);
  U128 small = 0;
  bool sticky = false;
  int sh = ey - e;
  if (sh >= 0) {
    small = y << sh;
  } else if (-sh >= 128) {
    sticky = true;
  } else {
    small = y >> -sh;
    sticky = (y << (128 + sh)) != 0;
  }
  if (sx == sy) return RoundPack<F>(sx, e, big + small, sticky, c);
  if (small > big) return RoundPack<F>(sy, e, small - big, false, c);  // equal leads: no sticky
  if (small == big && !sticky) return SignBit<F>(c.rm == kRdn);        // exact cancellation
  // big - (small + fraction) = (big - small - 1) + (1 - fraction)
  return RoundPack<F>(sx, e, big - small - (sticky ? 1 : 0), sticky, c);
}

template <class F>
void X86Denormal(Ctx& c, std::initializer_list<BitsOf<F>> ops) {
  if (c.nan != NanRule::kX86) return;
  for (BitsOf<F> op : ops)
    if (IsSubnormal<F>(op)) c.flags |= kFpDenormalInput;
}

template <class F>
BitsOf<F> Invalid(Ctx& c) {
  c.flags |= kFpInvalid;
  return DefaultNaN<F>(c.nan);
}

template <class F>
BitsOf<F> AddSigned(BitsOf<F> a, BitsOf<F> b, bool negate_b, Ctx& c) {
  using B = BitsOf<F>;
  if (IsNaN<F>(a) || IsNaN<F>(b)) {
    if (IsSNaN<F>(a) || IsSNaN<F>(b)) c.flags |= kFpInvalid;
    return PickNaN2<F>(c.nan, a, b);
  }
  B nb = negate_b ? b ^ FpTraits<F>::kSign : b;
  bool sa = SignOf<F>(a), sb = SignOf<F>(nb);
  if (IsInf<F>(a) && IsInf<F>(nb) && sa != sb) return Invalid<F>(c);
  X86Denormal<F>(c, {a, b});
  if (IsInf<F>(a)) return a;
  if (IsInf<F>(nb)) return nb;
  if (IsZero<F>(a) && IsZero<F>(nb)) return SignBit<F>(sa == sb ? sa : c.rm == kRdn);
  if (IsZero<F>(a)) return nb;
  if (IsZero<F>(nb)) return a;
  Unpacked<F> ua = Unpack<F>(a), ub = Unpack<F>(nb);
  return SumRound<F>(ua.sign, ua.exp, ua.sig, ub.sign, ub.exp, ub.sig, c);
}

U128 ISqrt(U128 v, U128* rem) {
  U128 res = 0, one = U128{1} << 126;
  while (one > v) one >>= 2;
  while (one != 0) {
    if (v >= res + one) {
      v -= res + one;
      res = (res >> 1) + one;
    } else {
      res >>= 1;
    }
    one >>= 2;
  }
  *rem = v;
  return res;
}

}  // namespace

template <class F>
BitsOf<F> Add(BitsOf<F> a, BitsOf<F> b, Ctx& c) {
  return AddSigned<F>(a, b, false, c);
}
template <class F>
BitsOf<F> Sub(BitsOf<F> a, BitsOf<F> b, Ctx& c) {
  return AddSigned<F>(a, b, true, c);
}

template <class F>
BitsOf<F> Mul(BitsOf<F> a, BitsOf<F> b, Ctx& c) {
  if (IsNaN<F>(a) || IsNaN<F>(b)) {
    if (IsSNaN<F>(a) || IsSNaN<F>(b)) c.flags |= kFpInvalid;
    return PickNaN2<F>(c.nan, a, b);
  }
  bool sign = SignOf<F>(a) != SignOf<F>(b);
  bool zero = IsZero<F>(a) || IsZero<F>(b);
  if (IsInf<F>(a) || IsInf<F>(b)) {
    if (zero) return Invalid<F>(c);
    X86Denormal<F>(c, {a, b});
    return SignBit<F>(sign) | FpTraits<F>::kInf;
  }
  X86Denormal<F>(c, {a, b});
  if (zero) return SignBit<F>(sign);
  Unpacked<F> ua = Unpack<F>(a), ub = Unpack<F>(b);
  return RoundPack<F>(sign, ua.exp + ub.exp, U128{ua.sig} * ub.sig, false, c);
}

template <class F>
BitsOf<F> Div(BitsOf<F> a, BitsOf<F> b, Ctx& c) {
  if (IsNaN<F>(a) || IsNaN<F>(b)) {
    if (IsSNaN<F>(a) || IsSNaN<F>(b)) c.flags |= kFpInvalid;
    return PickNaN2<F>(c.nan, a, b);
  }
  bool sign = SignOf<F>(a) != SignOf<F>(b);
  if ((IsInf<F>(a) && IsInf<F>(b)) || (IsZero<F>(a) && IsZero<F>(b))) return Invalid<F>(c);
  if (IsZero<F>(b) && !IsInf<F>(a)) {
    c.flags |= kFpDivByZero;
    return SignBit<F>(sign) | FpTraits<F>::kInf;
  }
  X86Denormal<F>(c, {a, b});
  if (IsInf<F>(a)) return SignBit<F>(sign) | FpTraits<F>::kInf;
  if (IsInf<F>(b) || IsZero<F>(a)) return SignBit<F>(sign);
  Unpacked<F> ua = Unpack<F>(a), ub = Unpack<F>(b);
  int sa = std::countl_zero(ua.sig), sb = std::countl_zero(ub.sig);
  uint64_t na = ua.sig << sa, nb = ub.sig << sb;  // leading bits at 63
  U128 num = U128{na} << 64;
  U128 q = num / nb, rem = num % nb;  // q >= 2^63
  return RoundPack<F>(sign, (ua.exp - sa) - (ub.exp - sb) - 64, q, rem != 0, c);
}

template <class F>
BitsOf<F> Sqrt(BitsOf<F> a, Ctx& c) {
  if (IsNaN<F>(a)) {
    if (IsSNaN<F>(a)) c.flags |= kFpInvalid;
    return PickNaN1<F>(c.nan, a);
  }
  if (IsZero<F>(a)) return a;  // sqrt(-0) = -0
  if (SignOf<F>(a)) return Invalid<F>(c);
  if (IsInf<F>(a)) return a;
  X86Denormal<F>(c, {a});
  Unpacked<F> u = Unpack<F>(a);
  int s = 125 - BitLen(u.sig);  // about 125 bits in, about 63 bits of root out
  if (((u.exp - s) & 1) != 0) ++s;
  U128 rem;
  U128 root = ISqrt(U128{u.sig} << s, &rem);
  return RoundPack<F>(false, (u.exp - s) / 2, root, rem != 0, c);
}

template <class F>
BitsOf<F> Fma(BitsOf<F> a, BitsOf<F> b, BitsOf<F> c, Ctx& ctx) {
  bool inf_times_zero = (IsInf<F>(a) && IsZero<F>(b)) || (IsZero<F>(a) && IsInf<F>(b));
  if (IsNaN<F>(a) || IsNaN<F>(b) || IsNaN<F>(c)) {
    if (IsSNaN<F>(a) || IsSNaN<F>(b) || IsSNaN<F>(c)) ctx.flags |= kFpInvalid;
    if (inf_times_zero && ctx.nan != NanRule::kX86) ctx.flags |= kFpInvalid;
    if (inf_times_zero && ctx.nan == NanRule::kArm && IsQNaN<F>(c)) return DefaultNaN<F>(ctx.nan);
    return PickNaN3<F>(ctx.nan, a, b, c);
  }
  if (inf_times_zero) return Invalid<F>(ctx);
  bool sp = SignOf<F>(a) != SignOf<F>(b), sc = SignOf<F>(c);
  if (IsInf<F>(a) || IsInf<F>(b)) {
    if (IsInf<F>(c) && sc != sp) return Invalid<F>(ctx);
    X86Denormal<F>(ctx, {a, b, c});
    return SignBit<F>(sp) | FpTraits<F>::kInf;
  }
  X86Denormal<F>(ctx, {a, b, c});
  if (IsInf<F>(c)) return c;
  if (IsZero<F>(a) || IsZero<F>(b)) {
    if (IsZero<F>(c)) return SignBit<F>(sp == sc ? sp : ctx.rm == kRdn);
    return c;
  }
  Unpacked<F> ua = Unpack<F>(a), ub = Unpack<F>(b);
  U128 prod = U128{ua.sig} * ub.sig;
  int ep = ua.exp + ub.exp;
  if (IsZero<F>(c)) return RoundPack<F>(sp, ep, prod, false, ctx);
  Unpacked<F> uc = Unpack<F>(c);
  return SumRound<F>(sp, ep, prod, uc.sign, uc.exp, uc.sig, ctx);
}

template <class F>
BitsOf<F> FromInt(bool neg, uint64_t mag, Ctx& c) {
  if (mag == 0) return 0;
  return RoundPack<F>(neg, 0, mag, false, c);
}

uint32_t Narrow(uint64_t a, Ctx& c) {
  using D = FpTraits<double>;
  bool sign = SignOf<double>(a);
  if (IsNaN<double>(a)) {
    if (IsSNaN<double>(a)) c.flags |= kFpInvalid;
    if (c.nan == NanRule::kCanonical) return FpTraits<float>::kCanonicalNaN;
    return SignBit<float>(sign) | FpTraits<float>::kCanonicalNaN |
           static_cast<uint32_t>((a & D::kMantMask) >> 29);
  }
  if (IsInf<double>(a)) return SignBit<float>(sign) | FpTraits<float>::kInf;
  if (IsZero<double>(a)) return SignBit<float>(sign);
  X86Denormal<double>(c, {a});
  Unpacked<double> u = Unpack<double>(a);
  return RoundPack<float>(sign, u.exp, u.sig, false, c);
}

template <class F>
BitsOf<F> RoundToIntegral(BitsOf<F> a, bool exact, Ctx& c) {
  if (IsNaN<F>(a)) {
    if (IsSNaN<F>(a)) c.flags |= kFpInvalid;
    return PickNaN1<F>(c.nan, a);
  }
  if (IsInf<F>(a) || IsZero<F>(a)) return a;
  Unpacked<F> u = Unpack<F>(a);
  if (u.exp >= 0) return a;
  Rounded r = RoundAt(u.sign, u.exp, u.sig, false, 0, c.rm);
  if (r.inexact && exact) c.flags |= kFpInexact;
  if (r.m == 0) return SignBit<F>(u.sign);
  Ctx exact_ctx = c;  // r.m <= 2^p: representable, raises nothing
  return RoundPack<F>(u.sign, 0, r.m, false, exact_ctx);
}

template <class F>
IntValue RoundToInt(BitsOf<F> a, uint32_t rm) {
  IntValue v;
  if (IsNaN<F>(a)) {
    v.nan = true;
    return v;
  }
  v.neg = SignOf<F>(a);
  if (IsInf<F>(a)) {
    v.huge = true;
    return v;
  }
  if (IsZero<F>(a)) return v;
  Unpacked<F> u = Unpack<F>(a);
  if (u.exp >= 0) {
    if (u.exp + BitLen(u.sig) > 64) {
      v.huge = true;
    } else {
      v.mag = u.sig << u.exp;
    }
    return v;
  }
  Rounded r = RoundAt(u.sign, u.exp, u.sig, false, 0, rm);
  v.mag = static_cast<uint64_t>(r.m);
  v.inexact = r.inexact;
  return v;
}

#define POLYVM_SOFT_INSTANTIATE(F)                                  \
  template BitsOf<F> Add<F>(BitsOf<F>, BitsOf<F>, Ctx&);            \
  template BitsOf<F> Sub<F>(BitsOf<F>, BitsOf<F>, Ctx&);            \
  template BitsOf<F> Mul<F>(BitsOf<F>, BitsOf<F>, Ctx&);            \
  template BitsOf<F> Div<F>(BitsOf<F>, BitsOf<F>, Ctx&);            \
  template BitsOf<F> Sqrt<F>(BitsOf<F>, Ctx&);                      \
  template BitsOf<F> Fma<F>(BitsOf<F>, BitsOf<F>, BitsOf<F>, Ctx&); \
  template BitsOf<F> FromInt<F>(bool, uint64_t, Ctx&);              \
  template BitsOf<F> RoundToIntegral<F>(BitsOf<F>, bool, Ctx&);     \
  template IntValue RoundToInt<F>(BitsOf<F>, uint32_t);
POLYVM_SOFT_INSTANTIATE(float)
POLYVM_SOFT_INSTANTIATE(double)
#undef POLYVM_SOFT_INSTANTIATE

}  // namespace polyvm::ir::sem::soft
