// virtio-net over libslirp, driven with hand-built frames (net_frames.h): ARP for the gateway,
// DHCP discover/offer (slirp's documented defaults: guest 10.0.2.15, gateway and DHCP server
// 10.0.2.2), a TCP connection from the guest to a real server socket on host loopback, and a
// host-to-guest port forward.
#include "polyvm/device/virtio/virtio_net.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <thread>

#include "net_frames.h"
#include "polyvm/device/virtio/virtio_mmio.h"
#include "virtio_test_driver.h"

namespace polyvm::device::virtio {
namespace {

using namespace testing;  // NOLINT

constexpr uint64_t kFeatureMac = uint64_t{1} << 5, kFeatureStatus = uint64_t{1} << 16;
constexpr uint32_t kNetHeader = 12;
const Mac kGuestMac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
const Mac kBroadcast = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
const uint32_t kGuestIp = Ipv4(10, 0, 2, 15);
const uint32_t kGatewayIp = Ipv4(10, 0, 2, 2);

// A listening TCP socket on 127.0.0.1 with a kernel-chosen port.
class HostServer {
 public:
  HostServer() {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
    EXPECT_EQ(listen(fd_, 1), 0);
    socklen_t len = sizeof(a);
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
  }
  ~HostServer() {
    if (conn_ >= 0) close(conn_);
    close(fd_);
  }
  uint16_t port() const { return port_; }
  bool Accept() {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 30000) != 1) return false;
    conn_ = accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    return conn_ >= 0;
  }
  std::string Recv() {
    pollfd p{conn_, POLLIN, 0};
    if (poll(&p, 1, 30000) != 1) return "";
    char buf[256];
    const ssize_t n = recv(conn_, buf, sizeof(buf), 0);
    return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
  }
  void Send(const std::string& s) {
    EXPECT_EQ(send(conn_, s.data(), s.size(), 0), ssize_t(s.size()));
  }

 private:
  int fd_ = -1;
  int conn_ = -1;
  uint16_t port_ = 0;
};

class VirtioNetTest : public ::testing::Test {
 protected:
  void Open(const NetOptions& options = {}) {
    std::string error;
    auto net = MakeVirtioNet(options, &error);
    ASSERT_NE(net, nullptr) << error;
    dev = std::make_unique<VirtioMmio>(std::move(net), mem.ram(), irq);
    driver = std::make_unique<TestDriver>(*dev, mem);
    q = driver->Start(kFeatureVersion1 | kFeatureMac | kFeatureStatus, 2, 64);
    ASSERT_EQ(q.size(), 2u);
    for (int i = 0; i < 32; ++i) PostRx(mem.Alloc(2048));
  }

  void PostRx(uint64_t gpa) {
    const uint16_t head = driver->Submit(q[0], {{gpa, 2048, true}});
    rx_gpa[head] = gpa;
  }

  void Send(const Bytes& frame) {
    const uint64_t b = mem.Alloc(kNetHeader + frame.size());
    std::memset(mem.Host(b), 0, kNetHeader);
    std::memcpy(mem.Host(b + kNetHeader), frame.data(), frame.size());
    driver->Submit(q[1], {{b, static_cast<uint32_t>(kNetHeader + frame.size()), false}});
    UsedElem used;
    ASSERT_TRUE(driver->WaitUsed(q[1], &used));
  }

