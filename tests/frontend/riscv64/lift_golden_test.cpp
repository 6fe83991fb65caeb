// A few lifted blocks in the IR's text form (ir/printer.h), each line checked by hand against the
// manual's semantics: they show what each kind of instruction costs in IR, so a change to the
// lifter's output shows up in review.
#include <gtest/gtest.h>

#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/ir/printer.h"
#include "test_util.h"

namespace polyvm::frontend::riscv64 {
namespace {

std::string LiftText(std::initializer_list<uint32_t> insns, uint32_t max_insns = 64) {
  Riscv64Lifter lifter;
  test::BufferReader code(0x10000, test::Code(insns));
  ir::LiftOptions options;
  options.max_insns = max_insns;
  ir::Block block;
  lifter.Lift(0x10000, code, options, block);
  return ir::Print(block, lifter);
}

// fadd.s fa0,fa1,fa2 (dyn): the frm check, two NaN-box checks, the add, a boxed write.
TEST(LiftGolden, FaddSDynamic) {
  EXPECT_EQ(LiftText({0x00c5f553}, 1),
            "block 0x10000 size=4 insns=1\n"
            "  ---- 0x10000 (4 bytes)\n"
            "  v1:i32 = GetReg frm\n"
            "  v2:i32 = Const 0x4\n"
            "  v3:i1 = CmpLtU v2, v1\n"
            "  ExitIf v3 -> #0\n"
            "  v5:i64 = GetReg fa1\n"
            "  v6:i64 = Const 0xffffffff00000000\n"
            "  v7:i1 = CmpLeU v6, v5\n"
            "  v8:i32 = Trunc v5\n"
            "  v9:i32 = Const 0x7fc00000\n"
            "  v10:i32 = Select v7, v8, v9\n"
            "  v11:f32 = Bitcast v10\n"
            "  v12:i64 = GetReg fa2\n"
            "  v13:i64 = Const 0xffffffff00000000\n"
            "  v14:i1 = CmpLeU v13, v12\n"
            "  v15:i32 = Trunc v12\n"
            "  v16:i32 = Const 0x7fc00000\n"
            "  v17:i32 = Select v14, v15, v16\n"
            "  v18:f32 = Bitcast v17\n"
            "  v19:f32 = FAdd v11, v18 rm=dyn nan=canonical\n"
            "  v20:i32 = Bitcast v19\n"
            "  v21:i64 = ZExt v20\n"
            "  v22:i64 = Const 0xffffffff00000000\n"
            "  v23:i64 = Or v21, v22\n"
            "  SetReg fa0, v23\n"
            "  exit: jump 0x10004 insns=1\n"
            "  side exit #0: trap illegal-instruction at 0x10000 bits=0xc5f553 insns=0\n");
}

// sc.w a0,a1,(a2); c.jr ra: rd = 0 on success; the return masks bit 0 and carries its hint.
TEST(LiftGolden, StoreConditionalThenReturn) {
  EXPECT_EQ(LiftText({0x18b6252f, 0x8082}),
            "block 0x10000 size=6 insns=2\n"
            "  ---- 0x10000 (4 bytes)\n"
            "  v1:i64 = GetReg a2\n"
            "  v2:i64 = GetReg a1\n"
            "  v3:i32 = Trunc v2\n"
            "  v4:i1 = StoreCond v1, v3 aligned\n"
            "  v5:i64 = Const 0x0\n"
            "  v6:i64 = Const 0x1\n"
            "  v7:i64 = Select v4, v5, v6\n"
            "  SetReg a0, v7\n"
            "  ---- 0x10004 (2 bytes)\n"
            "  v10:i64 = GetReg ra\n"
            "  v11:i64 = Const 0xfffffffffffffffe\n"
            "  v12:i64 = And v10, v11\n"
            "  exit: indirect v12 (return) insns=2\n");
}

TEST(LiftGolden, JalCall) {
  EXPECT_EQ(LiftText({0x100000ef /* jal ra,.+0x100 */}),
            "block 0x10000 size=4 insns=1\n"
            "  ---- 0x10000 (4 bytes)\n"
            "  v1:i64 = Const 0x10004\n"
            "  SetReg ra, v1\n"
            "  exit: jump 0x10100 (call, returns to 0x10004) insns=1\n");
}

// csrrs a0,fflags,zero; csrrw zero,frm,a0: the flag-order reversal, and frm stored as written
// and mirrored into the environment when valid.
TEST(LiftGolden, FflagsReadFrmWrite) {
  EXPECT_EQ(LiftText({0x00102573, 0x00251073}, 2),
            "block 0x10000 size=8 insns=2\n"
            "  ---- 0x10000 (4 bytes)\n"
            "  v1:i32 = FpGetFlags\n"
            "  v2:i32 = Const 0x1f\n"
            "  v3:i32 = And v1, v2\n"
            "  v4:i32 = BitReverse v3\n"
            "  v5:i32 = Const 0x1b\n"
            "  v6:i32 = LShr v4, v5\n"
            "  v7:i64 = ZExt v6\n"
            "  SetReg a0, v7\n"
            "  ---- 0x10004 (4 bytes)\n"
            "  v10:i64 = GetReg a0\n"
            "  v11:i32 = Trunc v10\n"
            "  v12:i32 = Const 0x7\n"
            "  v13:i32 = And v11, v12\n"
            "  SetReg frm, v13\n"
            "  v15:i32 = Const 0x4\n"
            "  v16:i1 = CmpLeU v13, v15\n"
            "  v17:i32 = Const 0x0\n"
            "  v18:i32 = Select v16, v13, v17\n"
            "  FpSetRound v18\n"
            "  exit: jump 0x10008 insns=2\n");
}

}  // namespace
}  // namespace polyvm::frontend::riscv64
