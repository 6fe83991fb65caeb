// Golden host-code tests for the inline vector and Arm-rule FP ops: the number of x86-64
// instructions (GNU objdump) of a block running one op on guest state fields, minus the same block
// without the op, so a code-quality regression shows in review. Before these ops were inline each
// was a ColdOp call (operands to the frame, the call, the status test). Update a count only with
// the reason in the commit message.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "host_insn_count.h"
#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

// Host instructions of a one-instruction block whose body `body` builds, minus those of a block
// with the same exit only.
template <typename Body>
int BlockCount(Body body, bool ieee_rounding = false) {
  Machine m;
  m.lifter.ieee_rounding = ieee_rounding;
  BlockMaker with(0x1000), without(0x2000);
  with.Insn(0);
  body(with.ir);
  with.Halt(0x1004, 1);
  without.Insn(0);
  without.Halt(0x2004, 1);
  m.Add(with.block);
  m.Add(without.block);
  int n = CountHostInstructions(m.interp->HostCode(0x1000));
  int base = CountHostInstructions(m.interp->HostCode(0x2000));
  if (n < 0 || base < 0) ADD_FAILURE() << "objdump could not disassemble the host code";
  return n - base;
}

// A block computing op(v0, v1[, v2]) of type t into v4.
int OpCount(Opcode op, Type t, std::vector<Type> args, uint32_t aux = 0, uint8_t lane = 0,
            bool ieee_rounding = false) {
  return BlockCount(
      [&](ir::Builder& ir) {
        ir::Value a[3];
        for (size_t k = 0; k < args.size(); ++k)
          a[k] = ir.GetReg(args[k], V(static_cast<unsigned>(k)));
        ir.SetReg(V(4), ir.Emit(op, t, a[0], a[1], a[2], 0, aux, lane));
      },
      ieee_rounding);
}

uint32_t ArmFp() {
  ir::FpMode m;
  m.rm = ir::RoundingMode::kDynamic;
  m.nan = ir::NanRule::kArm;
  return m.Encode();
}

// v128 operands and results live in frame slots: each GetReg of a v128 field is a load and a
// store to the slot (2 + 2), the SetReg a load and a store (2). The op: two movdqu loads, paddd,
// the movdqu store.
TEST(JitGoldenVec, VAddLanes32) {
  EXPECT_EQ(OpCount(Opcode::kVAdd, Type::kV128, {Type::kV128, Type::kV128}, 0, 2), 10);
}

// pshufb with the out-of-range rule: two loads, the 0x70 constant's load, paddusb, pshufb, the
// store; plus the 6 of the state traffic.
TEST(JitGoldenVec, VTbl) {
  EXPECT_EQ(OpCount(Opcode::kVTbl, Type::kV128, {Type::kV128, Type::kV128}), 12);
}

// fmul v.2d under Arm's rule: the rounding-mode check (cmp, jae: 2), two loads, mulpd (3), the
// lane checks (|r| == the smallest normal: the |x| mask's load, pand, the constant's load,
// pcmpeqq, pmovmskb, test, jnz: 7; |r| > inf: load, pcmpgtq, pmovmskb, test, jnz: 5), the store
// (1); plus the 6 of the state traffic.
TEST(JitGoldenVec, VFMulArm) {
  EXPECT_EQ(OpCount(Opcode::kVFMul, Type::kV128, {Type::kV128, Type::kV128}, ArmFp(), 3), 24);
}

// fmul d under Arm's rule (scalar f64 values live in host registers): the two field reads (2),
// the rounding-mode check (2; this block is not the arm64 lifter's, whose blocks omit it), two
// movq, mulsd, movq back (4), the NaN test (lea, cmp with a JitHot constant, ja) and the
// smallest-normal test (cmp, je), the result's move to its register, the field write (1 + 1).
TEST(JitGoldenVec, FMulArm) {
  EXPECT_EQ(OpCount(Opcode::kFMul, Type::kF64, {Type::kF64, Type::kF64}, ArmFp()), 15);
}

// The same for a guest whose dynamic rounding mode is always an IEEE one (AArch64's lifter says
// so: ir::Lifter::DynamicRoundingIsIeee): MXCSR.RC holds it, and the check (2) is not emitted.
TEST(JitGoldenVec, FMulArmIeeeRounding) {
  EXPECT_EQ(OpCount(Opcode::kFMul, Type::kF64, {Type::kF64, Type::kF64}, ArmFp(), 0, true), 13);
}

// adcs's carry out (i64): three field reads (4: the i1 read keeps its low bit, movzx + and), the
// operands to rax, rcx, rdx (3), bt (the carry-in to CF), adc, and setc straight into the field
// (its only reader is the SetReg: codegen_fuse.cpp). Before: setc + movzx in a register and the
// field write (12); earlier, a move from rax, and before that a ColdOp call.
TEST(JitGoldenVec, AdcCarry64) {
  EXPECT_EQ(OpCount(Opcode::kAdcCarry, Type::kI1, {Type::kI64, Type::kI64, Type::kI1}), 10);
}

