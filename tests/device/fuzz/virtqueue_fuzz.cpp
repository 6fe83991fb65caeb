// libFuzzer harness: split-virtqueue parsing (direct and indirect chains, ring indices, event
// suppression) over attacker-controlled guest RAM. Crashes, sanitizer reports and buffers outside
// RAM are findings.
#include "fuzz_ram.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace polyvm::device;
  fuzz::FuzzQueue q;
  if (!fuzz::MakeFuzzQueue(data, size, &q)) return 0;
  virtio::Chain chain;
  std::string error;
  uint8_t scratch[256];
  for (int i = 0; i < 64; ++i) {
    const auto r = q.vq->Pop(&chain, &error);
    if (r != virtio::Virtqueue::PopResult::kChain) break;
    fuzz::CheckChain(q.ram, chain);
    virtio::CopyFromChain(q.ram, chain.readable, q.header & 0xff, scratch);
    virtio::CopyToChain(q.ram, chain.writable, (q.header >> 8) & 0xff, scratch);
    q.vq->PushUsed(chain.head, static_cast<uint32_t>(chain.writable_bytes));
    q.vq->ShouldInterrupt();
    q.vq->ArmNotification();
  }
  return 0;
}
