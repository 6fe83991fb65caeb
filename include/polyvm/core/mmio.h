// The two contracts between devices and the machine that hosts them: a register window reached by
// guest loads and stores (MmioDevice), and an interrupt wire (IrqLine). Machines route physical
// address ranges to MmioDevices and connect IrqLines; devices know nothing of any guest ISA.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <utility>

namespace polyvm::core {

// A device's register window. The machine maps it at some guest physical base and calls Read or
// Write with the offset from that base.
//
// Contract:
// - size is 1, 2, 4 or 8 and the machine passes the access exactly as the guest made it (no
//   splitting of naturally aligned accesses). A device decides what an unsupported size, a
//   misaligned access or an unknown offset does: typically reads return 0 and writes are ignored,
//   and it is reported once through the device's own diagnostics. It never crashes, never throws
//   and never touches memory outside its own state and guest RAM.
// - Read returns the value zero-extended to 64 bits; Write uses only the low size*8 bits of value.
// - Calls come from any vCPU thread, concurrently; each device serialises internally and
//   documents its locking (docs/devices.md). A call never blocks on host I/O.
class MmioDevice {
 public:
  virtual ~MmioDevice() = default;

  virtual uint64_t Read(uint64_t offset, unsigned size) = 0;
  virtual void Write(uint64_t offset, unsigned size, uint64_t value) = 0;

  // Short, stable name for diagnostics ("uart16550", "plic", "virtio-blk").
  virtual std::string_view Name() const = 0;
};

// One interrupt wire, driven by a device and sampled by an interrupt controller or a hart.
//
// Level semantics: Set(true) asserts the line and it stays asserted until Set(false). Repeated
// calls with the same level are allowed and are no-ops for the receiver's state (a receiver that
// needs edges, such as the PLIC's gateway, derives them itself). Set may be called from any thread
// (vCPU threads during MMIO, I/O threads on completion), so implementations are thread-safe and
// must not call back into the device that drives them. Devices call Set with their own lock held,
// so an implementation may take only leaf locks (never one that a vCPU holds across an MMIO
// access); setting an atomic pending bit and kicking the hart is the intended shape.
class IrqLine {
 public:
  virtual ~IrqLine() = default;
  virtual void Set(bool level) = 0;
};

// An IrqLine that forwards every Set to a callable (machines wiring outputs to harts; tests).
class CallbackIrqLine final : public IrqLine {
 public:
  explicit CallbackIrqLine(std::function<void(bool)> on_set) : on_set_(std::move(on_set)) {}
  void Set(bool level) override { on_set_(level); }

 private:
  std::function<void(bool)> on_set_;
};

}  // namespace polyvm::core
