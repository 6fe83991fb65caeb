// Shared set-up for the virtio fuzzers: the input becomes guest RAM (so descriptor tables, rings
// and buffers are all attacker-chosen) plus a small header choosing the queue layout.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "polyvm/core/guest_ram.h"
#include "polyvm/device/virtio/virtqueue.h"

namespace polyvm::device::fuzz {

inline constexpr uint64_t kRamBase = 0x80000000;
inline constexpr uint64_t kRamSize = 64 * 1024;

struct FuzzQueue {
  std::vector<uint8_t> ram_bytes = std::vector<uint8_t>(kRamSize);
  core::GuestRam ram;
  std::unique_ptr<virtio::Virtqueue> vq;
  uint64_t header = 0;  // spare header bits for the harness
};

// Header: 8 bytes of layout choices, 8 spare bytes; the rest is copied over RAM. Returns false if
// the input is too short or the layout is refused (which is itself exercised).
inline bool MakeFuzzQueue(const uint8_t* data, size_t size, FuzzQueue* q) {
  if (size < 16) return false;
  uint8_t h[16];
  std::memcpy(h, data, 16);
  std::memcpy(q->ram_bytes.data(), data + 16, std::min<size_t>(size - 16, kRamSize));
  q->ram = core::GuestRam(kRamBase, q->ram_bytes.data(), kRamSize);
  virtio::QueueLayout layout;
  layout.size = static_cast<uint16_t>(1u << (h[0] % 10));  // 1..512 (above 256 still valid)
  if (h[0] & 0x80) layout.size = static_cast<uint16_t>(h[0] | h[1] << 8);  // arbitrary sizes too
  // Area offsets in 16-byte units, sometimes outside RAM.
  layout.desc = kRamBase + uint64_t{static_cast<uint16_t>(h[2] | h[3] << 8)} * 16 - (h[1] & 1) * 8;
  layout.driver = kRamBase + uint64_t{static_cast<uint16_t>(h[4] | h[5] << 8)} * 2;
  layout.device = kRamBase + uint64_t{static_cast<uint16_t>(h[6] | h[7] << 8)} * 4;
  std::memcpy(&q->header, h + 8, 8);
  std::string error;
  q->vq = virtio::Virtqueue::Create(q->ram, layout, (h[1] & 2) != 0, (h[1] & 4) != 0, &error);
  return q->vq != nullptr;
}

// Every buffer of a popped chain must lie inside guest RAM.
inline void CheckChain(const core::GuestRam& ram, const virtio::Chain& chain) {
  for (const auto* list : {&chain.readable, &chain.writable}) {
    for (const virtio::Buffer& b : *list) {
      if (!ram.Contains(b.gpa, b.len)) __builtin_trap();
    }
  }
}

}  // namespace polyvm::device::fuzz
