// The engines the differential tests run against the oracles. A new engine (the JIT) adds a row
// here and every differential test covers it.
#include <memory>

#include "polyvm/engine/hybrid/hybrid_engine.h"
#include "polyvm/engine/interp/interpreter.h"
#include "polyvm/engine/jit/jit_engine.h"
#include "polyvm_runner.h"

namespace polyvm::diff {

namespace {

EngineFactory Interp(engine::interp::Options options) {
  return [options](const ir::Lifter& lifter, const ir::CodeReader& code) {
    return std::make_unique<engine::interp::Interpreter>(lifter, code, options);
  };
}

EngineFactory Jit(engine::jit::Options options) {
  return [options](const ir::Lifter& lifter, const ir::CodeReader& code) {
    return std::make_unique<engine::jit::JitEngine>(lifter, code, options);
  };
}

// Every block moves to the JIT after its first interpreted run, so a case's blocks that run more
// than once cross the hand-off.
EngineFactory HybridEager() {
  return [](const ir::Lifter& lifter, const ir::CodeReader& code) {
    engine::hybrid::Options o;
    o.hotness = {.threshold = 1, .alpha = 1, .period = 16384};
    return std::make_unique<engine::hybrid::HybridEngine>(lifter, code, std::move(o));
  };
}

}  // namespace

std::vector<EngineSpec> Engines() {
  engine::interp::Options opt;  // the default: optimised blocks of up to 64 instructions
  engine::interp::Options noopt;
  noopt.optimize = false;
  engine::interp::Options single;  // one guest instruction per block: state synced at every exit
  single.max_insns = 1;
  engine::jit::Options jit_single;
  jit_single.max_insns = 1;
  return {{"interp", Interp(opt)},
          {"interp_noopt", Interp(noopt)},
          {"interp_1insn", Interp(single)},
          {"jit", Jit({})},
          {"jit_1insn", Jit(jit_single)},
          {"hybrid_eager", HybridEager()}};
}

}  // namespace polyvm::diff
