// virtio-net over libslirp (virtio 1.x section 5.1): queue 0 receiveq, queue 1 transmitq, no
// control queue, no offloads. Every frame carries the 12-byte virtio_net_hdr (VERSION_1 layout).
//
// Threads and locking. slirp is single-threaded: slirp_mu_ guards every slirp call and the timer
// list. The event thread polls slirp's sockets and runs its timers; vCPU threads call slirp_input
// for transmitted frames. Frames for the guest (SendToGuest, called from inside slirp under
// slirp_mu_) and receiveq notifies go through rx_mu_, which also guards transport_ for the
// receive path. Lock order: transport lock -> slirp_mu_ -> rx_mu_ -> queue lock -> irq lock.
#include "polyvm/device/virtio/virtio_net.h"

#include <arpa/inet.h>
#include <poll.h>
#include <slirp/libslirp.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <deque>
#include <list>
#include <mutex>
#include <thread>

#include "../diag.h"
#include "polyvm/device/virtio/virtqueue.h"

namespace polyvm::device::virtio {

namespace {

constexpr uint32_t kDeviceIdNet = 1;
constexpr uint64_t kFeatureMac = uint64_t{1} << 5;      // VIRTIO_NET_F_MAC
constexpr uint64_t kFeatureStatus = uint64_t{1} << 16;  // VIRTIO_NET_F_STATUS
constexpr uint16_t kReceiveQ = 0, kTransmitQ = 1;
constexpr uint32_t kHeaderBytes = 12;  // struct virtio_net_hdr with num_buffers
constexpr uint64_t kMaxFrame = 65535;
constexpr size_t kMaxPendingFrames = 256;  // frames kept while the guest posts no rx buffers
constexpr uint32_t kMtu = 1500;

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return int64_t{ts.tv_sec} * 1000000000 + ts.tv_nsec;
}

class VirtioNet final : public VirtioDevice {
 public:
  explicit VirtioNet(const NetOptions& options) : options_(options) {}

  bool Start(std::string* error) {
    wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) {
      *error = std::string("eventfd: ") + std::strerror(errno);
      return false;
    }
    SlirpConfig cfg{};
    cfg.version = 3;
    cfg.in_enabled = true;
    inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
    inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
    inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
    inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
    inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
    cfg.vhostname = "polyvm";
    cfg.if_mtu = kMtu;
    cfg.if_mru = kMtu;
    callbacks_.send_packet = [](const void* buf, size_t len, void* opaque) -> ssize_t {
      static_cast<VirtioNet*>(opaque)->SendToGuest(static_cast<const uint8_t*>(buf), len);
      return static_cast<ssize_t>(len);
    };
    callbacks_.guest_error = [](const char* msg, void*) { ReportGuestError("virtio-net", msg); };
    callbacks_.clock_get_ns = [](void*) { return NowNs(); };
    callbacks_.timer_new = [](SlirpTimerCb cb, void* cb_opaque, void* opaque) -> void* {
      return static_cast<VirtioNet*>(opaque)->NewTimer(cb, cb_opaque);
    };
    callbacks_.timer_free = [](void* timer, void* opaque) {
      static_cast<VirtioNet*>(opaque)->timers_.remove_if(
          [timer](const Timer& t) { return &t == timer; });
    };
    callbacks_.timer_mod = [](void* timer, int64_t expire_ms, void* opaque) {
      static_cast<Timer*>(timer)->expire_ms = expire_ms;
      static_cast<VirtioNet*>(opaque)->Wake();
    };
    callbacks_.register_poll_fd = [](int, void*) {};  // the fd set is rebuilt every iteration
    callbacks_.unregister_poll_fd = [](int, void*) {};
    callbacks_.notify = [](void* opaque) { static_cast<VirtioNet*>(opaque)->Wake(); };
    slirp_ = slirp_new(&cfg, &callbacks_, this);
    if (slirp_ == nullptr) {
      *error = "slirp_new failed";
      return false;
    }
    in_addr loopback, guest;
    inet_pton(AF_INET, "127.0.0.1", &loopback);
    inet_pton(AF_INET, "10.0.2.15", &guest);
    for (const HostForward& f : options_.forwards) {
      if (slirp_add_hostfwd(slirp_, f.udp ? 1 : 0, loopback, f.host_port, guest, f.guest_port) <
          0) {
        *error = "host forward " + std::string(f.udp ? "udp" : "tcp") +
                 " 127.0.0.1:" + std::to_string(f.host_port) + " -> guest port " +
                 std::to_string(f.guest_port) + " failed (host port in use?)";
        return false;
      }
    }
    event_thread_ = std::thread([this] { EventLoop(); });
    return true;
  }

