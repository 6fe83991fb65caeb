// Scalar FP ops: a few IEEE 754 cases per op, including a NaN and the exception flags, and the
// rounding mode (static in the op, or dynamic from the FP environment). The exhaustive checks of
// the FP rules live with ir/semantics; these check that the interpreter runs them, with the right
// operands, mode and environment. Expected values are IEEE 754 results worked out by hand.
#include <sys/mman.h>

#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

using ir::RoundingMode;

constexpr uint32_t kInv = ir::kFpInvalid, kDz = ir::kFpDivByZero, kOf = ir::kFpOverflow,
                   kUf = ir::kFpUnderflow, kNx = ir::kFpInexact;
constexpr uint64_t kQNaN = 0x7FF8000000000000, kSNaN = 0x7FF0000000000001;
constexpr uint64_t kInf = 0x7FF0000000000000, kMax = 0x7FEFFFFFFFFFFFFF;
constexpr uint32_t kQNaN32 = 0x7FC00000, kSNaN32 = 0x7F800001;

uint32_t Fp(RoundingMode rm = RoundingMode::kDynamic, uint8_t rule = 0, bool signaling = false,
            bool exact = false, ir::NanRule nan = ir::NanRule::kCanonical) {
  return ir::FpMode{rm, nan, rule, signaling, exact}.Encode();
}
U128 D(double v) { return FBits(v); }
U128 S(float v) { return FBits(v); }

void F2(Opcode op, Type t, U128 a, U128 b, U128 expect, int flags, uint32_t aux = Fp(),
        uint32_t rm = 0) {
  ExpectOp(op, t, {{t, a}, {t, b}}, expect, {.aux = aux}, flags, rm);
}
void F1(Opcode op, Type t, U128 a, U128 expect, int flags, uint32_t aux = Fp(), uint32_t rm = 0) {
  ExpectOp(op, t, {{t, a}}, expect, {.aux = aux}, flags, rm);
}

OP_TEST(FpOps, FAdd, Opcode::kFAdd) {
  F2(Opcode::kFAdd, Type::kF64, D(1.0), D(2.0), D(3.0), 0);
  F2(Opcode::kFAdd, Type::kF64, D(0.1), D(0.2), 0x3FD3333333333334, kNx);
  F2(Opcode::kFAdd, Type::kF32, S(1.0f), S(1e-10f), S(1.0f), kNx);
  F2(Opcode::kFAdd, Type::kF64, 0x7FF8000000000123, D(1.0), kQNaN, 0);  // canonical NaN
  F2(Opcode::kFAdd, Type::kF64, kSNaN, D(1.0), kQNaN, kInv);
  F2(Opcode::kFAdd, Type::kF64, kInf, kInf | (uint64_t{1} << 63), kQNaN, kInv);
  F2(Opcode::kFAdd, Type::kF32, kSNaN32, S(1.0f), kQNaN32, kInv);
  // Other NaN rules: Arm quiets the signalling operand; x86's default NaN is negative.
  F2(Opcode::kFAdd, Type::kF64, kSNaN, D(1.0), 0x7FF8000000000001, kInv,
     Fp(RoundingMode::kDynamic, 0, false, false, ir::NanRule::kArm));
  F2(Opcode::kFAdd, Type::kF64, kInf, kInf | (uint64_t{1} << 63), 0xFFF8000000000000, kInv,
     Fp(RoundingMode::kDynamic, 0, false, false, ir::NanRule::kX86));
  // 1 + 2^-53 is a tie: to even gives 1, upward gives the next double; static or dynamic mode.
  const U128 kHalfUlp = 0x3CA0000000000000;
  F2(Opcode::kFAdd, Type::kF64, D(1.0), kHalfUlp, D(1.0), kNx);
  F2(Opcode::kFAdd, Type::kF64, D(1.0), kHalfUlp, 0x3FF0000000000001, kNx, Fp(RoundingMode::kUp));
  F2(Opcode::kFAdd, Type::kF64, D(1.0), kHalfUlp, 0x3FF0000000000001, kNx, Fp(),
     static_cast<uint32_t>(RoundingMode::kUp));
  F2(Opcode::kFAdd, Type::kF64, D(1.0), kHalfUlp, 0x3FF0000000000001, kNx,
     Fp(RoundingMode::kNearestMaxMag));
  F2(Opcode::kFAdd, Type::kF64, D(1.0), kHalfUlp, D(1.0), kNx, Fp(RoundingMode::kNearestEven),
     static_cast<uint32_t>(RoundingMode::kUp));
}

