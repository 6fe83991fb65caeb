// A bounds-checked view of guest physical RAM for devices that do DMA (virtio queues, buffers).
// Every guest-supplied address goes through Translate/Read/Write, which refuse any range that is
// not wholly inside RAM, so a malicious guest address can never reach other host memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>

namespace polyvm::core {

// Told about every write a device makes into guest RAM (DMA), so that a system-mode machine can
// forget translated code of the bytes written (ExecutionEngine::InvalidatePhysical). Called from
// any thread (vCPUs, device I/O threads) after the bytes are in place.
class DmaWriteObserver {
 public:
  virtual ~DmaWriteObserver() = default;
  virtual void OnDmaWrite(uint64_t gpa, uint64_t len) = 0;
};

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

  // Every Write (and every NoteWrite) is reported to `observer` (which must outlive the view and
  // its copies); null: nobody listens.
  void set_write_observer(DmaWriteObserver* observer) { observer_ = observer; }

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
    NoteWrite(gpa, in.size());
    return true;
  }

  // A device that wrote RAM through a Translate pointer (e.g. asynchronous file reads straight
  // into guest buffers) reports the range here once the bytes are in place.
  void NoteWrite(uint64_t gpa, uint64_t len) const {
    if (observer_ != nullptr && len != 0) observer_->OnDmaWrite(gpa, len);
  }

 private:
  uint64_t base_ = 0;
  uint8_t* host_ = nullptr;
  uint64_t size_ = 0;
  DmaWriteObserver* observer_ = nullptr;
};

}  // namespace polyvm::core