  ~VirtioNet() override {
    stop_.store(true);
    Wake();
    if (event_thread_.joinable()) event_thread_.join();
    if (slirp_ != nullptr) slirp_cleanup(slirp_);
    if (wake_fd_ >= 0) close(wake_fd_);
  }

  uint32_t DeviceId() const override { return kDeviceIdNet; }
  std::string_view Name() const override { return "virtio-net"; }
  uint64_t DeviceFeatures() const override { return kFeatureMac | kFeatureStatus; }
  uint16_t NumQueues() const override { return 2; }
  // struct virtio_net_config: u8 mac[6] @0, le16 status @6 (LINK_UP = 1),
  // le16 max_virtqueue_pairs @8, le16 mtu @10.
  uint32_t ConfigSize() const override { return 12; }
  void ReadConfig(uint32_t offset, std::span<uint8_t> data) override {
    uint8_t config[12] = {};
    std::memcpy(config, options_.mac.data(), 6);
    config[6] = 1;
    config[8] = 1;
    config[10] = kMtu & 0xff;
    config[11] = kMtu >> 8;
    std::memcpy(data.data(), config + offset, data.size());
  }

  void Activate(Transport& transport) override {
    std::lock_guard lock(rx_mu_);
    transport_ = &transport;
    DeliverPending();
  }
  void Reset() override {
    std::lock_guard lock(rx_mu_);
    transport_ = nullptr;
    held_valid_ = false;
    pending_.clear();
  }

  void QueueNotify(uint16_t index) override {
    if (index == kReceiveQ) {
      std::lock_guard lock(rx_mu_);
      return DeliverPending();
    }
    if (index == kTransmitQ) Transmit();
  }

 private:
  struct Timer {
    SlirpTimerCb cb;
    void* opaque;
    int64_t expire_ms = -1;  // -1: not armed
  };

  void Wake() {
    const uint64_t one = 1;
    (void)!write(wake_fd_, &one, sizeof(one));
  }

  void* NewTimer(SlirpTimerCb cb, void* opaque) {
    timers_.push_back(Timer{cb, opaque});
    return &timers_.back();
  }

  // vCPU thread, transport lock held (so transport_ cannot change under us).
  void Transmit() {
    Transport* transport = transport_;  // read without rx_mu_: only Activate/Reset write it,
                                        // and they hold the same transport lock as we do
    Virtqueue* vq = transport != nullptr ? transport->queue(kTransmitQ) : nullptr;
    if (vq == nullptr) return;
    Chain chain;
    std::string error;
    std::vector<uint8_t> frame;
    do {
      for (;;) {
        const Virtqueue::PopResult r = vq->Pop(&chain, &error);
        if (r == Virtqueue::PopResult::kError) return transport->FailDevice(error);
        if (r == Virtqueue::PopResult::kEmpty) break;
        if (chain.readable_bytes < kHeaderBytes) {
          return transport->FailDevice("transmitted chain shorter than the virtio_net_hdr");
        }
        const uint64_t len = chain.readable_bytes - kHeaderBytes;
        if (len <= kMaxFrame) {
          frame.resize(len);
          CopyFromChain(transport->ram(), chain.readable, kHeaderBytes, frame);
          std::lock_guard lock(slirp_mu_);
          slirp_input(slirp_, frame.data(), static_cast<int>(frame.size()));
        } else {
          ReportGuestError(Name(), "oversized frame dropped");
        }
        vq->PushUsed(chain.head, 0);
      }
      transport->NotifyUsed(kTransmitQ);
    } while (vq->ArmNotification());
    Wake();  // slirp may have opened sockets to poll
  }

