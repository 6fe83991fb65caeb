// Translation of one guest block: lift through the frontend, optimise, lower, and log each stage
// when the options ask for it.
#include <fmt/format.h>

#include <algorithm>
#include <string>

#include "engine_state.h"
#include "execute.h"
#include "handler_table.h"
#include "lower.h"
#include "polyvm/engine/common/in_asm.h"
#include "polyvm/ir/passes/pipeline.h"
#include "polyvm/ir/printer.h"
#include "polyvm/ir/verifier.h"

namespace polyvm::engine::interp::detail {

namespace {

// A block whose only instruction traps with kUnsupported, for IR the interpreter cannot run.
std::unique_ptr<LBlock> UnsupportedBlock(const ir::Block& in, std::string why) {
  ir::Block b;
  b.pc = in.pc;
  b.size = in.size;
  b.insn_count = 0;
  b.exit.kind = ir::ExitKind::kTrap;
  b.exit.trap = core::TrapCode::kUnsupported;
  b.exit.target = in.pc;
  std::string error;
  auto out = Lower(b, &error);
  // The trap exit reports kUnsupported at the block's pc; keep the reason for the log.
  if (out) out->unsupported = std::move(why);
  return out;
}

}  // namespace

std::unique_ptr<LBlock> EngineState::LiftAndLower(uint64_t pc, const ir::CodeReader& code,
                                                  uint32_t* ir_before, uint32_t* ir_after) {
  uint32_t max_insns = std::max<uint32_t>(options_.max_insns, 1);
  for (;;) {
    ir::Block lifted;
    lifter_.Lift(pc, code, ir::LiftOptions{max_insns}, lifted);

    std::string log;
    if (options_.log_in_asm) log += common::InAsmListing(lifter_, code, pc, lifted.size);
    if (options_.log_op) log += fmt::format("OP:\n{}", ir::Print(lifted, lifter_));

#ifndef NDEBUG
    if (std::vector<std::string> errors = ir::Verify(lifted); !errors.empty()) {
      Log(log + fmt::format("interp: the lifter's block at {:#x} is malformed: {}\n", pc,
                            errors.front()));
      return UnsupportedBlock(lifted, "malformed IR: " + errors.front());
    }
#endif

    ir::Block optimized;
    const ir::Block* src = &lifted;
    if (options_.optimize) {
      optimized = ir::passes::Optimize(lifted);
      src = &optimized;
      if (options_.log_op_opt) log += fmt::format("OP after passes:\n{}", ir::Print(optimized, lifter_));
    }
    *ir_before = static_cast<uint32_t>(lifted.insts.size());
    *ir_after = static_cast<uint32_t>(src->insts.size());

    std::string error;
    std::unique_ptr<LBlock> out = Lower(*src, &error);
    if (out == nullptr && max_insns > 1) {
      // Too many values live at once for one frame: translate a shorter block.
      max_insns = std::max<uint32_t>(max_insns / 2, 1);
      std::lock_guard lock(stats_mu_);
      ++lower_retries_;
      continue;
    }
    if (out == nullptr) out = UnsupportedBlock(lifted, error);
    if (options_.system_mode) {
      // The same handlers, from the dispatch loop that reaches memory through the soft MMU.
      const void* const* labels = SystemHandlerLabels();
      for (uint32_t i = 0; i < out->code_size; ++i) out->code[i].h = labels[out->code[i].hid];
    }
    if (!out->unsupported.empty()) {
      // Always reported: the guest will see a kUnsupported trap when it reaches this point.
      log += fmt::format("interp: block at {:#x} cannot be run completely: {}\n", pc,
                         out->unsupported);
    }
    if (options_.log_lowered) log += fmt::format("LOWERED:\n{}", DescribeLowered(*out));
    if (!log.empty()) Log(log);
    return out;
  }
}

}  // namespace polyvm::engine::interp::detail
