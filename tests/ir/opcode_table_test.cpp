// Sanity of the generated op table.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "polyvm/ir/builder.h"
#include "polyvm/ir/opcode.h"

namespace polyvm::ir {
namespace {

TEST(OpcodeTable, NamesAreUniqueAndMatchEnum) {
  std::set<std::string> names;
  for (unsigned i = 0; i < kOpcodeCount; ++i) {
    EXPECT_TRUE(names.insert(std::string(kOpInfo[i].name)).second) << kOpInfo[i].name;
  }
  EXPECT_EQ(OpName(Opcode::kAdd), "Add");
  EXPECT_EQ(OpName(Opcode::kCallHelper), "CallHelper");
}

TEST(OpcodeTable, RemovableOnlyWithoutEffects) {
  EXPECT_TRUE(IsRemovable(Opcode::kAdd));
  EXPECT_TRUE(IsRemovable(Opcode::kGetReg));
  EXPECT_FALSE(IsRemovable(Opcode::kSetReg));
  EXPECT_FALSE(IsRemovable(Opcode::kLoad));  // a load may fault even when unused
  EXPECT_FALSE(IsRemovable(Opcode::kFAdd));  // raises FP flags
  EXPECT_TRUE(MayLeaveBlock(Opcode::kStore));
  EXPECT_FALSE(MayLeaveBlock(Opcode::kAdd));
}

TEST(Builder, InfersTypes) {
  Block b;
  Builder ir(b);
  Value x = ir.GetReg(Type::kI64, 64);
  Value y = ir.I64(3);
  EXPECT_EQ(ir.Add(x, y).type, Type::kI64);
  EXPECT_EQ(ir.Cmp(Opcode::kCmpLtS, x, y).type, Type::kI1);
  Value c = ir.Cmp(Opcode::kCmpEq, x, y);
  EXPECT_EQ(ir.Select(c, x, y).type, Type::kI64);
  EXPECT_EQ(ir.ZExt(Type::kI64, ir.Trunc(Type::kI32, x)).type, Type::kI64);
}

TEST(FpMode, RoundTrips) {
  FpMode m{RoundingMode::kNearestMaxMag, NanRule::kX86, 3, true, true};
  FpMode d = FpMode::Decode(m.Encode());
  EXPECT_EQ(d.rm, m.rm);
  EXPECT_EQ(d.nan, m.nan);
  EXPECT_EQ(d.rule, 3);
  EXPECT_TRUE(d.signaling);
  EXPECT_TRUE(d.exact);
}

}  // namespace
}  // namespace polyvm::ir
