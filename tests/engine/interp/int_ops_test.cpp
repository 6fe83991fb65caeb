// Integer arithmetic, logic, shifts, bit counting and comparisons, each at several widths, with the
// edge cases the IR defines (division by zero and overflow, shift counts modulo the width, counts
// of zero). Expected values are worked out by hand from the op table's definitions.
#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr uint64_t kAll = ~uint64_t{0};
constexpr uint64_t kMin64 = uint64_t{1} << 63;
constexpr U128 kAll128 = ~U128{0};
constexpr U128 kMin128 = U128{1} << 127;

void Bin(Opcode op, Type t, U128 a, U128 b, U128 expect) {
  ExpectOp(op, t, {{t, a}, {t, b}}, expect);
}
void Un(Opcode op, Type t, U128 a, U128 expect) { ExpectOp(op, t, {{t, a}}, expect); }
void Cmp(Opcode op, Type t, U128 a, U128 b, bool expect) {
  ExpectOp(op, Type::kI1, {{t, a}, {t, b}}, expect ? 1 : 0);
}

OP_TEST(IntOps, Add, Opcode::kAdd) {
  Bin(Opcode::kAdd, Type::kI8, 0xFF, 1, 0);
  Bin(Opcode::kAdd, Type::kI16, 0x8000, 0x8000, 0);
  Bin(Opcode::kAdd, Type::kI32, 0xFFFFFFFF, 2, 1);
  Bin(Opcode::kAdd, Type::kI64, kMin64 - 1, 1, kMin64);
  Bin(Opcode::kAdd, Type::kI64, kAll, kAll, kAll - 1);
  Bin(Opcode::kAdd, Type::kI128, kAll, 1, U128{1} << 64);  // carry into the high half
}

OP_TEST(IntOps, Sub, Opcode::kSub) {
  Bin(Opcode::kSub, Type::kI8, 0x80, 1, 0x7F);
  Bin(Opcode::kSub, Type::kI16, 0, 0xFFFF, 1);
  Bin(Opcode::kSub, Type::kI32, 5, 7, 0xFFFFFFFE);
  Bin(Opcode::kSub, Type::kI64, 0, 1, kAll);
  Bin(Opcode::kSub, Type::kI128, U128{1} << 64, 1, kAll);  // borrow from the high half
}

OP_TEST(IntOps, Mul, Opcode::kMul) {
  Bin(Opcode::kMul, Type::kI8, 16, 16, 0);
  Bin(Opcode::kMul, Type::kI16, 0xFFFF, 0xFFFF, 1);  // (2^16-1)^2 = 2^32 - 2^17 + 1
  Bin(Opcode::kMul, Type::kI32, 0x10000, 0x10000, 0);
  Bin(Opcode::kMul, Type::kI64, kAll, 2, kAll - 1);
  Bin(Opcode::kMul, Type::kI64, 0x100000001, 0x100000001, 0x200000001);
  Bin(Opcode::kMul, Type::kI128, (U128{1} << 64) + 1, kAll, kAll128);  // (2^64+1)(2^64-1)
}

OP_TEST(IntOps, MulHiU, Opcode::kMulHiU) {
  Bin(Opcode::kMulHiU, Type::kI8, 0xFF, 0xFF, 0xFE);  // 0xFE01
  Bin(Opcode::kMulHiU, Type::kI32, 0xFFFFFFFF, 0xFFFFFFFF, 0xFFFFFFFE);
  Bin(Opcode::kMulHiU, Type::kI64, kAll, kAll, kAll - 1);  // 2^128 - 2^65 + 1
  Bin(Opcode::kMulHiU, Type::kI64, 1, kAll, 0);
  Bin(Opcode::kMulHiU, Type::kI128, kAll128, kAll128, kAll128 - 1);
}

OP_TEST(IntOps, MulHiS, Opcode::kMulHiS) {
  Bin(Opcode::kMulHiS, Type::kI8, 0x80, 0x80, 0x40);         // -128 * -128 = 0x4000
  Bin(Opcode::kMulHiS, Type::kI16, 0xFFFF, 2, 0xFFFF);       // -1 * 2 = -2
  Bin(Opcode::kMulHiS, Type::kI32, 0x80000000, 0x80000000, 0x40000000);  // 2^62
  Bin(Opcode::kMulHiS, Type::kI64, kAll, kAll, 0);           // -1 * -1 = 1
  Bin(Opcode::kMulHiS, Type::kI64, kMin64, kMin64, uint64_t{1} << 62);
  Bin(Opcode::kMulHiS, Type::kI64, kAll, 1, kAll);           // -1
  Bin(Opcode::kMulHiS, Type::kI128, kAll128, kAll128, 0);
}

