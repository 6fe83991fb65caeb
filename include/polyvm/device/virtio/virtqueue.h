// A split virtqueue (virtio 1.x section 2.7) over guest RAM: pops descriptor chains (direct and
// indirect) as validated lists of guest buffers, pushes used entries, and decides notifications
// (VIRTIO_F_EVENT_IDX or the flags). Every guest-supplied index, address, length and chain shape
// is checked; a bad chain is reported as an error string and never touches host memory outside
// guest RAM.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "polyvm/core/guest_ram.h"

namespace polyvm::device::virtio {

// Longest chain accepted (direct plus indirect descriptors), like QEMU's VIRTQUEUE_MAX_SIZE.
inline constexpr uint32_t kMaxChainDescriptors = 1024;

struct QueueLayout {
  uint16_t size = 0;    // number of descriptors, a power of 2
  uint64_t desc = 0;    // guest physical addresses of the three areas
  uint64_t driver = 0;  // avail ring
  uint64_t device = 0;  // used ring
};

// One guest buffer of a chain, already checked to lie wholly inside guest RAM.
struct Buffer {
  uint64_t gpa = 0;
  uint32_t len = 0;
};

// A popped request: device-readable buffers first, then device-writable ones (the spec's order).
struct Chain {
  uint16_t head = 0;
  std::vector<Buffer> readable;
  std::vector<Buffer> writable;
  uint64_t readable_bytes = 0;
  uint64_t writable_bytes = 0;
};

class Virtqueue {
 public:
  // Checks the layout (size a power of 2 up to 32768, areas aligned and inside RAM). On failure
  // returns nullptr and sets *error. indirect: VIRTIO_F_INDIRECT_DESC was negotiated.
  static std::unique_ptr<Virtqueue> Create(const core::GuestRam& ram, const QueueLayout& layout,
                                           bool indirect, bool event_idx, std::string* error);

  enum class PopResult { kChain, kEmpty, kError };
  // Takes the next available chain. kError: the guest broke the protocol (*error says how); the
  // queue should not be used again until reset.
  PopResult Pop(Chain* chain, std::string* error);

  // Returns a chain to the driver: head and the number of bytes written into its buffers.
  void PushUsed(uint16_t head, uint32_t written);

  // After a batch of PushUsed: whether the driver wants an interrupt now (and records that one
  // was sent). Without EVENT_IDX: unless VIRTQ_AVAIL_F_NO_INTERRUPT; with it: used_event rule.
  bool ShouldInterrupt();

  // With EVENT_IDX, asks for a kick on the next available buffer (writes avail_event) and then
  // re-checks: true if buffers arrived meanwhile and the caller should pop again.
  bool ArmNotification();

  uint16_t size() const { return layout_.size; }
  uint16_t last_avail() const;

 private:
  Virtqueue(const core::GuestRam& ram, const QueueLayout& layout, bool indirect, bool event_idx);
  uint16_t LoadAvailIdx() const;
  PopResult WalkChain(uint16_t head, Chain* chain, std::string* error) const;

  mutable std::mutex mu_;  // Pop and PushUsed come from different threads
  core::GuestRam ram_;
  QueueLayout layout_;
  bool indirect_ = false;
  bool event_idx_ = false;
  // Host views of the three areas, checked once by Create (the RAM view never changes).
  uint8_t* avail_ = nullptr;
  uint8_t* used_ = nullptr;
  uint16_t last_avail_ = 0;      // next avail ring slot to consume
  uint16_t used_idx_ = 0;        // our copy of used->idx
  uint16_t signalled_used_ = 0;  // used->idx when we last decided about an interrupt
};

// Copies between a chain's buffers and host memory, as one stream per direction.
// Both return the number of bytes copied (short if the chain's buffers are shorter).
uint64_t CopyFromChain(const core::GuestRam& ram, std::span<const Buffer> buffers, uint64_t offset,
                       std::span<uint8_t> out);
uint64_t CopyToChain(const core::GuestRam& ram, std::span<const Buffer> buffers, uint64_t offset,
                     std::span<const uint8_t> in);

}  // namespace polyvm::device::virtio
