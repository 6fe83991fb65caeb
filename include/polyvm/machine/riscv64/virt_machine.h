// The assembled RISC-V virt board: guest RAM and boot ROM, the CLINT, the PLIC, a 16550 UART on a
// character backend, virtio-mmio slots (block, network, entropy, console), the sifive-test
// finisher, the harts with their soft MMUs, the device tree and the boot images (virt.h says where
// everything sits). It builds and owns the machine; running it is the runtime's job
// (runtime/runtime.h), which reaches it through the few hooks below.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "polyvm/core/guest_ram.h"
#include "polyvm/device/char_backend.h"
#include "polyvm/device/pvpanic.h"
#include "polyvm/device/virtio/virtio_blk.h"
#include "polyvm/device/virtio/virtio_net.h"
#include "polyvm/machine/riscv64/clint.h"
#include "polyvm/machine/riscv64/syscon_test.h"
#include "polyvm/machine/riscv64/virt.h"
#include "polyvm/machine/riscv64/virt_hart.h"
#include "polyvm/mem/physical_map.h"

namespace polyvm::machine::riscv64 {

// Debian's OpenSBI build for QEMU's virt machine (package opensbi), the default firmware.
inline constexpr char kDefaultVirtFirmware[] =
    "/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin";

struct VirtMachineConfig {
  unsigned harts = 1;
  uint64_t ram_size = 128ull << 20;  // QEMU virt's default
  std::string firmware =
      kDefaultVirtFirmware;  // empty: none (the kernel runs in M-mode at RAM base)
  std::string kernel;        // required
  std::string initrd;        // optional
  std::string bootargs;
  device::CharBackend* serial = nullptr;  // the UART's backend; null: output dropped, no input
  std::vector<device::virtio::BlkOptions> drives;
  std::optional<device::virtio::NetOptions> net;
  bool rng = false;
  device::CharBackend* console = nullptr;  // virtio-console backend; null: no virtio-console
};

class VirtMachine final : private core::DmaWriteObserver {
 public:
  // Builds the board and loads the images; nullptr with a one-line *error when a file is missing
  // or unreadable, the images do not fit, a device cannot be created or the counts are wrong.
  static std::unique_ptr<VirtMachine> Create(const VirtMachineConfig& config, std::string* error);
  ~VirtMachine() override;
  VirtMachine(const VirtMachine&) = delete;
  VirtMachine& operator=(const VirtMachine&) = delete;

  unsigned num_harts() const { return static_cast<unsigned>(harts_.size()); }
  VirtHart& hart(unsigned i) { return *harts_[i]; }
  const mem::PhysicalMap& physical_map() const { return phys_; }
  MachineClock& clock() { return clock_; }
  Clint& clint() { return *clint_; }
  const VirtBootPlan& boot_plan() const { return plan_; }

  // Puts every hart in its power-on state for the loaded images (all harts start in the firmware
  // with a0 = hart id, as on QEMU; OpenSBI picks the boot hart).
  void ResetHarts();

  // A machine reset, as QEMU does one by default (the finisher's 0x7777, which OpenSBI's SRST
  // uses): with no hart running, the PLIC, UART and virtio devices are replaced by new ones (their
  // I/O threads stop first; disks are reopened, host forwards rebound), the CLINT and the finisher
  // go back to power-on (mtime restarts from 0, as on QEMU), RAM and the boot ROM are cleared and
  // the firmware, kernel, initrd, device tree and fw_dynamic_info loaded again, and every hart is
  // at power-on. The DMA-write listener then hears of all of RAM and ROM (every translation is
  // stale). False with *error if a device cannot be made again (the machine must not run then).
  bool Reset(std::string* error);
  unsigned resets() const { return resets_; }

  // What the guest asked of the finisher (power off with a code, reset), if anything.
  SysconTest::Request power_request() const { return syscon_.request(); }
  uint32_t power_exit_code() const { return syscon_.exit_code(); }
  // The guest kernel reported a panic through pvpanic (its panic notifier runs before a
  // panic=-1 reset).
  bool guest_panicked() const { return (pvpanic_.events() & device::PvPanic::kPanicked) != 0; }

  // Hooks for the runtime, set before any hart runs. `on_event`: the guest asked for power-off or
  // reset, reported a panic, wrote a CLINT register, or changed a hart's stimecmp / STCE: the runtime re-reads
  // power_request() and its timer deadlines. Called on vCPU threads, with no device lock held.
  // `on_dma_write`: a device wrote guest RAM (any thread); the runtime invalidates translations.
  void SetEventListener(std::function<void()> on_event);
  void SetDmaWriteListener(std::function<void(uint64_t gpa, uint64_t len)> on_dma_write);

  // Human-readable list of the devices and where they sit (for --stats and diagnostics).
  std::vector<std::string> DeviceSummary() const;

 private:
  class Slot;  // a physical-map window whose device a reset replaces
  VirtMachine();
  bool Build(const VirtMachineConfig& config, std::string* error);
  bool LoadImages(std::string* error);
  bool CreateDevices(std::string* error);  // PLIC, UART, virtio slots, plugged into their Slots
  void DestroyDevices();
  void OnDmaWrite(uint64_t gpa, uint64_t len) override;
  void Notify();

  // RAM and the boot ROM (anonymous mappings).
  uint8_t* ram_ = nullptr;
  uint64_t ram_size_ = 0;
  uint8_t* rom_ = nullptr;

  mem::PhysicalMap phys_;
  MachineClock clock_;
  VirtBootPlan plan_;
  std::vector<std::unique_ptr<VirtHart>> harts_;
  std::vector<std::unique_ptr<core::IrqLine>> hart_lines_;  // msip, mtip, meip, seip per hart
  std::unique_ptr<Clint> clint_;
  SysconTest syscon_;
  device::PvPanic pvpanic_;
  VirtMachineConfig config_;
  std::vector<uint8_t> firmware_, kernel_, initrd_, fdt_;  // kept for reloading on a reset
  std::vector<core::IrqLine*> plic_outputs_;               // M and S external lines per hart
  std::vector<std::unique_ptr<Slot>> slots_;  // every MMIO window, for the machine's life
  Slot* plic_slot_ = nullptr;
  Slot* uart_slot_ = nullptr;
  std::vector<Slot*> virtio_slots_;
  std::vector<std::unique_ptr<core::MmioDevice>> devices_;  // PLIC, UART, virtio: made anew
  std::vector<std::string> summary_;
  unsigned resets_ = 0;

  std::function<void()> on_event_;
  std::function<void(uint64_t, uint64_t)> on_dma_write_;
};

}  // namespace polyvm::machine::riscv64
