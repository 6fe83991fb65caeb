// libFuzzer harness: the virtio-blk request parser and checker over chains popped from
// attacker-controlled guest RAM. Besides memory safety it checks the parser's promises: the
// status byte and data buffers lie in RAM, and an accepted read/write stays inside the disk.
#include "fuzz_ram.h"
#include "polyvm/device/virtio/blk_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace polyvm::device;
  fuzz::FuzzQueue q;
  if (!fuzz::MakeFuzzQueue(data, size, &q)) return 0;
  const uint64_t capacity = q.header >> 16;  // sectors, attacker-chosen, up to 2^48
  const bool read_only = q.header & 1;
  virtio::Chain chain;
  std::string error;
  for (int i = 0; i < 64; ++i) {
    if (q.vq->Pop(&chain, &error) != virtio::Virtqueue::PopResult::kChain) break;
    virtio::BlkRequest request;
    if (!virtio::ParseBlkRequest(q.ram, chain, &request, &error)) continue;
    if (!q.ram.Contains(request.status_gpa, 1)) __builtin_trap();
    uint64_t total = 0;
    for (const virtio::Buffer& b : request.data) {
      if (!q.ram.Contains(b.gpa, b.len)) __builtin_trap();
      total += b.len;
    }
    if (total != request.data_bytes) __builtin_trap();
    const uint8_t status = virtio::CheckBlkRequest(request, capacity, read_only);
    if (status == virtio::kBlkStatusOk &&
        (request.type == virtio::kBlkTypeIn || request.type == virtio::kBlkTypeOut)) {
      if (request.data_bytes % virtio::kSectorSize != 0) __builtin_trap();
      if (request.sector > capacity ||
          request.data_bytes / virtio::kSectorSize > capacity - request.sector) {
        __builtin_trap();
      }
      if (read_only && request.type == virtio::kBlkTypeOut) __builtin_trap();
    }
  }
  return 0;
}
