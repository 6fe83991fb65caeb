// Assembles the virt board from its parts: memory, interrupt controllers, devices, harts, the
// device tree and the boot images. The wiring follows virt.h (QEMU virt's map): PLIC context 2h is
// hart h's M-mode external interrupt, 2h+1 its S-mode one; the UART is PLIC source 10 and
// virtio slot i source 1 + i.
#include "polyvm/machine/riscv64/virt_machine.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "polyvm/device/plic.h"
#include "polyvm/device/uart16550.h"
#include "polyvm/device/virtio/virtio_console.h"
#include "polyvm/device/virtio/virtio_mmio.h"
#include "polyvm/device/virtio/virtio_rng.h"

namespace polyvm::machine::riscv64 {
namespace {

bool ReadFile(const std::string& path, const char* what, std::vector<uint8_t>* out,
              std::string* error) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    *error = fmt::format("cannot read {} {}: {}", what, path,
                         fd < 0 ? strerror(errno) : "not a regular file");
    if (fd >= 0) close(fd);
    return false;
  }
  out->resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  while (done < out->size()) {
    ssize_t n = read(fd, out->data() + done, out->size() - done);
    if (n <= 0) {
      *error = fmt::format("cannot read {} {}: {}", what, path, n < 0 ? strerror(errno) : "short");
      close(fd);
      return false;
    }
    done += static_cast<size_t>(n);
  }
  close(fd);
  return true;
}

uint8_t* MapAnonymous(uint64_t size) {
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
                 -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

// A serial port with nothing attached: output vanishes, input never comes.
class NullCharBackend final : public device::CharBackend {
 public:
  void Write(std::span<const uint8_t>) override {}
  size_t Read(std::span<uint8_t>) override { return 0; }
  void SetInputNotifier(std::function<void()>) override {}
};

// A virtio-mmio slot with nothing plugged in, as QEMU's virt has them: the transport answers with
// its magic and version and device id 0, which drivers skip (virtio-mmio spec 4.2.2). The device
// tree lists all slots, so the kernel probes each.
class EmptyVirtioSlot final : public core::MmioDevice {
 public:
  uint64_t Read(uint64_t offset, unsigned size) override {
    if (size != 4) return 0;
    switch (offset) {
      case 0x000: return 0x74726976;  // "virt"
      case 0x004: return 2;           // version 2 (virtio 1.x)
      case 0x00c: return 0x4d565950;  // vendor "PYVM", as device::virtio::VirtioMmio
      default: return 0;              // device id 0: no device
    }
  }
  void Write(uint64_t, unsigned, uint64_t) override {}
  std::string_view Name() const override { return "virtio-mmio (empty)"; }
};

}  // namespace

// One window of the physical map. The map and the harts' TLBs keep pointing at the slot, so a
// reset can plug a new device in (with no hart running). Observed windows tell the machine after
// each write (the finisher's power request, a panic report, a CLINT timer compare that moved):
// the runtime must look again.
class VirtMachine::Slot final : public core::MmioDevice {
 public:
  Slot(VirtMachine& machine, bool observed) : machine_(machine), observed_(observed) {}
  void Plug(core::MmioDevice* device) { inner_ = device; }
  uint64_t Read(uint64_t offset, unsigned size) override { return inner_->Read(offset, size); }
  void Write(uint64_t offset, unsigned size, uint64_t value) override {
    inner_->Write(offset, size, value);
    if (observed_) machine_.Notify();
  }
  std::string_view Name() const override { return inner_->Name(); }

 private:
  VirtMachine& machine_;
  bool observed_;
  core::MmioDevice* inner_ = nullptr;
};

VirtMachine::VirtMachine() = default;

VirtMachine::~VirtMachine() {
  // Devices first (virtio transports stop their I/O threads, which write RAM and raise lines),
  // then the memory they point into.
  DestroyDevices();
  if (ram_ != nullptr) munmap(ram_, ram_size_);
  if (rom_ != nullptr) munmap(rom_, kVirtRomSize);
}

std::unique_ptr<VirtMachine> VirtMachine::Create(const VirtMachineConfig& config,
                                                 std::string* error) {
  std::unique_ptr<VirtMachine> m(new VirtMachine());
  if (!m->Build(config, error)) return nullptr;
  return m;
}

