// Verifier tests: one well-formed block that uses every kind of rule, then one malformed block per
// rule, each expected to produce exactly the one matching error.
#include "polyvm/ir/verifier.h"

#include <gtest/gtest.h>

#include <string>

#include "polyvm/ir/builder.h"

namespace polyvm::ir {
namespace {

constexpr uint32_t kR = 128;  // first guest register byte after the CpuHeader

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& e : v) s += e + "\n";
  return s;
}

// Exactly one error, containing `what`.
void ExpectOneError(const Block& b, const std::string& what) {
  std::vector<std::string> errors = Verify(b);
  ASSERT_EQ(errors.size(), 1u) << Join(errors);
  EXPECT_NE(errors[0].find(what), std::string::npos) << errors[0];
}

struct Fixture {
  Block b;
  Builder ir{b};
  Fixture() { b.exit = {.kind = ExitKind::kJump, .target = 0x1000}; }
};

TEST(Verifier, AcceptsWellFormedBlock) {
  static const HelperInfo kHelper{nullptr, "h"};
  Fixture f;
  Builder& ir = f.ir;
  f.b.pc = 0x1000;
  f.b.size = 8;
  f.b.insn_count = 2;
  ir.GuestInsn(0x1000, 4);
  Value x = ir.GetReg(Type::kI64, kR);
  Value flag = ir.GetReg(Type::kI1, kR + 8);  // i1 state is one byte
  Value w = ir.Trunc(Type::kI32, x);
  Value s = ir.SExt(Type::kI64, w);
  Value wide = ir.Emit(Opcode::kConcat, Type::kI128, s, x);
  ir.Emit(Opcode::kExtract, Type::kI64, wide, {}, {}, 64);
  ir.Const(Type::kI128, ~uint64_t{0});
  ir.Const(Type::kI8, 0xff);
  ir.Select(flag, x, s);
  ir.Op(Opcode::kShl, x, flag);
  ir.Op(Opcode::kAdc, x, s, flag);
  Value d = ir.Bitcast(Type::kF64, x);
  ir.Emit(Opcode::kFToSInt, Type::kI64, d, {}, {}, 0, FpMode{.rule = 2}.Encode());
  ir.Emit(Opcode::kFConvert, Type::kF32, d, {}, {}, 0, FpMode{}.Encode());
  ir.Load(Type::kF32, x, {.order = MemOrder::kAcquire, .aligned = true});
  ir.Store(x, w, {.order = MemOrder::kSeqCst});
  ir.Emit(Opcode::kAtomicCas, Type::kI128, x, wide, wide, 0,
          MemFlags{.order = MemOrder::kAcqRel}.Encode());
  ir.Emit(Opcode::kAtomicRmw, Type::kI8, x, ir.Const(Type::kI8, 1), {}, 0,
          MemFlags{.rmw = RmwOp::kMaxU}.Encode());
  ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kFenceAll);
  Value v = ir.GetReg(Type::kV128, kR + 16);
  ir.Emit(Opcode::kVExtract, Type::kI64, v, {}, {}, 1, 0, 3);
  ir.Emit(Opcode::kVInsert, Type::kV128, v, x, {}, 15, 0, 0);
  ir.Emit(Opcode::kVDup, Type::kV128, w, {}, {}, 0, 0, 2);
  ir.Emit(Opcode::kVFAdd, Type::kV128, v, v, {}, 0, FpMode{}.Encode(), 2);
  ir.Emit(Opcode::kVNarrow, Type::kV128, v, {}, {}, 0, 0, 3);
  ir.Emit(Opcode::kCallHelper, Type::kVoid, {}, {}, {}, reinterpret_cast<uintptr_t>(&kHelper));
  ir.Emit(Opcode::kCallHelper, Type::kI64, x, x, {}, reinterpret_cast<uintptr_t>(&kHelper));
  ir.GuestInsn(0x1004, 4);
  Value c = ir.Cmp(Opcode::kCmpEq, x, s);
  ir.ExitIf(c, {.kind = ExitKind::kIndirect, .value = x.id, .insn_count = 1});
  ir.SetReg(kR, s);
  ir.SetExit({.kind = ExitKind::kBranch,
              .value = c.id,
              .target = 0x2000,
              .fallthrough = 0x1008,
              .insn_count = 2});
  EXPECT_EQ(Join(Verify(f.b)), "");
}

