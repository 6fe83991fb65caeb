// A 16550A UART (the "ns16550a" of device trees): the serial console of RISC-V and x86 machines.
// Byte-wide registers at stride 1 (reg-shift 0, reg-io-width 1), 16-byte FIFOs, DLAB divisor
// latch, loopback, and the RX-data / THR-empty / line-status / modem-status interrupts on an
// IrqLine (level: asserted while an enabled condition is pending).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "polyvm/core/mmio.h"
#include "polyvm/device/char_backend.h"

namespace polyvm::device {

class Uart16550 final : public core::MmioDevice {
 public:
  // Size of the register window the machine maps (only the first 8 bytes hold registers).
  static constexpr uint64_t kWindowSize = 0x100;

  // backend and irq must outlive the UART. The UART attaches itself as the backend's input
  // notifier and detaches in its destructor.
  Uart16550(CharBackend& backend, core::IrqLine& irq);
  ~Uart16550() override;

  uint64_t Read(uint64_t offset, unsigned size) override;
  void Write(uint64_t offset, unsigned size, uint64_t value) override;
  std::string_view Name() const override { return "uart16550"; }

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace polyvm::device
