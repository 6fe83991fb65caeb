// The interface between the layers that own vCPUs (linux/, machine/) and the execution engines.
// An engine runs a vCPU's guest code until something its caller must handle (an ExitInfo).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "polyvm/core/cpu_header.h"
#include "polyvm/core/exit.h"
#include "polyvm/core/stats.h"

namespace polyvm::core {

// Per-vCPU data an engine keeps (jump caches, fault recovery); created by the engine on first Run.
class EngineThreadData {
 public:
  virtual ~EngineThreadData() = default;
};

// One guest CPU. Its state struct (guest-specific, starting with a CpuHeader) is owned by the
// caller; one host thread runs a Vcpu at a time.
struct Vcpu {
  CpuHeader* state = nullptr;
  std::unique_ptr<EngineThreadData> engine_data;
};

class ExecutionEngine {
 public:
  virtual ~ExecutionEngine() = default;

  virtual std::string_view Name() const = 0;

  // Runs guest code from vcpu.state->pc until an exit. Thread-safe across different vCPUs.
  virtual ExitInfo Run(Vcpu& vcpu) = 0;

  // Forgets translations of guest code overlapping [addr, addr + size). Safe to call from any
  // thread; translations still running on other vCPUs are reclaimed once those leave them.
  virtual void InvalidateCode(uint64_t addr, uint64_t size) = 0;

  // Adds this engine's counters to `out` (see stats.h).
  virtual void CollectStats(Stats& out) const = 0;
};

}  // namespace polyvm::core
