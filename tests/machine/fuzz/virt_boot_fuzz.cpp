// libFuzzer harness: boot image placement and loading for the virt machine. The kernel's Image
// header (its image_size, bss included) and the file sizes come from user files, so any values
// are fair. Whenever the plan is accepted, every image must lie inside RAM, in order and without
// overlap (firmware, kernel, initrd, device tree), with the alignments Linux and OpenSBI need; and
// loading small images must put their bytes exactly where the plan says.
#include <cstring>
#include <vector>

#include "polyvm/machine/riscv64/virt.h"

namespace {

using namespace polyvm::machine::riscv64;

uint64_t Read64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

// a + b, or trap if it wraps: no accepted plan may need a wrapping sum.
uint64_t End(uint64_t a, uint64_t b) {
  if (a + b < a) __builtin_trap();
  return a + b;
}

void CheckPlan(const VirtConfig& c, uint64_t firmware_size, uint64_t kernel_mem_size,
               uint64_t initrd_size, const VirtBootPlan& p) {
  const uint64_t ram_end = End(kVirtRamBase, c.ram_size);
  constexpr uint64_t k2M = 2 << 20;
  if (p.firmware != kVirtRamBase || End(p.firmware, firmware_size) > p.kernel ||
      p.kernel % k2M != 0 || p.kernel_end != End(p.kernel, kernel_mem_size)) {
    __builtin_trap();
  }
  if (p.initrd_size != initrd_size) __builtin_trap();
  if (initrd_size != 0) {
    if (p.initrd < p.kernel_end || p.initrd % 4096 != 0 || End(p.initrd, initrd_size) > p.fdt ||
        c.initrd_start != p.initrd || c.initrd_end != p.initrd + initrd_size) {
      __builtin_trap();
    }
  } else if (c.initrd_start != 0 || c.initrd_end != 0) {
    __builtin_trap();
  }
  if (p.fdt < p.kernel_end || p.fdt % k2M != 0 || End(p.fdt, kFdtMaxSize) > ram_end) {
    __builtin_trap();
  }
  if (p.fw_dynamic_info < kVirtRomBase ||
      End(p.fw_dynamic_info, sizeof(FwDynamicInfo)) > kVirtRomBase + kVirtRomSize) {
    __builtin_trap();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Header: mode, 7 spare bytes, then four 64-bit values. Mode bit 0 clear: plan only, with the
  // values as RAM, firmware, kernel and initrd sizes. Set: load real images cut from the rest of
  // the input (value 1..3 give the firmware and initrd lengths and the RAM size in pages, all
  // small), the kernel's size coming from its own Image header as for a real file.
  constexpr size_t kHeader = 40;
  if (size < kHeader) return 0;
  VirtConfig c;
  std::string error;
  VirtBootPlan plan;
  if ((data[0] & 1) == 0) {
    c.ram_size = Read64(data + 8);
    const uint64_t fw = Read64(data + 16), kernel = Read64(data + 24), initrd = Read64(data + 32);
    if (PlanVirtBoot(c, fw, kernel, initrd, &plan, &error)) {
      CheckPlan(c, fw, kernel, initrd, plan);
    } else if (error.empty()) {
      __builtin_trap();
    }
    return 0;
  }
  const uint8_t* rest = data + kHeader;
  const size_t rest_size = size - kHeader;
  const size_t fw_len = std::min<uint64_t>(Read64(data + 8) % 4096, rest_size);
  const size_t initrd_len = std::min<uint64_t>(Read64(data + 16) % 4096, rest_size - fw_len);
  c.ram_size = (Read64(data + 24) % 2048 + 1) * 4096;  // up to 8 MiB
  std::span<const uint8_t> firmware(rest, fw_len);
  std::span<const uint8_t> initrd(rest + fw_len, initrd_len);
  std::span<const uint8_t> kernel(rest + fw_len + initrd_len, rest_size - fw_len - initrd_len);
  const uint64_t kernel_mem = KernelMemSize(kernel);
  if (kernel_mem < kernel.size()) __builtin_trap();
  if (!PlanVirtBoot(c, firmware.size(), kernel_mem, initrd.size(), &plan, &error)) {
    if (error.empty()) __builtin_trap();
    return 0;
  }
  CheckPlan(c, firmware.size(), kernel_mem, initrd.size(), plan);
  static std::vector<uint8_t> ram, rom(kVirtRomSize);
  ram.assign(c.ram_size, 0);
  const std::vector<uint8_t> fdt(static_cast<size_t>(Read64(data + 32) % (kFdtMaxSize + 2)), 0xfd);
  if (!LoadVirtBoot(plan, ram, rom, firmware, kernel, initrd, fdt, &error)) {
    if (error.empty() || fdt.size() <= kFdtMaxSize) __builtin_trap();  // only an oversized DTB
    return 0;
  }
  auto at = [&](uint64_t gpa) { return ram.data() + (gpa - kVirtRamBase); };
  if ((!firmware.empty() && std::memcmp(at(plan.firmware), firmware.data(), firmware.size())) ||
      (!kernel.empty() && std::memcmp(at(plan.kernel), kernel.data(), kernel.size())) ||
      (!initrd.empty() && std::memcmp(at(plan.initrd), initrd.data(), initrd.size())) ||
      (!fdt.empty() && std::memcmp(at(plan.fdt), fdt.data(), fdt.size()))) {
    __builtin_trap();
  }
  FwDynamicInfo info;
  std::memcpy(&info, rom.data() + (plan.fw_dynamic_info - kVirtRomBase), sizeof info);
  if (info.magic != FwDynamicInfo{}.magic || info.next_addr != plan.kernel) __builtin_trap();
  return 0;
}
