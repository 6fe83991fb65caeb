// polyvm's RISC-V "virt" machine: QEMU virt's memory map and interrupt numbers (so firmware and
// kernels built for it run unchanged), its device tree, and the boot image layout OpenSBI's
// fw_dynamic expects. The CPU and device wiring around it lives in the boot command (later).
//
//   0x00001000  boot ROM (fw_dynamic_info)     0x10000000  16550 UART (PLIC source 10)
//   0x00100000  sifive,test0 / syscon          0x10001000  virtio-mmio slots, 0x1000 apart
//   0x02000000  CLINT                                      (PLIC sources 1..8)
//   0x0c000000  PLIC                           0x80000000  RAM
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace polyvm::machine::riscv64 {

inline constexpr uint64_t kVirtRomBase = 0x1000, kVirtRomSize = 0xf000;
inline constexpr uint64_t kVirtTestBase = 0x100000;
inline constexpr uint64_t kVirtClintBase = 0x2000000;
inline constexpr uint64_t kVirtPlicBase = 0xc000000;
inline constexpr uint64_t kVirtUartBase = 0x10000000, kVirtUartSize = 0x100;
inline constexpr uint64_t kVirtVirtioBase = 0x10001000, kVirtVirtioStride = 0x1000;
// pvpanic (QEMU's virt has none by default; this page is free in its map, after fw_cfg's).
inline constexpr uint64_t kVirtPvPanicBase = 0x10200000;
inline constexpr uint64_t kVirtRamBase = 0x80000000;
inline constexpr unsigned kVirtUartIrq = 10, kVirtVirtioFirstIrq = 1, kVirtMaxVirtio = 8;
inline constexpr unsigned kVirtPlicSources = 96;  // riscv,ndev, as QEMU 7.2's virt
inline constexpr unsigned kVirtMaxHarts = 8;
inline constexpr uint64_t kVirtMaxRamSize = uint64_t{1} << 40;  // far above what a host has

// PLIC window for `harts` harts: contexts 2h (M) and 2h+1 (S) per hart (QEMU virt's layout).
constexpr uint64_t VirtPlicSize(unsigned harts) { return 0x200000 + 0x1000 * 2 * uint64_t{harts}; }

struct VirtConfig {
  unsigned harts = 1;
  uint64_t ram_size = 256ull << 20;
  std::string bootargs;
  unsigned virtio_slots = kVirtMaxVirtio;  // slots described in the device tree
  bool sstc = true;                        // advertise Sstc (stimecmp) in riscv,isa
  // Filled in by PlanVirtBoot when there is an initrd (both 0: none).
  uint64_t initrd_start = 0, initrd_end = 0;
};

// The device tree (DTB) for a configuration, or empty with *error set.
std::vector<uint8_t> BuildVirtFdt(const VirtConfig& config, std::string* error);

// Where each boot image goes in RAM (spec of OpenSBI's fw_dynamic: a0 = hart id, a1 = the device
// tree, a2 = fw_dynamic_info; the firmware jumps to next_addr in S-mode).
struct VirtBootPlan {
  uint64_t firmware = kVirtRamBase;
  uint64_t kernel = 0, kernel_end = 0;  // 2 MiB aligned after the firmware; end includes bss
  uint64_t initrd = 0, initrd_size = 0;
  uint64_t fdt = 0;              // 2 MiB aligned near the top of RAM, as QEMU does
  uint64_t fw_dynamic_info = 0;  // in the boot ROM
};

inline constexpr uint64_t kFdtMaxSize = 64 << 10;

// Lays out firmware, kernel and initrd (sizes in bytes; kernel_mem_size from the Image header)
// and records the initrd range in `config`. False with *error set when they do not fit.
bool PlanVirtBoot(VirtConfig& config, uint64_t firmware_size, uint64_t kernel_mem_size,
                  uint64_t initrd_size, VirtBootPlan* plan, std::string* error);

// The memory a RISC-V Linux Image occupies when loaded (its header's image_size, bss included),
// or, for a file without the Image header (a bare-metal binary), its size. 0 if image is empty.
uint64_t KernelMemSize(std::span<const uint8_t> image);

// OpenSBI's struct fw_dynamic_info (version 2), little-endian in guest memory.
struct FwDynamicInfo {
  uint64_t magic = 0x4942534f;  // "OSBI"
  uint64_t version = 2;
  uint64_t next_addr = 0;
  uint64_t next_mode = 1;  // S-mode
  uint64_t options = 0;
  uint64_t boot_hart = ~uint64_t{0};  // any hart: OpenSBI's lottery picks the boot hart
};
static_assert(sizeof(FwDynamicInfo) == 48);

// Copies the images into RAM (host view of [kVirtRamBase, + ram_size)) and fw_dynamic_info into
// the boot ROM (host view of [kVirtRomBase, + kVirtRomSize)) as the plan says.
bool LoadVirtBoot(const VirtBootPlan& plan, std::span<uint8_t> ram, std::span<uint8_t> rom,
                  std::span<const uint8_t> firmware, std::span<const uint8_t> kernel,
                  std::span<const uint8_t> initrd, std::span<const uint8_t> fdt,
                  std::string* error);

}  // namespace polyvm::machine::riscv64
