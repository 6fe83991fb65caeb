// Selection, width changes and flag computations. Expected values by hand from the definitions
// in opcodes.def (two's complement, carries and overflows worked out bit by bit).
#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

constexpr uint64_t kAll = ~uint64_t{0};
constexpr uint64_t kMin64 = uint64_t{1} << 63;
constexpr U128 kAll128 = ~U128{0};
constexpr U128 kMin128 = U128{1} << 127;

void Conv(Opcode op, Type to, Type from, U128 a, U128 expect) {
  ExpectOp(op, to, {{from, a}}, expect);
}

OP_TEST(WidthOps, Select, Opcode::kSelect) {
  for (Type t : {Type::kI8, Type::kI16, Type::kI32, Type::kI64}) {
    ExpectOp(Opcode::kSelect, t, {{Type::kI1, 1}, {t, 5}, {t, 7}}, 5);
    ExpectOp(Opcode::kSelect, t, {{Type::kI1, 0}, {t, 5}, {t, 7}}, 7);
  }
  ExpectOp(Opcode::kSelect, Type::kI1, {{Type::kI1, 1}, {Type::kI1, 0}, {Type::kI1, 1}}, 0);
  ExpectOp(Opcode::kSelect, Type::kI128, {{Type::kI1, 0}, {Type::kI128, 1}, {Type::kI128, kAll128}},
           kAll128);
  ExpectOp(Opcode::kSelect, Type::kF64,
           {{Type::kI1, 1}, {Type::kF64, FBits(1.5)}, {Type::kF64, FBits(-2.0)}}, FBits(1.5));
  ExpectOp(Opcode::kSelect, Type::kF32,
           {{Type::kI1, 0}, {Type::kF32, FBits(1.5f)}, {Type::kF32, FBits(-2.0f)}}, FBits(-2.0f));
  ExpectOp(Opcode::kSelect, Type::kV128,
           {{Type::kI1, 1}, {Type::kV128, kMin128}, {Type::kV128, 3}}, kMin128);
}

OP_TEST(WidthOps, ZExt, Opcode::kZExt) {
  Conv(Opcode::kZExt, Type::kI64, Type::kI1, 1, 1);
  Conv(Opcode::kZExt, Type::kI64, Type::kI8, 0x80, 0x80);
  Conv(Opcode::kZExt, Type::kI64, Type::kI16, 0xFFFF, 0xFFFF);
  Conv(Opcode::kZExt, Type::kI64, Type::kI32, 0xFFFFFFFF, 0xFFFFFFFF);
  Conv(Opcode::kZExt, Type::kI32, Type::kI8, 0xFF, 0xFF);
  Conv(Opcode::kZExt, Type::kI32, Type::kI16, 0x8000, 0x8000);
  Conv(Opcode::kZExt, Type::kI32, Type::kI1, 1, 1);
  Conv(Opcode::kZExt, Type::kI16, Type::kI8, 0x80, 0x80);
  Conv(Opcode::kZExt, Type::kI8, Type::kI1, 1, 1);
  Conv(Opcode::kZExt, Type::kI128, Type::kI64, kAll, kAll);
  Conv(Opcode::kZExt, Type::kI128, Type::kI32, 0x80000000, 0x80000000);
  Conv(Opcode::kZExt, Type::kI128, Type::kI1, 1, 1);
}

OP_TEST(WidthOps, SExt, Opcode::kSExt) {
  Conv(Opcode::kSExt, Type::kI64, Type::kI1, 1, kAll);
  Conv(Opcode::kSExt, Type::kI64, Type::kI1, 0, 0);
  Conv(Opcode::kSExt, Type::kI64, Type::kI8, 0x80, 0xFFFFFFFFFFFFFF80);
  Conv(Opcode::kSExt, Type::kI64, Type::kI8, 0x7F, 0x7F);
  Conv(Opcode::kSExt, Type::kI64, Type::kI16, 0x8001, 0xFFFFFFFFFFFF8001);
  Conv(Opcode::kSExt, Type::kI64, Type::kI32, 0x7FFFFFFF, 0x7FFFFFFF);
  Conv(Opcode::kSExt, Type::kI64, Type::kI32, 0x80000000, 0xFFFFFFFF80000000);
  Conv(Opcode::kSExt, Type::kI32, Type::kI16, 0x8000, 0xFFFF8000);
  Conv(Opcode::kSExt, Type::kI32, Type::kI8, 0xFE, 0xFFFFFFFE);
  Conv(Opcode::kSExt, Type::kI16, Type::kI8, 0xFF, 0xFFFF);
  Conv(Opcode::kSExt, Type::kI8, Type::kI1, 1, 0xFF);
  Conv(Opcode::kSExt, Type::kI128, Type::kI64, kMin64, kAll128 - (U128{kMin64} - 1));
  Conv(Opcode::kSExt, Type::kI128, Type::kI32, 0x80000000, kAll128 - 0x7FFFFFFF);
  Conv(Opcode::kSExt, Type::kI128, Type::kI1, 1, kAll128);
  Conv(Opcode::kSExt, Type::kI128, Type::kI8, 0x7F, 0x7F);
}

