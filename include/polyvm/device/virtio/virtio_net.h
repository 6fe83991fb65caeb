// virtio-net (device id 1) over libslirp: user-mode networking without privileges (the guest is
// 10.0.2.15 by DHCP, gateway 10.0.2.2, DNS 10.0.2.3, like QEMU's -netdev user), with
// host-to-guest TCP port forwards. One event thread runs slirp's sockets and timers.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "polyvm/device/virtio/virtio_device.h"

namespace polyvm::device::virtio {

struct HostForward {
  bool udp = false;
  uint16_t host_port = 0;   // listening on host 127.0.0.1
  uint16_t guest_port = 0;  // on the guest's DHCP address
};

struct NetOptions {
  std::array<uint8_t, 6> mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
  std::vector<HostForward> forwards;
  // Parses QEMU's syntax "tcp::HOSTPORT-:GUESTPORT" (also "udp:...", "tcp:127.0.0.1:H-:G",
  // "tcp::H-10.0.2.15:G", and "hostfwd=" in front). False with *error on anything else.
  static bool ParseHostForward(const std::string& spec, HostForward* out, std::string* error);
};

std::unique_ptr<VirtioDevice> MakeVirtioNet(const NetOptions& options, std::string* error);

}  // namespace polyvm::device::virtio
