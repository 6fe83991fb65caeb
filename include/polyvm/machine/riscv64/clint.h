// The CLINT (SiFive CLINT / RISC-V ACLINT MTIMER + MSWI layout, as on QEMU's virt machine): per
// hart a machine software interrupt bit (msip, offset 4*h) and a timer compare (mtimecmp, 0x4000 +
// 8*h), and one 64-bit mtime (0xbff8) counting at the timebase frequency from the host's monotonic
// clock. It drives each hart's MSIP and MTIP wires; MTIP is level (mtime >= mtimecmp), so a timer
// that expires without an MMIO access is raised by Poll(), which the machine's timer loop calls.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <vector>

#include "polyvm/core/mmio.h"

namespace polyvm::machine::riscv64 {

// Guest time: ticks at kTimebaseHz since the clock was created, plus what guest writes to mtime
// added. 10 MHz, as QEMU's virt machine (and its device tree) say.
class MachineClock {
 public:
  static constexpr uint64_t kTimebaseHz = 10'000'000;
  MachineClock();
  uint64_t Ticks() const;
  void SetTicks(uint64_t ticks);
  // Host CLOCK_MONOTONIC nanoseconds at which Ticks() reaches `ticks` (now if already past).
  uint64_t HostNanosAt(uint64_t ticks) const;
  static uint64_t HostNanos();

 private:
  uint64_t start_ns_;
  std::atomic<int64_t> offset_{0};
};

class Clint final : public core::MmioDevice {
 public:
  static constexpr uint64_t kWindowSize = 0x10000;
  static constexpr uint64_t kMsipBase = 0x0, kMtimecmpBase = 0x4000, kMtime = 0xbff8;

  // One (msip, mtip) wire pair per hart.
  struct HartLines {
    core::IrqLine* msip = nullptr;
    core::IrqLine* mtip = nullptr;
  };
  Clint(MachineClock& clock, std::vector<HartLines> harts);

  uint64_t Read(uint64_t offset, unsigned size) override;
  void Write(uint64_t offset, unsigned size, uint64_t value) override;
  std::string_view Name() const override { return "clint"; }

  // Re-evaluates every MTIP wire against mtime; returns the earliest future mtimecmp in ticks
  // (~0 if none).
  uint64_t Poll();

  // Power-on state for a machine reset: msip clear, mtimecmp at ~0 (never), the wires low. mtime
  // keeps counting, as QEMU's does across a reset.
  void Reset();

 private:
  void UpdateTimer(unsigned hart, uint64_t now);  // with mu_ held

  MachineClock& clock_;
  std::vector<HartLines> lines_;
  std::mutex mu_;  // guards the registers below; wires are set with it held (they never call back)
  std::vector<uint32_t> msip_;
  std::vector<uint64_t> mtimecmp_;
};

}  // namespace polyvm::machine::riscv64
