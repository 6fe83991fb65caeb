// Diagnostics for guest misbehaviour seen by devices (bad register accesses, broken virtio
// protocol). Printed to stderr with the device name, at most a bounded number of lines per
// process so a misbehaving guest cannot flood the host terminal.
#pragma once

#include <string_view>

namespace polyvm::device {

void ReportGuestError(std::string_view device, std::string_view message);

}  // namespace polyvm::device