OP_TEST(IntOps, MulHiSU, Opcode::kMulHiSU) {
  Bin(Opcode::kMulHiSU, Type::kI8, 0x80, 0xFF, 0x80);            // -128 * 255 = -32640 = 0x8080
  Bin(Opcode::kMulHiSU, Type::kI32, 0xFFFFFFFE, 0x80000000, 0xFFFFFFFF);  // -2 * 2^31 = -2^32
  Bin(Opcode::kMulHiSU, Type::kI64, kAll, kAll, kAll);           // -(2^64 - 1) = -2^64 + 1
  Bin(Opcode::kMulHiSU, Type::kI64, 2, kMin64, 1);               // 2 * 2^63 = 2^64
  Bin(Opcode::kMulHiSU, Type::kI128, kAll128, 2, kAll128);       // -1 * 2 = -2
}

OP_TEST(IntOps, DivS, Opcode::kDivS) {
  Bin(Opcode::kDivS, Type::kI64, kMin64, kAll, kMin64);  // overflow: MIN / -1 = MIN
  Bin(Opcode::kDivS, Type::kI64, 7, static_cast<uint64_t>(-2), static_cast<uint64_t>(-3));
  Bin(Opcode::kDivS, Type::kI64, 12345, 0, kAll);  // division by zero: -1
  Bin(Opcode::kDivS, Type::kI32, 0x80000000, 0xFFFFFFFF, 0x80000000);
  Bin(Opcode::kDivS, Type::kI32, 0, 0, 0xFFFFFFFF);
  Bin(Opcode::kDivS, Type::kI8, 0xF9, 2, 0xFD);  // -7 / 2 = -3 (toward zero)
  Bin(Opcode::kDivS, Type::kI16, 0x8000, 0xFFFF, 0x8000);
  Bin(Opcode::kDivS, Type::kI128, kMin128, kAll128, kMin128);
  Bin(Opcode::kDivS, Type::kI128, kAll128 - 99, 10, kAll128 - 9);  // -100 / 10 = -10
}

OP_TEST(IntOps, DivU, Opcode::kDivU) {
  Bin(Opcode::kDivU, Type::kI64, 5, 0, kAll);  // division by zero: all ones
  Bin(Opcode::kDivU, Type::kI16, 5, 0, 0xFFFF);
  Bin(Opcode::kDivU, Type::kI64, kAll, 2, kAll >> 1);
  Bin(Opcode::kDivU, Type::kI32, 0xFFFFFFFF, 0x10, 0x0FFFFFFF);
  Bin(Opcode::kDivU, Type::kI8, 200, 7, 28);
  Bin(Opcode::kDivU, Type::kI128, U128{1} << 64, 2, U128{1} << 63);
  Bin(Opcode::kDivU, Type::kI128, 1, 0, kAll128);
}

OP_TEST(IntOps, RemS, Opcode::kRemS) {
  Bin(Opcode::kRemS, Type::kI64, kMin64, kAll, 0);  // MIN % -1 = 0
  Bin(Opcode::kRemS, Type::kI64, 7, static_cast<uint64_t>(-2), 1);
  Bin(Opcode::kRemS, Type::kI64, static_cast<uint64_t>(-7), 2, kAll);  // sign of the dividend
  Bin(Opcode::kRemS, Type::kI64, 42, 0, 42);  // x % 0 = x
  Bin(Opcode::kRemS, Type::kI8, 0x80, 0xFF, 0);
  Bin(Opcode::kRemS, Type::kI32, 0xFFFFFFF9, 3, 0xFFFFFFFF);  // -7 % 3 = -1
  Bin(Opcode::kRemS, Type::kI128, kMin128, kAll128, 0);
}

OP_TEST(IntOps, RemU, Opcode::kRemU) {
  Bin(Opcode::kRemU, Type::kI64, 42, 0, 42);
  Bin(Opcode::kRemU, Type::kI64, 10, 3, 1);
  Bin(Opcode::kRemU, Type::kI32, 0xFFFFFFFF, 0x10, 0xF);
  Bin(Opcode::kRemU, Type::kI16, 0xFFFF, 0, 0xFFFF);
  Bin(Opcode::kRemU, Type::kI8, 255, 16, 15);
  Bin(Opcode::kRemU, Type::kI128, (U128{1} << 64) + 5, U128{1} << 64, 5);
}

