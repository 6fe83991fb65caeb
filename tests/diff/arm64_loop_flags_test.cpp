// Self-loops whose flags the JIT leaves out of the loop (codegen_loop_flags.cpp), against Unicorn
// 2: NZCV where the loop stops must be the last flag-setting instruction's, whether it stops at
// its exit (the flags rebuilt on the way out), at a host fault in a later iteration before its own
// flag write (rebuilt from the fault's records), at an access beyond the guest's memory (rebuilt
// by the JIT's out-of-line code), or in the first iteration, where they are still the incoming
// flags. Each case runs in every engine; encodings from GNU as.
#include <gtest/gtest.h>

#include <cstring>

#include "arm64_compare.h"
#include "arm64_runners.h"

namespace polyvm::diff {
namespace {

constexpr uint32_t kBrk = 0xd4200000;
constexpr uint32_t kN = 8, kZ = 4, kC = 2, kV = 1;

// 1: strb w0, [x20, x1]; add x1, x1, x3; cmp x1, x19; b.ls 1b
const std::vector<uint32_t> kSieve = {0x38216a80, 0x8b030021, 0xeb13003f, 0x54ffffa9, kBrk};
// 1: ldr w5, [x20, x1]; add w6, w6, w5; add x1, x1, #4; subs w2, w2, #1; b.ne 1b
const std::vector<uint32_t> kCountDown = {0xb8616a85, 0x0b0500c6, 0x91001021,
                                          0x71000442, 0x54ffff81, kBrk};
// The same, looping while w2 > 0 (b.gt): it may leave with a nonzero w2.
const std::vector<uint32_t> kCountWhilePositive = {0xb8616a85, 0x0b0500c6, 0x91001021,
                                                   0x71000442, 0x54ffff8c, kBrk};
// 1: str x2, [x20, x1]; add x1, x1, #8; adds x2, x2, x7; b.ne 1b
const std::vector<uint32_t> kAccumulate = {0xf8216a82, 0x91002021, 0xab070042, 0x54ffffa1, kBrk};
// 1: ldrb w5, [x20, x1]; add x1, x1, #1; tst w5, #0x80; b.eq 1b
const std::vector<uint32_t> kScan = {0x38616a85, 0x91000421, 0x721900bf, 0x54ffffa0, kBrk};

struct LoopCase {
  const char* name;
  const std::vector<uint32_t>* words;
  std::vector<std::pair<unsigned, uint64_t>> x;  // initial X registers (the rest zero)
  uint32_t nzcv;                                 // incoming flags
  Stop stop;                                     // how Unicorn and polyvm must both stop
  uint32_t expected_nzcv;                        // worked out by hand (the comment says how)
  uint32_t data_byte = 0;                        // a byte at kDataBase + 10 (kScan's match)
};

std::vector<LoopCase> Cases() {
  const uint64_t d = kDataBase;
  return {
      // Stores at x1 = 0, 0x300, ... 0xf00; the one at 0x1200 (past the data page, a PROT_NONE
      // page polyvm's runner still counts as guest memory) faults. Flags of the cmp before it:
      // 0x1200 - 0x10000 < 0: N.
      {"sieve, host fault",
       &kSieve,
       {{20, d}, {3, 0x300}, {19, 0x10000}, {0, 0x5a}},
       (kZ | kC) << 28,
       Stop::kMemFault,
       kN},
      // The second store is beyond the runner's guest memory: the JIT's bound check leaves out of
      // line. Flags of 0x20000 - 0x100000: N.
      {"sieve, out of range",
       &kSieve,
       {{20, d}, {3, 0x20000}, {19, 0x100000}, {0, 0x5a}},
       (kZ | kC) << 28,
       Stop::kMemFault,
       kN},
      // The first store faults: nothing set the flags, they are the incoming ones.
      {"sieve, first iteration faults",
       &kSieve,
       {{20, d}, {1, 0x1000}, {3, 8}, {19, 0x10000}},
       (kC | kV) << 28,
       Stop::kMemFault,
       kC | kV},
      {"sieve, first iteration out of range",
       &kSieve,
       {{20, d}, {1, 0x20000}, {3, 8}, {19, 0x100000}},
       (kN | kV) << 28,
       Stop::kMemFault,
       kN | kV},
      // Ends at x1 = 0x1000 > 0xf00: flags of 0x1000 - 0xf00: C (no borrow).
      {"sieve, to its exit",
       &kSieve,
       {{20, d}, {3, 0x100}, {19, 0xf00}, {0, 0x5a}},
       (kN | kV) << 28,
       Stop::kEnd,
       kC},
      // 1024 loads, then the 1025th faults. The 1024th subs took w2 from 0x800003ff - 1023 =
      // 0x80000000 to 0x7fffffff: signed overflow, no borrow: C and V.
      {"count down, host fault",
       &kCountDown,
       {{20, d}, {2, 0xdeadbeef800003ffu}},
       kZ << 28,
       Stop::kMemFault,
       kC | kV},
      // Five iterations, the last subs 1 - 1 = 0: Z and C.
      {"count down, to its exit",
       &kCountDown,
       {{20, d}, {2, 5}, {6, 7}},
       kN << 28,
       Stop::kEnd,
       kZ | kC},
      // x2 goes up by 2^62 per iteration; the store at x1 = 0x1000 faults after 510 adds from
      // x1 = 16, the last 0x4000000000000001 + 2^62 = 0x8000000000000001: N and V.
      {"accumulate, host fault",
       &kAccumulate,
       {{20, d}, {1, 16}, {2, 1}, {7, 0x4000000000000000}},
       kZ << 28,
       Stop::kMemFault,
       kN | kV},
      // From x1 = 0, 512 adds: the last 0xc000000000000001 + 2^62 = 1 with a carry: C.
      {"accumulate, carry",
       &kAccumulate,
       {{20, d}, {2, 1}, {7, 0x4000000000000000}},
       kZ << 28,
       Stop::kMemFault,
       kC},
      // One iteration: 0x80000002 - 1 = 0x80000001 is negative without overflow (not GT): N, C.
      {"count while positive, to its exit",
       &kCountWhilePositive,
       {{20, d}, {2, 0x80000002}},
       (kZ | kV) << 28,
       Stop::kEnd,
       kN | kC},
      // 1, 0x5555555555555556, 0xaaaaaaaaaaaaaaab (N, V), then 0 with a carry out: Z and C.
      {"accumulate, to its exit",
       &kAccumulate,
       {{20, d}, {2, 1}, {7, 0x5555555555555555}},
       kN << 28,
       Stop::kEnd,
       kZ | kC},
      // 4096 zero bytes, then the load past the page faults: the last tst found bit 7 clear: Z;
      // C and V cleared (they were set coming in).
      {"scan, host fault", &kScan, {{20, d}}, (kN | kC | kV) << 28, Stop::kMemFault, kZ},
      // Byte 10 has bit 7 set: the loop ends there with neither N (bit 31 is clear) nor Z.
      {"scan, to its exit", &kScan, {{20, d}}, (kN | kZ | kC | kV) << 28, Stop::kEnd, 0, 0x90},
  };
}

TEST(A64LoopFlags, AgreeWithUnicornWhereverTheLoopStops) {
  A64UnicornRunner unicorn;
  for (const EngineSpec& engine : Engines()) {
    A64PolyvmRunner runner(engine.make);
    for (const LoopCase& lc : Cases()) {
      SCOPED_TRACE(std::string(lc.name) + " on " + engine.name);
      A64Case c;
      c.name = lc.name;
      c.words = *lc.words;
      c.end_pc = kCodeBase + 4 * (c.words.size() - 1);
      for (auto [r, v] : lc.x) c.init.x[r] = v;
      c.init.nzcv = lc.nzcv;
      c.data[10] = static_cast<uint8_t>(lc.data_byte);
      const A64Outcome want = unicorn.Run(c);
      ASSERT_EQ(want.stop, lc.stop) << want.detail;
      ASSERT_EQ(want.regs.nzcv, lc.expected_nzcv << 28);
      const A64Outcome got = runner.Run(c);
      EXPECT_EQ(A64Differences(c, want, got), "");
      // A fault is the loop's first instruction's (the access), as the records say.
      if (lc.stop == Stop::kMemFault) {
        EXPECT_EQ(got.pc, kCodeBase);
      }
    }
  }
}

}  // namespace
}  // namespace polyvm::diff
