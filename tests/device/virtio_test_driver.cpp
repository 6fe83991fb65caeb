#include "virtio_test_driver.h"

#include <atomic>
#include <chrono>
#include <thread>

namespace polyvm::device::testing {

using virtio::VirtioMmio;

uint64_t TestDriver::DeviceFeatures() {
  SetReg(reg::kDeviceFeaturesSel, 0);
  uint64_t f = Reg(reg::kDeviceFeatures);
  SetReg(reg::kDeviceFeaturesSel, 1);
  return f | (uint64_t{Reg(reg::kDeviceFeatures)} << 32);
}

bool TestDriver::Negotiate(uint64_t features) {
  SetReg(reg::kStatus, 0);
  SetReg(reg::kStatus, VirtioMmio::kStatusAcknowledge);
  SetReg(reg::kStatus, VirtioMmio::kStatusAcknowledge | VirtioMmio::kStatusDriver);
  SetReg(reg::kDriverFeaturesSel, 0);
  SetReg(reg::kDriverFeatures, static_cast<uint32_t>(features));
  SetReg(reg::kDriverFeaturesSel, 1);
  SetReg(reg::kDriverFeatures, static_cast<uint32_t>(features >> 32));
  SetReg(reg::kStatus, Status() | VirtioMmio::kStatusFeaturesOk);
  return (Status() & VirtioMmio::kStatusFeaturesOk) != 0;
}

DriverQueue TestDriver::SetupQueue(uint16_t index, uint16_t size) {
  DriverQueue q;
  q.index = index;
  q.size = size;
  q.desc = mem_.Alloc(16u * size, 16);
  q.avail = mem_.Alloc(6u + 2u * size, 2);
  q.used = mem_.Alloc(6u + 8u * size, 4);
  SetReg(reg::kQueueSel, index);
  SetReg(reg::kQueueNum, size);
  SetReg(reg::kQueueDescLow, static_cast<uint32_t>(q.desc));
  SetReg(reg::kQueueDescHigh, static_cast<uint32_t>(q.desc >> 32));
  SetReg(reg::kQueueDriverLow, static_cast<uint32_t>(q.avail));
  SetReg(reg::kQueueDriverHigh, static_cast<uint32_t>(q.avail >> 32));
  SetReg(reg::kQueueDeviceLow, static_cast<uint32_t>(q.used));
  SetReg(reg::kQueueDeviceHigh, static_cast<uint32_t>(q.used >> 32));
  SetReg(reg::kQueueReady, 1);
  return q;
}

std::vector<DriverQueue> TestDriver::Start(uint64_t features, uint16_t num_queues, uint16_t size) {
  std::vector<DriverQueue> queues;
  if (!Negotiate(features)) return queues;
  for (uint16_t i = 0; i < num_queues; ++i) queues.push_back(SetupQueue(i, size));
  DriverOk();
  return queues;
}

void TestDriver::Publish(DriverQueue& q, uint16_t head, bool kick) {
  mem_.Put<uint16_t>(q.avail + 4 + 2u * (q.avail_idx % q.size), head);
  ++q.avail_idx;
  std::atomic_thread_fence(std::memory_order_release);
  mem_.Put<uint16_t>(q.avail + 2, q.avail_idx);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (kick) Kick(q);
}

uint16_t TestDriver::Submit(DriverQueue& q, const std::vector<Seg>& segs, bool kick) {
  const uint16_t head = q.next_desc;
  for (size_t i = 0; i < segs.size(); ++i) {
    const uint16_t idx = static_cast<uint16_t>((head + i) % q.size);
    const bool last = i + 1 == segs.size();
    const uint64_t d = q.desc + 16u * idx;
    mem_.Put<uint64_t>(d, segs[i].gpa);
    mem_.Put<uint32_t>(d + 8, segs[i].len);
    mem_.Put<uint16_t>(d + 12, static_cast<uint16_t>((last ? 0 : kDescNext) |
                                                     (segs[i].writable ? kDescWrite : 0)));
    mem_.Put<uint16_t>(d + 14, static_cast<uint16_t>((idx + 1) % q.size));
  }
  q.next_desc = static_cast<uint16_t>((head + segs.size()) % q.size);
  Publish(q, head, kick);
  return head;
}

uint16_t TestDriver::SubmitIndirect(DriverQueue& q, const std::vector<Seg>& segs, bool kick) {
  const uint64_t table = mem_.Alloc(16u * segs.size(), 16);
  for (size_t i = 0; i < segs.size(); ++i) {
    const uint64_t d = table + 16u * i;
    const bool last = i + 1 == segs.size();
    mem_.Put<uint64_t>(d, segs[i].gpa);
    mem_.Put<uint32_t>(d + 8, segs[i].len);
    mem_.Put<uint16_t>(d + 12, static_cast<uint16_t>((last ? 0 : kDescNext) |
                                                     (segs[i].writable ? kDescWrite : 0)));
    mem_.Put<uint16_t>(d + 14, static_cast<uint16_t>(i + 1));
  }
  const uint16_t head = q.next_desc;
  const uint64_t d = q.desc + 16u * head;
  mem_.Put<uint64_t>(d, table);
  mem_.Put<uint32_t>(d + 8, static_cast<uint32_t>(16u * segs.size()));
  mem_.Put<uint16_t>(d + 12, kDescIndirect);
  mem_.Put<uint16_t>(d + 14, 0);
  q.next_desc = static_cast<uint16_t>((head + 1) % q.size);
  Publish(q, head, kick);
  return head;
}

bool TestDriver::PollUsed(DriverQueue& q, UsedElem* out) {
  const uint16_t idx =
      std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(mem_.Host(q.used + 2)))
          .load(std::memory_order_acquire);
  if (idx == q.last_used) return false;
  const uint64_t e = q.used + 4 + 8u * (q.last_used % q.size);
  out->id = mem_.Get<uint32_t>(e);
  out->len = mem_.Get<uint32_t>(e + 4);
  ++q.last_used;
  return true;
}

bool TestDriver::WaitUsed(DriverQueue& q, UsedElem* out) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!PollUsed(q, out)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace polyvm::device::testing
