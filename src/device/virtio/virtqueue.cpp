// Split virtqueue (virtio 1.x section 2.7). Layout of the areas, all little-endian:
//   descriptor table: size x {le64 addr, le32 len, le16 flags, le16 next}
//   driver area (avail): le16 flags, le16 idx, le16 ring[size], le16 used_event
//   device area (used):  le16 flags, le16 idx, {le32 id, le32 len} ring[size], le16 avail_event
// Hosts are little-endian (x86-64, AArch64, RISC-V), so fields are read in place.
#include "polyvm/device/virtio/virtqueue.h"

#include <atomic>
#include <cstring>
#include <limits>

namespace polyvm::device::virtio {

namespace {

constexpr uint16_t kDescNext = 1, kDescWrite = 2, kDescIndirect = 4;
constexpr uint16_t kAvailNoInterrupt = 1;
constexpr uint32_t kMaxQueueSize = 32768;
constexpr uint64_t kDescSize = 16;

struct RawDesc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};
static_assert(sizeof(RawDesc) == kDescSize);

uint16_t LoadAcquire16(const uint8_t* p) {
  return std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(const_cast<uint8_t*>(p)))
      .load(std::memory_order_acquire);
}
void StoreRelease16(uint8_t* p, uint16_t v) {
  std::atomic_ref<uint16_t>(*reinterpret_cast<uint16_t*>(p)).store(v, std::memory_order_release);
}
void StoreRelaxed32(uint8_t* p, uint32_t v) {
  std::atomic_ref<uint32_t>(*reinterpret_cast<uint32_t*>(p)).store(v, std::memory_order_relaxed);
}

bool ReadDesc(const core::GuestRam& ram, uint64_t table, uint32_t index, RawDesc* out) {
  return ram.Read(table + uint64_t{index} * kDescSize,
                  {reinterpret_cast<uint8_t*>(out), sizeof(*out)});
}

}  // namespace

std::unique_ptr<Virtqueue> Virtqueue::Create(const core::GuestRam& ram, const QueueLayout& layout,
                                             bool indirect, bool event_idx, std::string* error) {
  const uint32_t size = layout.size;
  if (size == 0 || size > kMaxQueueSize || (size & (size - 1)) != 0) {
    *error = "queue size " + std::to_string(size) + " is not a power of 2 in 1..32768";
    return nullptr;
  }
  if (layout.desc % 16 != 0 || layout.driver % 2 != 0 || layout.device % 4 != 0) {
    *error = "virtqueue areas misaligned (descriptors 16, driver 2, device 4 bytes)";
    return nullptr;
  }
  if (!ram.Contains(layout.desc, kDescSize * size) || !ram.Contains(layout.driver, 6 + 2 * size) ||
      !ram.Contains(layout.device, 6 + 8 * size)) {
    *error = "virtqueue areas not inside guest RAM";
    return nullptr;
  }
  return std::unique_ptr<Virtqueue>(new Virtqueue(ram, layout, indirect, event_idx));
}

Virtqueue::Virtqueue(const core::GuestRam& ram, const QueueLayout& layout, bool indirect,
                     bool event_idx)
    : ram_(ram), layout_(layout), indirect_(indirect), event_idx_(event_idx) {
  avail_ = ram_.Translate(layout.driver, 6 + 2 * uint64_t{layout.size});
  used_ = ram_.Translate(layout.device, 6 + 8 * uint64_t{layout.size});
}

uint16_t Virtqueue::LoadAvailIdx() const { return LoadAcquire16(avail_ + 2); }

uint16_t Virtqueue::last_avail() const {
  std::lock_guard lock(mu_);
  return last_avail_;
}

Virtqueue::PopResult Virtqueue::Pop(Chain* chain, std::string* error) {
  std::lock_guard lock(mu_);
  const uint16_t avail_idx = LoadAvailIdx();
  if (avail_idx == last_avail_) return PopResult::kEmpty;
  if (static_cast<uint16_t>(avail_idx - last_avail_) > layout_.size) {
    *error = "avail idx " + std::to_string(avail_idx) + " ran ahead of the device (" +
             std::to_string(last_avail_) + ") by more than the queue size";
    return PopResult::kError;
  }
  uint16_t head;
  std::memcpy(&head, avail_ + 4 + 2 * static_cast<uint64_t>(last_avail_ % layout_.size),
              sizeof(head));
  const PopResult result = WalkChain(head, chain, error);
  if (result == PopResult::kChain) ++last_avail_;
  return result;
}

