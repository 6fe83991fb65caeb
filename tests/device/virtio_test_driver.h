// A minimal virtio-mmio guest driver for tests: guest RAM is a host buffer, queues and buffers are
// laid out by a bump allocator, and requests are posted the way Linux's virtio_ring does (fill
// descriptors, publish the head in the avail ring, bump idx with release ordering, kick).
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "polyvm/core/guest_ram.h"
#include "polyvm/device/virtio/virtio_mmio.h"
#include "test_irq.h"

namespace polyvm::device::testing {

// virtio-mmio register offsets as the specification numbers them (table 4.1).
namespace reg {
inline constexpr uint64_t kMagic = 0x000, kVersion = 0x004, kDeviceId = 0x008, kVendorId = 0x00c,
                          kDeviceFeatures = 0x010, kDeviceFeaturesSel = 0x014,
                          kDriverFeatures = 0x020, kDriverFeaturesSel = 0x024, kQueueSel = 0x030,
                          kQueueNumMax = 0x034, kQueueNum = 0x038, kQueueReady = 0x044,
                          kQueueNotify = 0x050, kInterruptStatus = 0x060, kInterruptAck = 0x064,
                          kStatus = 0x070, kQueueDescLow = 0x080, kQueueDescHigh = 0x084,
                          kQueueDriverLow = 0x090, kQueueDriverHigh = 0x094,
                          kQueueDeviceLow = 0x0a0, kQueueDeviceHigh = 0x0a4,
                          kConfigGeneration = 0x0fc, kConfig = 0x100;
}  // namespace reg

inline constexpr uint16_t kDescNext = 1, kDescWrite = 2, kDescIndirect = 4;

class TestMemory {
 public:
  static constexpr uint64_t kBase = 0x80000000;
  explicit TestMemory(uint64_t size = 4 << 20)
      : bytes_(new uint8_t[size]()), size_(size), ram_(kBase, bytes_.get(), size) {}

  const core::GuestRam& ram() const { return ram_; }
  uint8_t* Host(uint64_t gpa) { return bytes_.get() + (gpa - kBase); }
  uint64_t Alloc(uint64_t size, uint64_t align = 16) {
    next_ = (next_ + align - 1) / align * align;
    const uint64_t gpa = kBase + next_;
    next_ += size;
    if (next_ > size_) {
      std::fprintf(stderr, "TestMemory: out of guest RAM (%llu bytes)\n",
                   static_cast<unsigned long long>(size_));
      std::abort();
    }
    return gpa;
  }
  template <typename T>
  void Put(uint64_t gpa, T value) {
    std::memcpy(Host(gpa), &value, sizeof(T));
  }
  template <typename T>
  T Get(uint64_t gpa) {
    T value;
    std::memcpy(&value, Host(gpa), sizeof(T));
    return value;
  }
  void PutBytes(uint64_t gpa, const std::string& s) { std::memcpy(Host(gpa), s.data(), s.size()); }
  std::string GetBytes(uint64_t gpa, size_t n) {
    return std::string(reinterpret_cast<const char*>(Host(gpa)), n);
  }

 private:
  std::unique_ptr<uint8_t[]> bytes_;
  uint64_t size_;
  uint64_t next_ = 0;
  core::GuestRam ram_;
};

struct Seg {
  uint64_t gpa;
  uint32_t len;
  bool writable;
};

struct UsedElem {
  uint32_t id;
  uint32_t len;
};

// The driver side of one split virtqueue.
struct DriverQueue {
  uint16_t index = 0;
  uint16_t size = 0;
  uint64_t desc = 0, avail = 0, used = 0;
  uint16_t avail_idx = 0;
  uint16_t last_used = 0;
  uint16_t next_desc = 0;  // descriptors are used round-robin; tests keep few in flight
};

class TestDriver {
 public:
  TestDriver(virtio::VirtioMmio& dev, TestMemory& mem) : dev_(dev), mem_(mem) {}

  uint32_t Reg(uint64_t off) { return static_cast<uint32_t>(dev_.Read(off, 4)); }
  void SetReg(uint64_t off, uint32_t v) { dev_.Write(off, 4, v); }
  uint32_t Status() { return Reg(reg::kStatus); }

  uint64_t DeviceFeatures();
  // Reset, ACKNOWLEDGE, DRIVER, write features, FEATURES_OK. True if the device kept FEATURES_OK.
  bool Negotiate(uint64_t features);
  // Allocates and registers queue `index` with `size` entries (QueueReady = 1).
  DriverQueue SetupQueue(uint16_t index, uint16_t size);
  void DriverOk() { SetReg(reg::kStatus, Status() | virtio::VirtioMmio::kStatusDriverOk); }
  // Negotiate + queues 0..n-1 + DRIVER_OK; the common case.
  std::vector<DriverQueue> Start(uint64_t features, uint16_t num_queues, uint16_t size = 16);

  // Posts a direct chain; returns its head. kick: write QueueNotify.
  uint16_t Submit(DriverQueue& q, const std::vector<Seg>& segs, bool kick = true);
  // Posts one descriptor pointing at an indirect table holding segs.
  uint16_t SubmitIndirect(DriverQueue& q, const std::vector<Seg>& segs, bool kick = true);
  void Publish(DriverQueue& q, uint16_t head, bool kick = true);
  void Kick(const DriverQueue& q) { SetReg(reg::kQueueNotify, q.index); }

  // Next used element if the device published one.
  bool PollUsed(DriverQueue& q, UsedElem* out);
  // Waits (bounded, 30 s) for the next used element; false on timeout.
  bool WaitUsed(DriverQueue& q, UsedElem* out);

  void AckInterrupts() { SetReg(reg::kInterruptAck, Reg(reg::kInterruptStatus)); }

 private:
  virtio::VirtioMmio& dev_;
  TestMemory& mem_;
};

}  // namespace polyvm::device::testing
