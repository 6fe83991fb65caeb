// Decoding and disassembly of every integer, branch, system and load/store form against the GNU
// toolchain: all_insns.s is assembled and dumped with `objdump -d -M no-aliases` at build time;
// every line must decode and print the same text, every row of insns.def must occur, and every
// line must lift to a block that verifies.
#include <gtest/gtest.h>

#include <set>

#include "decoder.h"
#include "polyvm/frontend/arm64/lifter.h"
#include "polyvm/ir/verifier.h"
#include "test_util.h"

namespace polyvm::frontend::arm64 {
namespace {

using test::BufferReader;
using test::DumpLine;

const std::vector<DumpLine>& Dump() {
  static const std::vector<DumpLine> kLines = test::ReadDump(POLYVM_A64_INSN_DUMP);
  return kLines;
}

TEST(Arm64DecodeObjdump, DumpIsComplete) {
  // all_insns.s has more than 700 instructions; a short dump means the build step failed.
  EXPECT_GT(Dump().size(), 700u) << "reading " << POLYVM_A64_INSN_DUMP;
}

TEST(Arm64DecodeObjdump, EveryLineDecodesAndPrintsAsObjdump) {
  Arm64Lifter lifter;
  for (const DumpLine& d : Dump()) {
    SCOPED_TRACE(testing::Message()
                 << std::hex << "0x" << d.addr << ": " << d.raw << " " << d.text);
    Insn insn;
    ASSERT_TRUE(Arm64Table().Decode(d.raw, insn));
    BufferReader code(d.addr, test::BytesOf(d));
    std::string text;
    EXPECT_EQ(lifter.Disassemble(d.addr, code, text), 4u);
    EXPECT_EQ(text, d.text);
  }
}

// The rows of insns.def (the FP/SIMD tables have their own objdump test).
TEST(Arm64DecodeObjdump, EveryIntegerRowIsCovered) {
  std::set<size_t> seen;
  for (const DumpLine& d : Dump()) {
    int row = Arm64Table().Match(d.raw);
    if (row >= 0) seen.insert(static_cast<size_t>(row));
  }
  for (size_t row = 0; row < kIntegerInsnCount; ++row) {
    EXPECT_TRUE(seen.count(row)) << Arm64Table().spec(row).mnemonic << " (row " << row
                                 << ") has no line in all_insns.s";
  }
}

// Each instruction lifted alone gives a well-formed block: it passes the IR verifier, and it
// either completes (one marker, insn_count 1) or traps at its own pc with nothing emitted.
TEST(Arm64DecodeObjdump, EveryLineLiftsToAVerifiedBlock) {
  Arm64Lifter lifter;
  ir::LiftOptions one;
  one.max_insns = 1;
  for (const DumpLine& d : Dump()) {
    SCOPED_TRACE(testing::Message() << std::hex << "0x" << d.addr << ": " << d.text);
    BufferReader code(d.addr, test::BytesOf(d));
    ir::Block block;
    lifter.Lift(d.addr, code, one, block);
    std::vector<std::string> errors = ir::Verify(block);
    for (const std::string& e : errors) ADD_FAILURE() << e;
    EXPECT_EQ(block.pc, d.addr);
    EXPECT_EQ(block.size, 4u);
    if (block.exit.kind == ir::ExitKind::kTrap) {
      EXPECT_TRUE(block.insts.empty());
      EXPECT_EQ(block.insn_count, 0u);
      EXPECT_EQ(block.exit.target, d.addr);
      EXPECT_EQ(block.exit.info, d.raw);
    } else {
      ASSERT_FALSE(block.insts.empty());
      EXPECT_EQ(block.insts[0].op, ir::Opcode::kGuestInsn);
      EXPECT_EQ(block.insts[0].imm, d.addr);
      EXPECT_EQ(block.insn_count, 1u);
      EXPECT_EQ(block.exit.insn_count, 1u);
    }
  }
}

}  // namespace
}  // namespace polyvm::frontend::arm64
