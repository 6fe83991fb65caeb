// virtio-mmio transport, version 2 (virtio 1.x section 4.2.2).
//
// Locking: mu_ serialises register accesses (vCPU threads) and is held across the device's
// Activate, QueueNotify and Reset. Device I/O threads never take mu_: what they use (queue
// pointers fixed while active, interrupt status under irq_mu_, the atomic needs-reset flag) is
// reachable without it, so a device's Reset may wait for its I/O thread while mu_ is held.
#include "polyvm/device/virtio/virtio_mmio.h"

#include <fmt/format.h>

#include <atomic>
#include <mutex>
#include <vector>

#include "../diag.h"
#include "polyvm/device/virtio/virtqueue.h"

namespace polyvm::device::virtio {

namespace {

// Register offsets (virtio 1.x table 4.1). All are 32-bit; the config space starts at 0x100.
enum Reg : uint64_t {
  kMagicValue = 0x000,
  kVersion = 0x004,
  kDeviceId = 0x008,
  kVendorId = 0x00c,
  kDeviceFeatures = 0x010,
  kDeviceFeaturesSel = 0x014,
  kDriverFeatures = 0x020,
  kDriverFeaturesSel = 0x024,
  kQueueSel = 0x030,
  kQueueNumMax = 0x034,
  kQueueNum = 0x038,
  kQueueReady = 0x044,
  kQueueNotify = 0x050,
  kInterruptStatus = 0x060,
  kInterruptAck = 0x064,
  kStatus = 0x070,
  kQueueDescLow = 0x080,
  kQueueDescHigh = 0x084,
  kQueueDriverLow = 0x090,
  kQueueDriverHigh = 0x094,
  kQueueDeviceLow = 0x0a0,
  kQueueDeviceHigh = 0x0a4,
  kShmSel = 0x0ac,
  kShmLenLow = 0x0b0,
  kShmLenHigh = 0x0b4,
  kShmBaseLow = 0x0b8,
  kShmBaseHigh = 0x0bc,
  kConfigGeneration = 0x0fc,
  kConfig = 0x100,
};

constexpr uint32_t kMagic = 0x74726976;   // "virt"
constexpr uint32_t kVendor = 0x4d565950;  // "PYVM"
constexpr uint32_t kInterruptUsedBuffer = 1;
constexpr uint32_t kInterruptConfigChange = 2;
constexpr uint64_t kTransportFeatures = kFeatureVersion1 | kFeatureIndirectDesc | kFeatureEventIdx;

void SetHalf(uint64_t* value, bool high, uint32_t half) {
  if (high) {
    *value = (*value & 0xffffffffull) | (uint64_t{half} << 32);
  } else {
    *value = (*value & ~0xffffffffull) | half;
  }
}

}  // namespace

class VirtioMmio::Impl final : public Transport {
 public:
  Impl(std::unique_ptr<VirtioDevice> device, core::GuestRam ram, core::IrqLine& irq)
      : device_(std::move(device)), ram_(ram), irq_(irq), queues_(device_->NumQueues()) {}

  ~Impl() override {
    std::lock_guard lock(mu_);
    device_->Reset();
  }

  // Transport
  const core::GuestRam& ram() const override { return ram_; }
  uint64_t features() const override { return negotiated_.load(std::memory_order_acquire); }
  Virtqueue* queue(uint16_t index) override {
    return index < queues_.size() ? queues_[index].vq.get() : nullptr;
  }
  void NotifyUsed(uint16_t index) override {
    Virtqueue* vq = queue(index);
    if (vq != nullptr && vq->ShouldInterrupt()) Raise(kInterruptUsedBuffer);
  }
  void NotifyConfigChange() override {
    config_generation_.fetch_add(1, std::memory_order_acq_rel);
    Raise(kInterruptConfigChange);
  }
  void FailDevice(std::string_view why) override {
    {
      std::lock_guard lock(error_mu_);
      last_error_ = std::string(why);
    }
    ReportGuestError(device_->Name(), fmt::format("device needs reset: {}", why));
    if (!needs_reset_.exchange(true)) Raise(kInterruptConfigChange);
  }

