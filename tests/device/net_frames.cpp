#include "net_frames.h"

namespace polyvm::device::testing {

namespace {

void Put16(Bytes& b, uint16_t v) {
  b.push_back(static_cast<uint8_t>(v >> 8));
  b.push_back(static_cast<uint8_t>(v));
}
void Put32(Bytes& b, uint32_t v) {
  Put16(b, static_cast<uint16_t>(v >> 16));
  Put16(b, static_cast<uint16_t>(v));
}
uint16_t Get16(const Bytes& b, size_t at) { return static_cast<uint16_t>(b[at] << 8 | b[at + 1]); }
uint32_t Get32(const Bytes& b, size_t at) {
  return uint32_t{Get16(b, at)} << 16 | Get16(b, at + 2);
}

// RFC 1071 one's-complement sum, continuing from `sum`.
uint32_t SumWords(const uint8_t* p, size_t n, uint32_t sum) {
  for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>(p[i] << 8 | p[i + 1]);
  if (n % 2) sum += static_cast<uint32_t>(p[n - 1] << 8);
  return sum;
}
uint16_t Fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}
uint16_t PseudoHeaderChecksum(uint32_t src, uint32_t dst, uint8_t protocol, const Bytes& segment) {
  Bytes pseudo;
  Put32(pseudo, src);
  Put32(pseudo, dst);
  pseudo.push_back(0);
  pseudo.push_back(protocol);
  Put16(pseudo, static_cast<uint16_t>(segment.size()));
  return Fold(SumWords(segment.data(), segment.size(), SumWords(pseudo.data(), pseudo.size(), 0)));
}

}  // namespace

uint32_t Ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  return uint32_t{a} << 24 | uint32_t{b} << 16 | uint32_t{c} << 8 | d;
}

Bytes EthernetFrame(const Mac& dst, const Mac& src, uint16_t type, const Bytes& payload) {
  Bytes f(dst.begin(), dst.end());
  f.insert(f.end(), src.begin(), src.end());
  Put16(f, type);
  f.insert(f.end(), payload.begin(), payload.end());
  return f;
}

Bytes Ipv4Packet(uint32_t src, uint32_t dst, uint8_t protocol, const Bytes& payload) {
  Bytes p;
  p.push_back(0x45);  // version 4, 5-word header
  p.push_back(0);
  Put16(p, static_cast<uint16_t>(20 + payload.size()));
  Put16(p, 0x1234);  // identification
  Put16(p, 0x4000);  // don't fragment
  p.push_back(64);   // TTL
  p.push_back(protocol);
  Put16(p, 0);  // checksum, filled below
  Put32(p, src);
  Put32(p, dst);
  const uint16_t sum = Fold(SumWords(p.data(), 20, 0));
  p[10] = static_cast<uint8_t>(sum >> 8);
  p[11] = static_cast<uint8_t>(sum);
  p.insert(p.end(), payload.begin(), payload.end());
  return p;
}

Bytes UdpPacket(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, const Bytes& payload) {
  Bytes u;
  Put16(u, sport);
  Put16(u, dport);
  Put16(u, static_cast<uint16_t>(8 + payload.size()));
  Put16(u, 0);
  u.insert(u.end(), payload.begin(), payload.end());
  uint16_t sum = PseudoHeaderChecksum(src, dst, 17, u);
  if (sum == 0) sum = 0xffff;
  u[6] = static_cast<uint8_t>(sum >> 8);
  u[7] = static_cast<uint8_t>(sum);
  return Ipv4Packet(src, dst, 17, u);
}

Bytes TcpPacket(uint32_t src, uint32_t dst, uint16_t sport, uint16_t dport, uint32_t seq,
                uint32_t ack, uint8_t flags, const Bytes& payload) {
  Bytes t;
  Put16(t, sport);
  Put16(t, dport);
  Put32(t, seq);
  Put32(t, ack);
  t.push_back(5 << 4);  // 20-byte header
  t.push_back(flags);
  Put16(t, 65535);  // window
  Put16(t, 0);      // checksum, filled below
  Put16(t, 0);      // urgent pointer
  t.insert(t.end(), payload.begin(), payload.end());
  const uint16_t sum = PseudoHeaderChecksum(src, dst, 6, t);
  t[16] = static_cast<uint8_t>(sum >> 8);
  t[17] = static_cast<uint8_t>(sum);
  return Ipv4Packet(src, dst, 6, t);
}

