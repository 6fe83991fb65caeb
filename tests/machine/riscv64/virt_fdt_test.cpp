// The virt machine's device tree: valid for libfdt and for dtc (Debian's device-tree-compiler),
// describing the configured machine, and matching QEMU 7.2's own virt device tree (dumped with
// -M virt,dumpdtb=) on every node both describe: same paths, addresses, compatibles, interrupts.
#include <gtest/gtest.h>
#include <libfdt.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "polyvm/machine/riscv64/virt.h"

namespace polyvm::machine::riscv64 {
namespace {

std::string RunCommand(const std::string& cmd, int* status) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) {
    *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  *status = pclose(p);
  return out;
}

std::string TempPath(const char* name) {
  const char* dir = getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/polyvm-" + std::to_string(getpid()) + "-" + name;
}

void WriteFile(const std::string& path, const std::vector<uint8_t>& data) {
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

std::vector<uint8_t> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// The raw bytes of a property, or nullopt-like empty with found = false.
std::string Prop(const std::vector<uint8_t>& fdt, const char* path, const char* name, bool* found) {
  int node = fdt_path_offset(fdt.data(), path);
  int len = 0;
  const void* p = node < 0 ? nullptr : fdt_getprop(fdt.data(), node, name, &len);
  *found = p != nullptr;
  return p ? std::string(static_cast<const char*>(p), len) : std::string();
}

VirtConfig TwoHarts() {
  VirtConfig c;
  c.harts = 2;
  c.ram_size = 256ull << 20;
  c.bootargs = "console=ttyS0 earlycon";
  c.initrd_start = 0x8f000000;
  c.initrd_end = 0x8f123456;
  return c;
}

TEST(VirtFdt, IsValidAndDtcDecompilesIt) {
  std::string error;
  std::vector<uint8_t> dtb = BuildVirtFdt(TwoHarts(), &error);
  ASSERT_FALSE(dtb.empty()) << error;
  EXPECT_EQ(fdt_check_full(dtb.data(), dtb.size()), 0);
  std::string path = TempPath("virt.dtb");
  WriteFile(path, dtb);
  int status = 0;
  std::string dts = RunCommand("dtc -I dtb -O dts " + path + " 2>/dev/null", &status);
  std::remove(path.c_str());
  ASSERT_EQ(status, 0) << "dtc rejected the blob";
  for (const char* expected : {"memory@80000000 {",
                               "reg = <0x00 0x80000000 0x00 0x10000000>;",
                               "bootargs = \"console=ttyS0 earlycon\";",
                               "stdout-path = \"/soc/serial@10000000\";",
                               "linux,initrd-start = <0x00 0x8f000000>;",
                               "linux,initrd-end = <0x00 0x8f123456>;",
                               "timebase-frequency = <0x989680>;",
                               "cpu@0 {",
                               "cpu@1 {",
                               "mmu-type = \"riscv,sv48\";",
                               "riscv,isa = \"rv64imafdc_zicsr_zifencei_zba_zbb_zbs_sstc\";",
                               "compatible = \"riscv,cpu-intc\";",
                               "clint@2000000 {",
                               "interrupts-extended = <0x01 0x03 0x01 0x07 0x02 0x03 0x02 0x07>;",
                               "plic@c000000 {",
                               "riscv,ndev = <0x60>;",
                               "interrupts-extended = <0x01 0x0b 0x01 0x09 0x02 0x0b 0x02 0x09>;",
                               "reg = <0x00 0xc000000 0x00 0x204000>;",
                               "serial@10000000 {",
                               "virtio_mmio@10001000 {",
                               "virtio_mmio@10008000 {",
                               "compatible = \"syscon-poweroff\";",
                               "value = <0x5555>;"}) {
    EXPECT_NE(dts.find(expected), std::string::npos) << "missing: " << expected << "\n" << dts;
  }
  EXPECT_EQ(dts.find("virtio_mmio@10009000"), std::string::npos);
}

TEST(VirtFdt, RejectsBadConfigurations) {
  std::string error;
  VirtConfig c;
  c.harts = 0;
  EXPECT_TRUE(BuildVirtFdt(c, &error).empty());
  c.harts = kVirtMaxHarts + 1;
  EXPECT_TRUE(BuildVirtFdt(c, &error).empty());
  c.harts = 1;
  c.virtio_slots = 9;
  EXPECT_TRUE(BuildVirtFdt(c, &error).empty());
  EXPECT_NE(error.find("virtio"), std::string::npos);
}

TEST(VirtFdt, MatchesQemuVirtWhereBothDescribeTheSameDevice) {
  std::string path = TempPath("qemu.dtb");
  int status = 0;
  RunCommand("qemu-system-riscv64 -M virt,dumpdtb=" + path + " -smp 2 -m 256M -nographic 2>&1",
             &status);
  std::vector<uint8_t> qemu = ReadFile(path);
  std::remove(path.c_str());
  if (qemu.empty()) GTEST_SKIP() << "qemu-system-riscv64 is not available";
  std::string error;
  std::vector<uint8_t> ours = BuildVirtFdt(TwoHarts(), &error);
  ASSERT_FALSE(ours.empty()) << error;

  struct Check {
    const char* path;
    const char* prop;
  };
  const Check checks[] = {
      {"/", "#address-cells"},
      {"/", "compatible"},
      {"/memory@80000000", "reg"},
      {"/memory@80000000", "device_type"},
      {"/cpus", "timebase-frequency"},
      {"/cpus/cpu@0", "reg"},
      {"/cpus/cpu@1", "reg"},
      {"/cpus/cpu@0", "mmu-type"},
      {"/cpus/cpu@0/interrupt-controller", "compatible"},
      {"/soc", "compatible"},
      {"/soc/clint@2000000", "reg"},
      {"/soc/clint@2000000", "compatible"},
      {"/soc/plic@c000000", "compatible"},
      {"/soc/plic@c000000", "riscv,ndev"},
      {"/soc/serial@10000000", "reg"},
      {"/soc/serial@10000000", "interrupts"},
      {"/soc/serial@10000000", "compatible"},
      {"/soc/test@100000", "reg"},
      {"/soc/test@100000", "compatible"},
      {"/soc/virtio_mmio@10001000", "reg"},
      {"/soc/virtio_mmio@10001000", "interrupts"},
      {"/soc/virtio_mmio@10008000", "interrupts"},
      {"/poweroff", "value"},
      {"/reboot", "value"},
      {"/chosen", "stdout-path"},
  };
  for (const Check& c : checks) {
    bool in_qemu = false, in_ours = false;
    std::string q = Prop(qemu, c.path, c.prop, &in_qemu);
    std::string o = Prop(ours, c.path, c.prop, &in_ours);
    ASSERT_TRUE(in_qemu) << c.path << " " << c.prop << " not in QEMU's tree";
    EXPECT_TRUE(in_ours) << c.path << " " << c.prop;
    EXPECT_EQ(o, q) << c.path << " " << c.prop;
  }
  // The interrupt wiring: which per-hart causes each controller drives, in the same order (the
  // phandle numbers differ, so compare every second cell).
  for (const char* path : {"/soc/clint@2000000", "/soc/plic@c000000"}) {
    bool f1, f2;
    std::string q = Prop(qemu, path, "interrupts-extended", &f1);
    std::string o = Prop(ours, path, "interrupts-extended", &f2);
    ASSERT_TRUE(f1 && f2) << path;
    ASSERT_EQ(q.size(), o.size()) << path;
    for (size_t i = 4; i < q.size(); i += 8) EXPECT_EQ(q.substr(i, 4), o.substr(i, 4)) << path;
  }
}

}  // namespace
}  // namespace polyvm::machine::riscv64
