// The integer v128 ops, lane width by lane width, with hand-computed expectations (wrapping,
// saturation bounds, shift counts at and past the lane width, lane orders of zip/unzip/narrow/
// widen/pairwise add, reductions, the move mask) and the invalid-lane guard.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <limits>

#include "polyvm/ir/semantics/vec.h"

namespace polyvm::ir::sem {
namespace {

template <class T>
V128 Make(std::initializer_list<T> lanes) {
  V128 v;
  unsigned i = 0;
  for (T x : lanes) v.SetLane<T>(i++, x);
  return v;
}
// Lanes i -> first + i * step.
template <class T>
V128 Iota(T first, T step = 1) {
  V128 v;
  for (unsigned i = 0; i < 16 / sizeof(T); ++i) v.SetLane<T>(i, static_cast<T>(first + i * step));
  return v;
}

::testing::AssertionResult Same(const V128& got, const V128& want) {
  if (got == want) return ::testing::AssertionSuccess();
  char buf[96];
  std::snprintf(buf, sizeof buf, "got %016lx:%016lx want %016lx:%016lx", got.hi, got.lo, want.hi,
                want.lo);
  return ::testing::AssertionFailure() << buf;
}

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

TEST(VecInt, AddSubMulWrap) {
  EXPECT_TRUE(Same(VAdd(Make<uint8_t>({0xFF, 1, 0x80}), Make<uint8_t>({1, 1, 0x80}), 0),
                   Make<uint8_t>({0, 2, 0})));
  EXPECT_TRUE(
      Same(VAdd(Make<uint64_t>({kU64Max, 5}), Make<uint64_t>({1, 7}), 3), Make<uint64_t>({0, 12})));
  EXPECT_TRUE(Same(VAdd(Make<uint16_t>({0xFFFF, 0x1234}), Make<uint16_t>({2, 0x1111}), 1),
                   Make<uint16_t>({1, 0x2345})));
  EXPECT_TRUE(
      Same(VSub(Make<uint16_t>({0, 5}), Make<uint16_t>({1, 3}), 1), Make<uint16_t>({0xFFFF, 2})));
  EXPECT_TRUE(Same(VSub(Make<uint32_t>({0, 5, 7, 9}), Make<uint32_t>({1, 3, 7, 10}), 2),
                   Make<uint32_t>({0xFFFFFFFF, 2, 0, 0xFFFFFFFF})));
  EXPECT_TRUE(Same(VMul(Make<uint16_t>({0xFFFF, 300}), Make<uint16_t>({0xFFFF, 300}), 1),
                   Make<uint16_t>({0x0001, 0x5F90})));  // 90000 = 0x15F90
  EXPECT_TRUE(Same(VMul(Make<uint8_t>({16, 15, 0xFF}), Make<uint8_t>({16, 17, 2}), 0),
                   Make<uint8_t>({0, 0xFF, 0xFE})));
  EXPECT_TRUE(Same(VMul(Make<uint32_t>({0x10000, 3}), Make<uint32_t>({0x10000, 5}), 2),
                   Make<uint32_t>({0, 15})));
  EXPECT_TRUE(
      Same(VMul(Make<uint64_t>({0x100000001, 3}), Make<uint64_t>({0x100000001, kU64Max}), 3),
           Make<uint64_t>({0x200000001, kU64Max - 2})));
}

TEST(VecInt, NegAbsPopcount) {
  EXPECT_TRUE(Same(VNeg(Make<uint32_t>({1, 0, 0x80000000, 5}), 2),
                   Make<uint32_t>({0xFFFFFFFF, 0, 0x80000000, 0xFFFFFFFB})));
  EXPECT_TRUE(Same(VNeg(Make<uint8_t>({1, 0x80}), 0), Make<uint8_t>({0xFF, 0x80})));
  EXPECT_TRUE(Same(VAbs(Make<uint8_t>({0x80, 0xFF, 5, 0}), 0), Make<uint8_t>({0x80, 1, 5, 0})));
  EXPECT_TRUE(Same(VAbs(Make<uint64_t>({0x8000000000000000, kU64Max - 1}), 3),
                   Make<uint64_t>({0x8000000000000000, 2})));
  EXPECT_TRUE(Same(VAbs(Make<uint16_t>({0x8001, 0x7FFF}), 1), Make<uint16_t>({0x7FFF, 0x7FFF})));
  EXPECT_TRUE(Same(VPopcount(Make<uint8_t>({0xFF, 0x81, 0}), 0), Make<uint8_t>({8, 2, 0})));
  EXPECT_TRUE(
      Same(VPopcount(Make<uint64_t>({kU64Max, 0x8000000000000001}), 3), Make<uint64_t>({64, 2})));
  EXPECT_TRUE(Same(VPopcount(Make<uint16_t>({0xFFFF, 0x0F0F}), 1), Make<uint16_t>({16, 8})));
}

TEST(VecInt, MinMax) {
  V128 a = Make<uint8_t>({0x80, 0x7F, 3}), b = Make<uint8_t>({0x7F, 0x80, 3});
  EXPECT_TRUE(Same(VMinS(a, b, 0), Make<uint8_t>({0x80, 0x80, 3})));
  EXPECT_TRUE(Same(VMinU(a, b, 0), Make<uint8_t>({0x7F, 0x7F, 3})));
  EXPECT_TRUE(Same(VMaxS(a, b, 0), Make<uint8_t>({0x7F, 0x7F, 3})));
  EXPECT_TRUE(Same(VMaxU(a, b, 0), Make<uint8_t>({0x80, 0x80, 3})));
  V128 c = Make<uint64_t>({kU64Max, 1}), d = Make<uint64_t>({0, 2});
  EXPECT_TRUE(Same(VMinS(c, d, 3), Make<uint64_t>({kU64Max, 1})));
  EXPECT_TRUE(Same(VMinU(c, d, 3), Make<uint64_t>({0, 1})));
  EXPECT_TRUE(Same(VMaxS(c, d, 3), Make<uint64_t>({0, 2})));
  EXPECT_TRUE(Same(VMaxU(c, d, 3), Make<uint64_t>({kU64Max, 2})));
  EXPECT_TRUE(Same(VMinS(Make<uint32_t>({0xFFFFFFFF, 5}), Make<uint32_t>({1, 0x80000000}), 2),
                   Make<uint32_t>({0xFFFFFFFF, 0x80000000})));
  EXPECT_TRUE(Same(VMaxU(Make<uint16_t>({0xFFFF, 5}), Make<uint16_t>({1, 0x8000}), 1),
                   Make<uint16_t>({0xFFFF, 0x8000})));
}

TEST(VecInt, Saturating) {
  EXPECT_TRUE(Same(
      VAddSatS(Make<uint8_t>({0x7F, 0x80, 0x10, 0xFF}), Make<uint8_t>({1, 0xFF, 0x20, 0xFF}), 0),
      Make<uint8_t>({0x7F, 0x80, 0x30, 0xFE})));
  EXPECT_TRUE(Same(VAddSatS(Make<uint64_t>({0x7FFFFFFFFFFFFFFF, 0x8000000000000000}),
                            Make<uint64_t>({1, kU64Max}), 3),
                   Make<uint64_t>({0x7FFFFFFFFFFFFFFF, 0x8000000000000000})));
  EXPECT_TRUE(Same(VAddSatU(Make<uint16_t>({0xFFFF, 3, 0x8000}), Make<uint16_t>({1, 4, 0x8000}), 1),
                   Make<uint16_t>({0xFFFF, 7, 0xFFFF})));
  EXPECT_TRUE(Same(VAddSatU(Make<uint64_t>({kU64Max - 1, 1}), Make<uint64_t>({1, 2}), 3),
                   Make<uint64_t>({kU64Max, 3})));
  EXPECT_TRUE(Same(VSubSatS(Make<uint16_t>({0x8000, 0x7FFF, 5}), Make<uint16_t>({1, 0xFFFF, 3}), 1),
                   Make<uint16_t>({0x8000, 0x7FFF, 2})));
  EXPECT_TRUE(Same(VSubSatS(Make<uint32_t>({0x80000000, 0}), Make<uint32_t>({0, 0x80000000}), 2),
                   Make<uint32_t>({0x80000000, 0x7FFFFFFF})));
  EXPECT_TRUE(
      Same(VSubSatU(Make<uint32_t>({3, 5}), Make<uint32_t>({5, 3}), 2), Make<uint32_t>({0, 2})));
  EXPECT_TRUE(
      Same(VSubSatU(Make<uint8_t>({0, 0xFF}), Make<uint8_t>({1, 0xFE}), 0), Make<uint8_t>({0, 1})));
}

TEST(VecInt, ShiftsByImmediate) {
  EXPECT_TRUE(Same(VShlI(Make<uint8_t>({0x03, 0x81}), 0, 7), Make<uint8_t>({0x80, 0x80})));
  EXPECT_TRUE(Same(VShlI(Make<uint8_t>({0x03, 0x81}), 0, 8), Make<uint8_t>({0, 0})));
  EXPECT_TRUE(Same(VShlI(Make<uint16_t>({0xFFFF}), 1, 15), Make<uint16_t>({0x8000})));
  EXPECT_TRUE(Same(VShlI(Make<uint64_t>({3, 1}), 3, 63),
                   Make<uint64_t>({0x8000000000000000, 0x8000000000000000})));
  EXPECT_TRUE(Same(VShlI(Make<uint64_t>({3, 1}), 3, 64), Make<uint64_t>({0, 0})));
  EXPECT_TRUE(Same(VShlI(Make<uint32_t>({3}), 2, ~uint64_t{0}), Make<uint32_t>({0})));
  EXPECT_TRUE(Same(VLShrI(Make<uint16_t>({0x8000, 0xFFFF}), 1, 15), Make<uint16_t>({1, 1})));
  EXPECT_TRUE(Same(VLShrI(Make<uint16_t>({0x8000, 0xFFFF}), 1, 16), Make<uint16_t>({0, 0})));
  EXPECT_TRUE(Same(VLShrI(Make<uint64_t>({kU64Max}), 3, 1), Make<uint64_t>({kU64Max >> 1})));
  EXPECT_TRUE(Same(VAShrI(Make<uint32_t>({0x80000000, 0x7FFFFFFF, 0xF0000000}), 2, 31),
                   Make<uint32_t>({0xFFFFFFFF, 0, 0xFFFFFFFF})));
  EXPECT_TRUE(Same(VAShrI(Make<uint32_t>({0x80000000, 0x40000000, 0xF0000000}), 2, 100),
                   Make<uint32_t>({0xFFFFFFFF, 0, 0xFFFFFFFF})));
  EXPECT_TRUE(Same(VAShrI(Make<uint32_t>({0xF0000000, 0x70000000}), 2, 4),
                   Make<uint32_t>({0xFF000000, 0x07000000})));
  EXPECT_TRUE(Same(VAShrI(Make<uint8_t>({0x80, 0x40}), 0, 8), Make<uint8_t>({0xFF, 0})));
  EXPECT_TRUE(Same(VAShrI(Make<uint64_t>({0x8000000000000000}), 3, 1),
                   Make<uint64_t>({0xC000000000000000})));
}

TEST(VecInt, Compares) {
  V128 a = Make<uint8_t>({0x80, 1, 5, 0xFF}), b = Make<uint8_t>({0x7F, 1, 4, 0});
  EXPECT_TRUE(Same(VCmpEq(a, b, 0), Make<uint8_t>({0, 0xFF, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                   0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})));
  EXPECT_TRUE(Same(VCmpGtS(a, b, 0), Make<uint8_t>({0, 0, 0xFF, 0})));
  EXPECT_TRUE(Same(VCmpGtU(a, b, 0), Make<uint8_t>({0xFF, 0, 0xFF, 0xFF})));
  EXPECT_TRUE(Same(VCmpGeS(a, b, 0), Make<uint8_t>({0, 0xFF, 0xFF, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})));
  EXPECT_TRUE(
      Same(VCmpGeU(a, b, 0), Make<uint8_t>({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF})));
  V128 c = Make<uint64_t>({kU64Max, 3}), d = Make<uint64_t>({1, 3});
  EXPECT_TRUE(Same(VCmpGtS(c, d, 3), Make<uint64_t>({0, 0})));
  EXPECT_TRUE(Same(VCmpGtU(c, d, 3), Make<uint64_t>({kU64Max, 0})));
  EXPECT_TRUE(Same(VCmpGeS(c, d, 3), Make<uint64_t>({0, kU64Max})));
  EXPECT_TRUE(Same(VCmpEq(Make<uint32_t>({0x80000000, 1}), Make<uint32_t>({0x80000000, 2}), 2),
                   Make<uint32_t>({0xFFFFFFFF, 0, 0xFFFFFFFF, 0xFFFFFFFF})));
  EXPECT_TRUE(Same(VCmpGtS(Make<uint16_t>({0x8000, 0x7FFF}), Make<uint16_t>({0x7FFF, 0x8000}), 1),
                   Make<uint16_t>({0, 0xFFFF})));
}

TEST(VecInt, DupExtractInsert) {
  EXPECT_TRUE(Same(VDup(0x1234567890ABCDEF, 1), Iota<uint16_t>(0xCDEF, 0)));
  EXPECT_TRUE(Same(VDup(0x1234567890ABCDEF, 0), Iota<uint8_t>(0xEF, 0)));
  EXPECT_TRUE(
      Same(VDup(0x1234567890ABCDEF, 3), Make<uint64_t>({0x1234567890ABCDEF, 0x1234567890ABCDEF})));
  EXPECT_TRUE(Same(VDup(0x1234567890ABCDEF, 2), Iota<uint32_t>(0x90ABCDEF, 0)));
  V128 v = Make<uint32_t>({0x11111111, 0x22222222, 0x33333333, 0x44444444});
  EXPECT_EQ(VExtract(v, 2, 3), 0x44444444u);
  EXPECT_EQ(VExtract(v, 0, 15), 0x44u);
  EXPECT_EQ(VExtract(v, 1, 3), 0x2222u);
  EXPECT_EQ(VExtract(v, 3, 1), 0x4444444433333333u);
  EXPECT_TRUE(Same(VInsert(v, 0xABCDEF0199, 2, 1),
                   Make<uint32_t>({0x11111111, 0xCDEF0199, 0x33333333, 0x44444444})));
  EXPECT_TRUE(Same(VInsert(v, 0x1FF, 0, 0),
                   Make<uint32_t>({0x111111FF, 0x22222222, 0x33333333, 0x44444444})));
  EXPECT_TRUE(Same(VInsert(v, 7, 3, 1), Make<uint64_t>({0x2222222211111111, 7})));
}

TEST(VecInt, Table) {
  V128 a = Iota<uint8_t>(0x10);
  V128 idx = Make<uint8_t>({15, 0, 16, 255, 3, 3, 0x80, 1, 2, 4, 5, 6, 7, 8, 9, 14});
  EXPECT_TRUE(Same(VTbl(a, idx), Make<uint8_t>({0x1F, 0x10, 0, 0, 0x13, 0x13, 0, 0x11, 0x12, 0x14,
                                                0x15, 0x16, 0x17, 0x18, 0x19, 0x1E})));
}

TEST(VecInt, ZipUnzip) {
  V128 a = Iota<uint8_t>(0), b = Iota<uint8_t>(16);
  EXPECT_TRUE(Same(VZipLo(a, b, 0),
                   Make<uint8_t>({0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23})));
  EXPECT_TRUE(Same(VZipHi(a, b, 0),
                   Make<uint8_t>({8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31})));
  V128 c = Make<uint64_t>({1, 2}), d = Make<uint64_t>({3, 4});
  EXPECT_TRUE(Same(VZipLo(c, d, 3), Make<uint64_t>({1, 3})));
  EXPECT_TRUE(Same(VZipHi(c, d, 3), Make<uint64_t>({2, 4})));
  EXPECT_TRUE(Same(VZipLo(Iota<uint32_t>(0), Iota<uint32_t>(4), 2), Make<uint32_t>({0, 4, 1, 5})));
  V128 e = Iota<uint16_t>(0), f = Iota<uint16_t>(8);
  EXPECT_TRUE(Same(VUzpEven(e, f, 1), Make<uint16_t>({0, 2, 4, 6, 8, 10, 12, 14})));
  EXPECT_TRUE(Same(VUzpOdd(e, f, 1), Make<uint16_t>({1, 3, 5, 7, 9, 11, 13, 15})));
  EXPECT_TRUE(Same(VUzpEven(c, d, 3), Make<uint64_t>({1, 3})));
  EXPECT_TRUE(Same(VUzpOdd(c, d, 3), Make<uint64_t>({2, 4})));
  EXPECT_TRUE(Same(VUzpOdd(a, b, 0),
                   Make<uint8_t>({1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31})));
}

TEST(VecInt, NarrowWiden) {
  EXPECT_TRUE(Same(VNarrow(Make<uint32_t>({0x12345678, 0xABCDEF01, 0xFFFF0002, 3}), 2),
                   Make<uint16_t>({0x5678, 0xEF01, 0x0002, 0x0003, 0, 0, 0, 0})));
  EXPECT_TRUE(Same(VNarrow(Iota<uint16_t>(0x1FF), 1),
                   Make<uint8_t>({0xFF, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06})));
  EXPECT_TRUE(Same(VNarrow(Make<uint64_t>({0x1122334455667788, 0x99AABBCCDDEEFF00}), 3),
                   Make<uint32_t>({0x55667788, 0xDDEEFF00, 0, 0})));
  V128 bytes = Make<uint8_t>({0x80, 0x7F, 0xFF, 1, 2, 3, 4, 5, 0x90, 9, 10, 11, 12, 13, 14, 0xFE});
  EXPECT_TRUE(Same(VWidenLoS(bytes, 0), Make<uint16_t>({0xFF80, 0x007F, 0xFFFF, 1, 2, 3, 4, 5})));
  EXPECT_TRUE(Same(VWidenLoU(bytes, 0), Make<uint16_t>({0x80, 0x7F, 0xFF, 1, 2, 3, 4, 5})));
  EXPECT_TRUE(Same(VWidenHiS(bytes, 0), Make<uint16_t>({0xFF90, 9, 10, 11, 12, 13, 14, 0xFFFE})));
  EXPECT_TRUE(Same(VWidenHiU(bytes, 0), Make<uint16_t>({0x90, 9, 10, 11, 12, 13, 14, 0xFE})));
  V128 halves = Make<uint16_t>({1, 0x8000, 3, 4, 0xFFFF, 6, 7, 0x8001});
  EXPECT_TRUE(Same(VWidenHiS(halves, 1), Make<uint32_t>({0xFFFFFFFF, 6, 7, 0xFFFF8001})));
  EXPECT_TRUE(Same(VWidenLoS(halves, 1), Make<uint32_t>({1, 0xFFFF8000, 3, 4})));
  EXPECT_TRUE(Same(VWidenHiU(halves, 1), Make<uint32_t>({0xFFFF, 6, 7, 0x8001})));
  V128 words = Make<uint32_t>({0x80000000, 1, 0xFFFFFFFF, 2});
  EXPECT_TRUE(Same(VWidenLoS(words, 2), Make<uint64_t>({0xFFFFFFFF80000000, 1})));
  EXPECT_TRUE(Same(VWidenHiU(words, 2), Make<uint64_t>({0xFFFFFFFF, 2})));
  EXPECT_TRUE(Same(VWidenHiS(words, 2), Make<uint64_t>({kU64Max, 2})));
  EXPECT_TRUE(Same(VWidenLoU(words, 2), Make<uint64_t>({0x80000000, 1})));
}

TEST(VecInt, PairwiseAndReductions) {
  EXPECT_TRUE(
      Same(VPairAdd(Make<uint32_t>({1, 2, 3, 4}), Make<uint32_t>({10, 20, 0xFFFFFFFF, 1}), 2),
           Make<uint32_t>({3, 7, 30, 0})));
  EXPECT_TRUE(Same(VPairAdd(Make<uint64_t>({kU64Max, 2}), Make<uint64_t>({5, 6}), 3),
                   Make<uint64_t>({1, 11})));
  EXPECT_TRUE(Same(VPairAdd(Iota<uint8_t>(0), Iota<uint8_t>(0x80), 0),
                   Make<uint8_t>({1, 5, 9, 13, 17, 21, 25, 29, 0x01, 0x05, 0x09, 0x0D, 0x11, 0x15,
                                  0x19, 0x1D})));
  EXPECT_EQ(VReduceAdd(Iota<uint8_t>(0), 0), 120u);
  EXPECT_EQ(VReduceAdd(Iota<uint8_t>(0xFF, 0), 0), 0xF0u);  // 16 * 255 mod 256
  EXPECT_EQ(VReduceAdd(Make<uint64_t>({kU64Max, 2}), 3), 1u);
  EXPECT_EQ(VReduceAdd(Make<uint16_t>({0x8000, 0x8000, 1}), 1), 1u);
  V128 h = Make<uint16_t>({5, 0x8000, 0x7FFF, 0xFFFF, 7, 8, 9, 10});
  EXPECT_EQ(VReduceMinS(h, 1), 0x8000u);
  EXPECT_EQ(VReduceMinU(h, 1), 5u);
  EXPECT_EQ(VReduceMaxS(h, 1), 0x7FFFu);
  EXPECT_EQ(VReduceMaxU(h, 1), 0xFFFFu);
  V128 w = Make<uint64_t>({kU64Max, 3});
  EXPECT_EQ(VReduceMinS(w, 3), kU64Max);
  EXPECT_EQ(VReduceMaxS(w, 3), 3u);
  EXPECT_EQ(VReduceMinU(w, 3), 3u);
  V128 bytes = Make<uint8_t>({3, 0xFE, 2, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9});
  EXPECT_EQ(VReduceMinS(bytes, 0), 0xFEu);
  EXPECT_EQ(VReduceMaxU(bytes, 0), 0xFEu);
  EXPECT_EQ(VReduceMaxS(bytes, 0), 9u);
  EXPECT_EQ(VReduceMinU(Make<uint32_t>({4, 3, 0x80000000, 2}), 2), 2u);
}

TEST(VecInt, MoveMask) {
  EXPECT_EQ(
      VMoveMask(Make<uint8_t>({0x80, 0, 0xFF, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80}), 0),
      0x8005u);
  EXPECT_EQ(VMoveMask(Make<uint16_t>({0x8000, 0x7FFF, 0, 0, 0, 0, 0, 0xFFFF}), 1), 0x81u);
  EXPECT_EQ(VMoveMask(Make<uint32_t>({0, 0x80000000, 1, 0xFFFFFFFF}), 2), 0xAu);
  EXPECT_EQ(VMoveMask(Make<uint64_t>({0x8000000000000000, 1}), 3), 0x1u);
}

TEST(VecIntDeathTest, InvalidLaneStops) {
  V128 v;
  EXPECT_DEATH(VNarrow(v, 0), "VNarrow: lane 0");
  EXPECT_DEATH(VWidenLoS(v, 3), "VWidenLoS: lane 3");
  EXPECT_DEATH(VAdd(v, v, 4), "VAdd: lane 4");
  EXPECT_DEATH(VExtract(v, 2, 4), "VExtract");
  EXPECT_DEATH(VInsert(v, 0, 0, 16), "VInsert");
}

}  // namespace
}  // namespace polyvm::ir::sem