  // The next frame for the guest that `want` accepts, answering slirp's ARP requests for the
  // guest on the way. Bounded wait.
  template <typename Pred>
  std::optional<Bytes> Receive(Pred want) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      UsedElem used;
      if (!driver->PollUsed(q[0], &used)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        continue;
      }
      const uint64_t gpa = rx_gpa.at(static_cast<uint16_t>(used.id));
      EXPECT_GE(used.len, kNetHeader);
      EXPECT_EQ(mem.Get<uint16_t>(gpa + 10), 1);  // num_buffers
      Bytes frame(mem.Host(gpa + kNetHeader), mem.Host(gpa + used.len));
      PostRx(gpa);
      if (auto reply = ArpReplyTo(frame, kGuestMac, kGuestIp)) {
        Send(*reply);
        continue;
      }
      if (want(frame)) return frame;
    }
    return std::nullopt;
  }

  Mac ResolveGateway() {
    Send(ArpRequest(kGuestMac, kGuestIp, kGatewayIp));
    auto reply = Receive([](const Bytes& f) {
      return f.size() >= 42 && f[12] == 0x08 && f[13] == 0x06 && f[21] == 2;
    });
    Mac mac{};
    EXPECT_TRUE(reply.has_value());
    if (reply) std::copy(reply->begin() + 22, reply->begin() + 28, mac.begin());
    return mac;
  }

  TestMemory mem{8 << 20};
  TestIrq irq;
  std::unique_ptr<VirtioMmio> dev;
  std::unique_ptr<TestDriver> driver;
  std::vector<DriverQueue> q;
  std::map<uint16_t, uint64_t> rx_gpa;
};

TEST_F(VirtioNetTest, ConfigSpace) {
  Open();
  EXPECT_EQ(driver->Reg(reg::kDeviceId), 1u);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(dev->Read(reg::kConfig + i, 1), kGuestMac[i]);
  EXPECT_EQ(dev->Read(reg::kConfig + 6, 2), 1u);  // VIRTIO_NET_S_LINK_UP
}

TEST_F(VirtioNetTest, ArpForGateway) {
  Open();
  const Mac gw = ResolveGateway();
  EXPECT_NE(gw, Mac{});
}

TEST_F(VirtioNetTest, DhcpDiscoverGetsOffer) {
  Open();
  const uint32_t xid = 0x3903f326;
  Send(EthernetFrame(kBroadcast, kGuestMac, kEtherIpv4, DhcpDiscover(kGuestMac, xid)));
  auto offer = Receive([](const Bytes& f) {
    auto p = ParseFrame(f);
    return p && p->ip_protocol == 17 && p->sport == 67 && p->dport == 68;
  });
  ASSERT_TRUE(offer.has_value());
  const ParsedFrame p = *ParseFrame(*offer);
  ASSERT_GE(p.payload.size(), 240u);
  EXPECT_EQ(p.payload[0], 2);  // BOOTREPLY
  EXPECT_EQ(Bytes(p.payload.begin() + 4, p.payload.begin() + 8),
            (Bytes{0x39, 0x03, 0xf3, 0x26}));  // xid echoed
  EXPECT_EQ(Bytes(p.payload.begin() + 16, p.payload.begin() + 20),
            (Bytes{10, 0, 2, 15}));                            // yiaddr
  EXPECT_EQ(DhcpOption(p.payload, 53), Bytes{2});              // DHCPOFFER
  EXPECT_EQ(DhcpOption(p.payload, 54), (Bytes{10, 0, 2, 2}));  // server identifier
  EXPECT_EQ(DhcpOption(p.payload, 3), (Bytes{10, 0, 2, 2}));   // router
  EXPECT_EQ(DhcpOption(p.payload, 6), (Bytes{10, 0, 2, 3}));   // DNS server
  EXPECT_TRUE(irq.WaitRises(0));
}

