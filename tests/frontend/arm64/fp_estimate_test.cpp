// The estimate and round-to-odd functions (src/frontend/arm64/fp_estimate.h) on values worked out
// by hand from the Arm ARM's pseudocode (DDI 0487, RecipEstimate, RecipSqrtEstimate,
// FPRecipEstimate, FPRSqrtEstimate, UnsignedRecipEstimate, FPRound with FPRounding_ODD). The
// random comparison with Unicorn (QEMU's implementation) is the A64FpSimdDiff simd_fp_est profile.
#include "fp_estimate.h"

#include <gtest/gtest.h>

#include "polyvm/ir/opcode.h"

namespace polyvm::frontend::arm64 {
namespace {

TEST(Arm64FpEstimate, TableEndpoints) {
  // RecipEstimate(256): a = 513, b = 2^19 DIV 513 = 1022, r = 1023 DIV 2 = 511.
  EXPECT_EQ(RecipEstimate(256), 511u);
  // RecipEstimate(511): a = 1023, b = 512, r = 256.
  EXPECT_EQ(RecipEstimate(511), 256u);
  // RecipSqrtEstimate(128): a = 257, the loop stops at b = 1022 (257 * 1023^2 >= 2^28), r = 511.
  EXPECT_EQ(RecipSqrtEstimate(128), 511u);
  // RecipSqrtEstimate(511): a = (510 + 1) * 2 = 1022, b stays 512 (1022 * 513^2 >= 2^28), r = 256.
  EXPECT_EQ(RecipSqrtEstimate(511), 256u);
}

TEST(Arm64FpEstimate, FrecpeAndFrsqrte) {
  uint32_t flags = 0;
  // 1.0f: scaled 256, estimate 511, exponent 253 - 127 = 126: 0x3f7f8000 (0.998046875).
  EXPECT_EQ(FpRecipEstimate(0x3f800000, false, 0, &flags), 0x3f7f8000u);
  // 2.0: exponent 2045 - 1024 = 1021, same fraction.
  EXPECT_EQ(FpRecipEstimate(0x4000000000000000, true, 0, &flags), 0x3fdff00000000000u);
  EXPECT_EQ(flags, 0u);
  // Zero: infinity of its sign, divide by zero.
  EXPECT_EQ(FpRecipEstimate(0x80000000, false, 0, &flags), 0xff800000u);
  EXPECT_EQ(flags, ir::kFpDivByZero);
  // The smallest subnormal: overflow; RZ gives the largest normal, RN infinity.
  flags = 0;
  EXPECT_EQ(FpRecipEstimate(0x00000001, false, 3, &flags), 0x7f7fffffu);
  EXPECT_EQ(FpRecipEstimate(0x00000001, false, 0, &flags), 0x7f800000u);
  EXPECT_EQ(flags, ir::kFpOverflow | ir::kFpInexact);
  // A signalling NaN is quieted (invalid); 1/sqrt of a negative number is the default NaN.
  flags = 0;
  EXPECT_EQ(FpRecipEstimate(0x7f800001, false, 0, &flags), 0x7fc00001u);
  EXPECT_EQ(flags, ir::kFpInvalid);
  flags = 0;
  EXPECT_EQ(FpRSqrtEstimate(0xbf800000, false, &flags), 0x7fc00000u);
  EXPECT_EQ(flags, ir::kFpInvalid);
  // 1/sqrt(1.0f): exp 127 odd, scaled 128 (0.25), estimate 511, exponent (380 - 127) DIV 2 = 126.
  flags = 0;
  EXPECT_EQ(FpRSqrtEstimate(0x3f800000, false, &flags), 0x3f7f8000u);
  // 1/sqrt(4.0): exp 1025 odd, scaled 128, exponent (3068 - 1025) DIV 2 = 1021.
  EXPECT_EQ(FpRSqrtEstimate(0x4010000000000000, true, &flags), 0x3fdff00000000000u);
  // 1/sqrt(+inf) = +0.
  EXPECT_EQ(FpRSqrtEstimate(0x7f800000, false, &flags), 0u);
  EXPECT_EQ(flags, 0u);
}

TEST(Arm64FpEstimate, UnsignedEstimates) {
  EXPECT_EQ(UnsignedRecipEstimate(0x7fffffff), 0xffffffffu);
  // 0x80000000: bits 31:23 = 256, estimate 511: 0xff800000.
  EXPECT_EQ(UnsignedRecipEstimate(0x80000000), 0xff800000u);
  EXPECT_EQ(UnsignedRSqrtEstimate(0x3fffffff), 0xffffffffu);
  // 0x40000000: bits 31:23 = 128, estimate 511.
  EXPECT_EQ(UnsignedRSqrtEstimate(0x40000000), 0xff800000u);
}

TEST(Arm64FpEstimate, ConvertToOdd) {
  uint32_t flags = 0;
  EXPECT_EQ(FpConvertToOdd(0x3ff0000000000000, &flags), 0x3f800000u);  // 1.0, exact
  EXPECT_EQ(flags, 0u);
  // 1 + 2^-26: truncated to 1.0, inexact, so the last bit is set.
  EXPECT_EQ(FpConvertToOdd(0x3ff0000004000000, &flags), 0x3f800001u);
  EXPECT_EQ(flags, ir::kFpInexact);
  // Too large: the largest normal (never infinity), overflow and inexact.
  flags = 0;
  EXPECT_EQ(FpConvertToOdd(0x47f0000000000000, &flags), 0x7f7fffffu);
  EXPECT_EQ(flags, ir::kFpOverflow | ir::kFpInexact);
  // Below the smallest subnormal: 0 with the last bit set, underflow.
  flags = 0;
  EXPECT_EQ(FpConvertToOdd(0x3690000000000000, &flags), 0x00000001u);
  EXPECT_EQ(flags, ir::kFpUnderflow | ir::kFpInexact);
  // A signalling NaN: quieted, payload's top bits kept, invalid.
  flags = 0;
  EXPECT_EQ(FpConvertToOdd(0xfff0000020000000, &flags), 0xffc00001u);
  EXPECT_EQ(flags, ir::kFpInvalid);
}

}  // namespace
}  // namespace polyvm::frontend::arm64
