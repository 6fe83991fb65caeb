// Constant folding: results of all-constant ops (expected values from the ISA manuals' integer
// rules, e.g. RISC-V division by zero, x86/AArch64 carry and overflow), identities, and what must
// never be folded.
#include "polyvm/ir/passes/const_fold.h"

#include <gtest/gtest.h>

#include <functional>

#include "pass_test_util.h"

namespace polyvm::ir::testing {
namespace {

using passes::FoldConstants;

// Folds `op` on constants and returns the result's value; fails if it was not folded.
uint64_t FoldOp(Opcode op, Type result, std::initializer_list<std::pair<Type, uint64_t>> args,
                uint64_t imm = 0) {
  TestBlock t;
  Value v[3];
  unsigned n = 0;
  for (auto [type, value] : args) v[n++] = t.ir.Const(type, value);
  Value r = t.ir.Emit(op, result, v[0], v[1], v[2], imm);
  t.ir.SetReg(R(0), r);
  RunPass(FoldConstants, t.b);
  Block out = FoldConstants(t.b);
  const Inst& inst = out.insts[r.id];
  EXPECT_EQ(inst.op, Opcode::kConst) << OpName(op) << " not folded";
  EXPECT_EQ(inst.type, result);
  return inst.imm;
}

TEST(FoldConstants, Arithmetic) {
  EXPECT_EQ(FoldOp(Opcode::kAdd, Type::kI64, {{Type::kI64, 2}, {Type::kI64, 3}}), 5u);
  EXPECT_EQ(FoldOp(Opcode::kAdd, Type::kI8, {{Type::kI8, 0xff}, {Type::kI8, 2}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kSub, Type::kI32, {{Type::kI32, 0}, {Type::kI32, 1}}), 0xffffffffu);
  EXPECT_EQ(FoldOp(Opcode::kMul, Type::kI16, {{Type::kI16, 0x100}, {Type::kI16, 0x101}}), 0x100u);
  // RISC-V mulh: -1 * -1 = 1, high half 0; mulhu: (2^64-1)^2 = 2^128 - 2^65 + 1, high half 2^64-2.
  EXPECT_EQ(FoldOp(Opcode::kMulHiS, Type::kI64, {{Type::kI64, ~0ull}, {Type::kI64, ~0ull}}), 0u);
  EXPECT_EQ(FoldOp(Opcode::kMulHiU, Type::kI64, {{Type::kI64, ~0ull}, {Type::kI64, ~0ull}}),
            ~0ull - 1);
  // mulhsu: -1 * (2^64-1) = -(2^64-1): high half all ones.
  EXPECT_EQ(FoldOp(Opcode::kMulHiSU, Type::kI64, {{Type::kI64, ~0ull}, {Type::kI64, ~0ull}}),
            ~0ull);
  EXPECT_EQ(FoldOp(Opcode::kNeg, Type::kI32, {{Type::kI32, 1}}), 0xffffffffu);
}

TEST(FoldConstants, DivisionCornerCases) {
  // RISC-V spec, "Division Operations" table: x/0 = -1 (all ones), x%0 = x, MIN/-1 = MIN,
  // MIN%-1 = 0.
  EXPECT_EQ(FoldOp(Opcode::kDivS, Type::kI32, {{Type::kI32, 7}, {Type::kI32, 0}}), 0xffffffffu);
  EXPECT_EQ(FoldOp(Opcode::kDivU, Type::kI64, {{Type::kI64, 7}, {Type::kI64, 0}}), ~0ull);
  EXPECT_EQ(FoldOp(Opcode::kRemU, Type::kI64, {{Type::kI64, 7}, {Type::kI64, 0}}), 7u);
  EXPECT_EQ(FoldOp(Opcode::kRemS, Type::kI8, {{Type::kI8, 0xf9}, {Type::kI8, 0}}), 0xf9u);
  EXPECT_EQ(FoldOp(Opcode::kDivS, Type::kI64, {{Type::kI64, 1ull << 63}, {Type::kI64, ~0ull}}),
            1ull << 63);
  EXPECT_EQ(FoldOp(Opcode::kRemS, Type::kI64, {{Type::kI64, 1ull << 63}, {Type::kI64, ~0ull}}), 0u);
  // -7 / 2 = -3 (toward zero), -7 % 2 = -1 (sign of the dividend).
  EXPECT_EQ(FoldOp(Opcode::kDivS, Type::kI16, {{Type::kI16, 0xfff9}, {Type::kI16, 2}}), 0xfffdu);
  EXPECT_EQ(FoldOp(Opcode::kRemS, Type::kI16, {{Type::kI16, 0xfff9}, {Type::kI16, 2}}), 0xffffu);
}

TEST(FoldConstants, ShiftsAndBits) {
  EXPECT_EQ(FoldOp(Opcode::kShl, Type::kI32, {{Type::kI32, 1}, {Type::kI32, 33}}), 2u);  // mod 32
  EXPECT_EQ(FoldOp(Opcode::kAShr, Type::kI8, {{Type::kI8, 0x80}, {Type::kI8, 7}}), 0xffu);
  EXPECT_EQ(FoldOp(Opcode::kLShr, Type::kI64, {{Type::kI64, 1ull << 63}, {Type::kI1, 1}}),
            1ull << 62);
  EXPECT_EQ(FoldOp(Opcode::kRotl, Type::kI16, {{Type::kI16, 0x8001}, {Type::kI16, 1}}), 0x0003u);
  EXPECT_EQ(FoldOp(Opcode::kRotr, Type::kI16, {{Type::kI16, 0x8001}, {Type::kI16, 1}}), 0xc000u);
  EXPECT_EQ(FoldOp(Opcode::kClz, Type::kI16, {{Type::kI16, 1}}), 15u);
  EXPECT_EQ(FoldOp(Opcode::kClz, Type::kI32, {{Type::kI32, 0}}), 32u);
  EXPECT_EQ(FoldOp(Opcode::kCtz, Type::kI64, {{Type::kI64, 0x80}}), 7u);
  EXPECT_EQ(FoldOp(Opcode::kPopcount, Type::kI8, {{Type::kI8, 0xf1}}), 5u);
  EXPECT_EQ(FoldOp(Opcode::kBswap, Type::kI32, {{Type::kI32, 0x11223344}}), 0x44332211u);
  EXPECT_EQ(FoldOp(Opcode::kBitReverse, Type::kI8, {{Type::kI8, 0x01}}), 0x80u);
  EXPECT_EQ(FoldOp(Opcode::kAnd, Type::kI16, {{Type::kI16, 0xff0f}, {Type::kI16, 0x0ff0}}),
            0x0f00u);
  EXPECT_EQ(FoldOp(Opcode::kNot, Type::kI1, {{Type::kI1, 1}}), 0u);
  EXPECT_EQ(FoldOp(Opcode::kNot, Type::kI8, {{Type::kI8, 0x0f}}), 0xf0u);
}

TEST(FoldConstants, ComparisonsSelectAndWidths) {
  EXPECT_EQ(FoldOp(Opcode::kCmpLtS, Type::kI1, {{Type::kI32, 0xffffffff}, {Type::kI32, 0}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kCmpLtU, Type::kI1, {{Type::kI32, 0xffffffff}, {Type::kI32, 0}}), 0u);
  EXPECT_EQ(FoldOp(Opcode::kCmpLeS, Type::kI1, {{Type::kI8, 0x80}, {Type::kI8, 0x7f}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kCmpNe, Type::kI1, {{Type::kI1, 1}, {Type::kI1, 1}}), 0u);
  EXPECT_EQ(FoldOp(Opcode::kSelect, Type::kI64, {{Type::kI1, 0}, {Type::kI64, 5}, {Type::kI64, 6}}),
            6u);
  EXPECT_EQ(FoldOp(Opcode::kSExt, Type::kI64, {{Type::kI8, 0x80}}), 0xffffffffffffff80u);
  EXPECT_EQ(FoldOp(Opcode::kSExt, Type::kI32, {{Type::kI1, 1}}), 0xffffffffu);
  EXPECT_EQ(FoldOp(Opcode::kZExt, Type::kI64, {{Type::kI8, 0x80}}), 0x80u);
  EXPECT_EQ(FoldOp(Opcode::kTrunc, Type::kI32, {{Type::kI64, 0x123456789}}), 0x23456789u);
  EXPECT_EQ(FoldOp(Opcode::kTrunc, Type::kI1, {{Type::kI64, 0x3}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kBitcast, Type::kF64, {{Type::kI64, 0x3ff0000000000000}}),
            0x3ff0000000000000u);
  EXPECT_EQ(FoldOp(Opcode::kConcat, Type::kI64, {{Type::kI32, 0x11111111}, {Type::kI32, 0x2}}),
            0x211111111u);
  EXPECT_EQ(FoldOp(Opcode::kExtract, Type::kI8, {{Type::kI64, 0x12345678}}, 12), 0x45u);
  EXPECT_EQ(FoldOp(Opcode::kExtract, Type::kI64, {{Type::kI128, 0x8000000000000000}}, 63), 1u);
}

TEST(FoldConstants, FlagOps) {
  // x86 ADD al=0xff, 1: CF=1, OF=0; ADD 0x7f, 1: OF=1; SUB 0, 1: CF (borrow)=1; PF of 0x03: even
  // -> 1.
  EXPECT_EQ(FoldOp(Opcode::kAddCarry, Type::kI1, {{Type::kI8, 0xff}, {Type::kI8, 1}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kAddOverflow, Type::kI1, {{Type::kI8, 0xff}, {Type::kI8, 1}}), 0u);
  EXPECT_EQ(FoldOp(Opcode::kAddOverflow, Type::kI1, {{Type::kI8, 0x7f}, {Type::kI8, 1}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kSubBorrow, Type::kI1, {{Type::kI32, 0}, {Type::kI32, 1}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kSubOverflow, Type::kI1, {{Type::kI8, 0x80}, {Type::kI8, 1}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kAdc, Type::kI8, {{Type::kI8, 0xff}, {Type::kI8, 0}, {Type::kI1, 1}}),
            0u);
  EXPECT_EQ(
      FoldOp(Opcode::kAdcCarry, Type::kI1, {{Type::kI8, 0xff}, {Type::kI8, 0}, {Type::kI1, 1}}),
      1u);
  EXPECT_EQ(FoldOp(Opcode::kSbbBorrow, Type::kI1, {{Type::kI8, 5}, {Type::kI8, 5}, {Type::kI1, 1}}),
            1u);
  EXPECT_EQ(FoldOp(Opcode::kParity, Type::kI1, {{Type::kI32, 0x103}}), 1u);
  EXPECT_EQ(FoldOp(Opcode::kParity, Type::kI1, {{Type::kI32, 0x7}}), 0u);
}

TEST(FoldConstants, Wide128) {
  // i128 results that fit the 64-bit imm fold; others stay as they are.
  EXPECT_EQ(
      FoldOp(Opcode::kMul, Type::kI128, {{Type::kI128, 1ull << 32}, {Type::kI128, 1ull << 31}}),
      1ull << 63);
  TestBlock t;
  Value a = t.ir.Const(Type::kI128, 1ull << 63);
  Value sum = t.ir.Add(a, a);  // 2^64: does not fit
  Value neg = t.ir.Emit(Opcode::kSExt, Type::kI128, t.ir.I64(~0ull));
  t.ir.SetReg(R(0), sum);
  t.ir.SetReg(R(2), neg);
  EXPECT_EQ(RunPass(FoldConstants, t.b), Expected("  v0:i128 = Const 0x8000000000000000\n"
                                                  "  v1:i128 = Add v0, v0\n"
                                                  "  v2:i64 = Const 0xffffffffffffffff\n"
                                                  "  v3:i128 = SExt v2\n"
                                                  "  SetReg r0, v1\n"
                                                  "  SetReg r2, v3\n"));
}

TEST(FoldConstants, Identities) {
  TestBlock t;
  Builder& ir = t.ir;
  Value x = ir.GetReg(Type::kI64, R(1));
  Value zero = ir.I64(0);
  Value one = ir.I64(1);
  Value ones = ir.I64(~0ull);
  ir.SetReg(R(2), ir.Add(zero, x));               // x
  ir.SetReg(R(2), ir.Op(Opcode::kMul, x, one));   // x
  ir.SetReg(R(2), ir.Op(Opcode::kMul, zero, x));  // 0
  ir.SetReg(R(2), ir.And(x, ones));               // x
  ir.SetReg(R(2), ir.Or(x, ones));                // ~0
  ir.SetReg(R(2), ir.Xor(x, x));                  // 0
  ir.SetReg(R(2), ir.Shl(x, ir.I32(64)));         // x (64 mod 64 = 0)
  ir.SetReg(R(2), ir.Sub(x, x));                  // 0
  EXPECT_EQ(RunPass(FoldConstants, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                  "  v1:i64 = Const 0x0\n"
                                                  "  v2:i64 = Const 0x1\n"
                                                  "  v3:i64 = Const 0xffffffffffffffff\n"
                                                  "  v4:i64 = Add v1, v0\n"
                                                  "  SetReg r2, v0\n"
                                                  "  v6:i64 = Mul v0, v2\n"
                                                  "  SetReg r2, v0\n"
                                                  "  v8:i64 = Const 0x0\n"
                                                  "  SetReg r2, v8\n"
                                                  "  v10:i64 = And v0, v3\n"
                                                  "  SetReg r2, v0\n"
                                                  "  v12:i64 = Const 0xffffffffffffffff\n"
                                                  "  SetReg r2, v12\n"
                                                  "  v14:i64 = Const 0x0\n"
                                                  "  SetReg r2, v14\n"
                                                  "  v16:i32 = Const 0x40\n"
                                                  "  v17:i64 = Shl v0, v16\n"
                                                  "  SetReg r2, v0\n"
                                                  "  v19:i64 = Const 0x0\n"
                                                  "  SetReg r2, v19\n"));
}

// Bitcast(Bitcast(x)) back to x's type is x (RISC-V's f registers are i64 fields, read and
// written around every FP op); through a different width or to a third type it stays.
TEST(FoldConstants, BitcastRoundTrips) {
  TestBlock t;
  Builder& ir = t.ir;
  Value x = ir.GetReg(Type::kI64, R(1));
  Value f = ir.Emit(Opcode::kBitcast, Type::kF64, x);
  ir.SetReg(R(2), ir.Emit(Opcode::kBitcast, Type::kI64, f));  // x
  Value w = ir.GetReg(Type::kI32, R(3));
  Value s = ir.Emit(Opcode::kBitcast, Type::kF32, w);
  ir.SetReg(R(4), ir.Emit(Opcode::kBitcast, Type::kI32, s));  // w
  ir.SetReg(R(5), ir.Emit(Opcode::kBitcast, Type::kF64, f));  // f (same type: no op)
  EXPECT_EQ(RunPass(FoldConstants, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                  "  v1:f64 = Bitcast v0\n"
                                                  "  v2:i64 = Bitcast v1\n"
                                                  "  SetReg r2, v0\n"
                                                  "  v4:i32 = GetReg r3\n"
                                                  "  v5:f32 = Bitcast v4\n"
                                                  "  v6:i32 = Bitcast v5\n"
                                                  "  SetReg r4, v4\n"
                                                  "  v8:f64 = Bitcast v1\n"
                                                  "  SetReg r5, v1\n"));
}

// Trunc(Trunc(x)) reads x itself (AArch64's strb w0 of x0's value); the inner Trunc stays for
// dead-code elimination to remove when nothing else reads it.
TEST(FoldConstants, TruncOfTrunc) {
  TestBlock t;
  Builder& ir = t.ir;
  Value x = ir.GetReg(Type::kI64, R(1));
  Value w = ir.Emit(Opcode::kTrunc, Type::kI32, x);
  ir.SetReg(R(2), ir.Emit(Opcode::kTrunc, Type::kI8, w));
  EXPECT_EQ(RunPass(FoldConstants, t.b), Expected("  v0:i64 = GetReg r1\n"
                                                  "  v1:i32 = Trunc v0\n"
                                                  "  v2:i8 = Trunc v0\n"
                                                  "  SetReg r2, v2\n"));
}

// Whether FoldConstants turns SExt(Trunc v to `to`) back into v, for the v `make` builds.
bool DropsSignRoundTrip(const std::function<Value(Builder&)>& make, Type to) {
  TestBlock t;
  Value v = make(t.ir);
  Value back = t.ir.Emit(Opcode::kSExt, v.type, t.ir.Emit(Opcode::kTrunc, to, v));
  t.ir.SetReg(R(2), back);
  RunPass(FoldConstants, t.b);
  const Block out = FoldConstants(t.b);
  return out.insts.back().op == Opcode::kSetReg && out.insts.back().args[0] == v.id;
}

TEST(FoldConstants, SignExtensionRoundTrips) {
  auto reg = [](Builder& ir) { return ir.GetReg(Type::kI64, R(1)); };
  auto sext32 = [](Builder& ir) {
    return ir.Emit(Opcode::kSExt, Type::kI64, ir.Load(Type::kI32, ir.GetReg(Type::kI64, R(0))));
  };
  // RISC-V `lw` then `xor` with an `srliw` result, then `addiw x, 0` (sext.w): already extended.
  EXPECT_TRUE(DropsSignRoundTrip(
      [&](Builder& ir) {
        Value w = ir.Emit(Opcode::kTrunc, Type::kI32, reg(ir));
        Value shifted = ir.Emit(Opcode::kLShr, Type::kI32, w, ir.I32(8));
        return ir.Xor(sext32(ir), ir.Emit(Opcode::kSExt, Type::kI64, shifted));
      },
      Type::kI32));
  // (SExt(Trunc(SExt x)) and constants fold by the older rules, to an equal new value.)
  EXPECT_FALSE(DropsSignRoundTrip(sext32, Type::kI16)) << "16 kept bits do not suffice";
  // Zero-extended bytes and And with a small mask have 56 leading zeros.
  EXPECT_TRUE(DropsSignRoundTrip(
      [&](Builder& ir) { return ir.Emit(Opcode::kZExt, Type::kI64, ir.Load(Type::kI8, reg(ir))); },
      Type::kI32));
  EXPECT_FALSE(
      DropsSignRoundTrip([&](Builder& ir) { return ir.And(reg(ir), ir.I64(0xffff)); }, Type::kI16))
      << "0xffff leaves bit 15 free";
  EXPECT_TRUE(
      DropsSignRoundTrip([&](Builder& ir) { return ir.And(reg(ir), ir.I64(0x7fff)); }, Type::kI16));
  EXPECT_TRUE(DropsSignRoundTrip(
      [&](Builder& ir) { return ir.Emit(Opcode::kAShr, Type::kI64, reg(ir), ir.I64(40)); },
      Type::kI32));
  EXPECT_TRUE(DropsSignRoundTrip(
      [&](Builder& ir) { return ir.Emit(Opcode::kLShr, Type::kI64, reg(ir), ir.I64(33)); },
      Type::kI32));
  EXPECT_TRUE(DropsSignRoundTrip(
      [&](Builder& ir) { return ir.Xor(sext32(ir), ir.I64(0xffffffff80000000ull)); }, Type::kI32));
  EXPECT_FALSE(DropsSignRoundTrip(
      [&](Builder& ir) { return ir.Xor(sext32(ir), ir.I64(0x80000000ull)); }, Type::kI32));
  EXPECT_FALSE(DropsSignRoundTrip(
      [&](Builder& ir) {
        Value lo = ir.Emit(Opcode::kZExt, Type::kI64, ir.Load(Type::kI32, reg(ir)));
        return ir.Or(lo, ir.Emit(Opcode::kZExt, Type::kI64, ir.Load(Type::kI16, reg(ir))));
      },
      Type::kI32))
      << "zero-extended words have 32 known top bits, their bit 31 is free";
  // Not known: a plain register, an Add of extended values (it can carry into bit 32), a shift
  // by 32 exactly (bit 31 is then unknown).
  EXPECT_FALSE(DropsSignRoundTrip(reg, Type::kI32));
  EXPECT_FALSE(
      DropsSignRoundTrip([&](Builder& ir) { return ir.Add(sext32(ir), sext32(ir)); }, Type::kI32));
  EXPECT_FALSE(DropsSignRoundTrip(
      [&](Builder& ir) { return ir.Emit(Opcode::kLShr, Type::kI64, reg(ir), ir.I64(32)); },
      Type::kI32));
}

TEST(FoldConstants, SelectAndSelfComparisons) {
  TestBlock t;
  Builder& ir = t.ir;
  Value x = ir.GetReg(Type::kI32, R(1));
  Value y = ir.GetReg(Type::kI32, R(2));
  Value c = ir.Cmp(Opcode::kCmpEq, x, x);    // 1
  ir.SetReg(R(3), ir.Select(c, x, y));       // x
  Value lt = ir.Cmp(Opcode::kCmpLtU, y, y);  // 0
  ir.SetReg(R(3), ir.Select(lt, x, y));      // y
  Value t8 = ir.Trunc(Type::kI8, ir.SExt(Type::kI64, ir.Trunc(Type::kI8, x)));
  ir.SetReg(R(4), t8);  // Trunc(SExt(w)) -> w
  t.b.exit = {.kind = ExitKind::kBranch, .value = lt.id, .target = 0x2000, .fallthrough = 0x1010};
  EXPECT_EQ(RunPass(FoldConstants, t.b),
            "block 0x1000 size=16 insns=4\n"
            "  v0:i32 = GetReg r1\n"
            "  v1:i32 = GetReg r2\n"
            "  v2:i1 = Const 0x1\n"
            "  v3:i32 = Select v2, v0, v1\n"
            "  SetReg r3, v0\n"
            "  v5:i1 = Const 0x0\n"
            "  v6:i32 = Select v5, v0, v1\n"
            "  SetReg r3, v1\n"
            "  v8:i8 = Trunc v0\n"
            "  v9:i64 = SExt v8\n"
            "  v10:i8 = Trunc v9\n"
            "  SetReg r4, v8\n"
            "  exit: branch v5 ? 0x2000 : 0x1010 insns=0\n");
}

TEST(FoldConstants, ExitValuesFollowReplacements) {
  TestBlock t;
  Value x = t.ir.GetReg(Type::kI64, R(1));
  Value y = t.ir.Add(x, t.ir.I64(0));
  t.b.exit = {.kind = ExitKind::kIndirect, .value = y.id};
  t.b.side_exits.push_back({.kind = ExitKind::kIndirect, .value = y.id});
  Block out = FoldConstants(t.b);
  EXPECT_EQ(out.exit.value, x.id);
  EXPECT_EQ(out.side_exits[0].value, x.id);
}

TEST(FoldConstants, NeverFoldsFpOrEffects) {
  TestBlock t;
  Builder& ir = t.ir;
  Value one = ir.Const(Type::kF64, 0x3ff0000000000000);
  ir.Op(Opcode::kFAdd, one, one, {},
        FpMode{}.Encode());  // raises no flag here, but FP is never folded
  ir.Op(Opcode::kFNeg, one);
  Value addr = ir.I64(0x100);
  ir.Load(Type::kI64, addr);
  ir.Emit(Opcode::kAtomicRmw, Type::kI64, addr, ir.I64(0), {}, 0, MemFlags{}.Encode());
  ir.Emit(Opcode::kReadCounter, Type::kI64);
  Value v1 = ir.Const(Type::kV128, 1);
  Value v2 = ir.Const(Type::kV128, 2);
  ir.Emit(Opcode::kVAdd, Type::kV128, v1, v2, {}, 0, 0, 2);  // vector ops are not folded
  std::string before = Print(t.b, RName);
  EXPECT_EQ(RunPass(FoldConstants, t.b), before);
}

}  // namespace
}  // namespace polyvm::ir::testing