  // From slirp (slirp_mu_ held), on the event thread or a transmitting vCPU.
  void SendToGuest(const uint8_t* buf, size_t len) {
    std::lock_guard lock(rx_mu_);
    if (transport_ == nullptr) return;  // no driver: the frame is dropped, as on a real link
    if (pending_.size() >= kMaxPendingFrames) {
      pending_.pop_front();  // the guest is not posting buffers: drop the oldest
    }
    std::vector<uint8_t> frame(kHeaderBytes + len, 0);
    frame[10] = 1;  // num_buffers = 1
    std::memcpy(frame.data() + kHeaderBytes, buf, len);
    pending_.push_back(std::move(frame));
    DeliverPending();
  }

  // rx_mu_ held. Moves pending frames into posted receive buffers.
  void DeliverPending() {
    Virtqueue* vq = transport_ != nullptr ? transport_->queue(kReceiveQ) : nullptr;
    if (vq == nullptr) return;
    std::string error;
    bool pushed = false;
    while (!pending_.empty()) {
      if (!held_valid_) {
        Virtqueue::PopResult r = vq->Pop(&held_, &error);
        if (r == Virtqueue::PopResult::kEmpty && vq->ArmNotification()) r = vq->Pop(&held_, &error);
        if (r == Virtqueue::PopResult::kError) return transport_->FailDevice(error);
        if (r == Virtqueue::PopResult::kEmpty) break;
        held_valid_ = true;
      }
      const std::vector<uint8_t>& frame = pending_.front();
      if (held_.writable_bytes < frame.size()) {
        // Without VIRTIO_NET_F_MRG_RXBUF every buffer must hold a whole frame; keep the buffer
        // for the next (smaller) frame and drop this one.
        ReportGuestError(Name(), "receive buffer smaller than a frame; frame dropped");
        pending_.pop_front();
        continue;
      }
      CopyToChain(transport_->ram(), held_.writable, 0, frame);
      vq->PushUsed(held_.head, static_cast<uint32_t>(frame.size()));
      held_valid_ = false;
      pending_.pop_front();
      pushed = true;
    }
    if (pushed) transport_->NotifyUsed(kReceiveQ);
  }

  void EventLoop() {
    while (!stop_.load()) {
      uint32_t timeout_ms = 1000;
      {
        std::lock_guard lock(slirp_mu_);
        poll_fds_.clear();
        poll_fds_.push_back({wake_fd_, POLLIN, 0});
        slirp_pollfds_fill(slirp_, &timeout_ms, &VirtioNet::AddPoll, this);
        const int64_t now_ms = NowNs() / 1000000;
        for (const Timer& t : timers_) {
          if (t.expire_ms < 0) continue;
          timeout_ms = static_cast<uint32_t>(
              std::clamp<int64_t>(t.expire_ms - now_ms, 0, int64_t{timeout_ms}));
        }
      }
      const int ret = poll(poll_fds_.data(), poll_fds_.size(), static_cast<int>(timeout_ms));
      if (poll_fds_[0].revents & POLLIN) {
        uint64_t value;
        (void)!read(wake_fd_, &value, sizeof(value));
      }
      std::lock_guard lock(slirp_mu_);
      slirp_pollfds_poll(slirp_, ret < 0, &VirtioNet::GetREvents, this);
      const int64_t now_ms = NowNs() / 1000000;
      for (auto it = timers_.begin(); it != timers_.end();) {
        Timer& t = *it++;  // advance first: the callback may free this timer
        if (t.expire_ms >= 0 && t.expire_ms <= now_ms) {
          t.expire_ms = -1;
          t.cb(t.opaque);
        }
      }
    }
  }

