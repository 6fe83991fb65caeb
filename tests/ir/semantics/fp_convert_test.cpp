// Hand cases for the conversions. Float -> integer against the RISC-V spec's fcvt table (NaN and
// +inf -> max, -inf -> min, unsigned min 0, invalid without inexact), the Arm ARM FPToFixed
// (NaN -> 0, saturate) and the Intel SDM (CVTTSD2SI's integer indefinite, VCVTTSD2USI's 2^w - 1);
// ties at x.5 in each mode by hand; integer -> float at 2^53 + 1, 2^64 - 1, 2^24 + 1; f64 <-> f32
// NaN payloads (Arm FPConvertNaN, x86 CVTSD2SS) and tininess.
#include <limits>

#include "fp_check.h"

namespace polyvm::ir::sem::testing {
namespace {

constexpr NanRule kCanon = NanRule::kCanonical, kArm = NanRule::kArm, kX86 = NanRule::kX86;
constexpr uint8_t kNanMax = static_cast<uint8_t>(CvtRule::kSaturateNanMax),
                  kNanZero = static_cast<uint8_t>(CvtRule::kSaturateNanZero),
                  kIndef = static_cast<uint8_t>(CvtRule::kIndefinite);

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

template <class I, class F>
void CheckToInt(bool is_signed, F a, RoundingMode rm, uint8_t rule, I want, uint32_t flags) {
  NanRule nan = rule == kIndef ? kX86 : rule == kNanZero ? kArm : kCanon;
  std::string what = std::string(is_signed ? "FToSInt" : "FToUInt") + "<" +
                     std::to_string(sizeof(I) * 8) + "," + (sizeof(F) == 4 ? "f32" : "f64") + "> " +
                     Hex(a) + " rm " + std::to_string(static_cast<int>(rm)) + " rule " +
                     std::to_string(rule);
  CheckAllPaths<I>(
      what, rm, nan == kX86, want, flags, [&](RoundingMode m) { return Aux(m, nan, rule); },
      [&](uint32_t aux, RoundingMode dyn) {
        if constexpr (std::is_signed_v<I>) {
          return FToSInt<I, F>(a, aux, dyn);
        } else {
          return FToUInt<I, F>(a, aux, dyn);
        }
      });
}

constexpr int32_t kI32Max = std::numeric_limits<int32_t>::max();
constexpr int32_t kI32Min = std::numeric_limits<int32_t>::min();
constexpr int64_t kI64Max = std::numeric_limits<int64_t>::max();
constexpr int64_t kI64Min = std::numeric_limits<int64_t>::min();
constexpr uint32_t kU32Max = std::numeric_limits<uint32_t>::max();
constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

TEST(FpConvert, ToInt32Ties) {
  struct C {
    double a;
    RoundingMode rm;
    int32_t want;
  } cases[] = {
      {2.5, kRNE, 2},    {2.5, kRMM, 3},    {2.5, kRTZ, 2},    {2.5, kRDN, 2},    {2.5, kRUP, 3},
      {-2.5, kRNE, -2},  {-2.5, kRMM, -3},  {-2.5, kRTZ, -2},  {-2.5, kRDN, -3},  {-2.5, kRUP, -2},
      {3.5, kRNE, 4},    {0.5, kRNE, 0},    {0.5, kRMM, 1},    {-0.5, kRMM, -1},  {1.25, kRMM, 1},
      {-1.75, kRTZ, -1}, {-1.75, kRUP, -1}, {-1.75, kRDN, -2}, {-1.75, kRNE, -2},
  };
  for (const C& k : cases) {
    CheckToInt<int32_t, double>(true, k.a, k.rm, kNanMax, k.want, kNX);
    CheckToInt<int32_t, float>(true, static_cast<float>(k.a), k.rm, kNanMax, k.want, kNX);
    CheckToInt<int64_t, double>(true, k.a, k.rm, kNanZero, k.want, kNX);
    CheckToInt<int64_t, float>(true, static_cast<float>(k.a), k.rm, kIndef, k.want, kNX);
  }
  CheckToInt<int32_t, double>(true, 7.0, kRMM, kNanMax, 7, 0);
  CheckToInt<int32_t, double>(true, -0.0, kRDN, kNanMax, 0, 0);
  CheckToInt<int64_t, double>(true, F64(1), kRUP, kNanMax, 1, kNX);  // smallest subnormal
  CheckToInt<int64_t, double>(true, F64(0x8000000000000001), kRDN, kNanMax, -1, kNX);
}

TEST(FpConvert, ToSignedOutOfRange) {
  // RISC-V: NaN -> max, +inf/too large -> max, -inf/too small -> min; invalid only.
  for (RoundingMode rm : {kRNE, kRTZ, kRDN, kRUP, kRMM}) {
    CheckToInt<int32_t, double>(true, kNaN, rm, kNanMax, kI32Max, kNV);
    CheckToInt<int32_t, double>(true, kInf, rm, kNanMax, kI32Max, kNV);
    CheckToInt<int32_t, double>(true, -kInf, rm, kNanMax, kI32Min, kNV);
    CheckToInt<int32_t, double>(true, 3e9, rm, kNanMax, kI32Max, kNV);
    CheckToInt<int32_t, double>(true, -3e9, rm, kNanMax, kI32Min, kNV);
    CheckToInt<int64_t, double>(true, kNaN, rm, kNanMax, kI64Max, kNV);
    CheckToInt<int64_t, float>(true, static_cast<float>(kNaN), rm, kNanMax, kI64Max, kNV);
    CheckToInt<int64_t, double>(true, 9223372036854775808.0, rm, kNanMax, kI64Max, kNV);
    CheckToInt<int64_t, double>(true, -9223372036854775808.0, rm, kNanMax, kI64Min, 0);
    CheckToInt<int32_t, double>(true, -2147483648.0, rm, kNanMax, kI32Min, 0);
    CheckToInt<int32_t, double>(true, 2147483647.0, rm, kNanMax, kI32Max, 0);
    CheckToInt<int32_t, float>(true, 2147483648.0f, rm, kNanMax, kI32Max, kNV);
    CheckToInt<int32_t, float>(true, -2147483648.0f, rm, kNanMax, kI32Min, 0);
    // Arm: NaN -> 0, saturate.
    CheckToInt<int32_t, double>(true, kNaN, rm, kNanZero, 0, kNV);
    CheckToInt<int32_t, double>(true, -kInf, rm, kNanZero, kI32Min, kNV);
    CheckToInt<int64_t, double>(true, 1e300, rm, kNanZero, kI64Max, kNV);
    // x86: the integer indefinite for all of them.
    CheckToInt<int32_t, double>(true, kNaN, rm, kIndef, kI32Min, kNV);
    CheckToInt<int32_t, double>(true, 3e9, rm, kIndef, kI32Min, kNV);
    CheckToInt<int64_t, float>(true, 1e30f, rm, kIndef, kI64Min, kNV);
  }
  // Just inside and just outside, by mode: 2147483647.5 and -2147483648.5.
  CheckToInt<int32_t, double>(true, 2147483647.5, kRTZ, kNanMax, kI32Max, kNX);
  CheckToInt<int32_t, double>(true, 2147483647.5, kRDN, kNanMax, kI32Max, kNX);
  CheckToInt<int32_t, double>(true, 2147483647.5, kRNE, kNanMax, kI32Max, kNV);
  CheckToInt<int32_t, double>(true, 2147483647.5, kRUP, kNanMax, kI32Max, kNV);
  CheckToInt<int32_t, double>(true, 2147483647.5, kRMM, kIndef, kI32Min, kNV);
  CheckToInt<int32_t, double>(true, 2147483647.4, kRMM, kIndef, kI32Max, kNX);
  CheckToInt<int32_t, double>(true, -2147483648.5, kRTZ, kNanMax, kI32Min, kNX);
  CheckToInt<int32_t, double>(true, -2147483648.5, kRUP, kNanMax, kI32Min, kNX);
  CheckToInt<int32_t, double>(true, -2147483648.5, kRNE, kNanMax, kI32Min, kNX);  // tie to even
  CheckToInt<int32_t, double>(true, -2147483648.5, kRMM, kNanMax, kI32Min, kNV);
  CheckToInt<int32_t, double>(true, -2147483648.5, kRDN, kIndef, kI32Min, kNV);
  CheckToInt<int32_t, double>(true, -2147483647.5, kRNE, kNanMax, kI32Min, kNX);
}

TEST(FpConvert, ToUnsigned) {
  for (RoundingMode rm : {kRNE, kRTZ, kRDN, kRUP, kRMM}) {
    // RISC-V fcvt.wu/lu: NaN and +inf -> all ones, -inf and negatives -> 0.
    CheckToInt<uint32_t, double>(false, kNaN, rm, kNanMax, kU32Max, kNV);
    CheckToInt<uint32_t, float>(false, static_cast<float>(kInf), rm, kNanMax, kU32Max, kNV);
    CheckToInt<uint32_t, double>(false, -kInf, rm, kNanMax, 0, kNV);
    CheckToInt<uint32_t, double>(false, -1.0, rm, kNanMax, 0, kNV);
    CheckToInt<uint64_t, double>(false, -1.0, rm, kNanMax, 0, kNV);
    CheckToInt<uint32_t, double>(false, 4294967296.0, rm, kNanMax, kU32Max, kNV);
    CheckToInt<uint32_t, double>(false, 4294967295.0, rm, kNanMax, kU32Max, 0);
    CheckToInt<uint64_t, double>(false, 18446744073709551616.0, rm, kNanMax, kU64Max, kNV);
    CheckToInt<uint64_t, double>(false, 18446744073709549568.0, rm, kNanMax, 18446744073709549568u,
                                 0);
    CheckToInt<uint64_t, double>(false, 9223372036854775808.0, rm, kNanMax, 9223372036854775808u,
                                 0);
    CheckToInt<uint64_t, float>(false, 18446742974197923840.0f, rm, kNanMax, 18446742974197923840u,
                                0);
    CheckToInt<uint32_t, double>(false, -0.0, rm, kNanMax, 0, 0);
    // Arm: NaN -> 0, negative -> 0.
    CheckToInt<uint64_t, double>(false, kNaN, rm, kNanZero, 0, kNV);
    CheckToInt<uint32_t, double>(false, -5.0, rm, kNanZero, 0, kNV);
    CheckToInt<uint32_t, double>(false, 1e10, rm, kNanZero, kU32Max, kNV);
    // x86 (AVX-512 VCVTTSD2USI): 2^w - 1 for every invalid case.
    CheckToInt<uint32_t, double>(false, kNaN, rm, kIndef, kU32Max, kNV);
    CheckToInt<uint32_t, double>(false, -2.0, rm, kIndef, kU32Max, kNV);
    CheckToInt<uint64_t, float>(false, -kInf, rm, kIndef, kU64Max, kNV);
  }
  // A negative value that rounds to 0 is 0 with inexact (RISC-V fcvt.wu.s of -0.3 with RTZ).
  CheckToInt<uint32_t, double>(false, -0.3, kRTZ, kNanMax, 0, kNX);
  CheckToInt<uint32_t, float>(false, -0.3f, kRUP, kNanMax, 0, kNX);
  CheckToInt<uint64_t, double>(false, -0.5, kRNE, kNanMax, 0, kNX);
  CheckToInt<uint64_t, double>(false, -0.5, kRMM, kNanMax, 0, kNV);
  CheckToInt<uint32_t, double>(false, -0.3, kRDN, kNanMax, 0, kNV);
  CheckToInt<uint32_t, double>(false, -0.7, kRNE, kNanMax, 0, kNV);
  CheckToInt<uint32_t, double>(false, 2.5, kRMM, kNanMax, 3, kNX);
  CheckToInt<uint32_t, double>(false, 2.5, kRNE, kNanMax, 2, kNX);
  CheckToInt<uint32_t, double>(false, 4294967295.5, kRNE, kNanMax, kU32Max, kNV);
  CheckToInt<uint32_t, double>(false, 4294967295.5, kRTZ, kNanMax, kU32Max, kNX);
  CheckToInt<uint32_t, double>(false, 4294967294.5, kRNE, kNanMax, 4294967294u, kNX);
  CheckToInt<uint32_t, double>(false, 4294967294.5, kRMM, kNanMax, kU32Max, kNX);
  CheckToInt<uint64_t, double>(false, 4503599627370495.5, kRMM, kNanMax, 4503599627370496u, kNX);
}

template <class F, class I>
void CheckFromInt(bool is_signed, I a, RoundingMode rm, F want, uint32_t flags) {
  std::string what = std::string(is_signed ? "SIntToF " : "UIntToF ") + std::to_string(a) + " rm " +
                     std::to_string(static_cast<int>(rm));
  CheckAllPaths<F>(
      what, rm, false, want, flags, [&](RoundingMode m) { return Aux(m); },
      [&](uint32_t aux, RoundingMode dyn) {
        if constexpr (std::is_signed_v<I>) {
          return SIntToF<F, I>(a, aux, dyn);
        } else {
          return UIntToF<F, I>(a, aux, dyn);
        }
      });
}

TEST(FpConvert, FromInt) {
  const int64_t k53p1 = (int64_t{1} << 53) + 1;  // a tie between 2^53 and 2^53 + 2
  const double k53 = 9007199254740992.0, k53p2 = 9007199254740994.0;
  CheckFromInt<double, int64_t>(true, k53p1, kRNE, k53, kNX);
  CheckFromInt<double, int64_t>(true, k53p1, kRMM, k53p2, kNX);
  CheckFromInt<double, int64_t>(true, k53p1, kRTZ, k53, kNX);
  CheckFromInt<double, int64_t>(true, k53p1, kRDN, k53, kNX);
  CheckFromInt<double, int64_t>(true, k53p1, kRUP, k53p2, kNX);
  CheckFromInt<double, int64_t>(true, -k53p1, kRMM, -k53p2, kNX);
  CheckFromInt<double, int64_t>(true, -k53p1, kRDN, -k53p2, kNX);
  CheckFromInt<double, int64_t>(true, -k53p1, kRUP, -k53, kNX);
  CheckFromInt<double, int64_t>(true, k53p1 + 2, kRNE, k53 + 4, kNX);  // 2^53 + 3: up to even
  CheckFromInt<double, int64_t>(true, kI64Min, kRMM, -9223372036854775808.0, 0);
  CheckFromInt<double, int64_t>(true, 0, kRDN, 0.0, 0);
  CheckFromInt<float, int64_t>(true, kI64Max, kRTZ, 9223371487098961920.0f, kNX);
  CheckFromInt<float, int64_t>(true, kI64Max, kRMM, 9223372036854775808.0f, kNX);
  CheckFromInt<float, int32_t>(true, 16777217, kRNE, 16777216.0f, kNX);
  CheckFromInt<float, int32_t>(true, 16777217, kRMM, 16777218.0f, kNX);
  CheckFromInt<float, int32_t>(true, -16777217, kRMM, -16777218.0f, kNX);
  CheckFromInt<float, int32_t>(true, 16777219, kRNE, 16777220.0f, kNX);
  CheckFromInt<float, int32_t>(true, kI32Min, kRUP, -2147483648.0f, 0);
  for (RoundingMode rm : {kRNE, kRTZ, kRDN, kRUP, kRMM})
    CheckFromInt<double, int32_t>(true, kI32Min + 1, rm, -2147483647.0, 0);  // always exact
  // Unsigned 64-bit: no SSE instruction.
  CheckFromInt<double, uint64_t>(false, kU64Max, kRNE, 18446744073709551616.0, kNX);
  CheckFromInt<double, uint64_t>(false, kU64Max, kRMM, 18446744073709551616.0, kNX);
  CheckFromInt<double, uint64_t>(false, kU64Max, kRTZ, 18446744073709549568.0, kNX);
  CheckFromInt<double, uint64_t>(false, kU64Max, kRDN, 18446744073709549568.0, kNX);
  const uint64_t k63p1024 = (uint64_t{1} << 63) + 1024;  // a tie between 2^63 and 2^63 + 2048
  CheckFromInt<double, uint64_t>(false, k63p1024, kRNE, 9223372036854775808.0, kNX);
  CheckFromInt<double, uint64_t>(false, k63p1024, kRMM, 9223372036854777856.0, kNX);
  CheckFromInt<double, uint64_t>(false, k63p1024, kRUP, 9223372036854777856.0, kNX);
  CheckFromInt<double, uint64_t>(false, k63p1024 + 1, kRNE, 9223372036854777856.0, kNX);
  CheckFromInt<double, uint64_t>(false, k63p1024 - 1024, kRTZ, 9223372036854775808.0, 0);
  CheckFromInt<float, uint64_t>(false, kU64Max, kRTZ, 18446742974197923840.0f, kNX);
  CheckFromInt<float, uint64_t>(false, kU64Max, kRMM, 18446744073709551616.0f, kNX);
  CheckFromInt<float, uint32_t>(false, kU32Max, kRNE, 4294967296.0f, kNX);
  CheckFromInt<float, uint32_t>(false, kU32Max, kRTZ, 4294967040.0f, kNX);
  CheckFromInt<double, uint32_t>(false, kU32Max, kRUP, 4294967295.0, 0);
}

template <class To, class From>
void CheckConvert(From a, RoundingMode rm, NanRule nan, To want, uint32_t flags) {
  CheckAllPaths<To>(
      "FConvert " + Hex(a) + " rm " + std::to_string(static_cast<int>(rm)), rm, nan == kX86, want,
      flags, [&](RoundingMode m) { return Aux(m, nan); },
      [&](uint32_t aux, RoundingMode dyn) { return FConvert<To, From>(a, aux, dyn); });
}

TEST(FpConvert, Narrow) {
  const double tie = F64(0x3FF0000010000000);  // 1 + 2^-24: a tie for f32
  CheckConvert<float, double>(tie, kRNE, kCanon, 1.0f, kNX);
  CheckConvert<float, double>(tie, kRMM, kCanon, F32(0x3F800001), kNX);
  CheckConvert<float, double>(tie, kRUP, kCanon, F32(0x3F800001), kNX);
  CheckConvert<float, double>(-tie, kRMM, kCanon, F32(0xBF800001), kNX);
  CheckConvert<float, double>(1e300, kRNE, kCanon, F32(0x7F800000), kOF | kNX);
  CheckConvert<float, double>(1e300, kRTZ, kCanon, F32(0x7F7FFFFF), kOF | kNX);
  CheckConvert<float, double>(-1e300, kRMM, kCanon, F32(0xFF800000), kOF | kNX);
  CheckConvert<float, double>(F64(1), kRNE, kCanon, 0.0f, kUF | kNX);
  CheckConvert<float, double>(F64(1), kRUP, kCanon, F32(1), kUF | kNX);
  CheckConvert<float, double>(F64(1), kRMM, kCanon, 0.0f, kUF | kNX);
  // 2^-150 exactly: a tie between 0 and the smallest f32 subnormal.
  CheckConvert<float, double>(F64(0x3690000000000000), kRMM, kCanon, F32(1), kUF | kNX);
  CheckConvert<float, double>(F64(0x3690000000000000), kRNE, kCanon, 0.0f, kUF | kNX);
  // 2^-126 * (1 - 2^-30) rounds to the smallest normal: tiny only before rounding (Arm).
  const double below_min_normal = F64(0x380FFFFFFF000000);
  CheckConvert<float, double>(below_min_normal, kRNE, kCanon, F32(0x00800000), kNX);
  CheckConvert<float, double>(below_min_normal, kRNE, kArm, F32(0x00800000), kUF | kNX);
  CheckConvert<float, double>(below_min_normal, kRMM, kArm, F32(0x00800000), kUF | kNX);
  CheckConvert<float, double>(below_min_normal, kRTZ, kArm, F32(0x007FFFFF), kUF | kNX);
  // NaNs: RISC-V canonical; Arm and x86 keep sign and the payload's top bits, quieted.
  CheckConvert<float, double>(F64(0x7FF4000000000001), kRNE, kCanon, F32(0x7FC00000), kNV);
  CheckConvert<float, double>(F64(0x7FF4000000000001), kRNE, kArm, F32(0x7FE00000), kNV);
  CheckConvert<float, double>(F64(0xFFF4000020000003), kRNE, kX86, F32(0xFFE00001), kNV);
  CheckConvert<float, double>(F64(0xFFF4000020000003), kRMM, kArm, F32(0xFFE00001), kNV);
  CheckConvert<float, double>(F64(0xFFF8000000000000), kRNE, kArm, F32(0xFFC00000), 0);
  // The x86 denormal-operand flag on a subnormal source.
  CheckConvert<float, double>(F64(1), kRNE, kX86, 0.0f, kUF | kNX | kDE);
}

TEST(FpConvert, Widen) {
  for (RoundingMode rm : {kRNE, kRTZ, kRMM}) {
    CheckConvert<double, float>(F32(1), rm, kCanon, F64(0x36A0000000000000), 0);
    CheckConvert<double, float>(F32(0x7F800001), rm, kCanon, F64(0x7FF8000000000000), kNV);
    CheckConvert<double, float>(F32(0x7F800001), rm, kArm, F64(0x7FF8000020000000), kNV);
    CheckConvert<double, float>(F32(0xFFC00003), rm, kX86, F64(0xFFF8000060000000), 0);
    CheckConvert<double, float>(F32(0xFFC00003), rm, kCanon, F64(0x7FF8000000000000), 0);
    CheckConvert<double, float>(F32(0xFF800000), rm, kCanon, F64(0xFFF0000000000000), 0);
    CheckConvert<double, float>(F32(1), rm, kX86, F64(0x36A0000000000000), kDE);
  }
}

}  // namespace
}  // namespace polyvm::ir::sem::testing
