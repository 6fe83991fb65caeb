// The contract between the virtio-mmio transport and a device type (blk, net, console, rng).
// The transport owns registers, feature negotiation, the status state machine and the virtqueues;
// a device supplies its id, features and config space and serves its queues.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "polyvm/core/guest_ram.h"

namespace polyvm::device::virtio {

class Virtqueue;

// Feature bits the transport itself offers (virtio 1.x, section 6).
inline constexpr uint64_t kFeatureIndirectDesc = uint64_t{1} << 28;  // VIRTIO_F_INDIRECT_DESC
inline constexpr uint64_t kFeatureEventIdx = uint64_t{1} << 29;      // VIRTIO_F_EVENT_IDX
inline constexpr uint64_t kFeatureVersion1 = uint64_t{1} << 32;      // VIRTIO_F_VERSION_1

// What the transport gives an active device. Every method is safe from any thread (vCPU, I/O).
class Transport {
 public:
  virtual ~Transport() = default;
  virtual const core::GuestRam& ram() const = 0;
  // The negotiated features (driver's FEATURES_OK set).
  virtual uint64_t features() const = 0;
  // Queue index (< device's NumQueues()), or nullptr if the driver did not set it up. Valid from
  // Activate until Reset returns.
  virtual Virtqueue* queue(uint16_t index) = 0;
  // After pushing used buffers on a queue: raise the used-buffer interrupt if the driver asked
  // for one (VIRTQ_AVAIL_F_NO_INTERRUPT / used_event).
  virtual void NotifyUsed(uint16_t index) = 0;
  // Bumps ConfigGeneration and raises the configuration-change interrupt.
  virtual void NotifyConfigChange() = 0;
  // The guest broke the protocol: sets DEVICE_NEEDS_RESET, raises the configuration-change
  // interrupt, records why; the device should stop serving queues until Reset.
  virtual void FailDevice(std::string_view why) = 0;
};

class VirtioDevice {
 public:
  virtual ~VirtioDevice() = default;

  virtual uint32_t DeviceId() const = 0;        // virtio device id: 1 net, 2 blk, 3 console, 4 rng
  virtual std::string_view Name() const = 0;    // "virtio-blk"
  virtual uint64_t DeviceFeatures() const = 0;  // device-type feature bits only
  virtual uint16_t NumQueues() const = 0;
  virtual uint16_t MaxQueueSize() const { return 256; }

  virtual uint32_t ConfigSize() const = 0;
  // offset + data.size() <= ConfigSize() is guaranteed by the transport.
  virtual void ReadConfig(uint32_t offset, std::span<uint8_t> data) = 0;
  virtual void WriteConfig(uint32_t /*offset*/, std::span<const uint8_t> /*data*/) {}

  // DRIVER_OK: queues are set up and features negotiated. Called on a vCPU thread with the
  // transport's register lock held; must not block on I/O.
  virtual void Activate(Transport& transport) = 0;
  // The driver notified queue index (vCPU thread, register lock held; never blocks on I/O).
  virtual void QueueNotify(uint16_t index) = 0;
  // Device reset (status 0) or transport teardown. On return the device no longer touches any
  // queue or guest memory and has no request in flight (it may wait for in-flight I/O to finish).
  // It must never call back into the transport's register lock. Called even if never activated.
  virtual void Reset() = 0;
};

}  // namespace polyvm::device::virtio
