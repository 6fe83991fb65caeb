// The runtime's view of the RISC-V virt machine (see the header).
#include "polyvm/core/os/wake_word.h"
#include "polyvm/runtime/riscv64_virt_board.h"

#include <algorithm>

#include "polyvm/machine/riscv64/hart.h"

namespace polyvm::runtime {

namespace rv = machine::riscv64;

Riscv64VirtBoard::Riscv64VirtBoard(rv::VirtMachine& machine)
    : machine_(machine), signalled_(machine.num_harts(), ~uint64_t{0}) {}

core::CpuHeader& Riscv64VirtBoard::VcpuState(unsigned vcpu) {
  return machine_.hart(vcpu).state().cpu.hdr;
}

mem::SoftMmu& Riscv64VirtBoard::VcpuMmu(unsigned vcpu) { return machine_.hart(vcpu).mmu().mmu(); }

VcpuAction Riscv64VirtBoard::HandleExit(unsigned vcpu, const core::ExitInfo& exit,
                                        std::string* message) {
  switch (rv::HandleExit(machine_.hart(vcpu).state(), exit, message)) {
    case rv::ExitAction::kContinue: return VcpuAction::kContinue;
    case rv::ExitAction::kWait: return VcpuAction::kWait;
    case rv::ExitAction::kStop: return VcpuAction::kStop;
  }
  return VcpuAction::kStop;
}

uint64_t Riscv64VirtBoard::PollTimers() {
  // mtimecmp: the CLINT drives MTIP itself (the line wakes the hart).
  uint64_t next = machine_.clint().Poll();
  // stimecmp (Sstc): STIP is computed whenever mip is read, so a due timer only needs the hart
  // to look at its interrupts.
  const uint64_t now = machine_.clock().Ticks();
  for (unsigned h = 0; h < machine_.num_harts(); ++h) {
    const uint64_t deadline = machine_.hart(h).SupervisorTimerDeadline();
    if (deadline == ~uint64_t{0}) continue;
    if (deadline > now) {
      next = std::min(next, deadline);
    } else if (signalled_[h] != deadline) {
      signalled_[h] = deadline;
      auto& request = machine_.hart(h).state().cpu.hdr.interrupt_request;
      request.store(1, std::memory_order_seq_cst);  // pairs with HandleExit's clear-then-look
      core::os::WakeWordAll(request);
    }
  }
  return next == ~uint64_t{0} ? next : machine_.clock().HostNanosAt(next);
}

PowerRequest Riscv64VirtBoard::power_request() const {
  if (machine_.guest_panicked()) return PowerRequest::kPanic;  // before the panic=-1 reset
  switch (machine_.power_request()) {
    case rv::SysconTest::Request::kPowerOff: return PowerRequest::kPowerOff;
    case rv::SysconTest::Request::kReset: return PowerRequest::kReset;
    case rv::SysconTest::Request::kNone: break;
  }
  return PowerRequest::kNone;
}

bool Riscv64VirtBoard::Reset(std::string* error) {
  if (!machine_.Reset(error)) return false;
  signalled_.assign(machine_.num_harts(), ~uint64_t{0});
  return true;
}

void Riscv64VirtBoard::SetListeners(std::function<void()> on_event,
                                    std::function<void(uint64_t, uint64_t)> on_dma_write) {
  machine_.SetEventListener(std::move(on_event));
  machine_.SetDmaWriteListener(std::move(on_dma_write));
}

}  // namespace polyvm::runtime
