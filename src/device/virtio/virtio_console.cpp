// virtio-console, single port (no VIRTIO_CONSOLE_F_MULTIPORT): queue 0 = receiveq (host to guest),
// queue 1 = transmitq (guest to host).
//
// Locking: mu_ guards the active transport and the receive path. Transmit runs on the notifying
// vCPU under the transport's lock; receive runs either there (receiveq notify) or on the
// backend's thread (input notifier), both under mu_, which Reset also takes.
#include "polyvm/device/virtio/virtio_console.h"

#include <mutex>
#include <vector>

#include "polyvm/device/virtio/virtqueue.h"

namespace polyvm::device::virtio {

namespace {

constexpr uint32_t kDeviceIdConsole = 3;
constexpr uint16_t kReceiveQ = 0, kTransmitQ = 1;
constexpr uint64_t kMaxChunk = 64 * 1024;

class VirtioConsole final : public VirtioDevice {
 public:
  explicit VirtioConsole(CharBackend& backend) : backend_(backend) {
    backend_.SetInputNotifier([this] {
      std::lock_guard lock(mu_);
      Receive();
    });
  }
  ~VirtioConsole() override { backend_.SetInputNotifier({}); }

  uint32_t DeviceId() const override { return kDeviceIdConsole; }
  std::string_view Name() const override { return "virtio-console"; }
  uint64_t DeviceFeatures() const override { return 0; }
  uint16_t NumQueues() const override { return 2; }
  // struct virtio_console_config { le16 cols, rows; le32 max_nr_ports, emerg_wr; }: without
  // F_SIZE, F_MULTIPORT and F_EMERG_WRITE nothing in it is meaningful; it reads as zeros.
  uint32_t ConfigSize() const override { return 12; }
  void ReadConfig(uint32_t, std::span<uint8_t> data) override {
    std::fill(data.begin(), data.end(), 0);
  }

  void Activate(Transport& transport) override {
    std::lock_guard lock(mu_);
    transport_ = &transport;
    Receive();
  }
  void Reset() override {
    std::lock_guard lock(mu_);
    transport_ = nullptr;
    held_valid_ = false;
  }

  void QueueNotify(uint16_t index) override {
    std::lock_guard lock(mu_);
    if (index == kReceiveQ) return Receive();
    if (index == kTransmitQ) Transmit();
  }

 private:
  void Transmit() {
    Virtqueue* vq = transport_ != nullptr ? transport_->queue(kTransmitQ) : nullptr;
    if (vq == nullptr) return;
    Chain chain;
    std::string error;
    do {
      for (;;) {
        const Virtqueue::PopResult r = vq->Pop(&chain, &error);
        if (r == Virtqueue::PopResult::kError) return transport_->FailDevice(error);
        if (r == Virtqueue::PopResult::kEmpty) break;
        for (uint64_t offset = 0; offset < chain.readable_bytes;) {
          buffer_.resize(std::min(chain.readable_bytes - offset, kMaxChunk));
          const uint64_t n = CopyFromChain(transport_->ram(), chain.readable, offset, buffer_);
          if (n == 0) break;
          backend_.Write({buffer_.data(), n});
          offset += n;
        }
        vq->PushUsed(chain.head, 0);
      }
      transport_->NotifyUsed(kTransmitQ);
    } while (vq->ArmNotification());
  }

  // Moves pending host input into receive buffers while both exist. A popped chain that finds no
  // input is kept in held_ for the next byte, never returned empty.
  void Receive() {
    Virtqueue* vq = transport_ != nullptr ? transport_->queue(kReceiveQ) : nullptr;
    if (vq == nullptr) return;
    std::string error;
    bool pushed = false;
    for (;;) {
      if (!held_valid_) {
        Virtqueue::PopResult r = vq->Pop(&held_, &error);
        if (r == Virtqueue::PopResult::kEmpty && vq->ArmNotification()) {
          r = vq->Pop(&held_, &error);
        }
        if (r == Virtqueue::PopResult::kError) return transport_->FailDevice(error);
        if (r == Virtqueue::PopResult::kEmpty) break;
        held_valid_ = true;
      }
      if (held_.writable_bytes == 0) {  // nothing fits: return it unused rather than hold forever
        vq->PushUsed(held_.head, 0);
        held_valid_ = false;
        pushed = true;
        continue;
      }
      buffer_.resize(std::min(held_.writable_bytes, kMaxChunk));
      const size_t n = backend_.Read(buffer_);
      if (n == 0) break;
      const uint64_t written =
          CopyToChain(transport_->ram(), held_.writable, 0, {buffer_.data(), n});
      vq->PushUsed(held_.head, static_cast<uint32_t>(written));
      held_valid_ = false;
      pushed = true;
    }
    if (pushed) transport_->NotifyUsed(kReceiveQ);
  }

  CharBackend& backend_;
  std::mutex mu_;
  Transport* transport_ = nullptr;
  Chain held_;
  bool held_valid_ = false;
  std::vector<uint8_t> buffer_;
};

}  // namespace

std::unique_ptr<VirtioDevice> MakeVirtioConsole(CharBackend& backend) {
  return std::make_unique<VirtioConsole>(backend);
}

}  // namespace polyvm::device::virtio