// ---- operands ----

TEST(Verifier, ArgumentCount) {
  Fixture f;
  Value a = f.ir.I64(1);
  f.ir.Emit(Opcode::kAdd, Type::kI64, a);
  ExpectOneError(f.b, "operand 1 missing");
  Fixture g;
  Value b = g.ir.I64(1);
  g.ir.Emit(Opcode::kNeg, Type::kI64, b, b);
  ExpectOneError(g.b, "operand 1 given");
}

TEST(Verifier, OptionalArgumentsAreContiguous) {
  static const HelperInfo kHelper{nullptr, "h"};
  Fixture f;
  Value a = f.ir.I64(1);
  f.ir.Emit(Opcode::kCallHelper, Type::kVoid, {}, a, {}, reinterpret_cast<uintptr_t>(&kHelper));
  ExpectOneError(f.b, "after an absent optional operand");
}

TEST(Verifier, OperandMustBeEarlier) {
  Fixture f;
  Value a = f.ir.I64(1);
  f.ir.Add(a, a);
  f.b.insts[1].args[1] = 1;  // itself
  ExpectOneError(f.b, "operand 1 (v1) is not an earlier value");
}

TEST(Verifier, OperandMustHaveAValue) {
  Fixture f;
  Value a = f.ir.I64(1);
  f.ir.SetReg(kR, a);
  f.ir.Emit(Opcode::kNeg, Type::kI64, Value{1, Type::kI64});
  ExpectOneError(f.b, "operand 0 (v1) has no value");
}

TEST(Verifier, SameColumnMeansResultType) {
  Fixture f;
  Value a = f.ir.I64(1);
  Value b = f.ir.I32(1);
  f.ir.Emit(Opcode::kAdd, Type::kI64, a, b);
  ExpectOneError(f.b, "operand 1 (v1) is i32, not i64");
}

TEST(Verifier, Same0ColumnMeansFirstOperandType) {
  Fixture f;
  Value a = f.ir.I64(1);
  Value b = f.ir.I32(1);
  f.ir.Cmp(Opcode::kCmpLtU, a, b);
  ExpectOneError(f.b, "operand 1 (v1) is i32, not i64");
}

TEST(Verifier, OperandClass) {
  Fixture f;
  Value a = f.ir.Const(Type::kF64, 0);
  f.ir.Emit(Opcode::kAdd, Type::kF64, a, a);  // Add is Int
  std::vector<std::string> errors = Verify(f.b);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("result type f64 is not int"), std::string::npos) << Join(errors);
  Fixture g;
  Value v = g.ir.I64(0);
  g.ir.Emit(Opcode::kVAdd, Type::kV128, v, v);
  errors = Verify(g.b);
  ASSERT_EQ(errors.size(), 2u) << Join(errors);
  EXPECT_NE(errors[0].find("operand 0 (v0) is i64, not v128"), std::string::npos) << Join(errors);
}

TEST(Verifier, ResultClass) {
  Fixture f;
  Value a = f.ir.I64(1);
  f.ir.Emit(Opcode::kCmpEq, Type::kI8, a, a);
  ExpectOneError(f.b, "result type i8 is not i1");
  Fixture g;
  Value b = g.ir.I64(1);
  g.ir.Emit(Opcode::kSetReg, Type::kI64, b, {}, {}, kR);
  ExpectOneError(g.b, "result type i64 is not none");
}

// ---- fields the op does not use ----

TEST(Verifier, StrayFields) {
  Fixture f;
  Value a = f.ir.I64(1);
  f.ir.Emit(Opcode::kAdd, Type::kI64, a, a, {}, 4);
  ExpectOneError(f.b, "imm 0x4 given to an op without an immediate");
  Fixture g;
  Value b = g.ir.I64(1);
  g.ir.Emit(Opcode::kAdd, Type::kI64, b, b, {}, 0, 1);
  ExpectOneError(g.b, "aux 0x1 given");
  Fixture h;
  Value c = h.ir.I64(1);
  h.ir.Emit(Opcode::kAdd, Type::kI64, c, c, {}, 0, 0, 2);
  ExpectOneError(h.b, "lane 2 given to an op without lanes");
}