bool VirtMachine::Build(const VirtMachineConfig& config, std::string* error) {
  if (config.harts == 0 || config.harts > kVirtMaxHarts) {
    *error =
        fmt::format("virt: {} harts requested; 1 to {} are supported", config.harts, kVirtMaxHarts);
    return false;
  }
  if (config.ram_size < (2ull << 20) || config.ram_size % 4096 != 0 ||
      config.ram_size > (64ull << 30)) {
    *error = "virt: RAM size must be a multiple of 4 KiB between 2 MiB and 64 GiB";
    return false;
  }
  const size_t virtio_count = config.drives.size() + (config.net ? 1 : 0) + (config.rng ? 1 : 0) +
                              (config.console != nullptr ? 1 : 0);
  if (virtio_count > kVirtMaxVirtio) {
    *error = fmt::format("virt: {} virtio devices requested; the board has {} slots", virtio_count,
                         kVirtMaxVirtio);
    return false;
  }
  config_ = config;

  // Images first: a missing file is the most likely mistake.
  if (!config.firmware.empty() && !ReadFile(config.firmware, "firmware", &firmware_, error)) {
    return false;
  }
  if (config.kernel.empty()) {
    *error = "virt: no kernel given";
    return false;
  }
  if (!ReadFile(config.kernel, "kernel", &kernel_, error)) return false;
  if (!config.initrd.empty() && !ReadFile(config.initrd, "initrd", &initrd_, error)) return false;

  VirtConfig fdt_config;
  fdt_config.harts = config.harts;
  fdt_config.ram_size = config.ram_size;
  fdt_config.bootargs = config.bootargs;
  if (!PlanVirtBoot(fdt_config, firmware_.size(), KernelMemSize(kernel_), initrd_.size(), &plan_,
                    error)) {
    return false;
  }
  fdt_ = BuildVirtFdt(fdt_config, error);
  if (fdt_.empty()) return false;

  ram_size_ = config.ram_size;
  ram_ = MapAnonymous(ram_size_);
  rom_ = MapAnonymous(kVirtRomSize);
  if (ram_ == nullptr || rom_ == nullptr) {
    *error =
        fmt::format("virt: cannot map {} MiB of guest RAM: {}", ram_size_ >> 20, strerror(errno));
    return false;
  }
  if (!LoadImages(error)) return false;
  if (!phys_.AddRam(kVirtRamBase, ram_, ram_size_, error) ||
      !phys_.AddRam(kVirtRomBase, rom_, kVirtRomSize, error)) {
    return false;
  }

  // Harts and the wires into them.
  std::vector<Clint::HartLines> clint_lines;
  for (unsigned h = 0; h < config.harts; ++h) {
    harts_.push_back(std::make_unique<VirtHart>(h, phys_, clock_));
    HartState& s = harts_.back()->state();
    harts_.back()->SetTimerListener([this] { Notify(); });
    for (unsigned irq : {kIrqMsi, kIrqMti, kIrqMei, kIrqSei}) {
      hart_lines_.push_back(std::make_unique<HartIrqLine>(s, irq));
    }
    const size_t base = hart_lines_.size() - 4;
    clint_lines.push_back({hart_lines_[base].get(), hart_lines_[base + 1].get()});
    plic_outputs_.push_back(hart_lines_[base + 2].get());
    plic_outputs_.push_back(hart_lines_[base + 3].get());
  }
  clint_ = std::make_unique<Clint>(clock_, std::move(clint_lines));

  // The windows, fixed for the machine's life; the CLINT, the finisher and pvpanic live as long.
  auto window = [&](uint64_t base, uint64_t size, bool observed) -> Slot* {
    auto slot = std::make_unique<Slot>(*this, observed);
    if (!phys_.AddMmio(base, size, slot.get(), error)) return nullptr;
    slots_.push_back(std::move(slot));
    return slots_.back().get();
  };
  plic_slot_ = window(kVirtPlicBase, VirtPlicSize(config.harts), false);
  Slot* clint_slot = window(kVirtClintBase, Clint::kWindowSize, true);
  Slot* test_slot = window(kVirtTestBase, SysconTest::kWindowSize, true);
  Slot* pvpanic_slot = window(kVirtPvPanicBase, device::PvPanic::kWindowSize, true);
  uart_slot_ = window(kVirtUartBase, kVirtUartSize, false);
  if (!plic_slot_ || !clint_slot || !test_slot || !pvpanic_slot || !uart_slot_) return false;
  clint_slot->Plug(clint_.get());
  test_slot->Plug(&syscon_);
  pvpanic_slot->Plug(&pvpanic_);
  for (unsigned i = 0; i < kVirtMaxVirtio; ++i) {
    virtio_slots_.push_back(
        window(kVirtVirtioBase + kVirtVirtioStride * i, kVirtVirtioStride, false));
    if (!virtio_slots_.back()) return false;
  }
  if (!CreateDevices(error)) return false;
  for (const auto& region : phys_.regions()) {
    if (!region.IsRam())
      summary_.push_back(fmt::format("{:#010x} {}", region.base, region.device->Name()));
  }

  ResetHarts();
  return true;
}

