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

// One op under FZ/DN: flushes the operands, runs `op` on them (the public op with the two bits
// cleared, and a tiny-result flush where the op can produce one), then raises IDC. Ops with a
// float result also get the DN rule.
template <class R, class Op, class... Fs>
R RunFlushed(uint32_t aux, Op op, Fs... operands) {
  Inputs in{aux};
  R r = op(in(operands)...);
  in.Raise();
  return r;
}
template <class F, class Op, class... Fs>
F RunFlushedDn(uint32_t aux, Op op, Fs... operands) {
  return DefaultNaNResult(RunFlushed<F>(aux, op, operands...), aux);
}

}  // namespace

// A tiny sum is exact, so only a subnormal result is tiny (a zero sum is not).
template <class F, F (*kOp)(F, F, uint32_t, RoundingMode)>
F AddSub(F a, F b, uint32_t aux, RoundingMode dyn) {
  auto op = [&](F x, F y) {
    F r = kOp(x, y, Base(aux), dyn);
    if ((aux & kFtz) != 0 && IsSubnormal<F>(ToBits(r))) {
      RaiseFlags(kFpUnderflow);
      r = FromBits<F>(ToBits(r) & FpTraits<F>::kSign);
    }
    return r;
  };
  return RunFlushedDn<F>(aux, op, a, b);
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
  auto op = [&](F x, F y) {
    uint32_t before = GetFpFlags();
    F r = FMul<F>(x, y, Base(aux), dyn);
    return FlushTiny(r, before, aux, dyn,
                     [&](soft::Ctx& c) { soft::Mul<F>(ToBits(x), ToBits(y), c); });
  };
  return RunFlushedDn<F>(aux, op, a, b);
}

template <class F>
F Div(F a, F b, uint32_t aux, RoundingMode dyn) {
  auto op = [&](F x, F y) {
    uint32_t before = GetFpFlags();
    F r = FDiv<F>(x, y, Base(aux), dyn);
    return FlushTiny(r, before, aux, dyn,
                     [&](soft::Ctx& c) { soft::Div<F>(ToBits(x), ToBits(y), c); });
  };
  return RunFlushedDn<F>(aux, op, a, b);
}

template <class F>
F MulAdd(F a, F b, F c, uint32_t aux, RoundingMode dyn) {
  auto op = [&](F x, F y, F z) {
    uint32_t before = GetFpFlags();
    F r = FMulAdd<F>(x, y, z, Base(aux), dyn);
    return FlushTiny(r, before, aux, dyn,
                     [&](soft::Ctx& ctx) { soft::Fma<F>(ToBits(x), ToBits(y), ToBits(z), ctx); });
  };
  return RunFlushedDn<F>(aux, op, a, b, c);
}

template <class F>
F Sqrt(F a, uint32_t aux, RoundingMode dyn) {
  return RunFlushedDn<F>(
      aux, [&](F x) { return FSqrt<F>(x, Base(aux), dyn); }, a);
}

template <class F>
F Round(F a, uint32_t aux, RoundingMode dyn) {
  return RunFlushedDn<F>(
      aux, [&](F x) { return FRound<F>(x, Base(aux), dyn); }, a);
}

template <class F>
F Min(F a, F b, uint32_t aux) {
  return RunFlushedDn<F>(
      aux, [&](F x, F y) { return FMin<F>(x, y, Base(aux)); }, a, b);
}
template <class F>
F Max(F a, F b, uint32_t aux) {
  return RunFlushedDn<F>(
      aux, [&](F x, F y) { return FMax<F>(x, y, Base(aux)); }, a, b);
}

template <class F>
bool Cmp(int op, F a, F b, uint32_t aux) {
  auto cmp = [&](F x, F y) {
    uint32_t m = Base(aux);
    return op == 0   ? FCmpEq<F>(x, y, m)
           : op == 1 ? FCmpLt<F>(x, y, m)
           : op == 2 ? FCmpLe<F>(x, y, m)
                     : FCmpUn<F>(x, y, m);
  };
  return RunFlushed<bool>(aux, cmp, a, b);
}

template <class I, class F>
I ToSInt(F a, uint32_t aux, RoundingMode dyn) {
  return RunFlushed<I>(
      aux, [&](F x) { return FToSInt<I, F>(x, Base(aux), dyn); }, a);
}
template <class I, class F>
I ToUInt(F a, uint32_t aux, RoundingMode dyn) {
  return RunFlushed<I>(
      aux, [&](F x) { return FToUInt<I, F>(x, Base(aux), dyn); }, a);
}

template <class To, class From>
To Convert(From a, uint32_t aux, RoundingMode dyn) {
  auto op = [&](From x) {
    uint32_t before = GetFpFlags();
    To r = FConvert<To, From>(x, Base(aux), dyn);
    if constexpr (sizeof(To) < sizeof(From)) {
      r = FlushTiny(r, before, aux, dyn, [&](soft::Ctx& c) { soft::Narrow(ToBits(x), c); });
    }
    return r;
  };
  return RunFlushedDn<To>(aux, op, a);
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