// ---- per-op rules ----

TEST(Verifier, ConstMustFitItsType) {
  Fixture f;
  f.ir.Const(Type::kI8, 0x100);
  ExpectOneError(f.b, "value 0x100 does not fit i8");
  Fixture g;
  g.ir.Const(Type::kI1, 2);
  ExpectOneError(g.b, "does not fit i1");
  Fixture h;
  h.ir.Const(Type::kF32, 0x100000000);
  ExpectOneError(h.b, "does not fit f32");
}

TEST(Verifier, WidthChanges) {
  Fixture f;
  f.ir.Emit(Opcode::kZExt, Type::kI8, f.ir.I32(1));
  ExpectOneError(f.b, "narrower than operand");
  Fixture g;
  g.ir.Emit(Opcode::kSExt, Type::kI16, g.ir.I32(1));
  ExpectOneError(g.b, "narrower than operand");
  Fixture h;
  h.ir.Emit(Opcode::kTrunc, Type::kI64, h.ir.I32(1));
  ExpectOneError(h.b, "wider than operand");
  Fixture i;
  i.ir.Emit(Opcode::kBitcast, Type::kF32, i.ir.I64(1));
  ExpectOneError(i.b, "differ in width");
  Fixture j;
  Value a = j.ir.I32(1);
  j.ir.Emit(Opcode::kConcat, Type::kI128, a, a);
  ExpectOneError(j.b, "not twice the operand width");
  Fixture k;
  k.ir.Emit(Opcode::kExtract, Type::kI32, k.ir.I64(1), {}, {}, 33);
  ExpectOneError(k.b, "bits [33, 65) outside the 64-bit operand");
  Fixture l;
  l.ir.Op(Opcode::kBswap, l.ir.Const(Type::kI8, 1));
  ExpectOneError(l.b, "Bswap of i8");
}

TEST(Verifier, VectorLaneRange) {
  Fixture f;
  Value v = f.ir.GetReg(Type::kV128, kR);
  f.ir.Emit(Opcode::kVAdd, Type::kV128, v, v, {}, 0, 0, 4);
  ExpectOneError(f.b, "lane 4 out of range 0..3");
  Fixture g;
  Value w = g.ir.GetReg(Type::kV128, kR);
  g.ir.Emit(Opcode::kVFAdd, Type::kV128, w, w, {}, 0, 0, 1);
  ExpectOneError(g.b, "lane 1 is not 2 (f32) or 3 (f64)");
}

TEST(Verifier, VectorLaneIndexAndElementTypes) {
  Fixture f;
  Value v = f.ir.GetReg(Type::kV128, kR);
  f.ir.Emit(Opcode::kVExtract, Type::kI32, v, {}, {}, 4, 0, 2);
  ExpectOneError(f.b, "lane index 4 out of range for 32-bit lanes");
  Fixture g;
  Value w = g.ir.GetReg(Type::kV128, kR);
  g.ir.Emit(Opcode::kVInsert, Type::kV128, w, g.ir.I64(1), {}, 2, 0, 3);
  ExpectOneError(g.b, "lane index 2 out of range for 64-bit lanes");
  Fixture h;
  Value x = h.ir.GetReg(Type::kV128, kR);
  h.ir.Emit(Opcode::kVExtract, Type::kI16, x, {}, {}, 0, 0, 2);
  ExpectOneError(h.b, "result has 16 bits, fewer than the 32-bit lane");
  Fixture i;
  i.ir.Emit(Opcode::kVDup, Type::kV128, i.ir.Const(Type::kI8, 1), {}, {}, 0, 0, 1);
  ExpectOneError(i.b, "operand has 8 bits, fewer than the 16-bit lane");
  Fixture j;
  Value y = j.ir.GetReg(Type::kV128, kR);
  j.ir.Emit(Opcode::kVInsert, Type::kV128, y, j.ir.Const(Type::kI8, 1), {}, 0, 0, 2);
  ExpectOneError(j.b, "operand 1 has 8 bits, fewer than the 32-bit lane");
  Fixture k;
  Value z = k.ir.GetReg(Type::kV128, kR);
  k.ir.Emit(Opcode::kVNarrow, Type::kV128, z, {}, {}, 0, 0, 0);
  ExpectOneError(k.b, "cannot narrow 8-bit lanes");
  Fixture l;
  Value u = l.ir.GetReg(Type::kV128, kR);
  l.ir.Emit(Opcode::kVWidenLoS, Type::kV128, u, {}, {}, 0, 0, 3);
  ExpectOneError(l.b, "cannot widen 64-bit lanes");
}

