// QEMU's pvpanic device on MMIO (device tree compatible "qemu,pvpanic-mmio", Linux's
// CONFIG_PVPANIC_MMIO): one byte register at offset 0. A read returns the events the device
// supports; the guest kernel writes PANICKED from its panic notifier, or CRASH_LOADED before it
// starts a crash kernel. The machine's run loop polls what was written (a write is an event it
// is told of), so a guest panic ends the machine with a status of its own. Bits the device does
// not support, and accesses at other offsets, are ignored (as QEMU's pvpanic does).
#pragma once

#include <atomic>
#include <cstdint>

#include "polyvm/core/mmio.h"

namespace polyvm::device {

class PvPanic final : public core::MmioDevice {
 public:
  static constexpr uint64_t kWindowSize = 0x1000;
  static constexpr uint8_t kPanicked = 1, kCrashLoaded = 2;
  static constexpr uint8_t kSupported = kPanicked | kCrashLoaded;

  uint64_t Read(uint64_t offset, unsigned size) override;
  void Write(uint64_t offset, unsigned size, uint64_t value) override;
  std::string_view Name() const override { return "pvpanic"; }

  // The events the guest reported since the last Reset.
  uint8_t events() const { return events_.load(std::memory_order_acquire); }
  // Forgets them (a machine reset being carried out).
  void Reset() { events_.store(0, std::memory_order_release); }

 private:
  std::atomic<uint8_t> events_{0};
};

}  // namespace polyvm::device