OP_TEST(WidthOps, Trunc, Opcode::kTrunc) {
  Conv(Opcode::kTrunc, Type::kI32, Type::kI64, 0x123456789, 0x23456789);
  Conv(Opcode::kTrunc, Type::kI1, Type::kI64, 3, 1);
  Conv(Opcode::kTrunc, Type::kI1, Type::kI64, 2, 0);
  Conv(Opcode::kTrunc, Type::kI1, Type::kI16, 0x8001, 1);
  Conv(Opcode::kTrunc, Type::kI8, Type::kI32, 0x1FF, 0xFF);
  Conv(Opcode::kTrunc, Type::kI16, Type::kI64, 0xFFFF0000ABCD, 0xABCD);
  Conv(Opcode::kTrunc, Type::kI64, Type::kI128, (U128{7} << 64) | 5, 5);
  Conv(Opcode::kTrunc, Type::kI8, Type::kI128, kAll128, 0xFF);
}

OP_TEST(WidthOps, Bitcast, Opcode::kBitcast) {
  Conv(Opcode::kBitcast, Type::kI64, Type::kF64, FBits(-0.0), kMin64);
  Conv(Opcode::kBitcast, Type::kF64, Type::kI64, 0x3FF0000000000000, FBits(1.0));
  Conv(Opcode::kBitcast, Type::kI32, Type::kF32, FBits(1.0f), 0x3F800000);
  Conv(Opcode::kBitcast, Type::kF32, Type::kI32, 0xC0000000, FBits(-2.0f));
  Conv(Opcode::kBitcast, Type::kI128, Type::kV128, kMin128 | 1, kMin128 | 1);
  Conv(Opcode::kBitcast, Type::kV128, Type::kI128, kAll128, kAll128);
}

OP_TEST(WidthOps, Concat, Opcode::kConcat) {
  ExpectOp(Opcode::kConcat, Type::kI16, {{Type::kI8, 0x34}, {Type::kI8, 0x12}}, 0x1234);
  ExpectOp(Opcode::kConcat, Type::kI32, {{Type::kI16, 0xBEEF}, {Type::kI16, 0xDEAD}}, 0xDEADBEEF);
  ExpectOp(Opcode::kConcat, Type::kI64, {{Type::kI32, 0x11111111}, {Type::kI32, 0x22222222}},
           0x2222222211111111);
  ExpectOp(Opcode::kConcat, Type::kI128, {{Type::kI64, 1}, {Type::kI64, kAll}},
           (U128{kAll} << 64) | 1);
}

OP_TEST(WidthOps, Extract, Opcode::kExtract) {
  U128 v = (U128{0x0123456789ABCDEF} << 64) | 0xFEDCBA9876543210;
  ExpectOp(Opcode::kExtract, Type::kI64, {{Type::kI128, v}}, 0x0123456789ABCDEF, {.imm = 64});
  ExpectOp(Opcode::kExtract, Type::kI64, {{Type::kI128, v}}, 0x89ABCDEFFEDCBA98, {.imm = 32});
  ExpectOp(Opcode::kExtract, Type::kI16, {{Type::kI128, v}}, 0x0123, {.imm = 112});
  ExpectOp(Opcode::kExtract, Type::kI128, {{Type::kI128, v}}, v, {.imm = 0});
  ExpectOp(Opcode::kExtract, Type::kI32, {{Type::kI64, 0x1122334455667788}}, 0x11223344,
           {.imm = 32});
  ExpectOp(Opcode::kExtract, Type::kI8, {{Type::kI64, 0x1122334455667788}}, 0x11, {.imm = 56});
  ExpectOp(Opcode::kExtract, Type::kI8, {{Type::kI64, 0x1122334455667788}}, 0x67, {.imm = 12});
  ExpectOp(Opcode::kExtract, Type::kI8, {{Type::kI16, 0xABCD}}, 0xAB, {.imm = 8});
  ExpectOp(Opcode::kExtract, Type::kI16, {{Type::kI32, 0xABCD1234}}, 0xD123, {.imm = 4});
}

