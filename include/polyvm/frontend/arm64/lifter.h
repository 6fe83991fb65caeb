// The AArch64 frontend (A64, Linux user mode / EL0): what the runtime constructs to lift guest
// code into IR, disassemble it and name guest registers. docs/arm64.md describes the coverage,
// the state layout and the block formation rules.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "polyvm/frontend/arm64/state.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::frontend::arm64 {

class Arm64Lifter final : public ir::Lifter {
 public:
  // EL0: system registers outside the user-mode table and privileged instructions are UNDEFINED.
  Arm64Lifter();

  std::string_view ArchName() const override { return "arm64"; }
  size_t StateSize() const override { return sizeof(Arm64State); }
  void Lift(uint64_t pc, const ir::CodeReader& code, const ir::LiftOptions& options,
            ir::Block& out) const override;
  // objdump -M no-aliases text; an undecodable word prints as ".inst 0x........".
  unsigned Disassemble(uint64_t pc, const ir::CodeReader& code, std::string& text) const override;
  std::string RegName(uint32_t offset) const override;
  bool DynamicRoundingIsIeee() const override { return true; }  // FPCR.RMode: RN, RP, RM, RZ

  // FPCR.FZ and FPCR.DN (bits 24, 25) as every later translation assumes them (docs/arm64.md,
  // "FPCR.FZ and FPCR.DN"). An `msr fpcr` that changes them calls this and then drops every
  // translation; a harness that starts a vCPU with them set calls it before running. From the
  // first non-zero mode on, each block that uses FP checks that its vCPU's FPCR agrees.
  void AssumeFpcr(uint32_t fpcr) const;
  uint32_t AssumedFpcrMode() const;  // FZ | DN bits, plus kFpcrModeSeen once any was set

  static constexpr uint32_t kFpcrFz = 1u << 24;
  static constexpr uint32_t kFpcrDn = 1u << 25;
  static constexpr uint32_t kFpcrModeSeen = 1u;

 private:
  mutable std::atomic<uint32_t> fpcr_mode_{0};
};

}  // namespace polyvm::frontend::arm64
