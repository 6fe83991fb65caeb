// libFuzzer harness: the virt board's register-level devices wired as on the board — a 16550 UART
// (on a memory backend) raising PLIC source 10, a PLIC with QEMU virt's 96 sources and two harts'
// M and S contexts, and a two-hart CLINT — driven by any sequence of register reads and writes of
// any size and offset, UART input and device lines going up and down. Besides memory safety: a
// claim never returns a source that does not exist.
#include <cstring>
#include <vector>

#include "polyvm/device/memory_char_backend.h"
#include "polyvm/device/plic.h"
#include "polyvm/device/uart16550.h"
#include "polyvm/machine/riscv64/clint.h"
#include "polyvm/machine/riscv64/virt.h"

namespace {

using namespace polyvm;

class Wire final : public core::IrqLine {
 public:
  void Set(bool level) override { level_ = level; }
  bool level_ = false;
};

constexpr size_t kOpBytes = 8;
constexpr unsigned kHarts = 2;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace rv = machine::riscv64;
  std::vector<Wire> contexts(2 * kHarts), clint_wires(2 * kHarts);
  std::vector<core::IrqLine*> outputs;
  for (Wire& w : contexts) outputs.push_back(&w);
  device::Plic plic(rv::kVirtPlicSources, outputs);
  device::MemoryCharBackend backend;
  device::Uart16550 uart(backend, plic.Source(rv::kVirtUartIrq));
  rv::MachineClock clock;
  std::vector<rv::Clint::HartLines> lines;
  for (unsigned h = 0; h < kHarts; ++h)
    lines.push_back({&clint_wires[2 * h], &clint_wires[2 * h + 1]});
  rv::Clint clint(clock, lines);

  static constexpr unsigned kSizes[] = {1, 2, 4, 8};
  const uint64_t plic_window = rv::VirtPlicSize(kHarts);
  for (size_t at = 0; at + kOpBytes <= size; at += kOpBytes) {
    const uint8_t* op = data + at;
    const unsigned access = kSizes[(op[0] >> 4) & 3];
    const bool write = op[0] & 0x40;
    uint32_t raw_offset = op[1] | op[2] << 8 | op[3] << 16;
    uint32_t value;
    std::memcpy(&value, op + 4, 4);
    if (op[0] & 0x80) raw_offset &= ~3u;  // mostly aligned, as drivers do
    core::MmioDevice* dev = nullptr;
    uint64_t offset = 0;
    switch (op[0] & 7) {
      case 0:
        dev = &uart;
        offset = raw_offset % rv::kVirtUartSize;
        break;
      case 1:
        dev = &plic;
        offset = raw_offset % plic_window;
        break;
      case 2:
        // Claim/complete of a context (the registers a kernel's handler uses most).
        dev = &plic;
        offset = 0x200000 + 0x1000 * ((raw_offset >> 8) % (2 * kHarts)) + 4;
        break;
      case 3:
        dev = &clint;
        offset = raw_offset % rv::Clint::kWindowSize;
        break;
      case 4: backend.PushInput(std::string_view(reinterpret_cast<const char*>(op + 4), 4)); break;
      case 5: plic.Source(1 + raw_offset % rv::kVirtPlicSources).Set(value & 1); break;
      case 6: (void)backend.TakeOutput(); break;
      default: (void)clint.Poll(); break;
    }
    if (dev == nullptr) continue;
    if (write) {
      dev->Write(offset, access, value);
    } else {
      const uint64_t v = dev->Read(offset, access);
      if ((op[0] & 7) == 2 && access == 4 && v > rv::kVirtPlicSources) __builtin_trap();
    }
  }
  return 0;
}