OP_TEST(FpOps, FSub, Opcode::kFSub) {
  F2(Opcode::kFSub, Type::kF64, D(1.0), D(1.0), D(0.0), 0);
  // x - x is -0 when rounding toward -infinity.
  F2(Opcode::kFSub, Type::kF64, D(1.0), D(1.0), D(-0.0), 0, Fp(),
     static_cast<uint32_t>(RoundingMode::kDown));
  F2(Opcode::kFSub, Type::kF32, S(3.5f), S(5.0f), S(-1.5f), 0);
  F2(Opcode::kFSub, Type::kF32, kQNaN32, S(1.0f), kQNaN32, 0);
}

OP_TEST(FpOps, FMul, Opcode::kFMul) {
  F2(Opcode::kFMul, Type::kF64, D(3.0), D(0.5), D(1.5), 0);
  F2(Opcode::kFMul, Type::kF64, kMax, D(2.0), kInf, kOf | kNx);
  F2(Opcode::kFMul, Type::kF64, kMax, D(2.0), kMax, kOf | kNx, Fp(RoundingMode::kTowardZero));
  F2(Opcode::kFMul, Type::kF32, S(1e-30f), S(1e-30f), S(0.0f), kUf | kNx);
  F2(Opcode::kFMul, Type::kF64, kInf, D(0.0), kQNaN, kInv);
}

OP_TEST(FpOps, FDiv, Opcode::kFDiv) {
  F2(Opcode::kFDiv, Type::kF64, D(1.0), D(0.0), kInf, kDz);
  F2(Opcode::kFDiv, Type::kF64, D(0.0), D(0.0), kQNaN, kInv);
  F2(Opcode::kFDiv, Type::kF64, D(1.0), D(3.0), 0x3FD5555555555555, kNx);
  F2(Opcode::kFDiv, Type::kF64, D(1.0), D(3.0), 0x3FD5555555555556, kNx, Fp(RoundingMode::kUp));
  F2(Opcode::kFDiv, Type::kF32, S(-6.0f), S(2.0f), S(-3.0f), 0);
}

OP_TEST(FpOps, FSqrt, Opcode::kFSqrt) {
  F1(Opcode::kFSqrt, Type::kF64, D(4.0), D(2.0), 0);
  F1(Opcode::kFSqrt, Type::kF64, D(2.0), 0x3FF6A09E667F3BCD, kNx);
  F1(Opcode::kFSqrt, Type::kF64, D(-1.0), kQNaN, kInv);
  F1(Opcode::kFSqrt, Type::kF64, D(-0.0), D(-0.0), 0);
  F1(Opcode::kFSqrt, Type::kF32, S(9.0f), S(3.0f), 0);
}

OP_TEST(FpOps, FMulAdd, Opcode::kFMulAdd) {
  // (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104 exactly with one rounding (0 with two).
  ExpectOp(Opcode::kFMulAdd, Type::kF64,
           {{Type::kF64, 0x3FF0000000000001}, {Type::kF64, 0x3FEFFFFFFFFFFFFE}, {Type::kF64, D(-1.0)}},
           0xB970000000000000, {.aux = Fp()}, 0);
  ExpectOp(Opcode::kFMulAdd, Type::kF32,
           {{Type::kF32, S(2.0f)}, {Type::kF32, S(3.0f)}, {Type::kF32, S(1.0f)}}, S(7.0f),
           {.aux = Fp()}, 0);
  ExpectOp(Opcode::kFMulAdd, Type::kF64,
           {{Type::kF64, kQNaN}, {Type::kF64, D(2.0)}, {Type::kF64, D(1.0)}}, kQNaN, {.aux = Fp()}, 0);
}

OP_TEST(FpOps, FMinMax, Opcode::kFMin, Opcode::kFMax) {
  F2(Opcode::kFMin, Type::kF64, D(1.0), D(2.0), D(1.0), 0);
  F2(Opcode::kFMax, Type::kF64, D(1.0), D(2.0), D(2.0), 0);
  F2(Opcode::kFMin, Type::kF64, kQNaN, D(1.0), D(1.0), 0);  // IEEE minimumNumber
  F2(Opcode::kFMin, Type::kF64, kSNaN, D(1.0), D(1.0), kInv);
  F2(Opcode::kFMin, Type::kF64, D(-0.0), D(0.0), D(-0.0), 0);
  F2(Opcode::kFMax, Type::kF64, D(-0.0), D(0.0), D(0.0), 0);
  F2(Opcode::kFMax, Type::kF32, kQNaN32, kQNaN32, kQNaN32, 0);
  // Arm FMIN: a NaN operand gives a NaN.
  F2(Opcode::kFMin, Type::kF64, kQNaN, D(1.0), kQNaN, 0,
     Fp(RoundingMode::kDynamic, static_cast<uint8_t>(ir::MinMaxRule::kArm)));
}

