// Decoding and disassembly of every FP and AdvSIMD form against the GNU toolchain:
// fp_simd_insns.s is assembled and dumped with `objdump -d -M no-aliases` at build time; every
// line must decode and print the same text, every row of insns_fp.def and insns_simd.def must
// occur, and every line must lift (alone) to a block that verifies.
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
  static const std::vector<DumpLine> kLines = test::ReadDump(POLYVM_A64_FP_SIMD_DUMP);
  return kLines;
}

TEST(Arm64FpSimdObjdump, DumpIsComplete) {
  EXPECT_GT(Dump().size(), 500u) << "reading " << POLYVM_A64_FP_SIMD_DUMP;
}

TEST(Arm64FpSimdObjdump, EveryLineDecodesAndPrintsAsObjdump) {
  Arm64Lifter lifter;
  for (const DumpLine& d : Dump()) {
    SCOPED_TRACE(testing::Message()
                 << std::hex << "0x" << d.addr << ": " << d.raw << " " << d.text);
    Insn insn;
    ASSERT_TRUE(Arm64Table().Decode(d.raw, insn));
    EXPECT_GE(insn.row, kIntegerInsnCount) << "decoded by an integer row";
    BufferReader code(d.addr, test::BytesOf(d));
    std::string text;
    EXPECT_EQ(lifter.Disassemble(d.addr, code, text), 4u);
    EXPECT_EQ(text, d.text);
  }
}

TEST(Arm64FpSimdObjdump, EveryFpSimdRowIsCovered) {
  std::set<size_t> seen;
  for (const DumpLine& d : Dump()) {
    int row = Arm64Table().Match(d.raw);
    if (row >= 0) seen.insert(static_cast<size_t>(row));
  }
  for (size_t row = kIntegerInsnCount; row < Arm64Table().size(); ++row) {
    EXPECT_TRUE(seen.count(row)) << Arm64Table().spec(row).mnemonic << " (row " << row
                                 << ") has no line in fp_simd_insns.s";
  }
}

// 40000 random words of the FP/SIMD encoding space (simd_gen_encodings.cpp): what polyvm decodes
// must print as objdump does, and what objdump calls undefined polyvm must not decode. Words that
// objdump knows and polyvm does not (FP16, dot products, crypto, ...) are UNDEFINED in polyvm:
// allowed, and listed in docs/arm64.md.
TEST(Arm64FpSimdObjdump, RandomEncodingsAgreeWithObjdump) {
  const std::vector<DumpLine> lines = test::ReadDump(POLYVM_A64_SIMD_RANDOM_DUMP);
  ASSERT_EQ(lines.size(), 40000u) << "reading " << POLYVM_A64_SIMD_RANDOM_DUMP;
  unsigned decoded = 0, mismatches = 0;
  for (const DumpLine& d : lines) {
    Insn insn;
    bool ours = Arm64Table().Decode(d.raw, insn);
    if (ours && insn.row < kIntegerInsnCount) continue;  // an integer-side row's word
    bool undefined = d.text.starts_with(".inst");
    if (!ours) continue;
    ++decoded;
    std::string text = Arm64Table().Format(insn, d.addr);
    if (undefined || text != d.text) {
      if (++mismatches <= 20) {
        ADD_FAILURE() << std::hex << d.raw << ": objdump \"" << d.text << "\", polyvm \"" << text
                      << "\"";
      }
    }
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(decoded, 3000u);  // the comparison is not vacuous (3656 words decode today)
}

// 40000 random words of the AdvSIMD scalar groups (01 U 1111x ...): every word objdump
// disassembles as an Armv8.0 instruction decodes in polyvm (and prints the same). What objdump
// knows beyond Armv8.0 — FEAT_FP16's scalar h forms of the FP instructions, FEAT_RDM's
// SQRDMLAH/SQRDMLSH, FEAT_FHM, SHA — is UNDEFINED in polyvm (docs/arm64.md) and recognised here
// by its mnemonic or its h-register FP operands.
bool BeyondArmv80(const std::string& text) {
  static const char* const kMnemonics[] = {"sqrdmlah", "sqrdmlsh", "sha", "fmlal", "fmlsl"};
  for (const char* m : kMnemonics) {
    if (text.starts_with(m)) return true;
  }
  // FP16: an FP instruction (f... or the int/fp conversions) on h registers.
  const bool fp = text.starts_with("f") || text.starts_with("scvtf") || text.starts_with("ucvtf");
  return fp && text.find(" h") != std::string::npos;
}

TEST(Arm64FpSimdObjdump, EveryArmv80ScalarEncodingObjdumpKnowsDecodes) {
  const std::vector<DumpLine> lines = test::ReadDump(POLYVM_A64_SCALAR_RANDOM_DUMP);
  ASSERT_EQ(lines.size(), 40000u) << "reading " << POLYVM_A64_SCALAR_RANDOM_DUMP;
  unsigned known = 0, missing = 0, mismatches = 0;
  for (const DumpLine& d : lines) {
    Insn insn;
    const bool ours = Arm64Table().Decode(d.raw, insn);
    const bool undefined = d.text.starts_with(".inst");
    if (!ours) {
      if (undefined || BeyondArmv80(d.text)) continue;
      if (++missing <= 20) ADD_FAILURE() << std::hex << d.raw << ": objdump \"" << d.text << "\"";
      continue;
    }
    ++known;
    std::string text = Arm64Table().Format(insn, d.addr);
    if (undefined || text != d.text) {
      if (++mismatches <= 20) {
        ADD_FAILURE() << std::hex << d.raw << ": objdump \"" << d.text << "\", polyvm \"" << text
                      << "\"";
      }
    }
  }
  EXPECT_EQ(missing, 0u) << "Armv8.0 scalar encodings objdump knows and polyvm does not decode";
  EXPECT_EQ(mismatches, 0u);
  EXPECT_GT(known, 3000u);  // the comparison is not vacuous
}

// Alone, each instruction gives a block that verifies and completes (insn_count 1): no row of the
// FP/SIMD tables is left unsupported.
TEST(Arm64FpSimdObjdump, EveryLineLiftsToAVerifiedBlock) {
  Arm64Lifter lifter;
  ir::LiftOptions one;
  one.max_insns = 1;
  unsigned traps = 0;
  for (const DumpLine& d : Dump()) {
    SCOPED_TRACE(testing::Message() << std::hex << "0x" << d.addr << ": " << d.text);
    BufferReader code(d.addr, test::BytesOf(d));
    ir::Block block;
    lifter.Lift(d.addr, code, one, block);
    for (const std::string& e : ir::Verify(block)) ADD_FAILURE() << e;
    if (block.exit.kind == ir::ExitKind::kTrap) ++traps;
    EXPECT_EQ(block.exit.insn_count, 1u);
  }
  EXPECT_EQ(traps, 0u);  // every FP/SIMD row lifts (the half-precision ones through a helper)
}

}  // namespace
}  // namespace polyvm::frontend::arm64
