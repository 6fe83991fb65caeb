// Hand-checked AArch64 cases for what Unicorn 2.0.1 gets wrong (arm64_forms.cpp): the narrow LSE
// signed and unsigned min/max, whose operands are the low bits of Rs and of memory, compared as
// signed or unsigned values of the access size (Arm ARM, LDSMAX/LDUMIN...: "the value in memory
// ... and the value held in a register", both of the access size). Each expected value is worked
// out by hand in the comment beside it; the encodings come from GNU as.
#include <gtest/gtest.h>

#include <cstring>

#include "arm64_forms.h"
#include "arm64_runners.h"

namespace polyvm::diff {
namespace {

struct NarrowCase {
  const char* name;
  uint32_t word;    // GNU as encoding
  unsigned rs, rt;  // register numbers in the encoding
  uint64_t rs_value;
  uint32_t mem;  // initial little-endian value at x25
  uint32_t mem_after;
  uint64_t rt_after;
};

constexpr NarrowCase kCases[] = {
    // max_s(0xf1 = -15, 0x00) = 0x00; Rt gets the old byte zero-extended.
    {"ldsmaxb w1, w2, [x25]", 0x38214322, 1, 2, 0xffffffffffffff00, 0xf1, 0x00, 0xf1},
    // min_u(0x8000, 0x0000 (the low half of Rs)) = 0x0000.
    {"lduminh w3, w4, [x25]", 0x78237324, 3, 4, 0xffffffff00010000, 0x8000, 0x0000, 0x8000},
    // min_s(1, 0x80000000 = INT32_MIN) = 0x80000000.
    {"ldsmin w5, w6, [x25]", 0xb8255326, 5, 6, 0x0000000080000000, 0x1, 0x80000000, 0x1},
    // max_u(0x7f, 0x00) = 0x7f: memory unchanged.
    {"ldumaxb w7, w8, [x25]", 0x38276328, 7, 8, 0x100, 0x7f, 0x7f, 0x7f},
    // max_s(0x8001 = -32767, 0x7fff) = 0x7fff.
    {"ldsmaxalh w9, w10, [x25]", 0x78e9432a, 9, 10, 0x12347fff, 0x8001, 0x7fff, 0x8001},
};

TEST(A64Edge, NarrowAtomicMinMaxCompareAtTheAccessSize) {
  for (const EngineSpec& engine : Engines()) {
    A64PolyvmRunner runner(engine.make);
    for (const NarrowCase& n : kCases) {
      SCOPED_TRACE(std::string(n.name) + " on " + engine.name);
      A64Case c;
      c.words = {n.word, 0xd4200000};
      c.end_pc = kCodeBase + 4;
      c.init.x[kA64AtomicBase] = kDataBase + 0x100;
      c.init.x[n.rs] = n.rs_value;
      c.init.x[n.rt] = 0x5555555555555555;
      std::memcpy(c.data.data() + 0x100, &n.mem, sizeof(n.mem));
      A64Outcome o = runner.Run(c);
      ASSERT_EQ(o.stop, Stop::kEnd) << o.detail;
      uint32_t mem_after;
      std::memcpy(&mem_after, o.data.data() + 0x100, sizeof(mem_after));
      EXPECT_EQ(mem_after, n.mem_after);
      EXPECT_EQ(o.regs.x[n.rt], n.rt_after);
      EXPECT_EQ(o.regs.x[n.rs], n.rs_value);
    }
  }
}

}  // namespace
}  // namespace polyvm::diff
