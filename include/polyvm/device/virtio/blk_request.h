// Parsing and checking of virtio-blk requests (virtio 1.x section 5.2.6), separate from the I/O
// so that a fuzzer and unit tests can drive it on its own. A request chain is: a 16-byte header
// {le32 type, le32 reserved, le64 sector} in device-readable buffers, then the data, then one
// device-writable status byte at the very end.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "polyvm/core/guest_ram.h"
#include "polyvm/device/virtio/virtqueue.h"

namespace polyvm::device::virtio {

inline constexpr uint32_t kBlkTypeIn = 0, kBlkTypeOut = 1, kBlkTypeFlush = 4, kBlkTypeGetId = 8;
inline constexpr uint8_t kBlkStatusOk = 0, kBlkStatusIoErr = 1, kBlkStatusUnsupported = 2;
inline constexpr uint64_t kSectorSize = 512;
inline constexpr uint32_t kBlkIdBytes = 20;

struct BlkRequest {
  uint32_t type = 0;
  uint64_t sector = 0;
  std::vector<Buffer> data;  // OUT: what to write; IN, GET_ID: where to put the result
  uint64_t data_bytes = 0;
  uint64_t status_gpa = 0;  // the last writable byte of the chain
};

// Splits a chain into a request. False (with *error) only when the chain cannot be a request at
// all (no status byte, header shorter than 16 bytes): a protocol violation with no way to report
// it to the driver. Unknown types and bad sectors parse fine and fail in CheckBlkRequest.
bool ParseBlkRequest(const core::GuestRam& ram, const Chain& chain, BlkRequest* out,
                     std::string* error);

// The status the device must report without touching the disk, or kBlkStatusOk if the request
// may go to the disk: unsupported types, writes to a read-only disk, data not a whole number of
// sectors, or sectors beyond capacity (overflow-safe).
uint8_t CheckBlkRequest(const BlkRequest& request, uint64_t capacity_sectors, bool read_only);

// The buffers covering bytes [offset, offset + len) of a buffer list (len clipped to what exists).
std::vector<Buffer> SliceBuffers(std::span<const Buffer> buffers, uint64_t offset, uint64_t len);

}  // namespace polyvm::device::virtio
