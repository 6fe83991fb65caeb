// The IR interpreter: the portable execution engine. It lifts guest blocks through a frontend's
// Lifter, optimises them, lowers them to a compact threaded form and runs that form, caching the
// result by guest pc for all vCPUs of the process. docs/engines.md explains the design.
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>

#include "polyvm/core/engine.h"
#include "polyvm/engine/common/tier.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::interp {

namespace detail {
class EngineState;
}

struct Options {
  uint32_t max_insns = 64;  // guest instructions per block at most
  bool optimize = true;     // run ir::passes::Optimize on every block before lowering
  // System mode: every Run needs vcpu.mmu; code is fetched and data accessed through the soft MMU
  // and translations are keyed by (virtual pc, physical pc, fetch context) (docs/system-mode.md).
  // The CodeReader given to the constructor is not used then.
  bool system_mode = false;

  // Logging of each newly translated block (like qemu's -d in_asm,op,op_opt).
  bool log_in_asm = false;   // guest disassembly (Lifter::Disassemble)
  bool log_op = false;       // the IR as lifted
  bool log_op_opt = false;   // the IR after the passes
  bool log_lowered = false;  // the interpreter's lowered form (handlers and operands)
  // Where log text goes: `log_sink` if set, else `log_file` (stderr if null). Calls are serialised.
  std::function<void(std::string_view)> log_sink;
  FILE* log_file = nullptr;

  // Tiering (engine/hybrid): used by RunTier only.
  TierHooks tier;
};

class Interpreter final : public core::ExecutionEngine {
 public:
  // `lifter` and `code` must outlive the interpreter and every Run.
  Interpreter(const ir::Lifter& lifter, const ir::CodeReader& code, Options options = {});
  ~Interpreter() override;
  Interpreter(const Interpreter&) = delete;
  Interpreter& operator=(const Interpreter&) = delete;

  std::string_view Name() const override { return "interp"; }
  core::ExitInfo Run(core::Vcpu& vcpu) override;
  // Run for engine/hybrid: also stops where Options::tier asks (*stop says why; kNone: the
  // returned ExitInfo is an exit to report). Block exits count their runs only here.
  core::ExitInfo RunTier(core::Vcpu& vcpu, TierStop* stop);
  // In system mode, addr is a guest physical address (the block cache's key), as for
  // InvalidatePhysical.
  void InvalidateCode(uint64_t addr, uint64_t size) override;
  void InvalidatePhysical(uint64_t paddr, uint64_t size) override;
  void CollectStats(core::Stats& out) const override;

  // Forgets every translation (what a kCodeSync exit does).
  void InvalidateAll();

 private:
  std::shared_ptr<detail::EngineState> state_;
};

}  // namespace polyvm::engine::interp
