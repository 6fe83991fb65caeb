// A RISC-V64 guest for the interpreter's tests and benchmark (see riscv_env.h).
#include "riscv_env.h"

#include <cstring>

#include "riscv_programs.h"

namespace polyvm::engine::interp::test {

size_t MemCodeReader::Fetch(uint64_t pc, void* out, size_t size) const {
  if (pc >= mem_.size()) return 0;
  size_t n = std::min<size_t>(size, mem_.size() - pc);
  std::memcpy(out, mem_.base() + pc, n);
  return n;
}

RiscvMachine::RiscvMachine(Options options, size_t pages)
    : mem(pages), interp(std::make_unique<TestEngine>(lifter, code, EngineOptions(options))) {
  std::memcpy(mem.base() + kCodeBase, rv::kCode, sizeof rv::kCode);
  mem.Attach(st.hdr);
  vcpu.state = &st.hdr;
}

core::ExitInfo RiscvMachine::Run(uint64_t entry) {
  st.hdr.pc = kCodeBase + entry;
  return interp->Run(vcpu);
}

}  // namespace polyvm::engine::interp::test