void Flag2(Opcode op, Type t, U128 a, U128 b, bool expect) {
  ExpectOp(op, Type::kI1, {{t, a}, {t, b}}, expect ? 1 : 0);
}
void Flag3(Opcode op, Type t, U128 a, U128 b, bool c, bool expect) {
  ExpectOp(op, Type::kI1, {{t, a}, {t, b}, {Type::kI1, c ? 1u : 0u}}, expect ? 1 : 0);
}

OP_TEST(FlagOps, AddFlags, Opcode::kAddCarry, Opcode::kAddOverflow) {
  Flag2(Opcode::kAddCarry, Type::kI64, kAll, 1, true);
  Flag2(Opcode::kAddCarry, Type::kI64, 1, 1, false);
  Flag2(Opcode::kAddCarry, Type::kI8, 0x80, 0x80, true);
  Flag2(Opcode::kAddCarry, Type::kI16, 0xFFFF, 1, true);
  Flag2(Opcode::kAddCarry, Type::kI32, 0xFFFFFFFF, 0, false);
  Flag2(Opcode::kAddCarry, Type::kI128, kAll128, 1, true);
  Flag2(Opcode::kAddOverflow, Type::kI32, 0x7FFFFFFF, 1, true);
  Flag2(Opcode::kAddOverflow, Type::kI32, 0x80000000, 0xFFFFFFFF, true);  // MIN + -1
  Flag2(Opcode::kAddOverflow, Type::kI32, 1, 0xFFFFFFFF, false);
  Flag2(Opcode::kAddOverflow, Type::kI8, 0x7F, 1, true);
  Flag2(Opcode::kAddOverflow, Type::kI16, 0x4000, 0x4000, true);
  Flag2(Opcode::kAddOverflow, Type::kI64, kMin64, kMin64, true);
  Flag2(Opcode::kAddOverflow, Type::kI128, kMin128 - 1, 1, true);
}

OP_TEST(FlagOps, SubFlags, Opcode::kSubBorrow, Opcode::kSubOverflow) {
  Flag2(Opcode::kSubBorrow, Type::kI64, 0, 1, true);
  Flag2(Opcode::kSubBorrow, Type::kI64, 1, 0, false);
  Flag2(Opcode::kSubBorrow, Type::kI32, 5, 5, false);
  Flag2(Opcode::kSubBorrow, Type::kI8, 0x7F, 0x80, true);
  Flag2(Opcode::kSubBorrow, Type::kI16, 0x8000, 0x7FFF, false);
  Flag2(Opcode::kSubBorrow, Type::kI128, 0, kAll128, true);
  Flag2(Opcode::kSubOverflow, Type::kI32, 0x80000000, 1, true);           // MIN - 1
  Flag2(Opcode::kSubOverflow, Type::kI32, 0x7FFFFFFF, 0xFFFFFFFF, true);  // MAX - -1
  Flag2(Opcode::kSubOverflow, Type::kI32, 0, 1, false);
  Flag2(Opcode::kSubOverflow, Type::kI8, 0x80, 1, true);
  Flag2(Opcode::kSubOverflow, Type::kI64, 0, kMin64, true);
  Flag2(Opcode::kSubOverflow, Type::kI16, 0x8000, 0x8000, false);
  Flag2(Opcode::kSubOverflow, Type::kI128, kMin128, 1, true);
}

