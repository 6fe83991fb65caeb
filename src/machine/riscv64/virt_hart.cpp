// The virt machine's HartHost: translation changes and fences go to the hart's soft MMU, time to
// the machine clock.
#include "polyvm/machine/riscv64/virt_hart.h"

namespace polyvm::machine::riscv64 {

VirtHart::VirtHart(unsigned hartid, const mem::PhysicalMap& phys, MachineClock& clock)
    : hartid_(hartid), state_(std::make_unique<HartState>()), mmu_(*state_, phys), clock_(clock) {
  ResetHart(*state_, hartid_, kVirtRamBase, this);
}

void VirtHart::Reset(const VirtBootPlan& plan) {
  ResetHart(*state_, hartid_, plan.firmware, this);
  state_->cpu.x[10] = hartid_;
  state_->cpu.x[11] = plan.fdt;
  state_->cpu.x[12] = plan.fw_dynamic_info;
  supervisor_deadline_.store(~uint64_t{0}, std::memory_order_release);  // menvcfg.STCE is 0 now
}

void VirtHart::TranslationChanged(HartState&, bool flush) { mmu_.Sync(flush); }

void VirtHart::FenceVma(HartState&, bool has_addr, uint64_t vaddr, bool has_asid, uint32_t asid) {
  mmu_.Fence(has_addr, vaddr, has_asid, asid);
}

// STIP is computed from stimecmp whenever mip is read; the run loop's timer only needs to know
// the new deadline so that it wakes the hart then.
void VirtHart::TimerChanged(HartState& hart) {
  supervisor_deadline_.store((hart.csr.menvcfg & kMenvcfgStce) ? hart.csr.stimecmp : ~uint64_t{0},
                             std::memory_order_release);
  if (timer_listener_) timer_listener_();
}

mem::WalkFault VirtHart::ClassifyFault(HartState&, uint64_t vaddr, core::MemAccess access) {
  return mmu_.Classify(vaddr, access);
}

}  // namespace polyvm::machine::riscv64
