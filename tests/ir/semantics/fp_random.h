// Randomized-test support: operand generators that favour the hard cases (NaNs, infinities,
// subnormals, cancellation, exact ties), the host FPU as a reference (SSE/FMA instructions issued
// by the test itself, under fesetround), and exact rationals (GMP) for round-to-nearest-away,
// which the host lacks.
#pragma once

#include <gmp.h>

#include <cmath>
#include <cstdint>
#include <random>

#include "fp_test_util.h"

namespace polyvm::ir::sem::testing {

// Iterations per (operation, type, mode) in the randomized tests.
inline constexpr int kRandomIters = 20000;

template <class F>
struct Fmt {
  static constexpr int kMant = std::is_same_v<F, float> ? 23 : 52;
  static constexpr int kExpBits = std::is_same_v<F, float> ? 8 : 11;
  static constexpr int kBias = std::is_same_v<F, float> ? 127 : 1023;
};

class Gen {
 public:
  explicit Gen(uint64_t seed) : rng_(seed) {}
  uint64_t U64() { return rng_(); }
  uint64_t Below(uint64_t n) { return rng_() % n; }
  bool Coin() { return (rng_() & 1) != 0; }

  // A value of F from a mix of categories.
  template <class F>
  F Any() {
    using B = BitsT<F>;
    constexpr int kM = Fmt<F>::kMant;
    constexpr B kExpMax = (B{1} << Fmt<F>::kExpBits) - 1;
    B sign = Coin() ? B{1} << (sizeof(B) * 8 - 1) : 0;
    B mant = static_cast<B>(U64()) & ((B{1} << kM) - 1);
    switch (Below(16)) {
      case 0: return FromBitsT<F>(static_cast<B>(U64()));  // anything, NaNs included
      case 1: {                                            // special values
        const B specials[] = {0,
                              kExpMax << kM,
                              (kExpMax << kM) | 1,
                              (kExpMax << kM) | (B{1} << (kM - 1)),
                              (kExpMax << kM) | mant,
                              1,
                              (B{1} << kM) - 1,
                              B{1} << kM,
                              ((kExpMax - 1) << kM) | mant};
        return FromBitsT<F>(sign | specials[Below(sizeof specials / sizeof specials[0])]);
      }
      case 2:
      case 3: return FromBitsT<F>(sign | mant >> Below(kM));  // subnormal
      case 4:
      case 5: {  // near the bottom of the normal range
        B e = static_cast<B>(1 + Below(4));
        return FromBitsT<F>(sign | (e << kM) | mant);
      }
      case 6: {  // near the top
        B e = static_cast<B>(kExpMax - 1 - Below(3));
        return FromBitsT<F>(sign | (e << kM) | mant);
      }
      case 7: {  // few significant bits (exact products, ties)
        B e = static_cast<B>(Fmt<F>::kBias - 8 + Below(16));
        B m = mant & ~((B{1} << (kM - Below(6))) - 1);
        return FromBitsT<F>(sign | (e << kM) | m);
      }
      default: {  // ordinary magnitudes around 1
        B e = static_cast<B>(Fmt<F>::kBias - 30 + Below(60));
        return FromBitsT<F>(sign | (e << kM) | mant);
      }
    }
  }

  // A value close to x (a few ulps away, either sign): drives cancellation.
  template <class F>
  F Near(F x) {
    using B = BitsT<F>;
    B b = Bits(x) + static_cast<B>(Below(8)) - 4;
    if (Coin()) b ^= B{1} << (sizeof(B) * 8 - 1);
    return FromBitsT<F>(b);
  }

