// Software IEEE 754 binary32/binary64 arithmetic in all five rounding modes, on integers only (no
// host FP instruction, so no host flag is touched). It is the exact path for what SSE cannot do:
// round-to-nearest-ties-away (RMM), FMulAdd on hosts without FMA3, FRound without SSE4.1,
// conversions out of range, and Arm's tininess-before-rounding underflow.
//
// Each op returns the result bits and ORs the IEEE flags it raises (ir::FpFlags) into ctx.flags.
// NaN results follow ctx.nan (fp_nan.h); kX86 also reports x86's denormal-operand flag.
#pragma once

#include <cstdint>

#include "fp_bits.h"
#include "fp_nan.h"
#include "polyvm/ir/opcode.h"

namespace polyvm::ir::sem::soft {

struct Ctx {
  uint32_t rm = 0;  // 0..4, RoundingMode
  NanRule nan = NanRule::kCanonical;
  // Underflow: tininess detected before rounding (Arm) or after it (x86, RISC-V).
  bool tiny_before = false;
  uint32_t flags = 0;  // ir::FpFlags raised so far
};

// The context for an op with FpMode `aux` rounding in `rm` (already resolved, 0..4).
inline Ctx MakeCtx(uint32_t rm, uint32_t aux) {
  Ctx c;
  c.rm = rm;
  c.nan = NanRuleOf(aux);
  c.tiny_before = c.nan == NanRule::kArm;
  return c;
}

template <class F>
BitsOf<F> Add(BitsOf<F> a, BitsOf<F> b, Ctx& c);
template <class F>
BitsOf<F> Sub(BitsOf<F> a, BitsOf<F> b, Ctx& c);
template <class F>
BitsOf<F> Mul(BitsOf<F> a, BitsOf<F> b, Ctx& c);
template <class F>
BitsOf<F> Div(BitsOf<F> a, BitsOf<F> b, Ctx& c);
template <class F>
BitsOf<F> Sqrt(BitsOf<F> a, Ctx& c);
// a * b + c, one rounding. 0 * inf + qNaN raises invalid except under kX86 (measured on the host:
// VFMADD returns the quiet NaN without invalid); under kArm it gives the default NaN.
template <class F>
BitsOf<F> Fma(BitsOf<F> a, BitsOf<F> b, BitsOf<F> c, Ctx& ctx);
// (-1)^neg * mag rounded to F.
template <class F>
BitsOf<F> FromInt(bool neg, uint64_t mag, Ctx& c);
// binary64 -> binary32. NaNs keep sign and the top payload bits (x86 and Arm agree) unless
// kCanonical.
uint32_t Narrow(uint64_t a, Ctx& c);
// a rounded to an integral value; inexact only if `exact`.
template <class F>
BitsOf<F> RoundToIntegral(BitsOf<F> a, bool exact, Ctx& c);

// a rounded to an integer in mode rm, before any range check.
struct IntValue {
  bool nan = false;
  bool neg = false;
  bool huge = false;  // |value| >= 2^64 (or infinite)
  uint64_t mag = 0;   // |value| when !huge
  bool inexact = false;
};
template <class F>
IntValue RoundToInt(BitsOf<F> a, uint32_t rm);

}  // namespace polyvm::ir::sem::soft
