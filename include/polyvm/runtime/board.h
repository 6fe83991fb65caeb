// What the runtime needs of a system-mode machine, whatever its architecture: its vCPUs (state and
// soft MMU), what a vCPU does after each engine exit, its timers, and the guest's power requests.
// A machine model gets an adapter implementing it (riscv64_virt_board.h); the run loop
// (runtime.h) is written once against this.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "polyvm/core/cpu_header.h"
#include "polyvm/core/exit.h"
#include "polyvm/mem/soft_mmu.h"

namespace polyvm::runtime {

enum class VcpuAction : uint8_t {
  kContinue,  // run the engine again
  kWait,      // sleep until the vCPU's interrupt_request is set, then report a kInterrupt exit
  kStop,      // the machine cannot go on (something unimplemented); the message says what
};

enum class PowerRequest : uint8_t { kNone, kPowerOff, kReset, kPanic };

class Board {
 public:
  virtual ~Board() = default;

  virtual unsigned NumVcpus() const = 0;
  virtual core::CpuHeader& VcpuState(unsigned vcpu) = 0;
  virtual mem::SoftMmu& VcpuMmu(unsigned vcpu) = 0;

  // Called on the vCPU's thread for every engine exit (and for the kInterrupt exit the run loop
  // makes up when a waiting vCPU is woken).
  virtual VcpuAction HandleExit(unsigned vcpu, const core::ExitInfo& exit,
                                std::string* message) = 0;

  // Raises the timer interrupts that are due (waking the vCPUs concerned through their
  // interrupt_request) and returns the host CLOCK_MONOTONIC time in ns of the next deadline, or
  // ~0 if no timer is armed. Called by the runtime's timer thread only.
  virtual uint64_t PollTimers() = 0;

  // What the guest asked for through the machine's power controls, or a panic it reported (which
  // wins over the reset a panicking kernel may ask for next); the exit code of a power-off
  // (0 = success).
  virtual PowerRequest power_request() const = 0;
  virtual uint32_t power_exit_code() const = 0;

  // A machine reset, called with no vCPU running: devices, RAM contents and vCPUs back to their
  // power-on state with the boot images loaded again, and the power request cleared; the board
  // reports all of RAM through on_dma_write. False with *error if the board cannot (then the run
  // ends). Boards without it refuse.
  virtual bool Reset(std::string* error) {
    *error = "this machine cannot reset";
    return false;
  }

  // `on_event`: something the runtime must look at again happened (a timer was re-armed, a power
  // request was made); any thread, no board lock held. `on_dma_write`: a device wrote guest RAM.
  // Both are set before any vCPU runs.
  virtual void SetListeners(std::function<void()> on_event,
                            std::function<void(uint64_t gpa, uint64_t len)> on_dma_write) = 0;
};

}  // namespace polyvm::runtime
