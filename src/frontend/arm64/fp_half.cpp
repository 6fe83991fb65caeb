// binary16 <-> binary32/binary64 (fp_half.h), from the Arm ARM's FPConvert, FPRound and
// FPConvertNaN with FPCR.AHP = FZ16 = DN = 0.
#include "fp_half.h"

#include "polyvm/ir/opcode.h"

namespace polyvm::frontend::arm64 {
namespace {

constexpr uint64_t kFrac52 = (uint64_t{1} << 52) - 1;

int TopBit(uint64_t v) {
  int top = 63;
  while (!(v >> top & 1)) --top;
  return top;
}

}  // namespace

uint16_t FpToHalf(uint64_t bits, bool dp, unsigned rmode, uint32_t* flags) {
  const uint64_t sign = dp ? bits >> 63 : (bits >> 31) & 1;
  const int exp = static_cast<int>(dp ? (bits >> 52) & 0x7ff : (bits >> 23) & 0xff);
  const uint64_t frac = dp ? bits & kFrac52 : (bits & 0x7fffff) << 29;  // 52 bits
  const int max_exp = dp ? 0x7ff : 0xff;
  const uint16_t s = static_cast<uint16_t>(sign << 15);
  if (exp == max_exp) {
    if (frac == 0) return s | 0x7c00;                                 // infinity
    if (!(frac >> 51 & 1)) *flags |= ir::kFpInvalid;                  // signalling
    return s | 0x7e00 | static_cast<uint16_t>((frac >> 42) & 0x1ff);  // FPConvertNaN
  }
  if (exp == 0 && frac == 0) return s;  // zero
  // value = mant * 2^e; E is the exponent of its leading bit.
  const uint64_t mant = exp == 0 ? frac : frac | uint64_t{1} << 52;
  const int e = (exp == 0 ? 1 : exp) - (dp ? 1075 : 179);  // 179 = 127 + 52: frac was widened
  const int big_e = e + TopBit(mant);
  const bool tiny = big_e < -14;  // FPRound: tininess before rounding
  const int lsb = tiny ? -24 : big_e - 10;
  const int shift = lsb - e;
  uint64_t kept, rem = 0, half = 0;
  if (shift <= 0) {
    kept = mant << -shift;
  } else if (shift >= 64) {
    kept = 0;
    rem = mant;  // below half an ulp: only its being non-zero matters
    half = ~uint64_t{0};
  } else {
    kept = mant >> shift;
    rem = mant & ((uint64_t{1} << shift) - 1);
    half = uint64_t{1} << (shift - 1);
  }
  bool up = false;
  if (rem != 0) {
    switch (rmode) {
      case 0: up = rem > half || (rem == half && (kept & 1)); break;
      case 1: up = sign == 0; break;
      case 2: up = sign == 1; break;
      default: break;
    }
    *flags |= ir::kFpInexact;
    if (tiny) *flags |= ir::kFpUnderflow;
  }
  kept += up ? 1 : 0;
  if (tiny) return s | static_cast<uint16_t>(kept);  // 0x400 when rounded up to the smallest normal
  int biased = big_e + 15;
  if (kept >> 11) {  // rounded up into the next binade
    kept >>= 1;
    ++biased;
  }
  if (biased >= 31) {
    bool to_inf = rmode == 0 || (rmode == 1 && sign == 0) || (rmode == 2 && sign == 1);
    *flags |= ir::kFpOverflow | ir::kFpInexact;
    return s | (to_inf ? 0x7c00 : 0x7bff);
  }
  return s | static_cast<uint16_t>(biased << 10) | static_cast<uint16_t>(kept & 0x3ff);
}

uint64_t FpFromHalf(uint16_t half, bool dp, uint32_t* flags) {
  const uint64_t sign = half >> 15;
  const int exp = (half >> 10) & 0x1f;
  const uint64_t frac = half & 0x3ff;
  const int fbits = dp ? 52 : 23, bias = dp ? 1023 : 127;
  const uint64_t top_sign = sign << (dp ? 63 : 31);
  const uint64_t exp_ones = dp ? 0x7ff : 0xff;
  if (exp == 31) {
    if (frac == 0) return top_sign | exp_ones << fbits;
    if (!(frac >> 9 & 1)) *flags |= ir::kFpInvalid;
    return top_sign | exp_ones << fbits | uint64_t{1} << (fbits - 1) | frac << (fbits - 10);
  }
  if (exp == 0 && frac == 0) return top_sign;
  uint64_t mant = frac;
  int big_e;
  if (exp == 0) {  // subnormal: frac * 2^-24, normal in the wider format
    const int top = TopBit(frac);
    big_e = top - 24;
    mant = (frac << (10 - top)) & 0x3ff;
  } else {
    big_e = exp - 15;
  }
  return top_sign | static_cast<uint64_t>(big_e + bias) << fbits | mant << (fbits - 10);
}

}  // namespace polyvm::frontend::arm64
