// Hand-built Ethernet/IPv4/UDP/TCP frames for driving virtio-net as a guest network stack would,
// following RFC 791 (IPv4), RFC 768 (UDP), RFC 793 (TCP), RFC 1071 (checksum), RFC 2131/2132
// (DHCP). Only what the tests need.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace polyvm::device::testing {

using Mac = std::array<uint8_t, 6>;
using Bytes = std::vector<uint8_t>;

inline constexpr uint16_t kEtherIpv4 = 0x0800, kEtherArp = 0x0806;
inline constexpr uint8_t kTcpFin = 0x01, kTcpSyn = 0x02, kTcpPsh = 0x08, kTcpAck = 0x10;

uint32_t Ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

Bytes EthernetFrame(const Mac& dst, const Mac& src, uint16_t type, const Bytes& payload);
Bytes Ipv4Packet(uint32_t src, uint32_t dst, uint8_t protocol, const Bytes& payload);
Bytes UdpPacket(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, const Bytes& payload);
Bytes TcpPacket(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq,
                uint32_t ack, uint8_t flags, const Bytes& payload);
Bytes DhcpDiscover(const Mac& client, uint32_t xid);
// "Who has target_ip? Tell sender_ip" from mac, broadcast.
Bytes ArpRequest(const Mac& mac, uint32_t sender_ip, uint32_t target_ip);
// An ARP reply from (mac, ip) to the asker of `request` (an ARP request frame), or nullopt if the
// frame is not an ARP request for ip.
std::optional<Bytes> ArpReplyTo(const Bytes& request, const Mac& mac, uint32_t ip);

struct ParsedFrame {
  uint16_t ether_type = 0;
  uint8_t ip_protocol = 0;
  uint32_t ip_src = 0, ip_dst = 0;
  uint16_t sport = 0, dport = 0;
  uint32_t seq = 0, ack = 0;  // TCP
  uint8_t tcp_flags = 0;
  Bytes payload;  // UDP or TCP payload
};
std::optional<ParsedFrame> ParseFrame(const Bytes& frame);

// DHCP option `code` from a BOOTP payload (after the magic cookie), if present.
std::optional<Bytes> DhcpOption(const Bytes& bootp, uint8_t code);

}  // namespace polyvm::device::testing