OP_TEST(FpOps, SignOps, Opcode::kFNeg, Opcode::kFAbs) {
  F1(Opcode::kFNeg, Type::kF64, 0x7FF8000000000001, 0xFFF8000000000001, 0, 0);  // NaN untouched
  F1(Opcode::kFNeg, Type::kF32, S(1.0f), S(-1.0f), 0, 0);
  F1(Opcode::kFNeg, Type::kF64, D(0.0), D(-0.0), 0, 0);
  F1(Opcode::kFAbs, Type::kF64, D(-0.0), D(0.0), 0, 0);
  F1(Opcode::kFAbs, Type::kF32, 0xFF800001, 0x7F800001, 0, 0);  // a signalling NaN, no flag
  F1(Opcode::kFAbs, Type::kF64, D(-2.5), D(2.5), 0, 0);
}

void FC(Opcode op, Type t, U128 a, U128 b, bool expect, int flags, bool signaling = false) {
  ExpectOp(op, Type::kI1, {{t, a}, {t, b}}, expect ? 1 : 0,
           {.aux = Fp(RoundingMode::kDynamic, 0, signaling)}, flags);
}

OP_TEST(FpOps, Compare, Opcode::kFCmpEq, Opcode::kFCmpLt, Opcode::kFCmpLe, Opcode::kFCmpUn) {
  FC(Opcode::kFCmpEq, Type::kF64, D(1.0), D(2.0), false, 0);
  FC(Opcode::kFCmpLt, Type::kF64, D(1.0), D(2.0), true, 0);
  FC(Opcode::kFCmpLe, Type::kF64, D(2.0), D(2.0), true, 0);
  FC(Opcode::kFCmpUn, Type::kF64, D(1.0), D(2.0), false, 0);
  FC(Opcode::kFCmpEq, Type::kF64, D(-0.0), D(0.0), true, 0);
  FC(Opcode::kFCmpLt, Type::kF32, S(-0.0f), S(0.0f), false, 0);
  // Quiet comparisons raise invalid only for signalling NaNs; signalling ones for any NaN.
  FC(Opcode::kFCmpEq, Type::kF64, kQNaN, D(1.0), false, 0);
  FC(Opcode::kFCmpEq, Type::kF64, kSNaN, D(1.0), false, kInv);
  FC(Opcode::kFCmpEq, Type::kF64, kQNaN, D(1.0), false, kInv, true);
  FC(Opcode::kFCmpLt, Type::kF64, kQNaN, D(1.0), false, kInv, true);
  FC(Opcode::kFCmpLe, Type::kF32, S(1.0f), kQNaN32, false, kInv, true);
  FC(Opcode::kFCmpUn, Type::kF64, kQNaN, D(1.0), true, 0);
  FC(Opcode::kFCmpUn, Type::kF32, S(1.0f), kSNaN32, true, kInv);
}

void Cvt(Opcode op, Type to, Type from, U128 a, U128 expect, int flags, uint32_t aux = Fp(),
         uint32_t rm = 0) {
  ExpectOp(op, to, {{from, a}}, expect, {.aux = aux}, flags, rm);
}

OP_TEST(FpOps, FToSInt, Opcode::kFToSInt) {
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, D(2.5), 2, kNx);  // ties to even
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, D(2.5), 3, kNx, Fp(RoundingMode::kUp));
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, D(2.5), 3, kNx, Fp(RoundingMode::kNearestMaxMag));
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, D(-2.5), 0xFFFFFFFD, kNx,
      Fp(RoundingMode::kNearestMaxMag));
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, D(-2.5), 0xFFFFFFFE, kNx, Fp(),
      static_cast<uint32_t>(RoundingMode::kTowardZero));
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, D(1e10), 0x7FFFFFFF, kInv);  // saturates
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, D(-1e10), 0x80000000, kInv);
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF64, kQNaN, 0x7FFFFFFF, kInv);  // RISC-V: NaN -> max
  Cvt(Opcode::kFToSInt, Type::kI64, Type::kF32, S(1.5f), 2, kNx);
  Cvt(Opcode::kFToSInt, Type::kI64, Type::kF64, D(-3.0), ~uint64_t{2}, 0);
  Cvt(Opcode::kFToSInt, Type::kI32, Type::kF32, S(-7.75f), 0xFFFFFFF9, kNx,
      Fp(RoundingMode::kTowardZero));
  // AArch64: NaN converts to 0.
  Cvt(Opcode::kFToSInt, Type::kI64, Type::kF64, kQNaN, 0, kInv,
      Fp(RoundingMode::kTowardZero, static_cast<uint8_t>(ir::CvtRule::kSaturateNanZero)));
}

