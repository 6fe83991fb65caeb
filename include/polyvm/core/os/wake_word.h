// Sleeping on a 32-bit atomic word and waking its sleepers, with the Linux futex directly.
// std::atomic::wait/notify_all of GCC 12's libstdc++ skip the wake-up when their own waiter count
// says nobody waits, and a 2-hart boot under load was seen sleeping through a wake-up; with the
// futex on both sides every wake is a FUTEX_WAKE, and the wait also has a timeout as a safety net.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <climits>
#include <cstdint>
#include <ctime>

namespace polyvm::core::os {

static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));

// Wakes every thread sleeping in WaitWord on `word` (call after changing it).
inline void WakeWordAll(std::atomic<uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE_PRIVATE, INT_MAX, nullptr,
          nullptr, 0);
}

// Sleeps while `word` == expected, at most `timeout_ns` (then returns; callers re-check).
inline void WaitWord(std::atomic<uint32_t>& word, uint32_t expected, int64_t timeout_ns) {
  timespec ts{static_cast<time_t>(timeout_ns / 1000000000),
              static_cast<long>(timeout_ns % 1000000000)};
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT_PRIVATE, expected, &ts, nullptr,
          0);
}

}  // namespace polyvm::core::os
