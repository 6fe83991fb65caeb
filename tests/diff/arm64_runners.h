// Runs an AArch64 case in Unicorn 2 (UC_ARCH_ARM64, the "max" CPU model so LSE, CRC32 and RCpc
// decode) and in polyvm (the arm64 frontend with any engine of engines.cpp). Both map the code and
// data pages at the case's addresses and nothing else.
#pragma once

#include <cstdint>

#include "arm64_case.h"
#include "polyvm/frontend/arm64/lifter.h"
#include "polyvm_runner.h"

namespace polyvm::diff {

// Each Run starts a fresh Unicorn instance, so no case sees what an earlier one left behind.
class A64UnicornRunner {
 public:
  A64Outcome Run(const A64Case& c);
};

class A64PolyvmRunner {
 public:
  explicit A64PolyvmRunner(EngineFactory factory);
  ~A64PolyvmRunner();
  A64PolyvmRunner(const A64PolyvmRunner&) = delete;
  A64PolyvmRunner& operator=(const A64PolyvmRunner&) = delete;
  A64Outcome Run(const A64Case& c);

  // Disassembly and the lifted IR of the case's first block, for reports.
  std::string Listing(const A64Case& c) const;

 private:
  EngineFactory factory_;
  frontend::arm64::Arm64Lifter lifter_;
  uint8_t* mem_ = nullptr;
  uint64_t mem_size_ = 0;
};

}  // namespace polyvm::diff
