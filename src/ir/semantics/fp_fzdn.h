// The FpMode `ftz` and `dn` bits (Arm FPCR.FZ and FPCR.DN) as a layer around the other FP
// semantics: each public function of fp.h whose aux has either bit comes here, and these call it
// back with both bits cleared. Only Arm sets them, so Arm's rules are the ones implemented:
//
// - ftz, inputs (FPUnpack with FPCR.FZ = 1): a subnormal operand reads as a zero of its sign and
//   raises kFpDenormalInput (Arm's IDC), in every op that takes a float (arithmetic, FMulAdd,
//   FSqrt, FRound, FMin/FMax, comparisons, conversions to integers and FConvert).
// - ftz, outputs (FPRoundBase with FPCR.FZ = 1): a result whose exact value is tiny (below the
//   smallest normal magnitude before rounding) becomes a zero of its sign and raises kFpUnderflow
//   alone: no inexact. Only FMul, FDiv, FMulAdd and narrowing FConvert can produce one (a tiny sum
//   is exact, so FAdd/FSub need only the subnormal test).
// - dn (FPProcessNaN with FPCR.DN = 1): every NaN result is the default NaN (0x7fc00000 /
//   0x7ff8000000000000); the flags are those of the NaN rule without DN.
//
// The common case (neither bit) never reaches this file: one test of aux in each function.
#pragma once

#include <cstdint>

#include "polyvm/ir/opcode.h"

namespace polyvm::ir::sem::fzdn {

inline bool Applies(uint32_t aux) { return (aux & kFpModeFtzDn) != 0; }

template <class F>
F Add(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F>
F Sub(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F>
F Mul(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F>
F Div(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F>
F Sqrt(F a, uint32_t aux, RoundingMode dyn);
template <class F>
F MulAdd(F a, F b, F c, uint32_t aux, RoundingMode dyn);
template <class F>
F Round(F a, uint32_t aux, RoundingMode dyn);
template <class F>
F Min(F a, F b, uint32_t aux);
template <class F>
F Max(F a, F b, uint32_t aux);
// op: 0 FCmpEq, 1 FCmpLt, 2 FCmpLe, 3 FCmpUn.
template <class F>
bool Cmp(int op, F a, F b, uint32_t aux);
template <class I, class F>
I ToSInt(F a, uint32_t aux, RoundingMode dyn);
template <class I, class F>
I ToUInt(F a, uint32_t aux, RoundingMode dyn);
template <class To, class From>
To Convert(From a, uint32_t aux, RoundingMode dyn);

}  // namespace polyvm::ir::sem::fzdn
