// Randomized checks of the arithmetic ops against references outside polyvm:
//  - every path of FAdd..FMulAdd (static mode with MXCSR switched, dynamic mode) against the host
//    FPU running the same instruction under fesetround, NaN results by the rules' specs;
//  - the software core (used for RMM and FMA-less hosts) against the host in the four IEEE modes,
//    bit for bit and flag for flag, x86 denormal-operand flag included;
//  - RMM against exact rational arithmetic (GMP) between the host's toward-zero and away results.
#include <cmath>

#include "fp_host.h"
#include "fp_random.h"
#include "soft_float.h"

namespace polyvm::ir::sem::testing {
namespace {

constexpr NanRule kRules[] = {NanRule::kCanonical, NanRule::kX86, NanRule::kArm};

template <class F>
bool IsNaNBits(F x) {
  return std::isnan(x);
}
template <class F>
bool IsSNaNBits(F x) {
  constexpr BitsT<F> kQuiet = BitsT<F>{1} << (Fmt<F>::kMant - 1);
  return std::isnan(x) && (Bits(x) & kQuiet) == 0;
}
template <class F>
F Quieted(F x) {
  return FromBitsT<F>(Bits(x) | (BitsT<F>{1} << (Fmt<F>::kMant - 1)));
}
template <class F>
F DefaultNaNOf(NanRule r) {
  BitsT<F> exp = ((BitsT<F>{1} << Fmt<F>::kExpBits) - 1) << Fmt<F>::kMant;
  BitsT<F> sign = r == NanRule::kX86 ? BitsT<F>{1} << (sizeof(F) * 8 - 1) : 0;
  return FromBitsT<F>(sign | exp | (BitsT<F>{1} << (Fmt<F>::kMant - 1)));
}

bool InfTimesZero(double a, double b) {
  return (std::isinf(a) && b == 0) || (a == 0 && std::isinf(b));
}

// The NaN an op must return, from the rule's definition (RISC-V canonical NaN; Arm ARM
// FPProcessNaNs, FPMulAdd's addend-first order; x86: what the host instruction returned).
template <class F>
F ExpectedNaN(Op op, NanRule rule, F a, F b, F c, F host) {
  if (rule == NanRule::kCanonical) return DefaultNaNOf<F>(rule);
  if (rule == NanRule::kX86) return host;
  F ops[3] = {a, b, c};
  int n = op == Op::kSqrt ? 1 : op == Op::kFma ? 3 : 2;
  if (op == Op::kFma) {
    ops[0] = c;
    ops[1] = a;
    ops[2] = b;
    if (std::isnan(c) && !IsSNaNBits(c) && InfTimesZero(a, b)) return DefaultNaNOf<F>(rule);
  }
  for (int i = 0; i < n; ++i)
    if (IsSNaNBits(ops[i])) return Quieted(ops[i]);
  for (int i = 0; i < n; ++i)
    if (IsNaNBits(ops[i])) return ops[i];
  return DefaultNaNOf<F>(rule);
}

template <class F>
F RunOp(Op op, F a, F b, F c, uint32_t aux, RoundingMode dyn) {
  switch (op) {
    case Op::kAdd: return FAdd<F>(a, b, aux, dyn);
    case Op::kSub: return FSub<F>(a, b, aux, dyn);
    case Op::kMul: return FMul<F>(a, b, aux, dyn);
    case Op::kDiv: return FDiv<F>(a, b, aux, dyn);
    case Op::kSqrt: return FSqrt<F>(a, aux, dyn);
    case Op::kFma: return FMulAdd<F>(a, b, c, aux, dyn);
  }
  return a;
}

template <class F>
void Operands(Op op, Gen& g, F& a, F& b, F& c) {
  a = g.Any<F>();
  b = g.Coin() ? g.Near(a) : g.Any<F>();
  c = g.Any<F>();
  if (op == Op::kFma && g.Coin()) {
    uint32_t unused;
    c = g.Near(Host(kRNE, &unused, [&] { return HostOp(Op::kMul, a, b, c); }));
  }
}

template <class F>
std::string Describe(Op op, F a, F b, F c, RoundingMode rm, NanRule nan, const char* path) {
  return std::string(OpName(op)) + (sizeof(F) == 4 ? ".f32 " : ".f64 ") + Hex(a) + " " + Hex(b) +
         " " + Hex(c) + " rm " + std::to_string(static_cast<int>(rm)) + " nan " +
         std::to_string(static_cast<int>(nan)) + " " + path;
}

template <class F>
void GuestMatchesHost(Op op, uint64_t seed) {
  Gen g(seed);
  int failures = 0;
  for (int i = 0; i < kRandomIters && failures < 10; ++i) {
    F a, b, c;
    Operands(op, g, a, b, c);
    RoundingMode rm = kHostModes[i % 4];
    NanRule nan = kRules[(i / 4) % 3];
    uint32_t want_flags;
    F want = Host(rm, &want_flags, [&] { return HostOp(op, a, b, c); });
    if (std::isnan(want)) {
      // x86 FMA returns a quiet addend for 0 * inf + qNaN without invalid; RISC-V and Arm raise.
      if (op == Op::kFma && nan != NanRule::kX86 && InfTimesZero(a, b) && std::isnan(c))
        want_flags |= kNV;
      want = ExpectedNaN(op, nan, a, b, c, want);
    }
    if (nan != NanRule::kX86) want_flags = NoDE(want_flags);
    // Arm detects tininess before rounding: underflow whenever the exact result is below the
    // smallest normal (so is its toward-zero rounding) and inexact.
    if (nan == NanRule::kArm && (want_flags & kNX) != 0) {
      uint32_t unused;
      F rtz = Host(kRTZ, &unused, [&] { return HostOp(op, a, b, c); });
      if (std::fabs(rtz) < std::numeric_limits<F>::min()) want_flags |= kUF;
    }
    // Static mode under a different and under the same dynamic mode; then the dynamic mode.
    RoundingMode other = kHostModes[(i + 1 + i / 12) % 4];
    const struct {
      RoundingMode aux_rm, dyn;
      const char* name;
    } paths[] = {{rm, other, "static"}, {rm, rm, "static=dyn"}, {kDYN, rm, "dynamic"}};
    for (const auto& p : paths) {
      uint32_t flags;
      F got = Guest(p.dyn, &flags, [&] { return RunOp(op, a, b, c, Aux(p.aux_rm, nan), p.dyn); });
      if (nan != NanRule::kX86) flags = NoDE(flags);
      if (Bits(got) != Bits(want) || flags != want_flags) {
        ++failures;
        ADD_FAILURE() << Describe(op, a, b, c, rm, nan, p.name) << ": got " << Hex(got) << " flags "
                      << flags << ", want " << Hex(want) << " flags " << want_flags;
      }
    }
  }
}

template <class F>
BitsT<F> SoftOp(Op op, F a, F b, F c, soft::Ctx& ctx) {
  switch (op) {
    case Op::kAdd: return soft::Add<F>(Bits(a), Bits(b), ctx);
    case Op::kSub: return soft::Sub<F>(Bits(a), Bits(b), ctx);
    case Op::kMul: return soft::Mul<F>(Bits(a), Bits(b), ctx);
    case Op::kDiv: return soft::Div<F>(Bits(a), Bits(b), ctx);
    case Op::kSqrt: return soft::Sqrt<F>(Bits(a), ctx);
    case Op::kFma: return soft::Fma<F>(Bits(a), Bits(b), Bits(c), ctx);
  }
  return 0;
}

// soft_float with the x86 rule must be indistinguishable from the host in the host's modes.
template <class F>
void SoftMatchesHost(Op op, uint64_t seed) {
  Gen g(seed);
  int failures = 0;
  for (int i = 0; i < 2 * kRandomIters && failures < 10; ++i) {
    F a, b, c;
    Operands(op, g, a, b, c);
    RoundingMode rm = kHostModes[i % 4];
    uint32_t want_flags;
    F want = Host(rm, &want_flags, [&] { return HostOp(op, a, b, c); });
    soft::Ctx ctx;
    ctx.rm = static_cast<uint32_t>(rm);
    ctx.nan = NanRule::kX86;
    BitsT<F> got = SoftOp(op, a, b, c, ctx);
    if (got != Bits(want) || ctx.flags != want_flags) {
      ++failures;
      ADD_FAILURE() << Describe(op, a, b, c, rm, NanRule::kX86, "soft") << ": got "
                    << Hex(uint64_t{got}) << " flags " << ctx.flags << ", want " << Hex(want)
                    << " flags " << want_flags;
    }
  }
}

// Operands whose exact result is often a tie.
template <class F>
void TieOperands(Op op, Gen& g, F& a, F& b, F& c) {
  constexpr int kP = Fmt<F>::kMant + 1;
  auto sign = [&](F x) { return g.Coin() ? -x : x; };
  auto odd = [&](int bits) { return static_cast<F>((g.U64() % (uint64_t{1} << bits)) * 2 + 1); };
  a = g.Any<F>();
  b = g.Any<F>();
  c = g.Any<F>();
  switch (op) {
    case Op::kAdd:
    case Op::kSub: {
      a = sign(std::ldexp(
          static_cast<F>((g.U64() >> 12) % (uint64_t{1} << (kP - 1)) + (uint64_t{1} << (kP - 1))),
          static_cast<int>(g.Below(80)) - 40 - kP));
      b = sign(std::ldexp(odd(3), std::ilogb(a) - kP));
      break;
    }
    case Op::kMul: {
      if (g.Below(4) == 0) {  // subnormal ties
        a = sign(std::ldexp(odd(6), std::numeric_limits<F>::min_exponent - kP));
        b = static_cast<F>(0.5);
        break;
      }
      // An odd significand below 2^(p+1)/3 times 3: exactly p + 1 bits, the last one set.
      uint64_t limit = (uint64_t{1} << (kP + 1)) / 3 - (uint64_t{1} << (kP - 1));
      uint64_t m = ((uint64_t{1} << (kP - 1)) + g.U64() % limit) | 1;
      a = sign(std::ldexp(static_cast<F>(m), static_cast<int>(g.Below(40)) - 20 - kP));
      b = sign(std::ldexp(static_cast<F>(3), static_cast<int>(g.Below(20)) - 10));
      break;
    }
    case Op::kDiv: {  // quotients that lose one bit into the subnormals
      a = sign(std::ldexp(
          odd(kP - 2), std::numeric_limits<F>::min_exponent - kP + static_cast<int>(g.Below(4))));
      b = sign(std::ldexp(static_cast<F>(1), 1 + static_cast<int>(g.Below(8))));
      break;
    }
    case Op::kFma: {
      // Short significands: the product is exact in F, then an addend at half its last place.
      a = sign(std::ldexp(odd(kP / 2 - 1), static_cast<int>(g.Below(20)) - 10));
      b = sign(std::ldexp(odd(kP / 2 - 1), static_cast<int>(g.Below(20)) - 10));
      F p = a * b;
      c = g.Coin() ? sign(std::ldexp(odd(3), std::ilogb(p) - kP))
                   : static_cast<F>(-std::ldexp(std::trunc(std::ldexp(p, kP / 2)), -kP / 2));
      break;
    }
    case Op::kSqrt: break;
  }
}

// RMM: the result is whichever of the toward-zero and away-from-zero neighbours is nearer, away
// on a tie (exact comparison in GMP); the flags are those of RNE, which rounds at the same
// threshold for overflow and differs from RMM only on exact ties.
template <class F>
void RmmMatchesExact(Op op, uint64_t seed) {
  Gen g(seed);
  int failures = 0;
  for (int i = 0; i < kRandomIters && failures < 10; ++i) {
    F a, b, c;
    if (i % 2 == 0) {
      TieOperands(op, g, a, b, c);
    } else {
      Operands(op, g, a, b, c);
    }
    uint32_t want_flags, unused;
    F rne = Host(kRNE, &want_flags, [&] { return HostOp(op, a, b, c); });
    F rtz = Host(kRTZ, &unused, [&] { return HostOp(op, a, b, c); });
    F rup = Host(kRUP, &unused, [&] { return HostOp(op, a, b, c); });
    F rdn = Host(kRDN, &unused, [&] { return HostOp(op, a, b, c); });
    want_flags = NoDE(want_flags);
    F want = rne;
    bool finite = std::isfinite(a) && std::isfinite(b) && (op != Op::kFma || std::isfinite(c));
    if (std::isnan(rne)) {
      if (op == Op::kFma && InfTimesZero(a, b) && std::isnan(c)) want_flags |= kNV;
      want = DefaultNaNOf<F>(NanRule::kCanonical);
    } else if (op != Op::kSqrt && finite && !(op == Op::kDiv && b == 0)) {
      Q exact;
      ExactOp(op, a, b, c, exact);
      if (mpq_sgn(exact.get()) != 0)
        want = RoundAway(exact, rtz, mpq_sgn(exact.get()) > 0 ? rup : rdn);
    }
    const struct { RoundingMode aux_rm, dyn; } paths[] = {{kRMM, kRNE}, {kRMM, kRUP}, {kDYN, kRMM}};
    for (const auto& p : paths) {
      uint32_t flags;
      F got = Guest(p.dyn, &flags, [&] { return RunOp(op, a, b, c, Aux(p.aux_rm), p.dyn); });
      if (Bits(got) != Bits(want) || NoDE(flags) != want_flags) {
        ++failures;
        ADD_FAILURE() << Describe(op, a, b, c, kRMM, NanRule::kCanonical, "rmm") << ": got "
                      << Hex(got) << " flags " << NoDE(flags) << ", want " << Hex(want) << " flags "
                      << want_flags;
      }
    }
  }
}

constexpr Op kOps[] = {Op::kAdd, Op::kSub, Op::kMul, Op::kDiv, Op::kSqrt, Op::kFma};

TEST(FpRandomArith, GuestMatchesHostDouble) {
  for (Op op : kOps) GuestMatchesHost<double>(op, 1000 + static_cast<int>(op));
}
TEST(FpRandomArith, GuestMatchesHostFloat) {
  for (Op op : kOps) GuestMatchesHost<float>(op, 2000 + static_cast<int>(op));
}
TEST(FpRandomArith, SoftMatchesHostDouble) {
  for (Op op : kOps) SoftMatchesHost<double>(op, 3000 + static_cast<int>(op));
}
TEST(FpRandomArith, SoftMatchesHostFloat) {
  for (Op op : kOps) SoftMatchesHost<float>(op, 4000 + static_cast<int>(op));
}
TEST(FpRandomArith, RmmMatchesExactDouble) {
  for (Op op : kOps) RmmMatchesExact<double>(op, 5000 + static_cast<int>(op));
}
TEST(FpRandomArith, RmmMatchesExactFloat) {
  for (Op op : kOps) RmmMatchesExact<float>(op, 6000 + static_cast<int>(op));
}
// The FMA-less fallback in every mode, through the public entry point.
TEST(FpRandomArith, FmaFallbackMatchesHost) {
  HostCaps saved = g_host_caps;
  g_host_caps.fma = false;
  GuestMatchesHost<double>(Op::kFma, 7000);
  GuestMatchesHost<float>(Op::kFma, 7001);
  g_host_caps = saved;
}

}  // namespace
}  // namespace polyvm::ir::sem::testing
