// A CharBackend on host file descriptors (normally stdin/stdout): a reader thread polls the input
// fd and buffers what arrives; output is written straight through. Putting a terminal in raw mode
// is the caller's job (the CLI), so this class works the same on pipes and files.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <span>
#include <thread>

#include "polyvm/device/char_backend.h"

namespace polyvm::device {

class StdioCharBackend final : public CharBackend {
 public:
  // The fds stay owned by the caller. in_fd < 0: no input.
  explicit StdioCharBackend(int in_fd = 0, int out_fd = 1);
  ~StdioCharBackend() override;

  void Write(std::span<const uint8_t> bytes) override;
  size_t Read(std::span<uint8_t> out) override;
  void SetInputNotifier(std::function<void()> notify) override;

 private:
  void ReaderLoop();

  static constexpr size_t kMaxBuffered = 64 * 1024;  // reader pauses when the guest lags this far

  int in_fd_;
  int out_fd_;
  int stop_fd_ = -1;  // eventfd that wakes the reader for shutdown or when room frees up
  std::atomic<bool> stopping_{false};
  std::mutex mu_;  // input_
  std::mutex notify_mu_;
  std::deque<uint8_t> input_;
  std::function<void()> notify_;
  std::thread reader_;
};

}  // namespace polyvm::device
