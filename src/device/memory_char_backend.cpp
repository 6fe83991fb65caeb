#include "polyvm/device/memory_char_backend.h"

#include <algorithm>
#include <utility>

namespace polyvm::device {

void MemoryCharBackend::Write(std::span<const uint8_t> bytes) {
  std::lock_guard lock(mu_);
  output_.append(bytes.begin(), bytes.end());
}

size_t MemoryCharBackend::Read(std::span<uint8_t> out) {
  std::lock_guard lock(mu_);
  const size_t n = std::min(out.size(), input_.size());
  std::copy_n(input_.begin(), n, out.begin());
  input_.erase(input_.begin(), input_.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

void MemoryCharBackend::SetInputNotifier(std::function<void()> notify) {
  std::lock_guard lock(notify_mu_);
  notify_ = std::move(notify);
}

void MemoryCharBackend::PushInput(std::string_view bytes) {
  {
    std::lock_guard lock(mu_);
    input_.insert(input_.end(), bytes.begin(), bytes.end());
  }
  std::lock_guard lock(notify_mu_);
  if (notify_) notify_();
}

std::string MemoryCharBackend::TakeOutput() {
  std::lock_guard lock(mu_);
  return std::exchange(output_, {});
}

size_t MemoryCharBackend::pending_input() const {
  std::lock_guard lock(mu_);
  return input_.size();
}

}  // namespace polyvm::device
