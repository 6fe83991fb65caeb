// The interface between the layers that own vCPUs (linux/, machine/) and the execution engines.
// An engine runs a vCPU's guest code until something its caller must handle (an ExitInfo).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "polyvm/core/cpu_header.h"
#include "polyvm/core/exit.h"
#include "polyvm/core/stats.h"

namespace polyvm::mem {
class SoftMmu;
}

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
  // System mode: the vCPU's soft MMU, through which a system-mode engine fetches code and makes
  // every data access (docs/system-mode.md, "The engine interface"). Null in user mode.
  mem::SoftMmu* mmu = nullptr;
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

  // System mode: forgets translations of code in guest physical [paddr, paddr + size), e.g. after
  // a device wrote guest RAM by DMA. Safe to call from any thread. Engines without system mode
  // treat guest addresses as physical.
  virtual void InvalidatePhysical(uint64_t paddr, uint64_t size) { InvalidateCode(paddr, size); }

  // Adds this engine's counters to `out` (see stats.h).
  virtual void CollectStats(Stats& out) const = 0;
};

}  // namespace polyvm::core
