// Golden tests of the IR text form (docs/ir.md, "Text form").
#include "polyvm/ir/printer.h"

#include <gtest/gtest.h>

#include <string>

#include "polyvm/ir/builder.h"

namespace polyvm::ir {
namespace {

constexpr uint32_t kX0 = 128;  // a made-up guest: x0..x31 as 8-byte registers after the header

std::string XName(uint32_t offset) {
  if (offset < kX0 || offset >= kX0 + 256 || offset % 8 != 0) return "";
  return "x" + std::to_string((offset - kX0) / 8);
}

uint32_t X(unsigned i) { return kX0 + 8 * i; }

TEST(Printer, IntegerBlockWithBranch) {
  Block b;
  b.pc = 0x10074;
  b.size = 8;
  b.insn_count = 2;
  Builder ir(b);
  ir.GuestInsn(0x10074, 4);
  Value x = ir.GetReg(Type::kI64, X(10));
  Value five = ir.I64(5);
  Value sum = ir.Add(x, five);
  ir.SetReg(X(11), sum);
  ir.GuestInsn(0x10078, 4);
  Value eq = ir.Cmp(Opcode::kCmpEq, sum, five);
  ir.SetExit({.kind = ExitKind::kBranch,
              .value = eq.id,
              .target = 0x10080,
              .fallthrough = 0x1007c,
              .insn_count = 2});
  EXPECT_EQ(Print(b, XName),
            "block 0x10074 size=8 insns=2\n"
            "  ---- 0x10074 (4 bytes)\n"
            "  v1:i64 = GetReg x10\n"
            "  v2:i64 = Const 0x5\n"
            "  v3:i64 = Add v1, v2\n"
            "  SetReg x11, v3\n"
            "  ---- 0x10078 (4 bytes)\n"
            "  v6:i1 = CmpEq v3, v2\n"
            "  exit: branch v6 ? 0x10080 : 0x1007c insns=2\n");
}

TEST(Printer, UnnamedOffsetsFallBackToAt) {
  Block b;
  Builder ir(b);
  Value v = ir.GetReg(Type::kI32, 0x2c4);
  ir.SetReg(X(1) + 4, v);  // not the start of a named register
  EXPECT_EQ(PrintInst(b, 0), "v0:i32 = GetReg @0x2c4");
  EXPECT_EQ(PrintInst(b, 1, XName), "SetReg @0x8c, v0");
}

TEST(Printer, FloatingPointModes) {
  Block b;
  Builder ir(b);
  Value a = ir.Const(Type::kF64, 0x3ff0000000000000);  // 1.0
  Value c = ir.Const(Type::kF32, 0xc0000000);          // -2.0f
  FpMode rne{.rm = RoundingMode::kNearestEven, .nan = NanRule::kCanonical};
  ir.Op(Opcode::kFAdd, a, a, {}, rne.Encode());
  FpMode x86{.rm = RoundingMode::kDynamic,
             .nan = NanRule::kX86,
             .rule = static_cast<uint8_t>(MinMaxRule::kX86)};
  ir.Op(Opcode::kFMin, c, c, {}, x86.Encode());
  ir.Op(Opcode::kFCmpLt, a, a, {}, FpMode{.signaling = true}.Encode());
  ir.Emit(Opcode::kFToSInt, Type::kI32, a, {}, {}, 0,
          FpMode{.rm = RoundingMode::kTowardZero,
                 .rule = static_cast<uint8_t>(CvtRule::kSaturateNanZero)}
              .Encode());
  ir.Op(Opcode::kFRound, a, {}, {},
        FpMode{.rm = RoundingMode::kNearestMaxMag, .nan = NanRule::kArm, .exact = true}.Encode());
  ir.Op(Opcode::kFNeg, a);
  EXPECT_EQ(PrintInst(b, 0), "v0:f64 = Const 0x3ff0000000000000 (1)");
  EXPECT_EQ(PrintInst(b, 1), "v1:f32 = Const 0xc0000000 (-2)");
  EXPECT_EQ(PrintInst(b, 2), "v2:f64 = FAdd v0, v0 rm=rne nan=canonical");
  EXPECT_EQ(PrintInst(b, 3), "v3:f32 = FMin v1, v1 nan=x86 minmax=x86");
  EXPECT_EQ(PrintInst(b, 4), "v4:i1 = FCmpLt v0, v0 signaling");
  EXPECT_EQ(PrintInst(b, 5), "v5:i32 = FToSInt v0 rm=rtz cvt=satzero");
  EXPECT_EQ(PrintInst(b, 6), "v6:f64 = FRound v0 rm=rmm nan=arm exact");
  EXPECT_EQ(PrintInst(b, 7), "v7:f64 = FNeg v0");
}

TEST(Printer, MemoryAtomicsFencesAndEnvironment) {
  static const HelperInfo kCrc{nullptr, "crc32c"};
  Block b;
  Builder ir(b);
  Value addr = ir.I64(0x4000);
  ir.Load(Type::kI32, addr, {.order = MemOrder::kAcquire, .aligned = true});
  ir.Store(addr, ir.I32(7), {.order = MemOrder::kRelease});
  ir.Emit(Opcode::kAtomicRmw, Type::kI64, addr, ir.I64(1), {}, 0,
          MemFlags{.order = MemOrder::kAcqRel, .aligned = true, .rmw = RmwOp::kMaxU}.Encode());
  ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kFenceAll);
  ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kFenceLoadStore | kFenceStoreStore);
  ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, kFenceLoadLoad | kFenceStoreStore);
  ir.Emit(Opcode::kReadCounter, Type::kI64, {}, {}, {}, 0, static_cast<uint32_t>(Counter::kCycles));
  ir.Emit(Opcode::kCallHelper, Type::kI32, addr, {}, {}, reinterpret_cast<uintptr_t>(&kCrc));
  ir.Emit(Opcode::kLoadLinked, Type::kI64, addr, {}, {}, 0, MemFlags{.aligned = true}.Encode());
  EXPECT_EQ(PrintInst(b, 1), "v1:i32 = Load v0 acquire aligned");
  EXPECT_EQ(PrintInst(b, 3), "Store v0, v2 release");
  EXPECT_EQ(PrintInst(b, 5), "v5:i64 = AtomicRmw maxu v0, v4 acqrel aligned");
  EXPECT_EQ(PrintInst(b, 6), "Fence rw,rw");
  EXPECT_EQ(PrintInst(b, 7), "Fence rw,w");
  EXPECT_EQ(PrintInst(b, 8), "Fence ll+ss");
  EXPECT_EQ(PrintInst(b, 9), "v9:i64 = ReadCounter cycles");
  EXPECT_EQ(PrintInst(b, 10), "v10:i32 = CallHelper crc32c v0");
  EXPECT_EQ(PrintInst(b, 11), "v11:i64 = LoadLinked v0 aligned");
}

