// The x86-64 JIT: translates IR blocks to host code with Xbyak, chains blocks through patchable
// jumps and looks indirect targets up in a per-vCPU table from the generated code itself.
// docs/jit.md explains the design (registers, code cache, fault recovery, what runs out of line).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "polyvm/core/engine.h"
#include "polyvm/ir/lifter.h"

namespace polyvm::engine::jit {

namespace detail {
class JitState;
}

struct Options {
  uint32_t max_insns = 64;  // guest instructions per block at most
  bool optimize = true;     // run ir::passes::Optimize on every block before code generation
  // Bytes of the code arena (generated code and the records it points to). When it is full, every
  // translation is dropped and a fresh arena is started (the old one is freed once no vCPU can be
  // running in it).
  size_t code_cache_bytes = size_t{64} << 20;

  // Logging of each newly translated block (like qemu's -d in_asm,op,op_opt).
  bool log_in_asm = false;
  bool log_op = false;
  bool log_op_opt = false;
  // Where log text goes: `log_sink` if set, else `log_file` (stderr if null). Calls are serialised.
  std::function<void(std::string_view)> log_sink;
  FILE* log_file = nullptr;
};

class JitEngine final : public core::ExecutionEngine {
 public:
  // `lifter` and `code` must outlive the engine and every Run.
  JitEngine(const ir::Lifter& lifter, const ir::CodeReader& code, Options options = {});
  ~JitEngine() override;
  JitEngine(const JitEngine&) = delete;
  JitEngine& operator=(const JitEngine&) = delete;

  std::string_view Name() const override { return "jit"; }
  core::ExitInfo Run(core::Vcpu& vcpu) override;
  void InvalidateCode(uint64_t addr, uint64_t size) override;
  void CollectStats(core::Stats& out) const override;

  // Forgets every translation (what a kCodeSync exit does).
  void InvalidateAll();

  // The host code of the block at `pc` (translated if needed) from its entry to the end of its
  // straight-line body, without the out-of-line stubs; empty if it cannot be translated. The
  // golden tests disassemble it with GNU objdump to pin instruction counts.
  std::vector<uint8_t> HostCode(uint64_t pc);

 private:
  std::shared_ptr<detail::JitState> state_;
};

}  // namespace polyvm::engine::jit
