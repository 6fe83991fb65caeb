// Helpers for the golden pass tests: a register namer for a made-up guest (r0..r7, 8 bytes each
// after the CpuHeader) and a runner that verifies the pass output and prints it.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "polyvm/ir/builder.h"
#include "polyvm/ir/printer.h"
#include "polyvm/ir/verifier.h"

namespace polyvm::ir::testing {

inline constexpr uint32_t R(unsigned i) { return 128 + 8 * i; }

inline std::string RName(uint32_t offset) {
  if (offset < 128 || offset >= 192 || offset % 8 != 0) return "";
  return "r" + std::to_string((offset - 128) / 8);
}

// The pass's output as text, after checking that both input and output verify.
inline std::string RunPass(Block (*pass)(const Block&), const Block& in) {
  std::string errors;
  for (const std::string& e : Verify(in)) errors += e + "\n";
  EXPECT_EQ(errors, "") << "input does not verify:\n" << Print(in, RName);
  Block out = pass(in);
  for (const std::string& e : Verify(out)) errors += e + "\n";
  EXPECT_EQ(errors, "") << "output does not verify:\n" << Print(out, RName);
  return Print(out, RName);
}

// A block with a plain jump exit, for building test input.
struct TestBlock {
  Block b;
  Builder ir{b};
  TestBlock() {
    b.pc = 0x1000;
    b.size = 16;
    b.insn_count = 4;
    b.exit = {.kind = ExitKind::kJump, .target = 0x1010, .insn_count = 4};
  }
};

// The printed form of a TestBlock with these instruction lines and its default exit.
inline std::string Expected(const std::string& body) {
  return "block 0x1000 size=16 insns=4\n" + body + "  exit: jump 0x1010 insns=4\n";
}

}  // namespace polyvm::ir::testing
