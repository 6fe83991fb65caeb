// virtio-rng (device id 4): fills each device-writable buffer with host getrandom() bytes.
#pragma once

#include <memory>

#include "polyvm/device/virtio/virtio_device.h"

namespace polyvm::device::virtio {

std::unique_ptr<VirtioDevice> MakeVirtioRng();

}  // namespace polyvm::device::virtio