TEST_F(VirtioNetTest, TcpToHostLoopback) {
  HostServer server;
  Open();
  const Mac gw = ResolveGateway();
  const uint16_t sport = 40000, dport = server.port();
  uint32_t seq = 1000;
  // 10.0.2.2 is the host as seen from the guest: slirp connects to 127.0.0.1.
  Send(EthernetFrame(gw, kGuestMac, kEtherIpv4,
                     TcpPacket(kGuestIp, kGatewayIp, sport, dport, seq, 0, kTcpSyn, {})));
  ASSERT_TRUE(server.Accept());
  auto synack = Receive([&](const Bytes& f) {
    auto p = ParseFrame(f);
    return p && p->ip_protocol == 6 && p->dport == sport;
  });
  ASSERT_TRUE(synack.has_value());
  const ParsedFrame sa = *ParseFrame(*synack);
  EXPECT_EQ(sa.tcp_flags & (kTcpSyn | kTcpAck), kTcpSyn | kTcpAck);
  EXPECT_EQ(sa.ack, seq + 1);
  EXPECT_EQ(sa.ip_src, kGatewayIp);
  ++seq;
  uint32_t peer = sa.seq + 1;
  const Bytes ping = {'p', 'i', 'n', 'g'};
  Send(EthernetFrame(gw, kGuestMac, kEtherIpv4,
                     TcpPacket(kGuestIp, kGatewayIp, sport, dport, seq, peer, kTcpAck, {})));
  Send(EthernetFrame(
      gw, kGuestMac, kEtherIpv4,
      TcpPacket(kGuestIp, kGatewayIp, sport, dport, seq, peer, kTcpAck | kTcpPsh, ping)));
  EXPECT_EQ(server.Recv(), "ping");
  server.Send("pong");
  auto data = Receive([&](const Bytes& f) {
    auto p = ParseFrame(f);
    return p && p->ip_protocol == 6 && p->dport == sport && !p->payload.empty();
  });
  ASSERT_TRUE(data.has_value());
  const ParsedFrame d = *ParseFrame(*data);
  EXPECT_EQ(std::string(d.payload.begin(), d.payload.end()), "pong");
  EXPECT_EQ(d.seq, peer);
  EXPECT_EQ(d.ack, seq + 4);
}

TEST_F(VirtioNetTest, HostForwardReachesGuest) {
  // Find a free port by binding and releasing it (the kernel does not hand it out again at once).
  uint16_t host_port;
  {
    HostServer probe;
    host_port = probe.port();
  }
  NetOptions options;
  std::string error;
  HostForward fwd;
  ASSERT_TRUE(
      NetOptions::ParseHostForward("tcp::" + std::to_string(host_port) + "-:8080", &fwd, &error))
      << error;
  options.forwards.push_back(fwd);
  Open(options);
  ResolveGateway();  // slirp learns the guest's MAC from our ARP request
  const int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(host_port);
  connect(c, reinterpret_cast<sockaddr*>(&a), sizeof(a));  // slirp accepts, then dials the guest
  auto syn = Receive([](const Bytes& f) {
    auto p = ParseFrame(f);
    return p && p->ip_protocol == 6 && p->dport == 8080;
  });
  close(c);
  ASSERT_TRUE(syn.has_value());
  const ParsedFrame s = *ParseFrame(*syn);
  EXPECT_EQ(s.tcp_flags & kTcpSyn, kTcpSyn);
  EXPECT_EQ(s.ip_dst, kGuestIp);
}

TEST(NetOptionsTest, ParseHostForward) {
  HostForward f;
  std::string error;
  ASSERT_TRUE(NetOptions::ParseHostForward("tcp::2222-:22", &f, &error)) << error;
  EXPECT_FALSE(f.udp);
  EXPECT_EQ(f.host_port, 2222);
  EXPECT_EQ(f.guest_port, 22);
  ASSERT_TRUE(NetOptions::ParseHostForward("hostfwd=udp:127.0.0.1:5353-10.0.2.15:53", &f, &error));
  EXPECT_TRUE(f.udp);
  EXPECT_EQ(f.host_port, 5353);
  EXPECT_EQ(f.guest_port, 53);
  for (const char* bad : {"tcp:2222-:22", "sctp::1-:2", "tcp::0-:22", "tcp::70000-:22",
                          "tcp::22-:x", "tcp:1.2.3.4:22-:22", "", "tcp::22-:"}) {
    EXPECT_FALSE(NetOptions::ParseHostForward(bad, &f, &error)) << bad;
  }
}

}  // namespace
}  // namespace polyvm::device::virtio
