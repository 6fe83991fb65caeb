// The RISC-V64 frontend (RV64GC + Zba/Zbb/Zbs, user mode): what the runtime constructs to lift
// guest code into IR, disassemble it and name guest registers. docs/riscv64.md describes the
// coverage, the state layout and the block formation rules.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "polyvm/frontend/riscv64/state.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::frontend::riscv64 {

// System mode (docs/system-mode.md): the machine's per-hart model, reached from lifted code.
// `priv` is called as fn(state, raw instruction bits, pc, instructions completed before it in the
// block) for every CSR instruction except the FP CSRs, and for mret, sret, wfi and sfence.vma;
// it performs the instruction (or enters the trap it raises) and returns the pc to continue at.
struct SystemHooks {
  const ir::HelperInfo* priv = nullptr;
};

class Riscv64Lifter final : public ir::Lifter {
 public:
  // User mode: privileged instructions and CSRs outside the user-mode table are illegal.
  Riscv64Lifter();
  // System mode: privileged instructions and CSRs go to hooks.priv (which must not be null).
  explicit Riscv64Lifter(const SystemHooks& hooks);

  std::string_view ArchName() const override { return "riscv64"; }
  size_t StateSize() const override { return sizeof(Riscv64State); }
  void Lift(uint64_t pc, const ir::CodeReader& code, const ir::LiftOptions& options,
            ir::Block& out) const override;
  // objdump -M no-aliases text; an undecodable instruction prints as ".2byte 0x.." / ".4byte 0x..".
  unsigned Disassemble(uint64_t pc, const ir::CodeReader& code, std::string& text) const override;
  std::string RegName(uint32_t offset) const override;

 private:
  SystemHooks system_;
};

}  // namespace polyvm::frontend::riscv64