 private:
  std::mt19937_64 rng_;
};

// ---- the host as reference: the test's own SSE/FMA instructions ----

enum class Op { kAdd, kSub, kMul, kDiv, kSqrt, kFma };

template <class F>
F HostOp(Op op, F a, F b, F c) {
  constexpr bool kF = std::is_same_v<F, float>;
  switch (op) {
    case Op::kAdd:
      if constexpr (kF)
        asm volatile("addss %1, %0" : "+x"(a) : "x"(b));
      else
        asm volatile("addsd %1, %0" : "+x"(a) : "x"(b));
      return a;
    case Op::kSub:
      if constexpr (kF)
        asm volatile("subss %1, %0" : "+x"(a) : "x"(b));
      else
        asm volatile("subsd %1, %0" : "+x"(a) : "x"(b));
      return a;
    case Op::kMul:
      if constexpr (kF)
        asm volatile("mulss %1, %0" : "+x"(a) : "x"(b));
      else
        asm volatile("mulsd %1, %0" : "+x"(a) : "x"(b));
      return a;
    case Op::kDiv:
      if constexpr (kF)
        asm volatile("divss %1, %0" : "+x"(a) : "x"(b));
      else
        asm volatile("divsd %1, %0" : "+x"(a) : "x"(b));
      return a;
    case Op::kSqrt:
      if constexpr (kF)
        asm volatile("sqrtss %0, %0" : "+x"(a));
      else
        asm volatile("sqrtsd %0, %0" : "+x"(a));
      return a;
    case Op::kFma:
      // dst = src2 * src3 + dst, NaN priority src2, src3, dst: a, b, c.
      if constexpr (kF)
        asm volatile("vfmadd231ss %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
      else
        asm volatile("vfmadd231sd %2, %1, %0" : "+x"(c) : "x"(a), "x"(b));
      return c;
  }
  return a;
}

inline const char* OpName(Op op) {
  const char* names[] = {"add", "sub", "mul", "div", "sqrt", "fma"};
  return names[static_cast<int>(op)];
}

// ---- exact rationals ----

class Q {
 public:
  Q() { mpq_init(q_); }
  ~Q() { mpq_clear(q_); }
  Q(const Q&) = delete;
  Q& operator=(const Q&) = delete;
  mpq_t& get() { return q_; }
  void Set(double x) { mpq_set_d(q_, x); }  // exact for finite x
  void SetU64(uint64_t hi_bits_value) {
    mpz_t z;
    mpz_init(z);
    mpz_import(z, 1, 1, sizeof hi_bits_value, 0, 0, &hi_bits_value);
    mpq_set_z(q_, z);
    mpz_clear(z);
  }

 private:
  mpq_t q_;
};

// The exact result of op on finite operands.
template <class F>
void ExactOp(Op op, F a, F b, F c, Q& out) {
  Q x, y, z;
  x.Set(static_cast<double>(a));
  y.Set(static_cast<double>(b));
  if (op == Op::kFma) z.Set(static_cast<double>(c));
  switch (op) {
    case Op::kAdd: mpq_add(out.get(), x.get(), y.get()); break;
    case Op::kSub: mpq_sub(out.get(), x.get(), y.get()); break;
    case Op::kMul: mpq_mul(out.get(), x.get(), y.get()); break;
    case Op::kDiv: mpq_div(out.get(), x.get(), y.get()); break;
    case Op::kFma:
      mpq_mul(out.get(), x.get(), y.get());
      mpq_add(out.get(), out.get(), z.get());
      break;
    case Op::kSqrt: break;  // not rational
  }
}

// Round-to-nearest-away of an exact value whose two neighbours in F are `toward` (rounded toward
// zero) and `away` (rounded away from zero; may be infinite, standing for 2^(emax+1)).
template <class F>
F RoundAway(Q& exact, F toward, F away) {
  if (Bits(toward) == Bits(away)) return toward;
  Q t, a, mid, abs_exact;
  t.Set(static_cast<double>(toward));
  if (std::isinf(away)) {
    // 2^(emax + 1) with the sign of the value.
    mpq_set_ui(a.get(), 1, 1);
    mpq_mul_2exp(a.get(), a.get(), Fmt<F>::kBias + 1);
    if (std::signbit(away)) mpq_neg(a.get(), a.get());
  } else {
    a.Set(static_cast<double>(away));
  }
  mpq_add(mid.get(), t.get(), a.get());
  mpq_div_2exp(mid.get(), mid.get(), 1);
  mpq_abs(mid.get(), mid.get());
  mpq_abs(abs_exact.get(), exact.get());
  return mpq_cmp(abs_exact.get(), mid.get()) >= 0 ? away : toward;
}

}  // namespace polyvm::ir::sem::testing
