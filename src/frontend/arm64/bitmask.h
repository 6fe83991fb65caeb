// The A64 "bitmask immediate" of the logical instructions (AND/ORR/EOR/ANDS immediate): a rotated
// run of ones replicated across the register, encoded as N:immr:imms (Arm ARM, DecodeBitMasks).
#pragma once

#include <bit>
#include <cstdint>

namespace polyvm::frontend::arm64 {

// n_immr_imms: N at bit 12, immr at 11:6, imms at 5:0. datasize 32 or 64. False when the encoding
// is reserved (N = 1 for 32 bits, an element of all ones, or no element size).
constexpr bool DecodeBitmask(uint32_t n_immr_imms, unsigned datasize, uint64_t& out) {
  unsigned n = (n_immr_imms >> 12) & 1;
  unsigned immr = (n_immr_imms >> 6) & 63;
  unsigned imms = n_immr_imms & 63;
  if (datasize == 32 && n) return false;
  // len = HighestSetBit(N:NOT(imms)); the element is 2^len bits.
  unsigned combined = (n << 6) | (~imms & 63);
  if (combined == 0) return false;
  unsigned len = 31 - static_cast<unsigned>(std::countl_zero(combined));
  if (len < 1) return false;
  unsigned esize = 1u << len;
  unsigned levels = esize - 1;
  unsigned s = imms & levels, r = immr & levels;
  if (s == levels) return false;  // a run of all ones is reserved
  uint64_t emask = esize == 64 ? ~uint64_t{0} : (uint64_t{1} << esize) - 1;
  uint64_t welem = (uint64_t{1} << (s + 1)) - 1;
  uint64_t elem = r == 0 ? welem : ((welem >> r) | (welem << (esize - r))) & emask;
  uint64_t v = 0;
  for (unsigned i = 0; i < datasize; i += esize) v |= elem << i;
  out = datasize == 32 ? v & 0xffffffff : v;
  return true;
}

}  // namespace polyvm::frontend::arm64
