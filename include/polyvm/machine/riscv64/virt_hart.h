// One hart of the virt machine: its state, its soft MMU, and the HartHost that ties the
// privileged model to them and to the machine clock; plus the interrupt wire a device (CLINT,
// PLIC) drives into the hart. The boot command owns one VirtHart per hart.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

#include "polyvm/core/mmio.h"
#include "polyvm/machine/riscv64/clint.h"
#include "polyvm/machine/riscv64/hart.h"
#include "polyvm/machine/riscv64/hart_mmu.h"
#include "polyvm/machine/riscv64/virt.h"

namespace polyvm::machine::riscv64 {

class VirtHart final : public HartHost {
 public:
  VirtHart(unsigned hartid, const mem::PhysicalMap& phys, MachineClock& clock);

  HartState& state() { return *state_; }
  HartMmu& mmu() { return mmu_; }

  // Power-on for OpenSBI's fw_dynamic: M-mode at the firmware, a0 = hart id, a1 = the device
  // tree, a2 = fw_dynamic_info.
  void Reset(const VirtBootPlan& plan);

  // The mtime at which this hart's Sstc timer (stimecmp) fires, ~0 if it is not armed; the
  // machine's timer loop wakes the hart then. Safe from any thread: a copy the hart's thread
  // publishes whenever stimecmp or STCE change (TimerChanged) and on Reset, not the CSRs
  // themselves, which only the hart's thread touches.
  uint64_t SupervisorTimerDeadline() const {
    return supervisor_deadline_.load(std::memory_order_acquire);
  }
  // Called (on the hart's thread) whenever TimerChanged is: the run loop's timer re-reads
  // SupervisorTimerDeadline(). Set before the hart runs.
  void SetTimerListener(std::function<void()> listener) { timer_listener_ = std::move(listener); }

  uint64_t ReadTime() override { return clock_.Ticks(); }
  void TranslationChanged(HartState& hart, bool flush) override;
  void FenceVma(HartState& hart, bool has_addr, uint64_t vaddr, bool has_asid,
                uint32_t asid) override;
  void TimerChanged(HartState& hart) override;
  mem::WalkFault ClassifyFault(HartState& hart, uint64_t vaddr, core::MemAccess access) override;

 private:
  unsigned hartid_;
  std::unique_ptr<HartState> state_;
  HartMmu mmu_;
  MachineClock& clock_;
  std::function<void()> timer_listener_;
  std::atomic<uint64_t> supervisor_deadline_{~uint64_t{0}};
};

// An interrupt wire into a hart's mip (MSIP, MTIP from the CLINT; MEIP, SEIP from the PLIC).
class HartIrqLine final : public core::IrqLine {
 public:
  HartIrqLine(HartState& hart, unsigned irq) : hart_(hart), irq_(irq) {}
  void Set(bool level) override { SetInterruptLine(hart_, irq_, level); }

 private:
  HartState& hart_;
  unsigned irq_;
};

}  // namespace polyvm::machine::riscv64