TEST(Printer, VectorLanesAndImmediates) {
  Block b;
  Builder ir(b);
  Value v = ir.GetReg(Type::kV128, 0x200);
  ir.Op(Opcode::kVAdd, v, v, {}, 0, 2);
  ir.Emit(Opcode::kVExtract, Type::kI32, v, {}, {}, 3, 0, 2);
  ir.Emit(Opcode::kVShlI, Type::kV128, v, {}, {}, 5, 0, 1);
  ir.Op(Opcode::kVFMul, v, v, {},
        FpMode{.rm = RoundingMode::kDynamic, .nan = NanRule::kArm}.Encode(), 3);
  ir.Emit(Opcode::kExtract, Type::kI8, ir.I64(0x1234), {}, {}, 8);
  ir.And(v, v);  // whole-register bit op: no lane
  EXPECT_EQ(PrintInst(b, 1), "v1:v128 = VAdd v0, v0 lane=2");
  EXPECT_EQ(PrintInst(b, 2), "v2:i32 = VExtract v0 idx=3 lane=2");
  EXPECT_EQ(PrintInst(b, 3), "v3:v128 = VShlI v0 by=5 lane=1");
  EXPECT_EQ(PrintInst(b, 4), "v4:v128 = VFMul v0, v0 lane=3 rm=dyn nan=arm");
  EXPECT_EQ(PrintInst(b, 6), "v6:i8 = Extract v5 at=8");
  EXPECT_EQ(PrintInst(b, 7), "v7:v128 = And v0, v0");
}

TEST(Printer, SideExitsAndExitKinds) {
  Block b;
  b.pc = 0x1000;
  b.size = 4;
  b.insn_count = 1;
  Builder ir(b);
  Value c = ir.Bool(true);
  ir.ExitIf(c, {.kind = ExitKind::kTrap,
                .trap = core::TrapCode::kIllegalInstruction,
                .target = 0x1000,
                .info = 0xffffffff});
  Value t = ir.I64(0x2000);
  ir.SetExit(
      {.kind = ExitKind::kIndirect, .hint = BranchHint::kReturn, .value = t.id, .insn_count = 1});
  EXPECT_EQ(Print(b),
            "block 0x1000 size=4 insns=1\n"
            "  v0:i1 = Const 0x1\n"
            "  ExitIf v0 -> #0\n"
            "  v2:i64 = Const 0x2000\n"
            "  exit: indirect v2 (return) insns=1\n"
            "  side exit #0: trap illegal-instruction at 0x1000 bits=0xffffffff insns=0\n");

  EXPECT_EQ(PrintExit({.kind = ExitKind::kJump,
                       .hint = BranchHint::kCall,
                       .target = 0x3000,
                       .fallthrough = 0x1004,
                       .insn_count = 1}),
            "jump 0x3000 (call, returns to 0x1004) insns=1");
  EXPECT_EQ(
      PrintExit({.kind = ExitKind::kSyscall, .target = 0x1008c, .info = 0x10088, .insn_count = 3}),
      "syscall next=0x1008c at=0x10088 insns=3");
  EXPECT_EQ(PrintExit({.kind = ExitKind::kCodeSync, .target = 0x1010}), "code-sync 0x1010 insns=0");
  EXPECT_EQ(PrintExit({.kind = ExitKind::kHalt, .target = 0x1010}), "halt resume=0x1010 insns=0");
  EXPECT_EQ(PrintExit({.kind = ExitKind::kTrap,
                       .trap = core::TrapCode::kFetchFault,
                       .target = 0x5000,
                       .info = 0x5002}),
            "trap instruction-fetch-fault at 0x5000 addr=0x5002 insns=0");
  EXPECT_EQ(
      PrintExit({.kind = ExitKind::kTrap, .trap = core::TrapCode::kDivideError, .target = 0x5000}),
      "trap divide-error at 0x5000 insns=0");
}

TEST(Printer, ShowsStrayFieldsOfMalformedInstructions) {
  Block b;
  Builder ir(b);
  Value a = ir.I64(1);
  ir.Emit(Opcode::kAdd, Type::kI64, a, a, {}, 0x99, 0x3, 1);
  EXPECT_EQ(PrintInst(b, 1), "v1:i64 = Add v0, v0 imm=0x99 lane=1 aux=0x3");
}

}  // namespace
}  // namespace polyvm::ir