// sbcs's value (i32): three field reads (4, as above), the operands (3), bt, sbb (which
// zero-extends: no mask), the move to its register, the field write (1). Before: a ColdOp call.
TEST(JitGoldenVec, Sbb32) {
  EXPECT_EQ(OpCount(Opcode::kSbb, Type::kI32, {Type::kI32, Type::kI32, Type::kI1}), 11);
}

// Two i64 halves to an i128 (AArch64 atomics, v128 constants): two field reads (2), the halves
// to rax and rcx, two movq, punpcklqdq, the 16-byte store (6), the SetReg's load and store (2).
// Before: a ColdOp call.
TEST(JitGoldenVec, ConcatI64) {
  EXPECT_EQ(OpCount(Opcode::kConcat, Type::kI128, {Type::kI64, Type::kI64}), 10);
}

// cnt v.16b: the load, the 0x0f mask's load, movdqa, psrlw, two pand, the table's load, movdqa,
// two pshufb, paddb, the store (12); plus the 4 of the state traffic. Before: a ColdOp call.
TEST(JitGoldenVec, VPopcount8) {
  EXPECT_EQ(OpCount(Opcode::kVPopcount, Type::kV128, {Type::kV128}, 0, 0), 16);
}

// addp v.4s: two loads, phaddd, the store; plus the 6 of the state traffic.
TEST(JitGoldenVec, VPairAdd32) {
  EXPECT_EQ(OpCount(Opcode::kVPairAdd, Type::kV128, {Type::kV128, Type::kV128}, 0, 2), 10);
}

// mul of 64-bit lanes (no SSE instruction): two loads, movdqa, the three pmuludq partial products
// with their shifts and adds (9), the store; plus the 6 of the state traffic. Before: ColdOp.
TEST(JitGoldenVec, VMulLanes64) {
  EXPECT_EQ(OpCount(Opcode::kVMul, Type::kV128, {Type::kV128, Type::kV128}, 0, 3), 19);
}

// A scalar result written to an AArch64 V register, Bitcast(v128, ZExt(i128, bits)): two quadword
// stores (the bits and zero); the ZExt and the Bitcast are not emitted. Before: the ZExt (mov,
// movq, movdqu) and the Bitcast (movdqu, movdqu) through frame slots, a 16-byte store; earlier
// still, two ColdOp calls.
TEST(JitGoldenVec, ScalarToVectorRegister) {
  // The field read (1), SetReg (2).
  EXPECT_EQ(BlockCount([](ir::Builder& ir) {
              ir::Value bits = ir.GetReg(Type::kI64, V(0));
              ir::Value wide = ir.Emit(Opcode::kZExt, Type::kI128, bits);
              ir.SetReg(V(4), ir.Emit(Opcode::kBitcast, Type::kV128, wide));
            }),
            3);
}

// An f64 result in a V register, read back as f64 by the next instruction (AArch64 fadd d0, d1,
// d2; fmul d3, d0, d0): the Bitcast of its bits is not emitted either, and the read is the value
// itself, not a load of the field.
TEST(JitGoldenVec, ScalarFpWrittenToVectorRegisterIsForwarded) {
  // The field read (1), SetReg V4 (2) and the store of the same register to r1 (1).
  EXPECT_EQ(BlockCount([](ir::Builder& ir) {
              ir::Value f = ir.GetReg(Type::kF64, V(0));
              ir::Value bits = ir.Emit(Opcode::kBitcast, Type::kI64, f);
              ir::Value wide = ir.Emit(Opcode::kZExt, Type::kI128, bits);
              ir.SetReg(V(4), ir.Emit(Opcode::kBitcast, Type::kV128, wide));
              ir::Value again = ir.GetReg(Type::kF64, V(4));
              ir.SetReg(R(1), ir.Emit(Opcode::kBitcast, Type::kI64, again));
            }),
            4);
}

// AArch64's cmp x1, x2 as the lifter writes NZCV: N and Z from the difference, C as x2 <= x1
// unsigned, V as SubOverflow. One compare gives all four (codegen_flags.cpp): the two field
// reads, a cmp (the difference itself is read only through its flags: MarkFlagOnlySubs; was
// mov + sub, 8), and four setcc straight into the flag bytes (codegen_fuse.cpp). Before: setcc +
// movzx in a register and a byte store per flag (16); earlier, a cmp or a second sub per flag.
TEST(JitGoldenVec, NzcvOfOneSubtraction) {
  EXPECT_EQ(BlockCount([](ir::Builder& ir) {
              ir::Value a = ir.GetReg(Type::kI64, R(1));
              ir::Value b = ir.GetReg(Type::kI64, R(2));
              ir::Value diff = ir.Sub(a, b);
              ir::Value zero = ir.I64(0);
              ir::Value c = ir.Cmp(Opcode::kCmpLeU, b, a);
              ir::Value v = ir.Op(Opcode::kSubOverflow, a, b);
              ir.SetReg(R(3), ir.Cmp(Opcode::kCmpLtS, diff, zero));
              ir.SetReg(R(3) + 1, ir.Cmp(Opcode::kCmpEq, diff, zero));
              ir.SetReg(R(3) + 2, c);
              ir.SetReg(R(3) + 3, v);
            }),
            2 + 1 + 4);
}

}  // namespace
}  // namespace polyvm::engine::interp::test
