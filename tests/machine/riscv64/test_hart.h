// A hart with a recording HartHost, for the privileged-architecture tests.
#pragma once

#include <memory>

#include "polyvm/machine/riscv64/hart.h"

namespace polyvm::machine::riscv64::testing {

class FakeHost final : public HartHost {
 public:
  uint64_t ReadTime() override { return time; }
  void TranslationChanged(HartState&, bool flush) override {
    ++translation_changes;
    flushes += flush;
  }
  void FenceVma(HartState&, bool a, uint64_t va, bool s, uint32_t id) override {
    ++fences;
    has_addr = a;
    vaddr = va;
    has_asid = s;
    asid = id;
  }
  void TimerChanged(HartState&) override { ++timer_changes; }
  mem::WalkFault ClassifyFault(HartState&, uint64_t, core::MemAccess) override { return fault; }

  uint64_t time = 0;
  unsigned translation_changes = 0, flushes = 0, fences = 0, timer_changes = 0;
  bool has_addr = false, has_asid = false;
  uint64_t vaddr = 0;
  uint32_t asid = 0;
  mem::WalkFault fault = mem::WalkFault::kPageFault;
};

struct TestHart {
  TestHart() {
    hart = std::make_unique<HartState>();
    ResetHart(*hart, 0, 0x80000000, &host);
  }
  HartState& operator*() { return *hart; }
  HartState* operator->() { return hart.get(); }
  FakeHost host;
  std::unique_ptr<HartState> hart;
};

// Encodings of the Zicsr instructions (unprivileged spec, "Zicsr" chapter), for ExecutePrivileged.
constexpr uint32_t CsrInsn(unsigned funct3, unsigned rd, unsigned rs1, uint16_t csr) {
  return uint32_t{csr} << 20 | rs1 << 15 | funct3 << 12 | rd << 7 | 0x73;
}
constexpr uint32_t Csrrw(unsigned rd, uint16_t csr, unsigned rs1) {
  return CsrInsn(1, rd, rs1, csr);
}
constexpr uint32_t Csrrs(unsigned rd, uint16_t csr, unsigned rs1) {
  return CsrInsn(2, rd, rs1, csr);
}
constexpr uint32_t Csrrc(unsigned rd, uint16_t csr, unsigned rs1) {
  return CsrInsn(3, rd, rs1, csr);
}
constexpr uint32_t Csrrwi(unsigned rd, uint16_t csr, unsigned imm) {
  return CsrInsn(5, rd, imm, csr);
}

}  // namespace polyvm::machine::riscv64::testing
