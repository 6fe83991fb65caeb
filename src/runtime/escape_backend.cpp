// Ctrl-A x / Ctrl-A Ctrl-A filtering of console input (see the header).
#include "polyvm/runtime/escape_backend.h"

#include <algorithm>

namespace polyvm::runtime {

EscapeBackend::EscapeBackend(device::CharBackend& inner, std::function<void()> on_escape)
    : inner_(inner), on_escape_(std::move(on_escape)) {
  inner_.SetInputNotifier([this] { Drain(true); });
}

EscapeBackend::~EscapeBackend() { inner_.SetInputNotifier({}); }

void EscapeBackend::Drain(bool notify) {
  bool escape = false, got = false;
  {
    std::lock_guard lock(mu_);
    uint8_t buf[256];
    while (pending_.size() < kMaxPending) {
      const size_t n = inner_.Read({buf, std::min(sizeof buf, kMaxPending - pending_.size())});
      if (n == 0) break;
      for (size_t i = 0; i < n; ++i) {
        const uint8_t c = buf[i];
        if (after_escape_) {
          after_escape_ = false;
          if (c == 'x' || c == 'X') {
            escape = true;
            continue;
          }
          if (c != kEscapeKey) pending_.push_back(kEscapeKey);  // not a command: pass both
          pending_.push_back(c);
          got = true;
        } else if (c == kEscapeKey) {
          after_escape_ = true;
        } else {
          pending_.push_back(c);
          got = true;
        }
      }
    }
  }
  if (escape && on_escape_) on_escape_();
  if (got && notify) {
    std::lock_guard lock(notify_mu_);
    if (notify_) notify_();
  }
}

size_t EscapeBackend::Read(std::span<uint8_t> out) {
  // Take what the inner backend holds first. No notification: the device is reading now, and it
  // calls Read with its own lock held, which its notifier takes.
  Drain(false);
  std::lock_guard lock(mu_);
  const size_t n = std::min(out.size(), pending_.size());
  std::copy_n(pending_.begin(), n, out.begin());
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(n));
  return n;
}

void EscapeBackend::SetInputNotifier(std::function<void()> notify) {
  std::lock_guard lock(notify_mu_);
  notify_ = std::move(notify);
}

}  // namespace polyvm::runtime
