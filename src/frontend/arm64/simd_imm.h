// Immediate expansions of the FP and AdvSIMD encodings, shared by the disassembler's tokens
// (operands_simd.cpp) and the lift functions: the Arm ARM's VFPExpandImm and AdvSIMDExpandImm
// pseudocode (DDI 0487, "Shared pseudocode": aarch64/instrs/..., C7.2 "Modified immediate").
#pragma once

#include <cstdint>

namespace polyvm::frontend::arm64 {

// VFPExpandImm: imm8 = a:b:cdefgh -> sign a, exponent NOT(b):b...b:cd, fraction efgh:0...
// `bits` is 32 or 64; the result is the IEEE bit pattern.
constexpr uint64_t VfpExpandImm(uint32_t imm8, unsigned bits) {
  uint64_t sign = (imm8 >> 7) & 1;
  uint64_t b = (imm8 >> 6) & 1;
  uint64_t cd = (imm8 >> 4) & 3;
  uint64_t efgh = imm8 & 15;
  if (bits == 32) {
    uint64_t exp = ((b ^ 1) << 7) | (b ? 0x7cu : 0u) | cd;  // NOT(b):b:b:b:b:b:c:d
    return sign << 31 | exp << 23 | efgh << 19;
  }
  uint64_t exp = ((b ^ 1) << 10) | (b ? 0x3fcu : 0u) | cd;  // NOT(b):b x8:c:d
  return sign << 63 | exp << 52 | efgh << 48;
}

// AdvSIMDExpandImm(op, cmode, imm8) as a 64-bit pattern (replicated to 128 bits by the caller).
// cmode 1111 with op = 0 is the single-precision FMOV form; with op = 1 the double one.
constexpr uint64_t AdvSimdExpandImm(unsigned op, unsigned cmode, uint32_t imm8) {
  uint64_t i = imm8 & 0xff;
  auto rep32 = [](uint64_t v) { return v | v << 32; };
  auto rep16 = [](uint64_t v) { return v | v << 16 | v << 32 | v << 48; };
  switch (cmode >> 1) {
    case 0: return rep32(i);
    case 1: return rep32(i << 8);
    case 2: return rep32(i << 16);
    case 3: return rep32(i << 24);
    case 4: return rep16(i);
    case 5: return rep16(i << 8);
    case 6: return (cmode & 1) == 0 ? rep32(i << 8 | 0xff) : rep32(i << 16 | 0xffff);
    default: break;
  }
  if ((cmode & 1) == 0) {
    if (op == 0) return rep16(i | i << 8);  // 8-bit lanes
    uint64_t out = 0;
    for (unsigned k = 0; k < 8; ++k) {
      if ((i >> k) & 1) out |= uint64_t{0xff} << (8 * k);
    }
    return out;
  }
  if (op == 0) return rep32(VfpExpandImm(imm8, 32));
  return VfpExpandImm(imm8, 64);
}

}  // namespace polyvm::frontend::arm64
