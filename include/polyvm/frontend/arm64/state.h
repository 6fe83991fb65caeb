// The AArch64 guest CPU state (EL0): plain data that IR reaches by byte offset (GetReg/SetReg).
// docs/ir.md ("AArch64") describes how instructions map onto it.
#pragma once

#include <cstddef>
#include <cstdint>

#include "polyvm/core/cpu_header.h"

namespace polyvm::frontend::arm64 {

struct alignas(64) Arm64State {  // 64: CpuHeader's alignment (clang rejects less)
  core::CpuHeader hdr;     // pc, exclusive monitor, FP environment (FPSR's cumulative flags live
                           // in hdr.fp_flags, FPCR.RMode in hdr.fp_round)
  uint64_t x[31] = {};     // X0..X30; register number 31 is SP or XZR depending on the form
  uint64_t sp = 0;         // SP_EL0
  uint8_t n = 0, z = 0, c = 0, v = 0;  // NZCV, one i1 byte each (docs/ir.md)
  uint32_t fpcr = 0;       // FPCR as written (RMode also mirrored into hdr.fp_round)
  uint32_t fpsr_rest = 0;  // FPSR bits other than the cumulative IEEE flags (QC, IDC)
  uint32_t reserved0 = 0;
  uint64_t tpidr_el0 = 0;  // TPIDR_EL0 (thread pointer)
  uint64_t tpidrro_el0 = 0;
  alignas(16) uint8_t q[32][16] = {};  // V0..V31, little-endian lanes; a scalar write zeroes the rest
};

inline constexpr uint32_t XOffset(unsigned i) {
  return static_cast<uint32_t>(offsetof(Arm64State, x) + 8 * i);
}
inline constexpr uint32_t QOffset(unsigned i) {
  return static_cast<uint32_t>(offsetof(Arm64State, q) + 16 * i);
}
inline constexpr uint32_t kSpOffset = static_cast<uint32_t>(offsetof(Arm64State, sp));
inline constexpr uint32_t kNOffset = static_cast<uint32_t>(offsetof(Arm64State, n));
inline constexpr uint32_t kZOffset = static_cast<uint32_t>(offsetof(Arm64State, z));
inline constexpr uint32_t kCOffset = static_cast<uint32_t>(offsetof(Arm64State, c));
inline constexpr uint32_t kVOffset = static_cast<uint32_t>(offsetof(Arm64State, v));
inline constexpr uint32_t kFpcrOffset = static_cast<uint32_t>(offsetof(Arm64State, fpcr));
inline constexpr uint32_t kFpsrRestOffset = static_cast<uint32_t>(offsetof(Arm64State, fpsr_rest));
inline constexpr uint32_t kTpidrOffset = static_cast<uint32_t>(offsetof(Arm64State, tpidr_el0));
inline constexpr uint32_t kTpidrroOffset =
    static_cast<uint32_t>(offsetof(Arm64State, tpidrro_el0));

// NZCV as MRS NZCV reads it (bits 31..28).
inline uint64_t GetNzcv(const Arm64State& s) {
  return uint64_t{s.n & 1u} << 31 | uint64_t{s.z & 1u} << 30 | uint64_t{s.c & 1u} << 29 |
         uint64_t{s.v & 1u} << 28;
}
inline void SetNzcv(Arm64State& s, uint64_t nzcv) {
  s.n = (nzcv >> 31) & 1;
  s.z = (nzcv >> 30) & 1;
  s.c = (nzcv >> 29) & 1;
  s.v = (nzcv >> 28) & 1;
}

// FPCR.RMode (bits 23:22: RN, RP, RM, RZ) -> the IR's RoundingMode (rne=0, rtz=1, rdn=2, rup=3).
inline constexpr uint32_t RoundingFromFpcr(uint32_t fpcr) {
  constexpr uint32_t kMap[4] = {0, 3, 2, 1};
  return kMap[(fpcr >> 22) & 3];
}

// FPSR as the guest reads it (for signal frames, ptrace, gdb), valid whenever no engine runs
// this vCPU: IOC DZC OFC UFC IXC are bits 0..4, the same order as the IR's FpFlags. IDC (bit 7)
// is in fpsr_rest, and while FPCR.FZ is set also FpFlags' denormal-input bit (5), which the FP
// ops raise for the inputs they flush (under FZ = 0 that bit is the host's and means nothing).
inline uint32_t GetFpsr(const Arm64State& s) {
  const uint32_t idc = (s.fpcr >> 24) & 1 ? (s.hdr.fp_flags & 32) << 2 : 0;
  return (s.hdr.fp_flags & 31) | idc | s.fpsr_rest;
}
inline void SetFpsr(Arm64State& s, uint32_t fpsr) {
  s.hdr.fp_flags = fpsr & 31;
  s.fpsr_rest = fpsr & ~uint32_t{31};
}
inline void SetFpcr(Arm64State& s, uint32_t fpcr) {
  s.fpcr = fpcr;
  s.hdr.fp_round = RoundingFromFpcr(fpcr);
}

}  // namespace polyvm::frontend::arm64