OP_TEST(IntOps, Neg, Opcode::kNeg) {
  Un(Opcode::kNeg, Type::kI64, kMin64, kMin64);
  Un(Opcode::kNeg, Type::kI64, 1, kAll);
  Un(Opcode::kNeg, Type::kI8, 0, 0);
  Un(Opcode::kNeg, Type::kI16, 1, 0xFFFF);
  Un(Opcode::kNeg, Type::kI32, 0x80000000, 0x80000000);
  Un(Opcode::kNeg, Type::kI128, 1, kAll128);
}

OP_TEST(IntOps, Logic, Opcode::kAnd, Opcode::kOr, Opcode::kXor) {
  Bin(Opcode::kAnd, Type::kI64, 0xF0F0F0F0F0F0F0F0, 0xFF00FF00FF00FF00, 0xF000F000F000F000);
  Bin(Opcode::kOr, Type::kI64, 0xF0F0F0F0F0F0F0F0, 0x0F0F, 0xF0F0F0F0F0F0FFFF);
  Bin(Opcode::kXor, Type::kI64, kAll, 0x5555555555555555, 0xAAAAAAAAAAAAAAAA);
  Bin(Opcode::kAnd, Type::kI32, 0x12345678, 0xFF00FF, 0x340078);
  Bin(Opcode::kOr, Type::kI16, 0x8000, 1, 0x8001);
  Bin(Opcode::kXor, Type::kI8, 0xFF, 0x0F, 0xF0);
  Bin(Opcode::kAnd, Type::kI128, kAll128, U128{3} << 100, U128{3} << 100);
  Bin(Opcode::kXor, Type::kI128, kAll128, 1, kAll128 - 1);
  for (unsigned a = 0; a < 2; ++a) {
    for (unsigned b = 0; b < 2; ++b) {
      Bin(Opcode::kAnd, Type::kI1, a, b, a & b);
      Bin(Opcode::kOr, Type::kI1, a, b, a | b);
      Bin(Opcode::kXor, Type::kI1, a, b, a ^ b);
    }
  }
  U128 x = (U128{0xFF00FF00FF00FF00} << 64) | 0x0123456789ABCDEF;
  U128 y = (U128{0x0F0F0F0F0F0F0F0F} << 64) | 0xFFFF0000FFFF0000;
  ExpectOp(Opcode::kAnd, Type::kV128, {{Type::kV128, x}, {Type::kV128, y}},
           (U128{0x0F000F000F000F00} << 64) | 0x0123000089AB0000);
  ExpectOp(Opcode::kOr, Type::kV128, {{Type::kV128, x}, {Type::kV128, y}},
           (U128{0xFF0FFF0FFF0FFF0F} << 64) | 0xFFFF4567FFFFCDEF);
  ExpectOp(Opcode::kXor, Type::kV128, {{Type::kV128, x}, {Type::kV128, y}},
           (U128{0xF00FF00FF00FF00F} << 64) | 0xFEDC45677654CDEF);
}

OP_TEST(IntOps, Not, Opcode::kNot) {
  Un(Opcode::kNot, Type::kI32, 0, 0xFFFFFFFF);
  Un(Opcode::kNot, Type::kI64, 0x00FF, 0xFFFFFFFFFFFFFF00);
  Un(Opcode::kNot, Type::kI8, 0xA5, 0x5A);
  Un(Opcode::kNot, Type::kI16, 0xFFFF, 0);
  Un(Opcode::kNot, Type::kI128, 0, kAll128);
  Un(Opcode::kNot, Type::kI1, 1, 0);
  Un(Opcode::kNot, Type::kI1, 0, 1);
  ExpectOp(Opcode::kNot, Type::kV128, {{Type::kV128, U128{1} << 64}}, kAll128 - (U128{1} << 64));
}

