// An IrqLine for tests: records the level and counts rising edges; waits with a bounded timeout
// for completions raised on I/O threads.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "polyvm/core/mmio.h"

namespace polyvm::device::testing {

class TestIrq final : public core::IrqLine {
 public:
  void Set(bool level) override {
    std::lock_guard lock(mu_);
    if (level && !level_) ++rises_;
    level_ = level;
    cv_.notify_all();
  }
  bool level() const {
    std::lock_guard lock(mu_);
    return level_;
  }
  int rises() const {
    std::lock_guard lock(mu_);
    return rises_;
  }
  // True once the line has risen more than `after` times (generous timeout: not a timing test).
  bool WaitRises(int after, std::chrono::seconds timeout = std::chrono::seconds(30)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return rises_ > after; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool level_ = false;
  int rises_ = 0;
};

}  // namespace polyvm::device::testing
