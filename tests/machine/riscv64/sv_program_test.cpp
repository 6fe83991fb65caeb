// sv_program.S (assembled by GNU as) on a system-mode engine with the soft MMU and the hart model:
// Sv39/Sv48 translation, A/D, page faults, MMIO, page-crossing accesses, code written through an
// alias, atomics, SUM and U mode. The program records what it saw next to the values the
// privileged spec requires (its `expected` table); this test compares the two.
#include <gtest/gtest.h>

#include <string>

#include "polyvm/core/stats.h"
#include "sys_engine.h"

namespace polyvm::machine::riscv64::testing {
namespace {

// The slot names, in sv_program.S's order (R_*).
constexpr const char* kSlots[] = {"A/D after store",
                                  "A after loads",
                                  "crossing load",
                                  "crossing store (lo)",
                                  "crossing store (hi)",
                                  "A/D after crossing store",
                                  "ro store cause",
                                  "ro store tval",
                                  "invalid load cause",
                                  "invalid load tval",
                                  "mmio read back",
                                  "nx fetch cause",
                                  "nx fetch tval",
                                  "code after fence.i",
                                  "code rewritten",
                                  "amoadd old",
                                  "amoadd new",
                                  "lr",
                                  "sc",
                                  "sc memory",
                                  "amo ro cause",
                                  "amo ro tval",
                                  "lr invalid cause",
                                  "lr invalid tval",
                                  "amo misaligned cause",
                                  "amo misaligned tval",
                                  "lr misaligned cause",
                                  "lr misaligned tval",
                                  "SUM=0 cause",
                                  "SUM=0 tval",
                                  "SUM=1 load",
                                  "U load",
                                  "U fault cause",
                                  "U fault tval",
                                  "Sv48 load",
                                  "Sv48 code",
                                  "block crossing a page",
                                  "... after its second page was remapped",
                                  "loop fault cause",
                                  "loop fault tval",
                                  "loop count",
                                  "loop pointer",
                                  "loop runs",
                                  "loop over a page",
                                  "... after it was remapped",
                                  "loop across a page boundary",
                                  "... after a loop stored across it",
                                  "final mcause"};
constexpr unsigned kS6 = 22, kS11 = 27;

class SvProgram : public ::testing::TestWithParam<std::string> {};

TEST_P(SvProgram, MatchesThePrivilegedSpec) {
  SysMachine m(POLYVM_SV_PROGRAM);
  ASSERT_TRUE(m.loaded()) << POLYVM_SV_PROGRAM;
  std::string message;
  ASSERT_TRUE(m.Run(GetParam(), &message)) << message;
  EXPECT_EQ(m.hart().priv, Priv::kMachine);

  uint64_t results = m.hart().cpu.x[kS11];
  ASSERT_EQ(m.hart().cpu.x[kS6], std::size(kSlots));
  uint64_t expected = results + 8 * std::size(kSlots);
  for (unsigned i = 0; i < std::size(kSlots); ++i) {
    EXPECT_EQ(m.Load64(results + 8 * i), m.Load64(expected + 8 * i))
        << "slot " << i << " (" << kSlots[i] << ")";
  }

  // The MMIO store and load reached the device as the guest made them: offset 8, 4 bytes.
  const auto& log = m.device().log;
  ASSERT_EQ(log.size(), 2u);
  EXPECT_TRUE(log[0].write);
  EXPECT_EQ(log[0].offset, 8u);
  EXPECT_EQ(log[0].size, 4u);
  EXPECT_EQ(log[0].value, 0x12345678u);
  EXPECT_FALSE(log[1].write);
  EXPECT_EQ(log[1].offset, 8u);
  EXPECT_EQ(log[1].size, 4u);

  core::Stats stats;
  m.engine().CollectStats(stats);
  auto get = [&](const char* name) {
    for (const auto& s : stats.entries) {
      if (s.name == name) return s.value;
    }
    ADD_FAILURE() << "no statistic " << name;
    return 0.0;
  };
  EXPECT_GE(get("mmu.mmio"), 2.0);
  EXPECT_GT(get("mmu.refills"), 0.0);
  EXPECT_GT(get("mmu.accesses"), get("mmu.refills"));
  EXPECT_GE(get("mmu.code_invalidations"), 1.0) << "the store without fence.i hit translated code";
}

INSTANTIATE_TEST_SUITE_P(Engines, SvProgram,
                         ::testing::Values(std::string("interp"), std::string("jit"),
                                           std::string("interp_opt"), std::string("jit_opt")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace polyvm::machine::riscv64::testing