TEST(Verifier, SideExits) {
  Fixture f;
  f.ir.Emit(Opcode::kExitIf, Type::kVoid, f.ir.Bool(true), {}, {}, 0);
  ExpectOneError(f.b, "side exit #0 does not exist (0 side exits)");
  Fixture g;
  Value c = g.ir.Bool(true);
  g.ir.ExitIf(c, {.kind = ExitKind::kIndirect, .value = 2});
  g.ir.I64(0x10);
  ExpectOneError(g.b, "side exit #0 uses v2, not defined before it");
}

TEST(Verifier, ExitValues) {
  Fixture f;
  f.b.exit = {.kind = ExitKind::kBranch, .value = f.ir.I64(1).id};
  ExpectOneError(f.b, "exit: value v0 is i64, not i1");
  Fixture g;
  g.b.exit = {.kind = ExitKind::kIndirect, .value = g.ir.I32(1).id};
  ExpectOneError(g.b, "exit: value v0 is i32, not i64");
  Fixture h;
  h.b.exit = {.kind = ExitKind::kIndirect, .value = 5};
  ExpectOneError(h.b, "exit: value missing or not defined");
  Fixture i;
  i.b.exit = {.kind = ExitKind::kJump, .value = i.ir.I64(1).id};
  ExpectOneError(i.b, "exit: has a value (v0) it does not use");
  Fixture j;
  j.b.exit = {.kind = ExitKind::kTrap};
  ExpectOneError(j.b, "exit: trap exit without a trap code");
  Fixture k;
  k.b.exit = {.kind = ExitKind::kSyscall, .hint = BranchHint::kReturn};
  ExpectOneError(k.b, "return hint on an exit that is not indirect");
  Fixture l;
  l.b.insn_count = 1;
  l.b.side_exits.push_back({.kind = ExitKind::kHalt, .insn_count = 2});
  ExpectOneError(l.b, "side exit #0: insn_count 2 exceeds the block's 1");
}

TEST(Verifier, MemoryTypes) {
  Fixture f;
  f.ir.Load(Type::kI1, f.ir.I64(0));
  ExpectOneError(f.b, "i1 is not a memory type");
  Fixture g;
  g.ir.Store(g.ir.I64(0), g.ir.Bool(false));
  ExpectOneError(g.b, "i1 is not a memory type");
  Fixture h;
  h.ir.Load(Type::kI64, h.ir.I32(0));
  ExpectOneError(h.b, "operand 0 (v0) is i32, not i64");
}

TEST(Verifier, MemoryOrders) {
  Fixture f;
  f.ir.Load(Type::kI64, f.ir.I64(0), {.order = MemOrder::kRelease});
  ExpectOneError(f.b, "a load cannot have release order");
  Fixture g;
  g.ir.Store(g.ir.I64(0), g.ir.I64(0), {.order = MemOrder::kAcquire});
  ExpectOneError(g.b, "a store cannot have acquire order");
  Fixture h;
  h.ir.Emit(Opcode::kLoad, Type::kI64, h.ir.I64(0), {}, {}, 0, 5);
  ExpectOneError(h.b, "memory order 5 is reserved");
  Fixture i;
  i.ir.Load(Type::kI64, i.ir.I64(0), {.rmw = RmwOp::kSwap});
  ExpectOneError(i.b, "rmw op given to a non-AtomicRmw access");
}