  uint64_t Read(uint64_t offset, unsigned size) {
    if (offset >= kConfig) return ReadConfig(offset - kConfig, size);
    if (size != 4 || offset % 4 != 0) {
      ReportGuestError(device_->Name(), fmt::format("{}-byte read of register {:#x}: registers "
                                                    "are 32-bit; returning 0",
                                                    size, offset));
      return 0;
    }
    std::lock_guard lock(mu_);
    const QueueState* q = queue_sel_ < queues_.size() ? &queues_[queue_sel_] : nullptr;
    switch (offset) {
      case kMagicValue: return kMagic;
      case kVersion: return 2;
      case kDeviceId: return device_->DeviceId();
      case kVendorId: return kVendor;
      case kDeviceFeatures:
        return device_features_sel_ < 2
                   ? static_cast<uint32_t>(OfferedFeatures() >> (32 * device_features_sel_))
                   : 0;
      case kQueueNumMax: return q != nullptr ? device_->MaxQueueSize() : 0;
      case kQueueNum: return q != nullptr ? q->layout.size : 0;
      case kQueueReady: return q != nullptr && q->vq != nullptr ? 1 : 0;
      case kQueueDescLow: return q != nullptr ? static_cast<uint32_t>(q->layout.desc) : 0;
      case kQueueDescHigh: return q != nullptr ? static_cast<uint32_t>(q->layout.desc >> 32) : 0;
      case kQueueDriverLow: return q != nullptr ? static_cast<uint32_t>(q->layout.driver) : 0;
      case kQueueDriverHigh:
        return q != nullptr ? static_cast<uint32_t>(q->layout.driver >> 32) : 0;
      case kQueueDeviceLow: return q != nullptr ? static_cast<uint32_t>(q->layout.device) : 0;
      case kQueueDeviceHigh:
        return q != nullptr ? static_cast<uint32_t>(q->layout.device >> 32) : 0;
      case kInterruptStatus: {
        std::lock_guard irq_lock(irq_mu_);
        return interrupt_status_;
      }
      case kStatus: return Status();
      case kShmLenLow:
      case kShmLenHigh: return 0xffffffff;  // no shared memory regions
      case kShmBaseLow:
      case kShmBaseHigh: return 0xffffffff;
      case kConfigGeneration: return config_generation_.load(std::memory_order_acquire);
      default: break;
    }
    ReportGuestError(device_->Name(), fmt::format("read of write-only or unknown register {:#x}; "
                                                  "returning 0",
                                                  offset));
    return 0;
  }

  void Write(uint64_t offset, unsigned size, uint64_t value64) {
    if (offset >= kConfig) return WriteConfig(offset - kConfig, size, value64);
    if (size != 4 || offset % 4 != 0) {
      ReportGuestError(device_->Name(), fmt::format("{}-byte write of register {:#x} ignored: "
                                                    "registers are 32-bit",
                                                    size, offset));
      return;
    }
    const uint32_t value = static_cast<uint32_t>(value64);
    std::lock_guard lock(mu_);
    switch (offset) {
      case kDeviceFeaturesSel: device_features_sel_ = value; return;
      case kDriverFeaturesSel: driver_features_sel_ = value; return;
      case kDriverFeatures:
        if (status_ & (kStatusFeaturesOk | kStatusFailed)) {
          return Misuse("driver features written after FEATURES_OK");
        }
        if (driver_features_sel_ < 2) {
          SetHalf(&driver_features_, driver_features_sel_ == 1, value);
        } else if (value != 0) {
          Misuse(fmt::format("driver features word {} = {:#x}: no such features",
                             driver_features_sel_, value));
        }
        return;
      case kQueueSel: queue_sel_ = value; return;
      case kQueueNum:
      case kQueueDescLow:
      case kQueueDescHigh:
      case kQueueDriverLow:
      case kQueueDriverHigh:
      case kQueueDeviceLow:
      case kQueueDeviceHigh: return WriteQueueField(offset, value);
      case kQueueReady: return WriteQueueReady(value);
      case kQueueNotify: return Notify(value);
      case kInterruptAck: return Ack(value);
      case kStatus: return WriteStatus(value);
      case kShmSel: return;
      default: break;
    }
    ReportGuestError(device_->Name(), fmt::format("write of read-only or unknown register {:#x} "
                                                  "(value {:#x}) ignored",
                                                  offset, value));
  }

  std::string last_error() const {
    std::lock_guard lock(error_mu_);
    return last_error_;
  }

  VirtioDevice& device() { return *device_; }

 private:
  struct QueueState {
    QueueLayout layout;
    std::unique_ptr<Virtqueue> vq;  // non-null once the driver set QueueReady
  };

