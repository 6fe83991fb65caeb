// FMin/FMax under each MinMaxRule and the FCmp* comparisons. Expected values from the RISC-V
// unprivileged spec (fmin/fmax: IEEE 754-2019 minimumNumber; feq quiet, flt/fle signalling), the
// Arm ARM pseudocode (FPMinNum/FPMin/FPProcessNaNs) and the Intel SDM (MINSD/MAXSD: the second
// operand when unordered or both zero, invalid on any NaN; UCOMISD/COMISD).
#include "fp_check.h"

namespace polyvm::ir::sem::testing {
namespace {

constexpr NanRule kCanon = NanRule::kCanonical, kArmNaN = NanRule::kArm, kX86NaN = NanRule::kX86;
constexpr uint8_t kIeee = static_cast<uint8_t>(MinMaxRule::kIeeeNumber),
                  kArmNum = static_cast<uint8_t>(MinMaxRule::kArmNum),
                  kArmMin = static_cast<uint8_t>(MinMaxRule::kArm),
                  kX86Min = static_cast<uint8_t>(MinMaxRule::kX86);

constexpr uint64_t kOne = 0x3FF0000000000000, kTwo = 0x4000000000000000;
constexpr uint64_t kPZ = 0, kNZ = 0x8000000000000000, kInf = 0x7FF0000000000000;
constexpr uint64_t kQ1 = 0x7FF8000000000001, kQ2 = 0xFFF8000000000002;  // quiet NaNs
constexpr uint64_t kS1 = 0x7FF0000000000001, kS2 = 0xFFF0000000000002;  // signalling NaNs
constexpr uint64_t kCanonNaN = 0x7FF8000000000000, kDenorm = 0x0000000000000001;

struct MinMaxCase {
  uint64_t a, b;
  uint8_t rule;
  NanRule nan;
  uint64_t min, max;
  uint32_t flags;
  const char* why;
};

const MinMaxCase kCases[] = {
    // RISC-V fmin/fmax (kIeeeNumber with the canonical NaN).
    {kOne, kTwo, kIeee, kCanon, kOne, kTwo, 0, "numbers"},
    {kNZ, kPZ, kIeee, kCanon, kNZ, kPZ, 0, "-0 < +0"},
    {kPZ, kNZ, kIeee, kCanon, kNZ, kPZ, 0, "+0 > -0"},
    {kQ1, kOne, kIeee, kCanon, kOne, kOne, 0, "qNaN: the other operand"},
    {kOne, kQ2, kIeee, kCanon, kOne, kOne, 0, "qNaN second"},
    {kS1, kOne, kIeee, kCanon, kOne, kOne, kNV, "sNaN: the other operand, invalid"},
    {kQ1, kQ2, kIeee, kCanon, kCanonNaN, kCanonNaN, 0, "two qNaNs: canonical NaN"},
    {kS1, kQ2, kIeee, kCanon, kCanonNaN, kCanonNaN, kNV, "sNaN and qNaN"},
    {kInf | kNZ, kQ1, kIeee, kCanon, kInf | kNZ, kInf | kNZ, 0, "-inf and qNaN"},
    {kQ1, kQ2, kIeee, kArmNaN, kQ1, kQ1, 0, "two qNaNs under the Arm NaN rule"},
    // Arm FMINNM/FMAXNM.
    {kQ1, kOne, kArmNum, kArmNaN, kOne, kOne, 0, "FMINNM qNaN, 1"},
    {kOne, kQ2, kArmNum, kArmNaN, kOne, kOne, 0, "FMINNM 1, qNaN"},
    {kQ1, kInf, kArmNum, kArmNaN, kInf, kInf, 0, "qNaN, +inf"},
    {kQ1, kInf | kNZ, kArmNum, kArmNaN, kInf | kNZ, kInf | kNZ, 0, "qNaN, -inf"},
    {kS1, kOne, kArmNum, kArmNaN, 0x7FF8000000000001, 0x7FF8000000000001, kNV, "sNaN, 1"},
    {kQ1, kS2, kArmNum, kArmNaN, 0xFFF8000000000002, 0xFFF8000000000002, kNV, "qNaN, sNaN"},
    {kS1, kQ2, kArmNum, kArmNaN, 0x7FF8000000000001, 0x7FF8000000000001, kNV, "sNaN, qNaN"},
    {kS1, kS2, kArmNum, kArmNaN, 0x7FF8000000000001, 0x7FF8000000000001, kNV, "two sNaNs"},
    {kQ2, kQ1, kArmNum, kArmNaN, kQ2, kQ2, 0, "two qNaNs: the first"},
    {kQ2, kQ1, kArmNum, kCanon, kCanonNaN, kCanonNaN, 0, "two qNaNs, FPCR.DN"},
    {kS1, kOne, kArmNum, kCanon, kCanonNaN, kCanonNaN, kNV, "sNaN, FPCR.DN"},
    {kNZ, kPZ, kArmNum, kArmNaN, kNZ, kPZ, 0, "FMINNM -0 +0"},
    // Arm FMIN/FMAX.
    {kQ1, kOne, kArmMin, kArmNaN, kQ1, kQ1, 0, "FMIN qNaN, 1"},
    {kOne, kQ2, kArmMin, kArmNaN, kQ2, kQ2, 0, "FMIN 1, qNaN"},
    {kQ1, kS2, kArmMin, kArmNaN, 0xFFF8000000000002, 0xFFF8000000000002, kNV, "qNaN, sNaN"},
    {kPZ, kNZ, kArmMin, kArmNaN, kNZ, kPZ, 0, "FMIN +0 -0"},
    {kOne, kTwo | kNZ, kArmMin, kArmNaN, kTwo | kNZ, kOne, 0, "1, -2"},
    // x86 MINSD/MAXSD: a < b ? a : b (min), a > b ? a : b (max), else b.
    {kOne, kTwo, kX86Min, kX86NaN, kOne, kTwo, 0, "MINSD 1, 2"},
    {kTwo, kOne, kX86Min, kX86NaN, kOne, kTwo, 0, "MINSD 2, 1"},
    {kNZ, kPZ, kX86Min, kX86NaN, kPZ, kPZ, 0, "-0, +0: the second"},
    {kPZ, kNZ, kX86Min, kX86NaN, kNZ, kNZ, 0, "+0, -0: the second"},
    {kQ1, kOne, kX86Min, kX86NaN, kOne, kOne, kNV, "qNaN first: the second, invalid"},
    {kOne, kQ2, kX86Min, kX86NaN, kQ2, kQ2, kNV, "qNaN second: returned, invalid"},
    {kOne, kS1, kX86Min, kX86NaN, kS1, kS1, kNV, "sNaN second: returned unquieted"},
    {kDenorm, kOne, kX86Min, kX86NaN, kDenorm, kOne, kDE, "denormal operand"},
};

TEST(FpMinMax, Double) {
  for (const MinMaxCase& k : kCases) {
    bool x86 = k.rule == kX86Min;
    uint32_t aux = Aux(kDYN, k.nan, k.rule);
    uint32_t fmin, fmax;
    double rmin = Guest(kRNE, &fmin, [&] { return FMin<double>(F64(k.a), F64(k.b), aux); });
    double rmax = Guest(kRNE, &fmax, [&] { return FMax<double>(F64(k.a), F64(k.b), aux); });
    EXPECT_EQ(Hex(rmin), Hex(k.min)) << "FMin " << k.why;
    EXPECT_EQ(Hex(rmax), Hex(k.max)) << "FMax " << k.why;
    EXPECT_EQ(x86 ? fmin : NoDE(fmin), k.flags) << "FMin flags " << k.why;
    EXPECT_EQ(x86 ? fmax : NoDE(fmax), k.flags) << "FMax flags " << k.why;
  }
}

TEST(FpMinMax, Float) {
  struct C {
    uint32_t a, b;
    uint8_t rule;
    uint32_t min, max, flags;
  } cases[] = {
      {0x80000000, 0x00000000, kIeee, 0x80000000, 0x00000000, 0},
      {0x7FA00000, 0x3F800000, kIeee, 0x3F800000, 0x3F800000, kNV},
      {0x7FC00001, 0xFFC00002, kIeee, 0x7FC00000, 0x7FC00000, 0},
      {0x7FC00001, 0x3F800000, kArmNum, 0x3F800000, 0x3F800000, 0},
      {0x7FC00001, 0x3F800000, kArmMin, 0x7FC00000, 0x7FC00000, 0},  // canonical NaN rule
      {0x80000000, 0x00000000, kX86Min, 0x00000000, 0x00000000, 0},
  };
  for (const C& k : cases) {
    uint32_t aux = Aux(kDYN, kCanon, k.rule);
    uint32_t fmin, fmax;
    float rmin = Guest(kRNE, &fmin, [&] { return FMin<float>(F32(k.a), F32(k.b), aux); });
    float rmax = Guest(kRNE, &fmax, [&] { return FMax<float>(F32(k.a), F32(k.b), aux); });
    EXPECT_EQ(Hex(rmin), Hex(uint64_t{k.min})) << Hex(uint64_t{k.a}) << " " << Hex(uint64_t{k.b});
    EXPECT_EQ(Hex(rmax), Hex(uint64_t{k.max})) << Hex(uint64_t{k.a}) << " " << Hex(uint64_t{k.b});
    EXPECT_EQ(NoDE(fmin), k.flags);
    EXPECT_EQ(NoDE(fmax), k.flags);
  }
}

struct CmpCase {
  uint64_t a, b;
  bool eq, lt, le, un;
  uint32_t quiet_flags;      // FCmp* with the signaling bit clear
  uint32_t signaling_flags;  // with it set
};

// Ordered relations; NaNs unordered; only signalling NaNs raise invalid in quiet compares.
const CmpCase kCmp[] = {
    {kOne, kTwo, false, true, true, false, 0, 0},
    {kTwo, kOne, false, false, false, false, 0, 0},
    {kOne, kOne, true, false, true, false, 0, 0},
    {kNZ, kPZ, true, false, true, false, 0, 0},
    {kInf, kInf, true, false, true, false, 0, 0},
    {kInf | kNZ, kInf, false, true, true, false, 0, 0},
    {kQ1, kOne, false, false, false, true, 0, kNV},
    {kOne, kQ2, false, false, false, true, 0, kNV},
    {kQ1, kQ1, false, false, false, true, 0, kNV},
    {kS1, kOne, false, false, false, true, kNV, kNV},
    {kOne, kS2, false, false, false, true, kNV, kNV},
};

TEST(FpCmp, Double) {
  for (const CmpCase& k : kCmp) {
    for (bool signaling : {false, true}) {
      uint32_t aux = Aux(kDYN, kCanon, 0, signaling);
      uint32_t want = signaling ? k.signaling_flags : k.quiet_flags;
      uint32_t f[4];
      bool eq = Guest(kRNE, &f[0], [&] { return FCmpEq<double>(F64(k.a), F64(k.b), aux); });
      bool lt = Guest(kRNE, &f[1], [&] { return FCmpLt<double>(F64(k.a), F64(k.b), aux); });
      bool le = Guest(kRNE, &f[2], [&] { return FCmpLe<double>(F64(k.a), F64(k.b), aux); });
      bool un = Guest(kRNE, &f[3], [&] { return FCmpUn<double>(F64(k.a), F64(k.b), aux); });
      std::string what = Hex(k.a) + " vs " + Hex(k.b) + (signaling ? " signaling" : " quiet");
      EXPECT_EQ(eq, k.eq) << "eq " << what;
      EXPECT_EQ(lt, k.lt) << "lt " << what;
      EXPECT_EQ(le, k.le) << "le " << what;
      EXPECT_EQ(un, k.un) << "un " << what;
      for (uint32_t fl : f) EXPECT_EQ(NoDE(fl), want) << what;
    }
  }
}

TEST(FpCmp, Float) {
  uint32_t f1, f2, f3, f4;
  const uint32_t quiet = Aux(kDYN), sig = Aux(kDYN, kCanon, 0, true);
  EXPECT_TRUE(Guest(kRNE, &f1, [&] { return FCmpLt<float>(F32(0xBF800000), 1.0f, sig); }));
  EXPECT_FALSE(Guest(kRNE, &f2, [&] { return FCmpLe<float>(F32(0x7FC00000), 1.0f, sig); }));
  EXPECT_FALSE(Guest(kRNE, &f3, [&] { return FCmpEq<float>(F32(0x7FC00000), 1.0f, quiet); }));
  EXPECT_TRUE(Guest(kRNE, &f4, [&] { return FCmpUn<float>(1.0f, F32(0x7F800001), quiet); }));
  EXPECT_EQ(f1, 0u);
  EXPECT_EQ(NoDE(f2), kNV);
  EXPECT_EQ(NoDE(f3), 0u);
  EXPECT_EQ(NoDE(f4), kNV);
  // The x86 denormal-operand flag comes from the host compare.
  uint32_t f5;
  EXPECT_TRUE(Guest(kRNE, &f5, [&] { return FCmpLt<float>(F32(1), 1.0f, quiet); }));
  EXPECT_EQ(f5, kDE);
}

}  // namespace
}  // namespace polyvm::ir::sem::testing
