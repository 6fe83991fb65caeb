// The console's escape key, as QEMU's: Ctrl-A x ends the machine, Ctrl-A Ctrl-A sends one Ctrl-A
// to the guest. It sits between the host terminal's CharBackend and the guest's serial port and
// drains the terminal as soon as input arrives, so the escape works even when the guest has stopped
// reading its UART.
#pragma once

#include <deque>
#include <functional>
#include <mutex>

#include "polyvm/device/char_backend.h"

namespace polyvm::runtime {

class EscapeBackend final : public device::CharBackend {
 public:
  static constexpr uint8_t kEscapeKey = 0x01;  // Ctrl-A

  // inner must outlive this backend; on_escape is called on the inner backend's thread.
  EscapeBackend(device::CharBackend& inner, std::function<void()> on_escape);
  ~EscapeBackend() override;

  void Write(std::span<const uint8_t> bytes) override { inner_.Write(bytes); }
  size_t Read(std::span<uint8_t> out) override;
  void SetInputNotifier(std::function<void()> notify) override;

 private:
  // inner -> pending_, filtering the escape sequences; `notify`: tell the device if bytes came.
  void Drain(bool notify);

  static constexpr size_t kMaxPending = 64 * 1024;  // beyond this, leave input in the inner backend
  device::CharBackend& inner_;
  std::function<void()> on_escape_;
  std::mutex mu_;  // pending_, after_escape_
  std::deque<uint8_t> pending_;
  bool after_escape_ = false;
  std::mutex notify_mu_;
  std::function<void()> notify_;
};

}  // namespace polyvm::runtime
