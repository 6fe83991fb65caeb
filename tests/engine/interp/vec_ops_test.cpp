// Vector ops: every op with lanes worked out by hand (wrap-around, saturation, shifts past the
// lane width, signed/unsigned orders, NaNs and flags for the FP lane ops).
#include <bit>
#include <initializer_list>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr uint32_t kInv = ir::kFpInvalid, kDz = ir::kFpDivByZero, kNx = ir::kFpInexact;

template <class T>
U128 Lanes(std::initializer_list<T> lanes) {
  V128 v;
  unsigned i = 0;
  for (T x : lanes) v.SetLane<T>(i++, x);
  return Bits(v);
}
uint64_t B64(double d) { return std::bit_cast<uint64_t>(d); }
U128 L8(std::initializer_list<uint8_t> l) { return Lanes<uint8_t>(l); }
U128 L16(std::initializer_list<uint16_t> l) { return Lanes<uint16_t>(l); }
U128 L32(std::initializer_list<uint32_t> l) { return Lanes<uint32_t>(l); }
U128 L64(std::initializer_list<uint64_t> l) { return Lanes<uint64_t>(l); }
U128 F32x4(std::initializer_list<float> l) { return Lanes<float>(l); }
U128 F64x2(std::initializer_list<double> l) { return Lanes<double>(l); }
U128 Iota8(uint8_t from) {
  V128 v;
  for (unsigned i = 0; i < 16; ++i) v.SetLane<uint8_t>(i, static_cast<uint8_t>(from + i));
  return Bits(v);
}

void V2(Opcode op, uint8_t lane, U128 a, U128 b, U128 expect, OpFields f = {}, int flags = -1) {
  f.lane = lane;
  ExpectOp(op, Type::kV128, {{Type::kV128, a}, {Type::kV128, b}}, expect, f, flags);
}
void V1(Opcode op, uint8_t lane, U128 a, U128 expect, OpFields f = {}, int flags = -1) {
  f.lane = lane;
  ExpectOp(op, Type::kV128, {{Type::kV128, a}}, expect, f, flags);
}

