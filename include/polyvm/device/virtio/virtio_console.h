// virtio-console (device id 3) with one port and no multiport: receiveq 0 carries host input from
// a CharBackend, transmitq 1 carries guest output to it (/dev/hvc0 in a Linux guest).
#pragma once

#include <memory>

#include "polyvm/device/char_backend.h"
#include "polyvm/device/virtio/virtio_device.h"

namespace polyvm::device::virtio {

// backend must outlive the device; the device becomes the backend's input notifier.
std::unique_ptr<VirtioDevice> MakeVirtioConsole(CharBackend& backend);

}  // namespace polyvm::device::virtio
