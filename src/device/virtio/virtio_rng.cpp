// virtio-rng: one request queue; each chain's writable buffers are filled with host entropy.
#include "polyvm/device/virtio/virtio_rng.h"

#include <sys/random.h>

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <vector>

#include "polyvm/device/virtio/virtqueue.h"

namespace polyvm::device::virtio {

namespace {

constexpr uint32_t kDeviceIdRng = 4;
constexpr uint64_t kMaxBytesPerRequest = 64 * 1024;  // larger buffers are filled partially

class VirtioRng final : public VirtioDevice {
 public:
  uint32_t DeviceId() const override { return kDeviceIdRng; }
  std::string_view Name() const override { return "virtio-rng"; }
  uint64_t DeviceFeatures() const override { return 0; }
  uint16_t NumQueues() const override { return 1; }
  uint32_t ConfigSize() const override { return 0; }
  void ReadConfig(uint32_t, std::span<uint8_t>) override {}

  void Activate(Transport& transport) override { transport_ = &transport; }
  void Reset() override { transport_ = nullptr; }

  // Served on the notifying vCPU: getrandom on a booted host does not block.
  void QueueNotify(uint16_t index) override {
    Virtqueue* vq = transport_ != nullptr ? transport_->queue(index) : nullptr;
    if (vq == nullptr) return;
    Chain chain;
    std::string error;
    do {
      for (;;) {
        const Virtqueue::PopResult r = vq->Pop(&chain, &error);
        if (r == Virtqueue::PopResult::kError) return transport_->FailDevice(error);
        if (r == Virtqueue::PopResult::kEmpty) break;
        const uint64_t want = std::min(chain.writable_bytes, kMaxBytesPerRequest);
        buffer_.resize(want);
        uint64_t got = 0;
        while (got < want) {
          const ssize_t n = getrandom(buffer_.data() + got, want - got, 0);
          if (n < 0 && errno == EINTR) continue;
          if (n <= 0) break;
          got += static_cast<uint64_t>(n);
        }
        const uint64_t written =
            CopyToChain(transport_->ram(), chain.writable, 0, {buffer_.data(), got});
        vq->PushUsed(chain.head, static_cast<uint32_t>(written));
      }
      transport_->NotifyUsed(index);
    } while (vq->ArmNotification());
  }

 private:
  Transport* transport_ = nullptr;  // set while active; accessed under the transport's lock only
  std::vector<uint8_t> buffer_;
};

}  // namespace

std::unique_ptr<VirtioDevice> MakeVirtioRng() { return std::make_unique<VirtioRng>(); }

}  // namespace polyvm::device::virtio
