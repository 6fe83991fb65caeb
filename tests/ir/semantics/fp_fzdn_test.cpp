// FpMode ftz and dn (Arm FPCR.FZ / FPCR.DN), worked by hand from the Arm ARM pseudocode (DDI 0487:
// FPUnpackBase flushes a subnormal input to zero and raises InputDenorm when FPCR.FZ = 1;
// FPRoundBase flushes a result whose exact value is below 2^emin to zero and raises Underflow
// alone; FPProcessNaN returns FPDefaultNaN when FPCR.DN = 1). kFpDenormalInput stands for IDC.
#include "fp_test_util.h"

namespace polyvm::ir::sem::testing {
namespace {

constexpr uint32_t kIdc = kFpDenormalInput;

uint32_t ArmAux(bool ftz, bool dn, RoundingMode rm = kDYN, uint8_t rule = 0,
                bool signaling = false) {
  FpMode m;
  m.rm = rm;
  m.nan = NanRule::kArm;
  m.rule = rule;
  m.signaling = signaling;
  m.ftz = ftz;
  m.dn = dn;
  return m.Encode();
}
const uint32_t kFz = ArmAux(true, false), kDn = ArmAux(false, true), kNone = ArmAux(false, false);

template <class Fn>
auto InGuest(uint32_t* flags, Fn&& fn) {
  return Guest(kRNE, flags, std::forward<Fn>(fn));
}

TEST(FpFzDn, SubnormalInputReadsAsZeroWithIdc) {
  uint32_t flags;
  // 2^-149 + 1.0: inexact without FZ; exactly 1.0 with IDC alone under FZ.
  float r = InGuest(&flags, [] { return FAdd<float>(F32(1), 1.0f, kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0x3f800000u);
  EXPECT_EQ(flags, kIdc);
  r = InGuest(&flags, [] { return FAdd<float>(F32(1), 1.0f, kNone, kRNE); });
  EXPECT_EQ(Bits(r), 0x3f800000u);
  EXPECT_EQ(flags & ~kIdc, kNX);  // (the host's DE is not IDC without FZ)
  // The flushed zero keeps its sign: -2^-1074 * 3.0 = -0.0.
  double d = InGuest(&flags, [] { return FMul<double>(F64(0x8000000000000001), 3.0, kFz, kRNE); });
  EXPECT_EQ(Bits(d), 0x8000000000000000u);
  EXPECT_EQ(flags, kIdc);
}

TEST(FpFzDn, TinyResultsFlushToZeroWithUnderflowOnly) {
  uint32_t flags;
  // 1e-20f * 1e-20f = 1e-40, below 2^-126: +0.0, UFC without IXC.
  float r = InGuest(&flags, [] { return FMul<float>(1e-20f, 1e-20f, kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0u);
  EXPECT_EQ(flags, kUF);
  // Without FZ the subnormal result is kept, inexact and underflowing.
  r = InGuest(&flags, [] { return FMul<float>(1e-20f, 1e-20f, kNone, kRNE); });
  EXPECT_NE(Bits(r), 0u);
  EXPECT_EQ(flags & ~kIdc, kUF | kNX);
  // An exact subnormal difference (2^-126 + 2^-149) - 2^-126 = 2^-149: zero, UFC.
  r = InGuest(&flags, [] { return FSub<float>(F32(0x00800001), F32(0x00800000), kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0u);
  EXPECT_EQ(flags, kUF);
  // A zero sum is not tiny: x - x = +0 with no flag.
  r = InGuest(&flags, [] { return FSub<float>(F32(0x00800000), F32(0x00800000), kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0u);
  EXPECT_EQ(flags, 0u);
}

TEST(FpFzDn, ResultRoundingUpToTheSmallestNormalIsStillTiny) {
  uint32_t flags;
  // (1 - 2^-24) * 2^-126 = 2^-126 - 2^-150: a tie that rounds (to even) up to 2^-126. Its exact
  // value is below 2^-126, so FZ flushes it: -0.0 for the negative product, UFC only.
  float r =
      InGuest(&flags, [] { return FMul<float>(F32(0xbf7fffff), F32(0x00800000), kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0x80000000u);
  EXPECT_EQ(flags, kUF);
  // Under FZ = 0 (Arm tininess before rounding): 2^-126 with UFC and IXC.
  r = InGuest(&flags, [] { return FMul<float>(F32(0xbf7fffff), F32(0x00800000), kNone, kRNE); });
  EXPECT_EQ(Bits(r), 0x80800000u);
  EXPECT_EQ(flags & ~kIdc, kUF | kNX);
  // 2^-126 exactly (1.0 * 2^-126) is normal: kept, no flag.
  r = InGuest(&flags, [] { return FMul<float>(1.0f, F32(0x00800000), kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0x00800000u);
  EXPECT_EQ(flags, 0u);
}

TEST(FpFzDn, FusedDivideAndNarrowingFlush) {
  uint32_t flags;
  // fma(2^-70, 2^-70, -0.0) = 2^-140: tiny, +0.0 with UFC (exact, but FZ flushes anyway).
  float r = InGuest(&flags, [] {
    return FMulAdd<float>(F32(0x1c800000), F32(0x1c800000), F32(0x80000000), kFz, kRNE);
  });
  EXPECT_EQ(Bits(r), 0u);
  EXPECT_EQ(flags, kUF);
  // 2^-100 / 2^40 = 2^-140 (exact, subnormal in binary32): +0.0, UFC.
  r = InGuest(&flags, [] { return FDiv<float>(F32(0x0d800000), F32(0x53800000), kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0u);
  EXPECT_EQ(flags, kUF);
  // FCVT s, d of 1e-40 (a normal double, tiny as binary32): +0.0 with UFC.
  r = InGuest(&flags, [] { return FConvert<float, double>(1e-40, kFz, kRNE); });
  EXPECT_EQ(Bits(r), 0u);
  EXPECT_EQ(flags, kUF);
  // FCVT d, s of a subnormal binary32: the input is flushed (IDC), the result +0.0.
  double d = InGuest(&flags, [] { return FConvert<double, float>(F32(0x00000005), kFz, kRNE); });
  EXPECT_EQ(Bits(d), 0u);
  EXPECT_EQ(flags, kIdc);
}

TEST(FpFzDn, ComparisonsConversionsAndMinMaxSeeFlushedInputs) {
  uint32_t flags;
  // FCMP of 2^-149 with +0.0 under FZ: equal, IDC.
  bool eq = InGuest(&flags, [] { return FCmpEq<float>(F32(1), F32(0), kFz); });
  EXPECT_TRUE(eq);
  EXPECT_EQ(flags, kIdc);
  bool lt = InGuest(&flags, [] { return FCmpLt<float>(F32(0), F32(1), kFz); });
  EXPECT_FALSE(lt);
  // FCVTZS of a subnormal: 0 with IDC, no IXC.
  int32_t i = InGuest(&flags, [] {
    return FToSInt<int32_t, double>(F64(0x000fffffffffffff), ArmAux(true, false, kRTZ, 1), kRNE);
  });
  EXPECT_EQ(i, 0);
  EXPECT_EQ(flags, kIdc);
  // FMIN(-2^-149, +0.0): both zeros after flushing, so -0.0 (FPMin of zeros ORs the signs).
  float m = InGuest(
      &flags, [] { return FMin<float>(F32(0x80000001), F32(0), ArmAux(true, false, kDYN, 2)); });
  EXPECT_EQ(Bits(m), 0x80000000u);
  EXPECT_EQ(flags, kIdc);
  // FSQRT of -2^-1074: sqrt(-0.0) = -0.0, IDC, no IOC.
  double s = InGuest(&flags, [] { return FSqrt<double>(F64(0x8000000000000001), kFz, kRNE); });
  EXPECT_EQ(Bits(s), 0x8000000000000000u);
  EXPECT_EQ(flags, kIdc);
}

TEST(FpFzDn, DefaultNanReplacesEveryNanResult) {
  uint32_t flags;
  // A quiet NaN operand: propagated (payload kept) without DN, the default NaN with DN.
  float r = InGuest(&flags, [] { return FAdd<float>(F32(0xffc12345), 1.0f, kNone, kRNE); });
  EXPECT_EQ(Bits(r), 0xffc12345u);
  r = InGuest(&flags, [] { return FAdd<float>(F32(0xffc12345), 1.0f, kDn, kRNE); });
  EXPECT_EQ(Bits(r), 0x7fc00000u);
  EXPECT_EQ(flags, 0u);
  // A signalling NaN: the default NaN and IOC.
  double d = InGuest(&flags, [] { return FMul<double>(2.0, F64(0x7ff0000000000001), kDn, kRNE); });
  EXPECT_EQ(Bits(d), 0x7ff8000000000000u);
  EXPECT_EQ(flags, kNV);
  // FMAX (FPMax: any NaN gives a NaN result) and FCVT narrowing.
  r = InGuest(&flags,
              [] { return FMax<float>(1.0f, F32(0x7fd00000), ArmAux(false, true, kDYN, 2)); });
  EXPECT_EQ(Bits(r), 0x7fc00000u);
  r = InGuest(&flags, [] { return FConvert<float, double>(F64(0xfff8000000000123), kDn, kRNE); });
  EXPECT_EQ(Bits(r), 0x7fc00000u);
  // FMINNM with one quiet NaN still returns the number.
  r = InGuest(&flags,
              [] { return FMin<float>(F32(0x7fc00001), 3.0f, ArmAux(false, true, kDYN, 1)); });
  EXPECT_EQ(Bits(r), 0x40400000u);
}

}  // namespace
}  // namespace polyvm::ir::sem::testing