  uint64_t OfferedFeatures() const { return device_->DeviceFeatures() | kTransportFeatures; }
  uint32_t Status() const {
    return status_ | (needs_reset_.load(std::memory_order_acquire) ? kStatusNeedsReset : 0);
  }
  bool Active() const { return (status_ & kStatusDriverOk) && !needs_reset_.load(); }

  // A driver bug that the device survives without entering NEEDS_RESET.
  void Misuse(std::string_view what) { ReportGuestError(device_->Name(), what); }

  uint64_t ReadConfig(uint64_t offset, unsigned size) {
    const uint32_t config_size = device_->ConfigSize();
    if ((size != 1 && size != 2 && size != 4 && size != 8) || offset > config_size ||
        size > config_size - offset) {
      ReportGuestError(device_->Name(), fmt::format("{}-byte config read at {:#x} beyond the {} "
                                                    "byte config space; returning 0",
                                                    size, offset, config_size));
      return 0;
    }
    uint8_t bytes[8] = {};
    std::lock_guard lock(mu_);
    device_->ReadConfig(static_cast<uint32_t>(offset), {bytes, size});
    uint64_t value = 0;
    std::memcpy(&value, bytes, size);  // little-endian host
    return value;
  }

  void WriteConfig(uint64_t offset, unsigned size, uint64_t value) {
    const uint32_t config_size = device_->ConfigSize();
    if ((size != 1 && size != 2 && size != 4 && size != 8) || offset > config_size ||
        size > config_size - offset) {
      ReportGuestError(device_->Name(), fmt::format("{}-byte config write at {:#x} beyond the {} "
                                                    "byte config space ignored",
                                                    size, offset, config_size));
      return;
    }
    uint8_t bytes[8];
    std::memcpy(bytes, &value, sizeof(bytes));
    std::lock_guard lock(mu_);
    device_->WriteConfig(static_cast<uint32_t>(offset), {bytes, size});
  }

  void WriteQueueField(uint64_t offset, uint32_t value) {
    if (queue_sel_ >= queues_.size()) {
      return Misuse(
          fmt::format("queue register {:#x} written for nonexistent queue {}", offset, queue_sel_));
    }
    QueueState& q = queues_[queue_sel_];
    if (q.vq != nullptr) {
      return Misuse(fmt::format("queue {} register {:#x} written while the queue is ready",
                                queue_sel_, offset));
    }
    switch (offset) {
      case kQueueNum:
        q.layout.size = static_cast<uint16_t>(std::min<uint32_t>(value, 0xffff));
        if (value > device_->MaxQueueSize()) q.layout.size = 0;  // rejected at QueueReady
        return;
      case kQueueDescLow: SetHalf(&q.layout.desc, false, value); return;
      case kQueueDescHigh: SetHalf(&q.layout.desc, true, value); return;
      case kQueueDriverLow: SetHalf(&q.layout.driver, false, value); return;
      case kQueueDriverHigh: SetHalf(&q.layout.driver, true, value); return;
      case kQueueDeviceLow: SetHalf(&q.layout.device, false, value); return;
      case kQueueDeviceHigh: SetHalf(&q.layout.device, true, value); return;
    }
  }

  void WriteQueueReady(uint32_t value) {
    if (queue_sel_ >= queues_.size()) {
      return Misuse(fmt::format("QueueReady written for nonexistent queue {}", queue_sel_));
    }
    QueueState& q = queues_[queue_sel_];
    if (value == 0) {
      // Disabling a live queue needs VIRTIO_F_RING_RESET, which we do not offer.
      if (q.vq != nullptr) Misuse("QueueReady cleared on a live queue (no VIRTIO_F_RING_RESET)");
      return;
    }
    if (q.vq != nullptr) return;
    if (!(status_ & kStatusFeaturesOk) || (status_ & kStatusDriverOk)) {
      return FailDevice(
          fmt::format("queue {} made ready outside FEATURES_OK..DRIVER_OK", queue_sel_));
    }
    std::string error;
    const uint64_t f = negotiated_.load();
    q.vq = Virtqueue::Create(ram_, q.layout, (f & kFeatureIndirectDesc) != 0,
                             (f & kFeatureEventIdx) != 0, &error);
    if (q.vq == nullptr) {
      q.layout.size = 0;
      FailDevice(fmt::format("queue {}: {}", queue_sel_, error));
    }
  }

