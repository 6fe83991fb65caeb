// The decode table's own checks: the real table builds without ambiguity, ambiguous or malformed
// toy tables are rejected, the more specific of two overlapping rows wins, and operand layouts
// follow the manual's notation.
#include <gtest/gtest.h>

#include <set>

#include "decoder.h"
#include "operands.h"

namespace polyvm::frontend::riscv64 {
namespace {

TEST(DecodeTable, RealTableBuildsWithoutAmbiguity) {
  std::string error;
  std::optional<DecodeTable> t = DecodeTable::Build(InsnSpecs(), &error);
  ASSERT_TRUE(t.has_value()) << error;
  EXPECT_EQ(t->size(), kInsnCount);
  for (size_t row = 0; row < t->size(); ++row) {
    EXPECT_EQ(static_cast<size_t>(t->spec(row).id), row) << t->spec(row).mnemonic;
  }
}

TEST(DecodeTable, OverlapWithoutAMoreSpecificRowIsRejected) {
  // Both match add x?, x?, x0: one fixes funct7, the other rs2; neither is more specific.
  const InsnSpec rows[] = {
      {InsnId::kADD, "toy.a", "0000000 ..... ..... 000 ..... 0110011", "rd,rs1,rs2"},
      {InsnId::kSUB, "toy.b", "....... 00000 ..... 000 ..... 0110011", "rd,rs1"},
  };
  std::string error;
  EXPECT_FALSE(DecodeTable::Build(rows, &error).has_value());
  EXPECT_NE(error.find("ambiguous"), std::string::npos) << error;
  EXPECT_NE(error.find("toy.a"), std::string::npos) << error;
  EXPECT_NE(error.find("toy.b"), std::string::npos) << error;
}

TEST(DecodeTable, IdenticalPatternsAreRejected) {
  const InsnSpec rows[] = {
      {InsnId::kC_MV, "toy.mv", "100 0 ..... ..... 10", "c_rd,c_rs2"},
      {InsnId::kC_ADD, "toy.add", "100 0 ..... ..... 10", "c_rd_rs1,c_rs2"},
  };
  std::string error;
  EXPECT_FALSE(DecodeTable::Build(rows, &error).has_value());
  EXPECT_NE(error.find("ambiguous"), std::string::npos) << error;
}

TEST(DecodeTable, MoreSpecificRowWins) {
  const InsnSpec rows[] = {
      {InsnId::kC_MV, "c.mv", "100 0 ..... ..... 10", "c_rd,c_rs2"},
      {InsnId::kC_JR, "c.jr", "100 0 ..... 00000 10", "c_rs1_nz"},
  };
  std::string error;
  std::optional<DecodeTable> t = DecodeTable::Build(rows, &error);
  ASSERT_TRUE(t.has_value()) << error;
  EXPECT_EQ(t->Match(0x8082), 1);  // c.jr ra
  EXPECT_EQ(t->Match(0x852e), 0);  // c.mv a0, a1
  Insn insn;
  ASSERT_TRUE(t->Decode(0x8082, insn));
  EXPECT_EQ(insn.id, InsnId::kC_JR);
  EXPECT_EQ(insn.rs1, 1);
  // rs1 = x0 is reserved for c.jr: the winning row rejects it rather than falling back to c.mv.
  EXPECT_EQ(t->Match(0x8002), 1);
  EXPECT_FALSE(t->Decode(0x8002, insn));
}

TEST(DecodeTable, MalformedRowsAreRejected) {
  struct Case {
    InsnSpec row;
    const char* why;
  };
  const Case cases[] = {
      {{InsnId::kADD, "short", "000000 ..... ..... 000 ..... 0110011", "rd,rs1,rs2"}, "31 bits"},
      {{InsnId::kADD, "badchar", "0000000 ..... ..... 0x0 ..... 0110011", "rd,rs1,rs2"},
       "bad char"},
      {{InsnId::kADD, "token", "0000000 ..... ..... 000 ..... 0110011", "rd,rs1,rs9"},
       "unknown token"},
      {{InsnId::kADD, "punct", "0000000 ..... ..... 000 ..... 0110011", "rd;rs1"},
       "bad punctuation"},
      {{InsnId::kADD, "opcode", "0000000 ..... ..... 000 ..... 01100..", "rd,rs1,rs2"},
       "opcode not fixed"},
      {{InsnId::kADD, "len32", "0000000 ..... ..... 000 ..... 0110000", "rd,rs1,rs2"},
       "32-bit row with bits 1:0 != 11"},
      {{InsnId::kC_ADD, "funct3", "... 1 ..... ..... 10", "c_rd_rs1,c_rs2"}, "funct3 not fixed"},
      {{InsnId::kC_ADD, "len16", "100 1 ..... ..... 11", "c_rd_rs1,c_rs2"},
       "16-bit row with bits 1:0 = 11"},
  };
  for (const Case& c : cases) {
    std::string error;
    EXPECT_FALSE(DecodeTable::Build(std::span(&c.row, 1), &error).has_value()) << c.why;
    EXPECT_FALSE(error.empty()) << c.why;
  }
}

TEST(Operands, NamesAreUniqueAndLayoutsParse) {
  std::set<std::string_view> names;
  for (const Operand& op : Operands()) {
    EXPECT_TRUE(names.insert(op.def->name).second) << op.def->name;
    EXPECT_EQ(FindOperand(op.def->name), &op);
  }
  EXPECT_EQ(FindOperand("no_such_token"), nullptr);
}

TEST(Operands, BitLayoutMismatchesAreRejected) {
  Operand op;
  std::string error;
  EXPECT_FALSE(ParseBits("[6:2]=4:1", op, &error));    // 5 instruction bits, 4 field bits
  EXPECT_FALSE(ParseBits("[6:2]=5:0", op, &error));    // 5 instruction bits, 6 field bits
  EXPECT_FALSE(ParseBits("[6:2]=1:4", op, &error));    // reversed range
  EXPECT_FALSE(ParseBits("[33:30]=3:0", op, &error));  // beyond bit 31
  EXPECT_FALSE(ParseBits("6:2=4:0", op, &error));      // no brackets
  EXPECT_TRUE(ParseBits("[12]=5 [6:2]=4|6|8:7|5", op, &error)) << error;
}

// The CJ immediate, scrambled as imm[11|4|9:8|10|6|7|3:1|5] in bits 12:2 (RVC chapter, CJ format):
// each field bit set alone lands on the instruction bit the manual gives.
TEST(Operands, CompressedJumpOffsetFollowsTheManual) {
  const Operand* op = FindOperand("c_j_off");
  ASSERT_NE(op, nullptr);
  const std::pair<unsigned, int64_t> bit_to_value[] = {
      {12, -2048}, {11, 16}, {10, 512}, {9, 256}, {8, 1024}, {7, 64},
      {6, 128},    {5, 8},   {4, 4},    {3, 2},   {2, 32},
  };
  for (auto [bit, value] : bit_to_value) {
    EXPECT_EQ(op->Extract(0xa001 | 1u << bit), value) << "bit " << bit;
  }
}

}  // namespace
}  // namespace polyvm::frontend::riscv64