OP_TEST(FpOps, FToUInt, Opcode::kFToUInt) {
  Cvt(Opcode::kFToUInt, Type::kI32, Type::kF64, D(3.7), 3, kNx, Fp(RoundingMode::kTowardZero));
  Cvt(Opcode::kFToUInt, Type::kI32, Type::kF64, D(-1.0), 0, kInv);
  Cvt(Opcode::kFToUInt, Type::kI32, Type::kF64, D(4294967296.0), 0xFFFFFFFF, kInv);
  Cvt(Opcode::kFToUInt, Type::kI32, Type::kF64, kQNaN, 0xFFFFFFFF, kInv);
  Cvt(Opcode::kFToUInt, Type::kI64, Type::kF64, D(18446744073709549568.0), 0xFFFFFFFFFFFFF800, 0);
  Cvt(Opcode::kFToUInt, Type::kI64, Type::kF32, S(0.5f), 1, kNx, Fp(RoundingMode::kUp));
}

OP_TEST(FpOps, IntToF, Opcode::kSIntToF, Opcode::kUIntToF) {
  Cvt(Opcode::kSIntToF, Type::kF64, Type::kI32, 0xFFFFFFFF, D(-1.0), 0);
  Cvt(Opcode::kSIntToF, Type::kF64, Type::kI64, (uint64_t{1} << 53) + 1, D(9007199254740992.0),
      kNx);  // ties to even
  Cvt(Opcode::kSIntToF, Type::kF64, Type::kI64, (uint64_t{1} << 53) + 1, D(9007199254740994.0),
      kNx, Fp(RoundingMode::kUp));
  Cvt(Opcode::kSIntToF, Type::kF32, Type::kI32, 16777217, S(16777216.0f), kNx);
  Cvt(Opcode::kSIntToF, Type::kF32, Type::kI64, ~uint64_t{0}, S(-1.0f), 0);
  Cvt(Opcode::kUIntToF, Type::kF64, Type::kI64, ~uint64_t{0}, 0x43F0000000000000, kNx);
  Cvt(Opcode::kUIntToF, Type::kF32, Type::kI32, 0xFFFFFFFF, 0x4F800000, kNx);
  Cvt(Opcode::kUIntToF, Type::kF64, Type::kI32, 0x80000000, D(2147483648.0), 0);
  Cvt(Opcode::kUIntToF, Type::kF32, Type::kI64, 3, S(3.0f), 0);
}

OP_TEST(FpOps, FConvert, Opcode::kFConvert) {
  Cvt(Opcode::kFConvert, Type::kF32, Type::kF64, D(1.0), S(1.0f), 0);
  Cvt(Opcode::kFConvert, Type::kF32, Type::kF64, D(0.1), 0x3DCCCCCD, kNx);
  Cvt(Opcode::kFConvert, Type::kF32, Type::kF64, D(1e300), 0x7F800000, kOf | kNx);
  Cvt(Opcode::kFConvert, Type::kF64, Type::kF32, S(0.1f), 0x3FB99999A0000000, 0);
  Cvt(Opcode::kFConvert, Type::kF64, Type::kF32, kSNaN32, kQNaN, kInv);
}

OP_TEST(FpOps, FRound, Opcode::kFRound) {
  F1(Opcode::kFRound, Type::kF64, D(2.5), D(2.0), 0, Fp(RoundingMode::kNearestEven));
  F1(Opcode::kFRound, Type::kF64, D(2.5), D(2.0), kNx,
     Fp(RoundingMode::kNearestEven, 0, false, true));  // exact: raises inexact
  F1(Opcode::kFRound, Type::kF64, D(2.5), D(3.0), 0, Fp(RoundingMode::kUp));
  F1(Opcode::kFRound, Type::kF64, D(-0.5), D(-0.0), 0, Fp(RoundingMode::kNearestEven));
  F1(Opcode::kFRound, Type::kF32, S(-1.5f), S(-2.0f), 0, Fp(),
     static_cast<uint32_t>(RoundingMode::kDown));
  F1(Opcode::kFRound, Type::kF64, D(7.0), D(7.0), 0, Fp(RoundingMode::kNearestEven, 0, false, true));
}

