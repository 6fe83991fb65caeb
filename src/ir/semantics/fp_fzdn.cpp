// Arm FPCR.FZ / FPCR.DN around the FP semantics (see fp_fzdn.h for the rules). Every function
// flushes its float operands, calls the public op with the two bits cleared, then flushes a tiny
// result and replaces a NaN result.
#include "fp_fzdn.h"

#include "fp_bits.h"
#include "fp_host.h"
#include "polyvm/ir/semantics/fp.h"
#include "soft_float.h"

namespace polyvm::ir::sem::fzdn {
namespace {

constexpr uint32_t kFtz = 1u << 9;
constexpr uint32_t kDn = 1u << 10;

uint32_t Base(uint32_t aux) { return aux & ~kFpModeFtzDn; }

// The operands of one op: flushes each and remembers whether any was flushed (IDC).
struct Inputs {
  uint32_t aux;
  bool flushed = false;

  template <class F>
  F operator()(F x) {
    BitsOf<F> b = ToBits(x);
    if ((aux & kFtz) == 0 || !IsSubnormal<F>(b)) return x;
    flushed = true;
    return FromBits<F>(b & FpTraits<F>::kSign);
  }
  // IDC after the op, so that the op's own flag bookkeeping never sees it.
  void Raise() const {
    if (flushed) RaiseFlags(kFpDenormalInput);
  }
};

template <class F>
F DefaultNaNResult(F r, uint32_t aux) {
  if ((aux & kDn) != 0 && IsNaN<F>(ToBits(r))) return FromBits<F>(FpTraits<F>::kCanonicalNaN);
  return r;
}

// A result of an op that can be tiny before rounding: `soft_op(ctx)` recomputes it in software
// with Arm's tininess detection, for the results whose tininess the host's cannot tell (zero and
// the smallest normal magnitude). `before` are the flags before the op.
template <class F, class SoftOp>
F FlushTiny(F r, uint32_t before, uint32_t aux, RoundingMode dyn, SoftOp soft_op) {
  if ((aux & kFtz) == 0) return r;
  BitsOf<F> rb = ToBits(r);
  BitsOf<F> mag = Abs<F>(rb);
  bool tiny = IsSubnormal<F>(rb);
  if (!tiny && (mag == 0 || mag == FpTraits<F>::kMinNormal)) {
    soft::Ctx c = soft::MakeCtx(EffectiveRm(aux, dyn), Base(aux));
    c.tiny_before = true;
    soft_op(c);
    tiny = (c.flags & kFpUnderflow) != 0;
  }
  if (!tiny) return r;
  SetFpFlags(before | kFpUnderflow);
  return FromBits<F>(rb & FpTraits<F>::kSign);
}

}  // namespace

// A tiny sum is exact, so only a subnormal result is tiny (a zero sum is not).
template <class F, F (*kOp)(F, F, uint32_t, RoundingMode)>
F AddSub(F a, F b, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  b = in(b);
  F r = kOp(a, b, Base(aux), dyn);
  if ((aux & kFtz) != 0 && IsSubnormal<F>(ToBits(r))) {
    RaiseFlags(kFpUnderflow);
    r = FromBits<F>(ToBits(r) & FpTraits<F>::kSign);
  }
  in.Raise();
  return DefaultNaNResult(r, aux);
}
template <class F>
F Add(F a, F b, uint32_t aux, RoundingMode dyn) {
  return AddSub<F, FAdd<F>>(a, b, aux, dyn);
}
template <class F>
F Sub(F a, F b, uint32_t aux, RoundingMode dyn) {
  return AddSub<F, FSub<F>>(a, b, aux, dyn);
}

template <class F>
F Mul(F a, F b, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  b = in(b);
  uint32_t before = GetFpFlags();
  F r = FMul<F>(a, b, Base(aux), dyn);
  r = FlushTiny(r, before, aux, dyn, [&](soft::Ctx& c) { soft::Mul<F>(ToBits(a), ToBits(b), c); });
  in.Raise();
  return DefaultNaNResult(r, aux);
}

template <class F>
F Div(F a, F b, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  b = in(b);
  uint32_t before = GetFpFlags();
  F r = FDiv<F>(a, b, Base(aux), dyn);
  r = FlushTiny(r, before, aux, dyn, [&](soft::Ctx& c) { soft::Div<F>(ToBits(a), ToBits(b), c); });
  in.Raise();
  return DefaultNaNResult(r, aux);
}

template <class F>
F MulAdd(F a, F b, F c, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  b = in(b);
  c = in(c);
  uint32_t before = GetFpFlags();
  F r = FMulAdd<F>(a, b, c, Base(aux), dyn);
  r = FlushTiny(r, before, aux, dyn,
                [&](soft::Ctx& ctx) { soft::Fma<F>(ToBits(a), ToBits(b), ToBits(c), ctx); });
  in.Raise();
  return DefaultNaNResult(r, aux);
}

template <class F>
F Sqrt(F a, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  F r = FSqrt<F>(a, Base(aux), dyn);
  in.Raise();
  return DefaultNaNResult(r, aux);
}

template <class F>
F Round(F a, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  F r = FRound<F>(a, Base(aux), dyn);
  in.Raise();
  return DefaultNaNResult(r, aux);
}

template <class F>
F Min(F a, F b, uint32_t aux) {
  Inputs in{aux};
  a = in(a);
  b = in(b);
  F r = FMin<F>(a, b, Base(aux));
  in.Raise();
  return DefaultNaNResult(r, aux);
}
template <class F>
F Max(F a, F b, uint32_t aux) {
  Inputs in{aux};
  a = in(a);
  b = in(b);
  F r = FMax<F>(a, b, Base(aux));
  in.Raise();
  return DefaultNaNResult(r, aux);
}

template <class F>
bool Cmp(int op, F a, F b, uint32_t aux) {
  Inputs in{aux};
  a = in(a);
  b = in(b);
  uint32_t m = Base(aux);
  bool r = op == 0   ? FCmpEq<F>(a, b, m)
           : op == 1 ? FCmpLt<F>(a, b, m)
           : op == 2 ? FCmpLe<F>(a, b, m)
                     : FCmpUn<F>(a, b, m);
  in.Raise();
  return r;
}

template <class I, class F>
I ToSInt(F a, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  I r = FToSInt<I, F>(a, Base(aux), dyn);
  in.Raise();
  return r;
}
template <class I, class F>
I ToUInt(F a, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  I r = FToUInt<I, F>(a, Base(aux), dyn);
  in.Raise();
  return r;
}

template <class To, class From>
To Convert(From a, uint32_t aux, RoundingMode dyn) {
  Inputs in{aux};
  a = in(a);
  uint32_t before = GetFpFlags();
  To r = FConvert<To, From>(a, Base(aux), dyn);
  if constexpr (sizeof(To) < sizeof(From)) {
    r = FlushTiny(r, before, aux, dyn, [&](soft::Ctx& c) { soft::Narrow(ToBits(a), c); });
  }
  in.Raise();
  return DefaultNaNResult(r, aux);
}

#define POLYVM_FZDN_INSTANTIATE(F)                                  \
  template F Add<F>(F, F, uint32_t, RoundingMode);                  \
  template F Sub<F>(F, F, uint32_t, RoundingMode);                  \
  template F Mul<F>(F, F, uint32_t, RoundingMode);                  \
  template F Div<F>(F, F, uint32_t, RoundingMode);                  \
  template F Sqrt<F>(F, uint32_t, RoundingMode);                    \
  template F MulAdd<F>(F, F, F, uint32_t, RoundingMode);            \
  template F Round<F>(F, uint32_t, RoundingMode);                   \
  template F Min<F>(F, F, uint32_t);                                \
  template F Max<F>(F, F, uint32_t);                                \
  template bool Cmp<F>(int, F, F, uint32_t);                        \
  template int32_t ToSInt<int32_t, F>(F, uint32_t, RoundingMode);   \
  template int64_t ToSInt<int64_t, F>(F, uint32_t, RoundingMode);   \
  template uint32_t ToUInt<uint32_t, F>(F, uint32_t, RoundingMode); \
  template uint64_t ToUInt<uint64_t, F>(F, uint32_t, RoundingMode);
POLYVM_FZDN_INSTANTIATE(float)
POLYVM_FZDN_INSTANTIATE(double)
#undef POLYVM_FZDN_INSTANTIATE
template float Convert<float, double>(double, uint32_t, RoundingMode);
template double Convert<double, float>(float, uint32_t, RoundingMode);

}  // namespace polyvm::ir::sem::fzdn
