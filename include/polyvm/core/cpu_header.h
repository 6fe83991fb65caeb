// The arch-neutral head of every guest CPU state struct.
// Each guest's state (frontend/<arch>/state.h) begins with a CpuHeader, so engines and the
// arch-neutral IR ops (exclusive monitor, FP environment, counters) reach these fields at fixed
// offsets without knowing the guest.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace polyvm::core {

inline constexpr uint64_t kNoReservation = ~uint64_t{0};

struct alignas(64) CpuHeader {
  // Guest pc of the next instruction to run. Valid whenever an engine has returned.
  uint64_t pc = 0;
  // Guest instructions retired by this vCPU (counted per block and side exit).
  uint64_t retired = 0;

  // Exclusive monitor for LoadLinked/StoreCond (RISC-V LR/SC, AArch64 LDXR/STXR).
  uint64_t excl_addr = kNoReservation;
  uint64_t excl_value[2] = {0, 0};  // value observed by LoadLinked (low, high for 128-bit)
  uint32_t excl_size = 0;           // bytes

  // FP environment. While an engine runs guest code it may keep these in host registers (MXCSR);
  // they are exact here whenever the engine has returned.
  uint32_t fp_round = 0;  // ir::RoundingMode for ops whose rounding mode is dynamic
  uint32_t fp_flags = 0;  // accumulated ir::FpFlags

  // Set (by another thread or a signal handler) to make the engine return with
  // ExitReason::kInterrupt at the next block boundary. Cleared by the owner of the vCPU.
  std::atomic<uint32_t> interrupt_request{0};

  // User mode: guest address a lives at host address mem_base + a for a < mem_limit.
  uint8_t* mem_base = nullptr;
  uint64_t mem_limit = 0;
};

static_assert(std::atomic<uint32_t>::is_always_lock_free);

}  // namespace polyvm::core