TEST(Verifier, AtomicTypes) {
  Fixture f;
  Value a = f.ir.I64(0);
  Value v = f.ir.Const(Type::kI128, 0);
  f.ir.Emit(Opcode::kAtomicRmw, Type::kI128, a, v);
  ExpectOneError(f.b, "AtomicRmw of i128");
  Fixture g;
  Value b = g.ir.I64(0);
  Value d = g.ir.Const(Type::kF64, 0);
  g.ir.Emit(Opcode::kAtomicCas, Type::kF64, b, d, d);
  std::vector<std::string> errors = Verify(g.b);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors[0].find("result type f64 is not int"), std::string::npos) << Join(errors);
  Fixture h;
  Value c = h.ir.I64(0);
  h.ir.Emit(Opcode::kStoreCond, Type::kI1, c, h.ir.Bool(true));
  ExpectOneError(h.b, "operand 1 (v1) is i1, not int");
}

TEST(Verifier, GuestStateAccess) {
  Fixture f;
  f.ir.GetReg(Type::kI64, 16);  // CpuHeader::excl_addr: the monitor belongs to the atomic ops
  ExpectOneError(f.b, "inside the CpuHeader");
  Fixture g;
  g.ir.SetReg(0xfffffffc, g.ir.I64(0));
  ExpectOneError(g.b, "state offset 0xfffffffc too large");
}

TEST(Verifier, FpModes) {
  Fixture f;
  Value d = f.ir.Const(Type::kF64, 0);
  f.ir.Op(Opcode::kFAdd, d, d, {}, 5);  // rm 5 is reserved
  ExpectOneError(f.b, "rounding mode 5 is reserved");
  Fixture g;
  Value e = g.ir.Const(Type::kF64, 0);
  g.ir.Emit(Opcode::kFToSInt, Type::kI64, e, {}, {}, 0, FpMode{.rule = 3}.Encode());
  ExpectOneError(g.b, "conversion rule 3 is reserved");
  Fixture h;
  Value x = h.ir.Const(Type::kF64, 0);
  h.ir.Emit(Opcode::kFToSInt, Type::kI16, x, {}, {}, 0, FpMode{}.Encode());
  ExpectOneError(h.b, "result must be i32 or i64");
  Fixture i;
  Value y = i.ir.Const(Type::kF64, 0);
  i.ir.Emit(Opcode::kFConvert, Type::kF64, y, {}, {}, 0, FpMode{}.Encode());
  ExpectOneError(i.b, "converts f64 to itself");
  Fixture j;
  Value z = j.ir.Const(Type::kF64, 0);
  j.ir.Op(Opcode::kFAdd, z, z, {}, 0x3 << 3);  // NaN rule 3
  ExpectOneError(j.b, "NaN rule 3 is reserved");
}

TEST(Verifier, EnvironmentOps) {
  Fixture f;
  f.ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, 0);
  ExpectOneError(f.b, "FenceKind 0x0 not in 1..15");
  Fixture g;
  g.ir.Emit(Opcode::kReadCounter, Type::kI64, {}, {}, {}, 0, 9);
  ExpectOneError(g.b, "counter 9 unknown");
  Fixture h;
  h.ir.Emit(Opcode::kCallHelper, Type::kVoid);
  ExpectOneError(h.b, "no HelperInfo");
}

TEST(Verifier, GuestInsnMarkers) {
  Fixture f;
  f.b.pc = 0x1000;
  f.b.size = 4;
  f.ir.GuestInsn(0x1002, 4);
  ExpectOneError(f.b, "pc 0x1002 (4 bytes) outside the block [0x1000, 0x1004)");
  Fixture g;
  g.ir.GuestInsn(0x1000, 0);
  ExpectOneError(g.b, "guest instruction of 0 bytes");
}

TEST(Verifier, OpcodeOutOfRange) {
  Fixture f;
  f.b.insts.push_back(Inst{.op = static_cast<Opcode>(kOpcodeCount)});
  ExpectOneError(f.b, "out of range");
}

}  // namespace
}  // namespace polyvm::ir