Bytes DhcpDiscover(const Mac& client, uint32_t xid) {
  Bytes b(236, 0);
  b[0] = 1;  // BOOTREQUEST
  b[1] = 1;  // Ethernet
  b[2] = 6;  // hardware address length
  b[4] = static_cast<uint8_t>(xid >> 24);
  b[5] = static_cast<uint8_t>(xid >> 16);
  b[6] = static_cast<uint8_t>(xid >> 8);
  b[7] = static_cast<uint8_t>(xid);
  b[10] = 0x80;                                             // broadcast flag
  std::copy(client.begin(), client.end(), b.begin() + 28);  // chaddr
  for (uint8_t c : {99, 130, 83, 99}) b.push_back(c);       // magic cookie
  for (uint8_t c : {53, 1, 1}) b.push_back(c);              // DHCP message type: DISCOVER
  b.push_back(255);                                         // end
  return UdpPacket(0, Ipv4(255, 255, 255, 255), 68, 67, b);
}

Bytes ArpRequest(const Mac& mac, uint32_t sender_ip, uint32_t target_ip) {
  Bytes arp;
  Put16(arp, 1);       // Ethernet
  Put16(arp, 0x0800);  // IPv4
  arp.push_back(6);
  arp.push_back(4);
  Put16(arp, 1);  // request
  arp.insert(arp.end(), mac.begin(), mac.end());
  Put32(arp, sender_ip);
  for (int i = 0; i < 6; ++i) arp.push_back(0);
  Put32(arp, target_ip);
  const Mac broadcast = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  return EthernetFrame(broadcast, mac, kEtherArp, arp);
}

std::optional<Bytes> ArpReplyTo(const Bytes& request, const Mac& mac, uint32_t ip) {
  if (request.size() < 42 || Get16(request, 12) != kEtherArp || Get16(request, 20) != 1 ||
      Get32(request, 38) != ip) {
    return std::nullopt;
  }
  Bytes arp;
  Put16(arp, 1);       // Ethernet
  Put16(arp, 0x0800);  // IPv4
  arp.push_back(6);
  arp.push_back(4);
  Put16(arp, 2);  // reply
  arp.insert(arp.end(), mac.begin(), mac.end());
  Put32(arp, ip);
  arp.insert(arp.end(), request.begin() + 22, request.begin() + 32);  // asker's mac and ip
  Mac asker;
  std::copy(request.begin() + 22, request.begin() + 28, asker.begin());
  return EthernetFrame(asker, mac, kEtherArp, arp);
}

std::optional<ParsedFrame> ParseFrame(const Bytes& f) {
  ParsedFrame p;
  if (f.size() < 14) return std::nullopt;
  p.ether_type = Get16(f, 12);
  if (p.ether_type != kEtherIpv4) return p;
  if (f.size() < 34) return std::nullopt;
  const size_t ip = 14, ihl = (f[ip] & 0x0f) * 4u;
  const size_t total = Get16(f, ip + 2);
  if (f.size() < ip + total || total < ihl) return std::nullopt;
  p.ip_protocol = f[ip + 9];
  p.ip_src = Get32(f, ip + 12);
  p.ip_dst = Get32(f, ip + 16);
  const size_t l4 = ip + ihl, end = ip + total;
  if (p.ip_protocol == 17 && end >= l4 + 8) {
    p.sport = Get16(f, l4);
    p.dport = Get16(f, l4 + 2);
    p.payload.assign(f.begin() + static_cast<long>(l4 + 8), f.begin() + static_cast<long>(end));
  } else if (p.ip_protocol == 6 && end >= l4 + 20) {
    p.sport = Get16(f, l4);
    p.dport = Get16(f, l4 + 2);
    p.seq = Get32(f, l4 + 4);
    p.ack = Get32(f, l4 + 8);
    p.tcp_flags = f[l4 + 13];
    const size_t data = l4 + (f[l4 + 12] >> 4) * 4u;
    if (data <= end) {
      p.payload.assign(f.begin() + static_cast<long>(data), f.begin() + static_cast<long>(end));
    }
  }
  return p;
}

std::optional<Bytes> DhcpOption(const Bytes& bootp, uint8_t code) {
  size_t i = 240;  // fixed part (236) + magic cookie (4)
  while (i < bootp.size()) {
    const uint8_t c = bootp[i];
    if (c == 255) break;
    if (c == 0) {
      ++i;
      continue;
    }
    if (i + 1 >= bootp.size()) break;
    const uint8_t len = bootp[i + 1];
    if (i + 2 + len > bootp.size()) break;
    if (c == code)
      return Bytes(bootp.begin() + static_cast<long>(i + 2),
                   bootp.begin() + static_cast<long>(i + 2 + len));
    i += 2 + len;
  }
  return std::nullopt;
}

}  // namespace polyvm::device::testing
