// Hand-computed cases for FAdd/FSub/FMul/FDiv/FSqrt/FMulAdd/FRound: ties under each rounding
// mode (RMM included), overflow and underflow by IEEE 754 (tininess after rounding for RISC-V and
// x86, before rounding for Arm), NaN results by rule (RISC-V canonical NaN; Arm ARM
// FPProcessNaNs/FPMulAdd; x86 SDM "QNaN floating-point indefinite" and operand order), and FMA
// cases whose double-rounded result differs.
#include <functional>

#include "fp_check.h"
#include "fp_host.h"

namespace polyvm::ir::sem::testing {
namespace {

constexpr NanRule kCanon = NanRule::kCanonical, kArm = NanRule::kArm, kX86 = NanRule::kX86;

struct Case64 {
  uint64_t a, b, c;
  RoundingMode rm;
  NanRule nan;
  uint64_t want;
  uint32_t flags;
  const char* why;
};
struct Case32 {
  uint32_t a, b, c;
  RoundingMode rm;
  NanRule nan;
  uint32_t want;
  uint32_t flags;
  const char* why;
};

template <class F, class C>
void RunBinary(const char* op_name, const C& k, F (*op)(F, F, uint32_t, RoundingMode)) {
  CheckAllPaths<F>(
      std::string(op_name) + ": " + k.why, k.rm, k.nan == kX86, FromBitsT<F>(k.want), k.flags,
      [&](RoundingMode rm) { return Aux(rm, k.nan); },
      [&](uint32_t aux, RoundingMode dyn) {
        return op(FromBitsT<F>(k.a), FromBitsT<F>(k.b), aux, dyn);
      });
}

constexpr uint64_t kOne = 0x3FF0000000000000, kHalfUlpOne = 0x3CA0000000000000;  // 2^-53
constexpr uint64_t kMax = 0x7FEFFFFFFFFFFFFF, kInf = 0x7FF0000000000000;
constexpr uint64_t kQNaN = 0x7FF8000000000000, kX86NaN = 0xFFF8000000000000;
constexpr uint64_t kSign = 0x8000000000000000;

const Case64 kAdd64[] = {
    {kOne, kHalfUlpOne, 0, kRNE, kCanon, kOne, kNX, "1 + 2^-53 ties to even"},
    {kOne, kHalfUlpOne, 0, kRMM, kCanon, 0x3FF0000000000001, kNX, "1 + 2^-53 ties away"},
    {kOne, kHalfUlpOne, 0, kRTZ, kCanon, kOne, kNX, "1 + 2^-53 RTZ"},
    {kOne, kHalfUlpOne, 0, kRDN, kCanon, kOne, kNX, "1 + 2^-53 RDN"},
    {kOne, kHalfUlpOne, 0, kRUP, kCanon, 0x3FF0000000000001, kNX, "1 + 2^-53 RUP"},
    {kOne | kSign, kHalfUlpOne | kSign, 0, kRMM, kCanon, 0xBFF0000000000001, kNX, "-1 - 2^-53 RMM"},
    {kOne | kSign, kHalfUlpOne | kSign, 0, kRNE, kCanon, 0xBFF0000000000000, kNX, "-1 - 2^-53 RNE"},
    {kOne | kSign, kHalfUlpOne | kSign, 0, kRDN, kCanon, 0xBFF0000000000001, kNX, "-1 - 2^-53 RDN"},
    {kOne | kSign, kHalfUlpOne | kSign, 0, kRUP, kCanon, 0xBFF0000000000000, kNX, "-1 - 2^-53 RUP"},
    {0x3FF0000000000001, kHalfUlpOne, 0, kRNE, kCanon, 0x3FF0000000000002, kNX, "odd tie RNE up"},
    {0x3FF0000000000001, kHalfUlpOne, 0, kRMM, kCanon, 0x3FF0000000000002, kNX, "odd tie RMM up"},
    {kOne, 0x3CA0000000000001, 0, kRNE, kCanon, 0x3FF0000000000001, kNX, "above the tie"},
    {kMax, kMax, 0, kRNE, kCanon, kInf, kOF | kNX, "overflow RNE"},
    {kMax, kMax, 0, kRMM, kCanon, kInf, kOF | kNX, "overflow RMM"},
    {kMax, kMax, 0, kRTZ, kCanon, kMax, kOF | kNX, "overflow RTZ"},
    {kMax, kMax, 0, kRDN, kCanon, kMax, kOF | kNX, "overflow RDN"},
    {kMax | kSign, kMax | kSign, 0, kRDN, kCanon, kInf | kSign, kOF | kNX, "-overflow RDN"},
    {kMax | kSign, kMax | kSign, 0, kRUP, kCanon, kMax | kSign, kOF | kNX, "-overflow RUP"},
    {kMax | kSign, kMax | kSign, 0, kRMM, kCanon, kInf | kSign, kOF | kNX, "-overflow RMM"},
    {kOne, kOne | kSign, 0, kRNE, kCanon, 0, 0, "x - x = +0"},
    {kOne, kOne | kSign, 0, kRDN, kCanon, kSign, 0, "x - x = -0 in RDN"},
    {kOne, kOne | kSign, 0, kRMM, kCanon, 0, 0, "x - x = +0 in RMM"},
    {kSign, kSign, 0, kRMM, kCanon, kSign, 0, "-0 + -0"},
    {0, kSign, 0, kRMM, kCanon, 0, 0, "+0 + -0 RMM"},
    {0, kSign, 0, kRDN, kCanon, kSign, 0, "+0 + -0 RDN"},
    {0x0000000000000003, 0x0000000000000001, 0, kRMM, kCanon, 4, 0, "subnormal sum exact"},
    {kInf, kInf | kSign, 0, kRNE, kCanon, kQNaN, kNV, "inf - inf canonical"},
    {kInf, kInf | kSign, 0, kRNE, kArm, kQNaN, kNV, "inf - inf Arm default NaN"},
    {kInf, kInf | kSign, 0, kRNE, kX86, kX86NaN, kNV, "inf - inf x86 indefinite"},
    {kInf, kInf | kSign, 0, kRMM, kX86, kX86NaN, kNV, "inf - inf x86 indefinite, RMM"},
    {0x7FF8000000000001, 0x7FF0000000000002, 0, kRNE, kCanon, kQNaN, kNV, "qNaN + sNaN canonical"},
    {0x7FF8000000000001, 0x7FF0000000000002, 0, kRNE, kArm, 0x7FF8000000000002, kNV,
     "qNaN + sNaN: Arm picks the signalling one"},
    {0x7FF8000000000001, 0x7FF0000000000002, 0, kRNE, kX86, 0x7FF8000000000001, kNV,
     "qNaN + sNaN: x86 picks the first"},
    {0x7FF8000000000001, 0x7FF0000000000002, 0, kRMM, kArm, 0x7FF8000000000002, kNV,
     "qNaN + sNaN: Arm, RMM"},
    {kOne, 0xFFF0000000000005, 0, kRNE, kArm, 0xFFF8000000000005, kNV, "sNaN quieted, sign kept"},
    {kOne, 0xFFF0000000000005, 0, kRNE, kX86, 0xFFF8000000000005, kNV, "x86 sNaN quieted"},
    {0xFFF8000000000007, kOne, 0, kRNE, kArm, 0xFFF8000000000007, 0, "qNaN passes, no flag"},
    {0xFFF8000000000007, 0x7FF8000000000009, 0, kRNE, kArm, 0xFFF8000000000007, 0,
     "Arm: first qNaN"},
    {0xFFF8000000000007, 0x7FF8000000000009, 0, kRNE, kX86, 0xFFF8000000000007, 0,
     "x86: first qNaN"},
    {0xFFF8000000000007, 0x7FF8000000000009, 0, kRNE, kCanon, kQNaN, 0, "canonical"},
};

TEST(FpArith, AddDouble) {
  for (const Case64& k : kAdd64) RunBinary<double>("FAdd", k, FAdd<double>);
}

TEST(FpArith, SubDouble) {
  const Case64 cases[] = {
      {kOne, kHalfUlpOne | kSign, 0, kRMM, kCanon, 0x3FF0000000000001, kNX, "1 - (-2^-53) RMM"},
      {kOne, kOne, 0, kRDN, kCanon, kSign, 0, "1 - 1 RDN = -0"},
      {kOne, kOne, 0, kRUP, kCanon, 0, 0, "1 - 1 RUP = +0"},
      {kInf, kInf, 0, kRNE, kCanon, kQNaN, kNV, "inf - inf"},
      // The NaN operand is not negated by a subtraction (Arm FPSub, x86 SUBSD).
      {kOne, 0x7FF8000000000003, 0, kRNE, kArm, 0x7FF8000000000003, 0, "1 - qNaN"},
      {kOne, 0x7FF8000000000003, 0, kRMM, kArm, 0x7FF8000000000003, 0, "1 - qNaN RMM"},
      {kOne, 0x7FF8000000000003, 0, kRNE, kX86, 0x7FF8000000000003, 0, "1 - qNaN x86"},
  };
  for (const Case64& k : cases) RunBinary<double>("FSub", k, FSub<double>);
}

TEST(FpArith, MulDouble) {
  const Case64 cases[] = {
      // 3 * (1 + 3 * 2^-52) = 3 + 4.5 ulp (ulp 2^-51 in [2, 4)): a tie between 4 and 5 ulps.
      {0x4008000000000000, 0x3FF0000000000003, 0, kRNE, kCanon, 0x4008000000000004, kNX, "tie RNE"},
      {0x4008000000000000, 0x3FF0000000000003, 0, kRMM, kCanon, 0x4008000000000005, kNX, "tie RMM"},
      {0x4008000000000000, 0x3FF0000000000003, 0, kRTZ, kCanon, 0x4008000000000004, kNX, "tie RTZ"},
      {0x4008000000000000, 0x3FF0000000000003, 0, kRUP, kCanon, 0x4008000000000005, kNX, "tie RUP"},
      {0x4008000000000000, 0xBFF0000000000003, 0, kRMM, kCanon, 0xC008000000000005, kNX,
       "-tie RMM"},
      {0x4008000000000000, 0xBFF0000000000003, 0, kRDN, kCanon, 0xC008000000000005, kNX,
       "-tie RDN"},
      // Smallest normal / 2 is a subnormal, exactly: no underflow flag without inexact.
      {0x0010000000000000, 0x3FE0000000000000, 0, kRNE, kCanon, 0x0008000000000000, 0,
       "exact tiny"},
      // 2^-1074 / 2: a tie between 0 and the smallest subnormal.
      {0x0000000000000001, 0x3FE0000000000000, 0, kRNE, kCanon, 0, kUF | kNX, "2^-1075 RNE"},
      {0x0000000000000001, 0x3FE0000000000000, 0, kRMM, kCanon, 1, kUF | kNX, "2^-1075 RMM"},
      {0x0000000000000001, 0x3FE0000000000000, 0, kRUP, kCanon, 1, kUF | kNX, "2^-1075 RUP"},
      {0x0000000000000001, 0x3FE0000000000000, 0, kRTZ, kCanon, 0, kUF | kNX, "2^-1075 RTZ"},
      {0x8000000000000001, 0x3FE0000000000000, 0, kRMM, kCanon, 0x8000000000000001, kUF | kNX,
       "-2^-1075 RMM"},
      // 5 * 2^-1074 / 2 = 2.5 units: RNE 2, RMM 3.
      {0x0000000000000005, 0x3FE0000000000000, 0, kRNE, kCanon, 2, kUF | kNX, "2.5u RNE"},
      {0x0000000000000005, 0x3FE0000000000000, 0, kRMM, kCanon, 3, kUF | kNX, "2.5u RMM"},
      // The largest subnormal times 1 + 2^-52 rounds up to the smallest normal: tiny before
      // rounding only, so underflow for Arm, not for RISC-V or x86.
      {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRNE, kCanon, 0x0010000000000000, kNX, "after"},
      {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRNE, kX86, 0x0010000000000000, kNX | kDE,
       "after, x86 (denormal operand)"},
      {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRNE, kArm, 0x0010000000000000, kUF | kNX,
       "before (Arm)"},
      {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRMM, kArm, 0x0010000000000000, kUF | kNX,
       "before (Arm), RMM"},
      {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRMM, kCanon, 0x0010000000000000, kNX,
       "after, RMM"},
      {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRTZ, kCanon, 0x000FFFFFFFFFFFFF, kUF | kNX,
       "RTZ stays subnormal"},
      {0x800FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRDN, kArm, 0x8010000000000000, kUF | kNX,
       "-, before (Arm), RDN"},
      {kInf, 0, 0, kRNE, kArm, kQNaN, kNV, "inf * 0 Arm"},
      {kInf, kSign, 0, kRNE, kX86, kX86NaN, kNV, "inf * -0 x86"},
      {kInf, kSign, 0, kRMM, kCanon, kQNaN, kNV, "inf * -0 RMM"},
      {kMax, 0x4000000000000000, 0, kRMM, kCanon, kInf, kOF | kNX, "overflow RMM"},
  };
  for (const Case64& k : cases) RunBinary<double>("FMul", k, FMul<double>);
}

TEST(FpArith, DivDouble) {
  const Case64 cases[] = {
      {kOne, 0x4008000000000000, 0, kRNE, kCanon, 0x3FD5555555555555, kNX, "1/3 RNE"},
      {kOne, 0x4008000000000000, 0, kRUP, kCanon, 0x3FD5555555555556, kNX, "1/3 RUP"},
      {kOne, 0x4008000000000000, 0, kRMM, kCanon, 0x3FD5555555555555, kNX, "1/3 RMM"},
      {0x4000000000000000, 0x4008000000000000, 0, kRMM, kCanon, 0x3FE5555555555555, kNX, "2/3 RMM"},
      {0x4000000000000000, 0x4008000000000000, 0, kRUP, kCanon, 0x3FE5555555555556, kNX, "2/3 RUP"},
      {0x0000000000000005, 0x4000000000000000, 0, kRMM, kCanon, 3, kUF | kNX, "2.5u RMM"},
      {0x0000000000000005, 0x4000000000000000, 0, kRNE, kCanon, 2, kUF | kNX, "2.5u RNE"},
      {kOne, 0, 0, kRNE, kCanon, kInf, kDZ, "1/0"},
      {kOne, kSign, 0, kRMM, kCanon, kInf | kSign, kDZ, "1/-0 RMM"},
      {0, 0, 0, kRNE, kX86, kX86NaN, kNV, "0/0 x86"},
      {0, 0, 0, kRMM, kArm, kQNaN, kNV, "0/0 Arm RMM"},
      {kInf, kInf, 0, kRNE, kArm, kQNaN, kNV, "inf/inf"},
      {0x7FF8000000000001, 0, 0, kRNE, kArm, 0x7FF8000000000001, 0, "qNaN/0: no div-by-zero"},
      {kOne, 0x0000000000000001, 0, kRNE, kCanon, kInf, kOF | kNX, "1/2^-1074 overflows"},
  };
  for (const Case64& k : cases) RunBinary<double>("FDiv", k, FDiv<double>);
}

TEST(FpArith, Float) {
  const Case32 add[] = {
      {0x3F800000, 0x33800000, 0, kRNE, kCanon, 0x3F800000, kNX, "1 + 2^-24 RNE"},
      {0x3F800000, 0x33800000, 0, kRMM, kCanon, 0x3F800001, kNX, "1 + 2^-24 RMM"},
      {0x3F800000, 0x33800000, 0, kRUP, kCanon, 0x3F800001, kNX, "1 + 2^-24 RUP"},
      {0x7F7FFFFF, 0x7F7FFFFF, 0, kRTZ, kCanon, 0x7F7FFFFF, kOF | kNX, "overflow RTZ"},
      {0x7F800000, 0xFF800000, 0, kRNE, kX86, 0xFFC00000, kNV, "inf - inf x86"},
      {0x7F800000, 0xFF800000, 0, kRNE, kArm, 0x7FC00000, kNV, "inf - inf Arm"},
      {0x7F800001, 0x3F800000, 0, kRNE, kCanon, 0x7FC00000, kNV, "sNaN canonical"},
      {0x7F800001, 0x3F800000, 0, kRNE, kArm, 0x7FC00001, kNV, "sNaN quieted"},
  };
  for (const Case32& k : add) RunBinary<float>("FAdd.f32", k, FAdd<float>);
  const Case32 mul[] = {
      // Tininess: (2^23 - 16) * 2^-149 * (1 + 2^-19) = 2^-126 - 2^-164 rounds to 2^-126.
      {0x007FFFF0, 0x3F800010, 0, kRNE, kCanon, 0x00800000, kNX, "after rounding: no underflow"},
      {0x007FFFF0, 0x3F800010, 0, kRNE, kArm, 0x00800000, kUF | kNX, "Arm: underflow"},
      {0x00000005, 0x3F000000, 0, kRMM, kCanon, 0x00000003, kUF | kNX, "2.5u RMM"},
      {0x00000005, 0x3F000000, 0, kRNE, kCanon, 0x00000002, kUF | kNX, "2.5u RNE"},
  };
  for (const Case32& k : mul) RunBinary<float>("FMul.f32", k, FMul<float>);
  const Case32 div[] = {
      {0x3F800000, 0x40400000, 0, kRNE, kCanon, 0x3EAAAAAB, kNX, "1/3 RNE"},
      {0x3F800000, 0x40400000, 0, kRTZ, kCanon, 0x3EAAAAAA, kNX, "1/3 RTZ"},
      {0x3F800000, 0x40400000, 0, kRMM, kCanon, 0x3EAAAAAB, kNX, "1/3 RMM"},
      {0x3F800000, 0x00000000, 0, kRMM, kCanon, 0x7F800000, kDZ, "1/0 RMM"},
  };
  for (const Case32& k : div) RunBinary<float>("FDiv.f32", k, FDiv<float>);
  const Case32 sub[] = {
      {0x3F800000, 0xB3800000, 0, kRMM, kCanon, 0x3F800001, kNX, "1 - (-2^-24) RMM"},
  };
  for (const Case32& k : sub) RunBinary<float>("FSub.f32", k, FSub<float>);
}

template <class F, class C>
void RunUnary(const char* op_name, const C& k, F (*op)(F, uint32_t, RoundingMode),
              bool exact = false) {
  CheckAllPaths<F>(
      std::string(op_name) + ": " + k.why, k.rm, k.nan == kX86, FromBitsT<F>(k.want), k.flags,
      [&](RoundingMode rm) { return Aux(rm, k.nan, 0, false, exact); },
      [&](uint32_t aux, RoundingMode dyn) { return op(FromBitsT<F>(k.a), aux, dyn); });
}

TEST(FpArith, Sqrt) {
  // sqrt(2) = 1.41421356237309504880...; 0x3FF6A09E667F3BCD is above it, ...BCC below.
  const Case64 cases[] = {
      {0x4000000000000000, 0, 0, kRNE, kCanon, 0x3FF6A09E667F3BCD, kNX, "sqrt 2 RNE"},
      {0x4000000000000000, 0, 0, kRMM, kCanon, 0x3FF6A09E667F3BCD, kNX, "sqrt 2 RMM"},
      {0x4000000000000000, 0, 0, kRTZ, kCanon, 0x3FF6A09E667F3BCC, kNX, "sqrt 2 RTZ"},
      {0x4000000000000000, 0, 0, kRDN, kCanon, 0x3FF6A09E667F3BCC, kNX, "sqrt 2 RDN"},
      {0x4000000000000000, 0, 0, kRUP, kCanon, 0x3FF6A09E667F3BCD, kNX, "sqrt 2 RUP"},
      {0x4010000000000000, 0, 0, kRMM, kCanon, 0x4000000000000000, 0, "sqrt 4 RMM"},
      {0x0000000000000004, 0, 0, kRMM, kCanon, 0x1E70000000000000, 0, "sqrt(2^-1072) = 2^-536"},
      {kSign, 0, 0, kRNE, kCanon, kSign, 0, "sqrt -0"},
      {kSign, 0, 0, kRMM, kCanon, kSign, 0, "sqrt -0 RMM"},
      {kInf, 0, 0, kRMM, kCanon, kInf, 0, "sqrt inf"},
      {kOne | kSign, 0, 0, kRNE, kCanon, kQNaN, kNV, "sqrt -1"},
      {kOne | kSign, 0, 0, kRNE, kX86, kX86NaN, kNV, "sqrt -1 x86"},
      {kOne | kSign, 0, 0, kRMM, kArm, kQNaN, kNV, "sqrt -1 Arm RMM"},
      {kInf | kSign, 0, 0, kRNE, kArm, kQNaN, kNV, "sqrt -inf"},
      {0x8000000000000001, 0, 0, kRNE, kCanon, kQNaN, kNV, "sqrt -tiny"},
      {0xFFF0000000000001, 0, 0, kRNE, kArm, 0xFFF8000000000001, kNV, "sqrt sNaN Arm"},
      {0xFFF0000000000001, 0, 0, kRMM, kArm, 0xFFF8000000000001, kNV, "sqrt sNaN Arm RMM"},
  };
  for (const Case64& k : cases) RunUnary<double>("FSqrt", k, FSqrt<double>);
  const Case32 cases32[] = {
      {0x40000000, 0, 0, kRNE, kCanon, 0x3FB504F3, kNX, "sqrt 2 f32 RNE"},
      {0x40000000, 0, 0, kRUP, kCanon, 0x3FB504F4, kNX, "sqrt 2 f32 RUP"},
      {0x40000000, 0, 0, kRMM, kCanon, 0x3FB504F3, kNX, "sqrt 2 f32 RMM"},
  };
  for (const Case32& k : cases32) RunUnary<float>("FSqrt.f32", k, FSqrt<float>);
}

void RunFma64(const Case64& k) {
  CheckAllPaths<double>(
      std::string("FMulAdd: ") + k.why, k.rm, k.nan == kX86, F64(k.want), k.flags,
      [&](RoundingMode rm) { return Aux(rm, k.nan); },
      [&](uint32_t aux, RoundingMode dyn) {
        return FMulAdd<double>(F64(k.a), F64(k.b), F64(k.c), aux, dyn);
      });
}

const Case64 kFma64[] = {
    // (1 + 2^-27)^2 - 1 = 2^-26 + 2^-54 exactly; a separate multiply would lose the 2^-54.
    {0x3FF0000002000000, 0x3FF0000002000000, 0xBFF0000000000000, kRNE, kCanon, 0x3E50000001000000,
     0, "single rounding"},
    // (1 + 2^-26)(1 + 2^-27) - 3 * 2^-27 = 1 + 2^-53: a tie.
    {0x3FF0000004000000, 0x3FF0000002000000, 0xBE58000000000000, kRNE, kCanon, kOne, kNX,
     "tie RNE"},
    {0x3FF0000004000000, 0x3FF0000002000000, 0xBE58000000000000, kRMM, kCanon, 0x3FF0000000000001,
     kNX, "tie RMM"},
    {0x3FF0000004000000, 0x3FF0000002000000, 0xBE58000000000000, kRUP, kCanon, 0x3FF0000000000001,
     kNX, "tie RUP"},
    {0x3FF0000004000000, 0x3FF0000002000000, 0xBE58000000000000, kRTZ, kCanon, kOne, kNX,
     "tie RTZ"},
    {0xBFF0000004000000, 0x3FF0000002000000, 0x3E58000000000000, kRMM, kCanon, 0xBFF0000000000001,
     kNX, "-tie RMM"},
    // 0 * inf + qNaN: RISC-V and Arm raise invalid; x86 VFMADD returns the quiet NaN silently.
    {0, kInf, 0x7FF8000000000003, kRNE, kCanon, kQNaN, kNV, "0*inf+qNaN RISC-V"},
    {0, kInf, 0x7FF8000000000003, kRNE, kArm, kQNaN, kNV, "0*inf+qNaN Arm: default NaN"},
    {0, kInf, 0x7FF8000000000003, kRNE, kX86, 0x7FF8000000000003, 0, "0*inf+qNaN x86"},
    {kInf, 0, 0x7FF8000000000003, kRMM, kArm, kQNaN, kNV, "inf*0+qNaN Arm RMM"},
    {kInf, 0, 0x7FF8000000000003, kRMM, kX86, 0x7FF8000000000003, 0, "inf*0+qNaN x86 RMM"},
    {kInf, 0, 0x7FF0000000000003, kRNE, kArm, 0x7FF8000000000003, kNV, "inf*0+sNaN Arm"},
    {kInf, 0, kOne, kRNE, kX86, kX86NaN, kNV, "inf*0+1 x86"},
    {kInf, 0, kOne, kRNE, kCanon, kQNaN, kNV, "inf*0+1"},
    {kInf, kOne, kInf | kSign, kRNE, kArm, kQNaN, kNV, "inf - inf"},
    // NaN order: Arm FPMulAdd(addend, op1, op2) -> c, a, b with signalling NaNs first; x86
    // VFMADD231 -> a, b, c.
    {0x7FF8000000000001, 0x7FF0000000000002, 0x7FF8000000000003, kRNE, kArm, 0x7FF8000000000002,
     kNV, "Arm: the sNaN"},
    {0x7FF0000000000001, 0x7FF8000000000002, 0x7FF0000000000003, kRNE, kArm, 0x7FF8000000000003,
     kNV, "Arm: the addend's sNaN first"},
    {0x7FF8000000000001, 0x7FF8000000000002, 0x7FF8000000000003, kRNE, kArm, 0x7FF8000000000003, 0,
     "Arm: the addend's qNaN first"},
    {0x7FF0000000000001, 0x7FF8000000000002, 0x7FF0000000000003, kRNE, kX86, 0x7FF8000000000001,
     kNV, "x86: a first"},
    {kOne, 0x7FF8000000000002, 0x7FF0000000000003, kRNE, kX86, 0x7FF8000000000002, kNV,
     "x86: b before c, even a signalling c"},
    {kOne, kOne, 0x7FF8000000000003, kRNE, kX86, 0x7FF8000000000003, 0, "x86: c"},
    {kOne, kOne, 0x7FF8000000000003, kRNE, kCanon, kQNaN, 0, "canonical"},
    // Signed zeros: exact zero results.
    {kOne, kSign, 0, kRNE, kCanon, 0, 0, "-0 + 0 = +0"},
    {kOne, kSign, 0, kRDN, kCanon, kSign, 0, "-0 + 0 = -0 in RDN"},
    {kOne, kSign, kSign, kRMM, kCanon, kSign, 0, "-0 + -0"},
    {kOne, kOne, kOne | kSign, kRDN, kCanon, kSign, 0, "1*1 - 1 RDN"},
    {kOne, kOne, kOne | kSign, kRMM, kCanon, 0, 0, "1*1 - 1 RMM"},
    {kMax, kMax, kInf | kSign, kRMM, kCanon, kInf | kSign, 0, "finite overflow + -inf"},
    {kMax, 0x4000000000000000, kMax | kSign, kRMM, kCanon, kMax, 0, "no intermediate overflow"},
    {kMax, kMax, kOne, kRMM, kCanon, kInf, kOF | kNX, "overflow RMM"},
    // Tiny: 2^-1074 * 0.5 + 0 is a tie at the bottom of the subnormals.
    {0x0000000000000001, 0x3FE0000000000000, 0, kRMM, kCanon, 1, kUF | kNX, "2^-1075 RMM"},
    {0x0000000000000001, 0x3FE0000000000000, 0, kRNE, kCanon, 0, kUF | kNX, "2^-1075 RNE"},
    {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRNE, kArm, 0x0010000000000000, kUF | kNX,
     "Arm tininess"},
    {0x000FFFFFFFFFFFFF, 0x3FF0000000000001, 0, kRNE, kCanon, 0x0010000000000000, kNX,
     "RISC-V tininess"},
};

TEST(FpArith, MulAddDouble) {
  for (const Case64& k : kFma64) RunFma64(k);
}

// The software FMA (hosts without FMA3) gives the same answers, NaN rules and flags included.
TEST(FpArith, MulAddDoubleWithoutHostFma) {
  HostCaps saved = g_host_caps;
  g_host_caps.fma = false;
  for (const Case64& k : kFma64) RunFma64(k);
  g_host_caps = saved;
}

TEST(FpArith, MulAddFloat) {
  const Case32 cases[] = {
      // (1 + 2^-12)^2 - 1 = 2^-11 + 2^-24, exact.
      {0x3F800800, 0x3F800800, 0xBF800000, kRNE, kCanon, 0x3A000400, 0, "single rounding"},
      // (1 + 2^-11)(1 + 2^-12) - 3 * 2^-12 = 1 + 2^-23, exactly.
      {0x3F801000, 0x3F800800, 0xBA400000, kRNE, kCanon, 0x3F800001, 0, "exact 1 + 2^-23"},
      // (1 + 2^-12)(1 + 2^-13) - 3 * 2^-13 = 1 + 2^-25, a quarter ulp: below the tie.
      {0x3F800800, 0x3F800400, 0xB9C00000, kRMM, kCanon, 0x3F800000, kNX, "quarter ulp RMM"},
      {0x3F800800, 0x3F800400, 0xB9C00000, kRUP, kCanon, 0x3F800001, kNX, "quarter ulp RUP"},
      // (1 + 2^-12)(1 + 2^-12) - 2^-11 = 1 + 2^-24: a tie.
      {0x3F800800, 0x3F800800, 0xBA000000, kRNE, kCanon, 0x3F800000, kNX, "tie RNE"},
      {0x3F800800, 0x3F800800, 0xBA000000, kRMM, kCanon, 0x3F800001, kNX, "tie RMM"},
      {0x00000000, 0x7F800000, 0x7FC00001, kRNE, kCanon, 0x7FC00000, kNV, "0*inf+qNaN"},
      {0x00000000, 0x7F800000, 0x7FC00001, kRNE, kX86, 0x7FC00001, 0, "0*inf+qNaN x86"},
  };
  for (bool host_fma : {true, false}) {
    HostCaps saved = g_host_caps;
    g_host_caps.fma = g_host_caps.fma && host_fma;
    for (const Case32& k : cases) {
      CheckAllPaths<float>(
          std::string("FMulAdd.f32: ") + k.why + (host_fma ? "" : " (soft)"), k.rm, k.nan == kX86,
          F32(k.want), k.flags, [&](RoundingMode rm) { return Aux(rm, k.nan); },
          [&](uint32_t aux, RoundingMode dyn) {
            return FMulAdd<float>(F32(k.a), F32(k.b), F32(k.c), aux, dyn);
          });
    }
    g_host_caps = saved;
  }
}

struct RoundCase {
  double a;
  RoundingMode rm;
  double want;
};

// FRound: ties under each mode; `exact` decides the inexact flag.
void CheckFRound(bool soft) {
  HostCaps saved = g_host_caps;
  if (soft) g_host_caps.sse41 = false;
  const RoundCase cases[] = {
      {2.5, kRNE, 2.0},
      {2.5, kRMM, 3.0},
      {2.5, kRTZ, 2.0},
      {2.5, kRDN, 2.0},
      {2.5, kRUP, 3.0},
      {-2.5, kRNE, -2.0},
      {-2.5, kRMM, -3.0},
      {-2.5, kRTZ, -2.0},
      {-2.5, kRDN, -3.0},
      {-2.5, kRUP, -2.0},
      {3.5, kRNE, 4.0},
      {0.5, kRNE, 0.0},
      {0.5, kRMM, 1.0},
      {-0.5, kRNE, -0.0},
      {-0.5, kRMM, -1.0},
      {-0.3, kRUP, -0.0},
      {-0.3, kRDN, -1.0},
      {0.3, kRUP, 1.0},
      {0.7, kRTZ, 0.0},
      {2.4999999999999996, kRMM, 2.0},
      {1e300, kRMM, 1e300},
      {-0.0, kRMM, -0.0},
      {4503599627370495.5, kRMM, 4503599627370496.0},
      {4503599627370495.5, kRNE, 4503599627370496.0},
      {4503599627370494.5, kRNE, 4503599627370494.0},
  };
  for (const RoundCase& k : cases) {
    for (bool exact : {false, true}) {
      uint32_t want_flags = (exact && k.want != k.a) ? kNX : 0;
      CheckAllPaths<double>(
          std::string("FRound ") + std::to_string(k.a) + (soft ? " soft" : ""), k.rm, false, k.want,
          want_flags, [&](RoundingMode rm) { return Aux(rm, kCanon, 0, false, exact); },
          [&](uint32_t aux, RoundingMode dyn) { return FRound<double>(k.a, aux, dyn); });
    }
  }
  // Floats, with values at and beyond 2^23 (already integral).
  const Case32 f32[] = {
      {0x3FC00000, 0, 0, kRMM, kCanon, 0x40000000, kNX, "1.5 RMM"},
      {0xBFC00000, 0, 0, kRNE, kCanon, 0xC0000000, kNX, "-1.5 RNE"},
      {0x4B000001, 0, 0, kRMM, kCanon, 0x4B000001, 0, "2^23 + 1"},
      {0x4AFFFFFF, 0, 0, kRMM, kCanon, 0x4B000000, kNX, "2^23 - 0.5 RMM"},
      {0x4AFFFFFF, 0, 0, kRNE, kCanon, 0x4B000000, kNX, "2^23 - 0.5 RNE"},
      {0x4AFFFFFD, 0, 0, kRNE, kCanon, 0x4AFFFFFC, kNX, "2^23 - 1.5 RNE"},
      {0x00000001, 0, 0, kRUP, kCanon, 0x3F800000, kNX, "tiny RUP"},
      {0x7F800001, 0, 0, kRNE, kCanon, 0x7FC00000, kNV, "sNaN"},
      {0xFF800001, 0, 0, kRNE, kArm, 0xFFC00001, kNV, "sNaN Arm"},
      {0xFF800001, 0, 0, kRMM, kX86, 0xFFC00001, kNV, "sNaN x86 RMM"},
      {0x7FC00001, 0, 0, kRNE, kArm, 0x7FC00001, 0, "qNaN"},
  };
  for (const Case32& k : f32)
    RunUnary<float>(soft ? "FRound.f32 soft" : "FRound.f32", k, FRound<float>, true);
  g_host_caps = saved;
}

TEST(FpArith, Round) { CheckFRound(false); }
TEST(FpArith, RoundWithoutSse41) { CheckFRound(true); }

}  // namespace
}  // namespace polyvm::ir::sem::testing