  static int AddPoll(int fd, int events, void* opaque) {
    auto* self = static_cast<VirtioNet*>(opaque);
    short ev = 0;
    if (events & SLIRP_POLL_IN) ev |= POLLIN;
    if (events & SLIRP_POLL_OUT) ev |= POLLOUT;
    if (events & SLIRP_POLL_PRI) ev |= POLLPRI;
    self->poll_fds_.push_back({fd, ev, 0});
    return static_cast<int>(self->poll_fds_.size() - 1);
  }

  static int GetREvents(int idx, void* opaque) {
    auto* self = static_cast<VirtioNet*>(opaque);
    if (idx < 0 || static_cast<size_t>(idx) >= self->poll_fds_.size()) return 0;
    const short re = self->poll_fds_[idx].revents;
    int events = 0;
    if (re & POLLIN) events |= SLIRP_POLL_IN;
    if (re & POLLOUT) events |= SLIRP_POLL_OUT;
    if (re & POLLPRI) events |= SLIRP_POLL_PRI;
    if (re & POLLERR) events |= SLIRP_POLL_ERR;
    if (re & POLLHUP) events |= SLIRP_POLL_HUP;
    return events;
  }

  NetOptions options_;
  SlirpCb callbacks_{};
  int wake_fd_ = -1;
  std::atomic<bool> stop_{false};
  std::thread event_thread_;

  std::mutex slirp_mu_;  // slirp_, timers_, poll_fds_ (filled and read around poll)
  Slirp* slirp_ = nullptr;
  std::list<Timer> timers_;  // stable addresses: slirp holds Timer* handles
  std::vector<pollfd> poll_fds_;

  std::mutex rx_mu_;  // transport_ (receive side), held_, pending_
  Transport* transport_ = nullptr;
  Chain held_;
  bool held_valid_ = false;
  std::deque<std::vector<uint8_t>> pending_;
};

bool ParsePort(const std::string& s, uint16_t* out) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  const unsigned long v = std::stoul(s);
  if (v == 0 || v > 65535) return false;
  *out = static_cast<uint16_t>(v);
  return true;
}

}  // namespace

bool NetOptions::ParseHostForward(const std::string& spec_in, HostForward* out,
                                  std::string* error) {
  std::string spec = spec_in;
  if (spec.rfind("hostfwd=", 0) == 0) spec = spec.substr(8);
  // proto:[hostaddr]:hostport-[guestaddr]:guestport
  const size_t c1 = spec.find(':');
  const size_t dash = spec.find('-');
  const size_t c2 = c1 == std::string::npos ? c1 : spec.find(':', c1 + 1);
  const size_t c3 = dash == std::string::npos ? dash : spec.find(':', dash + 1);
  auto bad = [&](const char* why) {
    *error = "host forward '" + spec_in + "': " + why + " (expected tcp::HOSTPORT-:GUESTPORT)";
    return false;
  };
  if (c1 == std::string::npos || c2 == std::string::npos || dash == std::string::npos ||
      c3 == std::string::npos || !(c2 < dash)) {
    return bad("malformed");
  }
  const std::string proto = spec.substr(0, c1);
  const std::string host_addr = spec.substr(c1 + 1, c2 - c1 - 1);
  const std::string guest_addr = spec.substr(dash + 1, c3 - dash - 1);
  if (proto != "tcp" && proto != "udp") return bad("protocol must be tcp or udp");
  if (!host_addr.empty() && host_addr != "127.0.0.1" && host_addr != "localhost") {
    return bad("only 127.0.0.1 can be listened on");
  }
  if (!guest_addr.empty() && guest_addr != "10.0.2.15") return bad("the guest is 10.0.2.15");
  HostForward f;
  f.udp = proto == "udp";
  if (!ParsePort(spec.substr(c2 + 1, dash - c2 - 1), &f.host_port)) return bad("bad host port");
  if (!ParsePort(spec.substr(c3 + 1), &f.guest_port)) return bad("bad guest port");
  *out = f;
  return true;
}

std::unique_ptr<VirtioDevice> MakeVirtioNet(const NetOptions& options, std::string* error) {
  auto net = std::make_unique<VirtioNet>(options);
  if (!net->Start(error)) return nullptr;
  return net;
}

}  // namespace polyvm::device::virtio
