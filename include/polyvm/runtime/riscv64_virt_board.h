// The RISC-V virt machine seen by the runtime: exits go to the hart's privileged model
// (machine::riscv64::HandleExit), timers are the CLINT's mtimecmp and each hart's Sstc stimecmp,
// power requests come from the sifive-test finisher.
#pragma once

#include <vector>

#include "polyvm/machine/riscv64/virt_machine.h"
#include "polyvm/runtime/board.h"

namespace polyvm::runtime {

class Riscv64VirtBoard final : public Board {
 public:
  explicit Riscv64VirtBoard(machine::riscv64::VirtMachine& machine);

  unsigned NumVcpus() const override { return machine_.num_harts(); }
  core::CpuHeader& VcpuState(unsigned vcpu) override;
  mem::SoftMmu& VcpuMmu(unsigned vcpu) override;
  VcpuAction HandleExit(unsigned vcpu, const core::ExitInfo& exit, std::string* message) override;
  uint64_t PollTimers() override;
  PowerRequest power_request() const override;
  uint32_t power_exit_code() const override { return machine_.power_exit_code(); }
  bool Reset(std::string* error) override;
  void SetListeners(std::function<void()> on_event,
                    std::function<void(uint64_t, uint64_t)> on_dma_write) override;

 private:
  machine::riscv64::VirtMachine& machine_;
  // Per hart, the stimecmp whose expiry was last signalled, so that a deadline in the past wakes
  // the hart once rather than on every poll (timer thread only).
  std::vector<uint64_t> signalled_;
};

}  // namespace polyvm::runtime