OP_TEST(VecOps, AddSubMul, Opcode::kVAdd, Opcode::kVSub, Opcode::kVMul) {
  V2(Opcode::kVAdd, 0, Iota8(0), L8({0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
                                    0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}),
     L8({0xFF, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
  V2(Opcode::kVAdd, 2, L32({1, 0xFFFFFFFF, 3, 4}), L32({1, 1, 0x80000000, 4}),
     L32({2, 0, 0x80000003, 8}));
  V2(Opcode::kVAdd, 3, L64({~0ull, 1}), L64({1, 1}), L64({0, 2}));
  V2(Opcode::kVSub, 1, L16({0, 1, 2, 3, 4, 5, 6, 7}), L16({1, 1, 1, 1, 1, 1, 1, 1}),
     L16({0xFFFF, 0, 1, 2, 3, 4, 5, 6}));
  V2(Opcode::kVMul, 1, L16({0x100, 3, 0xFFFF, 7}), L16({0x100, 5, 2, 0}), L16({0, 15, 0xFFFE, 0}));
  V2(Opcode::kVMul, 3, L64({1ull << 32, 3}), L64({1ull << 32, 3}), L64({0, 9}));
}

OP_TEST(VecOps, NegAbs, Opcode::kVNeg, Opcode::kVAbs) {
  V1(Opcode::kVNeg, 2, L32({1, 0, 0x80000000, 5}), L32({0xFFFFFFFF, 0, 0x80000000, 0xFFFFFFFB}));
  V1(Opcode::kVAbs, 0, L8({0x80, 0xFF, 0x01, 0x7F}), L8({0x80, 0x01, 0x01, 0x7F}));  // MIN stays
  V1(Opcode::kVAbs, 3, L64({~0ull, 1ull << 63}), L64({1, 1ull << 63}));
}

OP_TEST(VecOps, MinMax, Opcode::kVMinS, Opcode::kVMinU, Opcode::kVMaxS, Opcode::kVMaxU) {
  U128 a = L16({0x8000, 1, 5}), b = L16({0x7FFF, 0xFFFF, 5});
  V2(Opcode::kVMinS, 1, a, b, L16({0x8000, 0xFFFF, 5}));
  V2(Opcode::kVMinU, 1, a, b, L16({0x7FFF, 1, 5}));
  V2(Opcode::kVMaxS, 1, a, b, L16({0x7FFF, 1, 5}));
  V2(Opcode::kVMaxU, 1, a, b, L16({0x8000, 0xFFFF, 5}));
  V2(Opcode::kVMinS, 3, L64({~0ull, 3}), L64({0, 2}), L64({~0ull, 2}));
}

OP_TEST(VecOps, Saturating, Opcode::kVAddSatS, Opcode::kVAddSatU, Opcode::kVSubSatS,
        Opcode::kVSubSatU) {
  V2(Opcode::kVAddSatS, 0, L8({0x7F, 0x80, 0x10, 0xF0}), L8({0x01, 0xFF, 0x10, 0xF0}),
     L8({0x7F, 0x80, 0x20, 0xE0}));
  V2(Opcode::kVAddSatU, 0, L8({0xFF, 0x80, 0x10, 0xF0}), L8({0x01, 0x80, 0x10, 0x20}),
     L8({0xFF, 0xFF, 0x20, 0xFF}));
  V2(Opcode::kVSubSatS, 1, L16({0x8000, 0x7FFF, 5}), L16({1, 0xFFFF, 7}), L16({0x8000, 0x7FFF, 0xFFFE}));
  V2(Opcode::kVSubSatU, 1, L16({0, 5, 0xFFFF}), L16({1, 3, 0xFFFF}), L16({0, 2, 0}));
  V2(Opcode::kVAddSatS, 2, L32({0x7FFFFFFF, 0x80000000}), L32({1, 0x80000000}),
     L32({0x7FFFFFFF, 0x80000000}));
}

OP_TEST(VecOps, ShiftsByImmediate, Opcode::kVShlI, Opcode::kVLShrI, Opcode::kVAShrI) {
  V1(Opcode::kVShlI, 2, L32({1, 0x10000000, 0xFFFFFFFF, 0}), L32({0x10, 0, 0xFFFFFFF0, 0}),
     {.imm = 4});
  V1(Opcode::kVShlI, 2, L32({1, 2, 3, 4}), 0, {.imm = 32});  // past the lane width: 0
  V1(Opcode::kVLShrI, 3, L64({1ull << 63, 1}), L64({1, 0}), {.imm = 63});
  V1(Opcode::kVLShrI, 3, L64({1ull << 63, 1}), 0, {.imm = 64});
  V1(Opcode::kVAShrI, 1, L16({0x8000, 0x7FFF}), L16({0xFFFF, 0}), {.imm = 15});
  V1(Opcode::kVAShrI, 1, L16({0x8000, 0x7FFF}), L16({0xFFFF, 0}), {.imm = 16});  // sign fill
  V1(Opcode::kVAShrI, 0, L8({0x80, 0x40}), L8({0xF0, 0x08}), {.imm = 3});
}

OP_TEST(VecOps, Compares, Opcode::kVCmpEq, Opcode::kVCmpGtS, Opcode::kVCmpGtU, Opcode::kVCmpGeS,
        Opcode::kVCmpGeU) {
  V2(Opcode::kVCmpEq, 2, L32({1, 2, 3, 4}), L32({1, 0, 3, 0}), L32({~0u, 0, ~0u, 0}));
  V2(Opcode::kVCmpGtS, 0, L8({0x80, 0x01}), L8({0x7F, 0xFF}), L8({0, 0xFF}));
  V2(Opcode::kVCmpGtU, 0, L8({0x80, 0x01}), L8({0x7F, 0xFF}), L8({0xFF, 0}));
  V2(Opcode::kVCmpGeS, 3, L64({5, ~0ull}), L64({5, 0}), L64({~0ull, 0}));
  V2(Opcode::kVCmpGeU, 3, L64({5, ~0ull}), L64({6, 0}), L64({0, ~0ull}));
  V2(Opcode::kVCmpGtS, 1, L16({0, 0, 0, 0, 0, 0, 0, 0}), L16({0, 0, 0, 0, 0, 0, 0, 0}), 0);
}

OP_TEST(VecOps, LaneMoves, Opcode::kVDup, Opcode::kVExtract, Opcode::kVInsert) {
  ExpectOp(Opcode::kVDup, Type::kV128, {{Type::kI64, 0x12345678}},
           L16({0x5678, 0x5678, 0x5678, 0x5678, 0x5678, 0x5678, 0x5678, 0x5678}), {.lane = 1});
  ExpectOp(Opcode::kVDup, Type::kV128, {{Type::kI64, ~0ull - 1}}, L64({~0ull - 1, ~0ull - 1}),
           {.lane = 3});
  ExpectOp(Opcode::kVDup, Type::kV128, {{Type::kI8, 0xAB}}, L8({0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB,
                                                               0xAB, 0xAB, 0xAB, 0xAB, 0xAB, 0xAB,
                                                               0xAB, 0xAB, 0xAB, 0xAB}),
           {.lane = 0});
  U128 v = L32({0x11111111, 0x22222222, 0x33333333, 0x44444444});
  ExpectOp(Opcode::kVExtract, Type::kI32, {{Type::kV128, v}}, 0x44444444, {.lane = 2, .imm = 3});
  ExpectOp(Opcode::kVExtract, Type::kI64, {{Type::kV128, v}}, 0x33333333, {.lane = 2, .imm = 2});
  ExpectOp(Opcode::kVExtract, Type::kI8, {{Type::kV128, Iota8(0xF0)}}, 0xFF, {.lane = 0, .imm = 15});
  ExpectOp(Opcode::kVExtract, Type::kI64, {{Type::kV128, v}}, 0x4444444433333333,
           {.lane = 3, .imm = 1});
  ExpectOp(Opcode::kVInsert, Type::kV128, {{Type::kV128, v}, {Type::kI16, 0xBEEF}},
           L32({0x11111111, 0x22222222, 0x33333333, 0xBEEF4444}), {.lane = 1, .imm = 7});
  ExpectOp(Opcode::kVInsert, Type::kV128, {{Type::kV128, v}, {Type::kI64, 0xAAAAAAAA00000001}},
           L64({0xAAAAAAAA00000001, 0x4444444433333333}), {.lane = 3, .imm = 0});
  ExpectOp(Opcode::kVInsert, Type::kV128, {{Type::kV128, v}, {Type::kI32, 0xFFFFFFFF}},
           L32({0x11111111, 0xFFFFFFFF, 0x33333333, 0x44444444}), {.lane = 2, .imm = 1});
}

OP_TEST(VecOps, Permutes, Opcode::kVTbl, Opcode::kVZipLo, Opcode::kVZipHi, Opcode::kVUzpEven,
        Opcode::kVUzpOdd) {
  V2(Opcode::kVTbl, 0, Iota8(0x10), L8({0, 15, 16, 0x80, 3, 1, 2, 255, 8, 8, 8, 8, 8, 8, 8, 8}),
     L8({0x10, 0x1F, 0, 0, 0x13, 0x11, 0x12, 0, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18, 0x18}));
  V2(Opcode::kVZipLo, 0, Iota8(0), Iota8(0x10),
     L8({0, 0x10, 1, 0x11, 2, 0x12, 3, 0x13, 4, 0x14, 5, 0x15, 6, 0x16, 7, 0x17}));
  V2(Opcode::kVZipHi, 0, Iota8(0), Iota8(0x10),
     L8({8, 0x18, 9, 0x19, 10, 0x1A, 11, 0x1B, 12, 0x1C, 13, 0x1D, 14, 0x1E, 15, 0x1F}));
  U128 a = L32({0xA0, 0xA1, 0xA2, 0xA3}), b = L32({0xB0, 0xB1, 0xB2, 0xB3});
  V2(Opcode::kVZipLo, 2, a, b, L32({0xA0, 0xB0, 0xA1, 0xB1}));
  V2(Opcode::kVZipHi, 2, a, b, L32({0xA2, 0xB2, 0xA3, 0xB3}));
  V2(Opcode::kVUzpEven, 2, a, b, L32({0xA0, 0xA2, 0xB0, 0xB2}));
  V2(Opcode::kVUzpOdd, 2, a, b, L32({0xA1, 0xA3, 0xB1, 0xB3}));
  V2(Opcode::kVUzpEven, 1, L16({0, 1, 2, 3, 4, 5, 6, 7}), L16({8, 9, 10, 11, 12, 13, 14, 15}),
     L16({0, 2, 4, 6, 8, 10, 12, 14}));
  V2(Opcode::kVUzpOdd, 1, L16({0, 1, 2, 3, 4, 5, 6, 7}), L16({8, 9, 10, 11, 12, 13, 14, 15}),
     L16({1, 3, 5, 7, 9, 11, 13, 15}));
  V2(Opcode::kVZipLo, 3, L64({1, 2}), L64({3, 4}), L64({1, 3}));
}

OP_TEST(VecOps, NarrowWiden, Opcode::kVNarrow, Opcode::kVWidenLoS, Opcode::kVWidenLoU,
        Opcode::kVWidenHiS, Opcode::kVWidenHiU) {
  V1(Opcode::kVNarrow, 1, L16({0x1234, 0x00FF, 0xAB01, 0x8000, 1, 2, 3, 0xFFFF}),
     L8({0x34, 0xFF, 0x01, 0x00, 1, 2, 3, 0xFF}));
  V1(Opcode::kVNarrow, 3, L64({0x1122334455667788, 0xAABBCCDDEEFF0011}),
     L32({0x55667788, 0xEEFF0011, 0, 0}));
  U128 bytes = L8({0x80, 0x7F, 0xFF, 0x01, 0, 0, 0, 0, 0x81, 0x02});
  V1(Opcode::kVWidenLoS, 0, bytes, L16({0xFF80, 0x007F, 0xFFFF, 0x0001, 0, 0, 0, 0}));
  V1(Opcode::kVWidenLoU, 0, bytes, L16({0x0080, 0x007F, 0x00FF, 0x0001, 0, 0, 0, 0}));
  V1(Opcode::kVWidenHiS, 0, bytes, L16({0xFF81, 0x0002, 0, 0, 0, 0, 0, 0}));
  U128 words = L32({1, 2, 0x80000000, 1});
  V1(Opcode::kVWidenHiS, 2, words, L64({0xFFFFFFFF80000000, 1}));
  V1(Opcode::kVWidenHiU, 2, words, L64({0x80000000, 1}));
  V1(Opcode::kVWidenLoU, 1, L16({0xFFFF, 1, 2, 3}), L32({0xFFFF, 1, 2, 3}));
}

OP_TEST(VecOps, CountAndPairs, Opcode::kVPopcount, Opcode::kVPairAdd) {
  V1(Opcode::kVPopcount, 0, L8({0xFF, 0x01, 0x00, 0x0F}), L8({8, 1, 0, 4}));
  V1(Opcode::kVPopcount, 3, L64({~0ull, 3}), L64({64, 2}));
  V2(Opcode::kVPairAdd, 2, L32({1, 2, 3, 4}), L32({10, 20, 30, 40}), L32({3, 7, 30, 70}));
  V2(Opcode::kVPairAdd, 0, L8({0xFF, 0x02, 1, 1}), L8({0x80, 0x80}), L8({0x01, 2, 0, 0, 0, 0, 0, 0,
                                                                        0x00}));
}

OP_TEST(VecOps, Reductions, Opcode::kVReduceAdd, Opcode::kVReduceMinS, Opcode::kVReduceMinU,
        Opcode::kVReduceMaxS, Opcode::kVReduceMaxU, Opcode::kVMoveMask) {
  ExpectOp(Opcode::kVReduceAdd, Type::kI16, {{Type::kV128, L16({1, 2, 3, 4, 5, 6, 7, 0xFFFF})}}, 27,
           {.lane = 1});  // 28 - 1, truncated to 16 bits
  ExpectOp(Opcode::kVReduceAdd, Type::kI64, {{Type::kV128, L8({0x80, 0x80, 1})}}, 1, {.lane = 0});
  U128 w = L32({5, 0xFFFFFFFE, 3, 0x7FFFFFFF});
  ExpectOp(Opcode::kVReduceMinS, Type::kI64, {{Type::kV128, w}}, 0xFFFFFFFE, {.lane = 2});
  ExpectOp(Opcode::kVReduceMinU, Type::kI32, {{Type::kV128, w}}, 3, {.lane = 2});
  ExpectOp(Opcode::kVReduceMaxS, Type::kI32, {{Type::kV128, w}}, 0x7FFFFFFF, {.lane = 2});
  ExpectOp(Opcode::kVReduceMaxU, Type::kI64, {{Type::kV128, w}}, 0xFFFFFFFE, {.lane = 2});
  ExpectOp(Opcode::kVReduceMaxS, Type::kI64, {{Type::kV128, L64({~0ull, ~0ull - 5})}}, ~0ull,
           {.lane = 3});
  ExpectOp(Opcode::kVMoveMask, Type::kI32, {{Type::kV128, L8({0x80, 0x00, 0xFF, 0x7F})}}, 5,
           {.lane = 0});
  ExpectOp(Opcode::kVMoveMask, Type::kI32, {{Type::kV128, L64({1ull << 63, 1})}}, 1, {.lane = 3});
  ExpectOp(Opcode::kVMoveMask, Type::kI32,
           {{Type::kV128, L16({0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000, 0x8000})}},
           0xFF, {.lane = 1});
}

uint32_t Fp(ir::RoundingMode rm = ir::RoundingMode::kDynamic, bool signaling = false) {
  return ir::FpMode{rm, ir::NanRule::kCanonical, 0, signaling, false}.Encode();
}
constexpr float kNaNf = __builtin_nanf("");
constexpr double kNaN = __builtin_nan("");
constexpr float kInff = __builtin_inff();

OP_TEST(VecOps, FpArithmetic, Opcode::kVFAdd, Opcode::kVFSub, Opcode::kVFMul, Opcode::kVFDiv,
        Opcode::kVFSqrt, Opcode::kVFMulAdd) {
  V2(Opcode::kVFAdd, 2, F32x4({1, 2, 3, kNaNf}), F32x4({1, 0.5f, -3, 1}), F32x4({2, 2.5f, 0, kNaNf}),
     {.aux = Fp()}, 0);
  V2(Opcode::kVFSub, 3, F64x2({1, 0.1}), F64x2({1, 0.2}),
     L64({0, 0xBFB999999999999A}), {.aux = Fp()}, 0);  // 0.1 - 0.2 is exact: -0.1
  V2(Opcode::kVFMul, 3, F64x2({3, 1e300}), F64x2({0.5, 1e300}), L64({B64(1.5), 0x7FF0000000000000}),
     {.aux = Fp()}, ir::kFpOverflow | kNx);
  V2(Opcode::kVFDiv, 2, F32x4({1, 1, 0, -1}), F32x4({0, 2, 0, 4}), F32x4({kInff, 0.5f, kNaNf, -0.25f}),
     {.aux = Fp()}, kDz | kInv);
  V1(Opcode::kVFSqrt, 3, F64x2({4, -1}), F64x2({2, kNaN}), {.aux = Fp()}, kInv);
  ExpectOp(Opcode::kVFMulAdd, Type::kV128,
           {{Type::kV128, L64({B64(2.0), 0x3FF0000000000001})},
            {Type::kV128, L64({B64(3.0), 0x3FEFFFFFFFFFFFFE})},
            {Type::kV128, F64x2({1, -1})}},
           L64({B64(7.0), 0xB970000000000000}), {.aux = Fp(), .lane = 3}, 0);
}

OP_TEST(VecOps, FpMinMaxCompare, Opcode::kVFMin, Opcode::kVFMax, Opcode::kVFCmpEq,
        Opcode::kVFCmpLt, Opcode::kVFCmpLe, Opcode::kVFCmpUn) {
  U128 a = F32x4({1, kNaNf, -0.0f, 5}), b = F32x4({2, 3, 0.0f, 4});
  V2(Opcode::kVFMin, 2, a, b, F32x4({1, 3, -0.0f, 4}), {.aux = Fp()}, 0);
  V2(Opcode::kVFMax, 2, a, b, F32x4({2, 3, 0.0f, 5}), {.aux = Fp()}, 0);
  V2(Opcode::kVFCmpEq, 3, F64x2({1, kNaN}), F64x2({1, kNaN}), L64({~0ull, 0}), {.aux = Fp()}, 0);
  V2(Opcode::kVFCmpLt, 2, F32x4({1, 2, 3, 4}), F32x4({2, 2, 2, 2}), L32({~0u, 0, 0, 0}),
     {.aux = Fp()}, 0);
  V2(Opcode::kVFCmpLe, 2, F32x4({1, 2, 3, kNaNf}), F32x4({2, 2, 2, 2}), L32({~0u, ~0u, 0, 0}),
     {.aux = Fp(ir::RoundingMode::kDynamic, true)}, kInv);
  V2(Opcode::kVFCmpUn, 3, F64x2({kNaN, 1}), F64x2({1, 1}), L64({~0ull, 0}), {.aux = Fp()}, 0);
}

OP_TEST(VecOps, FpConversions, Opcode::kVFToSInt, Opcode::kVFToUInt, Opcode::kVSIntToF,
        Opcode::kVUIntToF) {
  V1(Opcode::kVFToSInt, 2, F32x4({1.5f, -2.5f, 1e10f, kNaNf}),
     L32({2, 0xFFFFFFFE, 0x7FFFFFFF, 0x7FFFFFFF}), {.aux = Fp(ir::RoundingMode::kNearestEven)},
     kNx | kInv);
  V1(Opcode::kVFToUInt, 3, F64x2({3.5, -1.0}), L64({3, 0}), {.aux = Fp(ir::RoundingMode::kTowardZero)},
     kNx | kInv);
  V1(Opcode::kVSIntToF, 2, L32({0xFFFFFFFF, 16777217, 0, 5}), F32x4({-1, 16777216.0f, 0, 5}),
     {.aux = Fp()}, kNx);
  V1(Opcode::kVUIntToF, 3, L64({~0ull, 2}), L64({0x43F0000000000000, B64(2.0)}), {.aux = Fp()},
     kNx);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
