#include "polyvm/device/virtio/blk_request.h"

#include <algorithm>
#include <cstring>

namespace polyvm::device::virtio {

std::vector<Buffer> SliceBuffers(std::span<const Buffer> buffers, uint64_t offset, uint64_t len) {
  std::vector<Buffer> out;
  for (const Buffer& b : buffers) {
    if (len == 0) break;
    if (offset >= b.len) {
      offset -= b.len;
      continue;
    }
    const uint64_t n = std::min<uint64_t>(b.len - offset, len);
    out.push_back({b.gpa + offset, static_cast<uint32_t>(n)});
    len -= n;
    offset = 0;
  }
  return out;
}

bool ParseBlkRequest(const core::GuestRam& ram, const Chain& chain, BlkRequest* out,
                     std::string* error) {
  if (chain.writable_bytes == 0) {
    *error = "virtio-blk request without a writable status byte";
    return false;
  }
  uint8_t header[16];
  if (CopyFromChain(ram, chain.readable, 0, header) != sizeof(header)) {
    *error = "virtio-blk request header shorter than 16 bytes";
    return false;
  }
  std::memcpy(&out->type, header, 4);
  std::memcpy(&out->sector, header + 8, 8);
  // The status byte is the last writable byte.
  const std::vector<Buffer> status = SliceBuffers(chain.writable, chain.writable_bytes - 1, 1);
  out->status_gpa = status.at(0).gpa;
  if (out->type == kBlkTypeOut) {
    out->data = SliceBuffers(chain.readable, 16, chain.readable_bytes - 16);
    out->data_bytes = chain.readable_bytes - 16;
  } else {
    out->data = SliceBuffers(chain.writable, 0, chain.writable_bytes - 1);
    out->data_bytes = chain.writable_bytes - 1;
  }
  return true;
}

uint8_t CheckBlkRequest(const BlkRequest& request, uint64_t capacity_sectors, bool read_only) {
  switch (request.type) {
    case kBlkTypeIn:
    case kBlkTypeOut:
      if (request.type == kBlkTypeOut && read_only) return kBlkStatusIoErr;
      if (request.data_bytes % kSectorSize != 0) return kBlkStatusIoErr;
      if (request.sector > capacity_sectors ||
          request.data_bytes / kSectorSize > capacity_sectors - request.sector) {
        return kBlkStatusIoErr;
      }
      return kBlkStatusOk;
    case kBlkTypeFlush:
    case kBlkTypeGetId: return kBlkStatusOk;
    default: return kBlkStatusUnsupported;
  }
}

}  // namespace polyvm::device::virtio
