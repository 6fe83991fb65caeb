// The decode table itself: it builds (no ambiguous overlaps, every token known), the overlap check
// rejects a truly ambiguous pair and accepts a more specific row, operands decode their fields, and
// the bitmask immediates and reserved encodings follow the Arm ARM.
#include <gtest/gtest.h>

#include "bitmask.h"
#include "decoder.h"

namespace polyvm::frontend::arm64 {
namespace {

TEST(Arm64DecodeTable, BuildsFromTheDefFiles) {
  std::string error;
  std::optional<DecodeTable> t = DecodeTable::Build(InsnSpecs(), &error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->size(), kInsnCount);
}

TEST(Arm64DecodeTable, RejectsAmbiguousRows) {
  const InsnSpec rows[] = {
      {InsnId{}, "a", "1111 .... .... .... .... .... .... 0000", ""},
      {InsnId{}, "b", "1111 0000 .... .... .... .... .... ....", ""},
  };
  std::string error;
  EXPECT_FALSE(DecodeTable::Build(rows, &error));
  EXPECT_NE(error.find("ambiguous"), std::string::npos) << error;
}

TEST(Arm64DecodeTable, MoreFixedBitsWin) {
  const InsnSpec rows[] = {
      {InsnId{}, "general", "1111 .... .... .... .... .... .... ....", ""},
      {InsnId{}, "special", "1111 0000 .... .... .... .... .... ....", ""},
  };
  std::string error;
  std::optional<DecodeTable> t = DecodeTable::Build(rows, &error);
  ASSERT_TRUE(t) << error;
  EXPECT_EQ(t->Match(0xf0000000), 1);
  EXPECT_EQ(t->Match(0xf1000000), 0);
  EXPECT_EQ(t->Match(0x01000000), -1);
}

TEST(Arm64DecodeTable, RejectsUnknownTokensAndBadPatterns) {
  std::string error;
  const InsnSpec bad_token[] = {{InsnId{}, "x", "1111 .... .... .... .... .... .... ....", "nope"}};
  EXPECT_FALSE(DecodeTable::Build(bad_token, &error));
  const InsnSpec short_pattern[] = {{InsnId{}, "x", "1111", ""}};
  EXPECT_FALSE(DecodeTable::Build(short_pattern, &error));
}

// Values from the Arm ARM's DecodeBitMasks and GNU as (and x0, x1, #imm encodings).
TEST(Arm64DecodeTable, BitmaskImmediates) {
  uint64_t v = 0;
  ASSERT_TRUE(DecodeBitmask(0x1007, 64, v));  // N=1 immr=0 imms=7: 0xff
  EXPECT_EQ(v, 0xffu);
  ASSERT_TRUE(DecodeBitmask(0x003c, 32, v));  // N=0 immr=0 imms=111100: 0x55555555
  EXPECT_EQ(v, 0x55555555u);
  ASSERT_TRUE(DecodeBitmask(0x0040, 32, v));  // immr=1 imms=0: 0x80000000
  EXPECT_EQ(v, 0x80000000u);
  ASSERT_TRUE(DecodeBitmask(0x1ffe, 64, v));  // N=1 immr=63 imms=62: all but bit 0
  EXPECT_EQ(v, 0xfffffffffffffffeu);
  EXPECT_FALSE(DecodeBitmask(0x103f, 64, v));  // all ones: reserved
  EXPECT_FALSE(DecodeBitmask(0x1000, 32, v));  // N=1 in a 32-bit form
  EXPECT_FALSE(DecodeBitmask(0x003f, 64, v));  // no element size
}

// Encodings the manual leaves unallocated decode as UNDEFINED (bytes from the Arm ARM fields).
TEST(Arm64DecodeTable, UnallocatedEncodingsDoNotDecode) {
  Insn insn;
  EXPECT_FALSE(Arm64Table().Decode(0x12400000, insn));  // and w0, w0, #imm with N = 1
  EXPECT_FALSE(Arm64Table().Decode(0x13400000, insn));  // sbfm w with N = 1
  EXPECT_FALSE(Arm64Table().Decode(0x93000000, insn));  // sbfm x with N = 0
  EXPECT_FALSE(Arm64Table().Decode(0x0b008000, insn));  // add w, shift amount 32
  EXPECT_FALSE(Arm64Table().Decode(0x8bc00000, insn));  // add x, ROR shift
  EXPECT_FALSE(Arm64Table().Decode(0x8b201400, insn));  // add (extended) with shift 5
  EXPECT_FALSE(Arm64Table().Decode(0x52c00000, insn));  // movz w with hw = 2
  EXPECT_FALSE(Arm64Table().Decode(0xf8602800, insn));  // ldr x, register offset, option 001
  EXPECT_FALSE(Arm64Table().Decode(0x48217c82, insn));  // casp with odd Rs (x1)
  EXPECT_FALSE(Arm64Table().Decode(0x00000000 | 0x1u << 16, insn));  // udf space, not UDF
  EXPECT_TRUE(Arm64Table().Decode(0x00000000, insn));                // udf #0
}

}  // namespace
}  // namespace polyvm::frontend::arm64
