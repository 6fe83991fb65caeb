// The lowered form of typical guest instructions: GetReg/SetReg fused into operands, constants in
// immediates, compare+branch and load+extend fused, slots reused; fusions refused where they would
// make a fault imprecise; unsupported combinations trapping precisely.
#include <string>
#include <vector>

#include "handler_table.h"
#include "lower.h"
#include "test_env.h"

namespace polyvm::engine::interp::test {
namespace {

std::vector<std::string> Handlers(const ir::Block& b) {
  std::string error;
  std::unique_ptr<LBlock> l = Lower(b, &error);
  EXPECT_NE(l, nullptr) << error;
  std::vector<std::string> out;
  if (l == nullptr) return out;
  for (uint32_t i = 0; i < l->code_size; ++i) {
    out.emplace_back(kHandlerRows[l->code[i].hid].name);
  }
  return out;
}

using Names = std::vector<std::string>;

ir::Exit Jump(uint64_t target) {
  ir::Exit e;
  e.kind = ir::ExitKind::kJump;
  e.target = target;
  e.insn_count = 1;
  return e;
}

TEST(Lowering, RegisterRegisterAddIsOneHandler) {
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.SetReg(R(10), b.ir.Add(b.ir.GetReg(Type::kI64, R(11)), b.ir.GetReg(Type::kI64, R(12))));
  b.ir.SetExit(Jump(0x1004));
  EXPECT_EQ(Handlers(b.block), (Names{"Add_I64_Void_SSSN", "ExitJump_Void_Void_NNNN"}));
}

TEST(Lowering, AddImmediateAndFusedBranch) {
  // addi a0, a0, -1; bnez a0, loop: the branch reads the new a0 from its field.
  BlockMaker b(0x1000, 2);
  b.Insn(0);
  ir::Value v = b.ir.Add(b.ir.GetReg(Type::kI64, R(10)), b.ir.I64(~uint64_t{0}));
  b.ir.SetReg(R(10), v);
  b.Insn(1);
  ir::Exit e;
  e.kind = ir::ExitKind::kBranch;
  e.value = b.ir.Cmp(Opcode::kCmpNe, v, b.ir.I64(0)).id;
  e.target = 0x1000;
  e.fallthrough = 0x1008;
  e.insn_count = 2;
  b.ir.SetExit(e);
  EXPECT_EQ(Handlers(b.block), (Names{"Add_I64_Void_SSIN", "BrEq_I64_Void_NSJN"}));
}

TEST(Lowering, LoadsWithOffsetsAndExtension) {
  BlockMaker b(0x1000, 2);
  b.Insn(0);  // ld a0, 8(a1)
  b.ir.SetReg(R(10), b.ir.Load(Type::kI64, b.ir.Add(b.ir.GetReg(Type::kI64, R(11)), b.ir.I64(8))));
  b.Insn(1);  // lb a2, -1(a3)
  ir::Value l = b.ir.Load(Type::kI8, b.ir.Add(b.ir.GetReg(Type::kI64, R(13)), b.ir.I64(~0ull)));
  b.ir.SetReg(R(12), b.ir.SExt(Type::kI64, l));
  b.ir.SetExit(Jump(0x1008));
  EXPECT_EQ(Handlers(b.block),
            (Names{"Load_I64_Void_SSNN", "LoadSx_I64_I8_SSNN", "ExitJump_Void_Void_NNNN"}));
}

TEST(Lowering, StoreOfZeroAndRegister) {
  BlockMaker b(0x1000, 2);
  b.Insn(0);  // sd zero, 0(sp)
  b.ir.Store(b.ir.GetReg(Type::kI64, R(2)), b.ir.I64(0));
  b.Insn(1);  // sw a0, 4(sp)
  b.ir.Store(b.ir.Add(b.ir.GetReg(Type::kI64, R(2)), b.ir.I64(4)),
             b.ir.Trunc(Type::kI32, b.ir.GetReg(Type::kI64, R(10))));
  b.ir.SetExit(Jump(0x1008));
  EXPECT_EQ(Handlers(b.block),
            (Names{"Store_I64_Void_NSJN", "Store_I32_Void_NSSN", "ExitJump_Void_Void_NNNN"}));
}

// The result of an op may not be written to its register early when a possible fault lies
// between the op and its SetReg.
TEST(Lowering, NoEarlyWriteAcrossAPossibleFault) {
  BlockMaker b(0x1000, 2);
  b.Insn(0);
  ir::Value v = b.ir.Add(b.ir.GetReg(Type::kI64, R(10)), b.ir.I64(1));
  b.Insn(1);
  b.ir.SetReg(R(11), b.ir.Load(Type::kI64, b.ir.GetReg(Type::kI64, R(12))));
  b.ir.SetReg(R(10), v);
  b.ir.SetExit(Jump(0x1008));
  EXPECT_EQ(Handlers(b.block), (Names{"Add_I64_Void_FSIN", "Load_I64_Void_SSNN",
                                      "Mov_I64_Void_SFNN", "ExitJump_Void_Void_NNNN"}));
}

// Nor when another reader of the register comes between.
TEST(Lowering, NoEarlyWriteBeforeAnotherReader) {
  BlockMaker b(0x1000);
  b.Insn(0);
  ir::Value old = b.ir.GetReg(Type::kI64, R(10));
  ir::Value v = b.ir.Add(old, b.ir.I64(1));
  b.ir.SetReg(R(11), b.ir.Add(old, b.ir.I64(2)));  // reads a0 after v is computed
  b.ir.SetReg(R(10), v);
  b.ir.SetExit(Jump(0x1004));
  EXPECT_EQ(Handlers(b.block), (Names{"Add_I64_Void_FSIN", "Add_I64_Void_SSIN",
                                      "Mov_I64_Void_SFNN", "ExitJump_Void_Void_NNNN"}));
}

TEST(Lowering, SlotsAreReused) {
  BlockMaker b(0x1000);
  b.Insn(0);
  ir::Value v = b.ir.GetReg(Type::kI64, R(1));
  for (int i = 0; i < 200; ++i) v = b.ir.Op(Opcode::kMul, b.ir.Add(v, b.ir.I64(i)), v);  // a long chain
  b.ir.SetReg(R(2), v);
  b.ir.SetExit(Jump(0x1004));
  std::string error;
  std::unique_ptr<LBlock> l = Lower(b.block, &error);
  ASSERT_NE(l, nullptr);
  EXPECT_LE(l->frame_bytes, 3u * 16);
  // And the chain computes what it should.
  Machine m;
  m.Add(b.block);
  BlockMaker h(0x1004);
  h.Halt(0x1004, 0);
  m.Add(h.block);
  m.st.r[1] = 3;
  m.Run(0x1000);
  uint64_t x = 3;
  for (int i = 0; i < 200; ++i) x = (x + static_cast<uint64_t>(i)) * x;
  EXPECT_EQ(m.st.r[2], x);
}

// ZExt of a value in a slot costs nothing; of a register field it is one copy.
TEST(Lowering, ZeroExtensionOfSlotsIsFree) {
  BlockMaker b(0x1000);
  b.Insn(0);
  ir::Value w = b.ir.Add(b.ir.GetReg(Type::kI32, R(1)), b.ir.GetReg(Type::kI32, R(2)));
  b.ir.SetReg(R(3), b.ir.ZExt(Type::kI64, w));
  b.ir.SetReg(R(4), b.ir.ZExt(Type::kI64, b.ir.GetReg(Type::kI16, R(5))));
  b.ir.SetExit(Jump(0x1004));
  EXPECT_EQ(Handlers(b.block), (Names{"Add_I32_Void_FSSN", "Mov_I64_Void_SFNN",
                                      "ZExt_I64_I16_SSNN", "ExitJump_Void_Void_NNNN"}));
}

// RISC-V fmul.d with a dynamic rounding mode: the frm check is one fused side exit, the multiply
// one handler reading and writing FP registers in place.
TEST(Lowering, FpOpWithRoundingModeCheck) {
  BlockMaker b(0x1000);
  b.Insn(0);
  ir::Exit illegal;
  illegal.kind = ir::ExitKind::kTrap;
  illegal.trap = core::TrapCode::kIllegalInstruction;
  illegal.target = 0x1000;
  b.ir.ExitIf(b.ir.Cmp(Opcode::kCmpLtU, b.ir.I32(4), b.ir.GetReg(Type::kI32, R(30))), illegal);
  ir::Value x = b.ir.Bitcast(Type::kF64, b.ir.GetReg(Type::kI64, R(1)));
  ir::Value y = b.ir.Bitcast(Type::kF64, b.ir.GetReg(Type::kI64, R(2)));
  ir::Value p = b.ir.Op(Opcode::kFMul, x, y, {}, ir::FpMode{}.Encode());
  b.ir.SetReg(R(3), b.ir.Bitcast(Type::kI64, p));
  b.ir.SetExit(Jump(0x1004));
  EXPECT_EQ(Handlers(b.block), (Names{"ExitIfLeU_I32_Void_NSJN", "FMul_F64_Void_SSSN",
                                      "ExitJump_Void_Void_NNNN"}));
}

TEST(Lowering, FencesForStoreLoadOrderOnly) {
  BlockMaker b(0x1000);
  b.Insn(0);
  b.ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, ir::kFenceLoadLoad | ir::kFenceStoreStore);
  b.ir.Emit(Opcode::kFence, Type::kVoid, {}, {}, {}, 0, ir::kFenceStoreLoad);
  ir::MemFlags sc;
  sc.order = ir::MemOrder::kSeqCst;
  b.ir.Store(b.ir.GetReg(Type::kI64, R(1)), b.ir.GetReg(Type::kI64, R(2)), sc);
  ir::MemFlags rel;
  rel.order = ir::MemOrder::kRelease;
  b.ir.Store(b.ir.GetReg(Type::kI64, R(1)), b.ir.GetReg(Type::kI64, R(2)), rel);
  b.ir.SetExit(Jump(0x1004));
  EXPECT_EQ(Handlers(b.block),
            (Names{"FenceCompiler_Void_Void_NNNN", "FenceFull_Void_Void_NNNN",
                   "Store_I64_Void_NSSN", "FenceFull_Void_Void_NNNN", "Store_I64_Void_NSSN",
                   "ExitJump_Void_Void_NNNN"}));
}

uint64_t Helper(void*, uint64_t, uint64_t, uint64_t) { return 0; }
const ir::HelperInfo kHelper{Helper, "h"};

// An op without a handler for its types traps precisely (pc, retired, earlier writes kept).
TEST(Lowering, UnsupportedTrapsPrecisely) {
  std::string log;
  Options o = NoOpt();
  o.log_sink = [&](std::string_view s) { log += s; };
  Machine m(o);
  BlockMaker b(0x1000, 2);
  b.Insn(0);
  b.ir.SetReg(R(1), b.ir.I64(1));
  b.Insn(1);
  b.ir.Emit(Opcode::kCallHelper, Type::kVoid, b.ir.GetReg(Type::kI128, V(0)), {}, {},
            reinterpret_cast<uint64_t>(&kHelper));
  b.ir.SetReg(R(2), b.ir.I64(2));
  b.Halt(0x1008, 2);
  m.Add(b.block);
  core::ExitInfo info = m.Run(0x1000);
  EXPECT_EQ(info.reason, core::ExitReason::kTrap);
  EXPECT_EQ(info.trap, core::TrapCode::kUnsupported);
  EXPECT_EQ(info.pc, 0x1004u);
  EXPECT_EQ(m.st.hdr.pc, 0x1004u);
  EXPECT_EQ(m.st.hdr.retired, 1u);
  EXPECT_EQ(m.st.r[1], 1u);
  EXPECT_EQ(m.st.r[2], 0u);
  EXPECT_NE(log.find("CallHelper argument of type i128"), std::string::npos) << log;
  EXPECT_NE(log.find("unsupported at pc 0x1004"), std::string::npos) << log;
}

}  // namespace
}  // namespace polyvm::engine::interp::test
