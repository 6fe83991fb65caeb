// smc_harts_program.S: one hart stores into code another hart has translated, through a write-TLB
// entry filled before the page held code. The code tracker must have marked that entry (the
// code-page generation), so the second call runs the new instruction.
#include <gtest/gtest.h>

#include <string>

#include "sys_engine.h"

namespace polyvm::machine::riscv64::testing {
namespace {

constexpr unsigned kS1 = 9, kS2 = 18;

class SmcHarts : public ::testing::TestWithParam<std::string> {};

TEST_P(SmcHarts, StoreFromAnotherHartInvalidatesTranslatedCode) {
  SysMachine m(POLYVM_SMC_HARTS_PROGRAM, 2);
  ASSERT_TRUE(m.loaded()) << POLYVM_SMC_HARTS_PROGRAM;
  std::string message;
  ASSERT_TRUE(m.Run(GetParam(), &message)) << message;
  EXPECT_EQ(m.hart(1).cpu.x[kS1], 0x5a5u) << "code_v1: addi a0, zero, 0x5a5";
  EXPECT_EQ(m.hart(1).cpu.x[kS2], 0x123u) << "code_v2's first instruction: addi a0, zero, 0x123";
}

INSTANTIATE_TEST_SUITE_P(Engines, SmcHarts,
                         ::testing::Values(std::string("interp"), std::string("jit"),
                                           std::string("interp_opt"), std::string("jit_opt")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace polyvm::machine::riscv64::testing
