// The FP v128 ops: each lane follows the scalar rules (rounding mode, NaN rule, flags), the flags
// of all lanes accumulate, conversions keep the lane width. Expected values by hand (IEEE 754,
// RISC-V canonical NaN and fcvt table).
#include "fp_test_util.h"
#include "polyvm/ir/semantics/vec.h"

namespace polyvm::ir::sem::testing {
namespace {

template <class T>
V128 Make(std::initializer_list<T> lanes) {
  V128 v;
  unsigned i = 0;
  for (T x : lanes) v.SetLane<T>(i++, x);
  return v;
}

::testing::AssertionResult Same(const V128& got, const V128& want) {
  if (got == want) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "got " << Hex(got.hi) << ":" << Hex(got.lo) << " want "
                                       << Hex(want.hi) << ":" << Hex(want.lo);
}

constexpr uint32_t kOneF = 0x3F800000, kTieF = 0x33800000;  // 1.0f, 2^-24
constexpr uint32_t kQNaNF = 0x7FC00000, kInfF = 0x7F800000;

TEST(VecFp, ArithmeticF32) {
  const uint32_t rne = Aux(kRNE), rmm = Aux(kRMM);
  V128 a = Make<uint32_t>({kOneF, 0x40000000, 0x7FA00000, kInfF});
  V128 b = Make<uint32_t>({kTieF, 0x40400000, kOneF, 0xFF800000});
  uint32_t flags;
  V128 sum = Guest(kRNE, &flags, [&] { return VFAdd(a, b, 2, rne, kRNE); });
  EXPECT_TRUE(Same(sum, Make<uint32_t>({kOneF, 0x40A00000, kQNaNF, kQNaNF})));
  EXPECT_EQ(NoDE(flags), kNX | kNV);
  V128 sum_rmm = Guest(kRNE, &flags, [&] { return VFAdd(a, b, 2, rmm, kRNE); });
  EXPECT_TRUE(Same(sum_rmm, Make<uint32_t>({0x3F800001, 0x40A00000, kQNaNF, kQNaNF})));
  // 1 - 2^-24 is exact; 2 - 3; sNaN - 1; inf - -inf.
  V128 diff = Guest(kRUP, &flags, [&] { return VFSub(a, b, 2, Aux(kDYN), kRUP); });
  EXPECT_TRUE(Same(diff, Make<uint32_t>({0x3F7FFFFF, 0xBF800000, kQNaNF, kInfF})));
  EXPECT_EQ(NoDE(flags), kNV);
  V128 prod = Guest(kRNE, &flags, [&] { return VFMul(a, b, 2, rne, kRNE); });
  EXPECT_TRUE(Same(prod, Make<uint32_t>({kTieF, 0x40C00000, kQNaNF, 0xFF800000})));
  EXPECT_EQ(NoDE(flags), kNV);
  V128 quot = Guest(kRNE, &flags, [&] {
    return VFDiv(Make<uint32_t>({kOneF, kOneF, 0, 0}), Make<uint32_t>({0x40400000, 0, 0, kOneF}), 2,
                 Aux(kRTZ), kRNE);
  });
  EXPECT_TRUE(Same(quot, Make<uint32_t>({0x3EAAAAAA, kInfF, kQNaNF, 0})));
  EXPECT_EQ(NoDE(flags), kNX | kDZ | kNV);
  V128 root = Guest(kRNE, &flags, [&] {
    return VFSqrt(Make<uint32_t>({0x40800000, 0xBF800000, 0x80000000, 0x40000000}), 2, rne, kRNE);
  });
  EXPECT_TRUE(Same(root, Make<uint32_t>({0x40000000, kQNaNF, 0x80000000, 0x3FB504F3})));
  EXPECT_EQ(NoDE(flags), kNV | kNX);
}

TEST(VecFp, FusedAndMinMaxF64) {
  uint32_t flags;
  // (1 + 2^-27)^2 - 1 = 2^-26 + 2^-54 in lane 0; 0 * inf + 1 in lane 1 (invalid, x86 NaN).
  V128 r = Guest(kRNE, &flags, [&] {
    return VFMulAdd(Make<uint64_t>({0x3FF0000002000000, 0}),
                    Make<uint64_t>({0x3FF0000002000000, 0x7FF0000000000000}),
                    Make<uint64_t>({0xBFF0000000000000, 0x3FF0000000000000}), 3,
                    Aux(kDYN, NanRule::kX86), kRNE);
  });
  EXPECT_TRUE(Same(r, Make<uint64_t>({0x3E50000001000000, 0xFFF8000000000000})));
  EXPECT_EQ(flags, kNV);
  const uint32_t ieee = Aux(kDYN, NanRule::kCanonical, 0);
  V128 a = Make<uint64_t>({0x8000000000000000, 0x7FF8000000000001});
  V128 b = Make<uint64_t>({0, 0x3FF0000000000000});
  V128 mn = Guest(kRNE, &flags, [&] { return VFMin(a, b, 3, ieee); });
  V128 mx = Guest(kRNE, &flags, [&] { return VFMax(a, b, 3, ieee); });
  EXPECT_TRUE(Same(mn, Make<uint64_t>({0x8000000000000000, 0x3FF0000000000000})));
  EXPECT_TRUE(Same(mx, Make<uint64_t>({0, 0x3FF0000000000000})));
  EXPECT_EQ(NoDE(flags), 0u);
}

TEST(VecFp, Compares) {
  V128 a = Make<uint32_t>({kOneF, kOneF, kQNaNF, 0x80000000});
  V128 b = Make<uint32_t>({0x40000000, kOneF, kOneF, 0});
  uint32_t f1, f2, f3, f4;
  const uint32_t quiet = Aux(kDYN), sig = Aux(kDYN, NanRule::kCanonical, 0, true);
  EXPECT_TRUE(Same(Guest(kRNE, &f1, [&] { return VFCmpEq(a, b, 2, quiet); }),
                   Make<uint32_t>({0, 0xFFFFFFFF, 0, 0xFFFFFFFF})));
  EXPECT_TRUE(Same(Guest(kRNE, &f2, [&] { return VFCmpLt(a, b, 2, sig); }),
                   Make<uint32_t>({0xFFFFFFFF, 0, 0, 0})));
  EXPECT_TRUE(Same(Guest(kRNE, &f3, [&] { return VFCmpLe(a, b, 2, sig); }),
                   Make<uint32_t>({0xFFFFFFFF, 0xFFFFFFFF, 0, 0xFFFFFFFF})));
  EXPECT_TRUE(Same(Guest(kRNE, &f4, [&] { return VFCmpUn(a, b, 2, quiet); }),
                   Make<uint32_t>({0, 0, 0xFFFFFFFF, 0})));
  EXPECT_EQ(NoDE(f1), 0u);
  EXPECT_EQ(NoDE(f2), kNV);
  EXPECT_EQ(NoDE(f3), kNV);
  EXPECT_EQ(NoDE(f4), 0u);
  V128 c = Make<uint64_t>({0x7FF0000000000001, 0x3FF0000000000000});
  V128 d = Make<uint64_t>({0, 0x3FF0000000000000});
  EXPECT_TRUE(Same(Guest(kRNE, &f1, [&] { return VFCmpEq(c, d, 3, quiet); }),
                   Make<uint64_t>({0, ~uint64_t{0}})));
  EXPECT_EQ(NoDE(f1), kNV);
}

TEST(VecFp, Conversions) {
  uint32_t flags;
  const uint32_t riscv = Aux(kDYN, NanRule::kCanonical, 0);
  V128 f =
      Make<uint32_t>({0x40200000 /* 2.5 */, kQNaNF, 0xC0200000 /* -2.5 */, 0x4F000000 /* 2^31 */});
  EXPECT_TRUE(Same(Guest(kRNE, &flags, [&] { return VFToSInt(f, 2, riscv, kRNE); }),
                   Make<uint32_t>({2, 0x7FFFFFFF, 0xFFFFFFFE, 0x7FFFFFFF})));
  EXPECT_EQ(NoDE(flags), kNX | kNV);
  EXPECT_TRUE(Same(Guest(kRNE, &flags, [&] { return VFToUInt(f, 2, riscv, kRMM); }),
                   Make<uint32_t>({3, 0xFFFFFFFF, 0, 0x80000000})));
  EXPECT_EQ(NoDE(flags), kNX | kNV);
  V128 d = Make<uint64_t>({0x43E0000000000000 /* 2^63 */, 0xBFE0000000000000 /* -0.5 */});
  EXPECT_TRUE(Same(Guest(kRNE, &flags, [&] { return VFToSInt(d, 3, riscv, kRNE); }),
                   Make<uint64_t>({0x7FFFFFFFFFFFFFFF, 0})));
  EXPECT_EQ(NoDE(flags), kNX | kNV);
  EXPECT_TRUE(Same(Guest(kRNE, &flags, [&] { return VFToUInt(d, 3, riscv, kRNE); }),
                   Make<uint64_t>({0x8000000000000000, 0})));
  EXPECT_EQ(NoDE(flags), kNX);
  V128 i32 = Make<uint32_t>({16777217, 0xFFFFFFFF, 0x80000000, 7});
  EXPECT_TRUE(Same(Guest(kRNE, &flags, [&] { return VSIntToF(i32, 2, riscv, kRNE); }),
                   Make<uint32_t>({0x4B800000, 0xBF800000, 0xCF000000, 0x40E00000})));
  EXPECT_EQ(NoDE(flags), kNX);
  EXPECT_TRUE(Same(Guest(kRNE, &flags, [&] { return VUIntToF(i32, 2, riscv, kRMM); }),
                   Make<uint32_t>({0x4B800001, 0x4F800000, 0x4F000000, 0x40E00000})));
  EXPECT_EQ(NoDE(flags), kNX);
  V128 i64 = Make<uint64_t>({~uint64_t{0}, (uint64_t{1} << 53) + 1});
  EXPECT_TRUE(Same(Guest(kRTZ, &flags, [&] { return VUIntToF(i64, 3, riscv, kRTZ); }),
                   Make<uint64_t>({0x43EFFFFFFFFFFFFF, 0x4340000000000000})));
  EXPECT_EQ(NoDE(flags), kNX);
  EXPECT_TRUE(Same(Guest(kRNE, &flags, [&] { return VSIntToF(i64, 3, riscv, kRNE); }),
                   Make<uint64_t>({0xBFF0000000000000, 0x4340000000000000})));
  EXPECT_EQ(NoDE(flags), kNX);
}

TEST(VecFpDeathTest, InvalidLaneStops) {
  V128 v;
  EXPECT_DEATH(VFAdd(v, v, 1, Aux(kDYN), kRNE), "VFAdd: lane 1");
  EXPECT_DEATH(VFToSInt(v, 0, Aux(kDYN), kRNE), "VFToSInt: lane 0");
}

}  // namespace
}  // namespace polyvm::ir::sem::testing