OP_TEST(IntOps, Shl, Opcode::kShl) {
  Bin(Opcode::kShl, Type::kI64, 1, 65, 2);  // count modulo the width
  Bin(Opcode::kShl, Type::kI64, 1, 63, kMin64);
  Bin(Opcode::kShl, Type::kI64, 0xFF, 64, 0xFF);
  Bin(Opcode::kShl, Type::kI32, 1, 33, 2);
  Bin(Opcode::kShl, Type::kI32, 0x80000001, 1, 2);
  Bin(Opcode::kShl, Type::kI16, 0x00FF, 12, 0xF000);
  Bin(Opcode::kShl, Type::kI8, 1, 9, 2);
  Bin(Opcode::kShl, Type::kI8, 0x81, 1, 0x02);
  Bin(Opcode::kShl, Type::kI128, 1, 64, U128{1} << 64);
  Bin(Opcode::kShl, Type::kI128, 1, 129, 2);
  // The count may have another type than the value.
  ExpectOp(Opcode::kShl, Type::kI64, {{Type::kI64, 3}, {Type::kI8, 65}}, 6);
  ExpectOp(Opcode::kShl, Type::kI8, {{Type::kI8, 3}, {Type::kI64, 0x101}}, 6);
  ExpectOp(Opcode::kShl, Type::kI128, {{Type::kI128, 1}, {Type::kI32, 127}}, kMin128);
}

OP_TEST(IntOps, LShr, Opcode::kLShr) {
  Bin(Opcode::kLShr, Type::kI64, kMin64, 63, 1);
  Bin(Opcode::kLShr, Type::kI64, kMin64, 64, kMin64);
  Bin(Opcode::kLShr, Type::kI64, kAll, 65, kAll >> 1);
  Bin(Opcode::kLShr, Type::kI32, 0x80000000, 31, 1);
  Bin(Opcode::kLShr, Type::kI16, 0x8000, 15, 1);
  Bin(Opcode::kLShr, Type::kI8, 0x80, 9, 0x40);
  Bin(Opcode::kLShr, Type::kI128, kMin128, 127, 1);
  ExpectOp(Opcode::kLShr, Type::kI32, {{Type::kI32, 0xF0000000}, {Type::kI1, 1}}, 0x78000000);
}

OP_TEST(IntOps, AShr, Opcode::kAShr) {
  Bin(Opcode::kAShr, Type::kI64, kMin64, 63, kAll);
  Bin(Opcode::kAShr, Type::kI64, kMin64, 64, kMin64);
  Bin(Opcode::kAShr, Type::kI64, 0x4000000000000000, 62, 1);
  Bin(Opcode::kAShr, Type::kI32, 0x80000000, 4, 0xF8000000);
  Bin(Opcode::kAShr, Type::kI32, 0x80000000, 36, 0xF8000000);
  Bin(Opcode::kAShr, Type::kI16, 0x8000, 15, 0xFFFF);
  Bin(Opcode::kAShr, Type::kI8, 0x80, 7, 0xFF);
  Bin(Opcode::kAShr, Type::kI8, 0x40, 2, 0x10);
  Bin(Opcode::kAShr, Type::kI128, kMin128, 127, kAll128);
}

OP_TEST(IntOps, Rotate, Opcode::kRotl, Opcode::kRotr) {
  Bin(Opcode::kRotl, Type::kI32, 0x80000001, 1, 3);
  Bin(Opcode::kRotl, Type::kI64, 0x123456789, 64, 0x123456789);
  Bin(Opcode::kRotl, Type::kI64, kMin64 | 1, 4, 0x18);
  Bin(Opcode::kRotl, Type::kI8, 0x81, 4, 0x18);
  Bin(Opcode::kRotl, Type::kI16, 0x1234, 4, 0x2341);
  Bin(Opcode::kRotl, Type::kI128, kMin128, 1, 1);
  Bin(Opcode::kRotr, Type::kI32, 3, 1, 0x80000001);
  Bin(Opcode::kRotr, Type::kI8, 0x81, 1, 0xC0);
  Bin(Opcode::kRotr, Type::kI64, 1, 1, kMin64);
  Bin(Opcode::kRotr, Type::kI64, 1, 65, kMin64);
  Bin(Opcode::kRotr, Type::kI16, 0x1234, 20, 0x4123);
  Bin(Opcode::kRotr, Type::kI128, 1, 1, kMin128);
}

OP_TEST(IntOps, Clz, Opcode::kClz) {
  Un(Opcode::kClz, Type::kI64, 0, 64);  // width for 0
  Un(Opcode::kClz, Type::kI32, 0, 32);
  Un(Opcode::kClz, Type::kI16, 0x8000, 0);
  Un(Opcode::kClz, Type::kI8, 0, 8);
  Un(Opcode::kClz, Type::kI64, 1, 63);
  Un(Opcode::kClz, Type::kI32, 0x00010000, 15);
  Un(Opcode::kClz, Type::kI128, 0, 128);
  Un(Opcode::kClz, Type::kI128, 1, 127);
  Un(Opcode::kClz, Type::kI128, U128{1} << 64, 63);
}

