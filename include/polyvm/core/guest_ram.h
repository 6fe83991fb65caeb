// A bounds-checked view of guest physical RAM for devices that do DMA (virtio queues, buffers).
// Every guest-supplied address goes through Translate/Read/Write, which refuse any range that is
// not wholly inside RAM, so a malicious guest address can never reach other host memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

namespace polyvm::core {

// One contiguous region of guest physical memory, [base, base + size), backed by host memory at
// host. The view does not own the memory; the machine (or a test) keeps it alive for as long as
// any device holds the view. Copyable and cheap.
//
// Concurrency: vCPUs write guest RAM while devices read it; like real DMA, a device that needs a
// consistent value of a shared field (a virtqueue index) reads it with an atomic access through
// Translate, and copies plain buffers with Read/Write.
class GuestRam {
 public:
  GuestRam() = default;
  GuestRam(uint64_t base, uint8_t* host, uint64_t size) : base_(base), host_(host), size_(size) {}

  uint64_t base() const { return base_; }
  uint64_t size() const { return size_; }

  // Host pointer to [gpa, gpa + len) if that whole range lies in RAM, else nullptr.
  // len == 0 is allowed (any gpa in [base, base + size]). No arithmetic here can overflow.
  uint8_t* Translate(uint64_t gpa, uint64_t len) const {
    if (host_ == nullptr || gpa < base_) return nullptr;
    const uint64_t offset = gpa - base_;
    if (offset > size_ || len > size_ - offset) return nullptr;
    return host_ + offset;
  }

  bool Contains(uint64_t gpa, uint64_t len) const { return Translate(gpa, len) != nullptr; }

  // Copy guest memory out to / in from host buffers. False (and nothing copied) if any byte of
  // the guest range is outside RAM.
  bool Read(uint64_t gpa, std::span<uint8_t> out) const {
    const uint8_t* src = Translate(gpa, out.size());
    if (src == nullptr) return false;
    if (!out.empty()) std::memcpy(out.data(), src, out.size());
    return true;
  }
  bool Write(uint64_t gpa, std::span<const uint8_t> in) const {
    uint8_t* dst = Translate(gpa, in.size());
    if (dst == nullptr) return false;
    if (!in.empty()) std::memcpy(dst, in.data(), in.size());
    return true;
  }

 private:
  uint64_t base_ = 0;
  uint8_t* host_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace polyvm::core
