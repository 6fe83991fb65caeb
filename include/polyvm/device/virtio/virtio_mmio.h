// The virtio-mmio transport, version 2 registers (virtio 1.x section 4.2.2): what the guest's
// virtio_mmio driver probes ("virtio,mmio" device-tree nodes). Wraps one VirtioDevice.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "polyvm/core/guest_ram.h"
#include "polyvm/core/mmio.h"
#include "polyvm/device/virtio/virtio_device.h"

namespace polyvm::device::virtio {

class VirtioMmio final : public core::MmioDevice {
 public:
  static constexpr uint64_t kWindowSize = 0x200;  // registers 0x000-0x0ff, config from 0x100

  // device_status bits (virtio 1.x section 2.1).
  static constexpr uint32_t kStatusAcknowledge = 1;
  static constexpr uint32_t kStatusDriver = 2;
  static constexpr uint32_t kStatusDriverOk = 4;
  static constexpr uint32_t kStatusFeaturesOk = 8;
  static constexpr uint32_t kStatusNeedsReset = 64;
  static constexpr uint32_t kStatusFailed = 128;

  // ram and irq must outlive the transport. irq is level: asserted while InterruptStatus != 0.
  VirtioMmio(std::unique_ptr<VirtioDevice> device, core::GuestRam ram, core::IrqLine& irq);
  ~VirtioMmio() override;  // resets the device (stops its I/O) first

  uint64_t Read(uint64_t offset, unsigned size) override;
  void Write(uint64_t offset, unsigned size, uint64_t value) override;
  std::string_view Name() const override;

  VirtioDevice& device();
  // Why the device last entered DEVICE_NEEDS_RESET (empty if never), for diagnostics and tests.
  std::string last_error() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace polyvm::device::virtio
