// Boot image placement and fw_dynamic_info, with the layout rules of QEMU's riscv boot code and
// the structure of OpenSBI's include/sbi/fw_dynamic.h (magic "OSBI" = 0x4942534f, version 2).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "polyvm/machine/riscv64/virt.h"

namespace polyvm::machine::riscv64 {
namespace {

// A Linux RISC-V Image header (Documentation/riscv/boot-image-header.rst) for a kernel whose
// loaded size (bss included) is mem_size.
std::vector<uint8_t> FakeImage(size_t file_size, uint64_t mem_size) {
  std::vector<uint8_t> img(file_size, 0);
  std::memcpy(&img[16], &mem_size, 8);
  std::memcpy(&img[48], "RISCV\0\0\0", 8);
  std::memcpy(&img[56], "RSC\x05", 4);
  return img;
}

TEST(VirtBoot, KernelMemSizeComesFromTheImageHeader) {
  EXPECT_EQ(KernelMemSize(FakeImage(4096, 0x1400000)), 0x1400000u);
  std::vector<uint8_t> raw(100, 0x13);
  EXPECT_EQ(KernelMemSize(raw), 100u) << "no header: a flat binary";
}

TEST(VirtBoot, LayoutFollowsQemu) {
  VirtConfig c;
  c.ram_size = 256ull << 20;
  VirtBootPlan p;
  std::string error;
  ASSERT_TRUE(PlanVirtBoot(c, 0x1a000 /* ~fw_dynamic.bin */, 0x1400000, 0x300123, &p, &error))
      << error;
  EXPECT_EQ(p.firmware, 0x80000000u);
  EXPECT_EQ(p.kernel, 0x80200000u) << "next 2 MiB boundary after the firmware";
  EXPECT_EQ(p.kernel_end, 0x81600000u);
  EXPECT_EQ(p.fdt, 0x8fe00000u) << "2 MiB aligned below the end of RAM";
  EXPECT_EQ(p.initrd % 4096, 0u);
  EXPECT_LE(p.initrd + p.initrd_size, p.fdt);
  EXPECT_EQ(c.initrd_start, p.initrd);
  EXPECT_EQ(c.initrd_end, p.initrd + 0x300123);
}

TEST(VirtBoot, RefusesImagesThatDoNotFit) {
  VirtConfig c;
  c.ram_size = 32ull << 20;
  VirtBootPlan p;
  std::string error;
  EXPECT_FALSE(PlanVirtBoot(c, 0x1a000, 0x1400000, 16 << 20, &p, &error));
  EXPECT_NE(error.find("do not fit"), std::string::npos) << error;
}

// Found by virt_boot_fuzz: sizes near 2^64 (an Image header's image_size is any 64-bit value)
// made the placement sums wrap, and the plan was accepted with the kernel ending below its start.
TEST(VirtBoot, RefusesSizesThatWouldWrapTheLayout) {
  VirtConfig c;
  c.ram_size = 256ull << 20;
  VirtBootPlan p;
  std::string error;
  EXPECT_FALSE(PlanVirtBoot(c, 0x1a000, ~uint64_t{0} - 0x80000000, 0, &p, &error));
  EXPECT_NE(error.find("do not fit"), std::string::npos) << error;
  EXPECT_FALSE(PlanVirtBoot(c, 0xfffbffffffffffff, 0x1000, 0, &p, &error));
  EXPECT_FALSE(PlanVirtBoot(c, 0x1000, 0x1000, ~uint64_t{0} - 0x1000, &p, &error));
  c.ram_size = 0x0059000010000000;  // absurd RAM: ram_end itself must not wrap
  EXPECT_FALSE(PlanVirtBoot(c, 0x1000, 0x1000, 0, &p, &error));
  // A header claiming such a size is taken at its word, and then refused.
  std::vector<uint8_t> img(4096, 0);
  const uint64_t huge = ~uint64_t{0} - 0x7fffffff;
  std::memcpy(&img[16], &huge, 8);
  std::memcpy(&img[56], "RSC\x05", 4);
  c.ram_size = 256ull << 20;
  EXPECT_FALSE(PlanVirtBoot(c, 0x1a000, KernelMemSize(img), 0, &p, &error));
}

TEST(VirtBoot, LoadsImagesAndFwDynamicInfo) {
  VirtConfig c;
  c.ram_size = 64ull << 20;
  std::vector<uint8_t> ram(c.ram_size), rom(kVirtRomSize);
  std::vector<uint8_t> fw(0x1000, 0xaa), initrd(0x2000, 0xcc), fdt(0x100, 0xdd);
  std::vector<uint8_t> kernel = FakeImage(0x3000, 0x10000);
  VirtBootPlan p;
  std::string error;
  ASSERT_TRUE(PlanVirtBoot(c, fw.size(), KernelMemSize(kernel), initrd.size(), &p, &error));
  ASSERT_TRUE(LoadVirtBoot(p, ram, rom, fw, kernel, initrd, fdt, &error)) << error;
  EXPECT_EQ(ram[0], 0xaa);
  EXPECT_EQ(std::memcmp(&ram[p.kernel - kVirtRamBase + 56], "RSC\x05", 4), 0);
  EXPECT_EQ(ram[p.initrd - kVirtRamBase], 0xcc);
  EXPECT_EQ(ram[p.fdt - kVirtRamBase], 0xdd);
  uint64_t info[6];
  std::memcpy(info, &rom[p.fw_dynamic_info - kVirtRomBase], sizeof info);
  EXPECT_EQ(info[0], 0x4942534fu);  // FW_DYNAMIC_INFO_MAGIC_VALUE
  EXPECT_EQ(info[1], 2u);           // FW_DYNAMIC_INFO_VERSION_2
  EXPECT_EQ(info[2], p.kernel);     // next_addr
  EXPECT_EQ(info[3], 1u);           // FW_DYNAMIC_INFO_NEXT_MODE_S
  EXPECT_EQ(info[4], 0u);           // options
}

}  // namespace
}  // namespace polyvm::machine::riscv64
