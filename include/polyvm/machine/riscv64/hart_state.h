// The state of one RISC-V hart in system mode: the unprivileged state the engines and the lifter
// see (Riscv64State, first, so the state pointer an engine passes to helpers is also a
// HartState*), the privileged CSRs, the privilege level and the interrupt lines. Plain data; the
// behaviour is in hart.h.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "polyvm/frontend/riscv64/state.h"
#include "polyvm/machine/riscv64/priv_defs.h"

namespace polyvm::machine::riscv64 {

class HartHost;

inline constexpr unsigned kPmpEntries = 16;

struct HartCsrs {
  uint64_t mstatus = mstatus::kUxl64 | mstatus::kSxl64;
  uint64_t misa = 0;
  uint64_t medeleg = 0, mideleg = 0;
  uint64_t mie = 0;
  uint64_t mtvec = 0, stvec = 0;
  uint64_t mepc = 0, sepc = 0;
  uint64_t mcause = 0, scause = 0;
  uint64_t mtval = 0, stval = 0;
  uint64_t mscratch = 0, sscratch = 0;
  uint64_t mcounteren = 0, scounteren = 0;
  uint64_t menvcfg = 0, senvcfg = 0;
  uint64_t satp = 0;
  uint64_t stimecmp = ~uint64_t{0};
  uint64_t minstret_offset = 0;  // minstret/mcycle = retired + offset (writes set the offset)
  uint64_t mhartid = 0;
  uint8_t pmpcfg[kPmpEntries] = {};
  uint64_t pmpaddr[kPmpEntries] = {};
};

struct HartState {
  frontend::riscv64::Riscv64State cpu;  // must stay first (see above)
  HartCsrs csr;
  Priv priv = Priv::kMachine;
  // Set by wfi; the machine's run loop sleeps the hart until an interrupt is pending.
  bool waiting = false;
  // mip bits driven by wires (MSIP, MTIP, MEIP, SEIP from the CLINT and PLIC; any thread) and
  // by software (SSIP, STIP without Sstc, SEIP written by M), kept apart because software
  // writes must not clear a wire and a wire must not clear a software-written bit.
  std::atomic<uint64_t> mip_lines{0};
  uint64_t mip_sw = 0;
  HartHost* host = nullptr;  // the machine's services (time, MMU); see hart.h
};

static_assert(std::is_standard_layout_v<HartState>);
static_assert(offsetof(HartState, cpu) == 0, "engines pass &cpu to helpers as the state pointer");

inline HartState& HartOf(void* engine_state) { return *static_cast<HartState*>(engine_state); }

}  // namespace polyvm::machine::riscv64
