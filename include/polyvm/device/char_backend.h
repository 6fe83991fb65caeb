// Where a serial-like device's bytes go and come from: the host terminal (stdio) or memory (tests).
// Pull model with a wake-up: the device reads input only when it has room, so nothing is lost when
// the guest is slow; the backend calls the input notifier when new input may be readable.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace polyvm::device {

class CharBackend {
 public:
  virtual ~CharBackend() = default;

  // Guest -> host. Must not block for long (a vCPU may be calling); a backend that cannot take the
  // bytes drops them and counts them.
  virtual void Write(std::span<const uint8_t> bytes) = 0;

  // Host -> guest. Non-blocking: copies up to out.size() pending bytes, returns how many.
  virtual size_t Read(std::span<uint8_t> out) = 0;

  // notify is called, from any thread and with no backend lock held, whenever Read may return
  // more bytes than before. One notifier per backend (the device that owns the input side);
  // passing an empty function detaches it. Lock order: a device may call Read/Write while holding
  // its own lock; the backend never calls notify while holding its lock.
  virtual void SetInputNotifier(std::function<void()> notify) = 0;
};

}  // namespace polyvm::device
