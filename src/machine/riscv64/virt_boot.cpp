// Boot image placement for the virt machine, as QEMU's riscv_boot does it: firmware at the start
// of RAM, the kernel at the next 2 MiB boundary after it (Linux requires 2 MiB alignment on RV64),
// the device tree 2 MiB aligned below the top of RAM, the initrd just below the device tree
// (page aligned), and fw_dynamic_info in the boot ROM. Everything is checked to fit without
// overlapping.
#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "polyvm/machine/riscv64/virt.h"

namespace polyvm::machine::riscv64 {
namespace {

constexpr uint64_t k2M = 2 << 20, k4K = 4096;
constexpr uint64_t AlignUp(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }
constexpr uint64_t AlignDown(uint64_t v, uint64_t a) { return v & ~(a - 1); }

// Linux's RISC-V Image header (Documentation/riscv/boot-image-header.rst).
constexpr size_t kImageSizeOffset = 16, kMagic2Offset = 56;
constexpr uint32_t kMagic2 = 0x05435352;  // "RSC\x05"

uint64_t Le64(std::span<const uint8_t> b, size_t at) {
  uint64_t v = 0;
  std::memcpy(&v, b.data() + at, 8);
  return v;
}

}  // namespace

uint64_t KernelMemSize(std::span<const uint8_t> image) {
  if (image.size() >= 64) {
    uint32_t magic2 = 0;
    std::memcpy(&magic2, image.data() + kMagic2Offset, 4);
    uint64_t size = Le64(image, kImageSizeOffset);
    if (magic2 == kMagic2 && size >= image.size()) return size;
  }
  return image.size();
}

bool PlanVirtBoot(VirtConfig& c, uint64_t firmware_size, uint64_t kernel_mem_size,
                  uint64_t initrd_size, VirtBootPlan* plan, std::string* error) {
  // The sizes come from files and from the kernel's Image header (any 64-bit value): each is
  // compared with the RAM before any sum is formed, so that none of the sums below can wrap.
  if (c.ram_size > kVirtMaxRamSize || firmware_size > c.ram_size || kernel_mem_size > c.ram_size ||
      initrd_size > c.ram_size) {
    *error = fmt::format(
        "virt: images do not fit in {} MiB of RAM (firmware {} B, kernel {} B, initrd {} B)",
        c.ram_size >> 20, firmware_size, kernel_mem_size, initrd_size);
    return false;
  }
  const uint64_t ram_end = kVirtRamBase + c.ram_size;
  VirtBootPlan p;
  p.firmware = kVirtRamBase;
  p.kernel = AlignUp(p.firmware + firmware_size, k2M);
  p.kernel_end = p.kernel + kernel_mem_size;
  // QEMU keeps the device tree below 3 GiB of RAM so 32-bit firmware could reach it.
  uint64_t fdt_limit = std::min<uint64_t>(ram_end, kVirtRamBase + (uint64_t{3} << 30));
  if (fdt_limit < kFdtMaxSize + kVirtRamBase) {
    *error = "virt: RAM too small for the device tree";
    return false;
  }
  p.fdt = AlignDown(fdt_limit - kFdtMaxSize, k2M);
  p.initrd_size = initrd_size;
  p.initrd = initrd_size ? AlignDown(p.fdt - initrd_size, k4K) : 0;
  uint64_t lowest_above_kernel = initrd_size ? p.initrd : p.fdt;
  if (p.kernel_end > lowest_above_kernel || (initrd_size && initrd_size > p.fdt - kVirtRamBase)) {
    *error = fmt::format(
        "virt: images do not fit in {} MiB of RAM (firmware {} B, kernel {} B, initrd {} B)",
        c.ram_size >> 20, firmware_size, kernel_mem_size, initrd_size);
    return false;
  }
  p.fw_dynamic_info = kVirtRomBase;
  c.initrd_start = p.initrd;
  c.initrd_end = initrd_size ? p.initrd + initrd_size : 0;
  *plan = p;
  return true;
}

bool LoadVirtBoot(const VirtBootPlan& p, std::span<uint8_t> ram, std::span<uint8_t> rom,
                  std::span<const uint8_t> firmware, std::span<const uint8_t> kernel,
                  std::span<const uint8_t> initrd, std::span<const uint8_t> fdt,
                  std::string* error) {
  auto place = [&](const char* what, uint64_t addr, std::span<const uint8_t> data) {
    if (data.empty()) return true;
    if (addr < kVirtRamBase || addr - kVirtRamBase > ram.size() ||
        data.size() > ram.size() - (addr - kVirtRamBase)) {
      *error = fmt::format("virt: {} at {:#x} (+{:#x}) is outside RAM", what, addr, data.size());
      return false;
    }
    std::memcpy(ram.data() + (addr - kVirtRamBase), data.data(), data.size());
    return true;
  };
  if (fdt.size() > kFdtMaxSize) {
    *error = "virt: device tree larger than its slot";
    return false;
  }
  if (!place("firmware", p.firmware, firmware) || !place("kernel", p.kernel, kernel) ||
      !place("initrd", p.initrd, initrd) || !place("device tree", p.fdt, fdt)) {
    return false;
  }
  FwDynamicInfo info;
  info.next_addr = p.kernel;
  if (p.fw_dynamic_info < kVirtRomBase || rom.size() < sizeof info ||
      p.fw_dynamic_info - kVirtRomBase > rom.size() - sizeof info) {
    *error = "virt: fw_dynamic_info outside the boot ROM";
    return false;
  }
  std::memcpy(rom.data() + (p.fw_dynamic_info - kVirtRomBase), &info, sizeof info);
  return true;
}

}  // namespace polyvm::machine::riscv64
