// Reference semantics of the scalar FP IR ops, executed on the host's SSE unit with software
// fix-ups where the guest's rules differ from x86 (NaN results, RMM rounding, saturating and
// unsigned conversions, min/max rules).
//
// The FP environment contract (see docs/ir.md, "FP environment"): while guest code runs, the host
// MXCSR holds the guest's state: all exceptions masked, FTZ/DAZ off, RC = the guest's dynamic
// rounding mode (RNE when that mode is RMM, which x86 lacks), and the sticky flag bits accumulate
// the guest's IEEE flags. EnterGuest/LeaveGuest move that state between the CpuHeader and MXCSR.
// Every function below leaves in MXCSR exactly the flags IEEE 754 and the guest rule require.
//
// `aux` is the op's FpMode encoding; `dyn` is the current dynamic rounding mode (CpuHeader
// fp_round), used when the op's mode says kDynamic. F is float or double.
//
// Details the rules leave open (implemented in src/ir/semantics/):
// - EnterGuestFp/LeaveGuestFp pair up per thread (no nesting). Reserved rounding modes (5, 6; 7
//   as `dyn`) round as RNE.
// - The flags include the host's denormal-operand flag as kFpDenormalInput. It is exact only for
//   ops under NanRule::kX86; other frontends mask it out of what the guest sees.
// - NanRule::kArm also selects Arm's underflow rule (tininess detected before rounding); the
//   others detect it after rounding (IEEE 754 allows both; RISC-V and x86 do so).
// - FMulAdd NaN operand order: kArm c, a, b (FPMulAdd(addend = c, op1 = a, op2 = b)); kX86 a, b, c
//   (VFMADD231). 0 * inf + quiet NaN raises invalid except under kX86 (measured: VFMADD does not).
// - FMin/FMax with MinMaxRule::kX86 return exactly what MINSS/MAXSS return, whatever the NanRule.
// - FToUInt with CvtRule::kIndefinite gives 2^w - 1 for NaN and out-of-range values (AVX-512
//   VCVTTSD2USI), FToSInt the MIN value (CVTTSD2SI's integer indefinite).
#pragma once

#include <cstdint>

#include "polyvm/core/cpu_header.h"
#include "polyvm/ir/opcode.h"

namespace polyvm::ir::sem {

// ---- the environment ----
void EnterGuestFp(const core::CpuHeader& cpu);  // MXCSR <- cpu.fp_round, cpu.fp_flags
void LeaveGuestFp(core::CpuHeader& cpu);        // cpu.fp_flags <- MXCSR flags; host MXCSR restored
uint32_t GetFpFlags();                          // accumulated FpFlags
void SetFpFlags(uint32_t flags);                // replace accumulated FpFlags
void SetFpRound(core::CpuHeader& cpu, uint32_t rm);  // cpu.fp_round = rm and MXCSR.RC follows

// ---- arithmetic ----
template <class F> F FAdd(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F> F FSub(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F> F FMul(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F> F FDiv(F a, F b, uint32_t aux, RoundingMode dyn);
template <class F> F FSqrt(F a, uint32_t aux, RoundingMode dyn);
template <class F> F FMulAdd(F a, F b, F c, uint32_t aux, RoundingMode dyn);
template <class F> F FMin(F a, F b, uint32_t aux);
template <class F> F FMax(F a, F b, uint32_t aux);
template <class F> F FRound(F a, uint32_t aux, RoundingMode dyn);

// ---- comparisons ----
template <class F> bool FCmpEq(F a, F b, uint32_t aux);
template <class F> bool FCmpLt(F a, F b, uint32_t aux);
template <class F> bool FCmpLe(F a, F b, uint32_t aux);
template <class F> bool FCmpUn(F a, F b, uint32_t aux);

// ---- conversions; I is int32_t/int64_t (FToSInt, SIntToF) or uint32_t/uint64_t ----
template <class I, class F> I FToSInt(F a, uint32_t aux, RoundingMode dyn);
template <class I, class F> I FToUInt(F a, uint32_t aux, RoundingMode dyn);
template <class F, class I> F SIntToF(I a, uint32_t aux, RoundingMode dyn);
template <class F, class I> F UIntToF(I a, uint32_t aux, RoundingMode dyn);
template <class To, class From> To FConvert(From a, uint32_t aux, RoundingMode dyn);

}  // namespace polyvm::ir::sem
