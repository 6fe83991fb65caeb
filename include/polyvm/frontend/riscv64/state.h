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

}  // namespace polyvm::frontend::riscv64