Virtqueue::PopResult Virtqueue::WalkChain(uint16_t head, Chain* chain, std::string* error) const {
  chain->head = head;
  chain->readable.clear();
  chain->writable.clear();
  chain->readable_bytes = 0;
  chain->writable_bytes = 0;
  auto fail = [error](std::string why) {
    *error = std::move(why);
    return PopResult::kError;
  };
  if (head >= layout_.size)
    return fail("head descriptor " + std::to_string(head) + " out of range");

  uint64_t table = layout_.desc;
  uint32_t table_size = layout_.size;
  uint32_t index = head;
  uint32_t in_table = 0;  // descriptors visited in the current table: more than its size = loop
  uint32_t total = 0;
  bool in_indirect = false;
  for (;;) {
    if (++in_table > table_size || ++total > kMaxChainDescriptors) {
      return fail("descriptor chain from head " + std::to_string(head) +
                  " loops or is longer than allowed");
    }
    RawDesc desc;
    if (!ReadDesc(ram_, table, index, &desc)) return fail("descriptor table outside guest RAM");
    if (desc.flags & kDescIndirect) {
      if (!indirect_) return fail("indirect descriptor without VIRTIO_F_INDIRECT_DESC");
      if (in_indirect) return fail("indirect descriptor inside an indirect table");
      if (desc.flags & kDescNext) return fail("indirect descriptor with the NEXT flag");
      if (desc.len == 0 || desc.len % kDescSize != 0 ||
          desc.len / kDescSize > kMaxChainDescriptors) {
        return fail("indirect table of " + std::to_string(desc.len) + " bytes");
      }
      if (!ram_.Contains(desc.addr, desc.len)) return fail("indirect table outside guest RAM");
      table = desc.addr;
      table_size = desc.len / kDescSize;
      index = 0;
      in_table = 0;
      in_indirect = true;
      continue;
    }
    if (!ram_.Contains(desc.addr, desc.len)) {
      return fail("buffer " + std::to_string(desc.addr) + "+" + std::to_string(desc.len) +
                  " outside guest RAM");
    }
    if (desc.flags & kDescWrite) {
      chain->writable.push_back({desc.addr, desc.len});
      chain->writable_bytes += desc.len;
    } else {
      if (!chain->writable.empty()) return fail("device-readable buffer after a writable one");
      chain->readable.push_back({desc.addr, desc.len});
      chain->readable_bytes += desc.len;
    }
    if (chain->readable_bytes + chain->writable_bytes > std::numeric_limits<uint32_t>::max()) {
      return fail("descriptor chain longer than 4 GiB");
    }
    if (!(desc.flags & kDescNext)) return PopResult::kChain;
    if (desc.next >= table_size) {
      return fail("next descriptor " + std::to_string(desc.next) + " out of range");
    }
    index = desc.next;
  }
}

void Virtqueue::PushUsed(uint16_t head, uint32_t written) {
  std::lock_guard lock(mu_);
  uint8_t* elem = used_ + 4 + 8 * static_cast<uint64_t>(used_idx_ % layout_.size);
  StoreRelaxed32(elem, head);
  StoreRelaxed32(elem + 4, written);
  ++used_idx_;
  StoreRelease16(used_ + 2, used_idx_);  // the element is visible before the index
}

bool Virtqueue::ShouldInterrupt() {
  std::lock_guard lock(mu_);
  // Our used->idx store must be visible before we read the driver's suppression fields, and the
  // driver orders them the other way round (virtio 1.x section 2.7.7.2).
  std::atomic_thread_fence(std::memory_order_seq_cst);
  const uint16_t old_used = signalled_used_;
  const uint16_t new_used = used_idx_;
  signalled_used_ = new_used;
  if (old_used == new_used) return false;
  if (!event_idx_) return (LoadAcquire16(avail_) & kAvailNoInterrupt) == 0;
  const uint16_t used_event = LoadAcquire16(avail_ + 4 + 2 * uint64_t{layout_.size});
  // vring_need_event: did used->idx pass used_event since the last interrupt decision?
  return static_cast<uint16_t>(new_used - used_event - 1) <
         static_cast<uint16_t>(new_used - old_used);
}

bool Virtqueue::ArmNotification() {
  std::lock_guard lock(mu_);
  if (event_idx_) StoreRelease16(used_ + 4 + 8 * uint64_t{layout_.size}, last_avail_);
  std::atomic_thread_fence(std::memory_order_seq_cst);
  return LoadAvailIdx() != last_avail_;
}

uint64_t CopyFromChain(const core::GuestRam& ram, std::span<const Buffer> buffers, uint64_t offset,
                       std::span<uint8_t> out) {
  uint64_t done = 0;
  for (const Buffer& b : buffers) {
    if (done == out.size()) break;
    if (offset >= b.len) {
      offset -= b.len;
      continue;
    }
    const uint64_t n = std::min<uint64_t>(b.len - offset, out.size() - done);
    if (!ram.Read(b.gpa + offset, out.subspan(done, n))) break;
    done += n;
    offset = 0;
  }
  return done;
}

uint64_t CopyToChain(const core::GuestRam& ram, std::span<const Buffer> buffers, uint64_t offset,
                     std::span<const uint8_t> in) {
  uint64_t done = 0;
  for (const Buffer& b : buffers) {
    if (done == in.size()) break;
    if (offset >= b.len) {
      offset -= b.len;
      continue;
    }
    const uint64_t n = std::min<uint64_t>(b.len - offset, in.size() - done);
    if (!ram.Write(b.gpa + offset, in.subspan(done, n))) break;
    done += n;
    offset = 0;
  }
  return done;
}

}  // namespace polyvm::device::virtio
