// libFuzzer harness: arbitrary register sequences against the virtio-mmio transport (with
// virtio-rng behind it) over attacker-controlled guest RAM: feature negotiation, the status state
// machine, queue set-up, notifications and resets in any order. Findings are crashes and
// sanitizer reports; the transport must survive every sequence.
#include <cstring>
#include <vector>

#include "polyvm/core/guest_ram.h"
#include "polyvm/device/virtio/virtio_mmio.h"
#include "polyvm/device/virtio/virtio_rng.h"

namespace {

class NullIrq final : public polyvm::core::IrqLine {
 public:
  void Set(bool) override {}
};

constexpr uint64_t kRamBase = 0x80000000;
constexpr uint64_t kRamSize = 64 * 1024;
constexpr size_t kOpBytes = 8;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace polyvm;
  if (size < 1) return 0;
  // First byte: bit 7 runs a valid driver bring-up first (so that deep states are reached at
  // once), bits 6..0 say how many 8-byte register operations follow; the rest is guest RAM.
  const size_t ops = std::min<size_t>(data[0] & 0x7f, (size - 1) / kOpBytes);
  const uint8_t* op = data + 1;
  const uint8_t* ram_src = op + ops * kOpBytes;
  std::vector<uint8_t> ram_bytes(kRamSize);
  std::memcpy(ram_bytes.data(), ram_src,
              std::min<size_t>(static_cast<size_t>(data + size - ram_src), kRamSize));
  NullIrq irq;
  device::virtio::VirtioMmio dev(device::virtio::MakeVirtioRng(),
                                 core::GuestRam(kRamBase, ram_bytes.data(), kRamSize), irq);
  if (data[0] & 0x80) {
    // ACKNOWLEDGE, DRIVER, VERSION_1 (+ INDIRECT_DESC / EVENT_IDX from the RAM's first byte),
    // FEATURES_OK, queue 0 near the start of RAM (areas may overlap: the guest may do that too),
    // DRIVER_OK, notify.
    const uint8_t choice = ram_bytes[0];
    dev.Write(0x070, 4, 1);
    dev.Write(0x070, 4, 3);
    dev.Write(0x024, 4, 1);
    dev.Write(0x020, 4, 1);
    dev.Write(0x024, 4, 0);
    dev.Write(0x020, 4, (choice & 3u) << 28);
    dev.Write(0x070, 4, 11);
    dev.Write(0x030, 4, 0);
    dev.Write(0x038, 4, 1u << ((choice >> 2) % 9));
    dev.Write(0x080, 4, static_cast<uint32_t>(kRamBase + 0x80));
    dev.Write(0x090, 4, static_cast<uint32_t>(kRamBase + 0x10));
    dev.Write(0x0a0, 4, static_cast<uint32_t>(kRamBase + 0x40));
    dev.Write(0x044, 4, 1);
    dev.Write(0x070, 4, 15);
    dev.Write(0x050, 4, 0);
  }
  static constexpr unsigned kSizes[] = {4, 4, 4, 4, 1, 2, 8, 3};
  for (size_t i = 0; i < ops; ++i, op += kOpBytes) {
    const bool write = op[0] & 1;
    const unsigned access = kSizes[(op[0] >> 1) & 7];
    uint64_t offset = (op[1] | op[2] << 8) & 0x3ff;
    uint32_t value;
    std::memcpy(&value, op + 4, 4);
    // Half of the address-like values are pulled into RAM so that queues can become valid.
    if (op[0] & 0x10) value = static_cast<uint32_t>(kRamBase + (value % kRamSize));
    if (op[0] & 0x20) offset &= ~uint64_t{3};
    if (write) {
      dev.Write(offset, access, value);
    } else {
      (void)dev.Read(offset, access);
    }
  }
  return 0;
}