OP_TEST(FlagOps, AddWithCarry, Opcode::kAdc, Opcode::kAdcCarry, Opcode::kAdcOverflow) {
  ExpectOp(Opcode::kAdc, Type::kI64, {{Type::kI64, kAll}, {Type::kI64, 0}, {Type::kI1, 1}}, 0);
  ExpectOp(Opcode::kAdc, Type::kI64, {{Type::kI64, 1}, {Type::kI64, 2}, {Type::kI1, 1}}, 4);
  ExpectOp(Opcode::kAdc, Type::kI8, {{Type::kI8, 0xFF}, {Type::kI8, 0xFF}, {Type::kI1, 1}}, 0xFF);
  ExpectOp(Opcode::kAdc, Type::kI128, {{Type::kI128, kAll}, {Type::kI128, 0}, {Type::kI1, 1}},
           U128{1} << 64);
  Flag3(Opcode::kAdcCarry, Type::kI64, kAll, 0, true, true);
  Flag3(Opcode::kAdcCarry, Type::kI64, kAll, 0, false, false);
  Flag3(Opcode::kAdcCarry, Type::kI64, 1, 2, true, false);
  Flag3(Opcode::kAdcCarry, Type::kI8, 0xFF, 0xFF, true, true);  // 0x1FF
  Flag3(Opcode::kAdcCarry, Type::kI32, 0x80000000, 0x7FFFFFFF, true, true);
  Flag3(Opcode::kAdcCarry, Type::kI16, 0x8000, 0x7FFF, false, false);
  Flag3(Opcode::kAdcCarry, Type::kI128, kAll128, 0, true, true);
  Flag3(Opcode::kAdcOverflow, Type::kI32, 0x7FFFFFFF, 0, true, true);
  Flag3(Opcode::kAdcOverflow, Type::kI32, 0x7FFFFFFE, 0, true, false);
  Flag3(Opcode::kAdcOverflow, Type::kI8, 0x80, 0xFF, true, false);   // -128 + -1 + 1
  Flag3(Opcode::kAdcOverflow, Type::kI8, 0x80, 0xFF, false, true);   // -129
  Flag3(Opcode::kAdcOverflow, Type::kI64, kMin64 - 1, 0, true, true);
  Flag3(Opcode::kAdcOverflow, Type::kI16, 0x7FFF, 0x8000, true, false);  // 32767 - 32768 + 1
  Flag3(Opcode::kAdcOverflow, Type::kI128, kMin128 - 1, 0, true, true);
}

OP_TEST(FlagOps, SubWithBorrow, Opcode::kSbb, Opcode::kSbbBorrow, Opcode::kSbbOverflow) {
  ExpectOp(Opcode::kSbb, Type::kI64, {{Type::kI64, 0}, {Type::kI64, 0}, {Type::kI1, 1}}, kAll);
  ExpectOp(Opcode::kSbb, Type::kI32, {{Type::kI32, 5}, {Type::kI32, 3}, {Type::kI1, 1}}, 1);
  ExpectOp(Opcode::kSbb, Type::kI16, {{Type::kI16, 5}, {Type::kI16, 3}, {Type::kI1, 0}}, 2);
  ExpectOp(Opcode::kSbb, Type::kI128, {{Type::kI128, U128{1} << 64}, {Type::kI128, 0}, {Type::kI1, 1}},
           kAll);
  Flag3(Opcode::kSbbBorrow, Type::kI64, 0, 0, true, true);
  Flag3(Opcode::kSbbBorrow, Type::kI64, 5, 5, false, false);
  Flag3(Opcode::kSbbBorrow, Type::kI64, 5, 5, true, true);
  Flag3(Opcode::kSbbBorrow, Type::kI32, 5, 4, true, false);
  Flag3(Opcode::kSbbBorrow, Type::kI8, 0, 0xFF, false, true);
  Flag3(Opcode::kSbbBorrow, Type::kI16, 0xFFFF, 0xFFFF, true, true);
  Flag3(Opcode::kSbbBorrow, Type::kI128, 1, 0, true, false);
  Flag3(Opcode::kSbbOverflow, Type::kI32, 0x80000000, 0, true, true);  // MIN - 0 - 1
  Flag3(Opcode::kSbbOverflow, Type::kI32, 0x80000000, 0xFFFFFFFF, true, false);  // MIN + 1 - 1
  Flag3(Opcode::kSbbOverflow, Type::kI8, 0x7F, 0xFF, false, true);     // 127 - -1 = 128
  Flag3(Opcode::kSbbOverflow, Type::kI8, 0x7F, 0xFF, true, false);     // 127 - -1 - 1 = 127
  Flag3(Opcode::kSbbOverflow, Type::kI64, kMin64, 0, false, false);
  Flag3(Opcode::kSbbOverflow, Type::kI16, 0x8000, 0, true, true);
  Flag3(Opcode::kSbbOverflow, Type::kI128, kMin128, 0, true, true);
}

OP_TEST(FlagOps, Parity, Opcode::kParity) {
  // 1 when the low 8 bits hold an even number of ones.
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI64, 0}}, 1);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI64, 1}}, 0);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI64, 3}}, 1);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI64, 0x100}}, 1);  // only the low byte counts
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI64, 0xFF}}, 1);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI64, 0x7F}}, 0);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI8, 0x03}}, 1);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI16, 0x0107}}, 0);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI32, 0xFFFFFF01}}, 0);
  ExpectOp(Opcode::kParity, Type::kI1, {{Type::kI128, kAll128 - 1}}, 0);  // 0xFE: seven ones
}

}  // namespace
}  // namespace polyvm::engine::interp::test
