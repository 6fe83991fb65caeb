// Decoding and disassembly of every instruction form against the GNU toolchain: all_insns.s is
// assembled and dumped with `objdump -d -M no-aliases` at build time; every line must decode to
// the same length and print the same text, and every row of the decode table must occur.
#include <gtest/gtest.h>

#include <set>

#include "decoder.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/ir/verifier.h"
#include "test_util.h"

namespace polyvm::frontend::riscv64 {
namespace {

using test::BufferReader;
using test::DumpLine;

const std::vector<DumpLine>& Dump() {
  static const std::vector<DumpLine> kLines = test::ReadDump(POLYVM_RV64_INSN_DUMP);
  return kLines;
}

TEST(DecodeObjdump, DumpIsComplete) {
  // all_insns.s has more than 400 instructions; a short dump means the build step failed.
  EXPECT_GT(Dump().size(), 400u) << "reading " << POLYVM_RV64_INSN_DUMP;
}

TEST(DecodeObjdump, EveryLineDecodesAndPrintsAsObjdump) {
  Riscv64Lifter lifter;
  for (const DumpLine& d : Dump()) {
    SCOPED_TRACE(testing::Message()
                 << std::hex << "0x" << d.addr << ": " << d.raw << " " << d.text);
    Insn insn;
    ASSERT_TRUE(Riscv64Table().Decode(d.raw, insn));
    EXPECT_EQ(insn.len, d.len);
    BufferReader code(d.addr, test::BytesOf(d));
    std::string text;
    EXPECT_EQ(lifter.Disassemble(d.addr, code, text), d.len);
    EXPECT_EQ(text, d.text);
  }
}

TEST(DecodeObjdump, EveryTableRowIsCovered) {
  std::set<size_t> seen;
  for (const DumpLine& d : Dump()) {
    int row = Riscv64Table().Match(d.raw);
    if (row >= 0) seen.insert(static_cast<size_t>(row));
  }
  for (size_t row = 0; row < Riscv64Table().size(); ++row) {
    EXPECT_TRUE(seen.count(row)) << Riscv64Table().spec(row).mnemonic
                                 << " has no line in all_insns.s";
  }
}

// Each instruction lifted alone gives a well-formed block: it passes the IR verifier, and it
// either completes (one marker, insn_count 1) or traps at its own pc with nothing emitted.
TEST(DecodeObjdump, EveryLineLiftsToAVerifiedBlock) {
  Riscv64Lifter lifter;
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
    EXPECT_EQ(block.size, d.len);
    if (block.exit.kind == ir::ExitKind::kTrap) {
      EXPECT_TRUE(block.insts.empty());
      EXPECT_EQ(block.insn_count, 0u);
      EXPECT_EQ(block.exit.insn_count, 0u);
      EXPECT_EQ(block.exit.target, d.addr);
      EXPECT_EQ(block.exit.info, d.raw);
    } else {
      ASSERT_FALSE(block.insts.empty());
      EXPECT_EQ(block.insts[0].op, ir::Opcode::kGuestInsn);
      EXPECT_EQ(block.insts[0].imm, d.addr);
      EXPECT_EQ(block.insts[0].aux, d.len);
      EXPECT_EQ(block.insn_count, 1u);
      EXPECT_EQ(block.exit.insn_count, 1u);
    }
  }
}

}  // namespace
}  // namespace polyvm::frontend::riscv64
