// libFuzzer harness: the virt machine's device-tree builder over any configuration (hart and
// virtio-slot counts in and out of range, any RAM size and initrd range, any bootargs, however
// long). A refused configuration must say why; an accepted one must be a device tree that libfdt
// validates in full and that describes exactly what was asked.
#include <libfdt.h>

#include <cstring>
#include <string>

#include "polyvm/machine/riscv64/virt.h"

namespace {

uint64_t Read64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// The (hi, lo) cell pair at `cell` of a property, or ~0 if the property is missing or short.
uint64_t Cells64(const void* fdt, int node, const char* name, int cell) {
  int len = 0;
  const auto* p = static_cast<const fdt32_t*>(fdt_getprop(fdt, node, name, &len));
  if (p == nullptr || len < (cell + 2) * 4) return ~uint64_t{0};
  return uint64_t{fdt32_to_cpu(p[cell])} << 32 | fdt32_to_cpu(p[cell + 1]);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace polyvm::machine::riscv64;
  // Header: harts, virtio slots, flags, 5 spare bytes, RAM size, initrd start, initrd end (8 each);
  // the rest is the command line.
  constexpr size_t kHeader = 32;
  if (size < kHeader) return 0;
  VirtConfig c;
  c.harts = data[0] % (kVirtMaxHarts + 2);
  c.virtio_slots = data[1] % (kVirtMaxVirtio + 2);
  c.sstc = data[2] & 1;
  c.ram_size = Read64(data + 8);
  if (data[2] & 2) c.ram_size &= 0xfffff000;  // mostly sensible sizes too
  c.initrd_start = Read64(data + 16);
  c.initrd_end = Read64(data + 24);
  c.bootargs.assign(reinterpret_cast<const char*>(data + kHeader), size - kHeader);

  std::string error;
  const std::vector<uint8_t> dtb = BuildVirtFdt(c, &error);
  if (dtb.empty()) {
    if (error.empty()) __builtin_trap();  // refused without a reason
    return 0;
  }
  if (dtb.size() > kFdtMaxSize || fdt_check_full(dtb.data(), dtb.size()) != 0) __builtin_trap();
  const void* fdt = dtb.data();
  // The command line up to its first NUL (a C string in the tree), unchanged.
  const int chosen = fdt_path_offset(fdt, "/chosen");
  if (chosen < 0) __builtin_trap();
  int len = 0;
  const char* bootargs = static_cast<const char*>(fdt_getprop(fdt, chosen, "bootargs", &len));
  if (bootargs == nullptr || std::string(bootargs) != std::string(c.bootargs.c_str())) {
    __builtin_trap();
  }
  const bool has_initrd = c.initrd_end > c.initrd_start;
  if (has_initrd != (fdt_getprop(fdt, chosen, "linux,initrd-start", &len) != nullptr) ||
      (has_initrd && (Cells64(fdt, chosen, "linux,initrd-start", 0) != c.initrd_start ||
                      Cells64(fdt, chosen, "linux,initrd-end", 0) != c.initrd_end))) {
    __builtin_trap();
  }
  const int memory = fdt_subnode_offset(fdt, 0, "memory@80000000");
  if (memory < 0 || Cells64(fdt, memory, "reg", 0) != kVirtRamBase ||
      Cells64(fdt, memory, "reg", 2) != c.ram_size) {
    __builtin_trap();
  }
  // One cpu node per hart, one virtio-mmio node per slot.
  unsigned cpus = 0, virtio = 0;
  for (int n = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "cpu", 4); n >= 0;
       n = fdt_node_offset_by_prop_value(fdt, n, "device_type", "cpu", 4)) {
    ++cpus;
  }
  for (int n = fdt_node_offset_by_compatible(fdt, -1, "virtio,mmio"); n >= 0;
       n = fdt_node_offset_by_compatible(fdt, n, "virtio,mmio")) {
    ++virtio;
  }
  if (cpus != c.harts || virtio != c.virtio_slots) __builtin_trap();
  return 0;
}
