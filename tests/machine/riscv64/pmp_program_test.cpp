// pmp_program.S (assembled by GNU as) on a system-mode engine with the soft MMU and the hart model:
// PMP entries of every kind (TOR, NA4, NAPOT, a locked one) against M and S loads, stores and
// fetches, the page-table walker's own accesses, a page PMP splits (checked access by access) and
// a PMP change after a cached translation. The program records what it saw next to the values the
// privileged spec requires (its `expected` table); this test compares the two.
#include <gtest/gtest.h>

#include <string>

#include "sys_engine.h"

namespace polyvm::machine::riscv64::testing {
namespace {

// The slot names, in pmp_program.S's order (R_*); a fault takes two (cause, tval).
constexpr const char* kSlots[] = {
    "M load, no entry active (cause)",
    "(tval)",
    "S load, no entry active (cause)",
    "(tval)",
    "pmpcfg0 read back",
    "M store, locked R entry (cause)",
    "(tval)",
    "M load, locked R entry (cause)",
    "(tval)",
    "M store, unlocked R entry (cause)",
    "(tval)",
    "pmpaddr4 after a write (locked)",
    "pmpcfg0 after clearing entry 4 (locked)",
    "S load, R entry (cause)",
    "(tval)",
    "S load value",
    "S store, R entry (cause)",
    "(tval)",
    "S store, TOR RW (cause)",
    "(tval)",
    "S TOR value",
    "S store, NA4 R (cause)",
    "(tval)",
    "S load, NA4 R (cause)",
    "(tval)",
    "S load, rest of the split page (cause)",
    "(tval)",
    "S load, no matching entry (cause)",
    "(tval)",
    "S fetch, R without X (cause)",
    "(tval)",
    "Sv39 load (cause)",
    "(tval)",
    "Sv39 load value",
    "Sv39 PTE read denied (cause)",
    "(tval)",
    "Sv39 A update denied (cause)",
    "(tval)",
    "Sv39 load after PMP change (cause)",
    "(tval)",
};
constexpr unsigned kS6 = 22, kS11 = 27;

class PmpProgram : public ::testing::TestWithParam<std::string> {};

TEST_P(PmpProgram, MatchesThePrivilegedSpec) {
  SysMachine m(POLYVM_PMP_PROGRAM);
  ASSERT_TRUE(m.loaded()) << POLYVM_PMP_PROGRAM;
  std::string message;
  ASSERT_TRUE(m.Run(GetParam(), &message))
      << message << std::hex << "; mcause " << m.hart().csr.mcause << " mepc " << m.hart().csr.mepc
      << " mtval " << m.hart().csr.mtval << " s9 " << m.hart().cpu.x[25];
  EXPECT_EQ(m.hart().priv, Priv::kMachine);

  const uint64_t results = m.hart().cpu.x[kS11];
  ASSERT_EQ(m.hart().cpu.x[kS6], std::size(kSlots));
  const uint64_t expected = results + 8 * std::size(kSlots);
  for (unsigned i = 0; i < std::size(kSlots); ++i) {
    EXPECT_EQ(m.Load64(results + 8 * i), m.Load64(expected + 8 * i))
        << std::hex << "slot " << std::dec << i << " (" << kSlots[i] << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(Engines, PmpProgram,
                         ::testing::Values(std::string("interp"), std::string("jit"),
                                           std::string("interp_opt"), std::string("jit_opt")),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace polyvm::machine::riscv64::testing
