// The RISC-V64 guest CPU state: plain data that IR reaches by byte offset (GetReg/SetReg).
#pragma once

#include <cstddef>
#include <cstdint>

#include "polyvm/core/cpu_header.h"

namespace polyvm::frontend::riscv64 {

struct Riscv64State {
  core::CpuHeader hdr;  // pc, exclusive monitor, FP environment (fflags live in hdr.fp_flags)
  uint64_t x[32] = {};  // x0 reads as zero; the lifter never writes it
  uint64_t f[32] = {};  // FP registers; f32 values are NaN-boxed (upper 32 bits all ones)
  uint32_t frm = 0;     // fcsr.frm as written by the guest (may hold the reserved values 5..7)
  uint32_t reserved = 0;
};

inline constexpr uint32_t XOffset(unsigned i) {
  return static_cast<uint32_t>(offsetof(Riscv64State, x) + 8 * i);
}
inline constexpr uint32_t FOffset(unsigned i) {
  return static_cast<uint32_t>(offsetof(Riscv64State, f) + 8 * i);
}
inline constexpr uint32_t kFrmOffset = static_cast<uint32_t>(offsetof(Riscv64State, frm));

// fflags (NV DZ OF UF NX = bits 4..0) <-> the IR's FpFlags (Invalid..Inexact = bits 0..4): the
// five bits reversed, in either direction.
constexpr uint32_t ReverseFflags(uint32_t flags) {
  uint32_t out = 0;
  for (unsigned i = 0; i < 5; ++i) out |= ((flags >> i) & 1) << (4 - i);
  return out;
}

// fcsr as the guest sees it (for signal frames, ptrace, gdb), valid whenever no engine is running
// this vCPU: frm << 5 | fflags.
inline uint32_t GetFcsr(const Riscv64State& s) {
  return (s.frm & 7) << 5 | ReverseFflags(s.hdr.fp_flags & 31);
}

// Sets fcsr the way a guest write does: frm as written, mirrored into the FP environment's dynamic
// rounding mode when it is a valid mode (0..4; otherwise RNE, unused: dynamic-rm instructions trap
// first), and the flags.
inline void SetFcsr(Riscv64State& s, uint32_t fcsr) {
  s.frm = (fcsr >> 5) & 7;
  s.hdr.fp_round = s.frm <= 4 ? s.frm : 0;
  s.hdr.fp_flags = ReverseFflags(fcsr & 31);
}

}  // namespace polyvm::frontend::riscv64