bool VirtMachine::LoadImages(std::string* error) {
  return LoadVirtBoot(plan_, {ram_, ram_size_}, {rom_, kVirtRomSize}, firmware_, kernel_, initrd_,
                      fdt_, error);
}

bool VirtMachine::CreateDevices(std::string* error) {
  auto plic = std::make_unique<device::Plic>(kVirtPlicSources, plic_outputs_);
  device::Plic& plic_ref = *plic;
  plic_slot_->Plug(plic.get());
  devices_.push_back(std::move(plic));

  static NullCharBackend null_backend;
  device::CharBackend& serial = config_.serial ? *config_.serial : null_backend;
  devices_.push_back(std::make_unique<device::Uart16550>(serial, plic_ref.Source(kVirtUartIrq)));
  uart_slot_->Plug(devices_.back().get());

  // virtio slots in a fixed order: drives (vda, vdb, ...), network, entropy, console.
  // Devices reach main RAM only (not the boot ROM, which sorts first in the physical map).
  core::GuestRam dma(kVirtRamBase, ram_, ram_size_);
  dma.set_write_observer(this);
  unsigned slot = 0;
  auto add_virtio = [&](std::unique_ptr<device::virtio::VirtioDevice> dev) {
    if (!dev) return false;
    core::IrqLine& irq = plic_ref.Source(kVirtVirtioFirstIrq + slot);
    devices_.push_back(std::make_unique<device::virtio::VirtioMmio>(std::move(dev), dma, irq));
    virtio_slots_[slot++]->Plug(devices_.back().get());
    return true;
  };
  for (const device::virtio::BlkOptions& drive : config_.drives) {
    if (!add_virtio(device::virtio::MakeVirtioBlk(drive, error))) return false;
  }
  if (config_.net && !add_virtio(device::virtio::MakeVirtioNet(*config_.net, error))) return false;
  if (config_.rng && !add_virtio(device::virtio::MakeVirtioRng())) return false;
  if (config_.console != nullptr &&
      !add_virtio(device::virtio::MakeVirtioConsole(*config_.console))) {
    return false;
  }
  for (; slot < kVirtMaxVirtio; ++slot) {
    devices_.push_back(std::make_unique<EmptyVirtioSlot>());
    virtio_slots_[slot]->Plug(devices_.back().get());
  }
  return true;
}

void VirtMachine::DestroyDevices() {
  // Newest first: the virtio transports (whose I/O threads raise PLIC lines) before the PLIC.
  while (!devices_.empty()) devices_.pop_back();
}

bool VirtMachine::Reset(std::string* error) {
  DestroyDevices();
  clock_.SetTicks(0);  // QEMU's virt starts mtime from 0 again after a reset
  clint_->Reset();
  syscon_.Reset();
  pvpanic_.Reset();
  for (auto& h : harts_) h->state().mip_lines.store(0, std::memory_order_seq_cst);
  // Fresh zero pages for RAM and ROM, then the images as at power-on.
  if (madvise(ram_, ram_size_, MADV_DONTNEED) != 0 ||
      madvise(rom_, kVirtRomSize, MADV_DONTNEED) != 0) {
    *error = fmt::format("virt: reset: cannot clear guest RAM: {}", strerror(errno));
    return false;
  }
  if (!LoadImages(error) || !CreateDevices(error)) return false;
  ResetHarts();
  ++resets_;
  OnDmaWrite(kVirtRomBase, kVirtRomSize);
  OnDmaWrite(kVirtRamBase, ram_size_);
  return true;
}

void VirtMachine::ResetHarts() {
  for (auto& h : harts_) h->Reset(plan_);
}

void VirtMachine::SetEventListener(std::function<void()> on_event) {
  on_event_ = std::move(on_event);
}

void VirtMachine::SetDmaWriteListener(std::function<void(uint64_t, uint64_t)> on_dma_write) {
  on_dma_write_ = std::move(on_dma_write);
}

void VirtMachine::Notify() {
  if (on_event_) on_event_();
}

void VirtMachine::OnDmaWrite(uint64_t gpa, uint64_t len) {
  if (on_dma_write_) on_dma_write_(gpa, len);
}

std::vector<std::string> VirtMachine::DeviceSummary() const { return summary_; }

}  // namespace polyvm::machine::riscv64
