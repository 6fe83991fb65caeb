// priv_program.S, assembled by GNU as, run by each system-mode engine with the hart model handling
// every exit (sys_engine.h): mret/sret privilege changes, a delegated ecall from U handled in S,
// an illegal CSR access from U trapping to M with its bits, an ecall from S, and wfi ending the
// run. Physical addressing only (M-mode with satp = Bare).
#include <gtest/gtest.h>

#include <string>

#include "sys_engine.h"

namespace polyvm::machine::riscv64::testing {
namespace {

class PrivProgram : public ::testing::TestWithParam<std::string> {};

TEST_P(PrivProgram, RunsThroughTheEngineAndTheHartModel) {
  SysMachine m(POLYVM_PRIV_PROGRAM);
  ASSERT_TRUE(m.loaded()) << POLYVM_PRIV_PROGRAM;
  std::string message;
  ASSERT_TRUE(m.Run(GetParam(), &message)) << message;

  HartState& h = m.hart();
  auto x = [&](unsigned r) { return h.cpu.x[r]; };
  constexpr unsigned kS0 = 8, kS1 = 9, kS3 = 19, kS4 = 20, kS5 = 21, kS6 = 22, kS7 = 23;
  EXPECT_EQ(h.priv, Priv::kMachine);
  EXPECT_EQ(x(kS1), 43u) << "U's ecall went to S, which returned past it";
  EXPECT_EQ(x(kS0), 8u) << "scause: environment call from U";
  EXPECT_EQ(x(kS3), 0x300025f3u) << "mtval: the bits of csrr a1, mstatus (GNU as)";
  EXPECT_EQ(x(kS5), 9u) << "mcause: environment call from S";
  EXPECT_EQ(static_cast<uint32_t>(m.Load64(x(kS4))), 0x00000073u) << "mepc points at S's ecall";
  EXPECT_EQ((x(kS6) >> 11) & 3, 1u) << "mstatus.MPP = S";
  EXPECT_EQ((x(kS7) >> 32) & 3, 2u) << "sstatus.UXL = 64-bit, read from S";
  EXPECT_EQ(h.csr.sepc % 4, 0u);
  EXPECT_GT(h.cpu.hdr.retired, 30u);
}

INSTANTIATE_TEST_SUITE_P(Engines, PrivProgram,
                         ::testing::Values(std::string("interp"), std::string("jit"),
                                           std::string("interp_opt"), std::string("jit_opt")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace polyvm::machine::riscv64::testing
