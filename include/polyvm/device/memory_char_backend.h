// A CharBackend over in-memory buffers, for tests and for capturing guest console output.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "polyvm/device/char_backend.h"

namespace polyvm::device {

class MemoryCharBackend final : public CharBackend {
 public:
  void Write(std::span<const uint8_t> bytes) override;
  size_t Read(std::span<uint8_t> out) override;
  void SetInputNotifier(std::function<void()> notify) override;

  // Queues host -> guest bytes and wakes the attached device.
  void PushInput(std::string_view bytes);
  // Everything the guest wrote so far, and clears it.
  std::string TakeOutput();
  size_t pending_input() const;

 private:
  mutable std::mutex mu_;  // input_, output_
  std::mutex notify_mu_;   // notify_; held while calling it so detaching waits for a caller
  std::deque<uint8_t> input_;
  std::string output_;
  std::function<void()> notify_;
};

}  // namespace polyvm::device