  void Notify(uint32_t value) {
    const uint32_t index = value & 0xffff;
    if (index >= queues_.size()) {
      return Misuse(fmt::format("notify of nonexistent queue {}", index));
    }
    if (!Active() || queues_[index].vq == nullptr) return;  // nothing to serve yet
    device_->QueueNotify(static_cast<uint16_t>(index));
  }

  void Raise(uint32_t bits) {
    std::lock_guard lock(irq_mu_);
    interrupt_status_ |= bits;
    if (!irq_level_) {
      irq_level_ = true;
      irq_.Set(true);
    }
  }

  void Ack(uint32_t bits) {
    std::lock_guard lock(irq_mu_);
    interrupt_status_ &= ~bits;
    const bool level = interrupt_status_ != 0;
    if (level != irq_level_) {
      irq_level_ = level;
      irq_.Set(level);
    }
  }

  void Reset() {
    device_->Reset();  // after this no I/O thread touches the queues
    for (QueueState& q : queues_) q = QueueState{};
    status_ = 0;
    device_features_sel_ = driver_features_sel_ = queue_sel_ = 0;
    driver_features_ = 0;
    negotiated_.store(0);
    needs_reset_.store(false);
    std::lock_guard lock(irq_mu_);
    interrupt_status_ = 0;
    if (irq_level_) {
      irq_level_ = false;
      irq_.Set(false);
    }
  }

  void WriteStatus(uint32_t value) {
    if (value == 0) return Reset();
    value &= ~kStatusNeedsReset;  // device-owned bit
    if (status_ & ~value) {
      return FailDevice(fmt::format("driver cleared status bits ({:#x} -> {:#x}) without a reset",
                                    status_, value));
    }
    const uint32_t added = value & ~status_;
    if (added & kStatusFailed) {
      status_ |= kStatusFailed;  // the driver gave up; wait for a reset
      return;
    }
    if (added & kStatusFeaturesOk) {
      const uint64_t offered = OfferedFeatures();
      if ((driver_features_ & ~offered) != 0 || !(driver_features_ & kFeatureVersion1)) {
        // Leaving FEATURES_OK clear tells the driver its subset was refused (section 3.1.1).
        Misuse(fmt::format("driver features {:#x} refused (offered {:#x}, VERSION_1 required)",
                           driver_features_, offered));
        value &= ~kStatusFeaturesOk;
      } else {
        negotiated_.store(driver_features_, std::memory_order_release);
      }
    }
    if (added & kStatusDriverOk) {
      if (!(value & kStatusFeaturesOk)) return FailDevice("DRIVER_OK without FEATURES_OK");
      status_ = value;
      device_->Activate(*this);
      return;
    }
    status_ = value;
  }

  std::unique_ptr<VirtioDevice> device_;
  core::GuestRam ram_;
  core::IrqLine& irq_;

  std::mutex mu_;  // registers below, and calls into device_
  uint32_t status_ = 0;
  uint32_t device_features_sel_ = 0;
  uint32_t driver_features_sel_ = 0;
  uint32_t queue_sel_ = 0;
  uint64_t driver_features_ = 0;
  std::vector<QueueState> queues_;  // sized once; vq pointers change only under mu_

  std::atomic<uint64_t> negotiated_{0};
  std::atomic<bool> needs_reset_{false};
  std::atomic<uint32_t> config_generation_{0};

  std::mutex irq_mu_;  // interrupt_status_, irq_level_ (I/O threads raise, vCPUs acknowledge)
  uint32_t interrupt_status_ = 0;
  bool irq_level_ = false;

  mutable std::mutex error_mu_;
  std::string last_error_;
};

VirtioMmio::VirtioMmio(std::unique_ptr<VirtioDevice> device, core::GuestRam ram, core::IrqLine& irq)
    : impl_(std::make_unique<Impl>(std::move(device), ram, irq)) {}
VirtioMmio::~VirtioMmio() = default;

uint64_t VirtioMmio::Read(uint64_t offset, unsigned size) { return impl_->Read(offset, size); }
void VirtioMmio::Write(uint64_t offset, unsigned size, uint64_t value) {
  impl_->Write(offset, size, value);
}
std::string_view VirtioMmio::Name() const { return impl_->device().Name(); }
VirtioDevice& VirtioMmio::device() { return impl_->device(); }
std::string VirtioMmio::last_error() const { return impl_->last_error(); }

}  // namespace polyvm::device::virtio
