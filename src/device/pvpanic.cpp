// QEMU's pvpanic on MMIO: see the header.
#include "polyvm/device/pvpanic.h"

namespace polyvm::device {

uint64_t PvPanic::Read(uint64_t offset, unsigned) { return offset == 0 ? kSupported : 0; }

void PvPanic::Write(uint64_t offset, unsigned, uint64_t value) {
  if (offset != 0) return;
  events_.fetch_or(static_cast<uint8_t>(value & kSupported), std::memory_order_acq_rel);
}

}  // namespace polyvm::device
