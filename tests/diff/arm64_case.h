// One AArch64 differential test case (guest code, initial registers, a data page) and the outcome
// of running it on one emulator. The layout (code and data addresses) is the RISC-V cases'
// (case.h), so a case means the same thing to polyvm and Unicorn.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "case.h"

namespace polyvm::diff {

struct A64Regs {
  std::array<uint64_t, 31> x{};
  uint64_t sp = 0;
  uint32_t nzcv = 0;                            // bits 31..28
  std::array<std::array<uint64_t, 2>, 32> q{};  // V0..V31: low, high 64 bits
  uint32_t fpcr = 0;
  uint32_t fpsr = 0;
  uint64_t tpidr = 0;

  bool operator==(const A64Regs&) const = default;
};

struct A64Case {
  std::string name;
  std::vector<uint32_t> words;  // at kCodeBase; the last is the BRK #0 that ends the case
  uint64_t end_pc = 0;
  A64Regs init;
  std::vector<uint8_t> data = std::vector<uint8_t>(kDataSize);  // at kDataBase
};

struct A64Outcome {
  Stop stop = Stop::kError;
  uint64_t pc = 0;
  A64Regs regs;
  std::vector<uint8_t> data;
  std::string detail;
};

}  // namespace polyvm::diff
