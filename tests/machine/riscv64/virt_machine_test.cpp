// The assembled virt board: images where virt_boot says, harts reset for fw_dynamic, devices at
// QEMU virt's addresses (checked through the physical map, as a hart's loads and stores reach
// them), the UART on its backend, the finisher's power requests reported to the listener, virtio
// identification registers (virtio 1.x, 4.2.2), and clear errors for bad configurations.
#include "polyvm/machine/riscv64/virt_machine.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>

#include "polyvm/device/memory_char_backend.h"

namespace polyvm::machine::riscv64 {
namespace {

class TempFile {
 public:
  explicit TempFile(const std::vector<uint8_t>& bytes) {
    char tmpl[] = "/tmp/polyvm-virt-XXXXXX";
    int fd = mkstemp(tmpl);
    path_ = tmpl;
    EXPECT_EQ(write(fd, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
    close(fd);
  }
  ~TempFile() { unlink(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

uint64_t Read(const mem::PhysicalMap& phys, uint64_t pa, unsigned size) {
  const mem::PhysicalRegion* r = phys.Find(pa);
  EXPECT_NE(r, nullptr) << std::hex << pa;
  if (r == nullptr) return 0;
  if (r->IsRam()) {
    uint64_t v = 0;
    std::memcpy(&v, r->host + (pa - r->base), size);
    return v;
  }
  return r->device->Read(pa - r->base, size);
}

void Write(const mem::PhysicalMap& phys, uint64_t pa, unsigned size, uint64_t value) {
  const mem::PhysicalRegion* r = phys.Find(pa);
  ASSERT_NE(r, nullptr);
  ASSERT_FALSE(r->IsRam());
  r->device->Write(pa - r->base, size, value);
}

TEST(VirtMachine, BareMetalImageDevicesAndPower) {
  const std::vector<uint8_t> program = {0x73, 0x00, 0x50, 0x10};  // wfi
  TempFile kernel(program);
  device::MemoryCharBackend serial;
  VirtMachineConfig c;
  c.harts = 2;
  c.ram_size = 64ull << 20;
  c.firmware = "";  // --bios none
  c.kernel = kernel.path();
  c.serial = &serial;
  c.rng = true;
  std::string error;
  auto m = VirtMachine::Create(c, &error);
  ASSERT_TRUE(m) << error;
  const mem::PhysicalMap& phys = m->physical_map();

  // Without firmware the image sits at the start of RAM and every hart starts there.
  EXPECT_EQ(Read(phys, kVirtRamBase, 4), 0x10500073u);
  ASSERT_EQ(m->num_harts(), 2u);
  for (unsigned h = 0; h < 2; ++h) {
    HartState& s = m->hart(h).state();
    EXPECT_EQ(s.cpu.hdr.pc, kVirtRamBase);
    EXPECT_EQ(s.cpu.x[10], h);
    EXPECT_EQ(s.cpu.x[11], m->boot_plan().fdt);
    EXPECT_EQ(s.priv, Priv::kMachine);
  }
  // The device tree blob (big-endian magic 0xd00dfeed) where a1 points.
  EXPECT_EQ(__builtin_bswap32(static_cast<uint32_t>(Read(phys, m->boot_plan().fdt, 4))),
            0xd00dfeedu);
  // OpenSBI's fw_dynamic_info in the boot ROM: magic "OSBI", version 2.
  EXPECT_EQ(Read(phys, kVirtRomBase, 8), 0x4942534fu);
  EXPECT_EQ(Read(phys, kVirtRomBase + 8, 8), 2u);

  // UART: THR at 0x10000000, LSR (THR empty 0x20, transmitter empty 0x40) at +5.
  Write(phys, kVirtUartBase, 1, 'A');
  EXPECT_EQ(serial.TakeOutput(), "A");
  EXPECT_EQ(Read(phys, kVirtUartBase + 5, 1) & 0x60, 0x60u);

  // CLINT mtime at 0xbff8 advances; a write to mtimecmp tells the listener.
  int events = 0;
  m->SetEventListener([&] { ++events; });
  const uint64_t t0 = Read(phys, kVirtClintBase + 0xbff8, 8);
  usleep(1000);
  EXPECT_GT(Read(phys, kVirtClintBase + 0xbff8, 8), t0);
  Write(phys, kVirtClintBase + 0x4000, 8, ~uint64_t{0});
  EXPECT_EQ(events, 1);

  // virtio slot 0: magic "virt", version 2, device id 4 (entropy); slots 1-7: empty (id 0).
  EXPECT_EQ(Read(phys, kVirtVirtioBase, 4), 0x74726976u);
  EXPECT_EQ(Read(phys, kVirtVirtioBase + 4, 4), 2u);
  EXPECT_EQ(Read(phys, kVirtVirtioBase + 8, 4), 4u);
  for (unsigned slot = 1; slot < kVirtMaxVirtio; ++slot) {
    const uint64_t base = kVirtVirtioBase + kVirtVirtioStride * slot;
    EXPECT_EQ(Read(phys, base, 4), 0x74726976u);
    EXPECT_EQ(Read(phys, base + 4, 4), 2u);
    EXPECT_EQ(Read(phys, base + 8, 4), 0u);
  }

  // PLIC: priority of the UART's source is writable (3 bits).
  Write(phys, kVirtPlicBase + 4 * kVirtUartIrq, 4, 5);
  EXPECT_EQ(Read(phys, kVirtPlicBase + 4 * kVirtUartIrq, 4), 5u);

  // The finisher: power-off with failure code 3 (0x3333 | 3 << 16).
  EXPECT_EQ(m->power_request(), SysconTest::Request::kNone);
  Write(phys, kVirtTestBase, 4, 0x3333 | (3 << 16));
  EXPECT_EQ(m->power_request(), SysconTest::Request::kPowerOff);
  EXPECT_EQ(m->power_exit_code(), 3u);
  EXPECT_EQ(events, 2);
}

TEST(VirtMachine, LinuxLayoutWithFirmware) {
  std::vector<uint8_t> firmware(100 * 1024, 0x13);  // nops
  std::vector<uint8_t> kernel(3 * 1024 * 1024, 0);
  std::vector<uint8_t> initrd(5000, 0xab);
  TempFile fw(firmware), k(kernel), rd(initrd);
  VirtMachineConfig c;
  c.firmware = fw.path();
  c.kernel = k.path();
  c.initrd = rd.path();
  c.bootargs = "console=ttyS0";
  std::string error;
  auto m = VirtMachine::Create(c, &error);
  ASSERT_TRUE(m) << error;
  const VirtBootPlan& p = m->boot_plan();
  EXPECT_EQ(p.firmware, kVirtRamBase);
  EXPECT_EQ(p.kernel, kVirtRamBase + (2 << 20));  // next 2 MiB boundary after the firmware
  EXPECT_EQ(m->hart(0).state().cpu.hdr.pc, kVirtRamBase);
  EXPECT_EQ(m->hart(0).state().cpu.x[12], p.fw_dynamic_info);
  EXPECT_EQ(Read(m->physical_map(), p.initrd, 1), 0xabu);
  // fw_dynamic_info.next_addr = the kernel, next_mode = S.
  EXPECT_EQ(Read(m->physical_map(), p.fw_dynamic_info + 16, 8), p.kernel);
  EXPECT_EQ(Read(m->physical_map(), p.fw_dynamic_info + 24, 8), 1u);
}

// A machine reset (the finisher's 0x7777 with reboot on) puts everything the guest changed back
// to power-on: RAM cleared and the images reloaded, devices new (registers at their reset values,
// interrupt wires low), CLINT and finisher cleared, mtime from 0, harts at the firmware entry.
TEST(VirtMachine, ResetRestoresThePowerOnState) {
  const std::vector<uint8_t> program = {0x73, 0x00, 0x50, 0x10};  // wfi
  TempFile kernel(program);
  device::MemoryCharBackend serial;
  VirtMachineConfig c;
  c.harts = 2;
  c.ram_size = 16ull << 20;
  c.firmware = "";
  c.kernel = kernel.path();
  c.serial = &serial;
  c.rng = true;
  std::string error;
  auto m = VirtMachine::Create(c, &error);
  ASSERT_TRUE(m) << error;
  const mem::PhysicalMap& phys = m->physical_map();
  std::vector<std::pair<uint64_t, uint64_t>> dma;
  m->SetDmaWriteListener([&](uint64_t gpa, uint64_t len) { dma.push_back({gpa, len}); });
  const uint64_t fdt_word = Read(phys, m->boot_plan().fdt, 4);

  // What a guest leaves behind: RAM and ROM overwritten, an interrupt routed from the UART
  // through the PLIC to hart 0's MEIP, a virtio status, CLINT registers, a reset request, harts
  // elsewhere.
  const mem::PhysicalRegion* ram = phys.Find(kVirtRamBase);
  const mem::PhysicalRegion* rom = phys.Find(kVirtRomBase);
  ASSERT_TRUE(ram && ram->IsRam() && rom && rom->IsRam());
  std::memset(ram->host, 0xee, 2 << 20);
  std::memset(rom->host, 0xee, 64);
  Write(phys, kVirtPlicBase + 4 * kVirtUartIrq, 4, 1);         // priority 1
  Write(phys, kVirtPlicBase + 0x2000, 4, 1u << kVirtUartIrq);  // enabled for hart 0's M context
  Write(phys, kVirtUartBase + 1, 1, 2);                        // IER: THR empty
  EXPECT_NE(m->hart(0).state().mip_lines.load() & kMipMeip, 0u);
  Write(phys, kVirtVirtioBase + 0x70, 4, 1);  // ACKNOWLEDGE
  Write(phys, kVirtClintBase, 4, 1);          // msip hart 0
  Write(phys, kVirtClintBase + 0x4008, 8, 5);
  Write(phys, kVirtClintBase + 0xbff8, 8, uint64_t{1} << 40);
  Write(phys, kVirtTestBase, 4, 0x7777);
  EXPECT_EQ(m->power_request(), SysconTest::Request::kReset);
  for (unsigned h = 0; h < 2; ++h) {
    m->hart(h).state().priv = Priv::kSupervisor;
    m->hart(h).state().cpu.hdr.pc = 0x80001234;
    m->hart(h).state().csr.satp = uint64_t{8} << 60;
  }

  ASSERT_TRUE(m->Reset(&error)) << error;
  EXPECT_EQ(m->resets(), 1u);
  EXPECT_EQ(Read(phys, kVirtRamBase, 4), 0x10500073u) << "the image is loaded again";
  EXPECT_EQ(Read(phys, kVirtRamBase + (1 << 20), 8), 0u) << "the rest of RAM is cleared";
  EXPECT_EQ(Read(phys, m->boot_plan().fdt, 4), fdt_word);
  EXPECT_EQ(Read(phys, kVirtRomBase, 8), 0x4942534fu) << "fw_dynamic_info again";
  EXPECT_EQ(Read(phys, kVirtPlicBase + 4 * kVirtUartIrq, 4), 0u);
  EXPECT_EQ(Read(phys, kVirtPlicBase + 0x2000, 4), 0u);
  EXPECT_EQ(Read(phys, kVirtUartBase + 1, 1), 0u);
  EXPECT_EQ(Read(phys, kVirtVirtioBase + 0x70, 4), 0u);
  EXPECT_EQ(Read(phys, kVirtVirtioBase + 8, 4), 4u) << "still the entropy device";
  EXPECT_EQ(Read(phys, kVirtClintBase, 4), 0u);
  EXPECT_EQ(Read(phys, kVirtClintBase + 0x4008, 8), ~uint64_t{0});
  EXPECT_LT(Read(phys, kVirtClintBase + 0xbff8, 8), uint64_t{1} << 40);
  EXPECT_EQ(m->power_request(), SysconTest::Request::kNone);
  for (unsigned h = 0; h < 2; ++h) {
    HartState& s = m->hart(h).state();
    EXPECT_EQ(s.mip_lines.load(), 0u) << "hart " << h;
    EXPECT_EQ(s.priv, Priv::kMachine);
    EXPECT_EQ(s.cpu.hdr.pc, kVirtRamBase);
    EXPECT_EQ(s.cpu.x[10], h);
    EXPECT_EQ(s.cpu.x[11], m->boot_plan().fdt);
    EXPECT_EQ(s.csr.satp, 0u);
  }
  // The UART works on its backend again; the runtime heard that all of RAM and ROM changed.
  Write(phys, kVirtUartBase, 1, 'B');
  EXPECT_EQ(serial.TakeOutput(), "B");
  EXPECT_NE(std::find(dma.begin(), dma.end(), std::make_pair(kVirtRamBase, c.ram_size)), dma.end());
  EXPECT_NE(std::find(dma.begin(), dma.end(), std::make_pair(kVirtRomBase, kVirtRomSize)),
            dma.end());
}

TEST(VirtMachine, Errors) {
  TempFile kernel({0x73, 0x00, 0x50, 0x10});
  std::string error;
  VirtMachineConfig c;
  c.firmware = "";
  c.kernel = "/nonexistent/Image";
  EXPECT_FALSE(VirtMachine::Create(c, &error));
  EXPECT_NE(error.find("cannot read kernel /nonexistent/Image"), std::string::npos) << error;

  c.kernel = kernel.path();
  c.harts = 9;
  EXPECT_FALSE(VirtMachine::Create(c, &error));
  EXPECT_EQ(error, "virt: 9 harts requested; 1 to 8 are supported");

  c.harts = 1;
  c.drives.push_back({"/nonexistent/disk.img", false, ""});
  EXPECT_FALSE(VirtMachine::Create(c, &error));
  EXPECT_NE(error.find("/nonexistent/disk.img"), std::string::npos) << error;
}

}  // namespace
}  // namespace polyvm::machine::riscv64

namespace polyvm::machine::riscv64 {
namespace {

// OpenSBI's reset driver writes the finisher with 16-bit stores (writew), as QEMU's sifive_test
// accepts; Linux's syscon drivers use 32 bits. Byte writes mean nothing.
TEST(SysconTest, SixteenAndThirtyTwoBitWrites) {
  SysconTest a;
  a.Write(0, 1, 0x55);
  EXPECT_EQ(a.request(), SysconTest::Request::kNone);
  a.Write(0, 2, 0x7777);
  EXPECT_EQ(a.request(), SysconTest::Request::kReset);
  SysconTest b;
  b.Write(0, 2, 0x5555);
  EXPECT_EQ(b.request(), SysconTest::Request::kPowerOff);
  EXPECT_EQ(b.exit_code(), 0u);
  SysconTest c;
  c.Write(0, 4, 0x3333 | (5 << 16));
  EXPECT_EQ(c.request(), SysconTest::Request::kPowerOff);
  EXPECT_EQ(c.exit_code(), 5u);
}

}  // namespace
}  // namespace polyvm::machine::riscv64
