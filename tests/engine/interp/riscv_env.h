// A RISC-V64 guest for end-to-end interpreter tests and the micro benchmark: guest memory holding
// the programs of riscv_programs.h, the real frontend, and the interpreter.
#pragma once

#include <memory>

#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/frontend/riscv64/state.h"
#include "test_env.h"

namespace polyvm::engine::interp::test {

// Reads guest code straight from guest memory.
class MemCodeReader final : public ir::CodeReader {
 public:
  explicit MemCodeReader(const GuestMemory& mem) : mem_(mem) {}
  size_t Fetch(uint64_t pc, void* out, size_t size) const override;

 private:
  const GuestMemory& mem_;
};

struct RiscvMachine {
  static constexpr uint64_t kCodeBase = 0x1000;
  explicit RiscvMachine(Options options = {}, size_t pages = 512);
  // Runs from kCodeBase + entry until an exit.
  core::ExitInfo Run(uint64_t entry);
  uint64_t& X(unsigned i) { return st.x[i]; }

  GuestMemory mem;
  MemCodeReader code{mem};
  frontend::riscv64::Riscv64Lifter lifter;
  std::unique_ptr<TestEngine> interp;
  frontend::riscv64::Riscv64State st;
  core::Vcpu vcpu;
};

}  // namespace polyvm::engine::interp::test
