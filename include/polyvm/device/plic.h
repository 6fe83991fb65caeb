// The SiFive / RISC-V platform-level interrupt controller ("riscv,plic0", "sifive,plic-1.0.0") as
// Linux's irq-sifive-plic driver and OpenSBI program it: per-source priorities and pending bits,
// per-context enables and thresholds, claim/complete. Sources are level-triggered inputs
// (IrqLines); each context drives one output IrqLine (a hart's MEIP or SEIP).
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "polyvm/core/mmio.h"

namespace polyvm::device {

class Plic final : public core::MmioDevice {
 public:
  static constexpr uint32_t kMaxSources = 1023;  // source ids 1..1023; 0 means "none"
  static constexpr uint32_t kMaxContexts = 15872;
  static constexpr uint32_t kMaxPriority = 7;  // 3 priority bits, like QEMU's virt PLIC

  // Register window size for num_contexts contexts (0x200000 + 0x1000 per context).
  static constexpr uint64_t WindowSize(uint32_t num_contexts) {
    return 0x200000 + uint64_t{num_contexts} * 0x1000;
  }

  // Sources 1..num_sources (riscv,ndev = num_sources). context_outputs[c] is the output of
  // context c (the machine decides the order, e.g. hart h: context 2h = M mode, 2h+1 = S mode);
  // each must outlive the PLIC. Counts beyond the limits are clamped.
  Plic(uint32_t num_sources, std::vector<core::IrqLine*> context_outputs);
  ~Plic() override;

  // The input wire of source id (1..num_sources), for a device to drive. Ids out of range return a
  // line that ignores everything.
  core::IrqLine& Source(uint32_t id);

  uint32_t num_sources() const;
  uint32_t num_contexts() const;

  uint64_t Read(uint64_t offset, unsigned size) override;
  void Write(uint64_t offset, unsigned size, uint64_t value) override;
  std::string_view Name() const override { return "plic"; }

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace polyvm::device
