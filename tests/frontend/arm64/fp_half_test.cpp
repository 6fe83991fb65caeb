// Half-precision conversions (src/frontend/arm64/fp_half.h) on values worked out by hand from
// IEEE 754 binary16 and the Arm ARM's FPRound/FPConvertNaN. Random operands are compared with
// Unicorn in the A64FpSimdDiff simd_fp_est profile.
#include "fp_half.h"

#include <gtest/gtest.h>

#include "polyvm/ir/opcode.h"

namespace polyvm::frontend::arm64 {
namespace {

TEST(Arm64FpHalf, ToHalf) {
  uint32_t flags = 0;
  EXPECT_EQ(FpToHalf(0x3f800000, false, 0, &flags), 0x3c00);  // 1.0
  EXPECT_EQ(FpToHalf(0xc0000000, false, 0, &flags), 0xc000);  // -2.0
  EXPECT_EQ(FpToHalf(0x477fe000, false, 0, &flags), 0x7bff);  // 65504, the largest half
  EXPECT_EQ(FpToHalf(0x33800000, false, 0, &flags), 0x0001);  // 2^-24, the smallest subnormal
  EXPECT_EQ(flags, 0u);
  // 1 + 2^-11 is a tie between 1.0 and 1 + 2^-10: even in RN, up in RP, 1.0 in RZ.
  EXPECT_EQ(FpToHalf(0x3f801000, false, 0, &flags), 0x3c00);
  EXPECT_EQ(FpToHalf(0x3f801000, false, 1, &flags), 0x3c01);
  EXPECT_EQ(FpToHalf(0x3f801000, false, 3, &flags), 0x3c00);
  EXPECT_EQ(flags, ir::kFpInexact);
  // 65520 rounds to infinity in RN (overflow), to the largest half in RZ.
  flags = 0;
  EXPECT_EQ(FpToHalf(0x477ff000, false, 0, &flags), 0x7c00);
  EXPECT_EQ(FpToHalf(0x477ff000, false, 3, &flags), 0x7bff);
  EXPECT_EQ(flags, ir::kFpOverflow | ir::kFpInexact);
  // 2^-25 (double): tiny and inexact, RN ties to even (0), RP gives the smallest subnormal.
  flags = 0;
  EXPECT_EQ(FpToHalf(0x3e60000000000000, true, 0, &flags), 0x0000);
  EXPECT_EQ(FpToHalf(0x3e60000000000000, true, 1, &flags), 0x0001);
  EXPECT_EQ(flags, ir::kFpUnderflow | ir::kFpInexact);
  // A signalling NaN: quieted, top payload bits kept, invalid.
  flags = 0;
  EXPECT_EQ(FpToHalf(0xff802000, false, 0, &flags), 0xfe01);
  EXPECT_EQ(flags, ir::kFpInvalid);
}

TEST(Arm64FpHalf, FromHalf) {
  uint32_t flags = 0;
  EXPECT_EQ(FpFromHalf(0x3c00, false, &flags), 0x3f800000u);
  EXPECT_EQ(FpFromHalf(0x7bff, true, &flags), 0x40effc0000000000u);  // 65504
  EXPECT_EQ(FpFromHalf(0x0001, false, &flags), 0x33800000u);         // 2^-24
  EXPECT_EQ(FpFromHalf(0x8200, true, &flags), 0xbf00000000000000u);  // -2^-15 (subnormal)
  EXPECT_EQ(FpFromHalf(0xfc00, false, &flags), 0xff800000u);
  EXPECT_EQ(flags, 0u);
  EXPECT_EQ(FpFromHalf(0x7c01, false, &flags), 0x7fc02000u);  // signalling NaN, quieted
  EXPECT_EQ(flags, ir::kFpInvalid);
}

}  // namespace
}  // namespace polyvm::frontend::arm64
