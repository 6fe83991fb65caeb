// Which NaN an op returns, by NanRule. Used on the slow path (the host result was a NaN) and by
// the software paths. Invalid flags are the caller's business.
//
//   kCanonical  the positive default NaN, always (RISC-V; AArch64 with FPCR.DN).
//   kArm        Arm ARM FPProcessNaNs/FPProcessNaNs3: the first signalling NaN operand quieted,
//               else the first quiet NaN operand, else (invalid operation) the positive default
//               NaN. For FMulAdd the operand order is Arm's FPMulAdd(addend, op1, op2): c, a, b.
//   kX86        what SSE does: the first NaN operand quieted (signalling or not), else the x86
//               default NaN (negative). For FMulAdd: a, b, c (VFMADD231 src2, src3, dst).
#pragma once

#include "fp_bits.h"
#include "polyvm/ir/opcode.h"

namespace polyvm::ir::sem {

template <class F>
constexpr BitsOf<F> DefaultNaN(NanRule rule) {
  return rule == NanRule::kX86 ? FpTraits<F>::kX86DefaultNaN : FpTraits<F>::kCanonicalNaN;
}

// The NaN result of an op with operands ops[0..n) (at least one NaN, or an invalid operation).
template <class F>
constexpr BitsOf<F> PickNaN(NanRule rule, const BitsOf<F>* ops, int n) {
  switch (rule) {
    case NanRule::kArm:
      for (int i = 0; i < n; ++i)
        if (IsSNaN<F>(ops[i])) return Quiet<F>(ops[i]);
      for (int i = 0; i < n; ++i)
        if (IsNaN<F>(ops[i])) return ops[i];
      break;
    case NanRule::kX86:
      for (int i = 0; i < n; ++i)
        if (IsNaN<F>(ops[i])) return Quiet<F>(ops[i]);
      break;
    default: break;
  }
  return DefaultNaN<F>(rule);
}

template <class F>
constexpr BitsOf<F> PickNaN1(NanRule rule, BitsOf<F> a) {
  return PickNaN<F>(rule, &a, 1);
}
template <class F>
constexpr BitsOf<F> PickNaN2(NanRule rule, BitsOf<F> a, BitsOf<F> b) {
  const BitsOf<F> ops[2] = {a, b};
  return PickNaN<F>(rule, ops, 2);
}
// FMulAdd a * b + c.
template <class F>
constexpr BitsOf<F> PickNaN3(NanRule rule, BitsOf<F> a, BitsOf<F> b, BitsOf<F> c) {
  if (rule == NanRule::kArm) {
    const BitsOf<F> ops[3] = {c, a, b};
    return PickNaN<F>(rule, ops, 3);
  }
  const BitsOf<F> ops[3] = {a, b, c};
  return PickNaN<F>(rule, ops, 3);
}

inline NanRule NanRuleOf(uint32_t aux) { return static_cast<NanRule>((aux >> 3) & 3); }

}  // namespace polyvm::ir::sem
