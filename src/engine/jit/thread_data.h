// Per-vCPU data of the JIT: the hot area generated code addresses through r13 (frame, jump
// cache, fault site, bounds), and the epoch bookkeeping of safe reclamation.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>

#include "polyvm/core/engine.h"
#include "records.h"

namespace polyvm::engine::jit {

namespace detail {
class JitState;
}
struct SystemThreadData;  // system_run.h

class ThreadData final : public core::EngineThreadData {
 public:
  explicit ThreadData(std::shared_ptr<detail::JitState> engine);
  ~ThreadData() override;
  ThreadData(const ThreadData&) = delete;
  ThreadData& operator=(const ThreadData&) = delete;

  // An empty entry holds a pc that does not map to its set, so no lookup (of any guest pc)
  // matches: 0 (set 0) except in set 0, which holds 2 (set 1).
  void FlushJumpCache() {
    for (unsigned i = 0; i <= kJcMask; ++i) hot->jc[i] = {i < 2 ? 2u : 0u, nullptr};
  }

  std::unique_ptr<JitHot> hot = std::make_unique<JitHot>();
  uint64_t jc_epoch = 0;  // the epoch the jump cache is valid for
  // What reclamation reads: 0 while outside Run, else an epoch this vCPU has seen.
  std::atomic<uint64_t> announced{0};
  Counter run_blocks{0};
  std::unique_ptr<SystemThreadData> sys;  // system mode only (system_run.cpp)
  const std::shared_ptr<detail::JitState> engine;
};

}  // namespace polyvm::engine::jit