OP_TEST(IntOps, Ctz, Opcode::kCtz) {
  Un(Opcode::kCtz, Type::kI64, 0, 64);
  Un(Opcode::kCtz, Type::kI32, 0, 32);
  Un(Opcode::kCtz, Type::kI64, 8, 3);
  Un(Opcode::kCtz, Type::kI8, 0x80, 7);
  Un(Opcode::kCtz, Type::kI16, 0, 16);
  Un(Opcode::kCtz, Type::kI128, U128{1} << 64, 64);
  Un(Opcode::kCtz, Type::kI128, 0, 128);
}

OP_TEST(IntOps, Popcount, Opcode::kPopcount) {
  Un(Opcode::kPopcount, Type::kI64, kAll, 64);
  Un(Opcode::kPopcount, Type::kI8, 0xFF, 8);
  Un(Opcode::kPopcount, Type::kI16, 0x8001, 2);
  Un(Opcode::kPopcount, Type::kI32, 0x0F0F, 8);
  Un(Opcode::kPopcount, Type::kI64, 0, 0);
  Un(Opcode::kPopcount, Type::kI128, kAll128, 128);
}

OP_TEST(IntOps, Bswap, Opcode::kBswap) {
  Un(Opcode::kBswap, Type::kI16, 0x1234, 0x3412);
  Un(Opcode::kBswap, Type::kI32, 0x11223344, 0x44332211);
  Un(Opcode::kBswap, Type::kI64, 0x0102030405060708, 0x0807060504030201);
  Un(Opcode::kBswap, Type::kI128, 0x0102030405060708, U128{0x0807060504030201} << 64);
}

OP_TEST(IntOps, BitReverse, Opcode::kBitReverse) {
  Un(Opcode::kBitReverse, Type::kI8, 0x01, 0x80);
  Un(Opcode::kBitReverse, Type::kI8, 0x0F, 0xF0);
  Un(Opcode::kBitReverse, Type::kI16, 0x8001, 0x8001);
  Un(Opcode::kBitReverse, Type::kI32, 1, 0x80000000);
  Un(Opcode::kBitReverse, Type::kI64, 3, 0xC000000000000000);
  Un(Opcode::kBitReverse, Type::kI128, 1, kMin128);
}

OP_TEST(IntOps, Compare, Opcode::kCmpEq, Opcode::kCmpNe, Opcode::kCmpLtS, Opcode::kCmpLtU,
        Opcode::kCmpLeS, Opcode::kCmpLeU) {
  struct Case {
    Type t;
    U128 a, b;
    bool eq, lts, ltu, les, leu;
  };
  const Case cases[] = {
      {Type::kI64, kAll, 1, false, true, false, true, false},  // -1 vs 1
      {Type::kI64, 5, 5, true, false, false, true, true},
      {Type::kI64, kMin64, kMin64 - 1, false, true, false, true, false},
      {Type::kI32, 0x80000000, 0x7FFFFFFF, false, true, false, true, false},
      {Type::kI32, 3, 0xFFFFFFFF, false, false, true, false, true},
      {Type::kI16, 0x8000, 0x8000, true, false, false, true, true},
      {Type::kI8, 0x80, 0x7F, false, true, false, true, false},
      {Type::kI8, 0x01, 0x02, false, true, true, true, true},
      {Type::kI128, kMin128, 1, false, true, false, true, false},
      {Type::kI128, U128{1} << 64, 1, false, false, false, false, false},
  };
  for (const Case& c : cases) {
    Cmp(Opcode::kCmpEq, c.t, c.a, c.b, c.eq);
    Cmp(Opcode::kCmpNe, c.t, c.a, c.b, !c.eq);
    Cmp(Opcode::kCmpLtS, c.t, c.a, c.b, c.lts);
    Cmp(Opcode::kCmpLtU, c.t, c.a, c.b, c.ltu);
    Cmp(Opcode::kCmpLeS, c.t, c.a, c.b, c.les);
    Cmp(Opcode::kCmpLeU, c.t, c.a, c.b, c.leu);
  }
  Cmp(Opcode::kCmpEq, Type::kI1, 1, 1, true);
  Cmp(Opcode::kCmpNe, Type::kI1, 1, 0, true);
  Cmp(Opcode::kCmpEq, Type::kI1, 0, 1, false);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