// The FP environment ops, and the environment saved in the CpuHeader when Run returns.
OP_TEST(FpOps, Environment, Opcode::kFpGetFlags, Opcode::kFpSetFlags, Opcode::kFpSetRound) {
  Machine m;
  BlockMaker b(0x1000, 3);
  b.Insn(0);
  b.ir.SetReg(R(1), b.ir.Emit(Opcode::kFpGetFlags, Type::kI32));  // flags on entry
  b.ir.Emit(Opcode::kFpSetFlags, Type::kVoid, b.ir.GetReg(Type::kI32, R(2)));
  b.ir.SetReg(R(3), b.ir.Emit(Opcode::kFpGetFlags, Type::kI32));
  b.Insn(1);
  b.ir.Emit(Opcode::kFpSetRound, Type::kVoid, b.ir.I32(static_cast<uint32_t>(RoundingMode::kUp)));
  ir::Value sum = b.ir.Emit(Opcode::kFAdd, Type::kF64, b.ir.GetReg(Type::kF64, R(4)),
                            b.ir.GetReg(Type::kF64, R(5)), {}, 0, Fp());
  b.ir.SetReg(R(6), sum);
  b.Insn(2);
  b.ir.SetReg(R(7), b.ir.Emit(Opcode::kFpGetFlags, Type::kI32));
  b.Halt(0x100C, 3);
  m.Add(b.block);
  m.st.hdr.fp_flags = kDz;
  m.st.hdr.fp_round = 0;
  m.st.r[2] = kUf;
  m.st.r[4] = D(1.0);
  m.st.r[5] = 0x3CA0000000000000;
  ASSERT_EQ(m.Run(0x1000).reason, core::ExitReason::kHalt);
  EXPECT_EQ(m.st.r[1], kDz);
  EXPECT_EQ(m.st.r[3], kUf);
  EXPECT_EQ(m.st.r[6], 0x3FF0000000000001u);  // rounded up
  EXPECT_EQ(m.st.r[7], kUf | kNx);
  EXPECT_EQ(m.st.hdr.fp_flags, kUf | kNx);
  EXPECT_EQ(m.st.hdr.fp_round, static_cast<uint32_t>(RoundingMode::kUp));
}

// A memory fault does not lose the FP environment of the code before it.
TEST(FpOps, EnvironmentSurvivesMemoryFault) {
  Machine m;
  m.mem.Protect(1, PROT_NONE);
  BlockMaker b(0x1000, 2);
  b.Insn(0);
  b.ir.SetReg(R(3), b.ir.Emit(Opcode::kFDiv, Type::kF64, b.ir.GetReg(Type::kF64, R(4)),
                              b.ir.GetReg(Type::kF64, R(5)), {}, 0, Fp()));
  b.Insn(1);
  b.ir.SetReg(R(2), b.ir.Load(Type::kI64, b.ir.GetReg(Type::kI64, R(1))));
  b.Halt(0x1008, 2);
  m.Add(b.block);
  m.st.r[1] = static_cast<uint64_t>(getpagesize());
  m.st.r[4] = D(1.0);
  m.st.r[5] = D(0.0);
  m.st.hdr.fp_flags = kUf;
  m.st.hdr.fp_round = static_cast<uint32_t>(RoundingMode::kDown);
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kMemoryFault);
  EXPECT_EQ(m.st.r[3], kInf);
  EXPECT_EQ(m.st.hdr.fp_flags, kUf | kDz);
  EXPECT_EQ(m.st.hdr.fp_round, static_cast<uint32_t>(RoundingMode::kDown));
  // And the next Run still rounds down.
  BlockMaker c(0x2000);
  c.Insn(0);
  c.ir.SetReg(R(6), c.ir.Emit(Opcode::kFSub, Type::kF64, c.ir.GetReg(Type::kF64, R(4)),
                              c.ir.GetReg(Type::kF64, R(4)), {}, 0, Fp()));
  c.Halt(0x2004, 1);
  m.Add(c.block);
  m.Run(0x2000);
  EXPECT_EQ(m.st.r[6], D(-0.0));
}

}  // namespace
}  // namespace polyvm::engine::interp::test
