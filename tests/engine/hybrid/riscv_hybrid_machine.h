// One riscv64 vCPU run by a HybridEngine over test guest memory, for the hybrid tests: the test's
// code is copied in at `code_at`; Stats() gives the engine's --stats by name.
#pragma once

#include <cstring>
#include <map>
#include <string>

#include "polyvm/engine/hybrid/hybrid_engine.h"
#include "polyvm/frontend/riscv64/lifter.h"
#include "polyvm/frontend/riscv64/state.h"
#include "riscv_env.h"

namespace polyvm::engine::hybrid::test {

struct RiscvHybridMachine {
  RiscvHybridMachine(size_t pages, const Options& o, uint64_t code_at, const void* code_bytes,
                     size_t code_size)
      : mem(pages), engine(lifter, code, o) {
    std::memcpy(mem.base() + code_at, code_bytes, code_size);
    mem.Attach(st.hdr);
    vcpu.state = &st.hdr;
  }
  core::ExitInfo Run(uint64_t pc) {
    st.hdr.pc = pc;
    return engine.Run(vcpu);
  }
  std::map<std::string, double> Stats() const {
    core::Stats s;
    engine.CollectStats(s);
    std::map<std::string, double> m;
    for (const auto& e : s.entries) m[e.name] = e.value;
    return m;
  }

  interp::test::GuestMemory mem;
  interp::test::MemCodeReader code{mem};
  frontend::riscv64::Riscv64Lifter lifter;
  HybridEngine engine;
  frontend::riscv64::Riscv64State st;
  core::Vcpu vcpu;
};

}  // namespace polyvm::engine::hybrid::test
