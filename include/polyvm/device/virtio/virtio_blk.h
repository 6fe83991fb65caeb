// virtio-blk (device id 2) backed by a raw image file. Requests are parsed on the vCPU thread
// and served by an I/O thread (io_uring), so a vCPU never waits for the disk; completions push
// used entries and raise the interrupt from that thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "polyvm/device/virtio/virtio_device.h"

namespace polyvm::device::virtio {

struct BlkOptions {
  std::string path;        // raw image; its size is rounded down to 512-byte sectors
  bool read_only = false;  // offers VIRTIO_BLK_F_RO; writes complete with VIRTIO_BLK_S_IOERR
  std::string serial;      // VIRTIO_BLK_T_GET_ID answer (up to 20 bytes); default: file name
};

// Creates the device, or returns nullptr with *error set (file missing, not a regular file or
// block device, io_uring unavailable, ...).
std::unique_ptr<VirtioDevice> MakeVirtioBlk(const BlkOptions& options, std::string* error);

}  // namespace polyvm::device::virtio
